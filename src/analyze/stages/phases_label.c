/*
 * phases_label.c - names a segment idle / prefill / decode / active from its
 * signature (means of its samples) against trace-wide levels.
 *
 * Assumptions, per LLM inference on one GPU:
 *  - idle: no kernel runs: SM activity (or, without it, GPU utilization)
 *    below 10% (utilization: any format's utilization or busy column).
 *    Without any activity channel: power below p_lo + 0.3 (p_hi - p_lo),
 *    p_lo and p_hi the trace's own low and high levels (percentiles widened
 *    to the lowest and highest segment median: phases_auto.c); a trace
 *    whose power barely varies (p_hi - p_lo < max(15 W, 0.3 p_lo)) is one
 *    level, taken as idle (a power-only trace busy at one level from start to
 *    end cannot be told from idle: a documented limit).
 *  - prefill is compute-bound: tensor-core activity high relative to DRAM
 *    activity, and the SM clock pulled below its maximum by the power limit;
 *  - decode is memory-bound: DRAM activity above tensor activity, the clock
 *    near its maximum.
 *    The mix score r = (tensor - dram) / (tensor + dram + 5) in (-1, 1), plus
 *    the clock term clamp((drop - 0.04) / 0.08, -1, 1) where drop =
 *    (clock_max - clock) / clock_max; score > 0: prefill, else decode.
 *  - active: busy, but neither tensor nor DRAM activity exists to tell which
 *    (power only, or power and utilization, or power and clocks).
 * Confidence: 0.5 + 0.5 min(1, margin), the margin being the distance of the
 * deciding quantity from its threshold in units of that threshold's scale.
 */
#include <math.h>

#include "wattlog/phases.h"

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static double conf_of(double margin)
{
	return 0.5 + 0.5 * clamp(fabs(margin), 0, 1);
}

/* Busy but which kind: 1 prefill, -1 decode, 0 cannot tell; *margin. */
static int mix_vote(const struct wl_phase_sig *s, const struct wl_phase_levels *lv,
		    double *margin)
{
	double score;

	if (!isnan(s->tensor_active) && !isnan(s->dram_active))
		score = (s->tensor_active - s->dram_active) /
			(s->tensor_active + s->dram_active + 5.0);
	else if (!isnan(s->tensor_active))
		score = (s->tensor_active - 15.0) / (s->tensor_active + 15.0);
	else if (!isnan(s->dram_active))
		score = 0.5 * (20.0 - s->dram_active) / (s->dram_active + 20.0);
	else
		return 0;
	if (!isnan(s->clock_mhz) && !isnan(lv->clock_max) && lv->clock_max > 0) {
		double drop = (lv->clock_max - s->clock_mhz) / lv->clock_max;

		score += clamp((drop - 0.04) / 0.08, -1, 1);
	}
	*margin = score;
	return score > 0 ? 1 : -1;
}

const char *wl_phases_label(const struct wl_phase_sig *s, const struct wl_phase_levels *lv,
			    double *confidence)
{
	double margin = 0;

	if (lv->has_activity) {
		double a = !isnan(s->sm_active) ? s->sm_active : s->util;

		if (isnan(a))
			a = 0;
		if (a < 10.0) {
			*confidence = conf_of((10.0 - a) / 10.0);
			return "idle";
		}
		if (lv->has_mix) {
			int v = mix_vote(s, lv, &margin);

			if (v) {
				*confidence = conf_of(margin) * conf_of((a - 10.0) / 10.0);
				return v > 0 ? "prefill" : "decode";
			}
		}
		*confidence = conf_of((a - 10.0) / 10.0);
		return "active";
	}
	{
		double span = lv->p_hi - lv->p_lo, thr;

		if (isnan(s->power_w)) {
			*confidence = 0.5;
			return "active";
		}
		if (span < fmax(15.0, 0.3 * lv->p_lo)) {
			*confidence = 0.5;
			return "idle";
		}
		thr = lv->p_lo + 0.3 * span;
		*confidence = conf_of((s->power_w - thr) / (0.3 * span));
		return s->power_w < thr ? "idle" : "active";
	}
}
