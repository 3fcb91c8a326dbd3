/* test_stream_spill.c - the spill file of a streamed CSV log
 * (src/analyze/pipeline/stream_spill.c): what is read back is what was
 * written, bit for bit and in order (values set here: repeats, -0.0 after
 * 0.0, NaN, channels past the 63 of the short tag, times shared by rows),
 * each reader sees only the channels it wants, and a repeat takes 1 byte. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/analyze/pipeline/stream_spill.h"

#define N 20000

struct sample {
	uint32_t tag;
	double t, x;
};

struct back {
	const struct sample *want;
	size_t n, bad;
	const unsigned char *only; /* the channels asked for */
};

static int on_sample(void *user, uint32_t tag, double t, double x)
{
	struct back *b = user;

	while (b->n < N && !b->only[b->want[b->n].tag])
		b->n++; /* not asked for: skipped */
	if (b->n == N || tag != b->want[b->n].tag || memcmp(&t, &b->want[b->n].t, 8) ||
	    memcmp(&x, &b->want[b->n].x, 8))
		b->bad++;
	b->n++;
	return 0;
}

Test(stream_spill, written_and_read_back)
{
	static struct sample w[N];
	static const double odd[] = { 0.0, -0.0, NAN, 1e308, -5e-324, 77.56 };
	unsigned char all[200], even[200], *buf = malloc(WL_SPILL_BUF);
	struct wl_spill sp;
	struct back b;
	struct stat st;
	size_t i;

	cr_assert(buf);
	for (i = 0; i < N; i++) {
		w[i].tag = (uint32_t)(i % 7 == 0 ? 60 + i % 100 : i % 5); /* 63 and up: wide */
		w[i].t = (double)(i / 5) * 0.1;                          /* 5 samples a time */
		w[i].x = i % 3 == 0 ? 42.0 : i % 11 == 0 ? odd[i % 6] : (double)i / 7;
	}
	cr_assert_eq(wl_spill_open(&sp), 0);
	cr_assert_geq(sp.fd, 0, "/tmp is writable here");
	for (i = 0; i < N; i++)
		wl_spill_put(&sp, w[i].tag, w[i].t, w[i].x);
	wl_spill_flush(&sp);
	for (i = 0; i < 200; i++) {
		all[i] = 1;
		even[i] = i % 2 == 0;
	}
	memset(&b, 0, sizeof(b));
	b.want = w;
	b.only = all;
	cr_assert_eq(wl_spill_read(&sp, buf, all, on_sample, &b), 0);
	cr_expect_eq(b.n, N);
	cr_expect_eq(b.bad, 0);
	memset(&b, 0, sizeof(b));
	b.want = w;
	b.only = even;
	cr_assert_eq(wl_spill_read(&sp, buf, even, on_sample, &b), 0);
	cr_expect_eq(b.bad, 0, "the even channels alone, in order");
	/* a repeat of channel 1 (the same bits as its value before) is 1 byte;
	 * a new value 9 and a new time 9 */
	cr_assert_eq(fstat(sp.fd, &st), 0);
	{
		off_t before = st.st_size;

		wl_spill_put(&sp, 1, 1e6, 3.5);
		wl_spill_put(&sp, 1, 1e6, 3.5);
		wl_spill_flush(&sp);
		cr_assert_eq(fstat(sp.fd, &st), 0);
		cr_expect_eq(st.st_size - before, 9 + 9 + 1);
	}
	wl_spill_free(&sp);
	free(buf);
}
