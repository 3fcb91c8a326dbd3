/*
 * stream_int.h - private to src/analyze/pipeline/stream*.c: the per-metric
 * statistics accumulator of the streaming report (stream.h), the blocks
 * of rows a GPU CSV log goes through its passes in, and each channel's
 * state during the passes.
 */
#ifndef WATTLOG_ANALYZE_STREAM_INT_H
#define WATTLOG_ANALYZE_STREAM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/analysis.h"
#include "wattlog/stream.h"

#define WL_SSTAT_PEND 16
#define WL_SSTAT_SEEN_LOG2 5
#define WL_SSTAT_NOT_SEEN 0x7ff8000000000badull
struct wl_sstat {
	/* pass 1, every value of the metric */
	size_t n1;
	double min1, max1, sum1, comp1; /* sum1 + comp1: Neumaier's compensated sum */
	int res_ok[4];                  /* every value a multiple of 10^-d */
	int strict[4];                  /* ... within 1e-9 relative, not 1e-6 */
	double res;
	/* values checked by the resolution rule, by a hash of their bits (a
	 * value checked again changes nothing: not checked again);
	 * WL_SSTAT_NOT_SEEN, a NaN, in an empty cell (NaN is never checked) */
	uint64_t seen[1u << WL_SSTAT_SEEN_LOG2];
	/* pass 2, the values in the window; from1: pass 2 sees exactly pass
	 * 1's values in the same order (a gauge, no window), its min, max and
	 * sum then pass 1's (set before wl_sstat_begin; the window's in[]
	 * then not read) */
	int from1;
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
	/* the last value seen and its cells, and how many times it came
	 * since they were last added to (a metric often repeats its value:
	 * the same checks and cells, not computed again; the cells were
	 * prefetched when it came first); and the runs of the values before
	 * whose counts are pending (added WL_SSTAT_PEND distinct values
	 * later: their lines are in cache by then) */
	int have1, have2;
	double last1, last2;
	unsigned *hp, *mp;
	size_t run;
	unsigned *ph[WL_SSTAT_PEND], *pm[WL_SSTAT_PEND];
	size_t pr[WL_SSTAT_PEND];
	unsigned pend0, npend;
};

void wl_sstat_init(struct wl_sstat *s);
void wl_sstat_release(struct wl_sstat *s);
/* Pass 1: the values v[0..n) in order, NaN skipped. */
void wl_sstat_p1(struct wl_sstat *s, const double *v, size_t n);
/* Between the passes: the resolution, the histogram and mode table.
 * 0 or -1 (out of memory). */
int wl_sstat_begin(struct wl_sstat *s);
/* Pass 2: the values v[0..n) in order, those with in[k] (in NULL: all)
 * in the window; NaN skipped. */
void wl_sstat_p2(struct wl_sstat *s, const double *v, size_t n, const unsigned char *in);
/* Adds the pending counts (before wl_sstat_finish; again after it adds
 * nothing). */
void wl_sstat_flush(struct wl_sstat *s);
/* The statistics (labels left to the caller); twa from twa_e / twa_span. */
void wl_sstat_finish(const struct wl_sstat *s, struct wl_metric_stats *m);
/* Largest error of a percentile: the histogram's bin width. */
double wl_sstat_qerr(const struct wl_sstat *s);

/*
 * Rows of one layout (a GPU CSV log's, stream_csv.c; the spill file's
 * unit, stream_spill.c): n rows at times t[r], each holding one reading of
 * each of the ncol channels ch[k] (dataset channels, distinct), by column:
 * channel ch[k]'s at v[k * cap + r].  Pass 1 and pass 2 take a column at a
 * time (wl_stream_rows1, wl_stream_rows2: the same work per reading, in
 * the same order per channel, as a reading at a time).
 */
#define WL_SROWS_ROWS 256      /* rows a block holds at most */
#define WL_SROWS_VALUES 32768u /* and values: fewer rows when wide */
struct wl_srows {
	size_t n, cap;   /* rows, and room for them */
	size_t ncol;
	uint32_t *ch;    /* [ncol] */
	double *t;       /* [cap] */
	double *v;       /* [ncol * cap] */
	size_t chroom, troom, vroom; /* allocated */
};
/* Makes b hold no row, of layout ch[0..ncol) with room for `rows` rows
 * (0: at most WL_SROWS_ROWS and WL_SROWS_VALUES / ncol, at least 1, and
 * from 16 on 8 x an odd number).  0 or -1 (out of
 * memory). */
int wl_srows_layout(struct wl_srows *b, const uint32_t *ch, size_t ncol, size_t rows);
/* Appends a row of b's layout: 1 when b is full (nothing added). */
static inline int wl_srows_add(struct wl_srows *b, double t, const double *v)
{
	size_t k;

	if (b->n == b->cap)
		return 1;
	b->t[b->n] = t;
	for (k = 0; k < b->ncol; k++)
		b->v[k * b->cap + b->n] = v[k];
	b->n++;
	return 0;
}
/* 1 when ch[0..ncol) is b's layout. */
int wl_srows_same(const struct wl_srows *b, const uint32_t *ch, size_t ncol);
void wl_srows_release(struct wl_srows *b);

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
