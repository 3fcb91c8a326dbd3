/* report_opts.h - private to src/cmd: `wattlog report` options, parsed in
 * report.c, carried out in report_run.c. */
#ifndef WATTLOG_CMD_REPORT_OPTS_H
#define WATTLOG_CMD_REPORT_OPTS_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "input_opts.h"
#include "wattlog/ingest.h"
#include "wattlog/plot.h"

enum wl_report_format { WL_REP_TEXT, WL_REP_MARKDOWN, WL_REP_CSV, WL_REP_JSON, WL_REP_PDF };

struct wl_report_opts {
	enum wl_report_format format;
	const char *output;      /* NULL = stdout */
	const char *plots_dir;   /* --plots DIR, NULL = none */
	struct wl_input_args input; /* input.in: what the readers get */
	struct wl_analysis_opts an;
	double rt_from, rt_to;   /* --window-realtime A,B (epoch s), NaN = none */
	struct wl_workload work; /* from the options; NaN = not given */
	/* carbon, passed to the carbon module; NaN / NULL = not given */
	double intensity, pue, embodied_g_per_hour;
	const char *region, *intensity_trace, *intensity_unit;
	const char *intensity_tz; /* zone of the intensity trace; NULL = UTC */
	int phases;              /* the phases section (default on; --no-phases) */
	int phases_auto;         /* --auto: segment even where markers exist */
	int stream;              /* 1 --stream, 0 --no-stream, -1 by the trace's size */
	int progress;            /* --progress (progress.h) */
	struct wl_fig_look look; /* the --plots figures' options (fig_opts.h) */
	char **files;
	size_t nfiles;
};

/* Runs the report over o->files.  Returns the exit status (0, 1, 2) and
 * prints problems on stderr. */
int wl_report_run(const struct wl_report_opts *o);

#endif
