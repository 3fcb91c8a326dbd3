/*
 * jsonread.h - the JSON file parser shared by the json-c readers of the
 * analyzer (src/analyze/ingest/metajson.c defines it; pipeline/fit_model.c
 * uses it).  Not installed.
 */
#ifndef WATTLOG_JSONREAD_H
#define WATTLOG_JSONREAD_H

#include "wattlog/error.h"

struct json_object;

/* Parses the JSON file at path with a tokener of this call's own (thread
 * safe: json-c's json_object_from_file reports errors through one
 * process-wide buffer).  Returns the object (the caller puts it) or NULL
 * with err naming the file and the offset of the problem. */
struct json_object *wl_json_parse_file(const char *path, struct wl_error *err);

#endif
