/* test_grow.c - growing arrays (src/common/grow.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "wattlog/grow.h"

Test(grow, doubles_from_sixteen_and_keeps_contents)
{
	int *a = NULL;
	size_t cap = 0;

	cr_assert_eq(wl_grow((void **)&a, &cap, 1, sizeof(*a)), 0);
	cr_assert_eq(cap, 16);
	for (int i = 0; i < 16; i++)
		a[i] = i;
	cr_assert_eq(wl_grow((void **)&a, &cap, 17, sizeof(*a)), 0);
	cr_assert_eq(cap, 32);
	cr_assert_eq(wl_grow((void **)&a, &cap, 100, sizeof(*a)), 0);
	cr_assert_eq(cap, 128); /* 32 -> 64 -> 128 */
	for (int i = 0; i < 16; i++)
		cr_assert_eq(a[i], i);
	cr_assert_eq(wl_grow((void **)&a, &cap, 5, sizeof(*a)), 0);
	cr_assert_eq(cap, 128, "never shrinks");
	free(a);
}

Test(grow, refuses_sizes_that_overflow)
{
	char *a = NULL;
	size_t cap = 0;

	cr_assert_eq(wl_grow((void **)&a, &cap, SIZE_MAX / 2 + 2, 1), -1);
	cr_assert_eq(wl_grow((void **)&a, &cap, SIZE_MAX / 8, 16), -1);
	cr_assert_null(a);
	cr_assert_eq(cap, 0);
}

/* wl_calloc_touched: zeroed like calloc over several pages and a part of
 * one, and NULL where n x size overflows, as calloc. */
Test(grow, calloc_touched_is_zeroed_and_checks_overflow)
{
	size_t n = 3 * 4096 + 123, i;
	unsigned char *p = wl_calloc_touched(n, 1);
	double *d = wl_calloc_touched(1000, sizeof(*d));

	cr_assert_not_null(p);
	cr_assert_not_null(d);
	for (i = 0; i < n; i++)
		cr_assert_eq(p[i], 0, "byte %zu", i);
	for (i = 0; i < 1000; i++)
		cr_assert_eq(d[i], 0.0);
	p[n - 1] = 7; /* the whole size is ours */
	free(p);
	free(d);
	cr_assert_null(wl_calloc_touched(SIZE_MAX / 2 + 1, 4));
}
