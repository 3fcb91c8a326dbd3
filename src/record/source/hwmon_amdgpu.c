/*
 * hwmon_amdgpu.c - AMD GPUs through the amdgpu driver's hwmon device
 * (source "amdgpu"), as Documentation/gpu/amdgpu/thermal.rst describes it:
 * <sysfs_root>/class/hwmon/hwmonN with name "amdgpu".
 *
 * Channels, device "gpuK" (NVIDIA's GPUs first, then the amdgpu, i915 and
 * xe GPUs in PCI bus order: wl_hwmon_gpu_index), each only when its file
 * reads:
 *   power.draw          W   power1_average: average power of the SoC, uW
 *                           (on an APU it includes the CPU cores)
 *   power.draw.instant  W   power1_input: instantaneous power, uW
 *   energy              uJ  energy1_input, u64 counter (wrap unknown: 0)
 *   utilization.gpu     %   device/gpu_busy_percent
 *   utilization.memory  %   device/mem_busy_percent
 *   clocks.gr, clocks.mem, clocks.LABEL   MHz   freqN_input (Hz), by
 *                           freqN_label: sclk -> gr, mclk -> mem
 *   temperature.LABEL   C   tempN_input (millidegrees), LABEL from
 *                           tempN_label (edge, junction, mem), else tN
 * Metadata: gpuK.name "AMD GPU <pci>", gpuK.pci, gpuK.power_cap_w
 * (power1_cap), and amdgpu.numbering saying where the numbering starts.
 * Libc only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwmon.h"

/* freqN_input (Hz) as clocks.LABEL in MHz, tempN_input (millidegrees) as
 * temperature.LABEL in C, for N = 1..n, LABEL from the label file (sclk ->
 * gr, mclk -> mem, as NVML names them) or fN / tN. */
static void add_labelled(struct wl_hwmon_set *s, const struct wl_hwmon_dev *d, const char *dev,
			 const char *kind, int n, const char *prefix, const char *unit,
			 double scale)
{
	char leaf[32], label[32], name[64];

	for (int k = 1; k <= n; k++) {
		snprintf(leaf, sizeof(leaf), "%s%d_label", kind, k);
		if (wl_hwmon_read_str(d->dir, leaf, label, sizeof(label)) < 0)
			snprintf(label, sizeof(label), "%c%d", kind[0], k);
		snprintf(name, sizeof(name), "%s.%s", prefix,
			 !strcmp(label, "sclk") ? "gr" : !strcmp(label, "mclk") ? "mem" : label);
		snprintf(leaf, sizeof(leaf), "%s%d_input", kind, k);
		wl_hwmon_add(s, d, leaf, name, unit, scale, dev, WL_KIND_GAUGE);
	}
}

static void add_gpu(struct wl_hwmon_set *s, const char *root, const struct wl_hwmon_dev *d,
		    long *first, long *nvidia)
{
	char dev[32], key[64], val[160];
	long k = wl_hwmon_gpu_index(root, d->bus, nvidia);
	int64_t cap;

	snprintf(dev, sizeof(dev), "gpu%ld", k);
	if (*first < 0)
		*first = k;
	wl_hwmon_add(s, d, "power1_average", "power.draw", "W", 1e-6, dev, WL_KIND_GAUGE);
	wl_hwmon_add(s, d, "power1_input", "power.draw.instant", "W", 1e-6, dev, WL_KIND_GAUGE);
	wl_hwmon_add(s, d, "energy1_input", "energy", "uJ", 1.0, dev, WL_KIND_COUNTER);
	wl_hwmon_add(s, d, "device/gpu_busy_percent", "utilization.gpu", "%", 1.0, dev,
		     WL_KIND_GAUGE);
	wl_hwmon_add(s, d, "device/mem_busy_percent", "utilization.memory", "%", 1.0, dev,
		     WL_KIND_GAUGE);
	add_labelled(s, d, dev, "freq", 4, "clocks", "MHz", 1e-6);
	add_labelled(s, d, dev, "temp", 8, "temperature", "C", 1e-3);
	snprintf(key, sizeof(key), "%s.name", dev);
	snprintf(val, sizeof(val), "AMD GPU %s (amdgpu %s)", d->bus, d->hwmon);
	wl_hwmon_meta(s, key, val);
	snprintf(key, sizeof(key), "%s.pci", dev);
	wl_hwmon_meta(s, key, d->bus);
	if (wl_hwmon_read_i64(d->dir, "power1_cap", &cap) == 0) {
		snprintf(key, sizeof(key), "%s.power_cap_w", dev);
		snprintf(val, sizeof(val), "%.6g", (double)cap * 1e-6);
		wl_hwmon_meta(s, key, val);
	}
}

static int amdgpu_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	static const char *const names[] = {"amdgpu"};
	const char *root = o->sysfs_root ? o->sysfs_root : "/sys";
	struct wl_hwmon_dev *d;
	struct wl_hwmon_set *s;
	long first = -1, nvidia = 0;
	char val[160];
	size_t n, i;

	*state = NULL;
	if (wl_hwmon_find(root, names, 1, &d, &n, err) < 0)
		return -1;
	if (!n)
		return wl_error_set(err, "no hwmon device named amdgpu under %s/class/hwmon", root);
	if (!(s = wl_hwmon_set_new("amdgpu"))) {
		free(d);
		return wl_error_set(err, "out of memory");
	}
	for (i = 0; i < n; i++)
		add_gpu(s, root, &d[i], &first, &nvidia);
	free(d);
	if (s->nlive == 0) {
		wl_hwmon_close(s);
		return wl_error_set(err, "amdgpu hwmon found, but none of its files reads");
	}
	if (nvidia)
		snprintf(val, sizeof(val), "gpu%ld on, in PCI bus order, after the %ld NVIDIA GPU%s "
			 "on the bus (gpu0%s%.0ld, numbered by NVML)", first, nvidia,
			 nvidia == 1 ? "" : "s", nvidia == 1 ? "" : "..gpu", nvidia - 1);
	else
		snprintf(val, sizeof(val), "gpu%ld on, in PCI bus order (no NVIDIA GPU on the bus)",
			 first);
	wl_hwmon_meta(s, "amdgpu.numbering", val);
	*state = s;
	return 0;
}

const struct wl_source_ops wl_source_amdgpu = {
	.name = "amdgpu",
	.help =
		"AMD GPUs: hwmon devices named `amdgpu` (`/sys/class/hwmon/*/name`) and their "
		"PCI device",
	.default_period_ns = 100000000, /* 10 Hz: the SMU refreshes its metrics in ms */
	.open = amdgpu_open,
	.describe = wl_hwmon_describe,
	.sample = wl_hwmon_sample,
	.next_due = NULL,
	.close = wl_hwmon_close,
};
