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
