/*
 * error.h - the error value every module fills instead of exiting.
 *
 * Only main() exits.  A module that fails returns a negative value and, when
 * given a non-NULL struct wl_error, writes one lower-case line without a full
 * stop that names the problem first, then the subject, file and offset:
 *
 *     cannot read block at offset 4096 in 'run.wlog': checksum mismatch
 *
 * Libc only: linked into both programs.
 */
#ifndef WATTLOG_ERROR_H
#define WATTLOG_ERROR_H

#include <stddef.h>

#define WL_ERROR_MAX 512

struct wl_error {
	char msg[WL_ERROR_MAX];
};

/* Sets err->msg from a printf format; err may be NULL.  Always returns -1 so
 * callers can write `return wl_error_set(err, ...);`. */
int wl_error_set(struct wl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like wl_error_set, then appends ": strerror(errnum)". Returns -1. */
int wl_error_errno(struct wl_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
