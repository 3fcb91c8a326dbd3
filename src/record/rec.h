/*
 * rec.h - the recorder's internal modules: safe output (output.c), host
 * metadata (hostmeta.c), the recorded command (child.c), source listing
 * (list.c) and the sampling loop (loop.c).  Libc only.
 */
#ifndef WATTLOG_RECORD_REC_H
#define WATTLOG_RECORD_REC_H

#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wattlog/error.h"
#include "wattlog/source.h"
#include "wattlog/trace.h"
#include "cli.h"
#include "markers.h"
#include "sudo.h"
#include "metrics.h"

/* CLOCK_MONOTONIC / CLOCK_REALTIME in ns. */
uint64_t wl_rec_mono_ns(void);
uint64_t wl_rec_real_ns(void);

/* ---------------------------------------------------------------- output.c */

/*
 * Opens path for a new trace: never follows a symbolic link at path, refuses
 * anything but a regular file (FIFO, directory, device: opened O_NONBLOCK,
 * then checked with fstat), refuses an existing file unless force (then
 * truncates it).  The file is locked (flock, exclusive) before it is
 * truncated, for as long as the fd stays open: a file another recorder is
 * writing is refused, untouched ("refusing to write 'x.wlog': another
 * wattlog-record is writing it"); a file system without locks does not stop
 * the recording.  Returns the fd (O_CLOEXEC, blocking) or -1 with err set,
 * e.g. "refusing to write 'x.wlog': it is a symbolic link".
 */
int wl_rec_output_open(const char *path, int force, struct wl_error *err);

/* ---------------------------------------------------------------- hostmeta.c */

#define WL_HOSTMETA_MAX 16

/* The recorder's own META keys (trace_format.h section 6). */
struct wl_hostmeta {
	size_t n;
	struct wl_kv kv[WL_HOSTMETA_MAX];
	char hostname[256];
	char kernel[256];
	char cpu_model[256];
	char *command; /* malloc'd, freed by wl_hostmeta_release */
	char start_real[24];
	char start_mono[24];
	char interval[24];
};

/*
 * Fills m: hostname, kernel (uname -sr), cpu_model (first "model name" of
 * <procfs_root>/cpuinfo; absent when not found), command (cmd joined by single
 * spaces, "" for none), tool_version, start_realtime_ns, start_monotonic_ns,
 * interval_ns.  Returns 0, or -1 with err set (out of memory only).
 */
int wl_hostmeta_init(struct wl_hostmeta *m, const char *procfs_root, char *const *cmd,
		     int ncmd, uint64_t real_ns, uint64_t mono_ns, uint64_t interval_ns,
		     struct wl_error *err);
void wl_hostmeta_release(struct wl_hostmeta *m);

/* ---------------------------------------------------------------- child.c */

/* Signals the recorder saw (set by its handlers; read by the loop). */
extern volatile sig_atomic_t wl_rec_got_signal; /* last SIGINT/SIGTERM/SIGHUP, 0 = none */
extern volatile sig_atomic_t wl_rec_got_chld;   /* a SIGCHLD arrived */

/*
 * Installs the handlers (SIGINT, SIGTERM, SIGHUP: noted and, when sent by a
 * process rather than the terminal, forwarded to the command; SIGCHLD: noted),
 * ignores SIGXFSZ and SIGPIPE (so a write past `ulimit -f` fails with EFBIG),
 * and blocks the four outside the loop's ppoll() so none is lost between a
 * check and a sleep.  *waitmask is the mask to sleep with, *origmask the mask
 * the recorder started with (for the command).  Returns 0 or -1.
 */
int wl_rec_signals_init(sigset_t *waitmask, sigset_t *origmask, struct wl_error *err);

struct wl_child {
	pid_t pid;        /* 0 = none */
	int go_fd;        /* write end of the "go" pipe, -1 once released */
	int err_fd;       /* read end of the exec-error pipe */
	int marker_rd;    /* read end of the marker pipe (non-blocking), -1 = none */
	int exited;       /* reaped */
	int status;       /* wait status once exited */
	uid_t uid;        /* user the command runs as under sudo, (uid_t)-1 = unchanged */
	gid_t gid;
};

/*
 * Forks the command, stopped before exec until wl_child_release: the
 * recorder opens its sources with the pid first.  The child gets
 * WATTLOG_MARKER_FD, a 1 MiB pipe whose read end is c->marker_rd, opened
 * O_RDWR | O_NONBLOCK at a number in 3-9 (marker_fd.h: a write never raises
 * SIGPIPE nor blocks, even after the recorder died), the recorder's original
 * signal mask and dispositions, and,
 * under sudo (sudo->active, sudo.h), the invoking user's uid,
 * gid and groups.  Returns 0, or -1 with err set.
 */
int wl_child_spawn(struct wl_child *c, char *const *cmd, const sigset_t *origmask,
		   const struct wl_sudo *sudo, struct wl_error *err);

/* Lets the child exec.  Returns 0, or -1 with err set when exec failed
 * ("cannot run 'foo': No such file or directory"; the child then exits 127). */
int wl_child_release(struct wl_child *c, char *const *cmd, struct wl_error *err);

/* Reaps the child if it has exited (non-blocking unless block).  Returns 1
 * when it has exited (c->status set), 0 when still running. */
int wl_child_poll(struct wl_child *c, int block);

/* 1 when the child has exited but is not reaped yet (waitid WNOWAIT): its
 * /proc entry still holds its CPU time and its waited children's. */
int wl_child_ended(const struct wl_child *c);

/* Forwards sig to the child if it is still running. */
void wl_child_signal(struct wl_child *c, int sig);

/* The shell's view of the status: code, or 128+N for signal N. */
int wl_child_exit_code(const struct wl_child *c);

/* Closes the pipes (not the child: it is waited for, never killed). */
void wl_child_close(struct wl_child *c);

/* ---------------------------------------------------------------- list.c */

/* Prints every source, its channels, units and kinds, or why it is
 * unavailable, to stdout.  Returns 0, or -1 when stdout failed. */
int wl_rec_list(const struct wl_source_opts *so, int verbose);

/* ---------------------------------------------------------------- loop.c */

/* One opened source as the loop drives it. */
struct wl_rec_src {
	const struct wl_source_ops *ops;
	void *state;
	const struct wl_source_desc *desc;
	uint64_t period_ns;
	uint64_t due_ns;
	int stopped;
	uint16_t first_id;      /* channel i has id first_id + i */
	union wl_value *vals;   /* desc->n each */
	unsigned char *present;
	uint16_t *out_ids;
	union wl_value *out_vals;
	uint64_t samples;
	uint64_t overruns;       /* deadlines missed (skipped, not made up) */
};

/* Timing histogram of the per-tick sampling work: 100 ns buckets to 100 us,
 * then 10 us buckets to 10 ms, then one overflow bucket. */
#define WL_HIST_FINE 1000
#define WL_HIST_COARSE 990
struct wl_rec_hist {
	uint64_t n;
	uint64_t max_ns;
	uint32_t b[WL_HIST_FINE + WL_HIST_COARSE + 1];
};
void wl_rec_hist_add(struct wl_rec_hist *h, uint64_t ns);
/* The q-quantile (0..1) in ns: the upper edge of the bucket holding it. */
uint64_t wl_rec_hist_quantile(const struct wl_rec_hist *h, double q);

struct wl_rec_loop {
	const struct wl_rec_opts *opts;
	struct wl_writer *w;
	const char *path;
	struct wl_rec_src *src;
	size_t nsrc;
	struct wl_child *child;         /* NULL without a command */
	struct wl_marker_in *in;        /* marker inputs */
	size_t nin;
	sigset_t waitmask;
	int failed;                     /* the trace could not be written: stopped */
	int stopped;                    /* recording over (failed, --duration, end) */
	uint64_t start_ns;
	uint64_t samples;               /* SAMPLE records appended */
	uint64_t samples_on_disk;       /* in blocks written */
	uint64_t markers;
	uint64_t ticks;                 /* wake-ups that sampled something */
	uint64_t stats_blocks;          /* blocks reported on the stats fd */
	struct wl_rec_hist hist;
	/* --once-per-node with --marker-fifo: *linger_fd is the recorder's own
	 * write end of the FIFO (in[linger_in]).  When the command exits it is
	 * closed, and recording goes on until every other local rank has
	 * closed the FIFO too (end of file: their markers are all in) or
	 * linger_ns passed, or a signal came.  linger_fd NULL = none. */
	int *linger_fd;
	size_t linger_in;
	uint64_t linger_ns;
	uint64_t tree_ns;               /* the command's tree read this often, 0 = none */
	/* --metrics-listen: NULL = off (metrics.h) */
	struct wl_metrics *metrics;
	struct wl_http *http;
};

/* Runs until the command exits (or, without one, a signal or --duration);
 * then waits for the command if recording stopped first.  Returns 0, or -1
 * when the trace failed (the message was printed). */
int wl_rec_loop_run(struct wl_rec_loop *L);

/* A write error: prints one line and stops recording (the command runs on). */
void wl_rec_loop_fail(struct wl_rec_loop *L, const struct wl_error *err);

/* After a writer call: reports newly written blocks on the stats fd. */
void wl_rec_loop_blocks(struct wl_rec_loop *L, uint64_t samples_before);

/* ------------------------------------------------------------- summary.c */

/* 1 when source s, recording for wall_ns, took fewer than 95% of the
 * samples its period is due (less one for the instants at either end),
 * over at least 20 periods; never for a stopped source or period 0. */
int wl_rec_missed_rate(const struct wl_rec_src *s, uint64_t wall_ns);

/* Writes the closing line (time, samples and rate held against the rate
 * asked per source, markers) and a warning line per source that missed its
 * rate to f. */
void wl_rec_summary(const struct wl_rec_loop *L, uint64_t wall_ns, FILE *f);

#endif
