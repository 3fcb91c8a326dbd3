/*
 * report_job.h - the job section of a report on a merged Slurm job
 * (merge.h): nodes, clock offsets, per-node energy, job totals, imbalance
 * and the problems that make the total partial.
 */
#ifndef WATTLOG_REPORT_JOB_H
#define WATTLOG_REPORT_JOB_H

#include <stdio.h>

#include "wattlog/merge.h"
#include "wattlog/plot.h"

/* Writes the section as text.  Returns 0, or -1 when writing f failed. */
int wl_report_job_text(FILE *f, const struct wl_job_summary *s);

/* The same as Markdown. */
int wl_report_job_md(FILE *f, const struct wl_job_summary *s);

/* The power of every node over time (fig_nodes.c): one line per node, or
 * with o->stack areas summing to the job's total.  0 or -1 with err (no
 * merged job, no node with a power reading, cannot write path). */
int wl_fig_nodes(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		 const struct wl_plot_opts *o, const char *path, struct wl_error *err);

#endif
