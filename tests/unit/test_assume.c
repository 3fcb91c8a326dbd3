/* test_assume.c - the list of assumptions (src/analyze/model/assume.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "wattlog/assume.h"

Test(assume, adds_once_in_order)
{
	struct wl_assumptions l;

	wl_assumptions_init(&l);
	cr_assert_eq(wl_assume(&l, WL_ASSUME_UNIT, "column '%s' read as %s", "p", "W"), 0);
	cr_assert_eq(wl_assume(&l, WL_ASSUME_ZONE, "zone UTC"), 0);
	cr_assert_eq(wl_assume(&l, WL_ASSUME_UNIT, "column '%s' read as %s", "p", "W"), 0);
	/* the same text under another kind is another assumption */
	cr_assert_eq(wl_assume(&l, WL_ASSUME_TIME, "zone UTC"), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.a[0].text, "column 'p' read as W");
	cr_assert_eq(l.a[0].kind, WL_ASSUME_UNIT);
	cr_assert_str_eq(l.a[1].text, "zone UTC");
	cr_assert_eq(l.a[2].kind, WL_ASSUME_TIME);
	wl_assumptions_release(&l);
	cr_assert_eq(l.n, 0);
	cr_assert_null(l.a);
}

Test(assume, copy_prefixes_and_dedups)
{
	struct wl_assumptions a, b;

	wl_assumptions_init(&a);
	wl_assumptions_init(&b);
	wl_assume(&a, WL_ASSUME_RAIL, "VDD_IN is the module input");
	wl_assume(&b, WL_ASSUME_RAIL, "n1: VDD_IN is the module input");
	cr_assert_eq(wl_assume_copy(&b, &a, "n1: "), 0);
	cr_assert_eq(b.n, 1);
	cr_assert_eq(wl_assume_copy(&b, &a, NULL), 0);
	cr_assert_eq(b.n, 2);
	cr_assert_str_eq(b.a[1].text, "VDD_IN is the module input");
	wl_assumptions_release(&a);
	wl_assumptions_release(&b);
}

Test(assume, kind_names_and_long_lines)
{
	struct wl_assumptions l;
	char big[2000];

	cr_assert_str_eq(wl_assume_kind_name(WL_ASSUME_UNIT), "unit");
	cr_assert_str_eq(wl_assume_kind_name(WL_ASSUME_TOTAL), "total");
	cr_assert_str_eq(wl_assume_kind_name(WL_ASSUME_GAP), "gap");
	cr_assert_str_eq(wl_assume_kind_name(WL_ASSUME_OTHER), "other");
	cr_assert_str_eq(wl_assume_kind_name((enum wl_assume_kind)99), "other");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	wl_assumptions_init(&l);
	cr_assert_eq(wl_assume(&l, WL_ASSUME_OTHER, "%s", big), 0);
	cr_assert_eq(strlen(l.a[0].text), 511);
	wl_assumptions_release(&l);
}
