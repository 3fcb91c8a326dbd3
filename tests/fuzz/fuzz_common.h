/*
 * fuzz_common.h - shared by the libFuzzer targets in tests/fuzz/ (built by
 * tests/fuzz/run.sh): the input as a file the readers can open by path, and
 * the properties every ingested dataset must have.  A broken property calls
 * fuzz_fail(), which prints why and aborts, so libFuzzer saves the input.
 */
#ifndef WATTLOG_FUZZ_COMMON_H
#define WATTLOG_FUZZ_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *fmt, const char *a, double x) __attribute__((noreturn));
static inline void fuzz_fail(const char *fmt, const char *a, double x)
{
	fprintf(stderr, "fuzz property broken: ");
	fprintf(stderr, fmt, a, x);
	fputc('\n', stderr);
	abort();
}

/* The input as /proc/self/fd/N of a memfd, rewritten on each call. */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		fd = memfd_create("fuzz-input", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}

/* An error message must exist, name the file and say where. */
static inline void fuzz_check_error(const struct wl_error *err, const char *path)
{
	if (!err->msg[0])
		fuzz_fail("%s: failure without a message (%g)", path, 0);
	if (!strstr(err->msg, path))
		fuzz_fail("error does not name the file: %s (%g)", err->msg, 0);
	if (strchr(err->msg, '\n'))
		fuzz_fail("error spans lines: %s (%g)", err->msg, 0);
}

/* Timestamps finite and non-decreasing per channel, values finite. */
static inline void fuzz_check_dataset(const struct wl_dataset *ds)
{
	size_t c, i;

	for (c = 0; c < ds->nch; c++) {
		const struct wl_channel *ch = &ds->ch[c];

		if (!ch->name || !ch->unit || !ch->device || !ch->source)
			fuzz_fail("channel %s without a name, unit, device or source (%g)", "", (double)c);
		for (i = 0; i < ch->n; i++) {
			if (!isfinite(ch->t[i]))
				fuzz_fail("channel %s: time not finite: %g", ch->name, ch->t[i]);
			if (!isfinite(ch->v[i]))
				fuzz_fail("channel %s: value not finite: %g", ch->name, ch->v[i]);
			if (i && ch->t[i] < ch->t[i - 1])
				fuzz_fail("channel %s: time goes backwards at %g", ch->name, ch->t[i]);
		}
		if (ch->kind == WL_DS_COUNTER && !(ch->wrap >= 0 && isfinite(ch->wrap)))
			fuzz_fail("channel %s: bad wrap %g", ch->name, ch->wrap);
	}
	for (i = 0; i < ds->nmk; i++)
		if (!isfinite(ds->mk[i].t) || !ds->mk[i].text)
			fuzz_fail("marker %s: bad time %g", ds->mk[i].text ? ds->mk[i].text : "",
				  ds->mk[i].t);
}

#endif
