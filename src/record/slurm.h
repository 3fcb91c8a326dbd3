/*
 * slurm.h - the recorder under Slurm (slurm.c): srun-style file name
 * patterns, the Slurm ids as trace metadata, and --once-per-node.  Nothing
 * here is needed to record outside Slurm.  Libc only.
 *
 * Slurm is detected by SLURM_JOB_ID in the environment.
 */
#ifndef WATTLOG_RECORD_SLURM_H
#define WATTLOG_RECORD_SLURM_H

#include <stddef.h>
#include <time.h>

#include "wattlog/error.h"
#include "wattlog/trace.h"

/* 1 when running inside a Slurm job (SLURM_JOB_ID set and not empty). */
int wl_slurm_active(void);

/* 1 when s holds a '%' pattern (srun -o style). */
int wl_slurm_has_pattern(const char *s);

/*
 * Expands the patterns of srun's -o in pat into a malloc'd *out (caller
 * frees):  %j job id, %J job id.step id, %s step id ("batch" in a batch
 * script), %N node name (SLURMD_NODENAME), %n node index in the job
 * (SLURM_NODEID), %t task rank (SLURM_PROCID) -- these need Slurm -- and,
 * in or outside Slurm, %h short host name, %u user name, %p the recorder's
 * pid, %Y %m %d %H %M %S the local date and time as strftime writes them
 * (one instant for every name of the process: its first expansion), %% a '%'.
 * A Slurm pattern outside Slurm, a variable Slurm did not set, or an
 * unknown %X is an error naming the pattern and the option, e.g.
 *   "-o 'traces/%j.wlog': %j needs Slurm (SLURM_JOB_ID is not set)".
 * A value holding '/' or ".." (a node name "../x") is refused the same way:
 * it would write outside the pattern's folder.  %u is the user sudo runs
 * the recorder for under sudo (sudo.h).
 * Text without '%' is copied as is.  0 or -1 with err.
 */
int wl_slurm_expand(const char *pat, const char *what, char **out, struct wl_error *err);

/* wl_slurm_expand with the time of %Y %m %d %H %M %S given. */
int wl_slurm_expand_at(const char *pat, const char *what, time_t t, char **out,
		       struct wl_error *err);

/* Creates the missing directories leading to path (mode 0755), like
 * mkdir -p of its dirname.  0 or -1 with err. */
int wl_slurm_mkdirs(const char *path, struct wl_error *err);

/* The Slurm metadata keys (slurm.job_id, slurm.step_id, slurm.node_name,
 * slurm.node_id, slurm.proc_id, slurm.local_id, slurm.job_num_nodes,
 * slurm.job_nodelist, slurm.cluster_name), for each variable set; the
 * values point into the environment.  Returns the number written (<= cap),
 * 0 outside Slurm. */
#define WL_SLURM_META_MAX 9
size_t wl_slurm_meta(struct wl_kv *kv, size_t cap);

/* The task's rank on its node (SLURM_LOCALID), -1 outside Slurm or unset. */
long wl_slurm_local_rank(void);

/*
 * --once-per-node for a local rank other than 0: runs cmd in place of the
 * recorder (execvp), with no recorder in between.  When fifo is not NULL
 * (the node's marker FIFO, already expanded), waits up to wait_ms for local
 * rank 0's recorder to open it, then gives the command the FIFO opened
 * O_RDWR | O_NONBLOCK at a single-digit fd as WATTLOG_MARKER_FD (marker_fd.h:
 * no SIGPIPE once rank 0's recorder is gone, never blocks); when it cannot,
 * warns on stderr and runs the command without markers.  Returns only on
 * failure (-1 with err; the caller exits 127 as a shell does).
 */
int wl_slurm_exec_direct(char *const *cmd, const char *fifo, long wait_ms,
			 struct wl_error *err);

#endif
