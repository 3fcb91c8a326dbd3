/* test_trace.c - the trace writer and reader (src/trace/), against
 * trace_format.h: exact round trips of every record kind, the file layout,
 * refused headers, unknown and malformed records, a sticky write error,
 * CRC32C.  Damage (truncation, bit flips, lost blocks) is in
 * test_trace_damage.c. */
#include <math.h>

#include "trace_fixture.h"

Test(trace, crc32c_check_value)
{
	unsigned char zeros[32] = { 0 };

	cr_assert_eq(wl_crc32c(0, "123456789", 9), 0xE3069283u);
	/* RFC 3720 B.4: 32 bytes of zeros -> 0x8A9136AA. */
	cr_assert_eq(wl_crc32c(0, zeros, 32), 0x8A9136AAu);
	/* Chaining over pieces equals one call. */
	cr_assert_eq(wl_crc32c(wl_crc32c(0, "12345", 5), "6789", 4), 0xE3069283u);
}

Test(trace, round_trip_every_record_kind)
{
	struct wl_error err;
	const char *path = tmp_path();
	int fd = open(path, O_WRONLY | O_TRUNC);
	struct wl_writer *w = wl_writer_open(fd, 64, &err); /* small: several blocks */
	struct wl_kv kv[2] = { { "hostname", "node-1" }, { "start_monotonic_ns", "1000" } };
	struct wl_chan_info cu = chan(1, WL_KIND_COUNTER, WL_TYPE_U64, "package-0");
	struct wl_chan_info cf = chan(2, WL_KIND_GAUGE, WL_TYPE_F64, "power");
	struct wl_chan_info ci = chan(65534, WL_KIND_GAUGE, WL_TYPE_I64, "delta");
	uint16_t ids[3] = { 1, 2, 65534 };
	union wl_value v[3];
	double fv[4] = { NAN, INFINITY, -INFINITY, -0.0 };
	uint64_t uv[4] = { UINT64_MAX, UINT64_MAX - 1, (uint64_t)1 << 63, 0 };
	int64_t iv[4] = { -1, INT64_MIN, INT64_MAX, -123456789012345 };
	struct wl_record rec;
	struct wl_reader *r;
	const struct wl_damage *d;
	int i;

	cu.wrap = 262143328850ull;
	cf.scale = 1e-3;
	strcpy(ci.device, "gpu0");
	cu.quantity = WL_Q_ENERGY; /* version 1.1: meaning stated, read back as written */
	strcpy(cu.component, "cpu");
	cf.quantity = WL_Q_OTHER;
	ci.quantity = WL_Q_TRAFFIC;
	strcpy(ci.component, "x");
	cr_assert(w, "%s", err.msg);
	cr_assert_eq(wl_writer_meta(w, kv, 2, &err), 0);
	cr_assert_eq(wl_writer_channel(w, &cu, &err), 0);
	cr_assert_eq(wl_writer_channel(w, &cf, &err), 0);
	cr_assert_eq(wl_writer_channel(w, &ci, &err), 0);
	for (i = 0; i < 4; i++) {
		v[0].u = uv[i];
		v[1].f = fv[i];
		v[2].i = iv[i];
		cr_assert_eq(wl_writer_sample(w, UINT64_MAX - (uint64_t)i, ids, v, 3, &err), 0);
	}
	cr_assert_eq(wl_writer_marker(w, 42, WL_MARKER_SENDER_TIME, "begin prefill", 13, &err), 0);
	cr_assert_eq(wl_writer_sync(w, 43, 1700000000123456789ull, &err), 0);
	cr_assert_eq(wl_writer_log(w, 44, WL_LOG_WARN, "nvml: sensor lost", &err), 0);
	cr_assert(wl_writer_blocks(w) >= 3);
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	cr_assert_eq(wl_writer_pending(w), 0);
	wl_writer_free(w);
	close(fd);

	r = wl_reader_open(path, &err);
	cr_assert(r, "%s", err.msg);
	unsigned maj, min;
	wl_reader_version(r, &maj, &min);
	cr_assert_eq(maj, 1);
	cr_assert_eq(min, 1); /* version 1.1: channel meaning */
	cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
	cr_assert_eq(rec.kind, WL_REC_META);
	cr_assert_eq(rec.offset, 16 + 16); /* first record of the first block */
	cr_assert_eq(rec.u.meta.n, 2);
	cr_assert_str_eq(rec.u.meta.kv[0].key, "hostname");
	cr_assert_str_eq(rec.u.meta.kv[0].value, "node-1");
	cr_assert_str_eq(rec.u.meta.kv[1].key, "start_monotonic_ns");
	cr_assert_str_eq(rec.u.meta.kv[1].value, "1000");
	for (i = 0; i < 3; i++) {
		const struct wl_chan_info *want[3] = { &cu, &cf, &ci };
		cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
		cr_assert_eq(rec.kind, WL_REC_CHANNEL);
		cr_assert_eq(memcmp(rec.u.channel, want[i], sizeof(cu)), 0);
	}
	cr_assert_eq(wl_reader_channel(r, 1)->wrap, 262143328850ull);
	cr_assert_eq(wl_reader_channel(r, 2)->scale, 1e-3);
	cr_assert_str_eq(wl_reader_channel(r, 65534)->device, "gpu0");
	cr_assert_null(wl_reader_channel(r, 3));
	for (i = 0; i < 4; i++) {
		cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
		cr_assert_eq(rec.kind, WL_REC_SAMPLE);
		cr_assert_eq(rec.t_ns, UINT64_MAX - (uint64_t)i);
		cr_assert_eq(rec.u.sample.n, 3);
		cr_assert_eq(rec.u.sample.ids[0], 1);
		cr_assert_eq(rec.u.sample.ids[2], 65534);
		cr_assert_eq(rec.u.sample.vals[0].u, uv[i]);
		cr_assert_eq(rec.u.sample.vals[2].i, iv[i]);
		if (isnan(fv[i]))
			cr_assert(isnan(rec.u.sample.vals[1].f));
		else
			cr_assert_eq(memcmp(&rec.u.sample.vals[1].f, &fv[i], 8), 0);
	}
	cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
	cr_assert_eq(rec.kind, WL_REC_MARKER);
	cr_assert_eq(rec.t_ns, 42);
	cr_assert_eq(rec.u.marker.flags, WL_MARKER_SENDER_TIME);
	cr_assert_str_eq(rec.u.marker.text, "begin prefill");
	cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
	cr_assert_eq(rec.kind, WL_REC_SYNC);
	cr_assert_eq(rec.t_ns, 43);
	cr_assert_eq(rec.u.sync.real_ns, 1700000000123456789ull);
	cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
	cr_assert_eq(rec.kind, WL_REC_LOG);
	cr_assert_eq(rec.t_ns, 44);
	cr_assert_eq(rec.u.log.level, WL_LOG_WARN);
	cr_assert_str_eq(rec.u.log.text, "nvml: sensor lost");
	cr_assert_eq(wl_reader_next(r, &rec, &err), 0);
	cr_assert_eq(wl_reader_damage(r, &d), 0);
	wl_reader_free(r);
	unlink(path);
}

Test(trace, file_layout_matches_the_spec)
{
	const char *path = multi_block_trace();
	size_t n;
	unsigned char *b = slurp(path, &n);
	uint32_t len = (uint32_t)(end[1] - end[0] - 16);

	cr_assert_eq(memcmp(b, "WLOG\x0D\x0C\x0B\x0A\x01\x00\x01\x00\x00\x00\x00\x00", 16), 0);
	cr_assert_eq(memcmp(b + end[0], "WBLK", 4), 0);
	cr_assert_eq(b[end[0] + 4] | b[end[0] + 5] << 8, len);
	cr_assert_eq(b[end[0] + 8], 1); /* sequence 1 */
	/* Five samples of one entry: 5 * (8 + 8 + 10) bytes. */
	cr_assert_eq(len, 5 * 26);
	uint32_t crc = wl_crc32c(0, b + end[0], 12);
	crc = wl_crc32c(crc, b + end[0] + 16, len);
	cr_assert_eq(crc, (uint32_t)b[end[0] + 12] | (uint32_t)b[end[0] + 13] << 8 |
			  (uint32_t)b[end[0] + 14] << 16 | (uint32_t)b[end[0] + 15] << 24);
	free(b);
	unlink(path);
}

/* A hand-made file: header, one block with records given as bytes. */
static void hand_trace(const char *path, const unsigned char *hdr, const unsigned char *pay,
		       size_t len)
{
	unsigned char buf[512];

	memcpy(buf, hdr, 16);
	memcpy(buf + 16, "WBLK", 4);
	put32(buf + 20, (uint32_t)len);
	put32(buf + 24, 0);
	memcpy(buf + 32, pay, len);
	put32(buf + 28, wl_crc32c(wl_crc32c(0, buf + 16, 12), pay, len));
	spill(path, buf, 32 + len);
}

static const unsigned char good_hdr[16] = { 'W', 'L', 'O', 'G', 0x0D, 0x0C, 0x0B, 0x0A, 1, 0, 3, 0 };

Test(trace, refused_headers)
{
	const char *path = tmp_path();
	unsigned char h[16];
	struct wl_error err;
	unsigned char pay[1] = { 0 };

	memcpy(h, good_hdr, 16);
	memcpy(h, "WLOX", 4);
	hand_trace(path, h, pay, 0);
	cr_assert_null(wl_reader_open(path, &err));
	cr_assert(strstr(err.msg, "not a wattlog trace"), "%s", err.msg);
	cr_assert(strstr(err.msg, "bad magic at offset 0"), "%s", err.msg);
	cr_assert(strstr(err.msg, path), "%s", err.msg);

	memcpy(h, good_hdr, 16);
	memcpy(h + 4, "\x0A\x0B\x0C\x0D", 4);
	hand_trace(path, h, pay, 0);
	cr_assert_null(wl_reader_open(path, &err));
	cr_assert(strstr(err.msg, "big-endian"), "%s", err.msg);

	memcpy(h, good_hdr, 16);
	put16(h + 8, 2);
	put16(h + 10, 0);
	hand_trace(path, h, pay, 0);
	cr_assert_null(wl_reader_open(path, &err));
	char want[128];
	snprintf(want, sizeof(want), "unsupported trace version 2.0 in '%s'", path);
	cr_assert_str_eq(err.msg, want);

	cr_assert_null(wl_reader_open("/nonexistent/x.wlog", &err));
	cr_assert(strstr(err.msg, "cannot open '/nonexistent/x.wlog'"), "%s", err.msg);
	unlink(path);
}

Test(trace, unknown_kind_skipped_and_malformed_reported)
{
	const char *path = tmp_path();
	unsigned char pay[256], *p = pay;
	struct wl_error err;
	struct wl_record rec;
	const struct wl_damage *d;
	struct wl_reader *r;

	/* CHANNEL id 5, gauge, f64, wrap 0, scale 2.0, "s","n","W","" */
	put16(p, 2); put16(p + 2, 0); put32(p + 4, 20 + 2 + 1 + 2 + 1 + 2 + 1 + 2);
	p += 8;
	memset(p, 0, 20);
	put16(p, 5);
	put64(p + 12, 0x4000000000000000ull); /* 2.0 */
	p += 20;
	put16(p, 1); p[2] = 's'; p += 3;
	put16(p, 1); p[2] = 'n'; p += 3;
	put16(p, 1); p[2] = 'W'; p += 3;
	put16(p, 0); p += 2;
	/* unknown kind 77 with a 5-byte body */
	put16(p, 77); put16(p + 2, 0); put32(p + 4, 5); memcpy(p + 8, "zzzzz", 5);
	p += 13;
	/* SAMPLE t=9, id 5 = 1.5 */
	put16(p, 3); put16(p + 2, 0); put32(p + 4, 18);
	put64(p + 8, 9); put16(p + 16, 5); put64(p + 18, 0x3FF8000000000000ull);
	p += 26;
	/* SYNC with a 4-byte body: malformed, reported, skipped */
	put16(p, 5); put16(p + 2, 0); put32(p + 4, 4); memset(p + 8, 0, 4);
	p += 12;
	/* a record header whose body runs past the block */
	put16(p, 3); put16(p + 2, 0); put32(p + 4, 1000);
	p += 8;
	hand_trace(path, good_hdr, pay, (size_t)(p - pay));

	r = wl_reader_open(path, &err);
	cr_assert(r, "%s", err.msg);
	unsigned maj, min;
	wl_reader_version(r, &maj, &min);
	cr_assert_eq(min, 3);
	cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
	cr_assert_eq(rec.kind, WL_REC_CHANNEL);
	cr_assert_eq(rec.u.channel->scale, 2.0);
	cr_assert_str_eq(rec.u.channel->unit, "W");
	cr_assert_eq(wl_reader_next(r, &rec, &err), 1);
	cr_assert_eq(rec.kind, WL_REC_SAMPLE);
	cr_assert_eq(rec.t_ns, 9);
	cr_assert_eq(rec.u.sample.vals[0].f, 1.5);
	cr_assert_eq(wl_reader_next(r, &rec, &err), 0);
	cr_assert_eq(wl_reader_damage(r, &d), 2);
	cr_assert(strstr(d[0].what, "sync record too short"), "%s", d[0].what);
	cr_assert(strstr(d[1].what, "runs past the end of its block"), "%s", d[1].what);
	cr_assert_eq(d[1].offset, 32 + (size_t)(p - pay) - 8);
	wl_reader_free(r);
	unlink(path);
}

Test(trace, write_error_sticks)
{
	const char *path = tmp_path();
	int fd = open(path, O_WRONLY | O_TRUNC), full = open("/dev/full", O_WRONLY);
	struct wl_error err, err2;
	struct wl_writer *w;
	uint16_t id = 1;
	union wl_value v = { .u = 1 };

	if (full < 0)
		cr_skip_test("no /dev/full here");
	w = wl_writer_open_named(fd, "run.wlog", 0, &err);
	cr_assert(w, "%s", err.msg);
	dup2(full, fd); /* the disk is full from now on */
	cr_assert_eq(wl_writer_sample(w, 1, &id, &v, 1, &err), 0); /* buffered */
	cr_assert_eq(wl_writer_flush(w, &err), -1);
	cr_assert_str_eq(err.msg, "cannot write block 0 of 'run.wlog': No space left on device");
	cr_assert_eq(wl_writer_sample(w, 2, &id, &v, 1, &err2), -1);
	cr_assert_str_eq(err2.msg, err.msg);
	cr_assert_eq(wl_writer_marker(w, 2, 0, "x", 1, &err2), -1);
	cr_assert_eq(wl_writer_flush(w, &err2), -1);
	cr_assert_eq(wl_writer_blocks(w), 0);
	wl_writer_free(w);
	close(fd);
	close(full);
	unlink(path);
}
