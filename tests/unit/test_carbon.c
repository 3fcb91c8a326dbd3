/* test_carbon.c - energy to carbon (src/analyze/stages/carbon.c, intensity.c,
 * regions.c): grams computed by hand for constant and step intensities. */
#include <math.h>
#include <time.h>

#include "ingest_testutil.h"
#include "wattlog/carbon.h"

#define FX "fixtures/csv/"

static double utc(int y, int mo, int d, int h, int mi, double s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi };

	return (double)timegm(&tm) + s;
}

static struct wl_series series(int from_counter, size_t n, double *t, double *p)
{
	struct wl_series s = { .from_counter = from_counter, .n = n, .t = t, .p = p };

	snprintf(s.name, sizeof(s.name), "total");
	return s;
}

Test(carbon, constant_intensity_pue_and_embodied)
{
	double t[] = { 0, 1800, 3600 }, p[] = { 100, 100, 100 };
	struct wl_series s = series(0, 3, t, p);
	struct wl_intensity in;
	struct wl_carbon c;
	struct wl_error err = { { 0 } };

	cr_assert_eq(wl_intensity_const(&in, 400, &err), 0);
	cr_assert_eq(wl_carbon_compute(&s, NAN, &in, 1.5, 10, &c, &err), 0, "%s", err.msg);
	/* 100 W for 1 h = 0.1 kWh; x 400 g/kWh x PUE 1.5 = 60 g; 10 g/h x 1 h */
	cr_assert_float_eq(c.energy_kwh, 0.1, 1e-12);
	cr_assert_float_eq(c.facility_kwh, 0.15, 1e-12);
	cr_assert_float_eq(c.operational_g, 60.0, 1e-9);
	cr_assert_float_eq(c.embodied_g, 10.0, 1e-9);
	cr_assert_float_eq(c.total_g, 70.0, 1e-9);
	cr_assert_float_eq(c.intensity_avg, 400.0, 1e-9);
	cr_assert_float_eq(c.duration_s, 3600.0, 1e-9);
	cr_assert_eq(wl_carbon_compute(&s, NAN, &in, 0.5, 0, &c, &err), -1, "PUE < 1");
	cr_assert_eq(wl_intensity_const(&in, -1, &err), -1);
	wl_intensity_release(&in);
}

Test(carbon, step_trace_constant_power)
{
	/* Steps: 12:00:00 100, 12:00:10 300, 12:00:20 200 (holds 10 s, the
	 * median step).  100 W from 12:00:05 to 12:00:25, samples at 0, 7, 20 s:
	 * 500 J at 100 + 1000 J at 300 + 500 J at 200 g/kWh. */
	double t[] = { 0, 7, 20 }, p[] = { 100, 100, 100 };
	double want = (500 * 100.0 + 1000 * 300.0 + 500 * 200.0) / 3.6e6;
	struct wl_series s = series(0, 3, t, p);
	struct wl_intensity in;
	struct wl_carbon c;
	struct wl_error err = { { 0 } };

	cr_assert_eq(wl_intensity_load(&in, FX "intensity_steps.csv", "g/kWh", NULL, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(in.n, 3);
	cr_assert_float_eq(in.last_step, 10.0, 1e-9);
	cr_assert_eq(wl_carbon_compute(&s, utc(2024, 3, 10, 12, 0, 5), &in, 1, 0, &c, &err), 0,
		     "%s", err.msg);
	cr_assert_float_eq(c.operational_g, want, 1e-12);
	cr_assert_float_eq(c.energy_kwh, 2000 / 3.6e6, 1e-15);
	cr_assert_float_eq(c.intensity_min, 100.0, 1e-12);
	cr_assert_float_eq(c.intensity_max, 300.0, 1e-12);
	cr_assert_float_eq(c.intensity_avg, want / (2000 / 3.6e6), 1e-9);
	wl_intensity_release(&in);
}

Test(carbon, step_trace_ramp_and_counter_series)
{
	/* Gauge ramp 0 -> 200 W over 0..20 s from 12:00:00: the split at 10 s
	 * gives 500 J (mean 50 W) at 100 and 1500 J (mean 150 W) at 300. */
	double t[] = { 0, 20 }, p[] = { 0, 200 };
	double tc[] = { 0, 10, 20 }, pc[] = { NAN, 100, 50 };
	struct wl_series s = series(0, 2, t, p), sc = series(1, 3, tc, pc);
	struct wl_intensity in;
	struct wl_carbon c;
	struct wl_error err = { { 0 } };
	double t0 = utc(2024, 3, 10, 12, 0, 0);

	cr_assert_eq(wl_intensity_load(&in, FX "intensity_steps.csv", NULL, NULL, &err), 0);
	cr_assert_eq(wl_carbon_compute(&s, t0, &in, 1, 0, &c, &err), 0, "%s", err.msg);
	cr_assert_float_eq(c.operational_g, (500 * 100.0 + 1500 * 300.0) / 3.6e6, 1e-12);
	/* Counter: mean 100 W over (0,10], 50 W over (10,20] */
	cr_assert_eq(wl_carbon_compute(&sc, t0, &in, 2, 0, &c, &err), 0, "%s", err.msg);
	cr_assert_float_eq(c.operational_g, 2 * (1000 * 100.0 + 500 * 300.0) / 3.6e6, 1e-12);
	wl_intensity_release(&in);
}

Test(carbon, outside_coverage_is_an_error)
{
	double t[] = { 0, 20 }, p[] = { 100, 100 };
	struct wl_series s = series(0, 2, t, p);
	struct wl_intensity in;
	struct wl_carbon c;
	struct wl_error err = { { 0 } };

	cr_assert_eq(wl_intensity_load(&in, FX "intensity_steps.csv", NULL, NULL, &err), 0);
	cr_assert_eq(wl_carbon_compute(&s, utc(2024, 3, 10, 11, 59, 50), &in, 1, 0, &c, &err), -1);
	cr_assert(strstr(err.msg, "outside"), "%s", err.msg);
	cr_assert_eq(wl_carbon_compute(&s, utc(2024, 3, 10, 12, 0, 15), &in, 1, 0, &c, &err), -1,
		     "ends after the last step");
	cr_assert_eq(wl_carbon_compute(&s, NAN, &in, 1, 0, &c, &err), -1);
	cr_assert(strstr(err.msg, "wall-clock"), "%s", err.msg);
	wl_intensity_release(&in);
}

Test(carbon, lb_per_mwh_conversion)
{
	double t[] = { 0, 10 }, p[] = { 360, 360 };
	struct wl_series s = series(0, 2, t, p);
	struct wl_intensity in;
	struct wl_carbon c;
	struct wl_error err = { { 0 } };

	cr_assert_eq(wl_intensity_load(&in, FX "intensity_steps.csv", "lb/MWh", NULL, &err), 0);
	/* 1 lb/MWh = 453.59237 g / 1000 kWh */
	cr_assert_float_eq(in.g_per_kwh[1], 300 * 453.59237 / 1000, 1e-9);
	/* 360 W x 10 s = 3600 J = 0.001 kWh at 100 lb/MWh */
	cr_assert_eq(wl_carbon_compute(&s, utc(2024, 3, 10, 12, 0, 0), &in, 1, 0, &c, &err), 0);
	cr_assert_float_eq(c.operational_g, 0.001 * 100 * 0.45359237, 1e-12);
	wl_intensity_release(&in);
	cr_assert_eq(wl_intensity_load(&in, FX "intensity_steps.csv", "lb/kWh", NULL, &err), -1);
	cr_assert_eq(wl_intensity_load(&in, FX "intensity_dup.csv", NULL, NULL, &err), -1);
	cr_assert(strstr(err.msg, "line 4"), "%s", err.msg);
	cr_assert_eq(wl_intensity_load(&in, FX "empty.csv", NULL, NULL, &err), -1);
}

Test(carbon, region_table)
{
	struct wl_intensity in;
	struct wl_error err = { { 0 } };
	const struct wl_region *r;
	size_t n;

	r = wl_regions(&n);
	cr_assert_geq(n, 5);
	for (size_t i = 0; i < n; i++) {
		cr_assert(r[i].avg_source && r[i].avg_source[0], "%s has no source", r[i].code);
		cr_assert(r[i].avg_year >= 2015 && r[i].avg_year <= 2030, "%s year", r[i].code);
		cr_assert(r[i].avg_g_per_kwh > 0 && r[i].avg_g_per_kwh < 1200, "%s", r[i].code);
		cr_assert(isnan(r[i].marg_g_per_kwh) || r[i].marg_source, "%s", r[i].code);
		for (size_t k = 0; k < i; k++)
			cr_assert_str_neq(r[i].code, r[k].code);
	}
	cr_assert_eq(wl_intensity_region(&in, r[0].code, 0, &err), 0);
	cr_assert_eq(in.constant, r[0].avg_g_per_kwh);
	cr_assert(strstr(in.label, r[0].avg_source), "%s", in.label);
	cr_assert_eq(wl_intensity_region(&in, "XX-NOWHERE", 0, &err), -1);
	cr_assert(strstr(err.msg, "XX-NOWHERE"), "%s", err.msg);
}

Test(carbon, real_watttime_trace)
{
	char dir[4096], path[8192];
	struct wl_intensity in;
	struct wl_error err = { { 0 } };
	size_t rows;

	if (!real_traces("carbon-intensity", dir, sizeof(dir)))
		cr_skip_test("real traces absent (set WL_SHARED or ../shared)");
	snprintf(path, sizeof(path), "%s/watttime2023_caiso-north_actual.csv", dir);
	rows = count_lines(path) - 1;
	cr_assert_eq(wl_intensity_load(&in, path, "lb/MWh", NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(in.n, rows);
	cr_assert_float_eq(in.last_step, 300.0, 1e-9);
	cr_assert_float_eq(in.t[0], utc(2023, 6, 8, 0, 0, 0), 1e-9);
	cr_assert_float_eq(in.g_per_kwh[0], 425.01605069 * 0.45359237, 1e-9);
	cr_assert_float_eq(wl_intensity_at(&in, utc(2023, 6, 8, 0, 7, 0)),
			   432.27352861 * 0.45359237, 1e-9); /* the 00:05 row holds until 00:10 */
	wl_intensity_release(&in);
}
