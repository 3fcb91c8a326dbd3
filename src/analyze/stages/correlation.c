/*
 * correlation.c - the Pearson matrix of the resampled metrics (GSL's
 * gsl_stats_correlation over the rows where both metrics have a value) and
 * the most positively and negatively correlated pairs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "wattlog/analysis.h"

void wl_correlation_release(struct wl_correlation *c)
{
	size_t i;

	for (i = 0; c->excluded && i < c->nexcluded; i++)
		free(c->excluded[i]);
	free(c->excluded);
	free(c->metrics);
	free(c->r);
	free(c->top_pos);
	free(c->top_neg);
	memset(c, 0, sizeof(*c));
}

/* Why a column is left out ("" if kept): > 50 % empty bins, or constant:
 * max - min <= 1e-9 max(|min|, |max|), so that a flat series carrying only
 * rounding noise (a counter's power at exactly 25 W) is not correlated. */
static int exclusion(const double *x, size_t n, char *why, size_t wsz)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t k, have = 0;

	for (k = 0; k < n; k++) {
		if (isnan(x[k]))
			continue;
		have++;
		if (x[k] < lo)
			lo = x[k];
		if (x[k] > hi)
			hi = x[k];
	}
	if (2 * have < n) {
		snprintf(why, wsz, "%.0f%% empty bins", 100.0 * (double)(n - have) / (double)n);
		return 1;
	}
	if (hi - lo <= 1e-9 * fmax(fabs(lo), fabs(hi))) {
		snprintf(why, wsz, "constant (%.6g)", lo);
		return 1;
	}
	return 0;
}

/* r over the rows where both x and y have values; NaN with < 3 such rows. */
static double pair_r(const double *x, const double *y, size_t n, double *bx, double *by)
{
	size_t k, m = 0;

	for (k = 0; k < n; k++) {
		if (isnan(x[k]) || isnan(y[k]))
			continue;
		bx[m] = x[k];
		by[m++] = y[k];
	}
	return m >= 3 ? gsl_stats_correlation(bx, 1, by, 1, m) : NAN;
}

/*
 * Columns without an empty bin: z = (x - mean) / sqrt(sum (x - mean)^2)
 * once per column, then r = sum z_x z_y for each pair: the same Pearson
 * formula as gsl_stats_correlation, in one multiply-add per row instead of
 * GSL's running update with divisions (the 30-metric, 200 000-bin case
 * would otherwise dominate the report).  z is NULL when sum (x-mean)^2 = 0.
 */
static double *standardize(const double *x, size_t n)
{
	double *z = malloc(n * sizeof(*z)), m = gsl_stats_mean(x, 1, n), ss = 0, f;
	size_t k;

	if (!z)
		return NULL;
	for (k = 0; k < n; k++) {
		z[k] = x[k] - m;
		ss += z[k] * z[k];
	}
	if (!(ss > 0)) {
		free(z);
		return NULL;
	}
	f = 1.0 / sqrt(ss);
	for (k = 0; k < n; k++)
		z[k] *= f;
	return z;
}

static double dot(const double *a, const double *b, size_t n)
{
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t k = 0;

	for (; k + 4 <= n; k += 4) {
		s0 += a[k] * b[k];
		s1 += a[k + 1] * b[k + 1];
		s2 += a[k + 2] * b[k + 2];
		s3 += a[k + 3] * b[k + 3];
	}
	for (; k < n; k++)
		s0 += a[k] * b[k];
	return (s0 + s1) + (s2 + s3);
}

static int identical(const double *x, const double *y, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!(x[k] == y[k] || (isnan(x[k]) && isnan(y[k]))))
			return 0;
	return 1;
}

/* r of metrics i and j, clamped to [-1, 1] (the rounding of a perfect
 * correlation). */
static void set_r(struct wl_correlation *c, size_t i, size_t j, double r)
{
	if (r > 1)
		r = 1;
	else if (r < -1)
		r = -1;
	c->r[i * c->n + j] = c->r[j * c->n + i] = r;
}

static int by_r_desc(const void *a, const void *b)
{
	double x = ((const struct wl_pair *)a)->r, y = ((const struct wl_pair *)b)->r;
	return (x < y) - (x > y);
}

/* Whether metrics i and j of c are equal at every row (same[] of the row
 * accumulator, or the grid's columns). */
struct same_as {
	const struct wl_grid *g;
	const size_t *col;
	const struct wl_corr_rows *rows;
	const size_t *keep;
};

static int same_series(const struct same_as *w, size_t i, size_t j)
{
	if (w->rows)
		return w->rows->same[w->keep[i] * w->rows->ncols + w->keep[j]];
	return identical(w->g->v + w->col[i] * w->g->nbins, w->g->v + w->col[j] * w->g->nbins,
			 w->g->nbins);
}

static int top_pairs(const struct same_as *w, const struct wl_analysis_opts *o,
		     struct wl_correlation *c)
{
	size_t i, j, np = 0, ntop = o && o->top ? o->top : 5, k;
	struct wl_pair *all = malloc((c->n * c->n / 2 + 1) * sizeof(*all));

	if (!all)
		return -1;
	for (i = 0; i < c->n; i++)
		for (j = i + 1; j < c->n; j++) {
			double r = c->r[i * c->n + j];
			if (isnan(r) || r == 0)
				continue;
			if (o && o->exclude_identical && same_series(w, i, j))
				continue;
			all[np].a = i;
			all[np].b = j;
			all[np++].r = r;
		}
	qsort(all, np, sizeof(*all), by_r_desc);
	c->top_pos = malloc((ntop + 1) * sizeof(*c->top_pos));
	c->top_neg = malloc((ntop + 1) * sizeof(*c->top_neg));
	if (!c->top_pos || !c->top_neg) {
		free(all);
		return -1;
	}
	for (k = 0; k < np && c->ntop_pos < ntop && all[k].r > 0; k++)
		c->top_pos[c->ntop_pos++] = all[k];
	for (k = np; k-- > 0 && c->ntop_neg < ntop && all[k].r < 0;)
		c->top_neg[c->ntop_neg++] = all[k];
	free(all);
	return 0;
}

static void free_z(double **z, size_t n)
{
	size_t i;

	for (i = 0; z && i < n; i++)
		free(z[i]);
	free(z);
}

int wl_correlation_compute(const struct wl_grid *g, const struct wl_analysis_opts *o,
			   struct wl_correlation *c, struct wl_error *err)
{
	size_t i, j, *col = NULL;
	char why[64];
	int *full = NULL;
	double *bx = NULL, *by = NULL, **z = NULL;

	wl_gsl_init();
	memset(c, 0, sizeof(*c));
	c->step_s = g->step_s;
	c->nbins = g->nbins;
	col = malloc((g->ncols + 1) * sizeof(*col));
	full = malloc((g->ncols + 1) * sizeof(*full));
	c->excluded = calloc(g->ncols + 1, sizeof(*c->excluded));
	c->metrics = calloc(g->ncols + 1, sizeof(*c->metrics));
	bx = malloc((g->nbins + 1) * sizeof(*bx));
	by = malloc((g->nbins + 1) * sizeof(*by));
	if (!col || !full || !c->excluded || !c->metrics || !bx || !by)
		goto oom;
	for (i = 0; i < g->ncols; i++) {
		const double *x = g->v + i * g->nbins;
		size_t k;

		if (exclusion(x, g->nbins, why, sizeof(why))) {
			char line[192];
			snprintf(line, sizeof(line), "%s: %s", g->name[i], why);
			if (!(c->excluded[c->nexcluded] = strdup(line)))
				goto oom;
			c->nexcluded++;
			continue;
		}
		full[c->n] = 1;
		for (k = 0; k < g->nbins; k++)
			if (isnan(x[k])) {
				full[c->n] = 0;
				break;
			}
		memcpy(c->metrics[c->n], g->name[i], sizeof(c->metrics[0]));
		col[c->n++] = i;
	}
	c->r = malloc((c->n * c->n + 1) * sizeof(*c->r));
	z = calloc(c->n + 1, sizeof(*z));
	if (!c->r || !z)
		goto oom;
	for (i = 0; i < c->n && g->nbins >= 3; i++)
		if (full[i])
			z[i] = standardize(g->v + col[i] * g->nbins, g->nbins);
	for (i = 0; i < c->n; i++) {
		c->r[i * c->n + i] = 1.0;
		for (j = i + 1; j < c->n; j++) {
			double r;
			if (full[i] && full[j])
				r = z[i] && z[j] ? dot(z[i], z[j], g->nbins) : NAN;
			else
				r = pair_r(g->v + col[i] * g->nbins, g->v + col[j] * g->nbins,
					   g->nbins, bx, by);
			set_r(c, i, j, r);
		}
	}
	{
		struct same_as w = { g, col, NULL, NULL };

		if (top_pairs(&w, o, c))
			goto oom;
	}
	free_z(z, c->n);
	free(col);
	free(full);
	free(bx);
	free(by);
	return 0;
oom:
	free_z(z, c->n);
	free(col);
	free(full);
	free(bx);
	free(by);
	wl_correlation_release(c);
	return wl_error_set(err, "out of memory computing correlations");
}

/* ---- over the rows of a single-rate input -------------------------------- */

int wl_corr_rows_init(struct wl_corr_rows *a, size_t ncols, const double *centre,
		      int track_identical)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->ncols = ncols;
	a->c = malloc((ncols + 1) * sizeof(*a->c));
	a->s = calloc(ncols + 1, sizeof(*a->s));
	a->d = malloc((WL_CORR_ROWS_PEND * ncols + 1) * sizeof(*a->d));
	a->lo = malloc((ncols + 1) * sizeof(*a->lo));
	a->hi = malloc((ncols + 1) * sizeof(*a->hi));
	a->q = calloc(ncols * ncols + 1, sizeof(*a->q));
	if (track_identical)
		a->same = malloc(ncols * ncols + 1);
	if (!a->c || !a->s || !a->d || !a->lo || !a->hi || !a->q ||
	    (track_identical && !a->same)) {
		wl_corr_rows_release(a);
		return -1;
	}
	for (i = 0; i < ncols; i++) {
		a->c[i] = isfinite(centre[i]) ? centre[i] : 0;
		a->lo[i] = INFINITY;
		a->hi[i] = -INFINITY;
	}
	if (a->same)
		memset(a->same, 1, ncols * ncols);
	return 0;
}

/* Adds the pending rows into q: each q[j] gets the rows' products one
 * after the other, in row order (the sums of a push per row, to the bit),
 * with one load and store of q[j] for WL_CORR_ROWS_PEND rows. */
static void rows_flush(struct wl_corr_rows *a)
{
	size_t i, j, m = a->ncols;
	const double *restrict d = a->d;

	if (a->nd == WL_CORR_ROWS_PEND) {
		const double *restrict d1 = d + m, *restrict d2 = d + 2 * m, *restrict d3 = d + 3 * m;

		for (i = 0; i < m; i++) {
			double *restrict q = a->q + i * m;
			double a0 = d[i], a1 = d1[i], a2 = d2[i], a3 = d3[i];

			/* two cells at once, each its own chain of the same
			 * additions (the compiler pairs them in one vector) */
			for (j = i; j + 1 < m; j += 2) {
				double x = q[j], y = q[j + 1];

				x += a0 * d[j];
				y += a0 * d[j + 1];
				x += a1 * d1[j];
				y += a1 * d1[j + 1];
				x += a2 * d2[j];
				y += a2 * d2[j + 1];
				x += a3 * d3[j];
				y += a3 * d3[j + 1];
				q[j] = x;
				q[j + 1] = y;
			}
			if (j < m) {
				double x = q[j];

				x += a0 * d[j];
				x += a1 * d1[j];
				x += a2 * d2[j];
				x += a3 * d3[j];
				q[j] = x;
			}
		}
	} else {
		size_t k;

		for (k = 0; k < a->nd; k++)
			for (i = 0; i < m; i++) {
				double *restrict q = a->q + i * m;
				const double *restrict dk = d + k * m;

				for (j = i; j < m; j++)
					q[j] += dk[i] * dk[j];
			}
	}
	a->nd = 0;
}

void wl_corr_rows_push(struct wl_corr_rows *a, const double *x)
{
	size_t i, j, m = a->ncols;
	double *d = a->d + a->nd * m;

	for (i = 0; i < m; i++) {
		d[i] = x[i] - a->c[i];
		a->s[i] += d[i];
		if (x[i] < a->lo[i])
			a->lo[i] = x[i];
		if (x[i] > a->hi[i])
			a->hi[i] = x[i];
	}
	if (++a->nd == WL_CORR_ROWS_PEND)
		rows_flush(a);
	if (a->same)
		for (i = 0; i < m; i++)
			for (j = i + 1; j < m; j++)
				a->same[i * m + j] &= x[i] == x[j];
	a->n++;
}

int wl_corr_rows_finish(struct wl_corr_rows *a, const struct wl_grid *g,
			const struct wl_analysis_opts *o, struct wl_correlation *c,
			struct wl_error *err)
{
	size_t i, j, m = a->ncols, *keep = NULL;
	double n = (double)a->n;

	rows_flush(a);
	memset(c, 0, sizeof(*c));
	c->step_s = NAN;
	c->nbins = a->n;
	keep = calloc(m + 1, sizeof(*keep));
	c->excluded = calloc(m + 1, sizeof(*c->excluded));
	c->metrics = calloc(m + 1, sizeof(*c->metrics));
	if (!keep || !c->excluded || !c->metrics)
		goto oom;
	for (i = 0; i < m; i++) {
		if (a->hi[i] - a->lo[i] <= 1e-9 * fmax(fabs(a->lo[i]), fabs(a->hi[i]))) {
			char line[192];

			snprintf(line, sizeof(line), "%s: constant (%.6g)", g->name[i], a->lo[i]);
			if (!(c->excluded[c->nexcluded] = strdup(line)))
				goto oom;
			c->nexcluded++;
			continue;
		}
		memcpy(c->metrics[c->n], g->name[i], sizeof(c->metrics[0]));
		keep[c->n++] = i;
	}
	c->r = malloc((c->n * c->n + 1) * sizeof(*c->r));
	if (!c->r)
		goto oom;
	for (i = 0; i < c->n; i++) {
		size_t x = keep[i];
		double sxx = a->q[x * m + x] - a->s[x] * a->s[x] / n;

		c->r[i * c->n + i] = 1.0;
		for (j = i + 1; j < c->n; j++) {
			size_t y = keep[j];
			double syy = a->q[y * m + y] - a->s[y] * a->s[y] / n;
			double sxy = a->q[x * m + y] - a->s[x] * a->s[y] / n;
			double r = a->n >= 3 && sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;

			set_r(c, i, j, r);
		}
	}
	{
		struct same_as w = { g, NULL, a, keep };

		if (top_pairs(&w, o, c))
			goto oom;
	}
	free(keep);
	return 0;
oom:
	free(keep);
	wl_correlation_release(c);
	return wl_error_set(err, "out of memory computing correlations");
}

void wl_corr_rows_release(struct wl_corr_rows *a)
{
	free(a->c);
	free(a->s);
	free(a->d);
	free(a->lo);
	free(a->hi);
	free(a->q);
	free(a->same);
	memset(a, 0, sizeof(*a));
}
