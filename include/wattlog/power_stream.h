/*
 * power_stream.h - the power over time of a wattlog trace read record by
 * record (src/analyze/pipeline/power_stream.c): memory O(channels x
 * columns + channels x WL_STREAM_PHASE_POINTS + markers), whatever the
 * trace's length.  What `plot --figure power` draws for a long trace.
 */
#ifndef WATTLOG_POWER_STREAM_H
#define WATTLOG_POWER_STREAM_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/envelope.h"
#include "wattlog/error.h"
#include "wattlog/phases.h"

#define WL_STREAM_PHASE_POINTS 4096
#define WL_POWER_STREAM_MAXC 64

struct wl_ingest_opts;
struct wl_keep;

/* The result: one envelope per component (its best channel), in the
 * order the trace declared them, over the window [t0, t1]; the phases
 * (empty when not asked for or not found: then phase_note says why), and
 * the trace's channels, metadata and markers (marks). */
struct wl_power_stream {
	size_t n;
	const char *name[WL_POWER_STREAM_MAXC];     /* component, in marks */
	struct wl_envelope env[WL_POWER_STREAM_MAXC];
	double t0, t1;
	struct wl_phase_list phases;
	char phase_note[WL_ERROR_MAX];
	const struct wl_dataset *marks;
	struct wl_keep *keep;                      /* owns marks */
};

/*
 * Reads trace record by record: counters become watts on the fly
 * (wl_counter_norm_step, the rule of wl_normalize_channel), every power
 * channel feeds an envelope of ncols columns (wl_envelope_open_fine), and
 * the component choice of wl_power_components (counter > instant >
 * averaged power, channels with samples) is made at the end.  t_from,
 * t_to: the window (NaN: the trace's own).  Phases (phases != 0) are found
 * by wl_phases_find on a copy of every channel, exact while it has fewer
 * than WL_STREAM_PHASE_POINTS samples, else as means of 2^k consecutive
 * samples (gauges; counters: the group's last reading, unwrapped), fewer
 * than WL_STREAM_PHASE_POINTS points per channel; markers are all kept.
 * io: the ingest options (format, time zone).
 * Returns 0 (*out filled; wl_power_stream_release it), -1 with err, -2
 * with err when the trace cannot be opened or read (not a trace, I/O
 * error), or 1 when it needs the in-memory path (a component summed from
 * several channels of one class, which wl_series_sum aligns on the grid of
 * the longest: *why says which).
 */
int wl_power_stream_read(const char *trace, const struct wl_ingest_opts *io, double t_from,
			 double t_to, size_t ncols, int phases, struct wl_power_stream *out,
			 char *why, size_t whylen, struct wl_error *err);
void wl_power_stream_release(struct wl_power_stream *ps);

#endif
