/*
 * fit.c - the fitted power models (fit.h): their lifecycle and evaluation,
 * the linear fit by ordinary least squares (GSL multifit_linear_tsvd, so a
 * rank-deficient design is refused, not solved to a meaningless minimum
 * norm), confidence intervals from the t quantile, and the diagnostics
 * every fit reports.  The power law is fitted in fit_powerlaw.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "wattlog/analysis.h"
#include "wattlog/fit.h"
#include "wattlog/simulate.h"
#include "fit_int.h"

void wl_fit_model_init(struct wl_fit_model *m)
{
	memset(m, 0, sizeof(*m));
	m->x_sat = NAN;
	m->r2 = m->rmse_w = m->acf1 = NAN;
}

void wl_fit_model_release(struct wl_fit_model *m)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	wl_fit_model_init(m);
}

int wl_fit_model_add_file(struct wl_fit_model *m, const char *path)
{
	char **f = realloc(m->files, (m->nfiles + 1) * sizeof(*f));

	if (!f)
		return -1;
	m->files = f;
	if (!(f[m->nfiles] = strdup(path)))
		return -1;
	m->nfiles++;
	return 0;
}

double wl_fit_eval(const struct wl_fit_model *m, const double *x)
{
	double p = m->p[0].value;
	size_t i;

	if (m->kind == WL_FIT_POWER_LAW) {
		struct wl_sim_gpu g = { "fit", m->p[0].value, m->p[1].value, 0 };

		return wl_sim_power_w(&g, x[0], m->x_sat, m->p[2].value);
	}
	for (i = 0; i < m->nx; i++)
		p += m->p[i + 1].value * x[i];
	return p;
}

double wl_fit_tquantile(double p, double dof)
{
	wl_gsl_init();
	return gsl_cdf_tdist_Pinv(p, dof);
}

void wl_fit_diagnostics(const struct wl_fit_data *d, struct wl_fit_model *m)
{
	double mean = 0, rss = 0, tss = 0, lag = 0, prev = NAN;
	size_t i;

	for (i = 0; i < d->n; i++)
		mean += d->y[i];
	mean /= (double)d->n;
	for (i = 0; i < d->n; i++) {
		double e = d->y[i] - wl_fit_eval(m, d->x + i * d->nx);

		rss += e * e;
		tss += (d->y[i] - mean) * (d->y[i] - mean);
		if (i && d->cont[i])
			lag += e * prev;
		prev = e;
	}
	m->n = d->n;
	m->r2 = tss > 0 ? 1 - rss / tss : NAN;
	m->rmse_w = sqrt(rss / (double)d->n);
	m->acf1 = rss > 0 ? lag / rss : NAN;
}

/* value +- t(0.975, dof) se */
static void set_ci(struct wl_fit_param *p, double se, double t)
{
	p->se = se;
	p->ci_lo = p->value - t * se;
	p->ci_hi = p->value + t * se;
}

/* se_j = sqrt(cov[j][j]) (cov np x np row-major, already scaled by s^2),
 * CI = value +- t(0.975, dof) se. */
static void set_cis(struct wl_fit_model *m, const double *cov, double dof)
{
	double t = wl_fit_tquantile(0.975, dof);
	size_t j;

	for (j = 0; j < m->np; j++)
		set_ci(&m->p[j], sqrt(cov[j * m->np + j]), t);
}

static int fit_linear(const struct wl_fit_data *d, struct wl_fit_model *m, struct wl_error *err)
{
	size_t p = d->nx + 1, i, j, rank = 0;
	gsl_matrix *X = gsl_matrix_alloc(d->n, p), *cov = gsl_matrix_alloc(p, p);
	gsl_vector *c = gsl_vector_alloc(p);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(d->n, p);
	gsl_vector_const_view y = gsl_vector_const_view_array(d->y, d->n);
	double chisq = 0, *cv = malloc(p * p * sizeof(*cv));
	int rc = -1, st;

	if (!X || !cov || !c || !w || !cv) {
		wl_error_set(err, "out of memory fitting %zu rows", d->n);
		goto out;
	}
	for (i = 0; i < d->n; i++) {
		gsl_matrix_set(X, i, 0, 1.0);
		for (j = 0; j < d->nx; j++)
			gsl_matrix_set(X, i, j + 1, d->x[i * d->nx + j]);
	}
	/* Singular values below 1e-10 of the largest (after GSL's column
	 * balancing) are rank deficiency: a constant metric or one that is a
	 * combination of the others. */
	st = gsl_multifit_linear_tsvd(X, &y.vector, 1e-10, c, cov, &chisq, &rank, w);
	if (st) {
		wl_error_set(err, "linear fit failed: %s", gsl_strerror(st));
		goto out;
	}
	if (rank < p) {
		wl_error_set(err, "cannot fit the linear model: its %zu metrics are constant or "
			     "linearly dependent in the rows fitted (rank %zu of %zu); leave one out",
			     d->nx, rank, p);
		goto out;
	}
	m->np = p;
	snprintf(m->p[0].name, sizeof(m->p[0].name), "a");
	m->p[0].value = gsl_vector_get(c, 0);
	for (j = 0; j < d->nx; j++) {
		snprintf(m->p[j + 1].name, sizeof(m->p[j + 1].name), "b %s", m->x[j]);
		m->p[j + 1].value = gsl_vector_get(c, j + 1);
	}
	/* GSL's cov is s^2 (X'X)^-1 with s^2 = chisq / (n - p). */
	for (i = 0; i < p; i++)
		for (j = 0; j < p; j++)
			cv[i * p + j] = gsl_matrix_get(cov, i, j);
	set_cis(m, cv, (double)(d->n - p));
	rc = 0;
out:
	free(cv);
	gsl_multifit_linear_free(w);
	gsl_vector_free(c);
	gsl_matrix_free(cov);
	gsl_matrix_free(X);
	return rc;
}

static int fit_powerlaw(const struct wl_fit_data *d, struct wl_fit_model *m,
			struct wl_error *err)
{
	static const char *const names[3] = { "p_idle_w", "p_max_w", "gamma" };
	double th[3], cov[9];
	size_t j;

	if (wl_fit_powerlaw_run(d, m->x_sat, th, cov, err) < 0)
		return -1;
	m->np = 3;
	for (j = 0; j < 3; j++) {
		snprintf(m->p[j].name, sizeof(m->p[j].name), "%s", names[j]);
		m->p[j].value = th[j];
	}
	set_cis(m, cov, (double)(d->n - 3));
	return 0;
}

int wl_fit_run(const struct wl_fit_data *d, struct wl_fit_model *m, struct wl_error *err)
{
	size_t np = m->kind == WL_FIT_POWER_LAW ? 3 : d->nx + 1;

	wl_gsl_init();
	if (d->nx != m->nx || !d->nx || (m->kind == WL_FIT_POWER_LAW && d->nx != 1))
		return wl_error_set(err, "cannot fit: the power law takes one metric, the linear "
				    "model 1 to %d", WL_FIT_MAX_X);
	if (d->n < np + 1)
		return wl_error_set(err, "cannot fit %zu parameters on %zu paired samples (at "
				    "least %zu)", np, d->n, np + 1);
	if ((m->kind == WL_FIT_POWER_LAW ? fit_powerlaw(d, m, err)
	     : fit_linear(d, m, err)) < 0)
		return -1;
	wl_fit_diagnostics(d, m);
	return 0;
}
