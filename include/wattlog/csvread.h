/*
 * csvread.h - a small row-callback CSV reader over libcsv (src/analyze/ingest/csv.c
 * is the only file that includes <csv.h>).
 *
 * Fields come trimmed of surrounding blanks (unquoted fields) and
 * NUL-terminated; quoted fields keep their content.  Blank lines are skipped.
 * The reader counts physical lines, so row->line is the 1-based line of the
 * file on which the record ends (a record's own line for one-line records).
 */
#ifndef WATTLOG_CSVREAD_H
#define WATTLOG_CSVREAD_H

#include <stddef.h>

#include "wattlog/error.h"

/* A field read as a number with its unit (wl_csv_opts.numbers): what
 * wl_unit_scan gives for it, computed in the reading thread. */
struct wl_csv_num {
	double v;
	unsigned uoff;       /* the unit word at f[k] + uoff, ulen bytes (0 none; */
	unsigned char ulen;  /* wl_unit_scan takes no word of 64 bytes or more) */
	unsigned char ok;    /* 0: wl_unit_scan failed (not a number) */
};                           /* 16 bytes: one per field crosses to the caller's thread */

struct wl_csv_row {
	size_t line;          /* 1-based line number in the file */
	size_t nf;            /* number of fields */
	const char *const *f; /* the fields, valid during the callback only */
	const struct wl_csv_num *num; /* per field with opts.numbers, else NULL */
};

/* Called once per record (the header included).  Returns 0 to go on, or
 * -1 with err set to stop reading (wl_csv_read then returns -1). */
typedef int (*wl_csv_row_fn)(const struct wl_csv_row *row, void *user, struct wl_error *err);

struct wl_csv_opts {
	char delim;              /* 0 = ',' */
	const char *skip_prefix; /* lines starting with it are comments, NULL = none */
	int numbers;             /* also scan each field as a number (row->num) */
};

/*
 * Reads path record by record.  Returns 0, or -1 with err: cannot open or
 * read the file, a NUL byte (binary data) at a line, an unterminated quote,
 * out of memory, or whatever the callback reported.  The callback always
 * runs in the caller's thread, once per record in file order, and the
 * first error in file order is the one returned; for a large file a
 * second thread reads and tokenizes ahead (see csv.c).
 */
int wl_csv_read(const char *path, const struct wl_csv_opts *o, wl_csv_row_fn fn, void *user,
		struct wl_error *err);

/* Index of the field named `name` in a header row (exact match after the
 * reader's trimming; case-sensitive), or -1. */
long wl_csv_column(const struct wl_csv_row *hdr, const char *name);

#endif
