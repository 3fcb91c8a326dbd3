/* test_stream_spill.c - the spill file of a streamed CSV log
 * (src/analyze/pipeline/stream_spill.c): what is read back is what was
 * written, bit for bit and in order (blocks of rows set here: repeats,
 * -0.0 after 0.0, NaN, channel numbers past 65535, more layouts than the
 * file's slots, blocks of one row), each reader sees only the channels it
 * wants, and a repeat takes one bit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/analyze/pipeline/stream_spill.h"

#define NB 300 /* blocks */

/* Block j's layout: one of 40 (more than WL_SPILL_SLOTS), 1 to 6 channels
 * drawn from 0..9 and 70000 + j % 3. */
static size_t layout_of(size_t j, uint32_t *ch)
{
	size_t L = (j * 7) % 40, n = 1 + L % 6, k;

	for (k = 0; k < n; k++)
		ch[k] = k == 5 ? 70000u + (uint32_t)(L % 3) : (uint32_t)((L + 3 * k) % 10);
	/* distinct: (L + 3k) mod 10 for k < 5 are distinct */
	return n;
}

static size_t rows_of(size_t j)
{
	return j % 9 == 0 ? 1 : 1 + (j * 13) % 200; /* a block holds 200 of 6 channels */
}

/* Reading r of channel c in block j: repeats, signed zeros, NaN, others. */
static double value_of(size_t j, size_t r, uint32_t c)
{
	static const double odd[] = { 0.0, -0.0, NAN, 1e308, -5e-324, 77.56 };
	size_t x = j * 31 + r + c;

	return x % 3 == 0 ? 42.0 : x % 11 == 0 ? odd[(j + r) % 6] : (double)(j * 1000 + r) / 7;
}

static void block(size_t j, struct wl_srows *b)
{
	uint32_t ch[6];
	size_t n = layout_of(j, ch), r, k;

	cr_assert_eq(wl_srows_layout(b, ch, n, 0), 0);
	for (r = 0; r < rows_of(j); r++) {
		double v[6];

		for (k = 0; k < n; k++)
			v[k] = value_of(j, r, ch[k]);
		cr_assert_eq(wl_srows_add(b, (double)(j * 1000 + r) * 0.1, v), 0);
	}
}

struct back {
	size_t j, bad;
	const unsigned char *want;
};

static int on_block(void *user, struct wl_srows *b)
{
	struct back *bk = user;
	uint32_t ch[6];
	size_t n = layout_of(bk->j, ch), r, k;

	if (b->ncol != n || memcmp(b->ch, ch, n * sizeof(*ch)) || b->n != rows_of(bk->j))
		bk->bad++;
	for (r = 0; r < b->n && r < rows_of(bk->j); r++) {
		double t = (double)(bk->j * 1000 + r) * 0.1;

		if (memcmp(&b->t[r], &t, 8))
			bk->bad++;
		for (k = 0; k < b->ncol && k < n; k++) {
			double v = value_of(bk->j, r, ch[k]);

			if (bk->want[ch[k]] && memcmp(&b->v[k * b->cap + r], &v, 8))
				bk->bad++;
		}
	}
	bk->j++;
	return 0;
}

Test(stream_spill, written_and_read_back)
{
	unsigned char *all = calloc(70004, 1), *even = calloc(70004, 1), *buf = malloc(WL_SPILL_BUF);
	struct wl_srows b, rb;
	struct wl_spill sp;
	struct back bk;
	struct stat st;
	size_t j;

	cr_assert(all && even && buf);
	memset(&b, 0, sizeof(b));
	memset(&rb, 0, sizeof(rb));
	for (j = 0; j < 70004; j++) {
		all[j] = 1;
		even[j] = j % 2 == 0;
	}
	cr_assert_eq(wl_spill_open(&sp), 0);
	cr_assert_geq(sp.fd, 0, "/tmp is writable here");
	for (j = 0; j < NB; j++) {
		block(j, &b);
		wl_spill_put(&sp, &b);
	}
	wl_spill_flush(&sp);
	cr_assert_geq(sp.fd, 0, "nothing dropped");
	memset(&bk, 0, sizeof(bk));
	bk.want = all;
	cr_assert_eq(wl_spill_read(&sp, buf, all, &rb, on_block, &bk), 0);
	cr_expect_eq(bk.j, NB);
	cr_expect_eq(bk.bad, 0);
	memset(&bk, 0, sizeof(bk));
	bk.want = even;
	cr_assert_eq(wl_spill_read(&sp, buf, even, &rb, on_block, &bk), 0);
	cr_expect_eq(bk.j, NB);
	cr_expect_eq(bk.bad, 0, "the even channels alone, in order");
	/* 100 rows of channel 1 at 3.5 (its value before was not 3.5): the
	 * header (5 + 1 + 2), the times (800), the count (2), 100 bits (13),
	 * the one value (8); the same again: the value is a repeat */
	cr_assert_eq(fstat(sp.fd, &st), 0);
	{
		off_t before = st.st_size;
		uint32_t one = 1;
		double v = 3.5;

		cr_assert_eq(wl_srows_layout(&b, &one, 1, 0), 0);
		for (j = 0; j < 100; j++)
			cr_assert_eq(wl_srows_add(&b, (double)j, &v), 0);
		wl_spill_put(&sp, &b); /* its layout: a new record of 5 + 5 + 4 */
		wl_spill_flush(&sp);
		cr_assert_eq(fstat(sp.fd, &st), 0);
		cr_expect_eq(st.st_size - before, 14 + 8 + 800 + 2 + 13 + 8);
		before = st.st_size;
		wl_spill_put(&sp, &b);
		wl_spill_flush(&sp);
		cr_assert_eq(fstat(sp.fd, &st), 0);
		cr_expect_eq(st.st_size - before, 8 + 800 + 2 + 13);
	}
	wl_srows_release(&b);
	wl_srows_release(&rb);
	wl_spill_free(&sp);
	free(buf);
	free(all);
	free(even);
}
