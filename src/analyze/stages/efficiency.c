/*
 * efficiency.c - work per energy: tokens/J, J/token, gCO2/token, tokens/s
 * per W, J/request, MFU = FLOPs / (duration x peak FLOP/s).
 */
#include <math.h>

#include "wattlog/analysis.h"

void wl_workload_init(struct wl_workload *w)
{
	w->tokens = w->input_tokens = w->output_tokens = w->requests = NAN;
	w->flops = w->peak_flops = NAN;
}

static double ratio(double a, double b)
{
	return (isnan(a) || isnan(b) || b == 0) ? NAN : a / b;
}

void wl_efficiency_compute(const struct wl_workload *w, double energy_j, double duration_s,
			   double carbon_g, struct wl_efficiency *e)
{
	double avg_w = ratio(energy_j, duration_s);

	/* Generated tokens are what the literature divides by (J per output
	 * token); a plain token count is used when that is all there is. */
	e->tokens = !isnan(w->output_tokens) ? w->output_tokens : w->tokens;
	if (!(e->tokens > 0))
		e->tokens = NAN;
	e->tokens_per_j = ratio(e->tokens, energy_j);
	e->j_per_token = ratio(energy_j, e->tokens);
	e->g_per_token = ratio(carbon_g, e->tokens);
	e->tokens_per_s = ratio(e->tokens, duration_s);
	/* (tokens / s) / W: equals tokens / J when W is the average power */
	e->tokens_per_s_per_w = ratio(e->tokens_per_s, avg_w);
	e->j_per_request = w->requests > 0 ? ratio(energy_j, w->requests) : NAN;
	e->mfu = ratio(w->flops, duration_s * w->peak_flops);
}
