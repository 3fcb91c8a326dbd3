/* trace_fixture.h - helpers of the trace tests (test_trace.c,
 * test_trace_damage.c): temporary files and the multi-block fixture. */
#ifndef WATTLOG_TEST_TRACE_FIXTURE_H
#define WATTLOG_TEST_TRACE_FIXTURE_H

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace.h"

static __attribute__((unused)) char *tmp_path(void)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/wl-test-trace.XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	return path;
}

static __attribute__((unused)) unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	cr_assert(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static __attribute__((unused)) void spill(const char *path, const unsigned char *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f);
	cr_assert_eq(fwrite(buf, 1, n, f), n);
	fclose(f);
}

/* Little-endian, written here independently of src/trace/le.h. */
static __attribute__((unused)) void put16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
}

static __attribute__((unused)) void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xFF;
}

static __attribute__((unused)) void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xFF;
}

static __attribute__((unused)) struct wl_chan_info chan(uint16_t id, uint8_t kind, uint8_t type, const char *name)
{
	struct wl_chan_info c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.kind = kind;
	c.type = type;
	c.scale = 1.0;
	strcpy(c.source, "test");
	strcpy(c.name, name);
	strcpy(c.unit, "uJ");
	return c;
}

/*
 * The fixture of the truncation and bit-flip tests: block 0 holds a META and
 * a CHANNEL record, then NBLK blocks of PER samples each (sample i: t_ns = i,
 * value u = 3 i), each block ended by an explicit flush.  end[j] is the file
 * offset where block j ends (read back with lseek, not from the writer).
 */
#define NBLK 6
#define PER 5

static size_t end[NBLK + 1] __attribute__((unused));

static __attribute__((unused)) const char *multi_block_trace(void)
{
	struct wl_error err;
	struct wl_chan_info c = chan(7, WL_KIND_COUNTER, WL_TYPE_U64, "energy");
	struct wl_kv kv = { "hostname", "h" };
	static char path[64]; /* its own copy: tmp_path() reuses its buffer */
	struct wl_writer *w;
	int fd;

	strcpy(path, tmp_path());
	fd = open(path, O_WRONLY | O_TRUNC);

	w = wl_writer_open(fd, 0, &err);
	cr_assert(w, "%s", err.msg);
	cr_assert_eq(wl_writer_meta(w, &kv, 1, &err), 0);
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0);
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	end[0] = (size_t)lseek(fd, 0, SEEK_CUR);
	for (int b = 0; b < NBLK; b++) {
		for (int k = 0; k < PER; k++) {
			uint16_t id = 7;
			union wl_value v = { .u = 3u * (uint64_t)(b * PER + k) };

			cr_assert_eq(wl_writer_sample(w, (uint64_t)(b * PER + k), &id, &v, 1, &err), 0);
		}
		cr_assert_eq(wl_writer_flush(w, &err), 0);
		end[b + 1] = (size_t)lseek(fd, 0, SEEK_CUR);
	}
	cr_assert_eq(wl_writer_blocks(w), NBLK + 1);
	wl_writer_free(w);
	close(fd);
	return path;
}

/* Reads path; returns samples read into t[] (checked against value 3 t). */
static __attribute__((unused)) size_t read_samples(const char *path, uint64_t *t, size_t max, const struct wl_damage **d,
			   size_t *nd, struct wl_reader **out)
{
	struct wl_error err;
	struct wl_record rec;
	struct wl_reader *r = wl_reader_open(path, &err);
	size_t n = 0;
	int rc;

	cr_assert(r, "%s", err.msg);
	while ((rc = wl_reader_next(r, &rec, &err)) == 1) {
		if (rec.kind != WL_REC_SAMPLE)
			continue;
		cr_assert_eq(rec.u.sample.n, 1);
		cr_assert_eq(rec.u.sample.vals[0].u, 3 * rec.t_ns);
		cr_assert(n < max);
		t[n++] = rec.t_ns;
	}
	cr_assert_eq(rc, 0, "%s", err.msg);
	*nd = wl_reader_damage(r, d);
	*out = r;
	return n;
}

#endif
