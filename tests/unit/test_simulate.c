/*
 * test_simulate.c - the PRNG, the schedule parser, the power model and the
 * synthetic traces of `wattlog simulate`.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/simulate.h"
#include "wattlog/trace_format.h"

/* Reference outputs of splitmix64-seeded xoshiro256**, computed with an
 * independent Python transcription of Vigna's reference C code. */
Test(rng, matches_reference_stream)
{
	struct wl_rng r;

	wl_rng_seed(&r, 0);
	cr_expect_eq(wl_rng_next(&r), 0x99ec5f36cb75f2b4ull);
	cr_expect_eq(wl_rng_next(&r), 0xbf6e1f784956452aull);
	wl_rng_seed(&r, 42);
	cr_expect_eq(wl_rng_next(&r), 0x15780b2e0c2ec716ull);
	cr_expect_eq(wl_rng_next(&r), 0x6104d9866d113a7eull);
	cr_expect_eq(wl_rng_next(&r), 0xae17533239e499a1ull);
}

/* 200000 draws: mean of U(0,1) is 1/2 (std of the mean 0.00065), of N(0,1)
 * 0 with variance 1 (std of the variance estimate 0.0032). */
Test(rng, moments)
{
	struct wl_rng r;
	double su = 0, sn = 0, sn2 = 0, umin = 1, umax = 0;
	int i, n = 200000;

	wl_rng_seed(&r, 7);
	for (i = 0; i < n; i++) {
		double u = wl_rng_uniform(&r), z = wl_rng_normal(&r);

		su += u;
		sn += z;
		sn2 += z * z;
		umin = fmin(umin, u);
		umax = fmax(umax, u);
	}
	cr_expect(umin >= 0 && umax < 1);
	cr_expect(fabs(su / n - 0.5) < 0.004, "uniform mean %f", su / n);
	cr_expect(fabs(sn / n) < 0.01, "normal mean %f", sn / n);
	cr_expect(fabs(sn2 / n - 1) < 0.02, "normal variance %f", sn2 / n);
}

Test(schedule, parses_items_units_comments)
{
	struct wl_sim_schedule s;
	struct wl_error err;

	wl_sim_schedule_init(&s);
	cr_assert_eq(wl_sim_schedule_parse("idle 2s, prefill 8s, idle 15s, decode 17s", "x", &s,
					   &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 4);
	cr_expect_str_eq(s.p[1].label, "prefill");
	cr_expect_eq(s.p[1].dur_s, 8.0);
	cr_expect_str_eq(s.p[3].label, "decode");
	cr_expect_eq(s.p[3].dur_s, 17.0);
	cr_assert_eq(wl_sim_schedule_parse("# a file\nidle 500ms\n decode 1.5min ; prefill 2s\n",
					   "f", &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 7);
	cr_expect_eq(s.p[4].dur_s, 0.5);
	cr_expect_eq(s.p[5].dur_s, 90.0);
	cr_expect_str_eq(s.p[6].label, "prefill");
	wl_sim_schedule_release(&s);
}

static void expect_error(const char *text, const char *want)
{
	struct wl_sim_schedule s;
	struct wl_error err;

	wl_sim_schedule_init(&s);
	err.msg[0] = 0;
	cr_expect_eq(wl_sim_schedule_parse(text, "--schedule", &s, &err), -1, "%s", text);
	cr_expect(strstr(err.msg, want) != NULL, "'%s': got '%s', want '%s'", text, err.msg, want);
	wl_sim_schedule_release(&s);
}

Test(schedule, errors_name_the_position)
{
	expect_error("idle 2s, prefil 8s", "--schedule line 1 column 10: unknown phase 'prefil'");
	expect_error("idle 2", "line 1 column 6: duration needs a unit");
	expect_error("idle 2s decode 3s", "line 1 column 9: expected ',' or end");
	expect_error("idle -1s", "line 1 column 6: bad duration '-1s'");
	expect_error("idle 1s,\n  decode x", "line 2 column 10: bad duration 'x'");
	expect_error("  # only a comment\n", "empty schedule");
}

/* P = P_idle + (P_max - P_idle) (mfu / mfu_sat)^gamma, by hand for A100:
 * (0.2 / 0.45)^0.7 = exp(0.7 ln 0.44444) = exp(-0.567654) = 0.566858. */
Test(model, power_of_mfu)
{
	const struct wl_sim_gpu *a100 = wl_sim_gpu_find("a100"), *h100 = wl_sim_gpu_find("H100");

	cr_assert(a100 && h100 && wl_sim_gpu_find("A40") && !wl_sim_gpu_find("V100"));
	cr_expect_eq(wl_sim_power_w(a100, 0, 0.45, 0.7), 100.0);
	cr_expect_eq(wl_sim_power_w(a100, 0.45, 0.45, 0.7), 400.0);
	cr_expect_eq(wl_sim_power_w(a100, 0.9, 0.45, 0.7), 400.0);
	cr_expect(fabs(wl_sim_power_w(a100, 0.2, 0.45, 0.7) - 270.057) < 0.01);
	cr_expect_eq(wl_sim_power_w(h100, 0, 0.45, 0.7), 60.0);
	cr_expect_eq(wl_sim_power_w(h100, 0.45, 0.45, 0.7), 700.0);
}

static void simulate(const char *sched, uint64_t seed, double noise, struct wl_dataset *ds)
{
	struct wl_sim_schedule s;
	struct wl_sim_opts o;
	struct wl_error err;

	wl_sim_schedule_init(&s);
	cr_assert_eq(wl_sim_schedule_parse(sched, "t", &s, &err), 0);
	wl_sim_opts_init(&o);
	o.seed = seed;
	o.noise = noise;
	wl_dataset_init(ds);
	cr_assert_eq(wl_simulate(&s, &o, ds, &err), 0, "%s", err.msg);
	wl_sim_schedule_release(&s);
}

static const struct wl_channel *chan(const struct wl_dataset *ds, const char *name)
{
	long i = wl_dataset_find(ds, name, "gpu0");

	cr_assert(i >= 0, "no channel %s", name);
	return &ds->ch[i];
}

Test(simulate, channels_samples_and_truth_markers)
{
	struct wl_dataset ds;
	const struct wl_channel *p;
	size_t i;

	simulate("idle 2s, prefill 3s, decode 5s", 3, 0.02, &ds);
	p = chan(&ds, "power.draw");
	cr_expect_str_eq(p->unit, "W");
	cr_expect_str_eq(p->source, "nvml");
	cr_expect_str_eq(p->component, "gpu0");
	cr_expect_str_eq(chan(&ds, "clocks.sm")->unit, "MHz");
	cr_expect_str_eq(chan(&ds, "dram_active")->unit, "%");
	/* 10 s at 0.1 s: samples k = 0..99 (jitter is clamped to 0.45 period). */
	cr_expect_eq(p->n, 100);
	for (i = 1; i < p->n; i++)
		cr_assert(p->t[i] > p->t[i - 1] && fabs(p->t[i] - 0.1 * (double)i) <= 0.045 + 1e-12);
	/* In time order: begin idle 0, end idle 2, begin prefill 2, end
	 * prefill 5, begin decode 5, end decode 10. */
	cr_assert_eq(ds.nmk, 6);
	cr_expect_str_eq(ds.mk[0].text, "begin idle");
	cr_expect_eq(ds.mk[0].t, 0.0);
	cr_expect_str_eq(ds.mk[1].text, "end idle");
	cr_expect_eq(ds.mk[1].t, 2.0);
	cr_expect_str_eq(ds.mk[2].text, "begin prefill");
	cr_expect_str_eq(ds.mk[3].text, "end prefill");
	cr_expect_eq(ds.mk[3].t, 5.0);
	cr_expect_eq(ds.mk[5].t, 10.0);
	for (i = 0; i < ds.nmk; i++)
		cr_expect(ds.mk[i].flags & WL_MARKER_TRUTH);
	wl_dataset_release(&ds);
}

/* The signatures by phase, from the samples (schedule boundaries 2 s, 5 s). */
Test(simulate, phase_signatures)
{
	struct wl_dataset ds;
	const struct wl_channel *p, *sm, *ten, *dram, *clk;
	double sum[3][5] = { { 0 } };
	size_t n[3] = { 0 }, i;
	int k;

	simulate("idle 2s, prefill 3s, decode 5s", 11, 0.02, &ds);
	p = chan(&ds, "power.draw"), sm = chan(&ds, "sm_active");
	ten = chan(&ds, "tensor_active"), dram = chan(&ds, "dram_active");
	clk = chan(&ds, "clocks.sm");
	for (i = 0; i < p->n; i++) {
		int ph = p->t[i] < 2 ? 0 : p->t[i] < 5 ? 1 : 2;

		sum[ph][0] += p->v[i], sum[ph][1] += sm->v[i], sum[ph][2] += ten->v[i];
		sum[ph][3] += dram->v[i], sum[ph][4] += clk->v[i];
		n[ph]++;
		if (ph == 0)
			cr_expect_eq(sm->v[i], 0.0, "idle has no SM activity");
	}
	for (k = 0; k < 3; k++)
		for (i = 0; i < 5; i++)
			sum[k][i] /= (double)n[k];
	/* Power: idle 100 W, prefill at the 400 W limit (mfu 0.5 > 0.45 mostly),
	 * decode 100 + 300 (0.08/0.45)^0.7 = 189.5 W; noise 8 W per sample. */
	cr_expect(fabs(sum[0][0] - 100) < 6, "idle %f", sum[0][0]);
	cr_expect(sum[1][0] > 360 && sum[1][0] < 410, "prefill %f", sum[1][0]);
	cr_expect(fabs(sum[2][0] - 189.5) < 15, "decode %f", sum[2][0]);
	cr_expect(sum[1][2] > 3 * sum[1][3], "prefill: tensor above dram");
	cr_expect(sum[2][3] > 3 * sum[2][2], "decode: dram above tensor");
	cr_expect(sum[1][4] < 0.9 * 1410 && sum[2][4] > 0.97 * 1410, "clock prefill %f decode %f",
		  sum[1][4], sum[2][4]);
	wl_dataset_release(&ds);
}

Test(simulate, same_seed_same_trace)
{
	struct wl_dataset a, b, c;
	const struct wl_channel *pa, *pb, *pc;
	size_t i, same = 0;

	simulate("idle 1s, decode 2s", 5, 0.05, &a);
	simulate("idle 1s, decode 2s", 5, 0.05, &b);
	simulate("idle 1s, decode 2s", 6, 0.05, &c);
	pa = chan(&a, "power.draw"), pb = chan(&b, "power.draw"), pc = chan(&c, "power.draw");
	cr_assert_eq(pa->n, pb->n);
	for (i = 0; i < pa->n; i++) {
		cr_expect_eq(pa->v[i], pb->v[i]);
		cr_expect_eq(pa->t[i], pb->t[i]);
		same += i < pc->n && pa->v[i] == pc->v[i];
	}
	cr_expect(same < pa->n / 2, "another seed gives another trace");
	wl_dataset_release(&a);
	wl_dataset_release(&b);
	wl_dataset_release(&c);
}
