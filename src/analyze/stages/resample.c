/*
 * resample.c - every metric of a dataset on one time grid, by bin averages:
 * cell k of a column is the mean of that metric's samples in
 * [t0 + k step, t0 + (k+1) step), NaN when the bin holds none.  The grid
 * starts half a step before the window (t0 = start - step/2), so that
 * samples taken at the grid's own period fall in the middle of their bins,
 * not on their edges where rounding would empty one bin and double the
 * next.  A counter's interval power counts at the interval's end, like a
 * gauge reading.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"

void wl_grid_release(struct wl_grid *g)
{
	free(g->name);
	free(g->unit);
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* A channel to resample; with nmax > 0, unless sparse against it. */
static int wanted(const struct wl_channel *c, size_t nmax)
{
	double f;

	if (c->n < 2 || (nmax && wl_resample_sparse(c->n, nmax)))
		return 0;
	return c->kind == WL_DS_GAUGE || wl_unit_to_j(c->unit, &f) == 0;
}

/* Adds the samples (t, v) to the column's sums; n samples. */
static void accumulate(const struct wl_grid *g, double t_end, const double *t,
		       const double *v, size_t n, double *sum, unsigned *cnt)
{
	double inv = 1.0 / g->step_s;
	size_t i;

	for (i = 0; i < n; i++) {
		double x = (t[i] - g->t0) * inv;
		size_t k;

		if (x < 0 || t[i] > t_end || isnan(v[i]))
			continue;
		k = (size_t)x;
		if (k >= g->nbins)
			continue;
		sum[k] += v[i];
		cnt[k]++;
	}
}

static int fill_column(const struct wl_channel *c, struct wl_grid *g, double t_end,
		       double max_w, double *col, unsigned *cnt, struct wl_error *err)
{
	size_t k;

	memset(col, 0, g->nbins * sizeof(*col));
	memset(cnt, 0, g->nbins * sizeof(*cnt));
	if (c->kind == WL_DS_GAUGE) {
		accumulate(g, t_end, c->t, c->v, c->n, col, cnt);
	} else {
		struct wl_series s;

		if (wl_normalize_channel(c, max_w, &s, NULL, err))
			return -1;
		if (s.n > 1)
			accumulate(g, t_end, s.t + 1, s.p + 1, s.n - 1, col, cnt);
		wl_series_release(&s);
	}
	for (k = 0; k < g->nbins; k++)
		col[k] = cnt[k] ? col[k] / cnt[k] : NAN;
	return 0;
}

int wl_resample_sparse(size_t n, size_t nmax)
{
	return n < nmax / WL_SPARSE_RATIO;
}

/* The most samples of a channel to resample. */
static size_t densest(const struct wl_dataset *ds)
{
	size_t i, m = 0;

	for (i = 0; i < ds->nch; i++)
		if (wanted(&ds->ch[i], 0) && ds->ch[i].n > m)
			m = ds->ch[i].n;
	return m;
}

void wl_grid_note_sparse(struct wl_grid *g, const char *name, const char *device, size_t n,
			 size_t *k)
{
	size_t len = strlen(g->note);

	if (len + 1 >= sizeof(g->note))
		return;
	snprintf(g->note + len, sizeof(g->note) - len, "%s%s%s%s%s (%zu)",
		 *k ? ", " : len ? "; " : "", *k ? "" : "sparse channels left out (samples): ",
		 name, *device ? " " : "", device, n);
	(*k)++;
}

static void note_sparse(const struct wl_dataset *ds, size_t nmax, struct wl_grid *g)
{
	size_t i, k = 0;

	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		if (wanted(c, 0) && wl_resample_sparse(c->n, nmax))
			wl_grid_note_sparse(g, c->name, c->device, c->n, &k);
	}
}

static double default_step(const struct wl_dataset *ds)
{
	double step = 0;
	size_t i, nmax = densest(ds);

	for (i = 0; i < ds->nch; i++) {
		double m;
		if (!wanted(&ds->ch[i], nmax))
			continue;
		m = wl_series_median_dt(ds->ch[i].t, ds->ch[i].n);
		if (m > step)
			step = m;
	}
	return step;
}

int wl_resample(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		struct wl_grid *g, struct wl_error *err)
{
	double a, b, t_end, maxw = o && o->max_power_w > 0 ? o->max_power_w : 0;
	unsigned *cnt = NULL;
	size_t i, ncols = 0, col = 0, nmax;

	memset(g, 0, sizeof(*g));
	if (!wl_dataset_span(ds, &a, &b))
		return wl_error_set(err, "no samples to resample in '%s'", ds->path ? ds->path : "");
	if (o && !isnan(o->t_from) && o->t_from > a)
		a = o->t_from;
	if (o && !isnan(o->t_to) && o->t_to < b)
		b = o->t_to;
	t_end = b;
	nmax = densest(ds);
	for (i = 0; i < ds->nch; i++)
		ncols += wanted(&ds->ch[i], nmax);
	g->step_s = o && o->grid_s > 0 ? o->grid_s : default_step(ds);
	if (!ncols || !(g->step_s > 0) || !(b > a))
		return wl_error_set(err, "nothing to resample in '%s': no metric with two samples "
				    "in the window", ds->path ? ds->path : "");
	/* ingesters keep times within WL_SPAN_MAX_S; a span that overflows
	 * (1e308 - -1e308 = inf) would size the grid from NaN */
	if (!isfinite(b - a) || !isfinite(g->step_s))
		return wl_error_set(err, "cannot resample '%s': time span of %g s to %g s is not "
				    "finite", ds->path ? ds->path : "", a, b);
	if ((b - a) / g->step_s + 1 > (double)WL_GRID_MAX_BINS && !(o && o->grid_s > 0)) {
		double f = ceil(((b - a) / g->step_s + 1) / WL_GRID_MAX_BINS);
		snprintf(g->note, sizeof(g->note), "grid coarsened from %.6g s to %.6g s to "
			 "hold at most %d bins (--grid sets it)", g->step_s, g->step_s * f,
			 WL_GRID_MAX_BINS);
		g->step_s *= f;
	}
	if (((b - a) / g->step_s + 1) * (double)ncols > 4e8)
		return wl_error_set(err, "grid of %.6g s too fine for %.0f s of %zu metrics",
				    g->step_s, b - a, ncols);
	g->t0 = a - 0.5 * g->step_s;
	g->nbins = (size_t)((b - a) / g->step_s + 0.5) + 1;
	g->name = calloc(ncols, sizeof(*g->name));
	g->unit = calloc(ncols, sizeof(*g->unit));
	g->v = malloc(ncols * g->nbins * sizeof(*g->v));
	cnt = malloc(g->nbins * sizeof(*cnt));
	if (!g->name || !g->unit || !g->v || !cnt) {
		free(cnt);
		wl_grid_release(g);
		return wl_error_set(err, "out of memory resampling '%s'", ds->path ? ds->path : "");
	}
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		int power = c->kind == WL_DS_COUNTER;

		if (!wanted(c, nmax))
			continue;
		snprintf(g->name[col], sizeof(g->name[col]), "%s%s%s%s", c->name,
			 power ? " (power)" : "", *c->device ? " " : "", c->device);
		snprintf(g->unit[col], sizeof(g->unit[col]), "%s", power ? "W" : c->unit);
		if (fill_column(c, g, t_end, maxw, g->v + col * g->nbins, cnt, err)) {
			free(cnt);
			wl_grid_release(g);
			return -1;
		}
		col++;
	}
	g->ncols = col;
	note_sparse(ds, nmax, g);
	free(cnt);
	return 0;
}
