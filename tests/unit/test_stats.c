/* test_stats.c - per-metric statistics (src/analyze/stages/stats*.c, sort.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "wattlog/analysis.h"

Test(stats, hand_computed)
{
	double t[] = { 0, 1, 2, 3, 4, 5 }, v[] = { 1, 2, 2, 3, 4, 10 };
	struct wl_metric_stats s;

	cr_assert_eq(wl_stats_compute(t, v, 6, 0, &s), 0);
	cr_assert_eq(s.n, 6);
	cr_assert_float_eq(s.avg, 22.0 / 6, 1e-12);
	/* sum of squared deviations 480/9, / (n-1) */
	cr_assert_float_eq(s.std, sqrt(480.0 / 9 / 5), 1e-12);
	cr_assert_eq(s.min, 1.0);
	cr_assert_eq(s.max, 10.0);
	/* quantile position q (n-1): 2.5 -> 2.5; 4.75 -> 4 + .75*6; 4.95 */
	cr_assert_float_eq(s.p50, 2.5, 1e-12);
	cr_assert_float_eq(s.p95, 8.5, 1e-12);
	cr_assert_float_eq(s.p99, 9.7, 1e-12);
	cr_assert_eq(s.mode, 2.0);
	cr_assert_eq(s.resolution, 1.0);
	/* trapezoids 1.5 + 2 + 2.5 + 3.5 + 7 over 5 s */
	cr_assert_float_eq(s.twa, 16.5 / 5, 1e-12);
}

Test(stats, irregular_twa_mode_resolution_and_ties)
{
	double t[] = { 0, 1, 3 }, v[] = { 0, 10, 10 };
	double w[] = { 77.56, 78.05, 77.56, 1.5 }, tie[] = { 3, 3, 1, 1 };
	struct wl_metric_stats s;

	cr_assert_eq(wl_stats_compute(t, v, 3, 0, &s), 0);
	cr_assert_float_eq(s.twa, 25.0 / 3, 1e-12);
	cr_assert_float_eq(s.avg, 20.0 / 3, 1e-12);
	cr_assert_eq(wl_stats_compute(NULL, w, 4, 0, &s), 0);
	cr_assert_float_eq(s.resolution, 0.01, 1e-15);
	cr_assert_float_eq(s.mode, 77.56, 1e-9);
	cr_assert(isnan(s.twa));
	cr_assert_eq(wl_stats_compute(NULL, tie, 4, 0, &s), 0);
	cr_assert_eq(s.mode, 1.0, "a tie goes to the smallest value");
	cr_assert_eq(wl_stats_compute(NULL, tie, 1, 0, &s), 0);
	cr_assert(isnan(s.std), "std of one sample is absent, not 0");
	cr_assert_eq(wl_stats_compute(NULL, tie, 0, 0, &s), 0);
	cr_assert(isnan(s.avg));
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

Test(stats, large_input_quantiles_match_a_plain_sort)
{
	size_t n = 100001;
	double *v = malloc(n * sizeof(*v)), *c = malloc(n * sizeof(*c));
	struct wl_metric_stats s;
	unsigned x = 12345;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		v[i] = ((double)(x >> 8) / (1 << 24) - 0.3) * 1000; /* negatives too */
	}
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp);
	cr_assert_eq(wl_stats_compute(NULL, v, n, 0, &s), 0);
	cr_assert_eq(s.min, c[0]);
	cr_assert_eq(s.max, c[n - 1]);
	cr_assert_eq(s.p50, c[50000]); /* 0.5 (n-1) = 50000 exactly */
	/* 0.95 (n-1) = 95000 */
	cr_assert_float_eq(s.p95, c[95000], 1e-9);
	free(v);
	free(c);
}

Test(stats, dataset_counter_as_power_and_window)
{
	/* counter J at t 0, 1, 4: powers 10 W and 20/3 W; twa 30 J / 4 s. */
	double t[] = { 0, 1, 4 }, e[] = { 0, 10, 30 };
	double gt[] = { 0, 1, 2, 3 }, gv[] = { 50, 60, 70, 80 };
	struct wl_dataset ds;
	struct wl_metric_stats *m;
	struct wl_analysis_opts o;
	struct wl_error err;
	size_t n;

	wl_dataset_init(&ds);
	long a = wl_dataset_channel(&ds, "energy", "J", "package-0", "rapl", WL_DS_COUNTER, 0);
	long b = wl_dataset_channel(&ds, "temperature.gpu", "C", "gpu0", "nvml", WL_DS_GAUGE, 0);
	for (int i = 0; i < 3; i++)
		wl_channel_push(&ds.ch[a], t[i], e[i]);
	for (int i = 0; i < 4; i++)
		wl_channel_push(&ds.ch[b], gt[i], gv[i]);
	cr_assert_eq(wl_stats_dataset(&ds, NULL, &m, &n, NULL, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(m[0].name, "energy (power)");
	cr_assert_str_eq(m[0].unit, "W");
	cr_assert_float_eq(m[0].avg, (10 + 20.0 / 3) / 2, 1e-12);
	cr_assert_float_eq(m[0].twa, 7.5, 1e-12);
	cr_assert_str_eq(m[1].device, "gpu0");
	cr_assert_float_eq(m[1].avg, 65.0, 1e-12);
	free(m);
	wl_analysis_opts_init(&o);
	o.t_from = 1;
	o.t_to = 2;
	cr_assert_eq(wl_stats_dataset(&ds, &o, &m, &n, NULL, &err), 0);
	cr_assert_eq(n, 1, "the counter has no whole interval in [1,2]");
	cr_assert_float_eq(m[0].avg, 65.0, 1e-12);
	cr_assert_eq(m[0].n, 2);
	free(m);
	wl_dataset_release(&ds);
}

double wl_select_double(double *v, size_t n, size_t k); /* src/analyze/stages/sort.h */

Test(stats, quickselect_and_median_dt_match_a_plain_sort)
{
	unsigned x = 7;

	for (size_t n = 1; n < 60; n++) {
		for (int rep = 0; rep < 20; rep++) {
			double v[64], c[64], w[64];
			for (size_t i = 0; i < n; i++) {
				x = x * 1103515245u + 12345u;
				v[i] = (double)((x >> 16) % (rep % 2 ? 3 : 1000)); /* many ties */
			}
			memcpy(c, v, n * sizeof(*v));
			qsort(c, n, sizeof(*c), cmp);
			for (size_t k = 0; k < n; k++) {
				memcpy(w, v, n * sizeof(*v));
				cr_assert_eq(wl_select_double(w, n, k), c[k], "n %zu k %zu", n, k);
			}
		}
	}
	/* median of dts 3, 1, 2, 2 (t = 0 3 4 6 8) = 2; of 3, 1, 2, 4 = 2.5 */
	double t1[] = { 0, 3, 4, 6, 8 }, t2[] = { 0, 3, 4, 6, 10 };
	cr_assert_float_eq(wl_series_median_dt(t1, 5), 2.0, 1e-15);
	cr_assert_float_eq(wl_series_median_dt(t2, 5), 2.5, 1e-15);
}

Test(stats, radix_sort_with_ties_and_signs)
{
	size_t n = 50000;
	double *v = malloc(n * sizeof(*v)), *c = malloc(n * sizeof(*c));
	struct wl_metric_stats s;
	unsigned x = 99;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		v[i] = ((int)((x >> 16) % 201) - 100) * 0.25; /* -25 .. 25, many ties */
	}
	v[7] = -0.0;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp);
	cr_assert_eq(wl_stats_compute(NULL, v, n, 0, &s), 0);
	cr_assert_eq(s.min, c[0]);
	cr_assert_eq(s.max, c[n - 1]);
	/* p50 at 0.5 (n-1) = 24999.5: mean of c[24999] and c[25000] */
	cr_assert_float_eq(s.p50, 0.5 * (c[24999] + c[25000]), 1e-12);
	/* the definition is GSL's: check against GSL on the plainly sorted copy */
	cr_assert_float_eq(s.p95, gsl_stats_quantile_from_sorted_data(c, 1, n, 0.95), 1e-12);
	cr_assert_float_eq(s.p99, gsl_stats_quantile_from_sorted_data(c, 1, n, 0.99), 1e-12);
	double m[201] = { 0 }; /* the mode by counting, ties to the smaller */
	size_t best = 0;
	for (size_t i = 0; i < n; i++)
		m[(size_t)(c[i] * 4 + 100)]++;
	for (size_t k = 1; k < 201; k++)
		if (m[k] > m[best])
			best = k;
	cr_assert_float_eq(s.mode, ((double)best - 100) / 4, 1e-12);
	cr_assert_float_eq(s.resolution, 0.01, 1e-15); /* 0.25 steps need 2 decimals */
	free(v);
	free(c);
}

/* The resolution and mode-table rules the loaded and the streamed
 * statistics share (analysis.h), by hand: 0.25 is a multiple of 0.01 but
 * not of 0.1; 1234.5 of 0.1 (1e-6 relative above 1); 100.000001 of 1 only
 * within 1e-6 relative (1e-6 off: 1e-8 relative), not 1e-9; [0, 10] at 0.1 is 100 steps
 * (+3 cells), [0, 1e6] at 0.1 is 1e7 > 2^22 cells: no table. */
Test(stats, shared_resolution_and_mode_table_rules)
{
	size_t cells = 0;
	long long base = -1;

	cr_assert_eq(wl_res_off(0.25, 2, WL_RES_TOL), 0);
	cr_assert_eq(wl_res_off(0.25, 1, WL_RES_TOL), 1);
	cr_assert_eq(wl_res_off(1234.5, 1, WL_RES_TOL), 0);
	cr_assert_eq(wl_res_off(100.000001, 0, WL_RES_TOL), 0);
	cr_assert_eq(wl_res_off(100.000001, 0, 1e-9), 1);
	cr_assert_eq(wl_mode_table(0, 10, 0.1, &cells, &base), 1);
	cr_assert_eq(cells, 103);
	cr_assert_eq(base, 0);
	cr_assert_eq(wl_mode_table(-5, 5, 1, &cells, &base), 1);
	cr_assert_eq(cells, 13);
	cr_assert_eq(base, -5);
	cr_assert_eq(wl_mode_table(0, 1e6, 0.1, &cells, &base), 0);
}
