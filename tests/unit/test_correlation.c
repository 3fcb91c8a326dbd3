/* test_correlation.c - resampling and Pearson correlation
 * (src/analyze/stages/resample.c, correlation.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/analysis.h"

static long gauge(struct wl_dataset *ds, const char *name, const double *t, const double *v,
		  size_t n)
{
	long i = wl_dataset_channel(ds, name, "W", "", "test", WL_DS_GAUGE, 0);

	for (size_t k = 0; k < n; k++)
		cr_assert_eq(wl_channel_push(&ds->ch[i], t[k], v[k]), 0);
	return i;
}

static long find(const struct wl_correlation *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->metrics[i], name))
			return (long)i;
	return -1;
}

Test(correlation, hand_case_and_pairwise_complete)
{
	/* x = 1 2 3 4, y = 2 1 4 3: deviations +-1.5, +-0.5; sum dx dy = 3,
	 * sum dx^2 = sum dy^2 = 5 -> r = 0.6.  A fifth row where y is
	 * missing must not count. */
	double v[] = { 1, 2, 3, 4, 100, 2, 1, 4, 3, NAN };
	char names[2][96] = { "x", "y" };
	char units[2][16] = { "W", "W" };
	struct wl_grid g = { .t0 = 0, .step_s = 1, .nbins = 5, .ncols = 2,
			     .name = names, .unit = units, .v = v };
	struct wl_correlation c;
	struct wl_error err;

	cr_assert_eq(wl_correlation_compute(&g, NULL, &c, &err), 0);
	cr_assert_eq(c.n, 2);
	cr_assert_float_eq(c.r[1], 0.6, 1e-12);
	cr_assert_float_eq(c.r[2], 0.6, 1e-12);
	cr_assert_eq(c.r[0], 1.0);
	cr_assert_eq(c.ntop_pos, 1);
	cr_assert_eq(c.ntop_neg, 0);
	wl_correlation_release(&c);
	/* The same rows without the incomplete one take the complete-column
	 * path (dot products of standardized columns): r = 0.6 again. */
	double v4[] = { 1, 2, 3, 4, 2, 1, 4, 3 };
	g.nbins = 4;
	g.v = v4;
	cr_assert_eq(wl_correlation_compute(&g, NULL, &c, &err), 0);
	cr_assert_float_eq(c.r[1], 0.6, 1e-12);
	wl_correlation_release(&c);
}

Test(correlation, constructed_series_and_exclusions)
{
	double t[10], x[10], y[10], z[10], k[10], x2[10], mt[3], mv[3] = { 1, 5, 2 };
	struct wl_dataset ds;
	struct wl_analysis_opts o;
	struct wl_grid g;
	struct wl_correlation c;
	struct wl_error err;

	for (int i = 0; i < 10; i++) {
		t[i] = i;
		x[i] = i * i;
		y[i] = 2 * x[i] + 1;
		z[i] = -x[i];
		k[i] = 5 + (i % 2 ? 1e-13 : 0); /* flat but for rounding noise */
		x2[i] = x[i];
	}
	mt[0] = 0; mt[1] = 4; mt[2] = 8;
	wl_dataset_init(&ds);
	gauge(&ds, "x", t, x, 10);
	gauge(&ds, "y", t, y, 10);
	gauge(&ds, "z", t, z, 10);
	gauge(&ds, "k", t, k, 10);
	gauge(&ds, "m", mt, mv, 3);
	gauge(&ds, "x2", t, x2, 10);
	wl_analysis_opts_init(&o);
	o.grid_s = 1;
	cr_assert_eq(wl_resample(&ds, &o, &g, &err), 0, "%s", err.msg);
	cr_assert_eq(g.nbins, 10);
	cr_assert_eq(g.ncols, 6);
	cr_assert_eq(wl_correlation_compute(&g, &o, &c, &err), 0);
	cr_assert_eq(c.n, 4);
	cr_assert_eq(c.nexcluded, 2);
	cr_assert(strstr(c.excluded[0], "k: constant"), "%s", c.excluded[0]);
	cr_assert(strstr(c.excluded[1], "m: 70% empty bins"), "%s", c.excluded[1]);
	long ix = find(&c, "x"), iy = find(&c, "y"), iz = find(&c, "z");
	cr_assert_float_eq(c.r[ix * c.n + iy], 1.0, 1e-12);
	cr_assert_float_eq(c.r[ix * c.n + iz], -1.0, 1e-12);
	cr_assert_float_eq(c.top_pos[0].r, 1.0, 1e-12);
	cr_assert_float_eq(c.top_neg[0].r, -1.0, 1e-12);
	cr_assert_eq(c.ntop_pos, 3); /* x-y, x-x2, y-x2 */
	cr_assert_eq(c.ntop_neg, 3);
	wl_correlation_release(&c);
	o.exclude_identical = 1;
	o.top = 1;
	cr_assert_eq(wl_correlation_compute(&g, &o, &c, &err), 0);
	cr_assert_eq(c.ntop_pos, 1);
	cr_assert_neq(strcmp(c.metrics[c.top_pos[0].a], "x") == 0 &&
		      strcmp(c.metrics[c.top_pos[0].b], "x2") == 0, 1);
	wl_correlation_release(&c);
	wl_grid_release(&g);
	wl_dataset_release(&ds);
}

Test(correlation, bin_averages_and_default_grid)
{
	/* a at 0.25 s steps, b at 1 s: the default grid is the slower 1 s,
	 * starting half a step early: bins [-0.5, 0.5), [0.5, 1.5), [1.5, 2.5).
	 * a: mean(0, 1) = 0.5, mean(2, 3, 4, 5) = 3.5, mean(6, 7) = 6.5. */
	double ta[8], va[8], tb[] = { 0, 1 }, vb[] = { 7, 8 };
	struct wl_dataset ds;
	struct wl_grid g;
	struct wl_error err;

	for (int i = 0; i < 8; i++) {
		ta[i] = 0.25 * i;
		va[i] = i;
	}
	wl_dataset_init(&ds);
	gauge(&ds, "a", ta, va, 8);
	gauge(&ds, "b", tb, vb, 2);
	cr_assert_eq(wl_resample(&ds, NULL, &g, &err), 0);
	cr_assert_float_eq(g.step_s, 1.0, 1e-15);
	cr_assert_eq(g.nbins, 3);
	cr_assert_float_eq(g.t0, -0.5, 1e-15);
	cr_assert_float_eq(g.v[0], 0.5, 1e-12);
	cr_assert_float_eq(g.v[1], 3.5, 1e-12);
	cr_assert_float_eq(g.v[2], 6.5, 1e-12);
	cr_assert_eq(g.v[3], 7.0);
	cr_assert_eq(g.v[4], 8.0);
	cr_assert(isnan(g.v[5]));
	wl_grid_release(&g);
	wl_dataset_release(&ds);
}

Test(correlation, resample_refuses_an_infinite_span)
{
	/* times that overflowed (1e308 - -1e308 = inf) must not size the grid:
	 * (b - a) / step was inf / inf = NaN, cast to a bin count (issue 17) */
	double t[] = { 0, INFINITY }, v[] = { 100, 100 };
	struct wl_dataset ds;
	struct wl_grid g;
	struct wl_error err;

	wl_dataset_init(&ds);
	gauge(&ds, "power", t, v, 2);
	cr_assert_eq(wl_resample(&ds, NULL, &g, &err), -1);
	cr_assert(strstr(err.msg, "not finite"), "%s", err.msg);
	wl_dataset_release(&ds);
}

/* The grid's one rule (wl_grid_plan), as the loaded and the streamed report
 * use it, on offers made by hand: a dense gauge (1000 samples, 10 ms), a
 * sparse one (5 < 1000 / 100), one not able; over 0..10 s. */
static void offers(struct wl_dataset *ds, struct wl_grid_offer *off)
{
	double t[] = { 0, 1 }, v[] = { 1, 2 };

	wl_dataset_init(ds);
	gauge(ds, "dense", t, v, 2);
	gauge(ds, "sparse", t, v, 2);
	gauge(ds, "other", t, v, 2);
	memset(off, 0, 3 * sizeof(*off));
	off[0] = (struct wl_grid_offer){ 1, 1000, 0.01, 0 };
	off[1] = (struct wl_grid_offer){ 1, 5, 2.0, 0 };
	off[2] = (struct wl_grid_offer){ 0, 0, 0, 0 };
}

Test(correlation, grid_plan_columns_step_and_sparse_note)
{
	struct wl_dataset ds;
	struct wl_grid_offer off[3];
	struct wl_grid g;
	struct wl_error err;

	offers(&ds, off);
	cr_assert_eq(wl_grid_plan(&ds, off, 0, 10, NULL, 0, &g, &err), 0, "%s", err.msg);
	/* the sparse gauge's 2 s does not set the step: the dense one's 10 ms */
	cr_assert_float_eq(g.step_s, 0.01, 1e-15);
	cr_assert_float_eq(g.t0, -0.005, 1e-15);
	cr_assert_eq(g.nbins, 1001); /* 10 / 0.01 + 1 */
	cr_assert_eq(g.ncols, 1);
	cr_assert_eq(off[0].col, 0);
	cr_assert_eq(off[1].col, WL_GRID_NONE);
	cr_assert_eq(off[2].col, WL_GRID_NONE);
	cr_assert_str_eq(g.name[0], "dense");
	cr_assert_str_eq(g.note, "sparse channels left out (samples): sparse (5)");
	for (size_t k = 0; k < g.nbins; k++)
		cr_assert_eq(g.v[k], 0.0);
	wl_grid_release(&g);
	wl_dataset_release(&ds);
}

Test(correlation, grid_plan_asked_step_kept_unless_bounded)
{
	/* --grid 10 us over 10 s: 1 000 001 bins.  Loaded, the asked grid is
	 * kept; bounded (streamed), it is coarsened by ceil(1000001 / 200000)
	 * = 6 to 60 us (floor(10 / 6e-5 + 0.5) + 1 = 166 668 bins) and noted. */
	struct wl_analysis_opts o;
	struct wl_dataset ds;
	struct wl_grid_offer off[3];
	struct wl_grid g;
	struct wl_error err;

	wl_analysis_opts_init(&o);
	o.grid_s = 1e-5;
	offers(&ds, off);
	cr_assert_eq(wl_grid_plan(&ds, off, 0, 10, &o, 0, &g, &err), 0, "%s", err.msg);
	cr_assert_float_eq(g.step_s, 1e-5, 1e-20);
	cr_assert_eq(g.nbins, 1000001);
	cr_assert_str_eq(g.note, "sparse channels left out (samples): sparse (5)");
	wl_grid_release(&g);
	cr_assert_eq(wl_grid_plan(&ds, off, 0, 10, &o, 1, &g, &err), 0, "%s", err.msg);
	cr_assert_float_eq(g.step_s, 6e-5, 1e-18);
	cr_assert_eq(g.nbins, 166668);
	cr_assert_str_eq(g.note, "grid coarsened from 1e-05 s to 6e-05 s to hold at most "
			 "200000 bins (streaming report); sparse channels left out (samples): "
			 "sparse (5)");
	wl_grid_release(&g);
	/* nothing able: no grid, said */
	off[0].able = off[1].able = 0;
	cr_assert_eq(wl_grid_plan(&ds, off, 0, 10, &o, 1, &g, &err), 1);
	cr_assert(strstr(err.msg, "nothing to resample"), "%s", err.msg);
	wl_dataset_release(&ds);
}

/* The correlation stage's rule (wl_correlate) on a single-rate input whose
 * instants jitter (0.1 s +- 0.03 s: a bin of the default grid, the median
 * interval, holds 0, 1 or 2 readings): r over the 40 rows, equal to
 * the two-pass Pearson computed here, and no grid step; with one value
 * missing it is no longer single-rate: r over the bins, as
 * wl_correlation_compute gives on wl_resample's grid. */
Test(correlation, correlate_rows_of_a_single_rate_input_else_bins)
{
	double t[40], x[40], y[40], mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0, want;
	struct wl_dataset ds;
	struct wl_grid g, g2;
	struct wl_correlation c, c2;
	struct wl_error err;
	int k;

	for (k = 0; k < 40; k++) {
		t[k] = 0.1 * k + (k % 3 == 1 ? 0.03 : k % 3 == 2 ? -0.03 : 0);
		x[k] = (k * 7 % 11) + 0.5 * k;
		y[k] = (k * 5 % 13) - 0.25 * k;
		mx += x[k] / 40;
		my += y[k] / 40;
	}
	for (k = 0; k < 40; k++) {
		sxy += (x[k] - mx) * (y[k] - my);
		sxx += (x[k] - mx) * (x[k] - mx);
		syy += (y[k] - my) * (y[k] - my);
	}
	want = sxy / sqrt(sxx * syy);
	wl_dataset_init(&ds);
	gauge(&ds, "x", t, x, 40);
	gauge(&ds, "y", t, y, 40);
	cr_assert_eq(wl_correlate(&ds, NULL, &g, &c, &err), 0, "%s", err.msg);
	cr_assert(isnan(c.step_s));
	cr_assert_eq(c.nbins, 40);
	cr_assert_float_eq(c.r[1], want, 1e-12, "r %.17g, want %.17g", c.r[1], want);
	/* the bins would not give it: some hold two rows, some none */
	cr_assert_eq(wl_correlation_compute(&g, NULL, &c2, &err), 0, "%s", err.msg);
	cr_assert(fabs(c2.r[1] - want) > 1e-6, "bins %.17g rows %.17g", c2.r[1], want);
	wl_correlation_release(&c2);
	wl_correlation_release(&c);
	wl_grid_release(&g);
	/* y without its 20th reading: not every metric on every row */
	ds.ch[1].t[20] = ds.ch[1].t[21];
	ds.ch[1].v[20] = ds.ch[1].v[21];
	ds.ch[1].n = 39;
	memmove(ds.ch[1].t + 21, ds.ch[1].t + 22, 18 * sizeof(double));
	memmove(ds.ch[1].v + 21, ds.ch[1].v + 22, 18 * sizeof(double));
	cr_assert_eq(wl_correlate(&ds, NULL, &g, &c, &err), 0, "%s", err.msg);
	cr_assert(!isnan(c.step_s));
	cr_assert_eq(wl_resample(&ds, NULL, &g2, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_correlation_compute(&g2, NULL, &c2, &err), 0, "%s", err.msg);
	cr_assert_eq(c.nbins, c2.nbins);
	cr_assert_eq(c.r[1], c2.r[1]);
	wl_correlation_release(&c2);
	wl_correlation_release(&c);
	wl_grid_release(&g2);
	wl_grid_release(&g);
	wl_dataset_release(&ds);
}

/* The row accumulator (wl_corr_rows) on a hand case: x = 1..5,
 * y = 2 4 5 4 5: mean 3 and 4, Sxy = 6, Sxx = 10, Syy = 6, r = 6 / sqrt(60);
 * z = 5..1 (r = -1 with x); w constant (excluded); u = x (identical). */
Test(correlation, rows_hand_case)
{
	static const double rows[5][5] = {
		{ 1, 2, 5, 7, 1 }, { 2, 4, 4, 7, 2 }, { 3, 5, 3, 7, 3 },
		{ 4, 4, 2, 7, 4 }, { 5, 5, 1, 7, 5 },
	};
	static const char *const names[] = { "x", "y", "z", "w", "u" };
	const double centre[5] = { 100, -3, 0.5, 7, 1e6 }; /* any centre gives r */
	struct wl_analysis_opts o;
	struct wl_corr_rows a;
	struct wl_correlation c;
	struct wl_error err;
	struct wl_grid g;
	char name[5][96];
	size_t i;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < 5; i++)
		snprintf(name[i], sizeof(name[i]), "%s", names[i]);
	g.name = name;
	g.ncols = 5;
	wl_analysis_opts_init(&o);
	o.exclude_identical = 1;
	cr_assert_eq(wl_corr_rows_init(&a, 5, centre, 1), 0);
	for (i = 0; i < 5; i++)
		wl_corr_rows_push(&a, rows[i]);
	cr_assert_eq(wl_corr_rows_finish(&a, &g, &o, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.n, 4, "w is constant");
	cr_assert_eq(c.nexcluded, 1);
	cr_expect_str_eq(c.excluded[0], "w: constant (7)");
	cr_expect_eq(c.nbins, 5);
	cr_expect(isnan(c.step_s));
	cr_expect_str_eq(c.metrics[3], "u");
	cr_expect_float_eq(c.r[0 * 4 + 1], 6 / sqrt(60), 1e-12, "r(x,y) %.17g", c.r[1]);
	cr_expect_float_eq(c.r[0 * 4 + 2], -1.0, 1e-12);
	cr_expect_float_eq(c.r[0 * 4 + 3], 1.0, 1e-12);
	cr_expect_float_eq(c.r[1 * 4 + 2], -6 / sqrt(60), 1e-12);
	/* top positive: (x,y) and (y,u) at 0.7746; (x,u) identical: left out */
	cr_assert_eq(c.ntop_pos, 2);
	cr_expect_float_eq(c.top_pos[0].r, 6 / sqrt(60), 1e-12);
	for (i = 0; i < c.ntop_pos; i++)
		cr_expect(!(c.top_pos[i].a == 0 && c.top_pos[i].b == 3), "x,u identical");
	cr_expect_float_eq(c.top_neg[0].r, -1.0, 1e-12);
	wl_correlation_release(&c);
	wl_corr_rows_release(&a);
}
