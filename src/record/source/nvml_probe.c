/*
 * nvml_probe.c - what each GPU answers: its channels (one per metric whose
 * call succeeds once at open; NOT_SUPPORTED or a missing entry point leaves
 * it out), its metadata (gpuN.name, .uuid, .pci_bus_id, .driver,
 * .max_clock_*, .power_limit_* in W, .mig_mode, .persistence_mode) and, for
 * --list --verbose, the cost of each call (nvml.cost.<call>_us, the median
 * of COST_RUNS calls on the first GPU, in microseconds).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvml_api.h"

#define G WL_KIND_GAUGE
#define C WL_KIND_COUNTER
#define U WL_TYPE_U64
#define F WL_TYPE_F64
#define COST_RUNS 5

const struct wl_nvml_def wl_nvml_defs[WL_NVML_NMETRICS] = {
	[WL_NVML_POWER] = { "power.draw", "W", G, U, 0.001, WL_NVML_G_FAST },
	[WL_NVML_POWER_INSTANT] = { "power.draw.instant", "W", G, U, 0.001, WL_NVML_G_FAST },
	[WL_NVML_ENERGY] = { "energy", "J", C, U, 0.001, WL_NVML_G_FAST },
	[WL_NVML_TEMP_GPU] = { "temperature.gpu", "C", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_TEMP_MEM] = { "temperature.memory", "C", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_UTIL_GPU] = { "utilization.gpu", "%", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_UTIL_MEM] = { "utilization.memory", "%", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_CLK_GR] = { "clocks.gr", "MHz", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_CLK_SM] = { "clocks.sm", "MHz", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_CLK_MEM] = { "clocks.mem", "MHz", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_MEM_USED] = { "memory.used", "B", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_MEM_TOTAL] = { "memory.total", "B", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_MEM_USAGE] = { "memory.usage", "%", G, F, 1, WL_NVML_G_MED },
	[WL_NVML_PCIE_GEN] = { "pcie.link.gen.current", "", G, U, 1, WL_NVML_G_SLOW },
	[WL_NVML_PCIE_WIDTH] = { "pcie.link.width.current", "lanes", G, U, 1, WL_NVML_G_SLOW },
	[WL_NVML_PCIE_TX] = { "pcie.tx", "B/s", G, F, 1, WL_NVML_G_MED },
	[WL_NVML_PCIE_RX] = { "pcie.rx", "B/s", G, F, 1, WL_NVML_G_MED },
	[WL_NVML_NVLINK_TX] = { "nvlink.tx", "B/s", G, F, 1, WL_NVML_G_MED },
	[WL_NVML_NVLINK_RX] = { "nvlink.rx", "B/s", G, F, 1, WL_NVML_G_MED },
	[WL_NVML_SM_ACTIVE] = { "sm_active", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_SM_OCC] = { "sm_occupancy", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_TENSOR] = { "tensor_active", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_FP16] = { "fp16_active", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_FP32] = { "fp32_active", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_FP64] = { "fp64_active", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_DRAM] = { "dram_active", "%", G, F, 1, WL_NVML_G_GPM },
	[WL_NVML_REASONS] = { "clocks_event_reasons", "", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_POWER_LIMIT] = { "power.limit", "W", G, U, 0.001, WL_NVML_G_SLOW },
	[WL_NVML_TREE_SM] = { "tree_sm_util", "%", G, U, 1, WL_NVML_G_MED },
	[WL_NVML_ALL_SM] = { "all_sm_util", "%", G, U, 1, WL_NVML_G_MED },
};

int wl_nvml_meta(struct wl_nvml_state *st, const char *key, const char *fmt, ...)
{
	char val[256];
	char *k, *v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (st->desc.nmeta == st->cap_meta) {
		size_t cap = st->cap_meta ? 2 * st->cap_meta : 16;
		struct wl_kv *m = realloc(st->desc.meta, cap * sizeof(*m));
		if (!m)
			return -1;
		st->desc.meta = m;
		st->cap_meta = cap;
	}
	if (st->nstr + 2 > st->cap_strs) {
		size_t cap = st->cap_strs ? 2 * st->cap_strs : 32;
		char **s = realloc(st->strs, cap * sizeof(*s));
		if (!s)
			return -1;
		st->strs = s;
		st->cap_strs = cap;
	}
	k = strdup(key);
	v = strdup(val);
	if (!k || !v) {
		free(k);
		free(v);
		return -1;
	}
	st->strs[st->nstr++] = k;
	st->strs[st->nstr++] = v;
	st->desc.meta[st->desc.nmeta++] = (struct wl_kv){ k, v };
	return 0;
}

static int add_chan(struct wl_nvml_state *st, struct wl_nvml_gpu *g, int m)
{
	const struct wl_nvml_def *d = &wl_nvml_defs[m];
	struct wl_chan_info *c;

	if (st->desc.n == st->cap_chans) {
		size_t cap = st->cap_chans ? 2 * st->cap_chans : 32;
		c = realloc(st->desc.chans, cap * sizeof(*c));
		if (!c)
			return -1;
		st->desc.chans = c;
		st->cap_chans = cap;
	}
	c = &st->desc.chans[st->desc.n];
	memset(c, 0, sizeof(*c));
	c->kind = d->kind;
	c->type = d->type;
	c->scale = d->scale;
	snprintf(c->source, sizeof(c->source), "nvml");
	snprintf(c->name, sizeof(c->name), "%s", d->name);
	snprintf(c->unit, sizeof(c->unit), "%s", d->unit);
	snprintf(c->device, sizeof(c->device), "gpu%u", g->index);
	g->chan[m] = (int)st->desc.n++;
	return 0;
}

static void push_field(struct wl_nvml_gpu *g, int grp, unsigned id, unsigned scope, int m)
{
	int n = g->nfv[grp];

	if (n >= WL_NVML_MAX_FIELDS)
		return;
	memset(&g->fv[grp][n], 0, sizeof(g->fv[grp][n]));
	g->fv[grp][n].fieldId = id;
	g->fv[grp][n].scopeId = scope;
	g->fv_metric[grp][n] = m;
	g->nfv[grp]++;
}

/* Field values: each entry's own return code says whether the device has it. */
static void probe_fields(struct wl_nvml_state *st, struct wl_nvml_gpu *g, int *ok)
{
	static const struct { unsigned id; int m; int grp; } one[] = {
		{ NVML_FI_DEV_POWER_INSTANT, WL_NVML_POWER_INSTANT, WL_NVML_G_FAST },
		{ NVML_FI_DEV_MEMORY_TEMP, WL_NVML_TEMP_MEM, WL_NVML_G_MED },
		{ NVML_FI_DEV_PCIE_COUNT_TX_BYTES, WL_NVML_PCIE_TX, WL_NVML_G_MED },
		{ NVML_FI_DEV_PCIE_COUNT_RX_BYTES, WL_NVML_PCIE_RX, WL_NVML_G_MED },
	};
	nvmlFieldValue_t c[4 + 2 * WL_NVML_MAX_LINKS];
	unsigned links = 0, l;
	int n = 0, i;

	if (!st->fn.field_values)
		return;
	memset(c, 0, sizeof(c));
	c[0].fieldId = NVML_FI_DEV_NVLINK_LINK_COUNT;
	if (st->fn.field_values(g->dev, 1, c) == NVML_SUCCESS && c[0].nvmlReturn == NVML_SUCCESS)
		links = c[0].value.uiVal;
	if (links > WL_NVML_MAX_LINKS)
		links = WL_NVML_MAX_LINKS;
	memset(c, 0, sizeof(c));
	for (i = 0; i < 4; i++)
		c[n++].fieldId = one[i].id;
	for (l = 0; l < links; l++) {
		c[n].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX;
		c[n++].scopeId = l;
		c[n].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX;
		c[n++].scopeId = l;
	}
	if (st->fn.field_values(g->dev, n, c) != NVML_SUCCESS)
		return;
	for (i = 0; i < n; i++) {
		int m, grp = WL_NVML_G_MED;

		if (c[i].nvmlReturn != NVML_SUCCESS)
			continue;
		if (i < 4) {
			m = one[i].m;
			grp = one[i].grp;
		} else {
			m = c[i].fieldId == NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX ? WL_NVML_NVLINK_TX
										  : WL_NVML_NVLINK_RX;
		}
		ok[m] = 1;
		push_field(g, grp, c[i].fieldId, c[i].scopeId, m);
		if (m == WL_NVML_PCIE_TX)
			g->pcie_by_fields |= 1;
		if (m == WL_NVML_PCIE_RX)
			g->pcie_by_fields |= 2;
	}
}

static void probe_gpm(struct wl_nvml_state *st, struct wl_nvml_gpu *g, int *ok)
{
	const struct wl_nvml_fns *f = &st->fn;
	nvmlGpmSupport_t sup = { .version = NVML_GPM_SUPPORT_VERSION };

	if (!f->gpm_support || !f->gpm_alloc || !f->gpm_free || !f->gpm_get || !f->gpm_metrics)
		return;
	if (f->gpm_support(g->dev, &sup) != NVML_SUCCESS || !sup.isSupportedDevice)
		return;
	if (!st->mg && !(st->mg = calloc(1, sizeof(*st->mg))))
		return;
	if (f->gpm_alloc(&g->gpm[0]) != NVML_SUCCESS || f->gpm_alloc(&g->gpm[1]) != NVML_SUCCESS)
		return; /* close frees what was allocated */
	for (int m = WL_NVML_SM_ACTIVE; m <= WL_NVML_DRAM; m++)
		ok[m] = 1;
}

static void probe_calls(struct wl_nvml_state *st, struct wl_nvml_gpu *g, int *ok)
{
	const struct wl_nvml_fns *f = &st->fn;
	nvmlDevice_t d = g->dev;
	nvmlUtilization_t ut;
	nvmlMemory_t mem;
	unsigned long long ull;
	unsigned u;

	ok[WL_NVML_POWER] = f->power_usage && f->power_usage(d, &u) == NVML_SUCCESS;
	ok[WL_NVML_ENERGY] = f->total_energy && f->total_energy(d, &ull) == NVML_SUCCESS;
	ok[WL_NVML_TEMP_GPU] = f->temperature &&
			       f->temperature(d, NVML_TEMPERATURE_GPU, &u) == NVML_SUCCESS;
	ok[WL_NVML_UTIL_GPU] = ok[WL_NVML_UTIL_MEM] =
		f->utilization && f->utilization(d, &ut) == NVML_SUCCESS;
	ok[WL_NVML_CLK_GR] = f->clock && f->clock(d, NVML_CLOCK_GRAPHICS, &u) == NVML_SUCCESS;
	ok[WL_NVML_CLK_SM] = f->clock && f->clock(d, NVML_CLOCK_SM, &u) == NVML_SUCCESS;
	ok[WL_NVML_CLK_MEM] = f->clock && f->clock(d, NVML_CLOCK_MEM, &u) == NVML_SUCCESS;
	ok[WL_NVML_MEM_USED] = ok[WL_NVML_MEM_TOTAL] =
		f->memory && f->memory(d, &mem) == NVML_SUCCESS;
	ok[WL_NVML_MEM_USAGE] = ok[WL_NVML_MEM_TOTAL] && mem.total > 0;
	ok[WL_NVML_PCIE_GEN] = f->pcie_gen && f->pcie_gen(d, &u) == NVML_SUCCESS;
	ok[WL_NVML_PCIE_WIDTH] = f->pcie_width && f->pcie_width(d, &u) == NVML_SUCCESS;
	ok[WL_NVML_REASONS] = f->clock_reasons && f->clock_reasons(d, &ull) == NVML_SUCCESS;
	ok[WL_NVML_POWER_LIMIT] = f->power_limit && f->power_limit(d, &u) == NVML_SUCCESS;
	probe_fields(st, g, ok);
	/* PCIe throughput without fields 197/198: the 20 ms-window call */
	if (!ok[WL_NVML_PCIE_TX] && f->pcie_throughput)
		ok[WL_NVML_PCIE_TX] = f->pcie_throughput(d, NVML_PCIE_UTIL_TX_BYTES, &u) == NVML_SUCCESS;
	if (!ok[WL_NVML_PCIE_RX] && f->pcie_throughput)
		ok[WL_NVML_PCIE_RX] = f->pcie_throughput(d, NVML_PCIE_UTIL_RX_BYTES, &u) == NVML_SUCCESS;
	probe_gpm(st, g, ok);
	if (st->tree && f->process_util) { /* asks the sample count only */
		unsigned n = 0;
		nvmlReturn_t r = f->process_util(d, NULL, &n, 0);

		ok[WL_NVML_TREE_SM] = ok[WL_NVML_ALL_SM] = r == NVML_SUCCESS ||
			r == NVML_ERROR_INSUFFICIENT_SIZE || r == NVML_ERROR_NOT_FOUND;
	}
}

static int meta_gpu(struct wl_nvml_state *st, struct wl_nvml_gpu *g)
{
	const struct wl_nvml_fns *f = &st->fn;
	char key[64], buf[96];
	nvmlPciInfo_t pci;
	unsigned a, b, cur, pend;
	int mode, rc = 0;
	static const struct { int clk; const char *name; } clk[] = {
		{ NVML_CLOCK_SM, "sm" }, { NVML_CLOCK_MEM, "mem" }, { NVML_CLOCK_GRAPHICS, "graphics" },
	};

#define KEY(s) (snprintf(key, sizeof(key), "gpu%u.%s", g->index, s), key)
	if (f->name && f->name(g->dev, buf, sizeof(buf)) == NVML_SUCCESS)
		rc |= wl_nvml_meta(st, KEY("name"), "%s", buf);
	if (f->uuid && f->uuid(g->dev, buf, sizeof(buf)) == NVML_SUCCESS)
		rc |= wl_nvml_meta(st, KEY("uuid"), "%s", buf);
	memset(&pci, 0, sizeof(pci));
	if (f->pci_info && f->pci_info(g->dev, &pci) == NVML_SUCCESS)
		rc |= wl_nvml_meta(st, KEY("pci_bus_id"), "%.32s", pci.busId);
	if (f->driver_version && f->driver_version(buf, sizeof(buf)) == NVML_SUCCESS)
		rc |= wl_nvml_meta(st, KEY("driver"), "%s", buf);
	for (size_t i = 0; i < sizeof(clk) / sizeof(clk[0]); i++) {
		char k2[32];

		snprintf(k2, sizeof(k2), "max_clock_%s", clk[i].name);
		if (f->max_clock && f->max_clock(g->dev, clk[i].clk, &a) == NVML_SUCCESS)
			rc |= wl_nvml_meta(st, KEY(k2), "%u", a);
	}
	/* limits in mW, written in W */
	if (f->power_constraints && f->power_constraints(g->dev, &a, &b) == NVML_SUCCESS) {
		rc |= wl_nvml_meta(st, KEY("power_limit_min"), "%u.%03u", a / 1000, a % 1000);
		rc |= wl_nvml_meta(st, KEY("power_limit_max"), "%u.%03u", b / 1000, b % 1000);
	}
	if (f->power_default && f->power_default(g->dev, &a) == NVML_SUCCESS)
		rc |= wl_nvml_meta(st, KEY("power_limit_default"), "%u.%03u", a / 1000, a % 1000);
	if (f->mig_mode && f->mig_mode(g->dev, &cur, &pend) == NVML_SUCCESS) {
		g->mig = cur == NVML_FEATURE_ENABLED;
		rc |= wl_nvml_meta(st, KEY("mig_mode"), "%s", g->mig ? "enabled" : "disabled");
		if (g->mig)
			rc |= wl_nvml_meta(st, KEY("mig_note"), "%s",
					   "utilization unavailable in MIG mode; power and energy "
					   "are the whole physical GPU's");
	}
	if (f->persistence && f->persistence(g->dev, &mode) == NVML_SUCCESS)
		rc |= wl_nvml_meta(st, KEY("persistence_mode"), "%s",
				   mode == NVML_FEATURE_ENABLED ? "enabled" : "disabled");
#undef KEY
	return rc ? -1 : 0;
}

int wl_nvml_probe_gpu(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_error *err)
{
	int ok[WL_NVML_NMETRICS] = { 0 };

	for (int m = 0; m < WL_NVML_NMETRICS; m++)
		g->chan[m] = -1;
	if (meta_gpu(st, g) < 0)
		return wl_error_set(err, "out of memory");
	probe_calls(st, g, ok);
	for (int m = 0; m < WL_NVML_NMETRICS; m++) {
		int grp = wl_nvml_defs[m].group;

		if (!ok[m])
			continue;
		if (add_chan(st, g, m) < 0)
			return wl_error_set(err, "out of memory");
		if ((m == WL_NVML_PCIE_TX && !(g->pcie_by_fields & 1)) ||
		    (m == WL_NVML_PCIE_RX && !(g->pcie_by_fields & 2)))
			grp = WL_NVML_G_SLOW;
		st->used[grp] = 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ cost */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static nvmlReturn_t call(struct wl_nvml_state *st, struct wl_nvml_gpu *g, int which)
{
	const struct wl_nvml_fns *f = &st->fn;
	nvmlUtilization_t ut;
	nvmlMemory_t mem;
	unsigned long long ull;
	unsigned u;

	switch (which) {
	case 0: return f->power_usage(g->dev, &u);
	case 1: return f->total_energy(g->dev, &ull);
	case 2: return f->temperature(g->dev, NVML_TEMPERATURE_GPU, &u);
	case 3: return f->utilization(g->dev, &ut);
	case 4: return f->clock(g->dev, NVML_CLOCK_SM, &u);
	case 5: return f->memory(g->dev, &mem);
	case 6: return f->field_values(g->dev, g->nfv[WL_NVML_G_MED], g->fv[WL_NVML_G_MED]);
	case 7: return f->clock_reasons(g->dev, &ull);
	case 8: return f->gpm_get(g->dev, g->gpm[0]);
	default: return f->pcie_throughput(g->dev, NVML_PCIE_UTIL_TX_BYTES, &u);
	}
}

int wl_nvml_probe_cost(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_error *err)
{
	static const struct { const char *name; int metric; } calls[] = {
		{ "power_usage", WL_NVML_POWER }, { "total_energy", WL_NVML_ENERGY },
		{ "temperature", WL_NVML_TEMP_GPU }, { "utilization", WL_NVML_UTIL_GPU },
		{ "clock_info", WL_NVML_CLK_SM }, { "memory_info", WL_NVML_MEM_USED },
		{ "field_values", -1 }, { "clocks_event_reasons", WL_NVML_REASONS },
		{ "gpm_sample_get", WL_NVML_SM_ACTIVE }, { "pcie_throughput", WL_NVML_PCIE_TX },
	};
	char key[64];

	for (int i = 0; i < (int)(sizeof(calls) / sizeof(calls[0])); i++) {
		uint64_t t[COST_RUNS], x;
		int runs = i == 9 ? 1 : COST_RUNS; /* 20 ms window: once is enough */

		if (calls[i].metric >= 0 ? g->chan[calls[i].metric] < 0 : g->nfv[WL_NVML_G_MED] == 0)
			continue;
		if (i == 9 && (g->pcie_by_fields & 1))
			continue;
		for (int k = 0; k < runs; k++) {
			uint64_t t0 = now_ns();
			call(st, g, i);
			t[k] = now_ns() - t0;
			for (int j = k; j > 0 && t[j - 1] > t[j]; j--) /* insertion sort */
				x = t[j], t[j] = t[j - 1], t[j - 1] = x;
		}
		snprintf(key, sizeof(key), "nvml.cost.%s_us", calls[i].name);
		x = t[runs / 2];
		if (wl_nvml_meta(st, key, "%llu.%03llu", (unsigned long long)(x / 1000),
				 (unsigned long long)(x % 1000)) < 0)
			return wl_error_set(err, "out of memory");
	}
	return 0;
}
