/*
 * energy.c - energy of a power series over a window: the exact sum for
 * counter series, the trapezoid rule for gauges, gaps bridged and counted
 * (or left out with --no-bridge).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/stream.h"

/* First index i with t[i] > x (n if none). */
static size_t upper_bound(const double *t, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* E = the points of s around [t0, t1] through wl_energy_acc: from the last
 * valid point at or before t0 (one more for a counter, the start of its
 * interval) to the first valid one at or after t1. */
double wl_series_energy_gaps(const struct wl_series *s, double t0, double t1,
			     size_t *ngaps, double *gap_s)
{
	struct wl_energy_acc a;
	size_t i;

	wl_energy_acc_init(&a, s->from_counter, s->max_gap_s, s->keep_gaps_out, t0, t1);
	if (s->n >= 2 && a.t1 > a.t0) {
		i = upper_bound(s->t, s->n, a.t0);
		if (i)
			i--;
		while (i && isnan(s->p[i]))
			i--;
		if (s->from_counter && i)
			i--;
		for (; i < s->n; i++) {
			wl_energy_acc_point(&a, s->t[i], s->p[i]);
			if (s->t[i] >= a.t1 && !isnan(s->p[i]))
				break;
		}
		wl_energy_acc_end(&a);
	}
	if (ngaps)
		*ngaps = a.ngaps;
	if (gap_s)
		*gap_s = a.gap_s;
	return a.energy_j;
}

double wl_series_energy(const struct wl_series *s, double t0, double t1)
{
	return wl_series_energy_gaps(s, t0, t1, NULL, NULL);
}

/* A gap left out: an interval (a, b] of s longer than its bound, with
 * keep_gaps_out. */
static int gap_out(const struct wl_series *s, double a, double b)
{
	return s->keep_gaps_out && s->max_gap_s > 0 && b - a > s->max_gap_s;
}

int wl_series_has_power(const struct wl_series *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!isnan(s->p[i]))
			return 1;
	return 0;
}

double wl_energy_add_known(double total, double e)
{
	if (isnan(e))
		return total;
	return isnan(total) ? e : total + e;
}

/* Value of a gauge series at x inside [t[0], t[n-1]], linear between
 * samples; NaN inside a gap or next to a NaN. */
static double gauge_at(const struct wl_series *s, double x)
{
	size_t i = upper_bound(s->t, s->n, x);
	double a, b;

	if (i == 0)
		return NAN;
	if (i == s->n)
		return s->t[s->n - 1] == x ? s->p[s->n - 1] : NAN;
	a = s->t[i - 1];
	b = s->t[i];
	if (a == x)
		return s->p[i - 1];
	if (gap_out(s, a, b))
		return NAN;
	return s->p[i - 1] + (s->p[i] - s->p[i - 1]) * (x - a) / (b - a);
}

/* Before a gauge point at x: when the interval from the last point out to x
 * is a gap, a NaN point in its middle, so the gap stays unbridged for
 * readers that do not know max_gap_s (the carbon module). */
static void add_gap_mark(const struct wl_series *s, struct wl_series *out, size_t *k, double x)
{
	double last;

	if (s->from_counter || !s->keep_gaps_out || s->max_gap_s <= 0 || !*k)
		return;
	last = out->t[*k - 1];
	/* the gap is the original interval holding the segment (last, x) */
	{
		size_t i = upper_bound(s->t, s->n, last);
		if (i == 0 || i >= s->n || !gap_out(s, s->t[i - 1], s->t[i]))
			return;
	}
	out->t[*k] = 0.5 * (last + x);
	out->p[(*k)++] = NAN;
}

int wl_series_clip(const struct wl_series *s, double t0, double t1, struct wl_series *out,
		   struct wl_error *err)
{
	size_t i, k = 0;

	memset(out, 0, sizeof(*out));
	memcpy(out->name, s->name, sizeof(out->name));
	memcpy(out->node, s->node, sizeof(out->node));
	out->from_counter = s->from_counter;
	out->max_gap_s = s->max_gap_s;
	out->keep_gaps_out = s->keep_gaps_out;
	out->t = malloc((2 * s->n + 3) * sizeof(double));
	out->p = malloc((2 * s->n + 3) * sizeof(double));
	if (!out->t || !out->p) {
		wl_series_release(out);
		return wl_error_set(err, "out of memory clipping '%s'", s->name);
	}
	if (!s->n || isnan(t0) || isnan(t1) || t1 <= t0)
		goto done;
	if (t0 < s->t[0])
		t0 = s->t[0];
	if (t1 > s->t[s->n - 1])
		t1 = s->t[s->n - 1];
	if (t1 <= t0)
		goto done;
	/* the left edge: a counter starts a new interval there (p NaN by the
	 * series convention), a gauge gets its interpolated reading */
	out->t[k] = t0;
	out->p[k++] = s->from_counter ? NAN : gauge_at(s, t0);
	for (i = upper_bound(s->t, s->n, t0); i < s->n && s->t[i] < t1; i++) {
		add_gap_mark(s, out, &k, s->t[i]);
		out->t[k] = s->t[i];
		out->p[k++] = s->p[i];
	}
	add_gap_mark(s, out, &k, t1);
	/* the right edge: the reading there, or the power of the interval
	 * holding it */
	out->t[k] = t1;
	out->p[k++] = s->from_counter ? s->p[i < s->n ? i : s->n - 1] : gauge_at(s, t1);
done:
	out->n = k;
	return 0;
}
