/*
 * compare_stats.c - the statistics of `wattlog compare` across repeats: mean,
 * sample standard deviation, Student-t 95 % confidence interval, and the
 * ratio of two means with its first-order (delta-method) error.  GSL gives
 * the t quantile.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "wattlog/compare.h"

double wl_cmp_t_quantile(double p, double df)
{
	if (!(df >= 1) || !(p > 0 && p < 1))
		return NAN;
	return gsl_cdf_tdist_Pinv(p, df);
}

/* Two passes: m = sum x / n, then s^2 = sum (x - m)^2 / (n - 1), which is
 * exact enough for the few repeats of an experiment. */
void wl_cmp_stat_compute(const double *x, size_t n, struct wl_cmp_stat *s)
{
	double sum = 0, ss = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(x[i])) {
			sum += x[i];
			k++;
		}
	s->n = k;
	s->mean = k ? sum / (double)k : NAN;
	s->sd = s->se = s->ci = NAN;
	if (k < 2)
		return;
	for (i = 0; i < n; i++)
		if (isfinite(x[i]))
			ss += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = sqrt(ss / (double)(k - 1));
	s->se = s->sd / sqrt((double)k);
	/* 95 % two-sided: m +- t(0.975, n - 1) se */
	s->ci = wl_cmp_t_quantile(0.975, (double)(k - 1)) * s->se;
}

/* r = a/b;  s_r = |r| sqrt((se_a/a)^2 + (se_b/b)^2), first-order Taylor
 * expansion of a/b around the two means (independent samples). */
void wl_cmp_ratio(const struct wl_cmp_stat *a, const struct wl_cmp_stat *b, double *r,
		  double *se)
{
	double ea, eb;

	*r = *se = NAN;
	if (!isfinite(a->mean) || !isfinite(b->mean) || b->mean == 0)
		return;
	*r = a->mean / b->mean;
	ea = isfinite(a->se) && a->mean != 0 ? a->se / a->mean : 0;
	eb = isfinite(b->se) ? b->se / b->mean : 0;
	if (a->mean == 0 && isfinite(a->se)) {
		/* r = 0: s_r = se_a / |b| (the limit of the formula) */
		*se = a->se / fabs(b->mean);
		return;
	}
	*se = fabs(*r) * sqrt(ea * ea + eb * eb);
}
