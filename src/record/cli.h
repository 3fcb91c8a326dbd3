/*
 * cli.h - wattlog-record's command line: options into struct wl_rec_opts,
 * and the duration syntax every time option shares.
 *
 * Libc only.  Nothing here opens files or starts processes.
 */
#ifndef WATTLOG_RECORD_CLI_H
#define WATTLOG_RECORD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/cmdline.h"

#include "wattlog/error.h"

#define WL_REC_MAX_SRC_INTERVALS 16

/* One `--source-interval NAME=DURATION` entry. */
struct wl_src_interval {
	char name[32];
	uint64_t period_ns;
};

struct wl_rec_opts {
	const char *output;       /* -o, default "wattlog.wlog" */
	int force;                /* -f: overwrite an existing regular file */
	uint64_t interval_ns;     /* -i, default 10 ms; 0 = as fast as possible */
	uint64_t duration_ns;     /* --duration, 0 = until the command exits or a signal */
	uint64_t flush_ns;        /* --flush-interval, default 1 s, > 0 */
	uint64_t sync_ns;         /* --sync-interval, default 10 s, > 0 */
	uint64_t tree_ns;         /* --tree-interval, default 1 s, > 0 */
	struct wl_src_interval src[WL_REC_MAX_SRC_INTERVALS];
	size_t nsrc;              /* entries in src[] */
	int list;                 /* --list */
	int verbose;              /* --verbose (with --list) */
	int quiet;                /* -q */
	int help;                 /* --help */
	int version;              /* --version */
	int stats;                /* --stats: per-sample timing on stderr at exit */
	int stats_fd;             /* --stats-fd or WATTLOG_STATS_FD, -1 = none */
	const char *sysfs_root;   /* --sysfs-root, default "/sys" */
	const char *procfs_root;  /* --procfs-root, default "/proc" */
	const char *gpus;         /* --gpus, NULL = all */
	const char *nvml_lib;     /* --nvml-lib, NULL = none named */
	const char *marker_fifo;  /* --marker-fifo, NULL = none */
	int once_per_node;        /* --once-per-node: under Slurm, local rank 0 only */
	const char *metrics_listen; /* --metrics-listen ADDR:PORT, NULL = off */
	char **cmd;               /* the command and its arguments (NULL-terminated
				     argv tail, not copied), NULL = none */
	int ncmd;
};

/*
 * Parses a duration: a decimal number with an optional fraction and a unit,
 * one of ns, us, ms, s, m, h ("10ms", "2.5s", "1m", "250us").  A bare "0" is
 * accepted; any other number without a unit is an error (is "10" seconds or
 * milliseconds?).  Fractions below 1 ns are an error, not rounded away.
 * what names the option in the message: "bad interval '10x': unknown unit 'x'".
 * Returns 0 and *ns, or -1 with err set.
 */
int wl_rec_parse_duration(const char *s, const char *what, uint64_t *ns, struct wl_error *err);

/*
 * Parses "rapl=1ms,nvml=20ms" and appends the entries to o->src (a name
 * given twice keeps the last value).  Names are checked against the sources
 * later (record.c), not here.  Returns 0, or -1 with err set.
 */
int wl_rec_parse_source_intervals(const char *s, struct wl_rec_opts *o, struct wl_error *err);

/*
 * Fills o from argv (getopt_long; option parsing stops at the first
 * non-option or "--", the rest is the command).  Returns 0, or -1 with err
 * set on bad usage.  Reads WATTLOG_STATS_FD from the environment when
 * --stats-fd is absent.
 */
int wl_rec_parse_args(int argc, char **argv, struct wl_rec_opts *o, struct wl_error *err);

/* The --help text. */
extern const char wl_rec_usage[];

/* The recorder's option table (wattlog/cmdline.h): its messages, and
 * `wattlog-record --options`. */
extern const struct wl_cmdline wl_rec_cmdline;
#endif
