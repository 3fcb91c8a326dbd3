/*
 * fuzz_trace.c - libFuzzer target for the trace reader (src/trace/reader*.c).
 * Built by tests/fuzz/run.sh (clang -fsanitize=fuzzer,address,undefined).
 *
 * Properties, checked against an independent walk of the bytes written from
 * trace_format.h alone (own CRC32C, bitwise):
 *   - every record handed out lies inside a block whose header and CRC check;
 *   - no record is handed out after bytes that are not whole blocks (damage,
 *     garbage, a cut block) unless a damage entry covering them has been
 *     reported by then;
 *   - bytes after the last whole block are reported (torn tail) at the end;
 *   - every SAMPLE lists only declared channels.
 */
#include "fuzz_common.h"
#include "wattlog/trace.h"

static uint32_t crc32c_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
	}
	return c ^ 0xFFFFFFFFu;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Length of the valid block at off (header + payload), or 0. */
static size_t block_at(const uint8_t *d, size_t size, size_t off)
{
	uint32_t len, crc;
	uint8_t *tmp;

	if (off + WL_BLOCK_HEADER_SIZE > size || memcmp(d + off, WL_BLOCK_MAGIC, 4))
		return 0;
	len = le32(d + off + 4);
	if (len == 0 || len > WL_BLOCK_MAX_PAYLOAD || len > size - off - WL_BLOCK_HEADER_SIZE)
		return 0;
	tmp = malloc(12 + (size_t)len);
	if (!tmp)
		abort();
	memcpy(tmp, d + off, 12);
	memcpy(tmp + 12, d + off + 16, len);
	crc = crc32c_bitwise(tmp, 12 + (size_t)len);
	free(tmp);
	return crc == le32(d + off + 12) ? WL_BLOCK_HEADER_SIZE + (size_t)len : 0;
}

/* 1 when some damage entry overlaps [a, b). */
static int damage_covers(const struct wl_reader *r, uint64_t a, uint64_t b)
{
	const struct wl_damage *d;
	size_t n = wl_reader_damage(r, &d), i;

	for (i = 0; i < n; i++)
		if (d[i].offset < b && d[i].offset + d[i].length > a)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl_error err = { { 0 } };
	struct wl_record rec;
	struct wl_reader *r;
	const char *path = fuzz_file(data, size);
	size_t i, expect = WL_FILE_HEADER_SIZE, cur = 0, cur_end = 0;
	int rc;

	r = wl_reader_open(path, &err);
	if (!r) {
		fuzz_check_error(&err, path);
		return 0;
	}
	while ((rc = wl_reader_next(r, &rec, &err)) == 1) {
		size_t off = (size_t)rec.offset, s, n;

		if (!(cur_end && off >= cur + WL_BLOCK_HEADER_SIZE && off < cur_end)) {
			/* A new block: find the valid block holding off. */
			for (s = WL_FILE_HEADER_SIZE; s + WL_BLOCK_HEADER_SIZE <= off; s++) {
				n = block_at(data, size, s);
				if (n && off >= s + WL_BLOCK_HEADER_SIZE && off + 8 <= s + n)
					break;
			}
			if (s + WL_BLOCK_HEADER_SIZE > off)
				fuzz_fail("%srecord at offset %g lies in no valid block", "", (double)off);
			/* Whole valid blocks between the last one read and this one
			 * carry nothing to report. */
			while (expect < s && (n = block_at(data, size, expect)) != 0 &&
			       expect + n <= s)
				expect += n;
			if (expect < s && !damage_covers(r, expect, s))
				fuzz_fail("%srecord after unreported damage at offset %g", "",
					  (double)expect);
			cur = s;
			cur_end = s + block_at(data, size, s);
			expect = cur_end;
		}
		if (off + WL_RECORD_HEADER_SIZE > cur_end)
			fuzz_fail("%srecord header past its block at %g", "", (double)off);
		if (rec.kind == WL_REC_SAMPLE)
			for (i = 0; i < rec.u.sample.n; i++)
				if (!wl_reader_channel(r, rec.u.sample.ids[i]))
					fuzz_fail("%ssample lists an undeclared channel at %g", "",
						  (double)off);
	}
	if (rc == 0) {
		while (expect < size && (i = block_at(data, size, expect)) != 0)
			expect += i;
		if (expect < size && size > WL_FILE_HEADER_SIZE && !damage_covers(r, expect, size))
			fuzz_fail("%sunreported bytes after offset %g", "", (double)expect);
	} else {
		fuzz_check_error(&err, path);
	}
	wl_reader_free(r);
	return 0;
}
