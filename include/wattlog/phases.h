/*
 * phases.h - windows of a run labelled idle / prefill / decode / active, from
 * the workload's markers or found from the telemetry (src/analyze/phases_*.c).
 * Shared by the report, the figures and compare.
 */
#ifndef WATTLOG_PHASES_H
#define WATTLOG_PHASES_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"

enum wl_phase_source {
	WL_PHASE_MARKERS = 0,
	WL_PHASE_AUTO = 1,
};

struct wl_phase {
	char label[32];     /* "idle", "prefill", "decode", "active", or a marker
			       name such as "request 42" */
	double start_s;     /* dataset time (s since origin) */
	double end_s;
	double energy_j;    /* all components the total counts, NaN if no power */
	double avg_power_w; /* energy_j / (end_s - start_s) */
	double peak_power_w;
	double confidence;  /* 0..1; 1 for markers */
	enum wl_phase_source source;
	int depth;          /* nesting depth of marker windows, 0 = outermost */
};

struct wl_phase_list {
	size_t n, cap;
	struct wl_phase *p;
	char **notes;       /* unmatched markers etc., one line each */
	size_t nnotes, capnotes;
};

void wl_phase_list_init(struct wl_phase_list *pl);
void wl_phase_list_release(struct wl_phase_list *pl);

#endif
