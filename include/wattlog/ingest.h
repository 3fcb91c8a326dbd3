/*
 * ingest.h - reading files into a struct wl_dataset.  The only stage that
 * reads files.  One file per format in src/analyze/ingest_*.c.
 *
 * On malformed input an ingester returns -1 and sets err to one line naming
 * the file, the line (or byte offset) and the problem, e.g.
 *     'gpu.csv' line 17: bad number '12,5x' in column 'power.draw [W]'
 * A missing column the report would like is a warning (wl_dataset_warn),
 * not an error.
 */
#ifndef WATTLOG_INGEST_H
#define WATTLOG_INGEST_H

#include "wattlog/dataset.h"
#include "wattlog/error.h"

/* A column of a generic CSV declared a cumulative counter:
 * --counter 'energy_uj:uJ:wrap=262143328850' */
struct wl_counter_decl {
	const char *column;
	const char *unit;
	double wrap; /* 0 = none */
};

struct wl_ingest_opts {
	const char *format; /* NULL = detect from content; else "wattlog",
			       "aimeter", "nvidia-smi", "tegrastats", "csv" */
	const char *tz;     /* timestamps without a zone are in this zone
			       (TZ syntax); NULL = local time of this machine */
	const struct wl_counter_decl *counters;
	size_t ncounters;
};

/* Reads path into ds (initialised by the caller).  0, or -1 with err set. */
int wl_ingest(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
	      struct wl_error *err);

/* The format detected from the first bytes of a file, or NULL. */
const char *wl_ingest_detect(const char *path, struct wl_error *err);

/* Per format (called by wl_ingest). */
int wl_ingest_trace(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err);

#endif
