/*
 * export_csv.h - private to src/cmd: the CSV that `wattlog export csv`
 * writes (layout in export.c's top comment).
 */
#ifndef WATTLOG_CMD_EXPORT_CSV_H
#define WATTLOG_CMD_EXPORT_CSV_H

#include <stdio.h>

#include "wattlog/csv_out.h"
#include "wattlog/error.h"
#include "wattlog/ingest.h"

struct wl_csv_col {
	const char *name, *unit, *device, *source;
};

/* Headers for n columns into hdr[0..n) (each malloc'd).  0 or -1 (memory). */
int wl_csv_headers(const struct wl_csv_col *c, size_t n, char **hdr);

/* Write path as CSV to f.  0 ok, 1 ok but damage (listed on stderr),
 * 2 with err set (unreadable input, write error, out of memory). */
int wl_export_trace(const char *path, FILE *f, struct wl_error *err);
int wl_export_dataset(const char *path, const struct wl_ingest_opts *o, FILE *f,
		      struct wl_error *err);

#endif
