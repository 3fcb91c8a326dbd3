/*
 * progress.h - private to src/cmd: the progress lines of long commands
 * (report, compare), one implementation.  On when stderr is a terminal
 * (isatty), or always with --progress; then each step prints
 *     wattlog CMD: [done/total] what
 * on stderr: on a terminal as one line rewritten in place ("\r", erased at
 * the end), elsewhere (--progress into a file or a pipe) one line per step.
 * Steps may come from several threads: each is one fprintf.
 */
#ifndef WATTLOG_CMD_PROGRESS_H
#define WATTLOG_CMD_PROGRESS_H

#include <stddef.h>

#define WL_PROGRESS_LONGOPT { "progress", no_argument, NULL, WL_PROGRESS_OPT }
enum { WL_PROGRESS_OPT = 0x1300 };

struct wl_progress {
	const char *cmd; /* "compare" */
	int on, tty, shown;
};

/* forced: 1 with --progress, 0 = on only when stderr is a terminal. */
void wl_progress_init(struct wl_progress *p, const char *cmd, int forced);
void wl_progress_step(struct wl_progress *p, size_t done, size_t total, const char *what);
/* Erases the line on a terminal. */
void wl_progress_end(struct wl_progress *p);

#endif
