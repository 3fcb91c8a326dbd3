/*
 * requests_out.h - the output of `wattlog requests` (requests_out.c): text,
 * JSON (documented in README, "Requests") or CSV.
 */
#ifndef WATTLOG_CMD_REQUESTS_OUT_H
#define WATTLOG_CMD_REQUESTS_OUT_H

#include <stdio.h>

#include "wattlog/phases.h"
#include "wattlog/requests.h"

/* What one input gave: its windows (for notes and attributes) and requests. */
struct wl_requests_run {
	const char *file;
	const char *markers;     /* --markers LOG, NULL without */
	const struct wl_dataset *ds;
	const struct wl_phase_list *win;
	const struct wl_request_list *rl;
};

void wl_requests_print_text(FILE *f, const struct wl_requests_run *r);
void wl_requests_print_json(FILE *f, const struct wl_requests_run *r);
/* header: 1 to print the CSV header line first */
void wl_requests_print_csv(FILE *f, const struct wl_requests_run *r, int header);

#endif
