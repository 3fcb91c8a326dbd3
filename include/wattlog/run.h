/*
 * run.h - the one composition every command consumes (src/analyze/pipeline/run.c):
 *
 *     read (ingest, or for a long wattlog trace the two streamed passes of
 *     stream.h) -> stages over the analysis window (energy, statistics,
 *     grid and correlation) into one struct wl_report -> phases, found on
 *     the dataset the read leaves (the decimated copy when streamed), their
 *     energies by the report's rule (phases_energy.c)
 *
 * report, phases, plot and compare render this result; none reads its
 * input again or computes a figure of it by another path.  Memory: that of
 * ingest for a loaded run; for a streamed one that of stream.h, whatever
 * the trace's length.
 */
#ifndef WATTLOG_RUN_H
#define WATTLOG_RUN_H

#include "wattlog/analysis.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/report.h"

struct wl_stream;

struct wl_run_opts {
	const struct wl_ingest_opts *in; /* NULL: defaults */
	struct wl_analysis_opts an;      /* the window (s since origin) and rules */
	int stream;    /* a wattlog trace: > 0 always streamed, < 0 streamed above
			  WL_STREAM_AUTO_BYTES (the default), 0 never */
	int stats;     /* statistics, grid and correlation too (default 1) */
	int phases;    /* find phases (default 1) */
	struct wl_phase_opts po;
};

struct wl_run {
	struct wl_dataset ds;
	struct wl_report r;       /* r.ds = &ds; r.phases = &pl when found */
	struct wl_phase_list pl;
	int streamed;             /* read in two passes: ds holds 0.1 s bins */
	char phase_note[WL_ERROR_MAX];     /* why no phases were found, "" otherwise */
};

void wl_run_opts_init(struct wl_run_opts *o);

/* Read, stages, phases of the run at path into run (initialized here;
 * release with wl_run_release even on failure).  A run the phase finder
 * cannot segment has no phases and phase_note says why.  0, or -1 with
 * err (2 as exit status: the input); -2 with err when the stages fail. */
int wl_run_read(const char *path, const struct wl_run_opts *o, struct wl_run *run,
		struct wl_error *err);
void wl_run_release(struct wl_run *run);

/* The steps, for a command that sets its window from the dataset
 * (report's --window-realtime):
 *   wl_run_open: read into run->ds; *st the stream state when streamed
 *   (NULL when loaded), to pass to wl_run_stages and free with
 *   wl_stream_free.  0 or -1.
 *   wl_run_stages: the window of an clipped to the data into run->r, and
 *   the stages.  0 or -1.
 *   wl_run_phases: the phases (run->r.phases set), or phase_note. */
int wl_run_open(const char *path, const struct wl_run_opts *o, struct wl_run *run,
		struct wl_stream **st, struct wl_error *err);
int wl_run_stages(struct wl_run *run, const struct wl_analysis_opts *an, int stats,
		  struct wl_stream *st, struct wl_error *err);
void wl_run_phases(struct wl_run *run, const struct wl_phase_opts *po);

#endif
