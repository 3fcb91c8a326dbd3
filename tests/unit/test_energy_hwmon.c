/* test_energy_hwmon.c - channels as the hwmon sources record them (source,
 * name, unit, device, scale of src/record/source/hwmon*.c) land in the right
 * energy component and in the total (ingest_trace.c's mapping through
 * wl_trace_channel_add, components.c's total rule); a gauge stuck at one
 * value is "not updating", stuck at 0 it gives no energy, never 0 J. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/ingest.h"
#include "wattlog/trace.h"

/* Adds a channel declared as a recorder source would, then its samples
 * (physical values) at t = 0, 1, ..., n-1 s. */
static void chan(struct wl_dataset *ds, const char *src, const char *name, const char *unit,
		 const char *dev, uint8_t kind, const double *v, size_t n)
{
	struct wl_chan_info c;
	long i;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.type = WL_TYPE_F64;
	c.scale = 1;
	snprintf(c.source, sizeof(c.source), "%s", src);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.unit, sizeof(c.unit), "%s", unit);
	snprintf(c.device, sizeof(c.device), "%s", dev);
	i = wl_trace_channel_add(ds, &c);
	cr_assert_geq(i, 0);
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(wl_channel_push(&ds->ch[i], (double)k, v[k]), 0);
}

static const struct wl_component_energy *comp(const struct wl_energy *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->c[i].name, name))
			return &e->c[i];
	return NULL;
}

static int warned(const struct wl_dataset *ds, const char *a, const char *b)
{
	for (size_t i = 0; i < ds->nwarn; i++)
		if (strstr(ds->warn[i], a) && strstr(ds->warn[i], b))
			return 1;
	return 0;
}

/* amdgpu gpu1: power.draw 100, 120, 140, 160, 180 W at 0..4 s: trapezoid
 * = (100+180)/2*4... by intervals: 110+130+150+170 = 560 J.  Its
 * utilization.gpu is no power channel.  intel_gpu gpu2: energy 0, 1e6, 3e6,
 * 6e6, 10e6 uJ = 10 J; its energy.pkg (a part of the card) 4 J is kept out.
 * power_meter node 300 W flat for 4 s = 1200 J, beside the others: not in
 * the total.  Total = 560 + 10 = 570 J. */
Test(energy_hwmon, gpus_and_meter_components)
{
	const double amd[] = {100, 120, 140, 160, 180}, util[] = {10, 20, 30, 40, 50};
	const double xe[] = {0, 1e6, 3e6, 6e6, 10e6}, pkg[] = {0, 1e6, 2e6, 3e6, 4e6};
	const double node[] = {300, 300, 300, 300, 300};
	struct wl_dataset ds, warn;
	struct wl_energy e;
	struct wl_error err;

	wl_dataset_init(&ds);
	wl_dataset_init(&warn);
	chan(&ds, "amdgpu", "power.draw", "W", "gpu1", WL_KIND_GAUGE, amd, 5);
	chan(&ds, "amdgpu", "utilization.gpu", "%", "gpu1", WL_KIND_GAUGE, util, 5);
	chan(&ds, "intel_gpu", "energy", "uJ", "gpu2", WL_KIND_COUNTER, xe, 5);
	chan(&ds, "intel_gpu", "energy.pkg", "uJ", "gpu2", WL_KIND_COUNTER, pkg, 5);
	chan(&ds, "power_meter", "power.average", "W", "node", WL_KIND_GAUGE, node, 5);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &warn, &e, &err), 0, "%s", err.msg);
	cr_assert_eq(e.n, 3);
	cr_assert_float_eq(comp(&e, "gpu1")->energy_j, 560.0, 1e-9);
	cr_assert_float_eq(comp(&e, "gpu2")->energy_j, 10.0, 1e-9);
	cr_assert_float_eq(comp(&e, "node")->energy_j, 1200.0, 1e-9);
	cr_assert(!comp(&e, "node")->in_total);
	cr_assert_float_eq(e.total_j, 570.0, 1e-9);
	/* the flat meter is said to be not updating; its energy stays */
	cr_assert(warned(&warn, "power.average node", "not updating"));
	wl_energy_release(&e);
	wl_dataset_release(&warn);
	wl_dataset_release(&ds);
}

/* A server whose only meter is the ACPI one: node is the total.  Its gauge
 * stuck at 0 W would be no reading: unknown, not 0 J. */
Test(energy_hwmon, meter_alone_is_the_total_and_zero_is_no_reading)
{
	const double node[] = {250, 260, 270}, zero[] = {0, 0, 0};
	struct wl_dataset ds, warn;
	struct wl_energy e;
	struct wl_error err;

	wl_dataset_init(&ds);
	wl_dataset_init(&warn);
	chan(&ds, "power_meter", "power.average", "W", "node", WL_KIND_GAUGE, node, 3);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &warn, &e, &err), 0, "%s", err.msg);
	cr_assert_float_eq(e.total_j, 255.0 + 265.0, 1e-9);
	wl_energy_release(&e);
	wl_dataset_release(&ds);

	wl_dataset_init(&ds);
	chan(&ds, "amdgpu", "power.draw", "W", "gpu0", WL_KIND_GAUGE, zero, 3);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &warn, &e, &err), 0, "%s", err.msg);
	cr_assert(isnan(comp(&e, "gpu0")->energy_j), "stuck at 0: %g J", comp(&e, "gpu0")->energy_j);
	cr_assert(warned(&warn, "power.draw gpu0", "no power from it"));
	wl_energy_release(&e);
	wl_dataset_release(&warn);
	wl_dataset_release(&ds);
}

/* ina3221 rails (mW, as the recorder computes V x I): with the module input
 * present (Nano: POM_5V_IN; Orin Nano: VDD_IN) the total is it alone; with
 * none (AGX Orin) the sum of the rails. */
Test(energy_hwmon, jetson_total)
{
	const double in[] = {5000, 5000, 5000}, gpu[] = {1500, 1500, 1500}, cpu[] = {1000, 1200, 1400};
	const char *input[] = {"POM_5V_IN", "VDD_IN"};
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_error err;

	for (int k = 0; k < 2; k++) {
		wl_dataset_init(&ds);
		chan(&ds, "ina3221", "power", "mW", input[k], WL_KIND_GAUGE, in, 3);
		chan(&ds, "ina3221", "power", "mW", "RAIL_A", WL_KIND_GAUGE, gpu, 3);
		chan(&ds, "ina3221", "voltage", "mV", input[k], WL_KIND_GAUGE, in, 3);
		cr_assert_eq(wl_energy_compute(&ds, NULL, NULL, &e, &err), 0, "%s", err.msg);
		cr_assert_eq(e.n, 2);
		cr_assert_float_eq(e.total_j, 10.0, 1e-9, "%s: %g", input[k], e.total_j); /* 5 W x 2 s */
		wl_energy_release(&e);
		wl_dataset_release(&ds);
	}
	wl_dataset_init(&ds);
	chan(&ds, "ina3221", "power", "mW", "VDD_GPU_SOC", WL_KIND_GAUGE, gpu, 3);
	chan(&ds, "ina3221", "power", "mW", "VDD_CPU_CV", WL_KIND_GAUGE, cpu, 3);
	cr_assert_eq(wl_energy_compute(&ds, NULL, NULL, &e, &err), 0, "%s", err.msg);
	/* 1.5 W x 2 s + (1.1 + 1.3) J = 3 + 2.4 */
	cr_assert_float_eq(e.total_j, 5.4, 1e-9, "%g", e.total_j);
	wl_energy_release(&e);
	wl_dataset_release(&ds);
}
