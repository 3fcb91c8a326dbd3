/*
 * jsonout.h - JSON text that is always valid UTF-8 (RFC 8259 section 8.1),
 * whatever bytes the input held: a marker, a metadata value, a file or
 * folder name may carry binary garbage.  The one place a string becomes
 * JSON (src/render/json_text.c), used by every JSON writer: the report and
 * compare writers (json-c builds the document, wl_json_text prints it) and
 * `wattlog phases --format json` (wl_json_str).
 *
 * A byte that starts no well-formed UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF, no truncated sequence) is
 * written as the escape \ufffd (U+FFFD REPLACEMENT CHARACTER), one per
 * byte; well-formed sequences are copied unchanged.
 */
#ifndef WATTLOG_JSONOUT_H
#define WATTLOG_JSONOUT_H

#include <stdio.h>

/* Writes s as a JSON string literal: the quotes, \" and \\, control
 * characters (below 0x20, and 0x7F) as \u00XX, invalid bytes as \ufffd. */
void wl_json_str(FILE *f, const char *s);

/* Writes v as a JSON number (%.10g), or null when it is not finite. */
void wl_json_num(FILE *f, double v);

/* Writes a JSON document made by json-c: json-c escapes quotes and control
 * characters but copies other bytes as they are, so each invalid byte
 * (only ever inside a string or a key) is written as \ufffd.  json NULL
 * (json-c could not render the document: more than its 2 GiB, or out of
 * memory) writes nothing and gives -1; else 0. */
int wl_json_text(FILE *f, const char *json);

#endif
