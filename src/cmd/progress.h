/*
 * progress.h - private to src/cmd: the progress lines of long commands
 * (report, compare, plot, merge, export), one implementation.  On when
 * stderr is a terminal (isatty), or always with --progress; then each step
 * prints
 *     wattlog CMD: [done/total] what
 * on stderr: on a terminal as one line rewritten in place ("\r", erased at
 * the end), elsewhere (--progress into a file or a pipe) one line per step.
 * Steps may come from several threads: each is one fprintf.
 *
 * Within a step, a command that reads in one thread also shows how much of
 * each trace it has read (wl_progress_reads: the walk's hook, walk.h):
 *     wattlog CMD: [done/total] PATH: read 40 %
 * ("read 40 %, pass 2" for a second pass over the same file, as the
 * streamed report makes), every percent on a terminal, every 10 % (and
 * 100 %) elsewhere.  Nothing goes to stdout.
 */
#ifndef WATTLOG_CMD_PROGRESS_H
#define WATTLOG_CMD_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#define WL_PROGRESS_LONGOPT { "progress", no_argument, NULL, WL_PROGRESS_OPT }
enum { WL_PROGRESS_OPT = 0x1300 };

struct wl_progress {
	const char *cmd; /* "compare" */
	int on, tty, shown;
	/* the step in course, for the reads' lines */
	size_t done, total;
	/* the file being read, its pass, the bytes told last, the last
	 * percentage printed (-1 none) */
	char path[512];
	int pass, pct;
	uint64_t last;
};

/* forced: 1 with --progress, 0 = on only when stderr is a terminal. */
void wl_progress_init(struct wl_progress *p, const char *cmd, int forced);
void wl_progress_step(struct wl_progress *p, size_t done, size_t total, const char *what);
/* When on, every trace walked from now to wl_progress_end tells p how much
 * of it is read (walk.h's hook: one thread only). */
void wl_progress_reads(struct wl_progress *p);
/* Erases the line on a terminal (before writing to stdout). */
void wl_progress_clear(struct wl_progress *p);
/* wl_progress_clear, and detaches the reads' hook. */
void wl_progress_end(struct wl_progress *p);

#endif
