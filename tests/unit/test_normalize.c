/* test_normalize.c - counters to watts, units (src/analyze/stages/normalize.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "wattlog/analysis.h"

static struct wl_channel *add(struct wl_dataset *ds, const char *name, const char *unit,
			      const char *dev, enum wl_ds_kind kind, double wrap,
			      const double *t, const double *v, size_t n)
{
	long i = wl_dataset_channel(ds, name, unit, dev, "test", kind, wrap);

	cr_assert_geq(i, 0);
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(wl_channel_push(&ds->ch[i], t[k], v[k]), 0);
	return &ds->ch[i];
}

Test(normalize, counter_wrap_and_unchanged_reads)
{
	/* uJ counter wrapping at 10 J.  Hand values:
	 * (0,1]: 1e6 uJ / 1 s = 1 W; the read at t=2 repeats 9e6: merged, so
	 * (1,3]: 2e6 - 9e6 + 10e6 = 3e6 uJ / 2 s = 1.5 W; (3,4]: 0.5 W;
	 * (4,5]: 1.5 W.  Energy: 6 J = the unwrapped difference. */
	double t[] = { 0, 1, 2, 3, 4, 5 };
	double v[] = { 8e6, 9e6, 9e6, 2e6, 2.5e6, 4e6 };
	double et[] = { 0, 1, 3, 4, 5 }, ep[] = { NAN, 1, 1.5, 0.5, 1.5 };
	struct wl_dataset ds;
	struct wl_series s;
	struct wl_error err;

	wl_dataset_init(&ds);
	struct wl_channel *c = add(&ds, "energy", "uJ", "package-0", WL_DS_COUNTER, 10e6, t, v, 6);
	cr_assert_eq(wl_normalize_channel(c, 0, &s, &ds, &err), 0, "%s", err.msg);
	cr_assert_eq(s.from_counter, 1);
	cr_assert_eq(s.n, 5);
	cr_assert(isnan(s.p[0]));
	for (size_t i = 1; i < 5; i++) {
		cr_assert_float_eq(s.t[i], et[i], 1e-12);
		cr_assert_float_eq(s.p[i], ep[i], 1e-12, "p[%zu] = %g", i, s.p[i]);
	}
	for (size_t i = 1; i < s.n; i++)
		cr_assert_neq(s.p[i], 0.0, "an unchanged read became zero power");
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 6.0, 1e-12);
	cr_assert_eq(ds.nwarn, 0);
	wl_series_release(&s);
	wl_dataset_release(&ds);
}

Test(normalize, implausible_jumps_are_excluded_and_warned)
{
	/* J counter, no wrap: t=2 goes backwards (negative, no wrap known),
	 * t=5 jumps 1e6 J in 1 s (> 10 kW).  Kept: (0,1] 10 W, (2,3] 100 W,
	 * (3,4] 5 W, (5,6] 20 W -> 10 + 100 + 5 + 20 = 135 J.  Bridged (the
	 * default): (1,2] at (10 + 100) / 2 W, (4,5] at (5 + 20) / 2 W:
	 * 135 + 55 + 12.5 = 202.5 J. */
	double t[] = { 0, 1, 2, 3, 4, 5, 6 };
	double v[] = { 0, 10, 5, 105, 110, 1e6 + 110, 1e6 + 130 };
	struct wl_dataset ds;
	struct wl_series s;
	struct wl_error err;

	wl_dataset_init(&ds);
	struct wl_channel *c = add(&ds, "energy", "J", "dram", WL_DS_COUNTER, 0, t, v, 7);
	cr_assert_eq(wl_normalize_channel(c, 0, &s, &ds, &err), 0);
	cr_assert_eq(s.n, 7);
	cr_assert(isnan(s.p[2]));
	cr_assert(isnan(s.p[5]));
	cr_assert_float_eq(s.p[3], 100.0, 1e-12);
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 202.5, 1e-9);
	s.keep_gaps_out = 1;
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 135.0, 1e-9);
	cr_assert_eq(ds.assume.n, 1);
	cr_assert_eq(ds.assume.a[0].kind, WL_ASSUME_VALUE);
	cr_assert(strstr(ds.assume.a[0].text, "2 implausible"), "%s", ds.assume.a[0].text);
	wl_series_release(&s);
	/* A lower bound makes the 100 W interval implausible too: (1,3]
	 * bridged at (10 + 5) / 2 W: 10 + 15 + 5 + 12.5 + 20 = 62.5 J. */
	cr_assert_eq(wl_normalize_channel(c, 50, &s, NULL, &err), 0);
	cr_assert(isnan(s.p[3]));
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 62.5, 1e-9);
	s.keep_gaps_out = 1;
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 35.0, 1e-9);
	wl_series_release(&s);
	wl_dataset_release(&ds);
}

Test(normalize, units)
{
	double f;
	struct { const char *u; double f; int energy; } cases[] = {
		{ "W", 1, 0 }, { "mW", 1e-3, 0 }, { "kW", 1e3, 0 }, { "uW", 1e-6, 0 },
		{ "J", 1, 1 }, { "mJ", 1e-3, 1 }, { "uJ", 1e-6, 1 }, { "Wh", 3600, 1 },
		{ "kWh", 3.6e6, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = cases[i].energy ? wl_unit_to_j(cases[i].u, &f) : wl_unit_to_w(cases[i].u, &f);
		cr_assert_eq(rc, 0, "%s", cases[i].u);
		cr_assert_float_eq(f, cases[i].f, 1e-15 * cases[i].f, "%s", cases[i].u);
	}
	cr_assert_eq(wl_unit_to_w("%", &f), -1);
	cr_assert_eq(wl_unit_to_j("W", &f), -1);
}

Test(normalize, gauge_scaled_and_counter_units)
{
	/* mW gauge -> W; Wh counter: 0.001 Wh in 2 s = 3.6 J / 2 s = 1.8 W. */
	double t[] = { 0, 1, 1, 2 }, v[] = { 12713, 9000, 9893, 500 };
	double ct[] = { 0, 2 }, cv[] = { 1.0, 1.001 };
	struct wl_dataset ds;
	struct wl_series s;
	struct wl_error err;

	wl_dataset_init(&ds);
	struct wl_channel *g = add(&ds, "VDD_IN", "mW", "VDD_IN", WL_DS_GAUGE, 0, t, v, 4);
	cr_assert_eq(wl_normalize_channel(g, 0, &s, NULL, &err), 0);
	cr_assert_eq(s.from_counter, 0);
	cr_assert_eq(s.n, 4, "a repeated instant keeps both readings");
	cr_assert_float_eq(s.p[0], 12.713, 1e-12);
	cr_assert_float_eq(s.p[2], 9.893, 1e-12);
	cr_assert_float_eq(s.p[3], 0.5, 1e-12);
	/* trapezoid as numpy.trapz on the rows: (12.713 + 9)/2 + 0 + (9.893 + 0.5)/2 */
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY),
			   (12.713 + 9) / 2 + (9.893 + 0.5) / 2, 1e-12);
	wl_series_release(&s);
	struct wl_channel *c = add(&ds, "energy", "Wh", "node", WL_DS_COUNTER, 0, ct, cv, 2);
	cr_assert_eq(wl_normalize_channel(c, 0, &s, NULL, &err), 0);
	cr_assert_float_eq(s.p[1], 1.8, 1e-9);
	wl_series_release(&s);
	struct wl_channel *bad = add(&ds, "util", "%", "gpu0", WL_DS_GAUGE, 0, t, v, 1);
	cr_assert_eq(wl_normalize_channel(bad, 0, &s, NULL, &err), -1);
	cr_assert(strstr(err.msg, "unknown power unit '%'"), "%s", err.msg);
	wl_dataset_release(&ds);
}

Test(normalize, median_dt)
{
	double t[] = { 0, 1, 1, 3, 4, 7 }; /* positive dts 1, 2, 1, 3 -> 1.5 */

	cr_assert_float_eq(wl_series_median_dt(t, 6), 1.5, 1e-15);
	cr_assert_eq(wl_series_median_dt(t, 1), 0.0);
}
