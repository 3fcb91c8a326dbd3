/*
 * compare.h - `wattlog compare`: experiment folders side by side
 * (src/analyze/pipeline/compare*.c, src/render/compare_*.c, fig_compare.c).
 *
 * A folder holds one or more runs (a wattlog trace or any log wl_ingest
 * reads) and an optional meta.json.  The runs of one folder are repeats of
 * the same experiment: every column of the table is their mean, sample
 * standard deviation and 95 % confidence interval.  Rows are folders, or
 * with --by KEY the values of a key (the runs of every folder with that
 * value pooled).
 *
 * Definitions (per run; the meta.json keys describe EACH run of its folder):
 *   duration_s      last - first sample time of the run
 *   energy_j        total energy (components that count in the total),
 *                   as `wattlog report`; energy_<comp>_j per component
 *   avg_power_w     energy_j / duration_s
 *   peak_power_w    max of the total power series (wl_power_total)
 *   phase_<label>_j energy of the phases with that label (summed)
 *   tokens          output_tokens, else tokens (meta.json)
 *   tokens_per_j    tokens / energy_j;  j_per_token = energy_j / tokens
 *   carbon_g        with an intensity: sum over components of E x I x PUE
 *   g_per_token     carbon_g / tokens
 *   tps_per_w       (tokens / duration_s) / avg_power_w
 *   tps_per_user    tokens / duration_s / requests (requests from
 *                   meta.json; without it the run is one user: / 1)
 *
 * Statistics over the n runs of a row x_1..x_n (runs where a column is
 * absent are left out of that column):
 *   mean m = sum x_i / n;  sd s = sqrt(sum (x_i - m)^2 / (n - 1));
 *   se = s / sqrt(n);  95 % CI = m +- t(0.975, n - 1) se (Student t, the
 *   quantile by gsl_cdf_tdist_Pinv).  n = 1: sd, se and CI absent (NaN).
 * Ratio to the baseline row b for each column: r = m_a / m_b with the
 * first-order (delta-method) standard error
 *   s_r = |r| sqrt((se_a / m_a)^2 + (se_b / m_b)^2)
 * (independent rows; an absent se counts as 0).  Absent values are NaN.
 */
#ifndef WATTLOG_COMPARE_H
#define WATTLOG_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "wattlog/analysis.h"
#include "wattlog/error.h"
#include "wattlog/ingest.h"
#include "wattlog/plot.h"

/* ---- statistics (compare_stats.c) ----------------------------------------- */

struct wl_cmp_stat {
	size_t n;     /* finite values used */
	double mean;  /* NaN when n == 0 */
	double sd;    /* sample standard deviation (n - 1), NaN when n < 2 */
	double se;    /* sd / sqrt(n) */
	double ci;    /* half-width of the 95 % CI: t(0.975, n-1) x se */
};

/* Stats of the finite values among x[0..n) (NaN skipped). */
void wl_cmp_stat_compute(const double *x, size_t n, struct wl_cmp_stat *s);
/* The Student t quantile t(p, df) (gsl_cdf_tdist_Pinv); NaN for df < 1. */
double wl_cmp_t_quantile(double p, double df);
/* r = a.mean / b.mean and its delta-method standard error (see above).
 * *r and *se NaN when either mean is absent or b.mean == 0. */
void wl_cmp_ratio(const struct wl_cmp_stat *a, const struct wl_cmp_stat *b, double *r,
		  double *se);

/* ---- folders (compare_scan.c) --------------------------------------------- */

struct wl_cmp_kv {
	char key[64];
	char value[128];
};

/* Files of dir that hold runs: regular files (symbolic links followed),
 * not hidden, not meta.json, whose format wl_ingest_detect recognises, in
 * name order.  *files is a malloc'd array of malloc'd paths "dir/name"
 * (free each, then the array).  0, or -1 with err (cannot open dir, no
 * run in it). */
int wl_cmp_scan(const char *dir, char ***files, size_t *n, struct wl_error *err);

/* Keys from a folder's base name by a pattern such as "bs{batch_size}" or
 * "{model}-bs{batch_size}": literal text must match exactly, each {KEY}
 * takes the shortest text up to the next literal (the last one, the rest of
 * the name).  Appends the keys to kv (capacity cap, count *n; a key already
 * present is replaced).  1 when the name matches, 0 when not (kv left as it
 * was), -1 with err on a malformed pattern. */
int wl_cmp_name_keys(const char *pattern, const char *name, struct wl_cmp_kv *kv, size_t cap,
		     size_t *n, struct wl_error *err);

/* Sets key to value in kv (replacing an earlier value).  0, or -1 when
 * full. */
int wl_cmp_kv_set(struct wl_cmp_kv *kv, size_t cap, size_t *n, const char *key,
		  const char *value);
const char *wl_cmp_kv_get(const struct wl_cmp_kv *kv, size_t n, const char *key);

/* ---- one run (compare_run.c) ---------------------------------------------- */

#define WL_CMP_MAX_KV 32
#define WL_CMP_MAX_VALS 64

/* Column groups, in the order of the table. */
enum wl_cmp_group {
	WL_CMP_G_TIME = 0, WL_CMP_G_ENERGY, WL_CMP_G_COMP, WL_CMP_G_POWER, WL_CMP_G_PHASE,
	WL_CMP_G_EFF, WL_CMP_G_CARBON,
};

struct wl_cmp_val {
	char name[48];  /* "energy_j", "energy_gpu0_j", "phase_decode_j", ... */
	char unit[16];  /* "J", "W", "s", "tokens/J", ... */
	int group;      /* enum wl_cmp_group */
	double v;
};

struct wl_cmp_run {
	char *path;
	struct wl_cmp_val val[WL_CMP_MAX_VALS];
	size_t nval;
	/* With keep_power: the total power (W) at t (s since the run's first
	 * sample), at most WL_CMP_TRACE_MAX points (decimated by averaging). */
	double *pt, *pw;
	size_t npw;
	double align_s; /* time of the alignment marker (s since the first
			   sample), NaN when none / not asked */
};

#define WL_CMP_TRACE_MAX 2000

struct wl_cmp_folder;

struct wl_cmp_opts {
	struct wl_ingest_opts in;
	struct wl_analysis_opts an;
	int phases;                   /* 1: per-phase energy (markers, else auto) */
	int keep_power;               /* 1: keep the power trace (overlay) */
	const char *align_marker;     /* align at the first marker whose text
					 contains this; NULL = at start */
	/* carbon: intensity (NULL = none), PUE (>= 1) */
	const struct wl_intensity *intensity;
	double pue;
	const char *name_pattern;     /* NULL = none */
	unsigned jobs;                /* threads; 0 = all cores */
	/* Called after each folder, from the thread that did it (calls may
	 * overlap): done folders of n, the folder just done.  NULL = none. */
	void (*progress)(void *ctx, size_t done, size_t n, const struct wl_cmp_folder *f);
	void *progress_ctx;
};

void wl_cmp_opts_init(struct wl_cmp_opts *o);

/* Value of column name in a run, NaN when absent. */
double wl_cmp_run_get(const struct wl_cmp_run *r, const char *name);

/* Summarises one run file: ingest -> energy -> phases -> carbon ->
 * efficiency from w (the folder's workload, NaN = unknown).  0, or -1 with
 * err.  Release with wl_cmp_run_release. */
int wl_cmp_run_file(const char *path, const struct wl_cmp_opts *o,
		    const struct wl_workload *w, struct wl_cmp_run *r, struct wl_error *err);
void wl_cmp_run_release(struct wl_cmp_run *r);

/* ---- folders in parallel (compare_pool.c) --------------------------------- */

struct wl_cmp_folder {
	char *dir;          /* as given */
	char *name;         /* its base name */
	struct wl_cmp_kv kv[WL_CMP_MAX_KV]; /* meta.json and --name-pattern keys */
	size_t nkv;
	struct wl_cmp_run *run;
	size_t nrun;
	char err[WL_ERROR_MAX]; /* "" = ok; else why the folder was skipped */
};

/* Fills f[i].run for every folder dirs[i] (f[] allocated by the caller,
 * n entries) with o->jobs threads taking folders from a shared queue.
 * A folder in which a file fails is skipped as a whole: f[i].err says why
 * and f[i].nrun is 0.  Before the threads start it turns GSL's abort
 * handler off.  Returns the number of failed
 * folders, or -1 with err (out of memory, no thread). */
long wl_cmp_run_folders(const char *const *dirs, size_t n, const struct wl_cmp_opts *o,
			struct wl_cmp_folder *f, struct wl_error *err);
void wl_cmp_folder_release(struct wl_cmp_folder *f);

/* ---- the table (compare.c) ------------------------------------------------- */

struct wl_cmp_col {
	char name[48];
	char unit[16];
	int group;
};

struct wl_cmp_row {
	char label[160];               /* folder name, or "KEY=value" */
	const struct wl_cmp_folder **f; /* the folders pooled in the row */
	size_t nf;
	size_t nruns;
	struct wl_cmp_kv kv[WL_CMP_MAX_KV]; /* keys equal in every folder */
	size_t nkv;
	struct wl_cmp_stat *st;        /* [ncol] */
	double *ratio, *ratio_se;      /* [ncol], to the baseline; NaN */
};

struct wl_cmp_table {
	struct wl_cmp_col *col;
	size_t ncol;
	struct wl_cmp_row *row;
	size_t nrow;
	long baseline;                 /* row index, -1 = none */
	const char *by;                /* --by key, NULL = per folder */
};

/* Builds the table from the folders that did not fail: one row per folder
 * (by NULL) or per value of key `by` (folders without it form the row
 * "KEY=?"); baseline (NULL = none) names a folder (as given, or its base
 * name) or, with by, a value of the key; sort_key (NULL = the order given;
 * with by, by value, numerically when every value is a number) is a column
 * or a key, "-KEY" for descending.  0, or -1 with err (unknown baseline or
 * sort key, no folder left). */
int wl_cmp_table_build(const struct wl_cmp_folder *f, size_t n, const char *by,
		       const char *baseline, const char *sort_key, struct wl_cmp_table *t,
		       struct wl_error *err);
void wl_cmp_table_release(struct wl_cmp_table *t);
/* Index of column name, -1 when absent. */
long wl_cmp_col_find(const struct wl_cmp_table *t, const char *name);
/* A row's key as a number (NaN when absent or not a number). */
double wl_cmp_row_key_num(const struct wl_cmp_row *r, const char *key);

/* ---- rendering (compare_text.c, compare_json.c, fig_compare.c) ------------ */

/* text / markdown: cells "mean ± CI95" (one run: the value); a column
 * absent in every row is left out; ratios of the columns in ratio_cols
 * (comma-separated; NULL = energy_j, and j_per_token when present).
 * csv: every column's n, mean, sd, se, ci95, ratio, ratio_se. */
int wl_cmp_text(FILE *fp, const struct wl_cmp_table *t, const char *ratio_cols, int markdown,
		struct wl_error *err);
int wl_cmp_csv(FILE *fp, const struct wl_cmp_table *t, struct wl_error *err);
/* JSON: { "baseline", "by", "columns", "rows", "failed", "method" }. */
int wl_cmp_json(FILE *fp, const struct wl_cmp_table *t, const struct wl_cmp_folder *f,
		size_t nf, struct wl_error *err);


/* Figures (fig_compare.c), each through plot.h:
 *   bars    one bar per row: the mean of column col with its 95 % CI as an
 *           error bar (the baseline row's bar grey)
 *   sweep   column y against the numeric key x, one line per value of key
 *           series (NULL = one line), 95 % CI error bars; log10 axes on
 *           request (non-positive values are then left out)
 *   pareto  tps_per_user (x) against tokens_per_j (y), one point per row
 *           with its 95 % CI in x and y and its label, the points of the
 *           Pareto front (no other point is better in both) highlighted and
 *           joined by a dashed line
 *   overlay the total power of every run, one colour per row, t = 0 at the
 *           run's start or at its alignment marker
 * 0, or -1 with err (a column or key that no row has, nothing to draw). */
int wl_cmp_fig_bars(const struct wl_cmp_table *t, const char *col, const struct wl_plot_opts *o,
		    const char *path, struct wl_error *err);
int wl_cmp_fig_sweep(const struct wl_cmp_table *t, const char *x, const char *y,
		     const char *series, int logx, int logy, const struct wl_plot_opts *o,
		     const char *path, struct wl_error *err);
int wl_cmp_fig_pareto(const struct wl_cmp_table *t, const struct wl_plot_opts *o,
		      const char *path, struct wl_error *err);
int wl_cmp_fig_overlay(const struct wl_cmp_table *t, const struct wl_plot_opts *o,
		       const char *path, struct wl_error *err);

struct wl_cmp_plot_opts {
	const char *bars;      /* comma-separated columns; NULL = energy_j,
				  avg_power_w and j_per_token when present */
	const char *x, *y;     /* sweep; NULL = batch_size / j_per_token (else
				  energy_j) */
	const char *series;
	int logx, logy;
	struct wl_fig_look look; /* style -1: PNG screen, PDF paper; width, labels,
				    title, font of every figure */
};

/* The figures above into dir (created), each as compare-NAME.png (screen)
 * and .pdf (paper): bars-COL, sweep (when every row has a numeric x),
 * pareto (when tokens are known), power (when the power traces were kept).
 * A figure the data cannot make is skipped with a line on stderr; a file
 * that cannot be written is an error.  0 or -1 with err. */
int wl_cmp_plots(const struct wl_cmp_table *t, const struct wl_cmp_plot_opts *po,
		 const char *dir, struct wl_error *err);

#endif
