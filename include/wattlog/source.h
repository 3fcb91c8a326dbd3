/*
 * source.h - the recorder's sources: one file each behind one const ops table
 * (like nvtop's struct gpu_vendor, SQLite's sqlite3_io_methods).
 *
 * The sampling loop calls sample() no more often than the source's period.
 * A source reads only through the roots in struct wl_source_opts, so tests
 * drive the real code against fake trees (fixtures/) and a fake NVML library.
 * Libc only.
 */
#ifndef WATTLOG_SOURCE_H
#define WATTLOG_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wattlog/error.h"
#include "wattlog/trace.h"

struct wl_source_opts {
	const char *sysfs_root;  /* "/sys" unless --sysfs-root */
	const char *procfs_root; /* "/proc" unless --procfs-root */
	pid_t child;             /* recorded command's pid, 0 = none (procfs:
				    CPU time of its process tree) */
	uint64_t tree_period_ns; /* procfs: read that tree at most this often
				    (and at the command's exit); 0 = 1 s */
	const char *gpus;        /* --gpus "0,2", NULL = all */
	int verbose;             /* --list --verbose: measure cost per call */
	const char *nvml_lib;    /* --nvml-lib, NULL = $WATTLOG_NVML_LIB (unless
				    no_env_libs), else "libnvidia-ml.so.1" */
	int no_env_libs;         /* under sudo: no library named by the
				    environment is loaded (root would run it) */
};

/*
 * A source's channels: what describe() returns.  chans[i].id is assigned by
 * the recorder afterwards; the source only refers to channels by index i.
 */
struct wl_source_desc {
	size_t n;
	struct wl_chan_info *chans;
	/* Metadata the source adds to the trace (e.g. gpu0.name), may be 0. */
	size_t nmeta;
	struct wl_kv *meta;
};

struct wl_source_ops {
	const char *name;          /* "rapl", "powercap", "procfs", "nvml" */
	/* What it reads, one line of Markdown: README's table of sources holds
	 * the same text in its row (test_sources checks it). */
	const char *help;
	uint64_t default_period_ns; /* the rate its counters update at */
	/*
	 * The name of another source that records the same counters better,
	 * or NULL: when that one is open, this one is not opened at all
	 * (powercap stands down for "rapl").  The recorder and --list decide
	 * it from this table (wl_source_stands_down), so no source needs to
	 * know about another.
	 */
	const char *stands_down_for;

	/*
	 * Opens the source.  Returns 0 and *state, or -1 with err saying why
	 * it is unavailable, e.g. "/sys/class/powercap/intel-rapl:0/energy_uj:
	 * permission denied (root only since Linux 5.10)".  Files are opened
	 * here once and read later with pread, never reopened per sample.
	 */
	int (*open)(void **state, const struct wl_source_opts *o, struct wl_error *err);

	/* The channels found (valid until close). */
	const struct wl_source_desc *(*describe)(void *state);

	/*
	 * Reads the channels due at now_ns.  For each channel index i it sets
	 * present[i] = 1 and vals[i] when it has a value, leaves present[i] = 0
	 * when not (not due, or the read failed).  Returns:
	 *    0  sampled;
	 *    1  sampled, and err holds one line to log (e.g. a channel stopped);
	 *   -1  the source has failed for good (err says why): the recorder
	 *       logs it, stops calling it, and records the rest.
	 * The arrays hold desc->n entries and are zeroed by the caller.
	 */
	int (*sample)(void *state, uint64_t now_ns, union wl_value *vals,
		      unsigned char *present, struct wl_error *err);

	/* Earliest time the source has something due again (ns, monotonic);
	 * NULL = now + period. */
	uint64_t (*next_due)(void *state, uint64_t now_ns);

	/*
	 * The recorded command has exited and is not reaped yet (a zombie):
	 * the loop samples the source once more right after this call, so it
	 * reads now whatever it reads of the command's processes at a slower
	 * rate (procfs: the tree's CPU time, whose last value then covers the
	 * whole command).  NULL = nothing to do.
	 */
	void (*command_exited)(void *state);
	/* Frees everything; safe after a failed open (state NULL). */
	void (*close)(void *state);
};

/* The sources, in the order they are tried (sources.c).  A source later in
 * the list may stand down if an earlier one covers the same counters (RAPL
 * through perf_event first, powercap only when perf is unavailable). */
extern const struct wl_source_ops wl_source_perf_power;
extern const struct wl_source_ops wl_source_powercap;
extern const struct wl_source_ops wl_source_procfs;
extern const struct wl_source_ops wl_source_nvml;
extern const struct wl_source_ops wl_source_pm_counters;
extern const struct wl_source_ops wl_source_amdgpu;
extern const struct wl_source_ops wl_source_ina3221;
extern const struct wl_source_ops wl_source_power_meter;
extern const struct wl_source_ops wl_source_intel_gpu;

size_t wl_sources(const struct wl_source_ops *const **list);

/*
 * Whether ops stands down because a source it yields to is among the n
 * sources already open (their names in opened): returns that source's name,
 * or NULL when ops is to be opened.
 */
const char *wl_source_stands_down(const struct wl_source_ops *ops, const char *const *opened,
				  size_t n);

#endif
