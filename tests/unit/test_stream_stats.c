/* test_stream_stats.c - pass 1 of a metric's streamed statistics
 * (src/analyze/pipeline/stream_stats.c): the resolution found when a
 * value off the others' step comes after many distinct values that
 * repeat out of order (the values already checked are not checked again),
 * and min, max and mean by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "../../src/analyze/pipeline/stream_int.h"

/* 1000 values (i * 37 mod 50) x 0.25 + 1: 50 distinct multiples of
 * 0.25 (so of 0.01, not of 0.1), each coming 20 times out of order;
 * then `last` when not NaN. */
static void run(double last, struct wl_sstat *s, double *sum)
{
	double v[1001];
	size_t i, n = 0;

	wl_sstat_init(s);
	*sum = 0;
	for (i = 0; i < 1000; i++) {
		v[n] = (double)((i * 37) % 50) * 0.25 + 1;
		*sum += v[n++];
	}
	if (!isnan(last)) {
		v[n++] = last;
		*sum += last;
	}
	wl_sstat_p1(s, v, n / 2); /* in two calls: the state carries over */
	wl_sstat_p1(s, v + n / 2, n - n / 2);
	cr_assert_eq(wl_sstat_begin(s), 0);
}

Test(stream_stats, resolution_of_repeated_values)
{
	struct wl_sstat s;
	double sum;

	run(NAN, &s, &sum);
	cr_expect_eq(s.n1, 1000);
	cr_expect_float_eq(s.res, 0.01, 1e-15);
	cr_expect(s.exact);
	cr_expect_eq(s.min1, 1.0);
	cr_expect_eq(s.max1, 49 * 0.25 + 1);
	/* each of the 50 values 20 times: mean = 1 + 0.25 x 24.5 */
	cr_expect_float_eq((s.sum1 + s.comp1) / (double)s.n1, 1 + 0.25 * 24.5, 1e-12);
	wl_sstat_release(&s);
}

Test(stream_stats, a_late_value_off_the_step)
{
	struct wl_sstat s;
	double sum;

	run(3.125, &s, &sum); /* a multiple of 0.001, not of 0.01 */
	cr_expect_eq(s.n1, 1001);
	cr_expect_float_eq(s.res, 0.001, 1e-15);
	cr_expect_float_eq((s.sum1 + s.comp1) / (double)s.n1, sum / 1001, 1e-12);
	wl_sstat_release(&s);
	run(1.5003, &s, &sum); /* 0.3 of a 0.001 step off: beyond 1e-6 x 1500.3 */
	cr_expect_float_eq(s.res, 0.01, 1e-15); /* none fits: 0.01 (wl_res_off) */
	cr_expect(!s.res_ok[2] && !s.res_ok[3]);
	wl_sstat_release(&s);
	run(1.5 + 1e-7, &s, &sum); /* 150.00001 in steps of 0.01: off by 1e-5, within
				      1e-6 x 150, not within 1e-9 x 150 */
	cr_expect_float_eq(s.res, 0.01, 1e-15);
	cr_expect(!s.exact);
	wl_sstat_release(&s);
}
