/* test_axes.c - layout math of src/render/axes.c against hand-worked cases. */
#include <criterion/criterion.h>
#include <math.h>

#include "wattlog/plot.h"

Test(axes, step_is_1_2_5)
{
	/* span 10, 5 intervals: raw 2 -> 2; span 7, 5: raw 1.4 -> 2;
	 * span 0.3, 5: raw 0.06 -> 0.1; span 430, 4: raw 107.5 -> 200;
	 * span 44, 9: raw 4.89 -> 5; span 1, 10: raw 0.1 -> 0.1 exactly. */
	cr_expect_float_eq(wl_axis_step(10, 5), 2, 1e-12);
	cr_expect_float_eq(wl_axis_step(7, 5), 2, 1e-12);
	cr_expect_float_eq(wl_axis_step(0.3, 5), 0.1, 1e-12);
	cr_expect_float_eq(wl_axis_step(430, 4), 200, 1e-9);
	cr_expect_float_eq(wl_axis_step(44, 9), 5, 1e-12);
	cr_expect_float_eq(wl_axis_step(1, 10), 0.1, 1e-12);
	cr_expect_float_eq(wl_axis_step(86400, 6), 20000, 1e-6);
}

Test(axes, ticks_inside_range)
{
	struct wl_ticks t;

	/* 0..44 s at most 10 ticks: step 5, ticks 0,5,...,40 (9 ticks). */
	wl_axis_ticks(0, 44, 10, &t);
	cr_assert_eq(t.n, 9);
	cr_expect_float_eq(t.step, 5, 1e-12);
	cr_expect_float_eq(t.v[0], 0, 1e-12);
	cr_expect_float_eq(t.v[8], 40, 1e-12);
	cr_expect_eq(t.decimals, 0);
	/* 78..352 W at most 5: step for 274/4 = 68.5 is 100: 100, 200, 300. */
	wl_axis_ticks(78, 352, 5, &t);
	cr_assert_eq(t.n, 3);
	cr_expect_float_eq(t.v[0], 100, 1e-9);
	cr_expect_float_eq(t.v[2], 300, 1e-9);
	/* -0.3..0.25 at most 6: raw 0.11 -> 0.2: -0.2, 0, 0.2; 1 decimal. */
	wl_axis_ticks(-0.3, 0.25, 6, &t);
	cr_assert_eq(t.n, 3);
	cr_expect_float_eq(t.v[0], -0.2, 1e-12);
	cr_expect(t.v[1] == 0 && !signbit(t.v[1]));
	cr_expect_eq(t.decimals, 1);
}

Test(axes, ticks_degenerate_range)
{
	struct wl_ticks t;

	/* A flat 80 W line: widened by 10 % to 72..88; step for 16/4 = 4 is
	 * 5: 75, 80, 85. */
	wl_axis_ticks(80, 80, 5, &t);
	cr_assert_eq(t.n, 3);
	cr_expect_float_eq(t.v[0], 75, 1e-9);
	cr_expect_float_eq(t.v[2], 85, 1e-9);
}

Test(axes, nice_range)
{
	double lo = 0, hi = 364;

	/* 4 ticks: step for 364/3 = 121 is 200 -> 0..400. */
	wl_axis_nice_range(&lo, &hi, 4);
	cr_expect_float_eq(lo, 0, 1e-12);
	cr_expect_float_eq(hi, 400, 1e-9);
	lo = 1035;
	hi = 1410;
	/* 5 ticks: 375/4 = 93.75 -> 100: 1000..1500. */
	wl_axis_nice_range(&lo, &hi, 5);
	cr_expect_float_eq(lo, 1000, 1e-9);
	cr_expect_float_eq(hi, 1500, 1e-9);
}

Test(axes, format)
{
	struct wl_ticks t;
	char buf[32];

	wl_axis_ticks(-1, 1, 5, &t); /* step 0.5, 1 decimal */
	wl_axis_format(&t, -0.5, buf, sizeof(buf));
	cr_expect_str_eq(buf, "-0.5");
	wl_axis_format(&t, -1e-17, buf, sizeof(buf));
	cr_expect_str_eq(buf, "0.0");
	wl_axis_ticks(0, 86400, 6, &t); /* step 20000 */
	wl_axis_format(&t, 40000, buf, sizeof(buf));
	cr_expect_str_eq(buf, "40000");
}

Test(axes, time_unit)
{
	double d;

	cr_expect_str_eq(wl_axis_time_unit(44, &d), "s");
	cr_expect_float_eq(d, 1, 0);
	cr_expect_str_eq(wl_axis_time_unit(300, &d), "s");
	cr_expect_str_eq(wl_axis_time_unit(301, &d), "min");
	cr_expect_float_eq(d, 60, 0);
	cr_expect_str_eq(wl_axis_time_unit(5 * 3600, &d), "min");
	cr_expect_str_eq(wl_axis_time_unit(86400, &d), "h");
	cr_expect_float_eq(d, 3600, 0);
}

Test(layout, rows_without_overlap)
{
	/* Labels 20 wide at 10, 25, 40, 100 in [0, 200], gap 2: 10 -> row 0
	 * (edges 0..20); 25 clashes with 10 (|15| < 20 + 2) -> row 1; 40
	 * clashes with nothing in row 0 (|30| >= 22) -> row 0; 100 -> row 0. */
	double x[4] = { 10, 25, 40, 100 }, w[4] = { 20, 20, 20, 20 };
	int row[4];

	cr_expect_eq(wl_layout_rows(x, w, 4, 0, 200, 2, row), 2);
	cr_expect_eq(row[0], 0);
	cr_expect_eq(row[1], 1);
	cr_expect_eq(row[2], 0);
	cr_expect_eq(row[3], 0);
}

Test(layout, rows_clamped_inside)
{
	/* A 30-wide label centred at 5 in [0, 100] moves to 15; one at 95
	 * moves to 85. */
	double x[2] = { 5, 95 }, w[2] = { 30, 30 };
	int row[2];

	cr_expect_eq(wl_layout_rows(x, w, 2, 0, 100, 2, row), 1);
	cr_expect_float_eq(x[0], 15, 1e-12);
	cr_expect_float_eq(x[1], 85, 1e-12);
}

Test(layout, overlaps)
{
	double x[3] = { 0, 30, 60 }, w[3] = { 20, 20, 20 };

	/* Gaps between edges are 10: fine with gap 10, not with gap 11. */
	cr_expect_eq(wl_layout_overlaps(x, w, 3, 10), 0);
	cr_expect_eq(wl_layout_overlaps(x, w, 3, 11), 1);
}
