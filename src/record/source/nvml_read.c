/*
 * nvml_read.c - one sample pass over one GPU: the calls of the groups that
 * are due, each result checked; rates from cumulative counters; GPM metrics
 * between two consecutive samples at least 100 ms apart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nvml_api.h"

#define GPM_FLOOR_NS 100000000ull /* GPM's hardware floor between samples */

/* NVML's own text for r, or "nvml error N" when the library has none. */
const char *wl_nvml_strerror(const struct wl_nvml_state *st, nvmlReturn_t r)
{
	const char *s = st->fn.error_string ? st->fn.error_string(r) : NULL;
	static char buf[32];

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "nvml error %d", r);
	return buf;
}

void wl_nvml_say(struct wl_nvml_out *o, const char *fmt, ...)
{
	size_t len = strlen(o->msg);
	va_list ap;

	if (o->logged && len + 3 < sizeof(o->msg)) {
		memcpy(o->msg + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	if (len + 1 < sizeof(o->msg))
		vsnprintf(o->msg + len, sizeof(o->msg) - len, fmt, ap);
	va_end(ap);
	o->logged = 1;
}

static int fatal(nvmlReturn_t r)
{
	return r == NVML_ERROR_GPU_IS_LOST || r == NVML_ERROR_UNINITIALIZED ||
	       r == NVML_ERROR_RESET_REQUIRED || r == NVML_ERROR_GPU_NOT_FOUND ||
	       r == NVML_ERROR_DRIVER_NOT_LOADED;
}

/*
 * Checks r for the metrics m[0..n): 1 on success.  Otherwise a fatal error
 * stops the GPU, and a metric failing WL_NVML_MAX_FAILS times in a row is
 * stopped; either is said once in o.
 */
static int check(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_nvml_out *o,
		 nvmlReturn_t r, const char *call, const int *m, int n)
{
	if (r == NVML_SUCCESS) {
		for (int i = 0; i < n; i++)
			g->fails[m[i]] = 0;
		return 1;
	}
	if (g->lost)
		return 0;
	if (fatal(r)) {
		g->lost = 1;
		wl_nvml_say(o, "gpu%u: %s: %s: stopped its channels", g->index, call,
			    wl_nvml_strerror(st, r));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		if (g->chan[m[i]] < 0 || ++g->fails[m[i]] < WL_NVML_MAX_FAILS)
			continue;
		g->chan[m[i]] = -1;
		wl_nvml_say(o, "gpu%u: %s failed %d times in a row (%s): stopped %s", g->index,
			    call, WL_NVML_MAX_FAILS, wl_nvml_strerror(st, r), wl_nvml_defs[m[i]].name);
	}
	return 0;
}

#define CHECK(r, call, ...) \
	check(st, g, o, r, call, (const int[]){__VA_ARGS__}, \
	      (int)(sizeof((const int[]){__VA_ARGS__}) / sizeof(int)))

static void put_u(struct wl_nvml_gpu *g, struct wl_nvml_out *o, int m, uint64_t v)
{
	if (g->chan[m] < 0 || g->lost)
		return;
	o->vals[g->chan[m]].u = v;
	o->present[g->chan[m]] = 1;
}

static void put_f(struct wl_nvml_gpu *g, struct wl_nvml_out *o, int m, double v)
{
	if (g->chan[m] < 0 || g->lost)
		return;
	o->vals[g->chan[m]].f = v;
	o->present[g->chan[m]] = 1;
}

static int want(const struct wl_nvml_gpu *g, int m)
{
	return g->chan[m] >= 0 && !g->lost;
}

/*
 * Rate of a cumulative counter between this read and the last:
 *     rate = ((v - last) mod wrap) * unit / ((t - t_last) / 1e9)   [B/s]
 * wrap = 0: a u64 counter, where a smaller value is a reset (no rate).
 * Returns 1 with *out set, 0 for the first read or after a reset.
 */
static int rate(struct wl_nvml_rate *r, uint64_t v, uint64_t wrap, uint64_t t_ns, double unit,
		double *out)
{
	int have = r->have && t_ns > r->t_ns && (wrap || v >= r->last);

	if (have) {
		uint64_t d = wrap ? (v + wrap - r->last) % wrap : v - r->last;
		*out = (double)d * unit * 1e9 / (double)(t_ns - r->t_ns);
	}
	r->last = v;
	r->t_ns = t_ns;
	r->have = 1;
	return have;
}

static uint64_t field_u64(const nvmlFieldValue_t *f)
{
	switch (f->valueType) {
	case NVML_VALUE_TYPE_DOUBLE: return f->value.dVal > 0 ? (uint64_t)f->value.dVal : 0;
	case NVML_VALUE_TYPE_UNSIGNED_INT: return f->value.uiVal;
	case NVML_VALUE_TYPE_UNSIGNED_LONG: return f->value.ulVal;
	case NVML_VALUE_TYPE_SIGNED_LONG_LONG: return f->value.sllVal > 0 ? (uint64_t)f->value.sllVal : 0;
	case NVML_VALUE_TYPE_SIGNED_INT: return f->value.siVal > 0 ? (uint64_t)f->value.siVal : 0;
	case NVML_VALUE_TYPE_UNSIGNED_SHORT: return f->value.usVal;
	default: return f->value.ullVal;
	}
}

static void read_fields(struct wl_nvml_state *st, struct wl_nvml_gpu *g, int grp, uint64_t now,
			struct wl_nvml_out *o)
{
	nvmlFieldValue_t *fv = g->fv[grp];
	uint64_t sum[2] = { 0, 0 };
	nvmlReturn_t link_rc[2] = { NVML_SUCCESS, NVML_SUCCESS };
	int any[2] = { 0, 0 };
	nvmlReturn_t r;
	double v;

	if (g->nfv[grp] == 0)
		return;
	r = st->fn.field_values(g->dev, g->nfv[grp], fv);
	if (r != NVML_SUCCESS) {
		for (int i = 0; i < g->nfv[grp] && !g->lost; i++)
			CHECK(r, "nvmlDeviceGetFieldValues", g->fv_metric[grp][i]);
		return;
	}
	for (int i = 0; i < g->nfv[grp] && !g->lost; i++) {
		int m = g->fv_metric[grp][i];
		int nv = m == WL_NVML_NVLINK_TX ? 0 : m == WL_NVML_NVLINK_RX ? 1 : -1;

		if (!want(g, m))
			continue;
		if (nv >= 0) { /* NVLink KiB, summed over links; checked once below */
			any[nv] = 1;
			if (fv[i].nvmlReturn != NVML_SUCCESS)
				link_rc[nv] = fv[i].nvmlReturn;
			else
				sum[nv] += field_u64(&fv[i]);
			continue;
		}
		if (!CHECK(fv[i].nvmlReturn, "nvmlDeviceGetFieldValues", m))
			continue;
		if (m == WL_NVML_PCIE_TX || m == WL_NVML_PCIE_RX) {
			uint64_t wrap = fv[i].valueType == NVML_VALUE_TYPE_UNSIGNED_INT ? 1ull << 32 : 0;
			struct wl_nvml_rate *rt = m == WL_NVML_PCIE_TX ? &g->pcie_tx : &g->pcie_rx;
			if (rate(rt, field_u64(&fv[i]), wrap, now, 1.0, &v))
				put_f(g, o, m, v);
		} else {
			put_u(g, o, m, field_u64(&fv[i]));
		}
	}
	for (int k = 0; k < 2 && !g->lost; k++) {
		int m = k ? WL_NVML_NVLINK_RX : WL_NVML_NVLINK_TX;
		struct wl_nvml_rate *rt = k ? &g->nvl_rx : &g->nvl_tx;

		if (any[k] && CHECK(link_rc[k], "nvmlDeviceGetFieldValues", m) &&
		    rate(rt, sum[k], 0, now, 1024.0, &v))
			put_f(g, o, m, v);
	}
}

static void read_gpm(struct wl_nvml_state *st, struct wl_nvml_gpu *g, uint64_t now,
		     struct wl_nvml_out *o)
{
	static const unsigned ids[WL_NVML_GPM_N] = {
		NVML_GPM_METRIC_SM_UTIL, NVML_GPM_METRIC_SM_OCCUPANCY, NVML_GPM_METRIC_ANY_TENSOR_UTIL,
		NVML_GPM_METRIC_FP16_UTIL, NVML_GPM_METRIC_FP32_UTIL, NVML_GPM_METRIC_FP64_UTIL,
		NVML_GPM_METRIC_DRAM_BW_UTIL,
	};
	static const int ms[WL_NVML_GPM_N] = {
		WL_NVML_SM_ACTIVE, WL_NVML_SM_OCC, WL_NVML_TENSOR, WL_NVML_FP16,
		WL_NVML_FP32, WL_NVML_FP64, WL_NVML_DRAM,
	};
	nvmlGpmMetricsGet_t *mg = st->mg;
	int next = g->gpm_cur ^ 1, k, any = 0;
	nvmlReturn_t r;

	for (k = 0; k < WL_NVML_GPM_N; k++)
		any |= want(g, ms[k]);
	if (!any)
		return;
	if (g->gpm_have && now - g->gpm_t_ns < GPM_FLOOR_NS) {
		/* woken a little early: come back at the floor, not a period later */
		if (st->due_ns[WL_NVML_G_GPM] > g->gpm_t_ns + GPM_FLOOR_NS)
			st->due_ns[WL_NVML_G_GPM] = g->gpm_t_ns + GPM_FLOOR_NS;
		return;
	}
	r = st->fn.gpm_get(g->dev, g->gpm[next]);
	if (!CHECK(r, "nvmlGpmSampleGet", WL_NVML_SM_ACTIVE, WL_NVML_SM_OCC, WL_NVML_TENSOR,
		   WL_NVML_FP16, WL_NVML_FP32, WL_NVML_FP64, WL_NVML_DRAM))
		return;
	if (g->gpm_have) {
		memset(mg, 0, sizeof(*mg)); /* the largest layout, zeroed */
		mg->version = NVML_GPM_METRICS_GET_VERSION;
		mg->numMetrics = WL_NVML_GPM_N;
		mg->sample1 = g->gpm[g->gpm_cur];
		mg->sample2 = g->gpm[next];
		for (k = 0; k < WL_NVML_GPM_N; k++)
			mg->metrics[k].metricId = ids[k];
		r = st->fn.gpm_metrics(mg);
		if (CHECK(r, "nvmlGpmMetricsGet", WL_NVML_SM_ACTIVE, WL_NVML_SM_OCC, WL_NVML_TENSOR,
			  WL_NVML_FP16, WL_NVML_FP32, WL_NVML_FP64, WL_NVML_DRAM))
			for (k = 0; k < WL_NVML_GPM_N; k++)
				if (want(g, ms[k]) &&
				    CHECK(mg->metrics[k].nvmlReturn, "nvmlGpmMetricsGet", ms[k]))
					put_f(g, o, ms[k], mg->metrics[k].value);
	}
	g->gpm_cur = next;
	g->gpm_have = 1;
	g->gpm_t_ns = now;
}

static void read_fast(struct wl_nvml_state *st, struct wl_nvml_gpu *g, uint64_t now,
		      struct wl_nvml_out *o)
{
	unsigned long long ull;
	unsigned u;

	if (want(g, WL_NVML_POWER) &&
	    CHECK(st->fn.power_usage(g->dev, &u), "nvmlDeviceGetPowerUsage", WL_NVML_POWER))
		put_u(g, o, WL_NVML_POWER, u);
	if (want(g, WL_NVML_ENERGY) &&
	    CHECK(st->fn.total_energy(g->dev, &ull), "nvmlDeviceGetTotalEnergyConsumption",
		  WL_NVML_ENERGY))
		put_u(g, o, WL_NVML_ENERGY, ull);
	if (!g->lost)
		read_fields(st, g, WL_NVML_G_FAST, now, o);
}

/* The command's and all processes' SM utilization since the last read. */
#define MAX_PROC_SAMPLES 512
static void read_procs(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_nvml_out *o)
{
	nvmlProcessUtilizationSample_t s[MAX_PROC_SAMPLES];
	unsigned n = MAX_PROC_SAMPLES, i;
	uint64_t tree = 0, all = 0;
	nvmlReturn_t r;

	r = st->fn.process_util(g->dev, s, &n, g->proc_ts);
	if (r == NVML_ERROR_NOT_FOUND) /* no process sample since the last read */
		r = NVML_SUCCESS, n = 0;
	if (!CHECK(r, "nvmlDeviceGetProcessUtilization", WL_NVML_TREE_SM, WL_NVML_ALL_SM))
		return;
	for (i = 0; i < n && i < MAX_PROC_SAMPLES; i++) {
		all += s[i].smUtil;
		if (wl_ptree_has(st->tree, (pid_t)s[i].pid))
			tree += s[i].smUtil;
		if (s[i].timeStamp > g->proc_ts)
			g->proc_ts = s[i].timeStamp;
	}
	put_u(g, o, WL_NVML_TREE_SM, tree);
	put_u(g, o, WL_NVML_ALL_SM, all);
}

static void read_med(struct wl_nvml_state *st, struct wl_nvml_gpu *g, uint64_t now,
		     struct wl_nvml_out *o)
{
	static const struct { int clk; int m; } clk[] = {
		{ NVML_CLOCK_GRAPHICS, WL_NVML_CLK_GR }, { NVML_CLOCK_SM, WL_NVML_CLK_SM },
		{ NVML_CLOCK_MEM, WL_NVML_CLK_MEM },
	};
	const struct wl_nvml_fns *f = &st->fn;
	nvmlUtilization_t ut;
	nvmlMemory_t mem;
	unsigned long long ull;
	unsigned u;

	if (want(g, WL_NVML_TEMP_GPU) &&
	    CHECK(f->temperature(g->dev, NVML_TEMPERATURE_GPU, &u), "nvmlDeviceGetTemperature",
		  WL_NVML_TEMP_GPU))
		put_u(g, o, WL_NVML_TEMP_GPU, u);
	if ((want(g, WL_NVML_UTIL_GPU) || want(g, WL_NVML_UTIL_MEM)) &&
	    CHECK(f->utilization(g->dev, &ut), "nvmlDeviceGetUtilizationRates", WL_NVML_UTIL_GPU,
		  WL_NVML_UTIL_MEM)) {
		put_u(g, o, WL_NVML_UTIL_GPU, ut.gpu);
		put_u(g, o, WL_NVML_UTIL_MEM, ut.memory);
	}
	for (size_t i = 0; i < sizeof(clk) / sizeof(clk[0]); i++)
		if (want(g, clk[i].m) &&
		    CHECK(f->clock(g->dev, clk[i].clk, &u), "nvmlDeviceGetClockInfo", clk[i].m))
			put_u(g, o, clk[i].m, u);
	if ((want(g, WL_NVML_MEM_USED) || want(g, WL_NVML_MEM_TOTAL)) &&
	    CHECK(f->memory(g->dev, &mem), "nvmlDeviceGetMemoryInfo", WL_NVML_MEM_USED,
		  WL_NVML_MEM_TOTAL, WL_NVML_MEM_USAGE)) {
		put_u(g, o, WL_NVML_MEM_USED, mem.used);
		put_u(g, o, WL_NVML_MEM_TOTAL, mem.total);
		if (mem.total > 0) /* usage = used / total * 100 */
			put_f(g, o, WL_NVML_MEM_USAGE, (double)mem.used * 100.0 / (double)mem.total);
	}
	if (want(g, WL_NVML_REASONS) &&
	    CHECK(f->clock_reasons(g->dev, &ull), "nvmlDeviceGetCurrentClocksEventReasons",
		  WL_NVML_REASONS))
		put_u(g, o, WL_NVML_REASONS, ull);
	if (!g->lost)
		read_fields(st, g, WL_NVML_G_MED, now, o);
	if (want(g, WL_NVML_TREE_SM) && st->tree)
		read_procs(st, g, o);
}

static void read_slow(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_nvml_out *o)
{
	const struct wl_nvml_fns *f = &st->fn;
	unsigned u;

	if (want(g, WL_NVML_PCIE_GEN) &&
	    CHECK(f->pcie_gen(g->dev, &u), "nvmlDeviceGetCurrPcieLinkGeneration", WL_NVML_PCIE_GEN))
		put_u(g, o, WL_NVML_PCIE_GEN, u);
	if (want(g, WL_NVML_PCIE_WIDTH) &&
	    CHECK(f->pcie_width(g->dev, &u), "nvmlDeviceGetCurrPcieLinkWidth", WL_NVML_PCIE_WIDTH))
		put_u(g, o, WL_NVML_PCIE_WIDTH, u);
	if (want(g, WL_NVML_POWER_LIMIT) &&
	    CHECK(f->power_limit(g->dev, &u), "nvmlDeviceGetEnforcedPowerLimit", WL_NVML_POWER_LIMIT))
		put_u(g, o, WL_NVML_POWER_LIMIT, u);
	/* KB/s over NVML's 20 ms window, recorded in B/s (KB = 1024 B) */
	if (!(g->pcie_by_fields & 1) && want(g, WL_NVML_PCIE_TX) &&
	    CHECK(f->pcie_throughput(g->dev, NVML_PCIE_UTIL_TX_BYTES, &u),
		  "nvmlDeviceGetPcieThroughput", WL_NVML_PCIE_TX))
		put_f(g, o, WL_NVML_PCIE_TX, u * 1024.0);
	if (!(g->pcie_by_fields & 2) && want(g, WL_NVML_PCIE_RX) &&
	    CHECK(f->pcie_throughput(g->dev, NVML_PCIE_UTIL_RX_BYTES, &u),
		  "nvmlDeviceGetPcieThroughput", WL_NVML_PCIE_RX))
		put_f(g, o, WL_NVML_PCIE_RX, u * 1024.0);
}

void wl_nvml_read_gpu(struct wl_nvml_state *st, struct wl_nvml_gpu *g, const int *run,
		      uint64_t now_ns, struct wl_nvml_out *o)
{
	if (run[WL_NVML_G_FAST] && !g->lost)
		read_fast(st, g, now_ns, o);
	if (run[WL_NVML_G_MED] && !g->lost)
		read_med(st, g, now_ns, o);
	if (run[WL_NVML_G_GPM] && !g->lost)
		read_gpm(st, g, now_ns, o);
	if (run[WL_NVML_G_SLOW] && !g->lost)
		read_slow(st, g, o);
	if (g->lost) /* values read before the loss in this pass are dropped */
		for (int m = 0; m < WL_NVML_NMETRICS; m++)
			if (g->chan[m] >= 0)
				o->present[g->chan[m]] = 0;
}
