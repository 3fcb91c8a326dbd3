/*
 * envelope.h - a series reduced to pixel columns (min, max, mean per
 * column) in memory that does not grow with its length
 * (src/analyze/stages/decimate.c): what a figure of a long series draws.
 */
#ifndef WATTLOG_ENVELOPE_H
#define WATTLOG_ENVELOPE_H

#include <stddef.h>

/* One pixel column: min, max and mean of the samples whose time falls in
 * it; n = 0 for an empty column. */
struct wl_env_col {
	double min, max, sum;
	size_t n;
};

/* A streaming envelope over [t0, t1) cut into ncols equal columns:
 * memory O(ncols) whatever the number of samples fed. */
struct wl_envelope {
	double t0, t1;
	double per_s;    /* ncols / (t1 - t0): columns per second */
	size_t ncols;
	struct wl_env_col *col;
	size_t fed;      /* samples that fell inside the window */
	int grow;        /* open-ended: the window doubles to take later t */
	double t_last;   /* latest t fed (NaN before any) */
	/* The first samples, kept to draw a raw line when there are few. */
	size_t nraw, capraw;
	double *rt, *rv;
};

/* 0 or -1 (out of memory, t1 <= t0, ncols 0). */
int wl_envelope_init(struct wl_envelope *e, double t0, double t1, size_t ncols, size_t raw_cap);
void wl_envelope_release(struct wl_envelope *e);
/* An open-ended envelope for a stream whose end is unknown (a trace read
 * record by record): starts on [t0, t0 + span_s) and, when a later t comes,
 * doubles the window as often as needed by merging column pairs
 * (min of mins, max of maxes, sums and counts added), so at least half of
 * the ncols columns cover the data.  0 or -1. */
int wl_envelope_init_open(struct wl_envelope *e, double t0, double span_s, size_t ncols,
			  size_t raw_cap);
/* Feeds one sample; NaN values and times outside [t0, t1] are ignored
 * (t1 falls in the last column). */
void wl_envelope_feed(struct wl_envelope *e, double t, double v);
/* Feeds t[i], v[i] for i < n, as n calls of wl_envelope_feed would (the
 * same columns, bit for bit), faster for a run of samples in time order:
 * the current column's figures stay in registers until the column
 * changes. */
void wl_envelope_feed_n(struct wl_envelope *e, const double *t, const double *v, size_t n);
/* A fixed envelope *dst on [t0, t1) with ncols columns (wl_envelope_init)
 * from src, typically open-ended and finer: each column of src goes whole
 * to the column of dst holding its centre (clamped to the first and last),
 * min of mins, max of maxes, sums and counts added; the raw samples, fed
 * and t_last are copied.  With src's columns k times narrower than dst's,
 * a sample lands at most one src column (1/k of a dst column) away from
 * its own column.  0 or -1 (out of memory, t1 <= t0, ncols 0). */
int wl_envelope_rebin(const struct wl_envelope *src, double t0, double t1, size_t ncols,
		      struct wl_envelope *dst);
/* Column of time t (clamped to [0, ncols - 1]). */
size_t wl_envelope_column(const struct wl_envelope *e, double t);
/* 1 when every sample fed is kept raw (fed <= raw_cap): draw them as a
 * line; else draw the columns. */
int wl_envelope_is_raw(const struct wl_envelope *e);

/* The binning both power-figure paths use, in memory and streaming (a
 * trace's end is unknown until it is read): an open-ended envelope from t0
 * (wl_envelope_init_open over WL_ENV_SPAN0_S s at first) with
 * WL_ENV_FINE x ncols columns and ncols raw samples, folded at the end
 * into the window's ncols columns by wl_envelope_rebin.  A sample then
 * lands at most 2 / WL_ENV_FINE of a pixel column away from the column a
 * direct binning would give it.  0 or -1 (out of memory). */
#define WL_ENV_FINE 8
#define WL_ENV_SPAN0_S 1.0
int wl_envelope_open_fine(struct wl_envelope *e, double t0, size_t ncols);

#endif
