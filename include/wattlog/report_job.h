/*
 * report_job.h - the job section of a report on a merged Slurm job
 * (merge.h): nodes, clock offsets, per-node energy, job totals, imbalance
 * and the problems that make the total partial.
 */
#ifndef WATTLOG_REPORT_JOB_H
#define WATTLOG_REPORT_JOB_H

#include <stdio.h>

#include "wattlog/merge.h"

/* Writes the section as text.  Returns 0, or -1 when writing f failed. */
int wl_report_job_text(FILE *f, const struct wl_job_summary *s);

/* The same as Markdown. */
int wl_report_job_md(FILE *f, const struct wl_job_summary *s);

#endif
