/*
 * fit.h - power models fitted to measurements (`wattlog fit`), and their
 * predictions (src/analyze/pipeline/fit*.c).
 *
 * Models of a GPU's power P (W) from activity metrics x:
 *   power-law  P = P_idle + (P_max - P_idle) * min(1, x / x_sat)^gamma
 *              on one metric, x_sat fixed (not identifiable beside P_max),
 *              P_idle, P_max, gamma fitted by nonlinear least squares
 *              (GSL multifit_nlinear, trust region, Levenberg-Marquardt);
 *              the model of Oezcan et al. that `wattlog simulate` draws
 *              from (wl_sim_power_w evaluates it for both).
 *   linear     P = a + sum_i b_i x_i (GSL multifit_linear, ordinary least
 *              squares).
 * A metric in % enters the power law as a ratio (x / 100), so that x_sat
 * is a ratio whatever the metric; the linear model keeps each metric's unit.
 *
 * Confidence intervals: value +- t(0.975, n - p) * se, se from the
 * covariance sigma^2 (J'J)^-1 (nonlinear: J at the solution), sigma^2 =
 * RSS / (n - p).  They assume independent errors: with residuals
 * autocorrelated (acf1 well above 0), as consecutive samples of a real
 * trace are, they are too narrow.
 *
 * Samples are paired on the common grid of the correlation (wl_resample):
 * a row is a grid bin in which the power metric and every x have a value;
 * bins without one of them (gaps) are no row.
 */
#ifndef WATTLOG_FIT_H
#define WATTLOG_FIT_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/phases.h"

#define WL_FIT_MAX_X 8
#define WL_FIT_X_SAT_DEFAULT 0.45

enum wl_fit_kind { WL_FIT_POWER_LAW = 0, WL_FIT_LINEAR = 1 };

struct wl_fit_param {
	char name[112];  /* "p_idle_w", "p_max_w", "gamma"; "a", "b sm_active" */
	double value, se, ci_lo, ci_hi; /* ci: 95 % */
};

/* A fitted model: what the model file holds (fit_model.c). */
struct wl_fit_model {
	enum wl_fit_kind kind;
	size_t nx;
	char x[WL_FIT_MAX_X][96];       /* metrics as named on the grid, e.g.
					   "sm_active gpu0" */
	char x_unit[WL_FIT_MAX_X][16];
	double x_scale[WL_FIT_MAX_X];   /* factor from the metric's unit to the
					   model's x (0.01 for % in the power law) */
	char power[96];                 /* the measured power metric */
	double x_sat;                   /* power law; NaN for linear */
	size_t np;
	struct wl_fit_param p[WL_FIT_MAX_X + 1];
	size_t n;                       /* rows fitted */
	double r2, rmse_w, acf1;        /* acf1: lag-1 autocorrelation of the
					   residuals of consecutive bins */
	double grid_s;                  /* grid step of the first file */
	char gpu[128];                  /* gpuN.name of the first file, "" */
	char phases[128];               /* labels fitted on, "" = all */
	char **files;                   /* files fitted on (malloc'd) */
	size_t nfiles;
};

void wl_fit_model_init(struct wl_fit_model *m);
void wl_fit_model_release(struct wl_fit_model *m);
/* Appends a copy of path to m->files.  0 or -1 (out of memory). */
int wl_fit_model_add_file(struct wl_fit_model *m, const char *path);

/* Power at one row of model x (already scaled by x_scale). */
double wl_fit_eval(const struct wl_fit_model *m, const double *x);

/* Paired rows: x row-major (n x nx, model units), y (W), t (bin centre, s
 * since the file's origin), cont[i] = 1 when row i is the grid bin right
 * after row i-1 in the same file (for the residuals' autocorrelation and
 * for gaps in predicted series). */
struct wl_fit_data {
	size_t n, cap, nx;
	double *x, *y, *t;
	unsigned char *cont;
	double step_s;
};

void wl_fit_data_init(struct wl_fit_data *d, size_t nx);
void wl_fit_data_release(struct wl_fit_data *d);
/* Appends src's rows to dst (same nx).  0 or -1 (out of memory). */
int wl_fit_data_append(struct wl_fit_data *dst, const struct wl_fit_data *src);

/* What to pair: the metrics (x[i] as the user named them: "sm_active", or
 * with the device "sm_active gpu0"), the power metric (NULL: the power
 * gauge of the only GPU), the phase labels to keep (comma-separated, NULL =
 * all bins), the grid step (0 = the correlation's default). */
struct wl_fit_spec {
	enum wl_fit_kind kind;
	const char *const *x;
	size_t nx;
	const char *power;
	const char *phases;
	double grid_s;
	double x_sat;
};

/*
 * The rows of one dataset (fit_data.c): resamples ds (wl_resample), finds
 * the power and x columns, keeps the bins inside a phase (wl_phases_find)
 * whose label is in spec->phases when given.  Fills m's metric names,
 * units and scales on the first call (m->nx == 0), and checks later files
 * against them; adds the assumptions it makes to m_notes via
 * wl_dataset_warn-style lines (notes may be NULL).  d is initialised by
 * the caller with nx = spec->nx.  0, or -1 with err naming the file and
 * the missing metric (or a file with no row).
 */
int wl_fit_data_from(const struct wl_dataset *ds, const struct wl_fit_spec *spec,
		     struct wl_fit_model *m, struct wl_dataset *notes, struct wl_fit_data *d,
		     struct wl_error *err);

/*
 * Fits m->kind to d (fit.c, fit_powerlaw.c; GSL): fills p, np, n, r2,
 * rmse_w, acf1.  m->nx, x names and x_sat must be set.  0, or -1 with err
 * (fewer rows than parameters + 1, a singular design, no convergence).
 */
int wl_fit_run(const struct wl_fit_data *d, struct wl_fit_model *m, struct wl_error *err);
/* The diagnostics of m on d: R^2 = 1 - RSS / TSS, RMSE = sqrt(RSS / n),
 * acf1 = sum e_i e_{i-1} (consecutive rows) / sum e_i^2. */
void wl_fit_diagnostics(const struct wl_fit_data *d, struct wl_fit_model *m);
/* The t quantile t(p, dof) (GSL's gsl_cdf_tdist_Pinv). */
double wl_fit_tquantile(double p, double dof);

/* ---- prediction (fit_predict.c) ----------------------------------------- */

struct wl_fit_energy {
	char label[64];        /* phase label; "" for the whole file */
	double start_s, end_s;
	double measured_j, predicted_j, error_pct; /* 100 (pred - meas) / meas */
};

struct wl_fit_prediction {
	char *path;
	struct wl_fit_energy total;  /* over every paired bin */
	struct wl_fit_energy *phase; /* per phase of wl_phases_find */
	size_t nphase;
	char phase_method[600];      /* or why there are no phases */
	double covered_s;            /* the window's length (s) */
	size_t nbins;                /* paired bins predicted */
	double rmse_w;
	/* The series (for figures): bins with a row, NaN between runs. */
	size_t n;
	double *t, *measured_w, *predicted_w;
};

/*
 * Predicts ds with m: rows as wl_fit_data_from (all bins), the measured
 * and predicted power as gauge series at the bin centres (a missing bin
 * breaks them: not bridged), energies by wl_series_energy (trapezoid) over
 * the file and over each phase window; error in %.  Phases that cannot be
 * found are no error: nphase 0 and phase_method says why.  0 or -1 with err.
 */
int wl_fit_predict(const struct wl_dataset *ds, const struct wl_fit_model *m,
		   struct wl_dataset *notes, struct wl_fit_prediction *p, struct wl_error *err);
void wl_fit_prediction_release(struct wl_fit_prediction *p);

/* ---- cross-validation (fit_cv.c) ----------------------------------------- */

/* K-fold by file: file i is held out in fold i % K; each fold's model is
 * fitted on the other files (their rows as spec chooses them, phases
 * included) and predicts the whole of each held-out file; the fold's error
 * is 100 (sum predicted - sum measured) / sum measured over its files. */
struct wl_fit_fold {
	size_t nfiles;
	double measured_j, predicted_j, error_pct;
};

struct wl_fit_cv {
	size_t k;
	struct wl_fit_fold *fold;
	double mean_abs_error_pct; /* mean over the folds of |error_pct| */
	double mean_error_pct;
};

/* proto: the model's kind and x_sat.  2 <= k <= nds.  0 or -1 with err
 * (naming the fold whose fit failed). */
int wl_fit_cv_run(const struct wl_dataset *ds, size_t nds, const struct wl_fit_spec *spec,
		  const struct wl_fit_model *proto, size_t k, struct wl_fit_cv *cv,
		  struct wl_error *err);
void wl_fit_cv_release(struct wl_fit_cv *cv);

/* ---- model file (fit_model.c, json-c) ------------------------------------ */

/* Writes m as JSON to path ("-" = stdout), with the assumptions made
 * fitting it (notes->warn, may be NULL) and the cross-validation (NULL =
 * none).  0 or -1 with err. */
int wl_fit_model_write(const struct wl_fit_model *m, const struct wl_dataset *notes,
		       const struct wl_fit_cv *cv, const char *path, struct wl_error *err);
/* Reads a model file into m (initialised).  -1 with err naming the file
 * and the key that is missing or malformed. */
int wl_fit_model_read(const char *path, struct wl_fit_model *m, struct wl_error *err);

#endif
