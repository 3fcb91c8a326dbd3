/*
 * markers.h - marker lines from the workload: parsing, and reading them from
 * a pipe or FIFO without ever blocking and in bounded memory.
 *
 * A marker line is text ended by '\n', e.g. "begin prefill", "end request 42",
 * optionally prefixed by the sender's CLOCK_MONOTONIC stamp: "@<ns> begin
 * prefill".  Lines up to WL_MARKER_LINE_MAX bytes are kept whole; a longer
 * line is cut to that length, marked, and logged.  Libc only.
 */
#ifndef WATTLOG_RECORD_MARKERS_H
#define WATTLOG_RECORD_MARKERS_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/error.h"

#define WL_MARKER_LINE_MAX 4096 /* = PIPE_BUF: one write() of a line is atomic */
#define WL_MARKER_MAX_LOGS 100  /* log records per input, then one "more" line */

/*
 * Parses one line (without its '\n') in place: trims surrounding blanks,
 * replaces control characters by '?', reads an "@<ns> " prefix.  now_ns is
 * the receipt time.  On 0: *t_ns is the sender's stamp (and *flags has
 * WL_MARKER_SENDER_TIME) or now_ns, *text and *tlen the marker text inside line.
 * Returns 1 for a blank line (nothing to record), -1 with err set for a bad
 * line ("bad marker '@12x go': timestamp is not a number"); a sender stamp
 * more than 1 s after now_ns is refused the same way.
 */
int wl_marker_parse(char *line, size_t len, uint64_t now_ns, uint64_t *t_ns, uint32_t *flags,
		    const char **text, size_t *tlen, struct wl_error *err);

/* Where parsed markers and problems go. */
struct wl_marker_sink {
	void *ctx;
	/* A marker; returns 0, or -1 to stop draining (the trace failed). */
	int (*marker)(void *ctx, uint64_t t_ns, uint32_t flags, const char *text, size_t len);
	/* One line about a problem (bad line, truncated line). */
	void (*log)(void *ctx, const char *msg);
};

/* One input: a pipe's or FIFO's read end, non-blocking. */
struct wl_marker_in {
	int fd;             /* -1 once closed */
	const char *name;   /* for messages: "marker pipe" or the FIFO's path */
	size_t len;         /* bytes of a partial line in buf */
	int discarding;     /* inside an over-long line: drop until '\n' */
	unsigned nlogs;     /* problem lines logged so far */
	uint64_t markers;   /* markers recorded */
	uint64_t truncated; /* lines cut at WL_MARKER_LINE_MAX */
	uint64_t bad;       /* lines refused */
	char buf[WL_MARKER_LINE_MAX + 1];
};

/* Sets up in for fd (not owned: the caller closes it). */
void wl_marker_in_init(struct wl_marker_in *in, int fd, const char *name);

/*
 * Reads what is there now (at most budget bytes, so a flood cannot starve
 * the sampling) and hands each whole line to sink, stamped now_ns.  Returns
 * 1 when more may be waiting (budget used up), 0 when drained, -2 at end of
 * file (every writer closed: the caller may stop polling fd), -1 when the sink
 * asked to stop.  Never blocks: fd must be O_NONBLOCK.
 */
int wl_marker_drain(struct wl_marker_in *in, uint64_t now_ns, size_t budget,
		    const struct wl_marker_sink *sink);

/* Feeds bytes as if read from the input (used by wl_marker_drain; tests). */
int wl_marker_feed(struct wl_marker_in *in, const char *data, size_t n, uint64_t now_ns,
		   const struct wl_marker_sink *sink);

#endif
