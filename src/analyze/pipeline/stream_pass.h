/*
 * stream_pass.h - private to src/analyze/pipeline/stream*.c: the state of a
 * streaming report between and during its passes.
 */
#ifndef WATTLOG_ANALYZE_STREAM_PASS_H
#define WATTLOG_ANALYZE_STREAM_PASS_H

#include <stdint.h>

#include "wattlog/ingest.h"
#include "stream_int.h"

#define WL_STREAM_LANES 2

/* A lane's last time seen and its decimation bin and grid position (the
 * channels of a row share their time: computed once a row); and for rows
 * a block at a time (wl_stream_rows2), each row's, whether it is in the
 * statistics window, and the block's columns of the grid. */
struct wl_slane {
	_Alignas(64) double dk_t, gx_t; /* a cache line of its own */
	long dk;
	double gx;
	long *rdk;
	double *rgx;
	unsigned char *rin;
	size_t *rgk;
	size_t rrows, rcols; /* room */
};

struct wl_stream {
	char *path;
	struct wl_trace_fill fill; /* the walk of both passes (ingest.h) */
	double max_w;
	struct wl_schan *ch;   /* parallel to the dataset's channels */
	size_t nch;
	struct wl_energy_acc *acc; /* pass 2: each channel's energy, parallel too */
	struct wl_scomp *comp; /* component i, class k at i x WL_NCLASS + k */
	size_t ncomp;          /* components x WL_NCLASS */
	/* pass 2 */
	double e_from, e_to;   /* energy window, infinite when open */
	double s_from, s_to;   /* statistics window, NaN when open */
	struct wl_grid *g;     /* NULL: no grid */
	unsigned *gcnt;        /* samples per cell, column-major as g->v */
	double g_end;
	double d0, dstep;      /* decimation origin and bin */
	/* pass 2 may run in WL_STREAM_LANES threads (lanes): channel i's
	 * work in lane ch[i].lane, the row correlation in lane 0; lanes = 0:
	 * one thread does all */
	int lanes;
	struct wl_slane lane[WL_STREAM_LANES];
	/* pass 2: the grid's columns row by row while every instant holds
	 * every column once (a single-rate input): r over the rows */
	_Alignas(64) int rows_ok; /* lane 0 writes these: lines of their own */
	struct wl_corr_rows rows;
	double *rowv, row_t;
	unsigned char *rowseen;
	size_t rowhave;
	/* a GPU CSV log (stream_csv.c): its reader's options, NULL for a trace */
	_Alignas(64) const struct wl_ingest_opts *csv; /* read-only in pass 2 */
	double shift;          /* the origin's move (wl_origin_shift), 0 none */
	struct wl_spill *spill; /* pass 1's samples for pass 2 (stream_csv.c) */
	/* a pass over an input that is not a trace (stream_csv.c), NULL for a
	 * trace; and what frees its state, NULL none */
	int (*pass)(struct wl_stream *s, struct wl_dataset *ds, int which,
		    struct wl_error *err);
	void (*release)(struct wl_stream *s);
};

/* Makes s->ch cover dataset channel i (set up from ds->ch). 0 or -1. */
int wl_stream_chan_add(struct wl_stream *s, const struct wl_dataset *ds, size_t i);
/* Pass 1: the kept readings t[0..n), v[0..n) of dataset channel i, in
 * order. 0 or -1 (out of memory). */
int wl_stream_sample1(struct wl_stream *s, struct wl_dataset *ds, size_t i, const double *t,
		      const double *v, size_t n);
/* The stream state for path after pass 1 (stream.c): csv the GPU CSV
 * reader's options and pass/release its passes (stream_csv.c), or all NULL
 * for a wattlog trace.  NULL with err on failure. */
struct wl_stream *wl_stream_open_any(const char *path, const struct wl_ingest_opts *csv,
				     int (*pass)(struct wl_stream *, struct wl_dataset *, int,
						 struct wl_error *),
				     void (*release)(struct wl_stream *), double max_power_w,
				     struct wl_dataset *ds, struct wl_error *err);

/* Pass 2 over the file (stream.c), feeding wl_stream_sample2. */
int wl_stream_pass2(struct wl_stream *s, struct wl_dataset *ds, struct wl_error *err);
/* Pass 2: one reading of dataset channel i (stream_pass2.c). 0 or -1 (out
 * of memory). */
int wl_stream_sample2(struct wl_stream *s, struct wl_dataset *ds, size_t i, double t, double v);
/* Pass 2: the rows of b in lane `lane` (0 when not in lanes): of each
 * channel i of b with what[i] 1 all its work, with what[i] 2 the row
 * correlation's part (lane 0), as wl_stream_sample2 and wl_stream_row2
 * would do a reading at a time in file order.  0 or -1 (out of memory). */
int wl_stream_rows2(struct wl_stream *s, struct wl_dataset *ds, const struct wl_srows *b,
		    int lane, const unsigned char *what);
/* Pass 2 in lanes: the row correlation's part of a reading of a channel
 * of another lane, in lane 0 (stream_pass2.c). */
void wl_stream_row2(struct wl_stream *s, size_t col, double t, double v);
/* With want, whether pass 2 can run in lanes, and if so each channel's lane
 * and s->lanes; without, back to one thread (stream_pass2.c). */
int wl_stream_lanes(struct wl_stream *s, const struct wl_dataset *ds, int want);
/* After pass 2: the open decimation bins (stream_pass2.c). */
int wl_stream_decim_end(struct wl_stream *s, struct wl_dataset *ds);
/* After pass 2: the last row of the row correlation (stream_pass2.c). */
void wl_stream_rows_end(struct wl_stream *s);
/* After pass 2: the pending multi-channel peaks. */
void wl_stream_peak_end(struct wl_stream *s);

#endif
