/*
 * hwmon_intel.c - Intel discrete GPUs through the i915 and xe drivers'
 * hwmon devices (source "intel_gpu"), as
 * Documentation/ABI/testing/sysfs-driver-intel-i915-hwmon and
 * sysfs-driver-intel-xe-hwmon describe them: hwmon devices named "i915" or
 * "xe" (the drivers register one for discrete cards only).
 *
 * Channels, device "gpuK" (numbered as hwmon.h says):
 *   energy          uJ  the lowest-numbered energyN_input present: the
 *                       card's energy (i915: energy1; xe: energy1 "card",
 *                       or energy2 "pkg" where the card has no energy1)
 *   energy.LABEL    uJ  any other energyN_input (xe's energy2 "pkg" beside
 *                       energy1 "card"), LABEL from energyN_label, else N:
 *                       a part of the card, kept out of the total
 * All u64 counters, wrap 0.  The wrap, as the ABI documents it: the value
 * is an unsigned 64-bit count of microjoules that the driver accumulates
 * from a 32-bit hardware register; one wrap of that register between two
 * reads of the file is detected and accounted for, more than one is not
 * (at 1 W the register wraps about every 3 days, so at 300 W every ~15 min:
 * the 10 Hz reading here is far inside that).  The 64-bit value itself does
 * not wrap in practice, hence wrap 0.
 *
 * Power limits are metadata (gpuK.<file>_w): powerN_max (sustained PL1,
 * 0 = disabled), powerN_rated_max (the card's default TDP), powerN_crit,
 * in microwatts in the files; gpuK.powerN_max_interval_ms (Tau).
 * Libc only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwmon.h"

static void limit_meta(struct wl_hwmon_set *s, const struct wl_hwmon_dev *d, const char *dev)
{
	static const char *const leaves[] = {"max", "rated_max", "crit"};
	char leaf[40], key[96], val[64];
	int64_t v;

	for (int k = 1; k <= 2; k++) {
		for (size_t j = 0; j < 3; j++) {
			snprintf(leaf, sizeof(leaf), "power%d_%s", k, leaves[j]);
			if (wl_hwmon_read_i64(d->dir, leaf, &v) < 0)
				continue;
			snprintf(key, sizeof(key), "%s.%s_w", dev, leaf);
			snprintf(val, sizeof(val), "%.6g", (double)v * 1e-6);
			wl_hwmon_meta(s, key, val);
		}
		snprintf(leaf, sizeof(leaf), "power%d_max_interval", k);
		if (wl_hwmon_read_i64(d->dir, leaf, &v) == 0) {
			snprintf(key, sizeof(key), "%s.%s_ms", dev, leaf);
			snprintf(val, sizeof(val), "%lld", (long long)v);
			wl_hwmon_meta(s, key, val);
		}
	}
}

static void add_gpu(struct wl_hwmon_set *s, const char *root, const struct wl_hwmon_dev *d)
{
	char dev[32], leaf[32], label[32], name[64], key[64], val[160];
	long nvidia, k = wl_hwmon_gpu_index(root, d->bus, &nvidia);
	int main_done = 0;

	snprintf(dev, sizeof(dev), "gpu%ld", k);
	for (int j = 1; j <= 4; j++) {
		snprintf(leaf, sizeof(leaf), "energy%d_label", j);
		if (wl_hwmon_read_str(d->dir, leaf, label, sizeof(label)) < 0)
			snprintf(label, sizeof(label), "%d", j);
		if (main_done)
			snprintf(name, sizeof(name), "energy.%s", label);
		else
			snprintf(name, sizeof(name), "energy");
		snprintf(leaf, sizeof(leaf), "energy%d_input", j);
		if (wl_hwmon_add(s, d, leaf, name, "uJ", 1.0, dev, WL_KIND_COUNTER) >= 0)
			main_done = 1;
	}
	snprintf(key, sizeof(key), "%s.name", dev);
	snprintf(val, sizeof(val), "Intel GPU %s (%s %s)", d->bus, d->name, d->hwmon);
	wl_hwmon_meta(s, key, val);
	snprintf(key, sizeof(key), "%s.pci", dev);
	wl_hwmon_meta(s, key, d->bus);
	limit_meta(s, d, dev);
}

static int intel_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	static const char *const names[] = {"i915", "xe"};
	const char *root = o->sysfs_root ? o->sysfs_root : "/sys";
	struct wl_hwmon_dev *d;
	struct wl_hwmon_set *s;
	size_t n, i;

	*state = NULL;
	if (wl_hwmon_find(root, names, 2, &d, &n, err) < 0)
		return -1;
	if (!n)
		return wl_error_set(err, "no hwmon device named i915 or xe (Intel discrete GPU) "
				    "under %s/class/hwmon", root);
	if (!(s = wl_hwmon_set_new("intel_gpu"))) {
		free(d);
		return wl_error_set(err, "out of memory");
	}
	for (i = 0; i < n; i++)
		add_gpu(s, root, &d[i]);
	free(d);
	if (s->nlive == 0) {
		wl_hwmon_close(s);
		return wl_error_set(err, "i915/xe hwmon found, but no energyN_input reads");
	}
	*state = s;
	return 0;
}

const struct wl_source_ops wl_source_intel_gpu = {
	.name = "intel_gpu",
	.help =
		"Intel discrete GPUs: hwmon devices named `i915` or `xe`",
	.default_period_ns = 100000000, /* 10 Hz, far inside one register wrap */
	.open = intel_open,
	.describe = wl_hwmon_describe,
	.sample = wl_hwmon_sample,
	.next_due = NULL,
	.close = wl_hwmon_close,
};
