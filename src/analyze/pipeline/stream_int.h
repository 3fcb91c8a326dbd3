/*
 * stream_int.h - private to src/analyze/pipeline/stream*.c: the per-metric
 * statistics accumulator of the streaming report (stream.h).
 */
#ifndef WATTLOG_ANALYZE_STREAM_INT_H
#define WATTLOG_ANALYZE_STREAM_INT_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "wattlog/stream.h"

struct wl_sstat {
	/* pass 1, every value of the metric */
	size_t n1;
	double min1, max1, sum1, comp1; /* sum1 + comp1: Neumaier's compensated sum */
	int res_ok[4];                  /* every value a multiple of 10^-d */
	int strict[4];                  /* ... within 1e-9 relative, not 1e-6 */
	double res;
	/* pass 2, the values in the window */
	size_t n;
	double min, max, sum, comp;     /* compensated sum for the mean */
	double s1, s2;                  /* sum (v - c), sum (v - c)^2, c = pass-1 mean */
	double c;
	unsigned *h;                    /* WL_STREAM_BINS counts over [min1, max1]
					   (4 bytes a bin: 30 metrics stay in cache) */
	double hw;                      /* bin width */
	int exact;                      /* a true resolution: values on the mode table */
	unsigned *mcnt;                 /* mode table, NULL when too wide */
	size_t mcells;
	long long mbase;
	double twa_e, twa_span;         /* time-weighted average: integral, time */
	unsigned *hp, *mp;              /* counts to add one to at the next value
					   (prefetched now: the metrics interleave,
					   so the line is in cache by then) */
	/* the last value seen and what depends on it alone (a metric often
	 * repeats its value: the same checks and cells again, not computed) */
	int have1, have2;
	double last1, last2;
	unsigned *lasthp, *lastmp;
};

void wl_sstat_init(struct wl_sstat *s);
void wl_sstat_release(struct wl_sstat *s);
/* Pass 1: one value (not NaN). */
void wl_sstat_p1(struct wl_sstat *s, double v);
/* Between the passes: the resolution, the histogram and mode table.
 * 0 or -1 (out of memory). */
int wl_sstat_begin(struct wl_sstat *s);
/* Pass 2: one value in the window (not NaN). */
void wl_sstat_p2(struct wl_sstat *s, double v);
/* Adds the pending counts (before wl_sstat_finish). */
void wl_sstat_flush(struct wl_sstat *s);
/* The statistics (labels left to the caller); twa from twa_e / twa_span. */
void wl_sstat_finish(const struct wl_sstat *s, struct wl_metric_stats *m);
/* Largest error of a percentile: the histogram's bin width. */
double wl_sstat_qerr(const struct wl_sstat *s);

/* A decimation bin: count, sums of t and v (gauge means), last reading. */
struct wl_sdbin {
	size_t n;
	double sum_t, sum_v, last_t, last_v;
};

/* One channel of the dataset during the passes. */
struct wl_schan {
	int power;        /* wl_channel_is_power */
	int jcounter;     /* an energy counter: a column of the grid as its power */
	int counter;      /* any counter: its statistics are of its rate */
	struct wl_counter_rate rate; /* a counter's (wl_counter_rate_of) */
	int gridded;      /* a column of the correlation grid (col) */
	size_t col;
	double f;         /* unit to W (gauge) or J (counter) */
	double wrap;
	int comp;         /* its component's peak accumulator (component x
			     class, stream_pass.h), else -1 */
	int lane;         /* pass 2: the lane doing its work (stream_pass.h) */
	/* pass 1 */
	size_t nraw;
	double *tmed;     /* the first WL_STREAM_MEDIAN_N + 1 times, freed after */
	size_t ntmed;
	double median_dt, max_gap;
	double t_first, v_first, t_last, v_last;
	struct wl_counter_norm cn1;
	struct wl_sstat st;
	/* pass 2: the power series (counter points or gauge readings in W) */
	struct wl_counter_norm cn;
	struct wl_gauge_norm gn;
	size_t npts;
	double pt_t, pt_p;
	/* pass 2: statistics and decimation */
	int have_sprev;
	double sprev_t, sprev_v;
	size_t seen;
	long dbin;
	struct wl_sdbin open, held; /* the bin being filled, the one before */
};

/* A component's peak when several channels of one class sum. */
struct wl_scomp {
	size_t m;         /* channels in the class */
	size_t cnt;
	double pend_t, pend_sum, peak;
};

#endif
