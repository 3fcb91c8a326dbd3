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

/* The same samples fed one by one and as runs of 1..97: every column,
 * raw sample and count must be equal bit for bit (both binnings are
 * floor((t - t0) per_s) and the sums are taken in the same order).  The
 * stream has NaN values, times before the window, a step back in time and,
 * for the open-ended envelope, times that double the window. */
static void feed_n_matches(int open, size_t raw)
{
	struct wl_envelope a, b;
	static double t[20000], v[20000];
	size_t k, i, m;

	for (k = 0; k < 20000; k++) {
		t[k] = (raw ? -5 : 0.3) + k * 0.013 + (k == 7000 ? -30 : 0);
		v[k] = k % 501 == 0 ? NAN : sin(k * 0.01) * 100 + (double)(k % 7);
	}
	if (open) {
		cr_assert_eq(wl_envelope_init_open(&a, 0, 3, 64, raw), 0);
		cr_assert_eq(wl_envelope_init_open(&b, 0, 3, 64, raw), 0);
	} else {
		cr_assert_eq(wl_envelope_init(&a, 0, 200, 64, raw), 0);
		cr_assert_eq(wl_envelope_init(&b, 0, 200, 64, raw), 0);
	}
	for (k = 0; k < 20000; k++)
		wl_envelope_feed(&a, t[k], v[k]);
	for (k = 0, m = 1; k < 20000; k += m, m = m % 97 + 1)
		wl_envelope_feed_n(&b, t + k, v + k, k + m > 20000 ? 20000 - k : m);
	cr_expect_eq(a.fed, b.fed);
	cr_expect_eq(a.nraw, b.nraw);
	cr_expect(a.t1 == b.t1 && (a.t_last == b.t_last || (isnan(a.t_last) && isnan(b.t_last))));
	for (i = 0; i < a.ncols; i++) {
		cr_expect_eq(a.col[i].n, b.col[i].n, "column %zu", i);
		cr_expect(a.col[i].sum == b.col[i].sum && a.col[i].min == b.col[i].min &&
			  a.col[i].max == b.col[i].max, "column %zu", i);
	}
	for (i = 0; i < a.nraw; i++)
		cr_expect(a.rt[i] == b.rt[i] && a.rv[i] == b.rv[i]);
	wl_envelope_release(&a);
	wl_envelope_release(&b);
}

Test(decimate, feed_n_equals_feed)
{
	feed_n_matches(0, 50);
	feed_n_matches(1, 50);
	feed_n_matches(0, 0);
	feed_n_matches(1, 0); /* t_last NaN when the first run starts */
}

Test(decimate, rebin_by_hand)
{
	struct wl_envelope f, d;
	size_t k;

	/* Open-ended on [0, 8) in 8 columns of 1 s; v = t at t = 0.5, 1.5,
	 * ..., 9.5 doubles it to [0, 16) in columns of 2 s holding (0.5,
	 * 1.5), (2.5, 3.5), ... (8.5, 9.5).  Folded into [0, 10) in 4 columns
	 * of 2.5 s: the centres 1, 3, 5, 7, 9 (s) go to columns 0, 1, 2, 2, 3
	 * (the fine columns with centres 11, 13, 15 are empty). */
	cr_assert_eq(wl_envelope_init_open(&f, 0, 8, 8, 4), 0);
	for (k = 0; k < 10; k++)
		wl_envelope_feed(&f, k + 0.5, k + 0.5);
	cr_assert_float_eq(f.t1, 16, 0);
	cr_assert_eq(wl_envelope_rebin(&f, 0, 10, 4, &d), 0);
	cr_expect_eq(d.grow, 0);
	cr_expect_eq(d.col[0].n, 2);
	cr_expect_float_eq(d.col[0].min, 0.5, 0);
	cr_expect_float_eq(d.col[0].max, 1.5, 0);
	cr_expect_eq(d.col[1].n, 2);
	cr_expect_float_eq(d.col[1].sum, 6, 0);
	cr_expect_eq(d.col[2].n, 4);
	cr_expect_float_eq(d.col[2].min, 4.5, 0);
	cr_expect_float_eq(d.col[2].max, 7.5, 0);
	cr_expect_float_eq(d.col[2].sum, 4.5 + 5.5 + 6.5 + 7.5, 0);
	cr_expect_eq(d.col[3].n, 2);
	cr_expect_float_eq(d.col[3].max, 9.5, 0);
	/* 10 samples, 4 kept raw: drawn from the columns; raw copied. */
	cr_expect_eq(d.fed, 10);
	cr_expect_eq(wl_envelope_is_raw(&d), 0);
	cr_expect_eq(d.nraw, 4);
	cr_expect_float_eq(d.rt[3], 3.5, 0);
	cr_expect_float_eq(d.t_last, 9.5, 0);
	wl_envelope_release(&d);
	cr_expect_eq(wl_envelope_rebin(&f, 5, 5, 4, &d), -1); /* empty window */
	wl_envelope_release(&f);
}

Test(decimate, feed_n_open_t_last)
{
	struct wl_envelope e;
	const double t[3] = { 1, 2, 1.5 }, v[3] = { 5, NAN, 7 };

	/* No raw samples kept: the first run goes straight to the columns.
	 * t_last is the latest t fed (2), NaN values included; fed counts
	 * the 2 values. */
	cr_assert_eq(wl_envelope_init_open(&e, 0, 10, 4, 0), 0);
	wl_envelope_feed_n(&e, t, v, 3);
	cr_expect_float_eq(e.t_last, 2, 0);
	cr_expect_eq(e.fed, 2);
	cr_expect_eq(e.col[0].n, 2); /* [0, 2.5) holds t = 1 and 1.5 */
	cr_expect_float_eq(e.col[0].sum, 12, 0);
	wl_envelope_release(&e);
}
