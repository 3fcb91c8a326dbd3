/*
 * axes.c - layout math for figures, without drawing (see plot.h): 1-2-5
 * ticks, nice ranges, the time unit, label rows without overlap.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/plot.h"

/* Relative slack for comparisons of values that are multiples of a step. */
#define EPS 1e-9

double wl_axis_step(double span, int target)
{
	static const double m[] = { 1, 2, 5, 10 };
	double raw, base;
	size_t i;

	if (!(span > 0) || !isfinite(span))
		return 1;
	if (target < 1)
		target = 1;
	raw = span / target;
	base = pow(10, floor(log10(raw)));
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i] * base >= raw * (1 - EPS))
			return m[i] * base;
	return 10 * base;
}

static void widen(double *lo, double *hi)
{
	double d;

	if (*hi < *lo) {
		d = *lo;
		*lo = *hi;
		*hi = d;
	}
	if (*hi == *lo) {
		d = *lo == 0 ? 1 : fabs(*lo) * 0.1;
		*lo -= d;
		*hi += d;
	}
}

static int step_decimals(double step)
{
	int d = -(int)floor(log10(step) + EPS);

	return d > 0 ? d : 0;
}

void wl_axis_ticks(double lo, double hi, int max_ticks, struct wl_ticks *t)
{
	double step, v;
	long k, k0;

	memset(t, 0, sizeof(*t));
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	widen(&lo, &hi);
	if (max_ticks < 2)
		max_ticks = 2;
	if (max_ticks > WL_TICKS_MAX)
		max_ticks = WL_TICKS_MAX;
	step = wl_axis_step(hi - lo, max_ticks - 1);
	/* Ticks k * step for k in [ceil(lo / step), floor(hi / step)]. */
	k0 = (long)ceil(lo / step - EPS);
	for (k = k0; t->n < (size_t)max_ticks; k++) {
		v = k * step;
		if (v > hi + step * EPS)
			break;
		t->v[t->n++] = v == 0 ? 0 : v; /* no -0 */
	}
	t->step = step;
	t->decimals = step_decimals(step);
}

void wl_axis_nice_range(double *lo, double *hi, int max_ticks)
{
	struct wl_ticks t;

	widen(lo, hi);
	wl_axis_ticks(*lo, *hi, max_ticks, &t);
	*lo = floor(*lo / t.step + EPS) * t.step;
	*hi = ceil(*hi / t.step - EPS) * t.step;
}

void wl_axis_format(const struct wl_ticks *t, double v, char *buf, size_t len)
{
	/* Round to the step's precision first so -0.0000001 prints as 0. */
	double q = pow(10, t->decimals);

	v = round(v * q) / q;
	if (v == 0)
		v = 0;
	snprintf(buf, len, "%.*f", t->decimals, v);
}

const char *wl_axis_time_unit(double span_s, double *div)
{
	if (span_s <= 300) {
		*div = 1;
		return "s";
	}
	if (span_s <= 5 * 3600) {
		*div = 60;
		return "min";
	}
	*div = 3600;
	return "h";
}

int wl_layout_rows(double *x, const double *w, size_t n, double lo, double hi, double gap,
		   int *row)
{
	size_t i, j;
	int r, rows = 0, clash;

	for (i = 0; i < n; i++) {
		/* Inside [lo, hi]: left edge first, then right edge wins only
		 * when the label fits. */
		if (x[i] + w[i] / 2 > hi)
			x[i] = hi - w[i] / 2;
		if (x[i] - w[i] / 2 < lo)
			x[i] = lo + w[i] / 2;
		for (r = 0;; r++) {
			clash = 0;
			for (j = 0; j < i && !clash; j++)
				if (row[j] == r && fabs(x[i] - x[j]) < (w[i] + w[j]) / 2 + gap)
					clash = 1;
			if (!clash)
				break;
		}
		row[i] = r;
		if (r + 1 > rows)
			rows = r + 1;
	}
	return rows;
}

int wl_layout_overlaps(const double *x, const double *w, size_t n, double gap)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (x[i] - w[i] / 2 - (x[i - 1] + w[i - 1] / 2) < gap)
			return 1;
	return 0;
}
