/*
 * hwmon_power_meter.c - ACPI 4.0 power meters (ACPI000D) through the
 * acpi_power_meter driver (source "power_meter"), as
 * Documentation/hwmon/acpi_power_meter.rst describes it: hwmon devices
 * named "power_meter".
 *
 * One channel per meter: "power.average", W, from power1_average (uW, the
 * average over power1_average_interval ms, which the platform sets), i64
 * gauge, device "node" for the first meter and "nodeK" for the K-th after
 * it (all in the node component: summed).  Metadata per meter
 * (power_meter.K.*): interval_ms, cap_w (power1_cap), model
 * (power1_model_number) where those files read.  Libc only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwmon.h"

static void meta_num(struct wl_hwmon_set *s, const struct wl_hwmon_dev *d, size_t k,
		     const char *leaf, const char *key, double scale)
{
	char name[64], val[64];
	int64_t v;

	if (wl_hwmon_read_i64(d->dir, leaf, &v) < 0)
		return;
	snprintf(name, sizeof(name), "power_meter.%zu.%s", k, key);
	snprintf(val, sizeof(val), "%.6g", (double)v * scale);
	wl_hwmon_meta(s, name, val);
}

static int pm_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	static const char *const names[] = {"power_meter"};
	const char *root = o->sysfs_root ? o->sysfs_root : "/sys";
	char dev[32], key[64], val[160];
	struct wl_hwmon_dev *d;
	struct wl_hwmon_set *s;
	size_t n, i, k = 0;

	*state = NULL;
	if (wl_hwmon_find(root, names, 1, &d, &n, err) < 0)
		return -1;
	if (!n)
		return wl_error_set(err, "no hwmon device named power_meter (ACPI power meter) "
				    "under %s/class/hwmon", root);
	if (!(s = wl_hwmon_set_new("power_meter"))) {
		free(d);
		return wl_error_set(err, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (k)
			snprintf(dev, sizeof(dev), "node%zu", k);
		else
			snprintf(dev, sizeof(dev), "node");
		if (wl_hwmon_add(s, &d[i], "power1_average", "power.average", "W", 1e-6, dev,
				 WL_KIND_GAUGE) < 0)
			continue;
		meta_num(s, &d[i], k, "power1_average_interval", "interval_ms", 1);
		meta_num(s, &d[i], k, "power1_cap", "cap_w", 1e-6);
		if (wl_hwmon_read_str(d[i].dir, "power1_model_number", val, sizeof(val)) == 0) {
			snprintf(key, sizeof(key), "power_meter.%zu.model", k);
			wl_hwmon_meta(s, key, val);
		}
		k++;
	}
	free(d);
	if (!k) {
		wl_hwmon_close(s);
		return wl_error_set(err, "power_meter hwmon found, but no power1_average reads "
				    "(the platform may not measure, only cap)");
	}
	*state = s;
	return 0;
}

const struct wl_source_ops wl_source_power_meter = {
	.name = "power_meter",
	.help =
		"ACPI power meters (ACPI000D): hwmon devices named `power_meter`",
	.default_period_ns = 1000000000, /* averaging intervals are 1 s or longer */
	.open = pm_open,
	.describe = wl_hwmon_describe,
	.sample = wl_hwmon_sample,
	.next_due = NULL,
	.close = wl_hwmon_close,
};
