/* test_source_hwmon.c - the hwmon sources (src/record/source/hwmon*.c)
 * against the fake trees fixtures/sysfs/hwmon-*, whose values are restated
 * here by hand (see fixtures/sysfs/README.hwmon). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../../src/record/source/hwmon.h"
#include "source_fixture.h"
#include "wattlog/jetson_rails.h"

struct run {
	const struct wl_source_ops *ops;
	void *st;
	const struct wl_source_desc *d;
	union wl_value v[WL_HWMON_MAXCH];
	unsigned char p[WL_HWMON_MAXCH];
	struct wl_error err;
	char root[512];
};

static void open_copy(struct run *r, const struct wl_source_ops *ops, const char *tree)
{
	struct wl_source_opts o = {.procfs_root = "/proc"};
	char rel[128];

	memset(r, 0, sizeof(*r));
	r->ops = ops;
	snprintf(rel, sizeof(rel), "sysfs/%s", tree);
	fx_copy(rel, r->root, sizeof(r->root));
	o.sysfs_root = r->root;
	cr_assert_eq(ops->open(&r->st, &o, &r->err), 0, "open: %s", r->err.msg);
	r->d = ops->describe(r->st);
}

static void done(struct run *r)
{
	r->ops->close(r->st);
	fx_remove(r->root);
}

static int sample(struct run *r)
{
	memset(r->v, 0, sizeof(r->v));
	memset(r->p, 0, sizeof(r->p));
	r->err.msg[0] = 0;
	return r->ops->sample(r->st, 0, r->v, r->p, &r->err);
}

static int chan(const struct run *r, const char *name, const char *dev)
{
	for (size_t i = 0; i < r->d->n; i++)
		if (!strcmp(r->d->chans[i].name, name) && !strcmp(r->d->chans[i].device, dev))
			return (int)i;
	return -1;
}

/* The physical value of a channel in the last sample; NaN when absent. */
static double val(const struct run *r, const char *name, const char *dev)
{
	int i = chan(r, name, dev);

	if (i < 0 || !r->p[i])
		return NAN;
	return wl_value_physical(&r->d->chans[i], r->v[i]);
}

static const char *meta(const struct run *r, const char *key)
{
	for (size_t i = 0; i < r->d->nmeta; i++)
		if (!strcmp(r->d->meta[i].key, key))
			return r->d->meta[i].value;
	return NULL;
}

#define NEAR(a, b) cr_assert(fabs((a) - (b)) < 1e-9 * (fabs(b) + 1), "%s = %.12g, want %.12g", #a, (double)(a), (double)(b))

/* NVIDIA's one GPU at 0000:01 is gpu0; then the hwmon GPUs by PCI address:
 * amdgpu 0000:03 (hwmon3) gpu1, xe 0000:05 gpu2, amdgpu 0000:0a (hwmon1) gpu3. */
Test(hwmon, amdgpu_channels_units_numbering)
{
	struct run r;

	open_copy(&r, &wl_source_amdgpu, "hwmon-gpus");
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	NEAR(val(&r, "power.draw", "gpu1"), 150.0);          /* 150000000 uW */
	NEAR(val(&r, "utilization.gpu", "gpu1"), 87.0);
	NEAR(val(&r, "utilization.memory", "gpu1"), 40.0);
	NEAR(val(&r, "clocks.gr", "gpu1"), 1800.0);          /* 1800000000 Hz */
	NEAR(val(&r, "clocks.mem", "gpu1"), 1000.0);
	NEAR(val(&r, "temperature.edge", "gpu1"), 45.0);     /* 45000 mC */
	NEAR(val(&r, "temperature.junction", "gpu1"), 52.0);
	NEAR(val(&r, "power.draw.instant", "gpu3"), 75.0);
	NEAR(val(&r, "utilization.gpu", "gpu3"), 30.0);
	/* absent files are absent channels, never 0 */
	cr_assert_lt(chan(&r, "power.draw", "gpu3"), 0);
	cr_assert_lt(chan(&r, "energy", "gpu1"), 0);
	cr_assert_lt(chan(&r, "utilization.memory", "gpu3"), 0);
	cr_assert_eq(r.d->n, 9);
	cr_assert_str_eq(meta(&r, "gpu1.pci"), "0000:03:00.0");
	cr_assert_str_eq(meta(&r, "gpu3.pci"), "0000:0a:00.0");
	cr_assert_str_eq(meta(&r, "gpu1.power_cap_w"), "300");
	cr_assert_not_null(strstr(meta(&r, "amdgpu.numbering"), "after the 1 NVIDIA GPU"));
	done(&r);
}

Test(hwmon, intel_xe_card_and_package_limits)
{
	struct run r;
	int e;

	open_copy(&r, &wl_source_intel_gpu, "hwmon-gpus");
	cr_assert_eq(r.d->n, 2);
	e = chan(&r, "energy", "gpu2");
	cr_assert_geq(e, 0);
	cr_assert_eq(r.d->chans[e].kind, WL_KIND_COUNTER);
	cr_assert_str_eq(r.d->chans[e].unit, "uJ");
	cr_assert_eq(r.d->chans[e].wrap, 0);
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	cr_assert_eq(r.v[e].u, 1000000);
	cr_assert_eq(r.v[chan(&r, "energy.pkg", "gpu2")].u, 500000);
	cr_assert_str_eq(meta(&r, "gpu2.power1_max_w"), "200");
	cr_assert_str_eq(meta(&r, "gpu2.power1_rated_max_w"), "190");
	cr_assert_str_eq(meta(&r, "gpu2.power2_max_w"), "150");
	cr_assert_str_eq(meta(&r, "gpu2.power1_max_interval_ms"), "1000");
	/* the counter moves: the new value is read at the next sample */
	fx_write(r.root, "devices/pci0000:00/0000:05:00.0/hwmon/hwmon4/energy1_input",
		 "000000003500000\n");
	cr_assert_eq(sample(&r), 0);
	cr_assert_eq(r.v[e].u, 3500000);
	done(&r);
}

/* Orin Nano: VDD_IN 5000 mV x 1000 mA = 5000 mW; VDD_CPU_GPU_CV 5000 x 300 =
 * 1500 mW; VDD_SOC 5000 x 200 = 1000 mW; VDD_IN is the module input. */
Test(hwmon, ina3221_rail_power_and_input_rail)
{
	struct run r;

	open_copy(&r, &wl_source_ina3221, "hwmon-jetson-orin-nano");
	cr_assert_eq(r.d->n, 9);
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	NEAR(val(&r, "voltage", "VDD_IN"), 5000.0);
	NEAR(val(&r, "current", "VDD_IN"), 1000.0);
	NEAR(val(&r, "power", "VDD_IN"), 5000.0);
	NEAR(val(&r, "power", "VDD_CPU_GPU_CV"), 1500.0);
	NEAR(val(&r, "power", "VDD_SOC"), 1000.0);
	cr_assert_str_eq(r.d->chans[chan(&r, "power", "VDD_IN")].unit, "mW");
	cr_assert_str_eq(meta(&r, "ina3221.input_rail"), "VDD_IN");
	/* the current changes: the power follows at the next sample */
	fx_write(r.root, "devices/platform/bus@0/c240000.i2c/i2c-1/1-0040/hwmon/hwmon1/curr1_input",
		 "1400\n");
	cr_assert_eq(sample(&r), 0);
	NEAR(val(&r, "power", "VDD_IN"), 7000.0);
	done(&r);
}

/* AGX Orin: two chips; 1-0041's channels 1 and 3 are disabled (in_enable 0). */
Test(hwmon, ina3221_agx_orin_no_input_rail)
{
	struct run r;

	open_copy(&r, &wl_source_ina3221, "hwmon-jetson-agx-orin");
	cr_assert_eq(r.d->n, 12);
	cr_assert_lt(chan(&r, "power", "NC"), 0);
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	NEAR(val(&r, "power", "VDD_GPU_SOC"), 10000.0);
	NEAR(val(&r, "power", "VDDQ_VDD2_1V8AO"), 500.0);
	cr_assert_str_eq(meta(&r, "ina3221.module"), "Jetson AGX Orin");
	cr_assert_eq(strncmp(meta(&r, "ina3221.input_rail"), "none:", 5), 0);
	done(&r);
}

Test(hwmon, power_meter_node)
{
	struct run r;

	open_copy(&r, &wl_source_power_meter, "hwmon-power-meter");
	cr_assert_eq(r.d->n, 1);
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	NEAR(val(&r, "power.average", "node"), 350.0);
	cr_assert_str_eq(meta(&r, "power_meter.0.interval_ms"), "1000");
	done(&r);
}

Test(hwmon, gone_file_is_absent_and_said_once)
{
	struct run r;
	char path[700];

	open_copy(&r, &wl_source_power_meter, "hwmon-power-meter");
	snprintf(path, sizeof(path),
		 "%s/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI000D:00/hwmon/hwmon0/power1_average",
		 r.root);
	fx_write(r.root, "devices/LNXSYSTM:00/LNXSYBUS:00/ACPI000D:00/hwmon/hwmon0/power1_average",
		 "not a number\n");
	cr_assert_eq(sample(&r), -1); /* its only file: the source has failed */
	cr_assert_not_null(strstr(r.err.msg, "power1_average"), "%s", r.err.msg);
	cr_assert_eq(r.p[0], 0);
	done(&r);
}

Test(hwmon, unavailable_says_why)
{
	struct wl_source_opts o = {.sysfs_root = "/nonexistent-root", .procfs_root = "/proc"};
	const struct wl_source_ops *all[] = {&wl_source_amdgpu, &wl_source_ina3221,
					     &wl_source_power_meter, &wl_source_intel_gpu};
	struct wl_error err;
	void *st;

	for (size_t i = 0; i < 4; i++) {
		err.msg[0] = 0;
		cr_assert_eq(all[i]->open(&st, &o, &err), -1);
		cr_assert_null(st);
		cr_assert_not_null(strstr(err.msg, "/nonexistent-root/class/hwmon"), "%s", err.msg);
		all[i]->close(NULL);
	}
	/* a tree with hwmon but no device of the kind */
	o.sysfs_root = "fixtures/sysfs/hwmon-power-meter";
	cr_assert_eq(wl_source_amdgpu.open(&st, &o, &err), -1);
	cr_assert_not_null(strstr(err.msg, "no hwmon device named amdgpu"), "%s", err.msg);
}

Test(jetson_rails, table_lookups)
{
	const char *nano[] = {"POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"};
	const char *agx[] = {"VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"};
	const char *odd[] = {"VDD_IN", "FOO"};

	cr_assert_str_eq(wl_jetson_module_of(nano, 3)->input_rail, "POM_5V_IN");
	cr_assert_null(wl_jetson_module_of(agx, 4)->input_rail);
	cr_assert_null(wl_jetson_module_of(odd, 2));
	cr_assert(wl_jetson_is_input_rail("VDD_IN"));
	cr_assert(wl_jetson_is_input_rail("POM_5V_IN"));
	cr_assert(!wl_jetson_is_input_rail("VDD_SOC"));
	cr_assert(!wl_jetson_is_input_rail("VIN_SYS_5V0"));
}
