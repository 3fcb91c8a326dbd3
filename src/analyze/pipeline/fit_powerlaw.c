/*
 * fit_powerlaw.c - P = P_idle + (P_max - P_idle) min(1, x / x_sat)^gamma by
 * nonlinear least squares: GSL multifit_nlinear, trust region with
 * Levenberg-Marquardt steps, analytic Jacobian.  With u = min(1, x/x_sat),
 * g = u^gamma (0 at u = 0):
 *     dP/dP_idle = 1 - g,  dP/dP_max = g,
 *     dP/dgamma  = (P_max - P_idle) g ln u   (0 at u = 0 and u = 1)
 * Covariance s^2 (J'J)^-1 at the solution, s^2 = RSS / (n - 3).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>

#include "fit_int.h"

struct pl_data {
	const struct wl_fit_data *d;
	double x_sat;
};

static double ratio(double x, double x_sat)
{
	return x <= 0 ? 0 : x >= x_sat ? 1 : x / x_sat;
}

/* gamma is kept positive inside the model: a trial step past 0 reads as
 * a tiny gamma, so u^gamma stays finite at u = 0. */
static double pos(double g)
{
	return g > 1e-6 ? g : 1e-6;
}

/* The residuals model - y into f and the Jacobian into J, each when not
 * NULL. */
static void walk(const gsl_vector *th, const struct pl_data *pd, gsl_vector *f, gsl_matrix *J)
{
	double pi = gsl_vector_get(th, 0), pm = gsl_vector_get(th, 1);
	double ga = pos(gsl_vector_get(th, 2));
	size_t i;

	for (i = 0; i < pd->d->n; i++) {
		double u = ratio(pd->d->x[i], pd->x_sat), g = u > 0 ? pow(u, ga) : 0;

		if (f)
			gsl_vector_set(f, i, pi + (pm - pi) * g - pd->d->y[i]);
		if (J) {
			gsl_matrix_set(J, i, 0, 1 - g);
			gsl_matrix_set(J, i, 1, g);
			gsl_matrix_set(J, i, 2, u > 0 && u < 1 ? (pm - pi) * g * log(u) : 0);
		}
	}
}

static int pl_f(const gsl_vector *th, void *ctx, gsl_vector *f)
{
	walk(th, ctx, f, NULL);
	return GSL_SUCCESS;
}

static int pl_df(const gsl_vector *th, void *ctx, gsl_matrix *J)
{
	walk(th, ctx, NULL, J);
	return GSL_SUCCESS;
}

/* Start: P_idle the mean power of the rows at the lowest tenth of x's
 * range, P_max of those at the highest tenth, gamma 1. */
static void start(const struct wl_fit_data *d, double x_sat, double *th)
{
	double lo = INFINITY, hi = -INFINITY, s0 = 0, s1 = 0;
	size_t i, n0 = 0, n1 = 0;

	for (i = 0; i < d->n; i++) {
		double u = ratio(d->x[i], x_sat);

		lo = fmin(lo, u);
		hi = fmax(hi, u);
	}
	for (i = 0; i < d->n; i++) {
		double u = ratio(d->x[i], x_sat);

		if (u <= lo + 0.1 * (hi - lo))
			s0 += d->y[i], n0++;
		if (u >= hi - 0.1 * (hi - lo))
			s1 += d->y[i], n1++;
	}
	th[0] = n0 ? s0 / (double)n0 : 0;
	th[1] = n1 ? s1 / (double)n1 : th[0] + 1;
	th[2] = 1;
}

static int stationary(gsl_multifit_nlinear_workspace *w)
{
	gsl_matrix *J = gsl_multifit_nlinear_jac(w);
	gsl_vector *f = gsl_multifit_nlinear_residual(w);
	double g[3], jn = 0, fn = gsl_blas_dnrm2(f);
	gsl_vector_view gv = gsl_vector_view_array(g, 3);
	size_t i, j;

	if (gsl_blas_dgemv(CblasTrans, 1.0, J, f, 0.0, &gv.vector))
		return 0;
	for (i = 0; i < J->size1; i++)
		for (j = 0; j < J->size2; j++)
			jn += gsl_matrix_get(J, i, j) * gsl_matrix_get(J, i, j);
	return gsl_blas_dnrm2(&gv.vector) <= 1e-6 * sqrt(jn) * fn;
}

int wl_fit_powerlaw_run(const struct wl_fit_data *d, double x_sat, double *theta, double *cv,
			struct wl_error *err)
{
	const gsl_multifit_nlinear_type *T = gsl_multifit_nlinear_trust;
	gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_workspace *w = NULL;
	gsl_multifit_nlinear_fdf fdf;
	struct pl_data pd = { d, x_sat };
	gsl_matrix *cov = gsl_matrix_alloc(3, 3);
	double th0[3], chisq;
	gsl_vector_view v0 = gsl_vector_view_array(th0, 3);
	size_t j, inside = 0;
	char why[160];
	int info = 0, st, rc = -1;

	if (!(x_sat > 0))
		return wl_error_set(err, "cannot fit the power law: x_sat must be > 0");
	start(d, x_sat, th0);
	for (j = 0; j < d->n; j++)
		inside += d->x[j] > 0 && d->x[j] < x_sat;
	snprintf(why, sizeof(why), "gamma is set by the samples with x between 0 and x_sat "
		 "(%g), %zu of %zu here; another metric or --x-sat may carry it", x_sat, inside,
		 d->n);
	if (inside < 3) {
		rc = wl_error_set(err, "cannot fit the power law: %s", why);
		goto out;
	}
	memset(&fdf, 0, sizeof(fdf));
	fdf.f = pl_f;
	fdf.df = pl_df;
	fdf.n = d->n;
	fdf.p = 3;
	fdf.params = &pd;
	par.trs = gsl_multifit_nlinear_trs_lm;
	par.scale = gsl_multifit_nlinear_scale_more;
	if (!cov || !(w = gsl_multifit_nlinear_alloc(T, &par, d->n, 3))) {
		wl_error_set(err, "out of memory fitting %zu rows", d->n);
		goto out;
	}
	gsl_multifit_nlinear_init(&v0.vector, &fdf, w);
	st = gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 0.0, NULL, NULL, &info, w);
	/* GSL_ENOPROG: no step lowers the cost any more, which an exact fit of
	 * noiseless data reaches before the tolerances.  The point is taken
	 * as the minimum when the gradient J'f there is negligible:
	 * |J'f| <= 1e-6 |J|_F |f| (the cosine between f and J's columns). */
	if (st == GSL_ENOPROG && stationary(w))
		st = GSL_SUCCESS;
	if (st) {
		wl_error_set(err, "the power-law fit did not converge: %s; %s", gsl_strerror(st),
			     why);
		goto out;
	}
	gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov);
	chisq = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(w));
	chisq *= chisq;
	for (j = 0; j < 3; j++)
		theta[j] = gsl_vector_get(gsl_multifit_nlinear_position(w), j);
	if (!(theta[2] > 0)) {
		wl_error_set(err, "the power-law fit found gamma = %g (not > 0): %s", theta[2],
			     why);
		goto out;
	}
	for (j = 0; j < 9; j++)
		cv[j] = cov->data[j / 3 * cov->tda + j % 3] * chisq / (double)(d->n - 3);
	rc = 0;
out:
	gsl_multifit_nlinear_free(w);
	gsl_matrix_free(cov);
	return rc;
}
