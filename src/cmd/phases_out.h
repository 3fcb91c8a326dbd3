/*
 * phases_out.h - the output helpers shared by `wattlog phases` (phases.c)
 * and its --stats part (phases_stats.c).
 */
#ifndef WATTLOG_CMD_PHASES_OUT_H
#define WATTLOG_CMD_PHASES_OUT_H

#include <stdio.h>

#include "wattlog/dataset.h"
#include "wattlog/jsonout.h" /* wl_json_str: strings as JSON */
#include "wattlog/phases.h"

/* The key=value attributes of window p of pl as a JSON object (numbers as
 * numbers, the rest as strings). */
void wl_phases_json_attrs(FILE *f, const struct wl_phase_list *pl, const struct wl_phase *p);

/* Per phase: statistics of every metric and the correlation matrix over the
 * window; text, or a JSON array when json is set.  Problems of one window
 * (too few samples) are a note in its output, never a failure. */
void wl_phases_print_stats(FILE *f, const struct wl_dataset *ds, const struct wl_phase_list *pl,
			   int json);

#endif
