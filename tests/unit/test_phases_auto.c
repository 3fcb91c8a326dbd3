/*
 * test_phases_auto.c - change points, the running median, the labelling
 * rules, and automatic phases on simulated traces whose truth is their
 * schedule.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/phases.h"
#include "wattlog/simulate.h"

/* Two steps in one feature, deterministic +-0.3 noise: 0 (40), 5 (30), 1 (30);
 * with noise variance 0.09 a split gains about n Delta^2 >> penalty 20. */
Test(segment, pelt_finds_steps)
{
	double x[100];
	size_t *b = NULL, i;
	long nb;

	for (i = 0; i < 100; i++)
		x[i] = (i < 40 ? 0 : i < 70 ? 5 : 1) + ((double)((i * 7) % 3) - 1) * 0.3;
	nb = wl_phases_pelt(x, 100, 1, 3, 20, &b);
	cr_assert_eq(nb, 2);
	cr_expect_eq(b[0], 40);
	cr_expect_eq(b[1], 70);
	free(b);
	/* A flat series has no change point. */
	for (i = 0; i < 100; i++)
		x[i] = ((double)((i * 7) % 3) - 1) * 0.3;
	nb = wl_phases_pelt(x, 100, 1, 3, 20, &b);
	cr_expect_eq(nb, 0);
	free(b);
}

/* Two features, a change in the second only: splitting 30 | 30 samples at
 * the step of 30 gains 30 * 30 / 60 * 30^2 = 13500 > pen 5000.  A 2-sample
 * blip of 49 in the first costs about 2 * 49^2 = 4800 left in, less than the
 * two boundaries (10000) cutting it out would cost. */
Test(segment, pelt_multivariate_and_min_len)
{
	double x[2 * 60];
	size_t *b = NULL, i;
	long nb;

	for (i = 0; i < 60; i++) {
		x[2 * i] = 1.0;
		x[2 * i + 1] = i < 30 ? 0.0 : 30.0;
	}
	x[2 * 10] = 50, x[2 * 11] = 50;
	nb = wl_phases_pelt(x, 60, 2, 3, 5000, &b);
	cr_assert_eq(nb, 1, "nb %ld first %zu", nb, nb > 0 ? b[0] : 0);
	cr_expect_eq(b[0], 30);
	free(b);
}

/* Above 2000 samples PELT runs on block means; the boundaries must still
 * come out at full resolution: steps at 7777 and 15001 of 20000 samples. */
Test(segment, long_series_keeps_full_resolution)
{
	size_t n = 20000, *b = NULL, i;
	double *x = malloc(n * sizeof(*x));
	long nb;

	cr_assert(x);
	for (i = 0; i < n; i++)
		x[i] = (i < 7777 ? 0 : i < 15001 ? 4 : 1) + ((double)((i * 7) % 3) - 1) * 0.3;
	nb = wl_phases_segment(x, n, 1, 3, 40, &b);
	cr_assert_eq(nb, 2, "%ld boundaries", nb);
	cr_expect_eq(b[0], 7777);
	cr_expect_eq(b[1], 15001);
	free(b);
	free(x);
}

Test(segment, running_median)
{
	const double x[] = { 0, 0, 9, 0, 0, 5, 5, 5, 0, 5 };
	const double want[] = { 0, 0, 0, 0, 5, 5, 5, 5, 5, 5 };
	double out[10];
	size_t i;

	/* Window 5, shrunk symmetrically at the edges: out[1] = median(0,0,9)
	 * = 0, out[4] = median(9,0,0,5,5) = 5, out[8] = median(5,5,0) = 5
	 * (x[7..9]), out[9] = x[9]. */
	wl_phases_median_filter(x, 10, 5, out);
	for (i = 0; i < 10; i++)
		cr_expect_eq(out[i], want[i], "out[%zu] = %f", i, out[i]);
}

Test(segment, running_median_wide_window)
{
	/* Window 7 (h = 3) over a descending ramp with a spike of 100 at i = 6,
	 * by hand: i = 3 takes x[0..6] = 19..14,100, sorted 14,15,16,17,18,19,
	 * 100: 17; i = 4 x[1..7] -> 12,14,15,16,17,18,100: 16; i = 6 x[3..9] ->
	 * 10,11,12,14,15,16,100: 14; i = 7 x[4..10] -> 9,10,11,12,14,15,100:
	 * 12; i = 11 shrinks to x[9..13] = 10,9,8,7,6: 8; the edges i = 0, 13
	 * are their own value, i = 1 median(19,18,17) = 18. */
	const double x[] = { 19, 18, 17, 16, 15, 14, 100, 12, 11, 10, 9, 8, 7, 6 };
	const double want[] = { 19, 18, 17, 17, 16, 15, 14, 12, 11, 10, 9, 8, 7, 6 };
	double out[14];
	size_t i;

	wl_phases_median_filter(x, 14, 7, out);
	for (i = 0; i < 14; i++)
		cr_expect_eq(out[i], want[i], "out[%zu] = %f", i, out[i]);
}

static struct wl_phase_levels lv_full(void)
{
	struct wl_phase_levels lv = { 80, 300, 1410, 1, 1 };

	return lv;
}

static struct wl_phase_sig sig(double p, double sm, double ten, double dram, double util,
			       double clk)
{
	struct wl_phase_sig s = { p, sm, ten, dram, util, clk, 1 };

	return s;
}

Test(label, rules)
{
	struct wl_phase_levels lv = lv_full(), po = { 80, 300, NAN, 0, 0 };
	struct wl_phase_sig s;
	double c;

	/* AIMeter A800 medians: idle, prefill, decode. */
	s = sig(83, 0, 0, 0, 0, 1410);
	cr_expect_str_eq(wl_phases_label(&s, &lv, &c), "idle");
	cr_expect_eq(c, 1.0);
	s = sig(300, 100, 70, 17, 100, 1155);
	cr_expect_str_eq(wl_phases_label(&s, &lv, &c), "prefill");
	cr_expect(c > 0.9);
	s = sig(296, 100, 0, 34, 100, 1410);
	cr_expect_str_eq(wl_phases_label(&s, &lv, &c), "decode");
	cr_expect(c > 0.9);
	/* Attention burst: tensor low, DRAM high, but the clock is pulled down:
	 * (12 - 47) / 64 = -0.55, clock term +1: prefill, low confidence. */
	s = sig(290, 100, 12, 47, 100, 1095);
	cr_expect_str_eq(wl_phases_label(&s, &lv, &c), "prefill");
	cr_expect(c < 0.8);
	/* Busy without tensor/DRAM: active, never prefill/decode. */
	lv.has_mix = 0;
	s = sig(300, 100, NAN, NAN, 100, 1155);
	cr_expect_str_eq(wl_phases_label(&s, &lv, &c), "active");
	/* Power only: threshold 80 + 0.3 * 220 = 146 W. */
	s = sig(140, NAN, NAN, NAN, NAN, NAN);
	cr_expect_str_eq(wl_phases_label(&s, &po, &c), "idle");
	s = sig(152, NAN, NAN, NAN, NAN, NAN);
	cr_expect_str_eq(wl_phases_label(&s, &po, &c), "active");
	/* A flat power-only trace (range < 15 W) is one idle level. */
	po.p_hi = 90;
	cr_expect_str_eq(wl_phases_label(&s, &po, &c), "idle");
}

static void simulate(const char *sched, uint64_t seed, double noise, double period,
		     struct wl_dataset *ds, struct wl_sim_schedule *s)
{
	struct wl_sim_opts o;
	struct wl_error err;

	wl_sim_schedule_init(s);
	cr_assert_eq(wl_sim_schedule_parse(sched, "t", s, &err), 0);
	wl_sim_opts_init(&o);
	o.seed = seed;
	o.noise = noise;
	o.period_s = period;
	o.jitter_s = 0.05 * period;
	wl_dataset_init(ds);
	cr_assert_eq(wl_simulate(s, &o, ds, &err), 0, "%s", err.msg);
}

/* Labels in schedule order, each boundary within one period of the truth. */
Test(auto_phases, simulated_schedule_recovered)
{
	const char *scheds[] = {
		"idle 2s, prefill 8s, idle 15s, decode 17s",
		"prefill 3s, decode 6s, idle 2s, prefill 2s, decode 4s",
	};
	size_t q;

	for (q = 0; q < 2; q++) {
		struct wl_dataset ds;
		struct wl_sim_schedule s;
		struct wl_phase_list pl;
		struct wl_error err;
		double t = 0;
		size_t i;

		simulate(scheds[q], 17 + q, 0.03, 0.1, &ds, &s);
		wl_phase_list_init(&pl);
		cr_assert_eq(wl_phases_auto(&ds, NULL, &pl, &err), 0, "%s", err.msg);
		cr_assert_eq(pl.n, s.n, "%s: %zu phases found", scheds[q], pl.n);
		for (i = 0; i < s.n; i++) {
			cr_expect_str_eq(pl.p[i].label, s.p[i].label);
			cr_expect(fabs(pl.p[i].start_s - t) <= 0.1, "%s: phase %zu starts %f, "
				  "truth %f", scheds[q], i, pl.p[i].start_s, t);
			cr_expect(pl.p[i].confidence > 0.5 && pl.p[i].confidence <= 1);
			t += s.p[i].dur_s;
		}
		wl_phase_list_release(&pl);
		wl_dataset_release(&ds);
		wl_sim_schedule_release(&s);
	}
}

/* Power alone: only idle/active, and the busy time agrees with the truth. */
Test(auto_phases, power_only_is_idle_or_active)
{
	struct wl_dataset ds, po;
	struct wl_sim_schedule s;
	struct wl_phase_list pl;
	struct wl_error err;
	const struct wl_channel *p;
	long c;
	size_t i, agree = 0;

	simulate("idle 3s, prefill 4s, idle 5s, decode 8s, idle 2s", 3, 0.02, 0.1, &ds, &s);
	p = &ds.ch[wl_dataset_find(&ds, "power.draw", "gpu0")];
	wl_dataset_init(&po);
	c = wl_dataset_channel(&po, "power.draw", "W", "gpu0", "nvidia-smi", WL_DS_GAUGE, 0);
	cr_assert(c >= 0 && wl_channel_component(&po.ch[c], "gpu0") == 0);
	for (i = 0; i < p->n; i++)
		cr_assert_eq(wl_channel_push(&po.ch[c], p->t[i], p->v[i]), 0);
	wl_phase_list_init(&pl);
	cr_assert_eq(wl_phases_auto(&po, NULL, &pl, &err), 0, "%s", err.msg);
	for (i = 0; i < pl.n; i++)
		cr_expect(!strcmp(pl.p[i].label, "idle") || !strcmp(pl.p[i].label, "active"),
			  "label %s", pl.p[i].label);
	cr_expect_eq(pl.n, 5);
	for (i = 0; i < p->n; i++) {
		double t = p->t[i];
		int busy = (t >= 3 && t < 7) || (t >= 12 && t < 20);
		size_t k;

		for (k = 0; k < pl.n; k++)
			if (t >= pl.p[k].start_s && t <= pl.p[k].end_s)
				break;
		agree += k < pl.n && busy == !strcmp(pl.p[k].label, "active");
	}
	cr_expect(agree >= 0.98 * (double)p->n, "%zu of %zu samples", agree, p->n);
	wl_phase_list_release(&pl);
	wl_dataset_release(&po);
	wl_dataset_release(&ds);
	wl_sim_schedule_release(&s);
}

/* The phases tile the trace, so their energies sum to the total; the total
 * is checked against a trapezoid sum computed here from the samples. */
Test(auto_phases, energy_sums_to_total)
{
	struct wl_dataset ds;
	struct wl_sim_schedule s;
	struct wl_phase_list pl;
	struct wl_error err;
	const struct wl_channel *p;
	double sum = 0, trap = 0;
	size_t i;

	simulate("idle 2s, prefill 5s, idle 4s, decode 6s", 9, 0.02, 0.05, &ds, &s);
	wl_phase_list_init(&pl);
	cr_assert_eq(wl_phases_find(&ds, NULL, &pl, &err), 0, "%s", err.msg);
	cr_expect(strstr(pl.method, "auto") != NULL, "truth markers are not markers");
	p = &ds.ch[wl_dataset_find(&ds, "power.draw", "gpu0")];
	for (i = 1; i < p->n; i++)
		trap += 0.5 * (p->v[i] + p->v[i - 1]) * (p->t[i] - p->t[i - 1]);
	for (i = 0; i < pl.n; i++) {
		sum += pl.p[i].energy_j;
		cr_expect(pl.p[i].peak_power_w >= pl.p[i].avg_power_w);
		if (i)
			cr_expect_eq(pl.p[i].start_s, pl.p[i - 1].end_s);
	}
	cr_expect(fabs(pl.total_energy_j - trap) <= 1e-9 * trap, "%f vs %f", pl.total_energy_j,
		  trap);
	cr_expect(fabs(sum - trap) <= 1e-9 * trap, "%f vs %f", sum, trap);
	wl_phase_list_release(&pl);
	wl_dataset_release(&ds);
	wl_sim_schedule_release(&s);
}

Test(auto_phases, no_channels_is_an_error)
{
	struct wl_dataset ds;
	struct wl_phase_list pl;
	struct wl_error err;
	long c;

	wl_dataset_init(&ds);
	ds.path = strdup("x.csv");
	c = wl_dataset_channel(&ds, "temperature.gpu", "C", "gpu0", "nvml", WL_DS_GAUGE, 0);
	cr_assert(c >= 0 && wl_channel_push(&ds.ch[c], 0, 40) == 0);
	wl_phase_list_init(&pl);
	cr_expect_eq(wl_phases_auto(&ds, NULL, &pl, &err), -1);
	cr_expect(strstr(err.msg, "no power and no activity channel in 'x.csv'") ||
		  strstr(err.msg, "'x.csv': no power and no activity channel"), "%s", err.msg);
	wl_phase_list_release(&pl);
	wl_dataset_release(&ds);
}
