/*
 * simulate.c - synthetic GPU telemetry from a phase schedule (simulate.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wattlog/simulate.h"
#include "wattlog/trace_format.h"

/* ---- PRNG: splitmix64 (seeding) and xoshiro256** -------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void wl_rng_seed(struct wl_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t wl_rng_next(struct wl_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

double wl_rng_uniform(struct wl_rng *r)
{
	return (double)(wl_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Box-Muller: z = sqrt(-2 ln u1) cos(2 pi u2), u1 in (0, 1]. */
double wl_rng_normal(struct wl_rng *r)
{
	double u1 = 1.0 - wl_rng_uniform(r), u2 = wl_rng_uniform(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* ---- model ---------------------------------------------------------------- */

static const struct wl_sim_gpu gpus[] = {
	{ "A100", 100.0, 400.0, 1410.0 },
	{ "H100", 60.0, 700.0, 1980.0 },
	{ "A40", 30.0, 300.0, 1740.0 },
};

const struct wl_sim_gpu *wl_sim_gpu_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(gpus) / sizeof(gpus[0]); i++)
		if (!strcasecmp(name, gpus[i].name))
			return &gpus[i];
	return NULL;
}

void wl_sim_opts_init(struct wl_sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->gpu = &gpus[0];
	o->period_s = 0.1;
	o->jitter_s = 0.005;
	o->noise = 0.02;
	o->seed = 1;
	o->mfu_sat = 0.45;
	o->gamma = 0.7;
	o->mfu_prefill = 0.50;
	o->mfu_decode = 0.08;
}

double wl_sim_power_w(const struct wl_sim_gpu *g, double mfu, double mfu_sat, double gamma)
{
	double x = mfu <= 0 ? 0 : mfu >= mfu_sat ? 1 : mfu / mfu_sat;

	return g->p_idle_w + (g->p_max_w - g->p_idle_w) * pow(x, gamma);
}

enum { C_POWER, C_SM, C_OCC, C_TENSOR, C_DRAM, C_UTIL, C_CLOCK, C_MFU, NCH };

static const char *const ch_name[NCH] = {
	"power.draw", "sm_active", "sm_occupancy", "tensor_active", "dram_active",
	"utilization.gpu", "clocks.sm", "mfu",
};
static const char *const ch_unit[NCH] = { "W", "%", "%", "%", "%", "%", "MHz", "ratio" };

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* One sample of phase `label`: v[NCH] before noise; v[C_MFU] is the mfu the
 * power was computed from (0 when idle), written without noise. */
static void signature(const char *label, const struct wl_sim_opts *o, struct wl_rng *r,
		      double *v)
{
	const struct wl_sim_gpu *g = o->gpu;
	double u = wl_rng_uniform(r), mfu;

	memset(v, 0, NCH * sizeof(*v));
	v[C_CLOCK] = g->clock_max_mhz;
	if (!strcmp(label, "idle")) {
		v[C_POWER] = g->p_idle_w;
		if (u < 0.05) /* a monitoring kernel now and then */
			v[C_UTIL] = 1 + 7 * wl_rng_uniform(r);
		return;
	}
	v[C_SM] = 100;
	v[C_UTIL] = 100;
	if (!strcmp(label, "prefill")) {
		/* GEMMs at two shapes, attention and other kernels in between. */
		if (u < 0.45) {
			v[C_TENSOR] = 91, v[C_DRAM] = 18, v[C_OCC] = 12.4;
		} else if (u < 0.85) {
			v[C_TENSOR] = 70, v[C_DRAM] = 13.5, v[C_OCC] = 12.5;
		} else {
			v[C_TENSOR] = 4, v[C_DRAM] = 45, v[C_OCC] = 93;
		}
		mfu = o->mfu_prefill * (1 + 0.1 * wl_rng_normal(r));
		v[C_MFU] = fmax(0, mfu);
		v[C_POWER] = wl_sim_power_w(g, mfu, o->mfu_sat, o->gamma);
		/* The power limit pulls the SM clock to 74-86% of its maximum. */
		v[C_CLOCK] = g->clock_max_mhz * (0.74 + 0.12 * wl_rng_uniform(r));
		return;
	}
	/* decode: steady memory-bound steps, with a dip now and then. */
	if (u < 0.88) {
		v[C_TENSOR] = 0, v[C_DRAM] = 34, v[C_OCC] = 50;
	} else {
		v[C_SM] = 57 + 33 * wl_rng_uniform(r);
		v[C_TENSOR] = 26 * wl_rng_uniform(r);
		v[C_DRAM] = 15 + 50 * wl_rng_uniform(r);
		v[C_OCC] = 5 + 40 * wl_rng_uniform(r);
	}
	if (wl_rng_uniform(r) < 0.3)
		v[C_CLOCK] -= 15;
	mfu = o->mfu_decode * (1 + 0.1 * wl_rng_normal(r));
	v[C_MFU] = fmax(0, mfu);
	v[C_POWER] = wl_sim_power_w(g, mfu, o->mfu_sat, o->gamma);
}

/* Noise: relative std o->noise of each channel's full scale; activity that is
 * exactly 0 stays 0 (counters read 0 when nothing runs). */
static void add_noise(const struct wl_sim_opts *o, struct wl_rng *r, double *v)
{
	int c;

	v[C_POWER] = fmax(0, v[C_POWER] + o->noise * o->gpu->p_max_w * wl_rng_normal(r));
	for (c = C_SM; c <= C_UTIL; c++)
		if (v[c] > 0)
			v[c] = clamp(v[c] + o->noise * 100 * wl_rng_normal(r), 0, 100);
	v[C_CLOCK] += o->noise * 0.5 * o->gpu->clock_max_mhz * wl_rng_normal(r);
	v[C_CLOCK] = 15 * floor(clamp(v[C_CLOCK], 210, o->gpu->clock_max_mhz) / 15 + 0.5);
}

static int add_meta(struct wl_dataset *ds, const struct wl_sim_schedule *s,
		    const struct wl_sim_opts *o)
{
	char buf[64], *sched;
	size_t i, len = 1;
	int rc = 0;

	for (i = 0; i < s->n; i++)
		len += strlen(s->p[i].label) + 32;
	if (!(sched = malloc(len)))
		return -1;
	sched[0] = 0;
	for (i = 0; i < s->n; i++)
		snprintf(sched + strlen(sched), len - strlen(sched), "%s%s %gs", i ? ", " : "",
			 s->p[i].label, s->p[i].dur_s);
	rc |= wl_dataset_meta(ds, "simulate.schedule", sched);
	free(sched);
	rc |= wl_dataset_meta(ds, "gpu0.name", o->gpu->name);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)o->seed);
	rc |= wl_dataset_meta(ds, "simulate.seed", buf);
	snprintf(buf, sizeof(buf), "%g", o->noise);
	rc |= wl_dataset_meta(ds, "simulate.noise", buf);
	snprintf(buf, sizeof(buf), "%g", o->period_s);
	rc |= wl_dataset_meta(ds, "simulate.period_s", buf);
	snprintf(buf, sizeof(buf), "%g", o->jitter_s);
	rc |= wl_dataset_meta(ds, "simulate.jitter_s", buf);
	return rc ? -1 : 0;
}

int wl_simulate(const struct wl_sim_schedule *s, const struct wl_sim_opts *o,
		struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_sim_opts dflt;
	struct wl_rng r;
	long ch[NCH];
	double total = 0, t0;
	size_t i, k, ph = 0;
	int c;

	if (!o) {
		wl_sim_opts_init(&dflt);
		o = &dflt;
	}
	if (!s->n)
		return wl_error_set(err, "cannot simulate: empty schedule");
	if (!(o->period_s > 0) || !(o->jitter_s >= 0) || !(o->noise >= 0) || !o->gpu)
		return wl_error_set(err, "cannot simulate: period must be > 0, jitter and "
				    "noise >= 0");
	for (i = 0; i < s->n; i++)
		total += s->p[i].dur_s;
	if (total / o->period_s > 1e7)
		return wl_error_set(err, "cannot simulate: %.0f samples is too many (at most 1e7)",
				    total / o->period_s);
	wl_rng_seed(&r, o->seed);
	for (c = 0; c < NCH; c++) {
		ch[c] = wl_dataset_channel(ds, ch_name[c], ch_unit[c], "gpu0", "nvml", WL_DS_GAUGE,
					   0);
		if (ch[c] < 0)
			return wl_error_set(err, "out of memory simulating");
	}
	if (wl_channel_component(&ds->ch[ch[C_POWER]], "gpu0") < 0 || add_meta(ds, s, o) < 0)
		return wl_error_set(err, "out of memory simulating");
	/* Markers at the phase boundaries, in time order: at each boundary the
	 * end of the phase before, then the begin of the next. */
	for (i = 0, t0 = 0; i <= s->n; i++) {
		int m, e;

		for (e = 1; e >= 0; e--) {
			size_t q = e ? i - 1 : i;

			if ((e && i == 0) || (!e && i == s->n))
				continue;
			for (m = 0; m <= !!o->markers; m++) {
				char txt[32];

				snprintf(txt, sizeof(txt), "%s %s", e ? "end" : "begin",
					 s->p[q].label);
				if (wl_dataset_marker(ds, t0, m ? 0 : WL_MARKER_TRUTH, txt) < 0)
					return wl_error_set(err, "out of memory simulating");
			}
		}
		if (i < s->n)
			t0 += s->p[i].dur_s;
	}
	t0 = 0;
	for (k = 0;; k++) {
		double j = clamp(o->jitter_s * wl_rng_normal(&r), -0.45 * o->period_s,
				 0.45 * o->period_s);
		double t = (double)k * o->period_s + j, v[NCH];

		/* Sample k is taken for every nominal time k * period < total; the
		 * last one may fall a jitter past the end (it reads the last phase). */
		if ((double)k * o->period_s >= total - 1e-9 * o->period_s)
			break;
		if (k == 0)
			t = 0;
		while (ph + 1 < s->n && t >= t0 + s->p[ph].dur_s)
			t0 += s->p[ph++].dur_s;
		signature(s->p[ph].label, o, &r, v);
		add_noise(o, &r, v);
		for (c = 0; c < NCH; c++)
			if (wl_channel_push(&ds->ch[ch[c]], t, v[c]) < 0)
				return wl_error_set(err, "out of memory simulating");
	}
	return 0;
}
