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
#include "wattlog/grow.h"

void wl_grid_release(struct wl_grid *g)
{
	free(g->name);
	free(g->unit);
	free(g->v);
	free(g->chan);
	memset(g, 0, sizeof(*g));
}

/* A channel that can be a column: two samples, a gauge or an energy
 * counter (as its power). */
static int able(const struct wl_channel *c)
{
	double f;

	return c->n >= 2 && (c->kind == WL_DS_GAUGE || wl_unit_to_j(c->unit, &f) == 0);
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

/* A sparse channel: fewer samples than 1/WL_SPARSE_RATIO of the densest
 * able channel's (nmax).  Sparse channels neither set the default grid nor
 * become columns of it (3 values in 3000 rows would make every r one of 3
 * bins); the grid's note names them. */
static int sparse(size_t n, size_t nmax)
{
	return n < nmax / WL_SPARSE_RATIO;
}

/* Adds one sparse channel (name, device, n samples) to g->note; *k counts
 * those added (start at 0). */
static void note_sparse(struct wl_grid *g, const char *name, const char *device, size_t n,
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

/* The default step: the largest median interval of the columns. */
static double default_step(const struct wl_grid_offer *off, size_t nch)
{
	double step = 0;
	size_t i;

	for (i = 0; i < nch; i++)
		if (off[i].col != WL_GRID_NONE && off[i].median_dt > step)
			step = off[i].median_dt;
	return step;
}

int wl_grid_plan(const struct wl_dataset *ds, struct wl_grid_offer *off, double a, double b,
		 const struct wl_analysis_opts *o, int bounded, struct wl_grid *g,
		 struct wl_error *err)
{
	const char *path = ds->path ? ds->path : "";
	int asked = o && o->grid_s > 0;
	size_t i, ncols = 0, col = 0, nmax = 0, nsparse = 0;
	double nb;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < ds->nch; i++)
		if (off[i].able && off[i].n > nmax)
			nmax = off[i].n;
	for (i = 0; i < ds->nch; i++) {
		off[i].col = off[i].able && !sparse(off[i].n, nmax) ? 0 : WL_GRID_NONE;
		ncols += off[i].col != WL_GRID_NONE;
	}
	g->step_s = asked ? o->grid_s : default_step(off, ds->nch);
	if (!ncols || !(g->step_s > 0) || !(b > a)) {
		wl_error_set(err, "nothing to resample in '%s': no metric with two samples in "
			     "the window", path);
		return 1;
	}
	/* ingesters keep times within WL_SPAN_MAX_S; a span that overflows
	 * (1e308 - -1e308 = inf) would size the grid from NaN */
	if (!isfinite(b - a) || !isfinite(g->step_s)) {
		wl_error_set(err, "cannot resample '%s': time span of %g s to %g s is not finite",
			     path, a, b);
		return 1;
	}
	nb = (b - a) / g->step_s + 1;
	if (nb > (double)WL_GRID_MAX_BINS && (!asked || bounded)) {
		double f = ceil(nb / WL_GRID_MAX_BINS);

		snprintf(g->note, sizeof(g->note), "grid coarsened from %.6g s to %.6g s to "
			 "hold at most %d bins (%s)", g->step_s, g->step_s * f, WL_GRID_MAX_BINS,
			 asked ? "streaming report" : "--grid sets it");
		g->step_s *= f;
	}
	if (((b - a) / g->step_s + 1) * (double)ncols > 4e8) {
		wl_error_set(err, "grid of %.6g s too fine for %.0f s of %zu metrics", g->step_s,
			     b - a, ncols);
		return 1;
	}
	g->t0 = a - 0.5 * g->step_s;
	g->nbins = (size_t)((b - a) / g->step_s + 0.5) + 1;
	g->name = calloc(ncols, sizeof(*g->name));
	g->unit = calloc(ncols, sizeof(*g->unit));
	g->v = wl_calloc_touched(ncols * g->nbins, sizeof(*g->v)); /* the streamed report's lanes add to it */
	g->chan = calloc(ncols, sizeof(*g->chan));
	if (!g->name || !g->unit || !g->v || !g->chan) {
		wl_grid_release(g);
		wl_error_set(err, "out of memory resampling '%s'", path);
		return -1;
	}
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		int power = c->kind == WL_DS_COUNTER;

		if (off[i].col == WL_GRID_NONE) {
			if (off[i].able) /* sparse: named in the note */
				note_sparse(g, c->name, c->device, off[i].n, &nsparse);
			continue;
		}
		snprintf(g->name[col], sizeof(g->name[col]), "%s%s%s%s", c->name,
			 power ? " (power)" : "", *c->device ? " " : "", c->device);
		snprintf(g->unit[col], sizeof(g->unit[col]), "%s", power ? "W" : c->unit);
		g->chan[col] = i;
		off[i].col = col++;
	}
	g->ncols = col;
	return 0;
}

int wl_resample(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		struct wl_grid *g, struct wl_error *err)
{
	struct wl_grid_offer *off;
	double a, b, maxw = o && o->max_power_w > 0 ? o->max_power_w : 0;
	unsigned *cnt = NULL;
	size_t i;
	int rc;

	memset(g, 0, sizeof(*g));
	if (!wl_dataset_span(ds, &a, &b))
		return wl_error_set(err, "no samples to resample in '%s'", ds->path ? ds->path : "");
	if (o && !isnan(o->t_from) && o->t_from > a)
		a = o->t_from;
	if (o && !isnan(o->t_to) && o->t_to < b)
		b = o->t_to;
	off = calloc(ds->nch ? ds->nch : 1, sizeof(*off));
	if (!off)
		return wl_error_set(err, "out of memory resampling '%s'", ds->path ? ds->path : "");
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		off[i].able = able(c);
		off[i].n = c->n;
		if (off[i].able && !(o && o->grid_s > 0))
			off[i].median_dt = wl_series_median_dt(c->t, c->n);
	}
	rc = wl_grid_plan(ds, off, a, b, o, 0, g, err);
	if (rc == 0)
		cnt = malloc(g->nbins * sizeof(*cnt));
	if (rc == 0 && !cnt) {
		wl_error_set(err, "out of memory resampling '%s'", ds->path ? ds->path : "");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < ds->nch; i++)
		if (off[i].col != WL_GRID_NONE &&
		    fill_column(&ds->ch[i], g, b, maxw, g->v + off[i].col * g->nbins, cnt, err))
			rc = -1;
	if (rc)
		wl_grid_release(g);
	free(cnt);
	free(off);
	return rc ? -1 : 0;
}
