/*
 * json_text.c - JSON strings as valid UTF-8 (jsonout.h).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "wattlog/jsonout.h"

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when s[0]
 * starts none (RFC 3629 section 4, the table of well-formed byte
 * sequences).  s is NUL-terminated, so a sequence cut off by the end is
 * refused at its NUL. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0; /* a continuation byte, C0/C1 (overlong), F5..FF */
	if (c == 0xE0)
		lo = 0xA0; /* overlong */
	else if (c == 0xED)
		hi = 0x9F; /* surrogates U+D800..DFFF */
	else if (c == 0xF0)
		lo = 0x90; /* overlong */
	else if (c == 0xF4)
		hi = 0x8F; /* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* Copies s, each byte that starts no well-formed sequence as \ufffd; with
 * quote set, also escapes what a string literal must. */
static void put(FILE *f, const char *str, int quote)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_len(s);

		if (!n) {
			fputs("\\ufffd", f);
			s++;
		} else if (quote && (*s == '"' || *s == '\\')) {
			fprintf(f, "\\%c", *s++);
		} else if (quote && (*s < 0x20 || *s == 0x7F)) {
			fprintf(f, "\\u%04x", *s++);
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
}

void wl_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	put(f, s, 1);
	fputc('"', f);
}

int wl_json_text(FILE *f, const char *json)
{
	if (!json)
		return -1;
	put(f, json, 0);
	return 0;
}

void wl_json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v);
	else
		fputs("null", f);
}
