/*
 * test_fit.c - power models fitted to measurements (fit.h): the linear fit
 * against the normal equations solved here by hand, the power law on
 * noiseless data, and the power law on simulated traces, whose true
 * parameters are those that made them (`wattlog simulate`'s model).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/fit.h"
#include "wattlog/simulate.h"

static void data_of(struct wl_fit_data *d, size_t nx, const double *x, const double *y,
		    size_t n)
{
	static unsigned char cont[64];
	static double t[64];
	size_t i;

	wl_fit_data_init(d, nx);
	d->x = (double *)(uintptr_t)x;
	d->y = (double *)(uintptr_t)y;
	for (i = 0; i < n; i++) {
		t[i] = (double)i;
		cont[i] = i > 0;
	}
	d->t = t;
	d->cont = cont;
	d->n = n;
	d->step_s = 1;
}

/* A power-law model on one metric, x_sat 0.45, and its rows. */
static void powerlaw_on(struct wl_fit_model *m, struct wl_fit_data *d, const double *x,
			const double *y, size_t n)
{
	wl_fit_model_init(m);
	m->kind = WL_FIT_POWER_LAW;
	m->nx = 1;
	m->x_sat = 0.45;
	data_of(d, 1, x, y, n);
}

static double det3(const double a[3][3])
{
	return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
	       a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
	       a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
}

/* P = a + b1 x1 + b2 x2 on 6 rows: the normal equations (X'X) c = X'y
 * built and solved here by Cramer's rule; the CI half-widths from
 * s^2 (X'X)^-1 (the inverse's diagonal by cofactors) and t(0.975, 3) =
 * 3.182446305284263 (a t table); R^2, RMSE and the lag-1 autocorrelation
 * from the residuals. */
Test(fit, linear_matches_normal_equations)
{
	static const double x[6][2] = { { 10, 1200 }, { 20, 1300 }, { 35, 1250 },
					{ 50, 1400 }, { 80, 1100 }, { 95, 1380 } };
	static const double y[6] = { 120, 150, 171, 230, 248, 320 };
	const char *names[2] = { "sm_active gpu0", "clocks.sm gpu0" };
	double A[3][3] = { { 0 } }, b[3] = { 0 }, c[3], M[3][3], D, rss = 0, tss = 0, my = 0;
	double lag = 0, ep = 0, s2, inv[3];
	struct wl_fit_model m;
	struct wl_fit_data d;
	struct wl_error err;
	size_t i, j, k;

	for (i = 0; i < 6; i++) {
		double row[3] = { 1, x[i][0], x[i][1] };

		for (j = 0; j < 3; j++) {
			b[j] += row[j] * y[i];
			for (k = 0; k < 3; k++)
				A[j][k] += row[j] * row[k];
		}
		my += y[i] / 6;
	}
	D = det3(A);
	for (j = 0; j < 3; j++) {
		memcpy(M, A, sizeof(M));
		for (k = 0; k < 3; k++)
			M[k][j] = b[k];
		c[j] = det3(M) / D;
	}
	/* (A^-1)_jj = cofactor_jj / det */
	inv[0] = (A[1][1] * A[2][2] - A[1][2] * A[2][1]) / D;
	inv[1] = (A[0][0] * A[2][2] - A[0][2] * A[2][0]) / D;
	inv[2] = (A[0][0] * A[1][1] - A[0][1] * A[1][0]) / D;
	for (i = 0; i < 6; i++) {
		double e = y[i] - (c[0] + c[1] * x[i][0] + c[2] * x[i][1]);

		rss += e * e;
		tss += (y[i] - my) * (y[i] - my);
		if (i)
			lag += e * ep;
		ep = e;
	}
	s2 = rss / 3;

	wl_fit_model_init(&m);
	m.kind = WL_FIT_LINEAR;
	m.nx = 2;
	for (j = 0; j < 2; j++) {
		snprintf(m.x[j], sizeof(m.x[j]), "%s", names[j]);
		m.x_scale[j] = 1;
	}
	data_of(&d, 2, &x[0][0], y, 6);
	cr_assert_eq(wl_fit_run(&d, &m, &err), 0, "%s", err.msg);
	cr_assert_eq(m.np, 3);
	cr_expect_str_eq(m.p[0].name, "a");
	cr_expect_str_eq(m.p[2].name, "b clocks.sm gpu0");
	for (j = 0; j < 3; j++) {
		double hw = 3.182446305284263 * sqrt(s2 * inv[j]);

		cr_expect(fabs(m.p[j].value - c[j]) <= 1e-8 * (fabs(c[j]) + 1), "c%zu %.12g vs %.12g",
			  j, m.p[j].value, c[j]);
		cr_expect(fabs(m.p[j].se - sqrt(s2 * inv[j])) <= 1e-7 * sqrt(s2 * inv[j]),
			  "se%zu %.12g vs %.12g", j, m.p[j].se, sqrt(s2 * inv[j]));
		cr_expect(fabs((m.p[j].ci_hi - m.p[j].ci_lo) / 2 - hw) <= 1e-7 * hw);
	}
	cr_expect(fabs(m.r2 - (1 - rss / tss)) < 1e-10);
	cr_expect(fabs(m.rmse_w - sqrt(rss / 6)) < 1e-9);
	cr_expect(fabs(m.acf1 - lag / rss) < 1e-9);
	cr_expect(fabs(wl_fit_eval(&m, x[3]) - (c[0] + c[1] * 50 + c[2] * 1400)) < 1e-7);
}

/* Two identical columns: rank 2 of 3, refused with a message. */
Test(fit, linear_refuses_dependent_metrics)
{
	static const double x[5][2] = { { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 } };
	static const double y[5] = { 1, 2, 3, 5, 4 };
	struct wl_fit_model m;
	struct wl_fit_data d;
	struct wl_error err;

	wl_fit_model_init(&m);
	m.kind = WL_FIT_LINEAR;
	m.nx = 2;
	data_of(&d, 2, &x[0][0], y, 5);
	cr_assert_eq(wl_fit_run(&d, &m, &err), -1);
	cr_expect(strstr(err.msg, "linearly dependent"), "%s", err.msg);
}

/* Noiseless P = 60 + 640 min(1, x / 0.45)^0.7 at x = 0, 0.02, ..., 0.6:
 * the fit recovers the parameters exactly (to 1e-7) with R^2 = 1. */
Test(fit, powerlaw_noiseless_exact)
{
	double x[31], y[31];
	struct wl_fit_model m;
	struct wl_fit_data d;
	struct wl_error err;
	size_t i;

	for (i = 0; i < 31; i++) {
		x[i] = 0.02 * (double)i;
		y[i] = 60 + 640 * pow(fmin(1, x[i] / 0.45), 0.7);
	}
	powerlaw_on(&m, &d, x, y, 31);
	cr_assert_eq(wl_fit_run(&d, &m, &err), 0, "%s", err.msg);
	cr_expect(fabs(m.p[0].value - 60) < 1e-7, "p_idle %.12g", m.p[0].value);
	cr_expect(fabs(m.p[1].value - 700) < 1e-7, "p_max %.12g", m.p[1].value);
	cr_expect(fabs(m.p[2].value - 0.7) < 1e-9, "gamma %.12g", m.p[2].value);
	cr_expect(m.r2 > 1 - 1e-12);
}

/* x only 0 or saturated: nothing sets gamma, refused (not gamma = its
 * starting value with a zero-width interval). */
Test(fit, powerlaw_refuses_unidentified_gamma)
{
	static const double x[8] = { 0, 0, 0, 0, 0.5, 0.6, 0.7, 1.0 };
	static const double y[8] = { 60, 61, 59, 60, 700, 701, 699, 700 };
	struct wl_fit_model m;
	struct wl_fit_data d;
	struct wl_error err;

	powerlaw_on(&m, &d, x, y, 8);
	cr_assert_eq(wl_fit_run(&d, &m, &err), -1);
	cr_expect(strstr(err.msg, "0 of 8 here"), "%s", err.msg);
}

/* ---- on simulated traces -------------------------------------------------- */

static void simulate(const char *sched, uint64_t seed, struct wl_dataset *ds)
{
	struct wl_sim_schedule s;
	struct wl_sim_opts o;
	struct wl_error err;

	wl_sim_schedule_init(&s);
	wl_sim_opts_init(&o);
	o.gpu = wl_sim_gpu_find("H100");
	o.seed = seed;
	cr_assert_eq(wl_sim_schedule_parse(sched, "test", &s, &err), 0, "%s", err.msg);
	wl_dataset_init(ds);
	cr_assert_eq(wl_simulate(&s, &o, ds, &err), 0, "%s", err.msg);
	ds->path = strdup("sim");
	wl_sim_schedule_release(&s);
}

static void fit_on(const struct wl_dataset *ds, struct wl_fit_model *m)
{
	static const char *const x[1] = { "mfu" };
	struct wl_fit_spec spec = { WL_FIT_POWER_LAW, x, 1, NULL, NULL, 0, 0.45 };
	struct wl_fit_data d;
	struct wl_error err;

	wl_fit_model_init(m);
	m->kind = WL_FIT_POWER_LAW;
	m->x_sat = 0.45;
	wl_fit_data_init(&d, 1);
	cr_assert_eq(wl_fit_data_from(ds, &spec, m, NULL, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_fit_run(&d, m, &err), 0, "%s", err.msg);
	cr_expect_str_eq(m->x[0], "mfu gpu0");
	cr_expect_str_eq(m->power, "power.draw gpu0");
	cr_expect_str_eq(m->gpu, "H100");
	wl_fit_data_release(&d);
}

/* The H100 model (60 W, 700 W, gamma 0.7, mfu_sat 0.45), noise as simulate
 * makes it (power +- 2 % of 700 W per sample): P_idle within 3 %; the
 * energy of a run with another schedule predicted within 1 % of its
 * measured energy. */
Test(fit, powerlaw_recovers_simulated_h100)
{
	struct wl_dataset a, b;
	struct wl_fit_model m;
	struct wl_fit_prediction p;
	struct wl_error err;

	simulate("idle 30s, prefill 40s, idle 20s, decode 60s, idle 10s", 11, &a);
	fit_on(&a, &m);
	cr_expect(fabs(m.p[0].value - 60) < 0.03 * 60, "p_idle %g", m.p[0].value);
	cr_expect(fabs(m.p[1].value - 700) < 0.03 * 700, "p_max %g", m.p[1].value);
	cr_expect(fabs(m.p[2].value - 0.7) < 0.1, "gamma %g", m.p[2].value);
	cr_expect(fabs(m.acf1) < 0.15, "independent noise: acf1 %g", m.acf1);

	simulate("decode 30s, prefill 10s, decode 50s, idle 5s, prefill 25s", 12, &b);
	cr_assert_eq(wl_fit_predict(&b, &m, NULL, &p, &err), 0, "%s", err.msg);
	cr_expect(p.total.measured_j > 0);
	cr_expect(fabs(p.total.error_pct) < 1, "energy error %g %%", p.total.error_pct);
	cr_log_info("H100 fit: p_idle %.2f [%.2f, %.2f] W, p_max %.2f W, gamma %.4f, acf1 %.3f; "
		    "other schedule: measured %.0f J, predicted %.0f J (%+.3f %%)", m.p[0].value,
		    m.p[0].ci_lo, m.p[0].ci_hi, m.p[1].value, m.p[2].value, m.acf1,
		    p.total.measured_j, p.total.predicted_j, p.total.error_pct);
	wl_fit_prediction_release(&p);
	wl_fit_model_release(&m);
	wl_dataset_release(&a);
	wl_dataset_release(&b);
}

/* 100 seeds: each 95 % CI holds its true parameter in at least 90 of them.
 * The simulator's noise is independent from sample to sample and the mfu
 * channel is the exact mfu of each sample, so the nominal 95 % should hold
 * (a count below 90 has binomial probability 1.1 % per parameter:
 * the seeds are fixed, so the result is the same on every run). */
Test(fit, powerlaw_ci_coverage_100_seeds)
{
	static const double truth[3] = { 60, 700, 0.7 };
	int hit[3] = { 0 }, all = 0;
	uint64_t seed;
	size_t j;

	for (seed = 1; seed <= 100; seed++) {
		struct wl_dataset ds;
		struct wl_fit_model m;
		int ok = 1;

		simulate("idle 10s, prefill 10s, decode 10s, idle 5s", seed, &ds);
		fit_on(&ds, &m);
		for (j = 0; j < 3; j++) {
			int in = m.p[j].ci_lo <= truth[j] && truth[j] <= m.p[j].ci_hi;

			hit[j] += in;
			ok &= in;
		}
		all += ok;
		wl_fit_model_release(&m);
		wl_dataset_release(&ds);
	}
	cr_log_info("coverage of 100 seeds: p_idle %d, p_max %d, gamma %d, all three %d", hit[0],
		    hit[1], hit[2], all);
	for (j = 0; j < 3; j++)
		cr_expect(hit[j] >= 90, "parameter %zu: truth inside the CI in %d of 100", j,
			  hit[j]);
}
