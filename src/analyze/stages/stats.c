/*
 * stats.c - per-metric statistics (see analysis.h for the definitions):
 * quantiles as GSL defines them found by selection, two-pass mean and std,
 * the mode at the metric's resolution (a counting table, or a linear-time
 * sort), the time-weighted average by the trapezoid rule.  GSL itself is
 * only told not to abort here (and its quantile definition is the one
 * the tests check against gsl_stats_quantile_from_sorted_data).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "wattlog/analysis.h"
#include "sort.h"

void wl_gsl_init(void)
{
	static int done;

	if (!done) {
		gsl_set_error_handler_off();
		done = 1;
	}
}

/* The resolution (wl_res_off's rule, analysis.h). */
static double resolution_of(const double *v, size_t n)
{
	size_t i;
	int d;

	for (d = 0; d < 4; d++) {
		for (i = 0; i < n; i++)
			if (wl_res_off(v[i], d, WL_RES_TOL))
				break;
		if (i == n)
			return 1.0 / (d == 0 ? 1 : d == 1 ? 10 : d == 2 ? 100 : 1000);
	}
	return 0.01;
}

/* Most frequent rounded value of sorted s (rounding is monotone, so equal
 * rounded values are adjacent); the smallest on a tie. */
static double mode_of(const double *s, size_t n, double res)
{
	double best = NAN, cur;
	size_t i = 0, bestn = 0;

	while (i < n) {
		size_t j = i;
		cur = rint(s[i] / res) * res;
		while (j < n && rint(s[j] / res) * res == cur)
			j++;
		if (j - i > bestn) {
			bestn = j - i;
			best = cur;
		}
		i = j;
	}
	return best;
}

/* twa = integral / covered time; trapezoid rule, gaps > max_gap skipped. */
static double twa_of(const double *t, const double *v, size_t n, double max_gap)
{
	double e = 0, span = 0;
	size_t i;

	if (!t || n < 2)
		return NAN;
	if (max_gap <= 0)
		max_gap = WL_MAX_GAP_FACTOR * wl_series_median_dt(t, n);
	for (i = 1; i < n; i++) {
		double dt = t[i] - t[i - 1];
		if (dt <= 0 || (max_gap > 0 && dt > max_gap))
			continue;
		e += dt * 0.5 * (v[i] + v[i - 1]);
		span += dt;
	}
	return span > 0 ? e / span : NAN;
}

/* mean = sum x / n; std = sqrt(sum (x - mean)^2 / (n - 1)) (two passes,
 * four partial sums: GSL's running update divides at every sample). */
static void mean_std(const double *v, size_t n, double *mean, double *std)
{
	double s[4] = { 0, 0, 0, 0 }, m;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		s[0] += v[i];
		s[1] += v[i + 1];
		s[2] += v[i + 2];
		s[3] += v[i + 3];
	}
	for (; i < n; i++)
		s[0] += v[i];
	m = ((s[0] + s[1]) + (s[2] + s[3])) / (double)n;
	*mean = m;
	if (n < 2) {
		*std = NAN;
		return;
	}
	s[0] = s[1] = s[2] = s[3] = 0;
	for (i = 0; i + 4 <= n; i += 4) {
		double a = v[i] - m, b = v[i + 1] - m, c = v[i + 2] - m, d = v[i + 3] - m;
		s[0] += a * a;
		s[1] += b * b;
		s[2] += c * c;
		s[3] += d * d;
	}
	for (; i < n; i++)
		s[0] += (v[i] - m) * (v[i] - m);
	*std = sqrt(((s[0] + s[1]) + (s[2] + s[3])) / (double)(n - 1));
}

/* GSL's quantile definition (gsl_stats_quantile_from_sorted_data):
 * i + d = f (n - 1), q = (1 - d) x(i) + d x(i+1), x(k) the k-th smallest.
 * Here x(i) comes from a selection over v[from..n) (v is reordered; the
 * elements before `from` are all <= those after), so that p50, p95 and p99
 * cost three partial passes instead of a sort.  *from advances to i. */
static double quantile(double *v, size_t n, double f, size_t *from)
{
	double idx = f * (double)(n - 1), d, lo, hi;
	size_t i = (size_t)idx, k;

	d = idx - (double)i;
	lo = wl_select_double(v + *from, n - *from, i - *from);
	*from = i;
	if (i + 1 >= n || d == 0)
		return lo;
	hi = v[i + 1]; /* the smallest of the part above x(i) */
	for (k = i + 2; k < n; k++)
		if (v[k] < hi)
			hi = v[k];
	return (1 - d) * lo + d * hi;
}

/* Mode by counting rounded values in a table over [min, max]
 * (wl_mode_table); NaN when too wide, and the caller sorts. */
static double mode_by_table(const double *v, size_t n, double res, double min, double max)
{
	double best = NAN;
	size_t cells, i, bi = 0;
	unsigned *cnt;
	long long base;

	if (!wl_mode_table(min, max, res, &cells, &base))
		return NAN;
	cnt = calloc(cells, sizeof(*cnt));
	if (!cnt)
		return NAN;
	for (i = 0; i < n; i++) {
		long long c = llrint(v[i] / res) - base;
		if (c >= 0 && (size_t)c < cells)
			cnt[c]++;
	}
	for (i = 1; i < cells; i++) /* first maximum: the smallest on a tie */
		if (cnt[i] > cnt[bi])
			bi = i;
	if (cnt[bi])
		best = (double)(base + (long long)bi) * res;
	free(cnt);
	return best;
}

int wl_stats_compute(const double *t, const double *v, size_t n, double max_gap_s,
		     struct wl_metric_stats *s)
{
	double *w;
	size_t i, from = 0;

	s->n = n;
	s->avg = s->min = s->max = s->mode = s->resolution = NAN;
	s->std = s->p50 = s->p95 = s->p99 = s->twa = NAN;
	if (!n)
		return 0;
	w = malloc(n * sizeof(*w));
	if (!w)
		return -1;
	memcpy(w, v, n * sizeof(*w));
	mean_std(v, n, &s->avg, &s->std);
	s->min = s->max = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < s->min)
			s->min = v[i];
		if (v[i] > s->max)
			s->max = v[i];
	}
	s->resolution = resolution_of(v, n);
	s->mode = mode_by_table(v, n, s->resolution, s->min, s->max);
	s->p50 = quantile(w, n, 0.50, &from);
	s->p95 = quantile(w, n, 0.95, &from);
	s->p99 = quantile(w, n, 0.99, &from);
	if (isnan(s->mode)) { /* a range too wide for the table: sort */
		if (wl_sort_doubles(w, n)) {
			free(w);
			return -1;
		}
		s->mode = mode_of(w, n, s->resolution);
	}
	s->twa = twa_of(t, v, n, max_gap_s);
	free(w);
	return 0;
}
