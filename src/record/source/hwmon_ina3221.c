/*
 * hwmon_ina3221.c - the INA3221 power monitors of NVIDIA Jetson modules
 * (source "ina3221"), as Documentation/hwmon/ina3221.rst describes them:
 * hwmon devices named "ina3221", three channels each.
 *
 * Per enabled channel N (1..3) whose inN_label reads (the rail, "VDD_IN";
 * a channel without a label is "<bus>-chN"), device = that label:
 *   voltage   mV  inN_input, the bus voltage, i64 gauge
 *   current   mA  currN_input, i64 gauge
 *   power     mW  voltage x current / 1000, f64 gauge computed at each
 *                 sample from the two values read then
 * A channel whose inN_enable reads 0 is left out.  The shunt voltages
 * (in4..in7) and the sum channel curr4 are not recorded.
 *
 * Metadata: ina3221.module and ina3221.input_rail from the Jetson table
 * (jetson_rails.h): the module's input rail, or "none: ..." where the
 * module has none (its total is the sum of its rails) or the rails match no
 * module of the table.  Libc only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwmon.h"
#include "wattlog/jetson_rails.h"

#define MAXRAILS 24

static void add_rail(struct wl_hwmon_set *s, const struct wl_hwmon_dev *d, int k,
		     const char **labels, size_t *nl, char (*store)[32])
{
	char leaf[32], label[32];
	int64_t en;
	int v, c;

	snprintf(leaf, sizeof(leaf), "in%d_enable", k);
	if (wl_hwmon_read_i64(d->dir, leaf, &en) == 0 && en == 0)
		return;
	snprintf(leaf, sizeof(leaf), "in%d_label", k);
	if (wl_hwmon_read_str(d->dir, leaf, label, sizeof(label)) < 0)
		snprintf(label, sizeof(label), "%.20s-ch%d", d->bus[0] ? d->bus : d->hwmon, k);
	snprintf(leaf, sizeof(leaf), "in%d_input", k);
	v = wl_hwmon_add(s, d, leaf, "voltage", "mV", 1.0, label, WL_KIND_GAUGE);
	snprintf(leaf, sizeof(leaf), "curr%d_input", k);
	c = wl_hwmon_add(s, d, leaf, "current", "mA", 1.0, label, WL_KIND_GAUGE);
	if (wl_hwmon_add_product(s, v, c, 1e-3, "power", "mW", label) < 0 || *nl >= MAXRAILS)
		return;
	snprintf(store[*nl], sizeof(store[0]), "%s", label);
	labels[*nl] = store[*nl];
	(*nl)++;
}

static void module_meta(struct wl_hwmon_set *s, const char **labels, size_t nl)
{
	const struct wl_jetson_module *m = wl_jetson_module_of(labels, nl);
	char val[160];

	wl_hwmon_meta(s, "ina3221.module", m ? m->module : "unknown");
	if (m && m->input_rail)
		snprintf(val, sizeof(val), "%s", m->input_rail);
	else if (m)
		snprintf(val, sizeof(val), "none: %s has no input rail, its total is the sum "
			 "of its rails", m->module);
	else
		snprintf(val, sizeof(val), "none: these rails match no Jetson module wattlog "
			 "knows, no rail is taken as the input");
	wl_hwmon_meta(s, "ina3221.input_rail", val);
}

static int ina_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	static const char *const names[] = {"ina3221"};
	const char *root = o->sysfs_root ? o->sysfs_root : "/sys";
	const char *labels[MAXRAILS];
	char store[MAXRAILS][32];
	struct wl_hwmon_dev *d;
	struct wl_hwmon_set *s;
	size_t n, i, nl = 0;

	*state = NULL;
	if (wl_hwmon_find(root, names, 1, &d, &n, err) < 0)
		return -1;
	if (!n)
		return wl_error_set(err, "no hwmon device named ina3221 (Jetson power monitor) "
				    "under %s/class/hwmon", root);
	if (!(s = wl_hwmon_set_new("ina3221"))) {
		free(d);
		return wl_error_set(err, "out of memory");
	}
	for (i = 0; i < n; i++)
		for (int k = 1; k <= 3; k++)
			add_rail(s, &d[i], k, labels, &nl, store);
	free(d);
	if (!nl) {
		wl_hwmon_close(s);
		return wl_error_set(err, "ina3221 hwmon found, but no channel reads both its "
				    "voltage and current");
	}
	module_meta(s, labels, nl);
	*state = s;
	return 0;
}

const struct wl_source_ops wl_source_ina3221 = {
	.name = "ina3221",
	.help =
		"Jetson power monitors: hwmon devices named `ina3221`",
	.default_period_ns = 100000000, /* 10 Hz; the chip converts and averages in ms */
	.open = ina_open,
	.describe = wl_hwmon_describe,
	.sample = wl_hwmon_sample,
	.next_due = NULL,
	.close = wl_hwmon_close,
};
