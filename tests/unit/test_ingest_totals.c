/* test_ingest_totals.c - total columns (src/analyze/ingest/ingest_totals.c) and the
 * Jetson module-input table (src/common/jetson_rails.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "wattlog/ingest.h"

/* Three gauges a, b, c on one device: c = a + b * (1 + off[k]). */
static void build(struct wl_dataset *ds, const double *off, size_t n, const char *unit_c,
		  double scale_c)
{
	long a, b, c;
	size_t k;

	wl_dataset_init(ds);
	a = wl_dataset_channel(ds, "n1", "W", "", "csv", WL_DS_GAUGE, 0);
	b = wl_dataset_channel(ds, "n2", "W", "", "csv", WL_DS_GAUGE, 0);
	c = wl_dataset_channel(ds, "total", unit_c, "", "csv", WL_DS_GAUGE, 0);
	wl_channel_component(&ds->ch[a], "n1");
	wl_channel_component(&ds->ch[b], "n2");
	wl_channel_component(&ds->ch[c], "total");
	for (k = 0; k < n; k++) {
		double va = 100 + (double)(k % 7), vb = 50 + (double)(k % 3);

		wl_channel_push(&ds->ch[a], (double)k, va);
		wl_channel_push(&ds->ch[b], (double)k, vb);
		wl_channel_push(&ds->ch[c], (double)k, (va + vb * (1 + off[k])) * scale_c);
	}
}

Test(totals, a_sum_is_a_total)
{
	double off[200] = { 0 };
	struct wl_dataset ds;
	struct wl_error err;

	/* 0.4 % of the part on every row: within 0.5 % of the total */
	for (size_t k = 0; k < 200; k++)
		off[k] = 0.004;
	build(&ds, off, 200, "mW", 1000); /* the total in mW: compared in W */
	cr_assert_eq(wl_ingest_totals(&ds, 0, "x.csv", &err), 0);
	cr_assert_str_eq(ds.ch[2].component, "", "the total is kept out of the sum");
	cr_assert_str_eq(ds.ch[0].component, "n1");
	cr_assert_str_eq(ds.ch[1].component, "n2");
	cr_assert_eq(ds.assume.n, 1);
	cr_assert_eq(ds.assume.a[0].kind, WL_ASSUME_TOTAL);
	cr_assert(strstr(ds.assume.a[0].text, "'total' equals n2 + n1") ||
		  strstr(ds.assume.a[0].text, "'total' equals n1 + n2"), "%s", ds.assume.a[0].text);
	wl_dataset_release(&ds);
}

Test(totals, not_a_total)
{
	double off[200] = { 0 };
	struct wl_dataset ds;
	struct wl_error err;

	/* 3 rows in 200 (1.5 %) off by 10 % of the part (3 % of the total):
	 * fewer than 99 % agree */
	off[10] = off[50] = off[90] = 0.1;
	build(&ds, off, 200, "W", 1);
	cr_assert_eq(wl_ingest_totals(&ds, 0, "x.csv", &err), 0);
	cr_assert_str_eq(ds.ch[2].component, "total");
	cr_assert_eq(ds.assume.n, 0);
	wl_dataset_release(&ds);
	/* one row in 200 off: 99.5 % agree, still a total */
	memset(off, 0, sizeof(off));
	off[10] = 0.1;
	build(&ds, off, 200, "W", 1);
	cr_assert_eq(wl_ingest_totals(&ds, 0, "x.csv", &err), 0);
	cr_assert_str_eq(ds.ch[2].component, "");
	wl_dataset_release(&ds);
}

Test(jetson, module_input_rails)
{
	const char *nano[] = { "POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU" };
	const char *nx[] = { "VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC" };
	const char *agx_orin[] = { "VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO" };
	const char *agx_xavier[] = { "GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V" };
	const char *odd[] = { "RAIL_A", "RAIL_B" };
	const char *input;

	cr_assert_str_eq(wl_jetson_module(nano, 3, &input), "Jetson Nano");
	cr_assert_str_eq(input, "POM_5V_IN");
	cr_assert_not_null(strstr(wl_jetson_module(nx, 3, &input), "Orin NX"));
	cr_assert_str_eq(input, "VDD_IN");
	cr_assert_str_eq(wl_jetson_module(agx_orin, 4, &input), "Jetson AGX Orin");
	cr_assert_null(input);
	cr_assert_str_eq(wl_jetson_module(agx_xavier, 6, &input), "Jetson AGX Xavier");
	cr_assert_null(input);
	cr_assert_null(wl_jetson_module(odd, 2, &input));
	cr_assert_null(input);
	cr_assert(wl_jetson_is_input_rail("POM_5V_IN"));
	cr_assert(wl_jetson_is_input_rail("VDD_IN"));
	cr_assert(!wl_jetson_is_input_rail("VDD_SOC"));
}
