/*
 * marker.h - header-only helper for workloads recorded by wattlog-record:
 * sends phase and request boundaries that become MARKER records.
 *
 *     #include <wattlog/marker.h>
 *     wl_marker("begin prefill");
 *     ...
 *     wl_marker("end request %d", id);
 *
 * wattlog-record gives the command WATTLOG_MARKER_FD (a digit, 3-9), a
 * non-blocking pipe that the command's end also reads from, so a write never
 * raises SIGPIPE, even after the recorder died.  Each call writes one line,
 * "@<ns> <text>\n", in one write(): <ns> is the caller's CLOCK_MONOTONIC, so the marker is placed at
 * the instant of the call, not at its receipt.  Lines up to 4096 bytes
 * (PIPE_BUF) arrive whole even from several threads; longer text is cut.
 *
 * Never blocks and never fails the caller: without WATTLOG_MARKER_FD (not
 * recorded) it does nothing; if the pipe is full (the recorder is gone or
 * far behind) the marker is dropped.  Returns 0 when the line was sent, -1
 * when not.  POSIX C (C99 or later, C++ too); no library beyond libc.
 * It needs clock_gettime: include it before any system header, or build
 * with POSIX visible (-D_GNU_SOURCE, -std=gnu11, or _POSIX_C_SOURCE).
 */
#ifndef WATTLOG_MARKER_H
#define WATTLOG_MARKER_H

#if !defined(_POSIX_C_SOURCE) && !defined(_XOPEN_SOURCE) && !defined(_GNU_SOURCE) && \
	!defined(_DEFAULT_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define WL_MARKER_LINE 4096

/* The marker fd from the environment, looked up once: -1 = not recorded. */
static inline int wl_marker_fd(void)
{
	static int fd = -2;
	const char *s;
	char *end;
	long v;

	if (fd == -2) {
		s = getenv("WATTLOG_MARKER_FD");
		v = s && *s ? strtol(s, &end, 10) : -1;
		fd = (s && *s && !*end && v >= 0 && v < 1 << 20) ? (int)v : -1;
	}
	return fd;
}

static inline int wl_vmarker(const char *fmt, va_list ap)
{
	char line[WL_MARKER_LINE];
	struct timespec ts;
	int fd = wl_marker_fd(), n, m, saved = errno;
	ssize_t w;

	if (fd < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "@%llu ",
		     (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return -1;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* cut: the newline still ends the line */
	line[n++] = '\n';
	do
		w = write(fd, line, (size_t)n);
	while (w < 0 && errno == EINTR);
	errno = saved;
	return w == n ? 0 : -1;
}

static inline int wl_marker(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int wl_marker(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = wl_vmarker(fmt, ap);
	va_end(ap);
	return rc;
}

#endif
