/* test_trace_damage.c - the trace reader on damaged files: truncation at
 * every byte, a flipped bit in every byte of every block, a lost block, and
 * random mutations (run under ASan: never out of bounds). */
#include "trace_fixture.h"

Test(trace, truncation_at_every_byte)
{
	const char *path = multi_block_trace();
	char cut_path[64];
	size_t n, cut, nd, got, whole;
	unsigned char *b = slurp(path, &n);
	const struct wl_damage *d;
	struct wl_reader *r;
	struct wl_error err;
	uint64_t t[NBLK * PER];

	strcpy(cut_path, tmp_path());
	cr_assert_eq(n, end[NBLK]);
	spill(cut_path, b, 0);
	cr_assert_null(wl_reader_open(cut_path, &err));
	cr_assert(strstr(err.msg, "empty file"), "%s", err.msg);
	for (cut = 1; cut <= n; cut++) {
		size_t start = 16;
		spill(cut_path, b, cut);
		got = read_samples(cut_path, t, NBLK * PER, &d, &nd, &r);
		whole = 0; /* whole data blocks before the cut */
		for (int j = 1; j <= NBLK; j++)
			if (end[j] <= cut)
				whole = (size_t)j;
		for (int j = 0; j <= NBLK; j++)
			if (end[j] <= cut)
				start = end[j];
		if (cut < 16)
			start = 0;
		cr_assert_eq(got, whole * PER, "cut %zu: %zu samples", cut, got);
		for (size_t i = 0; i < got; i++)
			cr_assert_eq(t[i], i);
		if (cut == start) {
			cr_assert_eq(nd, 0, "cut %zu at a block end: %s", cut, nd ? d[0].what : "");
		} else {
			cr_assert_eq(nd, 1, "cut %zu: %zu damage entries", cut, nd);
			cr_assert(strstr(d[0].what, "torn tail"), "cut %zu: %s", cut, d[0].what);
			cr_assert_eq(d[0].offset, start, "cut %zu", cut);
			cr_assert_eq(d[0].length, cut - start, "cut %zu", cut);
		}
		wl_reader_free(r);
	}
	free(b);
	unlink(path);
	unlink(cut_path);
}

Test(trace, flipped_bit_in_every_byte_of_every_block)
{
	const char *path = multi_block_trace();
	char bad_path[64];
	size_t n, nd, got;
	unsigned char *b = slurp(path, &n);
	const struct wl_damage *d;
	struct wl_reader *r;
	uint64_t t[NBLK * PER];

	strcpy(bad_path, tmp_path());
	for (int j = 1; j <= NBLK; j++) {
		for (size_t at = end[j - 1]; at < end[j]; at++) {
			b[at] ^= (unsigned char)(1u << (at % 8));
			spill(bad_path, b, n);
			b[at] ^= (unsigned char)(1u << (at % 8));
			got = read_samples(bad_path, t, NBLK * PER, &d, &nd, &r);
			/* Every sample except block j's, in order. */
			cr_assert_eq(got, (NBLK - 1) * PER, "block %d byte %zu: %zu", j, at, got);
			for (size_t i = 0, k = 0; i < NBLK * PER; i++)
				if (i / PER + 1 != (size_t)j)
					cr_assert_eq(t[k++], i);
			cr_assert_eq(nd, 1, "block %d byte %zu: %zu damage entries", j, at, nd);
			cr_assert_eq(d[0].offset, end[j - 1], "block %d byte %zu", j, at);
			cr_assert_eq(d[0].length, end[j] - end[j - 1], "block %d byte %zu: %s", j,
				     at, d[0].what);
			wl_reader_free(r);
		}
	}
	/* Block 0 holds the channel: its loss leaves every sample undeclared,
	 * reported once, and none is returned. */
	b[end[0] - 1] ^= 1;
	spill(bad_path, b, n);
	got = read_samples(bad_path, t, NBLK * PER, &d, &nd, &r);
	cr_assert_eq(got, 0);
	cr_assert_eq(nd, 2);
	cr_assert(strstr(d[0].what, "checksum mismatch"), "%s", d[0].what);
	cr_assert_eq(d[0].offset, 16);
	cr_assert(strstr(d[1].what, "undeclared channel 7"), "%s", d[1].what);
	cr_assert_eq(d[1].offset, end[0] + 16);
	wl_reader_free(r);
	free(b);
	unlink(path);
	unlink(bad_path);
}

Test(trace, lost_block_is_a_sequence_gap)
{
	const char *path = multi_block_trace();
	size_t n, nd, got;
	unsigned char *b = slurp(path, &n);
	const struct wl_damage *d;
	struct wl_reader *r;
	uint64_t t[NBLK * PER];

	/* Cut block 2 out: its neighbours are intact, only the sequence says. */
	memmove(b + end[1], b + end[2], n - end[2]);
	spill(path, b, n - (end[2] - end[1]));
	got = read_samples(path, t, NBLK * PER, &d, &nd, &r);
	cr_assert_eq(got, (NBLK - 1) * PER);
	cr_assert_eq(nd, 1);
	cr_assert(strstr(d[0].what, "sequence gap: block 3 where 2 was expected"), "%s", d[0].what);
	cr_assert_eq(d[0].offset, end[1]);
	wl_reader_free(r);
	free(b);
	unlink(path);
}

/* A small deterministic fuzz: random bytes overwritten, removed and cut off in
 * a valid trace; the reader must never fail nor read out of bounds (run it
 * under ASan), and every sample it returns must be one that was written. */
Test(trace, random_mutations_never_misread)
{
	const char *path = multi_block_trace();
	char bad_path[64];
	size_t n, nd, got;
	unsigned char *b = slurp(path, &n), *m = malloc(n + 64);
	const struct wl_damage *d;
	struct wl_reader *r;
	uint64_t t[NBLK * PER], seed = 88172645463325252ull;

	strcpy(bad_path, tmp_path());
	for (int round = 0; round < 3000; round++) {
		size_t len = n;

		memcpy(m, b, n);
		for (int k = 0; k < 1 + round % 4 && len > 17; k++) {
			seed ^= seed << 13; /* xorshift64 */
			seed ^= seed >> 7;
			seed ^= seed << 17;
			size_t at = 16 + (size_t)(seed % (len - 16));
			switch ((seed >> 32) % 3) {
			case 0:
				m[at] = (unsigned char)(seed >> 40);
				break;
			case 1: /* cut a few bytes out */
				memmove(m + at, m + at + 1, len - at - 1);
				len--;
				break;
			default: /* the end */
				len = at;
			}
		}
		spill(bad_path, m, len);
		got = read_samples(bad_path, t, NBLK * PER, &d, &nd, &r);
		/* read_samples checked value == 3 t for each; t only grows. */
		for (size_t i = 1; i < got; i++)
			cr_assert(t[i] > t[i - 1]);
		wl_reader_free(r);
	}
	free(m);
	free(b);
	unlink(path);
	unlink(bad_path);
}
