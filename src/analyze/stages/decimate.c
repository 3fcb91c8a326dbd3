/*
 * decimate.c - a streaming per-pixel-column envelope (envelope.h).  A
 * sample at time t goes to column floor((t - t0) / (t1 - t0) * ncols); each
 * column keeps min, max, sum and count, so memory is O(ncols) whatever the
 * trace length, and a one-sample spike still shows as the column's max.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/envelope.h"

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

/* The samples from t[0] on that go to the columns without growing the
 * window or being kept raw: finite t inside [t0, t1] (open-ended: t < t1).
 * The column's min, max, sum and count stay in registers while the column
 * does not change; the column is the same floor((t - t0) * per_s) that
 * wl_envelope_feed computes, and values are added in the same order, so the
 * result is bit for bit that of feeding one by one.  Returns how many
 * samples were taken (0 when t[0] needs the slow path). */
static size_t feed_run(struct wl_envelope *e, const double *t, const double *v, size_t n)
{
	/* In the run: t0 <= t < lim; lim = t1 (open-ended: t1 grows the
	 * window) or the double after t1 (t = t1 falls in the last column). */
	const double t0 = e->t0, per_s = e->per_s;
	const double lim = e->grow ? e->t1 : nextafter(e->t1, INFINITY);
	const size_t last = e->ncols - 1;
	double mn, mx, sum, tl = e->t_last;
	size_t k, i, cur, cnt, nan = 0;

	if (!n || !(t[0] >= t0 && t[0] < lim))
		return 0;
	cur = (size_t)((t[0] - t0) * per_s);
	cur = cur > last ? last : cur;
	mn = e->col[cur].min;
	mx = e->col[cur].max;
	sum = e->col[cur].sum;
	cnt = e->col[cur].n;
	for (k = 0; k < n; k++) {
		double tk = t[k], vk = v[k];

		if (!(tk >= t0 && tk < lim))
			break;
		i = (size_t)((tk - t0) * per_s);
		i = i > last ? last : i;
		if (i != cur) {
			e->col[cur].min = mn;
			e->col[cur].max = mx;
			e->col[cur].sum = sum;
			e->col[cur].n = cnt;
			cur = i;
			mn = e->col[cur].min;
			mx = e->col[cur].max;
			sum = e->col[cur].sum;
			cnt = e->col[cur].n;
		}
		tl = tk <= tl ? tl : tk; /* t_last as wl_envelope_feed keeps it (NaN at first) */
		if (vk != vk) {
			nan++; /* NaN: no value */
			continue;
		}
		mn = vk < mn ? vk : mn;
		mx = vk > mx ? vk : mx;
		sum += vk;
		cnt++;
	}
	e->col[cur].min = mn;
	e->col[cur].max = mx;
	e->col[cur].sum = sum;
	e->col[cur].n = cnt;
	if (e->grow)
		e->t_last = tl;
	e->fed += k - nan;
	return k;
}

void wl_envelope_feed_n(struct wl_envelope *e, const double *t, const double *v, size_t n)
{
	size_t k = 0, m;

	while (k < n) {
		m = e->fed >= e->capraw ? feed_run(e, t + k, v + k, n - k) : 0;
		if (m == 0) { /* raw capture, growth, outside the window */
			wl_envelope_feed(e, t[k], v[k]);
			m = 1;
		}
		k += m;
	}
}

int wl_envelope_rebin(const struct wl_envelope *src, double t0, double t1, size_t ncols,
		      struct wl_envelope *dst)
{
	double w = (src->t1 - src->t0) / (double)src->ncols, per_s;
	struct wl_env_col *a, *b;
	size_t i, j;

	if (wl_envelope_init(dst, t0, t1, ncols, src->capraw) < 0)
		return -1;
	per_s = dst->per_s;
	for (i = 0; i < src->ncols; i++) {
		double c = src->t0 + ((double)i + 0.5) * w, f = (c - t0) * per_s;

		a = &src->col[i];
		if (!a->n)
			continue;
		j = !(f > 0) ? 0 : f >= (double)ncols ? ncols - 1 : (size_t)f;
		b = &dst->col[j];
		b->min = a->min < b->min ? a->min : b->min;
		b->max = a->max > b->max ? a->max : b->max;
		b->sum += a->sum;
		b->n += a->n;
	}
	dst->fed = src->fed;
	dst->nraw = src->nraw;
	dst->t_last = src->t_last;
	if (src->nraw) {
		memcpy(dst->rt, src->rt, src->nraw * sizeof(double));
		memcpy(dst->rv, src->rv, src->nraw * sizeof(double));
	}
	return 0;
}

int wl_envelope_is_raw(const struct wl_envelope *e)
{
	return e->fed <= e->capraw;
}

int wl_envelope_open_fine(struct wl_envelope *e, double t0, size_t ncols)
{
	return wl_envelope_init_open(e, t0, WL_ENV_SPAN0_S, WL_ENV_FINE * ncols, ncols);
}
