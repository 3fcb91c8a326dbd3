/*
 * nvml.c - NVIDIA GPUs through NVML, loaded with dlopen at run time.
 *
 * Library: --nvml-lib (o->nvml_lib), else $WATTLOG_NVML_LIB (not under sudo:
 * o->no_env_libs), else "libnvidia-ml.so.1".  The versioned entry
 * points nvmlInit_v2, nvmlDeviceGetCount_v2 and nvmlDeviceGetHandleByIndex_v2
 * are required (the plain names are the pre-R319 ABI); every other entry
 * point is optional: a missing one makes only the metrics that need it
 * absent.  No library, no init, no GPU: open fails with the reason, which
 * the recorder shows in --list and logs, and it records the rest.
 *
 * Channels: source "nvml", device "gpuN" (N = NVML index), one per metric the
 * device answers at open (nvml_probe.c); a metric that answers NOT_SUPPORTED
 * is absent from the trace, never written as 0.  --gpus "0,2" picks GPUs.
 *
 * Rates.  NVML calls take a driver-wide lock, so each group of calls is made
 * only at its own period, and only for the channels recorded:
 *     fast  20 ms   power.draw, power.draw.instant (field 186), energy
 *     med  100 ms   temperatures, utilization, clocks, memory, clock event
 *                   reasons, PCIe TX/RX (fields 197/198), NVLink TX/RX
 *     gpm  100 ms   GPM metrics (the hardware's floor between two samples)
 *     slow   1 s    PCIe generation/width, power limit, and PCIe TX/RX through
 *                   nvmlDeviceGetPcieThroughput when fields 197/198 are
 *                   missing (that call measures over a 20 ms window)
 * The recorder calls sample() on its grid of period P (default 20 ms, or
 * --source-interval nvml=P) and never before next_due(), the earliest group
 * due; a group is read when due, so its effective period is
 * max(its default, P).  Error lines carry no "nvml:" prefix: the recorder
 * adds the source's name.
 *
 * power.draw is nvmlDeviceGetPowerUsage: on Ampere and later (except GA100)
 * a 1 s average; power.draw.instant is field 186, the instantaneous reading.
 * memory.used/total are in bytes.
 *
 * Per process (with a recorded command, whose process tree is followed as
 * the procfs source follows it): nvmlDeviceGetProcessUtilization's samples
 * newer than the last read, in the med group, give tree_sm_util (the sum
 * of smUtil over the samples of the command's processes) and all_sm_util
 * (the sum over every process's samples), both in %: their ratio is the
 * command's share of the GPU's SM time, which the analyzer applies to the
 * GPU's energy (share.h).  NOT_FOUND (no process ran) reads as 0 and 0.
 *
 * Counters NVML gives as cumulative totals (PCIe bytes, NVLink KiB) are
 * recorded as rates in B/s between two reads of their group: the first read
 * only sets the baseline.  The energy counter (mJ since driver load) is
 * recorded raw as a counter channel.
 *
 * Faults: a GPU that answers GPU_IS_LOST (or UNINITIALIZED, RESET_REQUIRED,
 * GPU_NOT_FOUND, DRIVER_NOT_LOADED) stops all of its channels; a call that
 * fails WL_NVML_MAX_FAILS times in a row stops the channels it feeds.  Each
 * is said once: sample() returns 1 with one line in err.  The other GPUs go
 * on; when every GPU is lost sample() returns -1.  On a MIG-enabled GPU,
 * utilization is unavailable and power and energy are the physical GPU's:
 * gpuN.mig_note says so, and the first sample() returns 1 saying it too.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvml_api.h"

#define MS 1000000ull
#define SLACK_NS (MS / 2) /* a group due within this is read now */

static int load_sym(struct wl_nvml_state *st, void *fnp, const char *const *names)
{
	for (; *names; names++) {
		void *p = dlsym(st->lib, *names);
		if (p) {
			memcpy(fnp, &p, sizeof(p));
			return 1;
		}
	}
	return 0;
}

#define SYM(field, ...) load_sym(st, &st->fn.field, (const char *const[]){__VA_ARGS__, NULL})

static void load_all(struct wl_nvml_state *st)
{
	SYM(shutdown, "nvmlShutdown");
	SYM(error_string, "nvmlErrorString");
	SYM(driver_version, "nvmlSystemGetDriverVersion");
	SYM(nvml_version, "nvmlSystemGetNVMLVersion");
	SYM(name, "nvmlDeviceGetName");
	SYM(uuid, "nvmlDeviceGetUUID");
	SYM(pci_info, "nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetPciInfo_v2");
	SYM(power_usage, "nvmlDeviceGetPowerUsage");
	SYM(total_energy, "nvmlDeviceGetTotalEnergyConsumption");
	SYM(temperature, "nvmlDeviceGetTemperature");
	SYM(utilization, "nvmlDeviceGetUtilizationRates");
	SYM(clock, "nvmlDeviceGetClockInfo");
	SYM(max_clock, "nvmlDeviceGetMaxClockInfo");
	SYM(memory, "nvmlDeviceGetMemoryInfo");
	SYM(pcie_gen, "nvmlDeviceGetCurrPcieLinkGeneration");
	SYM(pcie_width, "nvmlDeviceGetCurrPcieLinkWidth");
	SYM(pcie_throughput, "nvmlDeviceGetPcieThroughput");
	SYM(field_values, "nvmlDeviceGetFieldValues");
	SYM(clock_reasons, "nvmlDeviceGetCurrentClocksEventReasons",
	    "nvmlDeviceGetCurrentClocksThrottleReasons");
	SYM(power_limit, "nvmlDeviceGetEnforcedPowerLimit");
	SYM(power_constraints, "nvmlDeviceGetPowerManagementLimitConstraints");
	SYM(power_default, "nvmlDeviceGetPowerManagementDefaultLimit");
	SYM(mig_mode, "nvmlDeviceGetMigMode");
	SYM(persistence, "nvmlDeviceGetPersistenceMode");
	SYM(gpm_support, "nvmlGpmQueryDeviceSupport");
	SYM(gpm_alloc, "nvmlGpmSampleAlloc");
	SYM(gpm_free, "nvmlGpmSampleFree");
	SYM(gpm_get, "nvmlGpmSampleGet");
	SYM(gpm_metrics, "nvmlGpmMetricsGet");
	SYM(process_util, "nvmlDeviceGetProcessUtilization");
}


/* Parses --gpus "0,2" into sel[i] = 1; -1 with err on a bad list. */
static int parse_gpus(const char *spec, unsigned count, unsigned char *sel, struct wl_error *err)
{
	const char *p = spec;

	while (*p) {
		char *end;
		unsigned long v;

		if (*p < '0' || *p > '9')
			return wl_error_set(err, "--gpus '%s': expected a GPU index at position %d",
					    spec, (int)(p - spec) + 1);
		v = strtoul(p, &end, 10);
		if (v >= count)
			return wl_error_set(err, "--gpus '%s': no gpu %lu (%u found)", spec, v, count);
		sel[v] = 1;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return wl_error_set(err, "--gpus '%s': unexpected '%c' at position %d",
					    spec, *p, (int)(p - spec) + 1);
	}
	return 0;
}

static void nvml_close(void *state)
{
	struct wl_nvml_state *st = state;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->ngpu; i++)
		for (int k = 0; k < 2; k++)
			if (st->gpu[i].gpm[k] && st->fn.gpm_free)
				st->fn.gpm_free(st->gpu[i].gpm[k]);
	if (st->inited && st->fn.shutdown)
		st->fn.shutdown();
	if (st->lib)
		dlclose(st->lib);
	wl_ptree_free(st->tree);
	for (i = 0; i < st->nstr; i++)
		free(st->strs[i]);
	free(st->strs);
	free(st->desc.chans);
	free(st->desc.meta);
	free(st->gpu);
	free(st->mg);
	free(st);
}

static int open_gpus(struct wl_nvml_state *st, const struct wl_source_opts *o, struct wl_error *err)
{
	unsigned count = 0, i;
	unsigned char *sel;
	size_t before;
	nvmlReturn_t r;

	r = st->fn.count(&count);
	if (r != NVML_SUCCESS)
		return wl_error_set(err, "nvmlDeviceGetCount_v2 failed: %s", wl_nvml_strerror(st, r));
	if (count == 0)
		return wl_error_set(err, "no gpu found");
	sel = calloc(count, 1);
	st->gpu = calloc(count, sizeof(*st->gpu));
	if (!sel || !st->gpu) {
		free(sel);
		return wl_error_set(err, "out of memory");
	}
	if (o && o->gpus && *o->gpus) {
		if (parse_gpus(o->gpus, count, sel, err) < 0) {
			free(sel);
			return -1;
		}
	} else {
		memset(sel, 1, count);
	}
	for (i = 0; i < count; i++) {
		struct wl_nvml_gpu *g = &st->gpu[st->ngpu];

		if (!sel[i])
			continue;
		g->index = i;
		r = st->fn.handle(i, &g->dev);
		if (r != NVML_SUCCESS) {
			char key[32];

			snprintf(key, sizeof(key), "gpu%u.error", i);
			if (wl_nvml_meta(st, key, "%s", wl_nvml_strerror(st, r)) < 0) {
				free(sel);
				return wl_error_set(err, "out of memory");
			}
			continue;
		}
		st->ngpu++;
		before = st->desc.n;
		if (wl_nvml_probe_gpu(st, g, err) < 0) {
			free(sel);
			return -1;
		}
		g->lost = st->desc.n == before; /* answers nothing: nothing to read */
		st->nlive += !g->lost;
		if (g->lost) {
			char key[32];

			snprintf(key, sizeof(key), "gpu%u.error", i);
			if (wl_nvml_meta(st, key, "%s", "answers no metric") < 0) {
				free(sel);
				return wl_error_set(err, "out of memory");
			}
		}
	}
	free(sel);
	if (st->nlive == 0)
		return wl_error_set(err, "no gpu answers any metric (%u found)", count);
	for (i = 0; o && o->verbose && i < st->ngpu; i++)
		if (!st->gpu[i].lost) /* the first GPU that answers */
			return wl_nvml_probe_cost(st, &st->gpu[i], err);
	return 0;
}

static int nvml_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	const char *path = o && o->nvml_lib ? o->nvml_lib : NULL;
	struct wl_nvml_state *st;
	nvmlReturn_t r;
	char buf[96];

	*state = NULL;
	if (!path && !(o && o->no_env_libs))
		path = secure_getenv("WATTLOG_NVML_LIB");
	if (!path || !*path)
		path = "libnvidia-ml.so.1";
	st = calloc(1, sizeof(*st));
	if (!st)
		return wl_error_set(err, "out of memory");
	st->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!st->lib) {
		const char *e = dlerror();
		wl_error_set(err, "cannot load '%s': %s", path, e ? e : "unknown error");
		goto fail;
	}
	if (!SYM(init, "nvmlInit_v2") || !SYM(count, "nvmlDeviceGetCount_v2") ||
	    !SYM(handle, "nvmlDeviceGetHandleByIndex_v2")) {
		wl_error_set(err, "'%s' lacks nvmlInit_v2, nvmlDeviceGetCount_v2 or "
			     "nvmlDeviceGetHandleByIndex_v2 (driver too old)", path);
		goto fail;
	}
	load_all(st);
	r = st->fn.init();
	if (r != NVML_SUCCESS) {
		wl_error_set(err, "nvmlInit_v2 failed: %s", wl_nvml_strerror(st, r));
		goto fail;
	}
	st->inited = 1;
	if (st->fn.nvml_version && st->fn.nvml_version(buf, sizeof(buf)) == NVML_SUCCESS &&
	    wl_nvml_meta(st, "nvml_version", "%s", buf) < 0)
		goto oom;
	st->period_ns[WL_NVML_G_FAST] = 20 * MS;
	st->period_ns[WL_NVML_G_MED] = 100 * MS;
	st->period_ns[WL_NVML_G_GPM] = 100 * MS;
	st->period_ns[WL_NVML_G_SLOW] = 1000 * MS;
	if (o && o->child > 0) /* no tree, no per-process channels: not an error */
		st->tree = wl_ptree_open(o->procfs_root ? o->procfs_root : "/proc", o->child, NULL);
	if (open_gpus(st, o, err) < 0)
		goto fail;
	*state = st;
	return 0;
oom:
	wl_error_set(err, "out of memory");
fail:
	nvml_close(st);
	return -1;
}

static const struct wl_source_desc *nvml_describe(void *state)
{
	return &((struct wl_nvml_state *)state)->desc;
}

static void due_groups(struct wl_nvml_state *st, uint64_t now_ns, int *run)
{
	for (int k = 0; k < WL_NVML_NGROUPS; k++) {
		uint64_t next;

		run[k] = st->used[k] && now_ns + SLACK_NS >= st->due_ns[k];
		if (!run[k])
			continue;
		/* keep the cadence; after a stall, restart from now */
		next = st->due_ns[k] + st->period_ns[k];
		st->due_ns[k] = next > now_ns ? next : now_ns + st->period_ns[k];
	}
}

static int nvml_sample(void *state, uint64_t now_ns, union wl_value *vals, unsigned char *present,
		       struct wl_error *err)
{
	struct wl_nvml_state *st = state;
	struct wl_nvml_out o = { .vals = vals, .present = present };
	int run[WL_NVML_NGROUPS];
	size_t i;

	due_groups(st, now_ns, run);
	if (st->tree && run[WL_NVML_G_MED]) { /* who is in the command's tree now */
		uint64_t ticks;

		wl_ptree_ticks(st->tree, &ticks, NULL);
	}
	if (!st->mig_told) {
		st->mig_told = 1;
		for (i = 0; i < st->ngpu; i++)
			if (st->gpu[i].mig)
				wl_nvml_say(&o, "gpu%u is in MIG mode: no utilization; power and "
					    "energy are the whole physical GPU's", st->gpu[i].index);
	}
	for (i = 0; i < st->ngpu; i++) {
		struct wl_nvml_gpu *g = &st->gpu[i];

		if (g->lost)
			continue;
		wl_nvml_read_gpu(st, g, run, now_ns, &o);
		if (g->lost)
			st->nlive--;
	}
	if (st->nlive == 0) {
		wl_error_set(err, "every gpu is lost: %s", o.msg);
		return -1;
	}
	if (o.logged) {
		wl_error_set(err, "%s", o.msg);
		return 1;
	}
	return 0;
}

static uint64_t nvml_next_due(void *state, uint64_t now_ns)
{
	struct wl_nvml_state *st = state;
	uint64_t best = UINT64_MAX;

	for (int k = 0; k < WL_NVML_NGROUPS; k++)
		if (st->used[k] && st->due_ns[k] < best)
			best = st->due_ns[k];
	if (best == UINT64_MAX)
		return now_ns + st->period_ns[WL_NVML_G_SLOW];
	return best > now_ns ? best : now_ns;
}

const struct wl_source_ops wl_source_nvml = {
	.name = "nvml",
	.help =
		"NVIDIA GPUs through `libnvidia-ml.so.1` (or `--nvml-lib`, "
		"`WATTLOG_NVML_LIB`), loaded with `dlopen`",
	.default_period_ns = 20 * MS,
	.open = nvml_open,
	.describe = nvml_describe,
	.sample = nvml_sample,
	.next_due = nvml_next_due,
	.close = nvml_close,
};
