/* test_record_hist.c - the recorder's timing histogram behind --stats and the
 * benchmark's "us per sample" (wl_rec_hist_* in src/record/loop.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/record/rec.h"

static struct wl_rec_hist h;

Test(record_hist, empty_is_zero)
{
	memset(&h, 0, sizeof(h));
	cr_assert_eq(wl_rec_hist_quantile(&h, 0.5), 0);
}

Test(record_hist, fine_buckets)
{
	int i;

	/* 1000 values 1.000, 1.001, ... 1.999 us: 10 per 100-ns bucket, the
	 * median (rank round(0.5 * 999) = 500: 1.500 us) lies in bucket
	 * [1.5, 1.6) us, reported as its upper edge 1.6 us; p99 (rank 989:
	 * 1.989 us) in [1.9, 2.0) -> 2.0 us */
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 1000; i++)
		wl_rec_hist_add(&h, 1000 + (uint64_t)i);
	cr_assert_eq(h.n, 1000);
	cr_assert_eq(h.max_ns, 1999);
	cr_assert_eq(wl_rec_hist_quantile(&h, 0.5), 1600);
	cr_assert_eq(wl_rec_hist_quantile(&h, 0.99), 2000);
	cr_assert_eq(wl_rec_hist_quantile(&h, 0.0), 1100);
}

Test(record_hist, coarse_and_overflow)
{
	int i;

	/* 90 values of 5 us, 9 of 250 us, 1 of 50 ms (past the 10 ms range):
	 * median (rank 50) 5 us -> [5.0, 5.1) us -> 5.1 us; rank 95 is 250 us,
	 * in the 10-us bucket [250, 260) us -> 260 us; the maximum, in the
	 * overflow bucket, is reported as itself */
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 90; i++)
		wl_rec_hist_add(&h, 5000);
	for (i = 0; i < 9; i++)
		wl_rec_hist_add(&h, 250000);
	wl_rec_hist_add(&h, 50000000);
	cr_assert_eq(wl_rec_hist_quantile(&h, 0.5), 5100);
	cr_assert_eq(wl_rec_hist_quantile(&h, 0.95), 260000);
	cr_assert_eq(wl_rec_hist_quantile(&h, 1.0), 50000000);
}
