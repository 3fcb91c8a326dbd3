/*
 * requests.h - request-scoped energy (src/analyze/stages/requests.c): the share of
 * the run's energy each request used, from the marker windows of
 * wl_phases_markers.
 *
 * A request is a window labelled "request" ("begin request 42 ..." ...
 * "end request 42 ..."); a window of another label with the same ID
 * ("begin prefill 42") that begins while the request is open is one of its
 * phases.  Rule (printed with the results, wl_requests_rule):
 *     the energy of each instant is split equally among the requests open
 *     at that instant; within a request, its share goes to its open phase
 *     (split equally when several are open, "unphased" when none).
 * So for request r open on [a, b] with k(t) requests open at t and P(t) the
 * total power of the report (the components it counts, wl_series_energy):
 *     E_r = integral over [a, b] of P(t) / k(t) dt
 * and sum of E_r + unattributed (P integrated where k = 0) = total.
 * The sweep cuts the run at every window edge and integrates P between
 * consecutive edges with wl_series_energy, so the cost is linear in the
 * number of windows plus the samples (one sort of the edges).
 */
#ifndef WATTLOG_REQUESTS_H
#define WATTLOG_REQUESTS_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/phases.h"

#define WL_REQUEST_LABEL "request"

struct wl_request {
	char id[48];
	double start_s, end_s;  /* dataset time */
	double duration_s;      /* end_s - start_s: its latency */
	double energy_j;        /* its share, NaN without power */
	double unphased_j;      /* the part while none of its phases was open */
	double tokens_in;       /* attribute tokens_in, NaN when absent */
	double tokens_out;      /* attribute tokens_out (else tokens), NaN absent */
	double j_per_token;     /* energy_j / tokens_out; NaN without a positive one */
	double avg_power_w;     /* energy_j / duration; NaN for a zero duration */
	double mean_concurrency; /* time average of k(t) over the request; NaN
				    for a zero duration */
	size_t win;             /* its window in the phase list (attributes) */
};

struct wl_request_list {
	size_t n;
	struct wl_request *r;   /* in order of start */
	size_t nlabels;
	char (*label)[32];      /* phase labels of the requests, first seen first */
	double *phase_j;        /* n x nlabels: r[i]'s energy in label j, NaN when
				   it has no such phase */
	double *label_total_j;  /* per label, over all requests */
	double unphased_total_j;
	double requests_energy_j;     /* sum of energy_j */
	double unattributed_energy_j; /* while no request was open */
	double total_energy_j;  /* the span of the run and its windows, one rule */
	/* Across requests (values absent skipped): n, mean, p50, p95, p99
	 * (wl_stats_compute's quantile rule); NaN when none. */
	struct wl_request_dist {
		size_t n;
		double mean, p50, p95, p99;
	} energy, j_per_token, latency;
	size_t orphan_phases;   /* windows with an ID that begin while no request
				   of that ID is open (not counted in any request) */
	size_t phases_past_end; /* phase windows still open when their request ended */
};

/* The attribution rule, one line, for printing with the results. */
const char *wl_requests_rule(void);

void wl_request_list_init(struct wl_request_list *rl);
void wl_request_list_release(struct wl_request_list *rl);

/*
 * Requests of ds from its marker windows win (wl_phases_markers).  Energies
 * come from wl_power_components: NaN everywhere when ds has no power.  A
 * request without any window gives n = 0.  0, or -1 with err (out of memory,
 * a broken power channel).
 */
int wl_requests_compute(const struct wl_dataset *ds, const struct wl_phase_list *win,
			struct wl_request_list *out, struct wl_error *err);

#endif
