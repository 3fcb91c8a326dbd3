/* test_dataset.c - the in-memory dataset (src/analyze/model/dataset.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "wattlog/dataset.h"

Test(dataset, channels_are_found_and_deduplicated)
{
	struct wl_dataset ds;
	long a, b, c;
	double t0, t1;

	wl_dataset_init(&ds);
	a = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "aimeter", WL_DS_GAUGE, 0);
	b = wl_dataset_channel(&ds, "power.draw", "W", "gpu1", "aimeter", WL_DS_GAUGE, 0);
	c = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "aimeter", WL_DS_GAUGE, 0);
	cr_assert_eq(a, 0);
	cr_assert_eq(b, 1);
	cr_assert_eq(c, a);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[b], 0.5 + i, i), 0);
	cr_assert_eq(ds.ch[b].n, 1000);
	cr_assert_eq(ds.ch[b].v[999], 999.0);
	cr_assert_eq(wl_dataset_find(&ds, "power.draw", "gpu1"), 1);
	cr_assert_eq(wl_dataset_find(&ds, "clocks.sm", NULL), -1);
	cr_assert(wl_dataset_span(&ds, &t0, &t1));
	cr_assert_eq(t0, 0.5);
	cr_assert_eq(t1, 999.5);
	wl_dataset_meta(&ds, "hostname", "a");
	wl_dataset_meta(&ds, "hostname", "b");
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "hostname"), "b");
	cr_assert_eq(ds.nmeta, 1);
	cr_assert(isnan(ds.t0_realtime));
	wl_dataset_release(&ds);
}
