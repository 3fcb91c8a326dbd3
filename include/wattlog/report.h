/*
 * report.h - the execution report: every stage's result for one input,
 * assembled by `wattlog report` (src/cmd/report_run.c) and written by the
 * renderers (src/render/report_*.c: text, markdown, csv, json).
 *
 * Absent values are NaN in the structs and are printed as "-" (text,
 * markdown), empty (csv) or null / left out (json), never as 0.
 */
#ifndef WATTLOG_REPORT_H
#define WATTLOG_REPORT_H

#include <stdio.h>

#include "wattlog/analysis.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/phases.h"
#include "wattlog/share.h"

struct wl_request_list;

struct wl_report {
	const struct wl_dataset *ds;   /* borrowed; ds->warn are the warnings */
	double t_from, t_to;           /* the window analysed, s since origin */
	double duration_s;             /* t_to - t_from, clipped to the data */
	struct wl_energy energy;
	struct wl_metric_stats *metrics;
	size_t nmetrics;
	int have_grid;                 /* grid and corr valid */
	struct wl_grid grid;
	struct wl_correlation corr;
	/* carbon: NaN when no intensity was given */
	double carbon_g;               /* total, embodied included */
	double intensity_g_per_kwh;    /* energy-weighted average */
	double pue, embodied_g;
	double carbon_kwh;             /* IT energy the carbon is computed from
					  (the total power series in the window) */
	char carbon_source[192];       /* "45 g/kWh", a region, a trace */
	struct wl_workload work;
	char work_source[160];         /* "options", "meta.json", "" */
	struct wl_efficiency eff;
	/* The recorded command's share of the energy (share.h); n = 0 with
	 * share.why when the input cannot give it. */
	struct wl_share share;
	/* Hook: the phases section, filled by the phases module when it runs
	 * (NULL = no section).  Borrowed. */
	const struct wl_phase_list *phases;
	/* Hook: the requests section (requests.h), when the phases come from
	 * markers with request windows (NULL = no section).  Borrowed. */
	const struct wl_request_list *requests;
};

void wl_report_init(struct wl_report *r);
void wl_report_release(struct wl_report *r); /* not ds, not phases */

/* The GPU-metric group of a metric name for the per-GPU tables:
 * "Energy" (power, energy, temperature), "Compute" (utilization.gpu, SM,
 * tensor, fp*, graphics/SM clocks), "Memory" (memory, dram, memory clocks),
 * "Communication" (PCIe, NVLink), else "Other". */
const char *wl_report_group(const char *metric);

/* Renderers: write r to f.  0, or -1 with err when writing fails. */
int wl_report_text(FILE *f, const struct wl_report *r, struct wl_error *err);
int wl_report_markdown(FILE *f, const struct wl_report *r, struct wl_error *err);
/* CSV: the resampled table (t_s the bin centre, then one column per metric with its unit
 * in brackets); cells without data are empty. */
int wl_report_csv(FILE *f, const struct wl_report *r, struct wl_error *err);
/* JSON: one object per report (see the README's "report --format json");
 * with n > 1, an array of them. */
int wl_report_json(FILE *f, const struct wl_report *r, size_t n, struct wl_error *err);

#endif
