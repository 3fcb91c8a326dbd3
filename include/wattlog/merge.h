/*
 * merge.h - one job from several per-node traces (a Slurm job's folder):
 * clocks aligned, channels renamed per node, per-node and job totals, and
 * the imbalance between nodes.
 *
 * Naming scheme of a merged dataset (and of the trace `wattlog merge`
 * writes), for a node NODE (slurm.node_name of its trace, else hostname,
 * else the file name without .wlog):
 *     device     "NODE/<device>" ("n1/gpu0", "n1/package-0"); a host-wide
 *                channel (device "") gets device "NODE"
 *     component  "NODE/<component>" ("n1/cpu", "n1/gpu0", "n1/node");
 *                "" stays ""
 *     node       the channel's field node = "NODE" (struct wl_channel), set
 *                where the channel is made: copy_node (merge.c) and, for a
 *                merged trace, the trace reader (wl_merge_fix_channel: the
 *                trace format has no field for it, so it is derived once
 *                from the device, wl_merged_chan_node, trace.h)
 *     markers    text "<text> @NODE" ("begin prefill @n1"), for display and
 *                in the merged trace; node = "NODE" in the marker's field
 *                (struct wl_marker), set by copy_node (merge.c) and, for a
 *                merged trace, once by the trace reader (wl_merge_fix_marker
 *                from the text, wl_merged_marker_node, trace.h).  Phases are
 *                per node: a window's node is its markers' field
 *                (struct wl_phase node), never read out of a label
 *     warnings   "NODE: <warning>"
 * The names are for display; what reads a channel's or a marker's node
 * (the job summary, the nodes figure, the total rule, the phases and their
 * energy, the requests) reads the field, never the names.  A
 * node's total sums its channels' components whose base name (within the
 * node, wl_component_base) counts in a single-node total
 * (wl_component_in_total: not psys, not node); the job total sums the node
 * totals.  The "node"
 * component (HPE/Cray pm_counters: the whole node with fans, network and
 * board) is a second, separate total, given when every node has it.
 *
 * Time: t = 0 is the earliest start (t0_realtime) of the nodes; node k's
 * times are shifted by offset_k = t0_realtime_k - t0_realtime_job, where
 * t0_realtime_k comes from the node's first realtime/monotonic SYNC record
 * (ingest_trace.c), so monotonic clocks that differ by hours line up.
 *
 * Metadata of the merged dataset:
 *     job.merged = 1, job.id (slurm.job_id, "" outside Slurm),
 *     job.nodes = "n1,n2,..." (every node expected or found, sorted),
 *     job.partial = 0/1, job.t0_realtime_ns,
 *     job.node.NODE.path, .offset_s (vs the job's t = 0), .mono_offset_s
 *     (its monotonic clock minus the first node's, both against realtime),
 *     .skew_s (its start minus the median start of the nodes), .damage
 *     (damaged or lost stretches of its trace), .problem ("" = none:
 *     "missing: no trace in the job folder", "unreadable: ...",
 *     "cut off: ...").
 * The slurm.* keys of the first trace are kept.
 */
#ifndef WATTLOG_MERGE_H
#define WATTLOG_MERGE_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"

#define WL_MERGE_MAX_SKEW_DEFAULT 2.0 /* s */

struct wl_merge_opts {
	double max_skew_s; /* a node starting further than this from the median
			      start is warned about; 0 = default */
};

/*
 * Reads the traces named by paths (files, or directories whose *.wlog files
 * are taken, sorted by name; a merged trace found there is skipped) and
 * merges them into out (initialised by the caller).  A trace that cannot be
 * read, and a node of slurm.job_nodelist with no trace, are not errors: the
 * node is named with its problem and job.partial is set.  A trace that
 * ended more than a tolerance before the others without an end record is
 * "cut off".  -1 with err when no trace can be read at all, traces belong
 * to different jobs (slurm.job_id), one has no wall-clock time, or out of
 * memory.
 */
int wl_merge_paths(const char *const *paths, size_t n, const struct wl_merge_opts *o,
		   struct wl_dataset *out, struct wl_error *err);

/* 1 when path is a directory (a job folder), else 0. */
int wl_merge_is_dir(const char *path);

/* 1 when dir is a Slurm job's folder: its *.wlog traces (read up to their
 * first non-META record) that carry slurm.job_id all carry the same one,
 * and at least one does; the id is copied to id (cap bytes; may be NULL).
 * 0 otherwise (no folder, no such trace, or several jobs).  For callers
 * that take a folder of runs (compare): a job folder is one run. */
int wl_merge_job_dir(const char *dir, char *id, size_t cap);

/*
 * Expands a Slurm hostlist ("n[1-3,7],gpu[01-02],login") into *names
 * (malloc'd array of malloc'd strings, *n of them; free each and the array).
 * 0, or -1 with err on a malformed list.
 */
int wl_hostlist_expand(const char *list, char ***names, size_t *n, struct wl_error *err);

/*
 * After reading a merged trace (ingest_trace.c, which applies it): each
 * channel's node is set from its device (wl_merged_chan_node: "n1" of
 * "n1/package-0"), and a component given without its node prefix ("cpu",
 * derived by the 1.0 rule) gets it ("n1/cpu"); each marker's node is set
 * as wl_merge_fix_marker does.
 * A no-op unless job.merged = 1.  0 or -1 (out of memory).
 */
int wl_merge_fix_components(struct wl_dataset *ds);
/* The same for one channel of ds (ds's metadata says whether it is merged). */
int wl_merge_fix_channel(const struct wl_dataset *ds, struct wl_channel *c);
/* For one marker of ds: its node from its text's " @NODE" suffix
 * (wl_merged_marker_node) when ds is merged and the marker has none yet;
 * a no-op otherwise.  0 or -1 (out of memory). */
int wl_merge_fix_marker(const struct wl_dataset *ds, struct wl_marker *m);

/* ---- the job summary (src/analyze/pipeline/job.c) ------------------------------- */

struct wl_job_node {
	char name[64];
	char problem[256];  /* "" = none */
	int present;        /* has data in the dataset */
	double offset_s, mono_offset_s, skew_s;
	double t_first, t_last; /* s on the job's axis, NaN if no data */
	double energy_j;    /* its total (see above), NaN if none */
	double node_energy_j; /* its "node" component, NaN if none */
	unsigned long damage;
	int ended_late;     /* last sample more than tol after the median end */
};

struct wl_job_summary {
	char id[64];
	size_t n;
	struct wl_job_node *node;
	int partial;
	double total_j;      /* sum of the node totals, NaN if none */
	double node_total_j; /* sum of the nodes' "node" components when every
				present node has one, else NaN */
	char total_note[96]; /* what total_j sums */
	/* imbalance over present nodes with energy */
	const char *basis;   /* what it compares: "node totals" or
				"whole-node energy (pm_counters)" (static) */
	long imax;           /* node that drew most, -1 if none */
	double min_j, max_j, mean_j, spread_pct; /* 100 (max - min) / mean */
	double end_tol_s;    /* the tolerance used for ended_late */
};

/* The summary of a merged dataset (job.merged = 1) over the window of o.
 * -1 with err when ds is no merged job.  Release with wl_job_release. */
int wl_job_summary(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		   struct wl_job_summary *s, struct wl_error *err);
void wl_job_release(struct wl_job_summary *s);

#endif
