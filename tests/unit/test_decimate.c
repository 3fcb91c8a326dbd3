/* test_decimate.c - the streaming envelope of src/render/decimate.c. */
#include <criterion/criterion.h>
#include <math.h>

#include "wattlog/plot.h"

Test(decimate, columns_by_hand)
{
	struct wl_envelope e;

	/* [0, 10) in 5 columns of 2 s: t = 0..9.5 step 0.5, v = t.
	 * Column 2 holds t = 4, 4.5, 5, 5.5: min 4, max 5.5, mean 4.75. */
	cr_assert_eq(wl_envelope_init(&e, 0, 10, 5, 4), 0);
	for (int k = 0; k < 20; k++)
		wl_envelope_feed(&e, k * 0.5, k * 0.5);
	cr_expect_eq(e.fed, 20);
	cr_expect_eq(wl_envelope_is_raw(&e), 0);
	cr_expect_eq(e.col[2].n, 4);
	cr_expect_float_eq(e.col[2].min, 4, 0);
	cr_expect_float_eq(e.col[2].max, 5.5, 0);
	cr_expect_float_eq(e.col[2].sum / e.col[2].n, 4.75, 1e-12);
	cr_expect_eq(wl_envelope_column(&e, 10), 4); /* t1 in the last column */
	cr_expect_eq(wl_envelope_column(&e, -1), 0);
	wl_envelope_release(&e);
}

Test(decimate, spike_survives)
{
	struct wl_envelope e;
	size_t k, c;

	/* 1,000,000 samples of 100 W over 1000 s with one 500 W sample at
	 * t = 612.3456 s: the column holding it has max 500, the others 100. */
	cr_assert_eq(wl_envelope_init(&e, 0, 1000, 800, 1600), 0);
	for (k = 0; k < 1000000; k++) {
		double t = k * 0.001;

		wl_envelope_feed(&e, t, k == 612345 ? 500 : 100);
	}
	c = wl_envelope_column(&e, 612.345);
	cr_expect_eq(c, 489); /* floor(612.345 / 1000 * 800) */
	cr_expect_float_eq(e.col[c].max, 500, 0);
	cr_expect_float_eq(e.col[c + 1].max, 100, 0);
	cr_expect_float_eq(e.col[c].min, 100, 0);
	wl_envelope_release(&e);
}

Test(decimate, raw_when_few_and_ignores_outside)
{
	struct wl_envelope e;

	cr_assert_eq(wl_envelope_init(&e, 10, 20, 100, 200), 0);
	wl_envelope_feed(&e, 5, 1);    /* before the window */
	wl_envelope_feed(&e, 12, NAN); /* no value */
	wl_envelope_feed(&e, 12, 3);
	wl_envelope_feed(&e, 25, 1);   /* after */
	cr_expect_eq(e.fed, 1);
	cr_expect_eq(wl_envelope_is_raw(&e), 1);
	cr_expect_float_eq(e.rt[0], 12, 0);
	cr_expect_float_eq(e.rv[0], 3, 0);
	wl_envelope_release(&e);
	cr_expect_eq(wl_envelope_init(&e, 20, 10, 100, 0), -1);
}

Test(decimate, open_ended_doubles)
{
	struct wl_envelope e;

	/* [0, 10) in 4 columns of 2.5 s; t = 1 and 3 go to columns 0 and 1.
	 * t = 12 doubles the window to [0, 20) in columns of 5 s: the old
	 * columns 0 and 1 merge into column 0 (n 2, min 1, max 3) and 12
	 * falls in column floor(12 / 5) = 2.  t = 45 doubles twice more, to
	 * [0, 80) in 20 s columns: column 0 then holds 1, 3 and 12. */
	cr_assert_eq(wl_envelope_init_open(&e, 0, 10, 4, 0), 0);
	wl_envelope_feed(&e, 1, 1);
	wl_envelope_feed(&e, 3, 3);
	cr_expect_eq(e.col[0].n, 1);
	cr_expect_eq(e.col[1].n, 1);
	wl_envelope_feed(&e, 12, 12);
	cr_expect_float_eq(e.t1, 20, 0);
	cr_expect_eq(e.col[0].n, 2);
	cr_expect_float_eq(e.col[0].min, 1, 0);
	cr_expect_float_eq(e.col[0].max, 3, 0);
	cr_expect_eq(e.col[1].n, 0);
	cr_expect_eq(e.col[2].n, 1);
	wl_envelope_feed(&e, 45, 45);
	cr_expect_float_eq(e.t1, 80, 0);
	cr_expect_eq(e.col[0].n, 3);
	cr_expect_float_eq(e.col[0].sum, 16, 0);
	cr_expect_eq(e.col[2].n, 1); /* 45 / 20 = 2.25 */
	cr_expect_float_eq(e.t_last, 45, 0);
	wl_envelope_release(&e);
}
