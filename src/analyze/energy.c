/*
 * energy.c - energy of a power series over a window: the exact sum for
 * counter series, the trapezoid rule for gauges, gaps never bridged.
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

/*
 * One interval (a, b] of a series clipped to [t0, t1]:
 * counter series: E = p_b |(a, b] n [t0, t1]| (nothing when p_b is NaN);
 * gauge series: on [lo, hi] = [a, b] n [t0, t1],
 * E = (hi - lo) (p(lo) + p(hi)) / 2 with p linear between p_a and p_b
 * (the trapezoid rule); an interval longer than max_gap_s (when > 0) is a
 * gap and contributes nothing (*is_gap = 1, *gap_s += hi - lo).
 * NaN samples exclude their intervals.  Shared with the streaming report.
 */
double wl_energy_interval(int from_counter, double max_gap_s, double a, double b, double pa,
			  double pb, double t0, double t1, int *is_gap, double *gap_s)
{
	double lo = a > t0 ? a : t0, hi = b < t1 ? b : t1;

	*is_gap = 0;
	if (hi <= lo)
		return 0;
	if (from_counter)
		return isnan(pb) ? 0 : pb * (hi - lo);
	if (max_gap_s > 0 && b - a > max_gap_s) {
		*is_gap = 1;
		*gap_s += hi - lo;
		return 0;
	}
	if (isnan(pa) || isnan(pb))
		return 0;
	{
		double slope = (pb - pa) / (b - a);
		double pl = pa + slope * (lo - a), ph = pa + slope * (hi - a);
		return (hi - lo) * 0.5 * (pl + ph);
	}
}

/* E = sum over the intervals of wl_energy_interval. */
double wl_series_energy_gaps(const struct wl_series *s, double t0, double t1,
			     size_t *ngaps, double *gap_s)
{
	double e = 0, gs = 0;
	size_t i, ng = 0;

	if (isnan(t0))
		t0 = -INFINITY;
	if (isnan(t1))
		t1 = INFINITY;
	if (s->n < 2 || t1 <= t0)
		goto out;
	i = upper_bound(s->t, s->n, t0);
	if (i == 0)
		i = 1;
	for (; i < s->n && s->t[i - 1] < t1; i++) {
		int g;

		e += wl_energy_interval(s->from_counter, s->max_gap_s, s->t[i - 1], s->t[i],
					s->p[i - 1], s->p[i], t0, t1, &g, &gs);
		ng += (size_t)g;
	}
out:
	if (ngaps)
		*ngaps = ng;
	if (gap_s)
		*gap_s = gs;
	return e;
}

double wl_series_energy(const struct wl_series *s, double t0, double t1)
{
	return wl_series_energy_gaps(s, t0, t1, NULL, NULL);
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
	if (s->max_gap_s > 0 && b - a > s->max_gap_s)
		return NAN;
	return s->p[i - 1] + (s->p[i] - s->p[i - 1]) * (x - a) / (b - a);
}

/* Before a gauge point at x: when the interval from the last point out to x
 * is a gap, a NaN point in its middle, so the gap stays unbridged for
 * readers that do not know max_gap_s (the carbon module). */
static void add_gap_mark(const struct wl_series *s, struct wl_series *out, size_t *k, double x)
{
	double last;

	if (s->from_counter || s->max_gap_s <= 0 || !*k)
		return;
	last = out->t[*k - 1];
	/* the gap is the original interval holding the segment (last, x) */
	{
		size_t i = upper_bound(s->t, s->n, last);
		if (i == 0 || i >= s->n || s->t[i] - s->t[i - 1] <= s->max_gap_s)
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
	out->from_counter = s->from_counter;
	out->max_gap_s = s->max_gap_s;
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
