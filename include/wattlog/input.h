/*
 * input.h - the one way the analyzer opens what it reads, so that every
 * reader is bounded and standard input works like a file.
 *
 *   a regular file (or a directory)   read in place
 *   "-" (standard input), a pipe,      read once, as a stream: the bytes
 *   a FIFO or a socket                 format detection peeks at are kept and
 *                                      handed to the reader first, so a CSV or
 *                                      tegrastats log streams in bounded memory
 *                                      whatever its length; a trace (which the
 *                                      reader maps) is copied into an unlinked
 *                                      temporary file in $TMPDIR (else /tmp),
 *                                      at most WL_INPUT_MAX_DEFAULT bytes (16
 *                                      GiB; $WATTLOG_INPUT_MAX sets it), and a
 *                                      head that holds a NUL byte but not the
 *                                      trace magic is refused before the copy
 *   a device or a terminal             refused at once (/dev/zero never ends)
 *
 * A pipe can be read once: a second reader of the same name in one process
 * gets the copy of a trace, or an error.  "-" is standard input also when it
 * is a regular file (read in place, from offset 0).  Thread-safe.  Libc only
 * (src/trace: it knows the trace magic, and the trace reader maps the copy).
 */
#ifndef WATTLOG_INPUT_H
#define WATTLOG_INPUT_H

#include <stdio.h>
#include <sys/types.h>

#include "wattlog/error.h"

#define WL_INPUT_MAX_DEFAULT (16ull << 30)

struct wl_input;

/* Up to n bytes from the start of path into buf, without consuming them:
 * the number read (< n only at the end of the input), or -1 with err. */
ssize_t wl_input_peek(const char *path, void *buf, size_t n, struct wl_error *err);

/* A sequential reader of path from its start, or NULL with err. */
struct wl_input *wl_input_open(const char *path, struct wl_error *err);
/* As read(2): bytes read, 0 at the end, -1 with errno. */
ssize_t wl_input_read(struct wl_input *in, void *buf, size_t n);
/* A regular file only (wl_input_size >= 0): as pread(2), up to n bytes at
 * offset off, from any thread; the reader's own position does not move. */
ssize_t wl_input_pread(struct wl_input *in, void *buf, size_t n, long long off);
/* The size of a regular file, -1 for a stream. */
long long wl_input_size(const struct wl_input *in);
/* Closes the reader; NULL is allowed. */
void wl_input_close(struct wl_input *in);
/* The same reader as a stdio stream (fclose closes it), or NULL with err. */
FILE *wl_input_fopen(const char *path, struct wl_error *err);

/* A descriptor of a regular file holding all of path, at offset 0, for a
 * reader that maps it (or of the directory path names); the caller closes
 * it.  A stream is copied first (see above).  -1 with err. */
int wl_input_file(const char *path, struct wl_error *err);

#endif
