/*
 * decimate.c - a streaming per-pixel-column envelope (see plot.h).  A
 * sample at time t goes to column floor((t - t0) / (t1 - t0) * ncols); each
 * column keeps min, max, sum and count, so memory is O(ncols) whatever the
 * trace length, and a one-sample spike still shows as the column's max.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/plot.h"

int wl_envelope_init(struct wl_envelope *e, double t0, double t1, size_t ncols, size_t raw_cap)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	if (!(t1 > t0) || ncols == 0)
		return -1;
	e->t0 = t0;
	e->t1 = t1;
	e->ncols = ncols;
	e->per_s = (double)ncols / (t1 - t0);
	e->t_last = NAN;
	e->col = malloc(ncols * sizeof(*e->col));
	e->capraw = raw_cap;
	e->rt = raw_cap ? malloc(raw_cap * sizeof(double)) : NULL;
	e->rv = raw_cap ? malloc(raw_cap * sizeof(double)) : NULL;
	if (!e->col || (raw_cap && (!e->rt || !e->rv))) {
		wl_envelope_release(e);
		return -1;
	}
	for (i = 0; i < ncols; i++) {
		e->col[i].min = INFINITY;
		e->col[i].max = -INFINITY;
		e->col[i].sum = 0;
		e->col[i].n = 0;
	}
	return 0;
}

int wl_envelope_init_open(struct wl_envelope *e, double t0, double span_s, size_t ncols,
			  size_t raw_cap)
{
	if (wl_envelope_init(e, t0, t0 + span_s, ncols & ~(size_t)1, raw_cap) < 0)
		return -1;
	e->grow = 1;
	return 0;
}

/* Doubles [t0, t1): column i of the new window is columns 2i and 2i+1 of
 * the old one; the upper half starts empty. */
static void grow(struct wl_envelope *e)
{
	size_t i, h = e->ncols / 2;

	for (i = 0; i < h; i++) {
		struct wl_env_col a = e->col[2 * i], b = e->col[2 * i + 1];

		e->col[i].min = a.min < b.min ? a.min : b.min;
		e->col[i].max = a.max > b.max ? a.max : b.max;
		e->col[i].sum = a.sum + b.sum;
		e->col[i].n = a.n + b.n;
	}
	for (i = h; i < e->ncols; i++) {
		e->col[i].min = INFINITY;
		e->col[i].max = -INFINITY;
		e->col[i].sum = 0;
		e->col[i].n = 0;
	}
	e->t1 = e->t0 + 2 * (e->t1 - e->t0);
	e->per_s = (double)e->ncols / (e->t1 - e->t0);
}

void wl_envelope_release(struct wl_envelope *e)
{
	free(e->col);
	free(e->rt);
	free(e->rv);
	memset(e, 0, sizeof(*e));
}

size_t wl_envelope_column(const struct wl_envelope *e, double t)
{
	double f = (t - e->t0) * e->per_s;

	if (!(f > 0))
		return 0;
	if (f >= (double)e->ncols)
		return e->ncols - 1;
	return (size_t)f;
}

void wl_envelope_feed(struct wl_envelope *e, double t, double v)
{
	struct wl_env_col *c;
	double f;
	size_t i;

	if (e->grow) {
		while (t >= e->t1 && isfinite(t))
			grow(e);
		if (!(t <= e->t_last))
			e->t_last = t;
	}
	if (isnan(v) || !(t >= e->t0) || !(t <= e->t1))
		return;
	/* Column floor((t - t0) * ncols / (t1 - t0)); t = t1 in the last. */
	f = (t - e->t0) * e->per_s;
	i = (size_t)f;
	if (i >= e->ncols)
		i = e->ncols - 1;
	c = &e->col[i];
	if (v < c->min)
		c->min = v;
	if (v > c->max)
		c->max = v;
	c->sum += v;
	c->n++;
	if (e->fed < e->capraw) {
		e->rt[e->fed] = t;
		e->rv[e->fed] = v;
		e->nraw = e->fed + 1;
	}
	e->fed++;
}

int wl_envelope_is_raw(const struct wl_envelope *e)
{
	return e->fed <= e->capraw;
}
