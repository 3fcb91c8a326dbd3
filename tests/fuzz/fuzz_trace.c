/*
 * fuzz_trace.c - libFuzzer target for the trace reader (src/trace/reader*.c):
 * any bytes, read to the end, must neither crash nor read out of bounds, and
 * every SAMPLE the reader hands out lists only declared channels.
 *   clang -fsanitize=fuzzer,address -Iinclude tests/fuzz/fuzz_trace.c \
 *         src/trace/crc32c.c src/trace/reader.c src/trace/reader_record.c src/common/error.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wattlog/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct wl_error err;
	struct wl_record rec;
	struct wl_reader *r;
	char path[64];
	size_t i;

	if (fd < 0 && (fd = memfd_create("fuzz.wlog", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = wl_reader_open(path, &err);
	if (!r)
		return 0;
	while (wl_reader_next(r, &rec, &err) == 1)
		if (rec.kind == WL_REC_SAMPLE)
			for (i = 0; i < rec.u.sample.n; i++)
				if (!wl_reader_channel(r, rec.u.sample.ids[i]))
					abort();
	wl_reader_free(r);
	return 0;
}
