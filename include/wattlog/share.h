/*
 * share.h - the recorded command's share of the machine's energy (energy
 * per process), src/analyze/stages/share.c.
 *
 * CPU rule, printed with the number: in each interval between two reads of
 * the command tree's CPU time (procfs "tree_cpu_time", s), the command gets
 * the share of the "cpu" component's energy (the RAPL packages) that its
 * CPU time is of all busy CPU time in that interval:
 *     share_i = dtree_i / busy_i, at most 1,
 *     busy_i  = integral over the interval of cpu_busy/100 x ncpu dt,
 * cpu_busy being procfs' whole-host busy % (each value the busy share of the
 * interval since the procfs sample before it) and ncpu the number of
 * per-CPU cpu_busy channels ("cpu0".."cpuN"); procfs gives no busy value
 * at its first sample, so the first one covers the time since the tree read
 * before it (the same procfs sample).  An interval with no busy
 * time and some tree time gets share 1; without busy data it is left out
 * (neither the command's nor the machine's figure counts it).
 *     command_j = sum_i share_i x E_cpu(interval i)
 *     machine_j = sum_i E_cpu(interval i)   (the same intervals)
 *
 * GPU rule, where NVML gave the tree's per-process utilization (nvml
 * "tree_sm_util", % of the GPU's SM time used by the tree's processes, and
 * "utilization.gpu", % of time the GPU was busy, device gpuN): in each
 * interval between two tree_sm_util reads, share = tree_sm_util /
 * (sum of all processes' sm util: nvml "all_sm_util"), at most 1, times
 * the GPU component's energy in that interval.
 *
 * The shares are the assumption stated: CPU time (or SM time) stands for
 * energy; idle power is shared in the same proportion.
 */
#ifndef WATTLOG_SHARE_H
#define WATTLOG_SHARE_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"

#define WL_SHARE_MAX 17 /* cpu + 16 GPUs */

struct wl_share_part {
	char component[64]; /* "cpu", "gpu0" */
	double machine_j;   /* the component's energy over the intervals shared */
	double command_j;   /* the command's part of it */
	double covered_s;   /* time those intervals cover */
	const char *rule;   /* a static string: how the share was taken */
};

struct wl_share {
	size_t n;
	struct wl_share_part p[WL_SHARE_MAX];
	double command_j;   /* sum of the parts; NaN when there is none */
	char why[200];      /* when n is 0: why ("no tree_cpu_time channel ...") */
};

/* The command's share of ds's energy in the window of o (NULL = all).
 * 0 (s filled; n = 0 and why set when the trace lacks what is needed), or
 * -1 with err (out of memory). */
int wl_share_compute(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		     struct wl_share *s, struct wl_error *err);

#endif
