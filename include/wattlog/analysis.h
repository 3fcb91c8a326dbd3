/*
 * analysis.h - the analyzer's pipeline stages after ingest, without I/O:
 * normalize (counters to watts) -> energy -> stats -> correlation ->
 * efficiency.  Each stage is a function over in-memory data that fills a
 * result and an error.
 *
 * This header's first part is a contract other modules rely on (phases,
 * figures, compare); the analysis module extends the rest.
 */
#ifndef WATTLOG_ANALYSIS_H
#define WATTLOG_ANALYSIS_H

#include <math.h>
#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/energy_rule.h"
#include "wattlog/error.h"

/* A power time series in watts: one component ("cpu", "dram", "gpu0",
 * "VDD_IN", "psys", ...) or the total.  For a series from a counter, sample
 * i is the average power over the interval (t[i-1], t[i]] and p[0] is NaN;
 * for a series from a gauge, p[i] is the reading at t[i].  A NaN p[i] is
 * missing data: for a counter series the interval (t[i-1], t[i]] is
 * excluded (an implausible jump); for a gauge, both intervals around it. */
struct wl_series {
	char name[64];
	char node[64];    /* its channels' node (struct wl_channel), "" none */
	int from_counter; /* 1: interval averages (exact energy by sum);
			     0: instantaneous readings (trapezoid rule) */
	size_t n;
	double *t; /* s since the dataset's origin */
	double *p; /* W */
	/* Gauge intervals longer than this (s) are gaps: bridged by the
	 * trapezoid like any interval and reported (wl_energy_acc), or, with
	 * keep_gaps_out, left out (no energy, no line drawn across).  0 = no
	 * bound.  Counters ignore it: their difference across a gap is exact. */
	double max_gap_s;
	int keep_gaps_out; /* --no-bridge */
};

void wl_series_release(struct wl_series *s);

/*
 * The power of each energy component of ds, as the report counts it
 * (cpu = sum of RAPL packages without their subzones again, dram, gpuN, each
 * Jetson rail, psys kept apart), after counter normalization.  *out is a
 * malloc'd array of *n series; free each with wl_series_release, then free().
 * Returns 0 or -1 with err.
 */
int wl_power_components(const struct wl_dataset *ds, struct wl_series **out, size_t *n,
			struct wl_error *err);

/* Energy in J of one series between t0 and t1 (s since origin), counting
 * partial intervals in proportion to their overlap; exact for counter
 * series, trapezoid rule for gauges.  0 when the window holds no data. */
double wl_series_energy(const struct wl_series *s, double t0, double t1);

/* 1 when s holds a power value (not NaN) anywhere.  A component whose
 * series has none (a counter that never changed: "not updating") has an
 * unknown energy, never 0 J; the report's total (energy_compute.c) and the
 * phases (phases_energy.c) both follow this rule. */
int wl_series_has_power(const struct wl_series *s);

/* A sum of energies of which some may be unknown: total + e, where an
 * unknown e (NaN) adds nothing and the sum stays NaN (unknown) until a
 * known one is added.  Start from NaN. */
double wl_energy_add_known(double total, double e);

/* ---- extensions: options ------------------------------------------------ */

/* WL_MAX_POWER_W_DEFAULT, WL_MAX_GAP_FACTOR: energy_rule.h */

struct wl_analysis_opts {
	double max_power_w; /* a counter interval above this is implausible; 0 =
			       WL_MAX_POWER_W_DEFAULT */
	double max_gap_s;   /* gauge intervals longer than this are gaps; 0 =
			       WL_MAX_GAP_FACTOR x each series' median interval */
	int no_bridge;      /* 1: gaps left out of the energy (--no-bridge); 0:
			       bridged by the trapezoid and reported */
	double t_from, t_to; /* analysis window, s since origin; NaN = open */
	double grid_s;       /* correlation grid; 0 = slowest source's median */
	size_t top;          /* top pairs per sign; 0 = 5 */
	int exclude_identical; /* drop pairs whose resampled series are equal */
};

/* Sets the defaults above (window open: t_from = t_to = NaN). */
void wl_analysis_opts_init(struct wl_analysis_opts *o);

/* ---- normalize (src/analyze/stages/normalize.c) ---------------------------------- */

/* wl_unit_to_w, wl_unit_to_j: energy_rule.h */
/* 1 if c is a power gauge (a W-family unit) or an energy counter (a
 * J-family unit), else 0. */
int wl_channel_is_power(const struct wl_channel *c);

/*
 * One channel to a power series in W.  A counter: dE = E1 - E0, + wrap when
 * dE < 0 and the wrap is known; P = dE / dt on (t0, t1].  A read in which
 * the counter did not change (read faster than it updates) is merged with
 * the following interval: the repeated sample is dropped, never a zero.  An
 * interval whose power exceeds max_power_w, or whose dE < 0 without a known
 * wrap, is implausible: p = NaN there (excluded) and, when warn is not NULL,
 * one warning is added to it per channel with the count and the first time.
 * A gauge: p = v x factor at each t (samples at a repeated t all kept).
 * out is filled (caller releases); its max_gap_s is left 0.
 * 0, or -1 with err (unknown unit, out of memory).
 */
int wl_normalize_channel(const struct wl_channel *c, double max_power_w,
			 struct wl_series *out, struct wl_dataset *warn, struct wl_error *err);

/*
 * The rate a counter's statistics are of (the one rule of the in-memory
 * statistics, stats_dataset.c, and the streamed report, stream_report.c):
 * an energy counter (a J-family unit) gives its power in W by the rule of
 * wl_normalize_channel (factor to J, an interval above max_power_w, or
 * WL_MAX_POWER_W_DEFAULT when it is 0, implausible); any other counter
 * (bytes, packets, cycles, CPU seconds) its rate in its unit per second,
 * "B" -> "B/s", "" -> "1/s": r = (v1 - v0 [+ wrap]) / (t1 - t0) over each
 * interval between changed readings, no bound on it (only a decrease that
 * is not a declared wrap is excluded: a restart of the counter).
 */
struct wl_counter_rate {
	int energy;    /* a J-family counter: its rate is its power */
	double f, max; /* unit factor (to J for energy, else 1), bound on the
			  rate (INFINITY: none) */
	char unit[16]; /* "W", "B/s", "packets/s" */
	const char *suffix; /* of the metric's name: " (power)", " (rate)" */
};

void wl_counter_rate_of(const struct wl_channel *c, double max_power_w, struct wl_counter_rate *r);

/* The rate series of counter c by r (wl_counter_rate_of): point i is the
 * rate of (t[i-1], t[i]], p[0] NaN, an excluded interval NaN.  st (may be
 * NULL) gets the rule's state after the last reading (its counts of
 * excluded intervals).  out is filled (caller releases).  0 or -1 with err
 * (out of memory). */
int wl_counter_rate_series(const struct wl_channel *c, const struct wl_counter_rate *r,
			   struct wl_series *out, struct wl_counter_norm *st,
			   struct wl_error *err);

/* What the rate of a counter that is not an energy counter assumes, as one
 * line in l (kind "value"): the rate rule, and how a decrease was taken (a
 * declared wrap; else a restart, left out: how many, the first).  Nothing
 * for an energy counter (the energy stage states its rule). */
void wl_counter_rate_assume(struct wl_assumptions *l, const struct wl_channel *c,
			    const struct wl_counter_rate *r, const struct wl_counter_norm *st);

/* Median of the positive intervals t[i]-t[i-1] (0 if none); beyond 65536
 * intervals, of 65536 taken evenly across the series. */
double wl_series_median_dt(const double *t, size_t n);

/* ---- energy (src/analyze/stages/energy.c, components.c) -------------------------- */

/* As wl_power_components, with options; when warn is not NULL, problems
 * (implausible jumps, unknown units) are added to it as warnings.  Each
 * series' max_gap_s is set (o->max_gap_s or 5 x its median interval). */
int wl_power_components_opts(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
			     struct wl_dataset *warn, struct wl_series **out, size_t *n,
			     struct wl_error *err);

/* Whether component c counts in the total, given all components (their
 * names and nodes): the rule of wl_component_name_in_total (energy_rule.h):
 * a Jetson module's input rail alone when present; psys never; node only
 * when nothing but psys and node is there. */
int wl_component_in_total(const struct wl_series *c, const struct wl_series *all, size_t n);

/* The total power: the components that count in the total, summed on the
 * grid of the component with the most samples (counters: average power of
 * each grid interval; gauges: linear interpolation; NaN where a component
 * has no data).  0 or -1 with err; out is released by the caller. */
int wl_power_total(const struct wl_series *comps, size_t n, struct wl_series *out,
		   struct wl_error *err);

/* The part of s inside [t0, t1] as a series of its own, with points added
 * at the edges (a gauge's interpolated reading, NaN inside a gap; a
 * counter's interval power) and a NaN point in the middle of each gauge gap
 * (so that a reader ignoring max_gap_s does not bridge it either), so that
 * wl_series_energy(out, -inf, inf) == wl_series_energy(s, t0, t1).
 * 0, or -1 with err (out of memory). */
int wl_series_clip(const struct wl_series *s, double t0, double t1, struct wl_series *out,
		   struct wl_error *err);

/* struct wl_energy_acc and wl_energy_acc_*: energy_rule.h */

/* Energy like wl_series_energy, also giving the number of gaps (gauge
 * intervals longer than max_gap_s) in the window and their total length
 * (may be NULL). */
double wl_series_energy_gaps(const struct wl_series *s, double t0, double t1,
			     size_t *ngaps, double *gap_s);

struct wl_component_energy {
	char name[64];
	char node[64];      /* its channels' node (struct wl_channel), "" none */
	double energy_j;    /* the chosen value: counter > instant > power.draw */
	char method[16];    /* "counter", "trapz-inst" (instant power), "trapezoid" */
	double counter_j;   /* from the energy counter(s), NaN if none */
	double gauge_j;     /* from the best power gauge, NaN if none */
	double diff_pct;    /* 100 (gauge - counter) / counter, NaN unless both
			       exist and cover alike (wl_comp_choose) */
	double duration_s;  /* covered by data in the window (less the gaps
			       when they are kept out) */
	double avg_power_w; /* energy_j / duration_s */
	double peak_power_w;
	size_t ngaps;       /* gauge gaps of the chosen channels */
	double gap_s;       /* their length in the window */
	double gap_j;       /* the energy bridged in them (0 kept out) */
	double gap_lo_j, gap_hi_j; /* its bounds: lowest / highest power seen x gap_s */
	size_t nexcluded;   /* counter intervals excluded as implausible */
	int partial;        /* gaps kept out (--no-bridge): energy_j is partial */
	int in_total;
};

/* Every power/energy channel alone (RAPL subzones included), for checks
 * against per-channel truths: energy by its own rule over the window. */
struct wl_channel_energy {
	char name[96];      /* "energy package-0", "power.draw gpu0" */
	char component[64]; /* "" when the channel counts in no component */
	int from_counter;
	double energy_j;
};

struct wl_energy {
	struct wl_component_energy *c;
	size_t n;
	struct wl_channel_energy *ch;
	size_t nch;
	double total_j;     /* sum of the components with in_total; NaN if none */
	double duration_s;  /* time the total covers: the longest duration_s of
			       its components (avg power = total_j / it) */
	double gap_j, gap_lo_j, gap_hi_j; /* bridged energy in the total, bounds */
	int partial;        /* a component of the total is partial */
	char total_note[160]; /* what the total includes, e.g. "cpu + dram + gpu0" */
	double t_from, t_to; /* the window used (s since origin) */
};

/* Energy per component and total over the window of o.  Gaps and
 * implausible jumps are added to warn (may be NULL) with their times and
 * durations.  0 or -1 with err; release with wl_energy_release. */
int wl_energy_compute(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		      struct wl_dataset *warn, struct wl_energy *e, struct wl_error *err);
void wl_energy_release(struct wl_energy *e);

#define WL_J_PER_WH 3600.0
#define WL_J_PER_KWH 3600000.0

/* ---- statistics (src/analyze/stages/stats.c) -------------------------------------- */

/*
 * Per metric: avg (per sample), min, max, std (sample, n - 1), mode, p50,
 * p95, p99 (the definition of GSL's gsl_stats_quantile_from_sorted_data:
 * linear interpolation between order statistics, q = (1-d) x(i) + d x(i+1)
 * with i + d = f (n-1), x(k) the k-th smallest; found by selection),
 * and twa, the time-weighted average (trapezoid integral / time covered,
 * gaps longer than the gap bound excluded).
 * Mode: values are rounded to the metric's resolution, the smallest decimal
 * step 10^-d (d = 0..6) of which every sample is a multiple (within 1e-6 of
 * a step); the mode is the most frequent rounded value, the smallest on a
 * tie.  `resolution` gives that step.
 * Values absent are NaN (e.g. std with one sample).
 */
struct wl_metric_stats {
	char name[64], unit[16], device[32], source[24];
	size_t n;
	double avg, min, max, mode, resolution, std, p50, p95, p99, twa;
};

/* Turns GSL's abort-on-error handler off (once; stats and correlation call
 * it, GSL's status codes are checked instead). */
void wl_gsl_init(void);

/* The resolution rule, one for the loaded (stats.c) and the streamed
 * (stream_stats.c) statistics: a metric's resolution is the smallest step
 * 10^-d, d = 0..3, of which every value is a multiple within WL_RES_TOL of a
 * step (relative above 1); 0.01 when none is.  1 when v is off by more
 * than tol. */
#define WL_RES_TOL 1e-6
static inline int wl_res_off(double v, int d, double tol)
{
	static const double scale[] = { 1, 10, 100, 1000 };
	double x = v * scale[d], a = fabs(x);

	return fabs(x - rint(x)) > tol * (a > 1 ? a : 1);
}

/* The mode's counting table over [min, max] at res (the mode is the most
 * frequent rounded value, the smallest on a tie): cell of v is
 * llrint(v / res) - *base, of *cells; 0 when it would be wider than
 * WL_MODE_MAX_CELLS (then the caller finds the mode another way). */
#define WL_MODE_MAX_CELLS (1 << 22)
static inline int wl_mode_table(double min, double max, double res, size_t *cells,
				long long *base)
{
	double span = (max - min) / res;

	if (!(span < (double)WL_MODE_MAX_CELLS))
		return 0;
	*cells = (size_t)span + 3;
	*base = llrint(min / res);
	return 1;
}

/* Stats of v[0..n) sampled at t[0..n); t may be NULL (twa = NaN).  The
 * values are not changed.  0 or -1 (out of memory). */
int wl_stats_compute(const double *t, const double *v, size_t n, double max_gap_s,
		     struct wl_metric_stats *s);

/* The metrics of a dataset: every gauge as is, every counter as its rate
 * (wl_counter_rate_of: an energy counter's power in W, name suffixed
 * " (power)"; another counter's rate in its unit per second, " (rate)"),
 * over the window of o.  *out is a malloc'd array (free()).  assume (may be
 * NULL) gets what each counter's rate assumes (wl_counter_rate_assume).
 * 0 or -1 with err. */
int wl_stats_dataset(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		     struct wl_metric_stats **out, size_t *n, struct wl_assumptions *assume,
		     struct wl_error *err);

/* The metric's name, unit, device and source for channel c's statistics:
 * a gauge's own, a counter's rate's (wl_counter_rate_of). */
void wl_metric_label(struct wl_metric_stats *m, const struct wl_channel *c);

/* ---- resampling and correlation (resample.c, correlation.c) --------------- */

/* Metrics on a common grid: bin k covers [t0 + k grid, t0 + (k+1) grid);
 * each cell is the mean of the samples in the bin, NaN when empty. */
struct wl_grid {
	double t0, step_s;
	size_t nbins, ncols;
	char (*name)[96];   /* "power.draw gpu0" etc. */
	char (*unit)[16];
	double *v;          /* column-major: v[col * nbins + k] */
	size_t *chan;       /* the channel of the dataset each column is of */
	char note[160];     /* "" or why the grid differs from the one asked */
};

/* The default grid holds at most this many bins; a finer default is
 * coarsened by an integer factor and noted (an explicit grid is kept). */
#define WL_GRID_MAX_BINS 200000

/* Resamples every gauge and energy-counter power of ds (the power of a
 * counter interval counts at the interval's end) over the window of o on
 * the grid, which starts half a step before the window (samples at the
 * grid's period fall mid-bin) (o->grid_s, else the largest median sampling
 * interval of any channel: the slowest source's period).  0 or -1 with err
 * (no data, out of memory, a grid of more than 4e8 cells). */
int wl_resample(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		struct wl_grid *g, struct wl_error *err);

/* One channel of a dataset offered to the grid, by whoever read its
 * samples (wl_resample from the loaded channel, the streaming report from
 * its first pass): able to be a column (two samples; a gauge or an energy
 * counter as its power), its samples in all and its median interval (for
 * the default step).  wl_grid_plan sets col: its column, or WL_GRID_NONE. */
#define WL_GRID_NONE ((size_t)-1)
struct wl_grid_offer {
	int able;
	size_t n;
	double median_dt;
	size_t col;
};

/* The one rule of the grid over [a, b], for the loaded and the streamed
 * report: the columns (able and not sparse), the step (o->grid_s, else the
 * largest median interval of a column), coarsened to WL_GRID_MAX_BINS when
 * not asked, or always with bounded (memory held: the streaming report),
 * noted; t0, nbins, each column's name and unit, g->v zeroed.  off has one
 * entry per channel of ds.  0; 1 with err when there is no grid to make
 * (nothing to resample, a span not finite, more than 4e8 cells); -1 with
 * err (out of memory). */
int wl_grid_plan(const struct wl_dataset *ds, struct wl_grid_offer *off, double a, double b,
		 const struct wl_analysis_opts *o, int bounded, struct wl_grid *g,
		 struct wl_error *err);

/* A channel with fewer samples than 1/WL_SPARSE_RATIO of the densest able
 * channel's is sparse: it neither sets the default grid nor becomes a
 * column (3 values in 3000 rows would make every r one of 3 bins); the
 * grid's note names it. */
#define WL_SPARSE_RATIO 100
void wl_grid_release(struct wl_grid *g);

struct wl_pair {
	size_t a, b; /* indices into wl_correlation.metrics */
	double r;
};

struct wl_correlation {
	size_t n;            /* metrics kept */
	char (*metrics)[96];
	double *r;           /* n x n, row-major, NaN where < 3 complete rows */
	char **excluded;     /* "name: constant" / "name: 63% empty bins" */
	size_t nexcluded;
	struct wl_pair *top_pos, *top_neg;
	size_t ntop_pos, ntop_neg;
	double step_s;
	size_t nbins;
};

/* Pearson r = sum (x-mx)(y-my) / sqrt(sum (x-mx)^2 sum (y-my)^2) over the
 * rows where both metrics are present: gsl_stats_correlation for a pair with
 * empty bins; for two complete columns the same formula as a dot product of
 * the columns centred and scaled once (faster, same value).  Constant
 * columns (max - min <= 1e-9 max(|min|, |max|)) and those with more than
 * half their bins empty are excluded and named.  Top pairs: the o->top
 * (default 5) largest r > 0 and smallest r < 0; with o->exclude_identical,
 * pairs whose resampled series are equal bin for bin are left out. */
int wl_correlation_compute(const struct wl_grid *g, const struct wl_analysis_opts *o,
			   struct wl_correlation *c, struct wl_error *err);
void wl_correlation_release(struct wl_correlation *c);

/*
 * Pearson r over the rows of a single-rate input (every metric at every
 * instant: the rows of a one-GPU AIMeter log), in one pass and memory of
 * ncols^2: each row x is pushed once, centred on centre[] (the metrics'
 * means from a first pass, for accuracy; any finite value is correct), and
 *   r = (Sxy - Sx Sy / n) / sqrt((Sxx - Sx^2 / n) (Syy - Sy^2 / n))
 * over the centred sums, the same Pearson formula as wl_correlation_compute
 * over rows instead of grid bins (no bin, so no coarsening with length).
 * finish fills c as wl_correlation_compute does (metric names from
 * g->name[col], constant columns excluded by the same rule; with
 * o->exclude_identical, pairs equal on every row leave the top lists);
 * c->nbins is the number of rows and c->step_s NaN (no grid).
 */
#define WL_CORR_ROWS_PEND 4 /* rows gathered before they are added into q */
struct wl_corr_rows {
	size_t ncols, n;
	double *c, *s, *d;    /* centre, sum (x - c), the pending rows' x - c */
	size_t nd;            /* rows in d not yet added into q (at most 4) */
	double *lo, *hi;
	double *q;            /* ncols x ncols, upper triangle: sum (x - c)(y - c) */
	unsigned char *same;  /* ncols x ncols: equal on every row so far, or NULL */
};
int wl_corr_rows_init(struct wl_corr_rows *a, size_t ncols, const double *centre,
		      int track_identical);
void wl_corr_rows_push(struct wl_corr_rows *a, const double *x);
int wl_corr_rows_finish(struct wl_corr_rows *a, const struct wl_grid *g,
			const struct wl_analysis_opts *o, struct wl_correlation *c,
			struct wl_error *err);
void wl_corr_rows_release(struct wl_corr_rows *a);

/*
 * The correlation stage of a loaded dataset (correlate.c), the one rule of
 * the loaded and the streamed report: Pearson r over the rows of a
 * single-rate input (every column's readings at the same instants inside
 * the grid's window, none missing, at least 3: the rows pandas reads; then
 * c->step_s is NaN and c->nbins the rows), else over the bins of the grid
 * (wl_correlation_compute).  Fills g (the grid also serves the resampled
 * table) and c.  0; 1 with err when there is no grid (nothing to
 * resample); -1 with err.
 */
int wl_correlate(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		 struct wl_grid *g, struct wl_correlation *c, struct wl_error *err);

/* ---- efficiency (src/analyze/stages/efficiency.c, metajson.c) -------------------- */

/* Workload figures; NaN = not given. */
struct wl_workload {
	double tokens, input_tokens, output_tokens, requests;
	double flops, peak_flops; /* FLOPs done; peak FLOP/s of the hardware */
};

void wl_workload_init(struct wl_workload *w);

/* Reads meta.json in the directory of trace_path, if any, into the fields
 * of w still NaN (keys: tokens, input_tokens, output_tokens, requests,
 * flops, peak_flops).  0 (also when there is no meta.json) or -1 with err
 * on a malformed file.  *found set to 1 when a file was read. */
int wl_metajson_read(const char *trace_path, struct wl_workload *w, int *found,
		     struct wl_error *err);

/* Every top-level key of dir/meta.json whose value is a string, number or
 * boolean, as text (json-c's rendering: 8, 8.5, true, the string itself),
 * passed to fn(ctx, key, value) in file order; objects, arrays and null
 * are skipped.  A non-zero return of fn stops the walk and fails.  0 (also
 * without meta.json; *found tells) or -1 with err on a malformed file. */
#define WL_METAJSON_KEYS 1
int wl_metajson_keys(const char *dir, int (*fn)(void *ctx, const char *key, const char *value),
		     void *ctx, int *found, struct wl_error *err);

struct wl_efficiency {
	double tokens;          /* output tokens if given, else tokens */
	double tokens_per_j, j_per_token, g_per_token, tokens_per_s, tokens_per_s_per_w;
	double j_per_request, mfu;
};

/* From energy (J), duration (s), carbon (g, NaN if unknown).  Every field
 * NaN where its inputs are missing. */
void wl_efficiency_compute(const struct wl_workload *w, double energy_j, double duration_s,
			   double carbon_g, struct wl_efficiency *e);

#endif
