/*
 * simulate.h - synthetic GPU traces from a schedule of phases, for tests, the
 * benchmark and the demo (src/analyze/pipeline/simulate.c; `wattlog simulate`).
 *
 * Power follows the MFU model of Özcan et al.:
 *     P(mfu) = P_idle + (P_max - P_idle) * min(1, mfu / mfu_sat)^gamma
 * Activity channels follow the signatures of LLM inference measured with
 * AIMeter on an A800 (prefill: tensor activity alternating 91/70/4 %, SM
 * clock pulled down by the power limit; decode: DRAM activity ~34 %, tensor
 * ~0 %, clock at its maximum; idle: all activity 0).  The true phases are
 * written as markers flagged WL_MARKER_TRUTH ("begin prefill", "end prefill").
 */
#ifndef WATTLOG_SIMULATE_H
#define WATTLOG_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"

/* xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64: the same
 * seed gives the same stream on every platform. */
struct wl_rng {
	uint64_t s[4];
};

void wl_rng_seed(struct wl_rng *r, uint64_t seed);
uint64_t wl_rng_next(struct wl_rng *r);
double wl_rng_uniform(struct wl_rng *r); /* [0, 1) */
double wl_rng_normal(struct wl_rng *r);  /* N(0, 1), Box-Muller */

struct wl_sim_phase {
	char label[16]; /* "idle", "prefill", "decode" */
	double dur_s;
};

struct wl_sim_schedule {
	size_t n, cap;
	struct wl_sim_phase *p;
};

void wl_sim_schedule_init(struct wl_sim_schedule *s);
void wl_sim_schedule_release(struct wl_sim_schedule *s);

/*
 * Parses "idle 2s, prefill 8s, idle 15s, decode 17s": items separated by
 * commas, semicolons or newlines; each a phase name and a duration with a
 * unit (ms, s, min); '#' starts a comment to the end of the line.  origin
 * names the text in errors ("--schedule" or the file name), e.g.
 *     --schedule line 1 column 10: unknown phase 'prefil' (idle, prefill, decode)
 * Appends to out.  0, or -1 with err.
 */
int wl_sim_schedule_parse(const char *text, const char *origin, struct wl_sim_schedule *out,
			  struct wl_error *err);

struct wl_sim_gpu {
	const char *name;
	double p_idle_w, p_max_w;
	double clock_max_mhz;
};

/* "A100" (100/400 W, 1410 MHz), "H100" (60/700 W, 1980 MHz), "A40"
 * (30/300 W, 1740 MHz), case-insensitive; NULL if unknown. */
const struct wl_sim_gpu *wl_sim_gpu_find(const char *name);

struct wl_sim_opts {
	const struct wl_sim_gpu *gpu; /* NULL = A100 */
	double period_s;     /* sampling period, default 0.1 */
	double jitter_s;     /* std of each sample's time offset, default 0.005,
				clamped to +-0.45 period so samples stay ordered */
	double noise;        /* relative noise std, default 0.02: power +-
				noise*P_max, activity +- noise*100 %, clock +-
				noise*clock_max/2 */
	uint64_t seed;       /* default 1 */
	double mfu_sat;      /* default 0.45 */
	double gamma;        /* default 0.7 */
	double mfu_prefill;  /* default 0.50 (saturated: at the power limit) */
	double mfu_decode;   /* default 0.08 */
	int markers;         /* 1: also write each boundary as an ordinary
				marker (no WL_MARKER_TRUTH), as a workload
				that marks its phases would */
};

void wl_sim_opts_init(struct wl_sim_opts *o);

/* The model above, for one GPU. */
double wl_sim_power_w(const struct wl_sim_gpu *g, double mfu, double mfu_sat, double gamma);

/*
 * Fills ds (initialised, empty) with samples at k * period + jitter (0 for
 * k = 0) for every k with k * period < total duration, all channels per
 * sample: source "nvml",
 * device "gpu0": power.draw (W, component "gpu0"), sm_active, sm_occupancy,
 * tensor_active, dram_active, utilization.gpu (%), clocks.sm (MHz), mfu
 * (ratio: the mfu the sample's power was computed from, before the power's
 * noise; 0 when idle); and the truth markers.  Meta keys simulate.*.  0, or
 * -1 with err (bad options, more than 1e7 samples, out of memory).
 */
int wl_simulate(const struct wl_sim_schedule *s, const struct wl_sim_opts *o,
		struct wl_dataset *ds, struct wl_error *err);

#endif
