/*
 * fake_nvml.c - a fake libnvidia-ml.so.1 for the tests: the same entry
 * points and ABI (src/record/source/nvml_api.h), driven by the script named
 * by $WATTLOG_FAKE_NVML and read at nvmlInit_v2.  Built by make as
 * build/tests/libfake-nvml.so.  Variants simulate older libraries:
 * -DFAKE_NO_FIELDS leaves out nvmlDeviceGetFieldValues, -DFAKE_NO_GPM the GPM
 * entry points, -DFAKE_OLD_ABI exports nvmlInit, nvmlDeviceGetCount and
 * nvmlDeviceGetHandleByIndex without their _v2 names.
 *
 * The script's format: tests/fake/fake_nvml_script.h.
 *
 * Tests read the counts through fake_nvml_calls(dev, "KEY"), found with
 * dlsym on the same library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/record/source/nvml_api.h"

#define EXPORT __attribute__((visibility("default")))

#ifdef FAKE_OLD_ABI
#define nvmlInit_v2 nvmlInit
#define nvmlDeviceGetCount_v2 nvmlDeviceGetCount
#define nvmlDeviceGetHandleByIndex_v2 nvmlDeviceGetHandleByIndex
#endif

#include "fake_nvml_script.h"

/* Every device call starts here: the device, and whether it is lost. */
static int dev_ok(nvmlDevice_t d)
{
	if (!loaded || d < devs || d >= devs + ndev)
		return NVML_ERROR_INVALID_ARGUMENT;
	return d->lost ? NVML_ERROR_GPU_IS_LOST : NVML_SUCCESS;
}

#define DEV(d) do { int rc_ = dev_ok(d); if (rc_) return rc_; } while (0)

EXPORT unsigned fake_nvml_calls(unsigned dev, const char *key)
{
	for (int k = 0; k < NKEYS && dev < ndev; k++)
		if (!strcmp(key, key_names[k]))
			return devs[dev].calls[k];
	return 0;
}

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
	int rc = load();

	return rc ? rc : init_error;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
	loaded = 0;
	return NVML_SUCCESS;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t r)
{
	switch (r) {
	case NVML_SUCCESS: return "Success";
	case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
	case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
	case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
	case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
	default: return "Unknown Error";
	}
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned *n)
{
	if (!loaded)
		return NVML_ERROR_UNINITIALIZED;
	*n = ndev;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned i, nvmlDevice_t *d)
{
	if (!loaded)
		return NVML_ERROR_UNINITIALIZED;
	if (i >= ndev)
		return NVML_ERROR_INVALID_ARGUMENT;
	*d = &devs[i];
	return NVML_SUCCESS;
}

static nvmlReturn_t copy_str(char *dst, unsigned len, const char *src)
{
	if (!*src)
		return NVML_ERROR_NOT_SUPPORTED;
	if (strlen(src) >= len)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	strcpy(dst, src);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *p)
{
	DEV(d);
	memset(p, 0, sizeof(*p));
	return copy_str(p->busId, sizeof(p->busId), d->pci);
}

/* One value of key into *out, with the lost-device rule. */
static nvmlReturn_t get_u(nvmlDevice_t d, int key, unsigned *out)
{
	double v;
	int rc;

	DEV(d);
	rc = val(d, key, &v);
	if (rc == NVML_SUCCESS)
		*out = (unsigned)v;
	return rc;
}

static nvmlReturn_t get_ull(nvmlDevice_t d, int key, unsigned long long *out)
{
	double v;
	int rc;

	DEV(d);
	rc = val(d, key, &v);
	if (rc == NVML_SUCCESS)
		*out = (unsigned long long)v;
	return rc;
}

/* The entry points that answer one key or one string. */
#define GET_U(fn, key) \
	EXPORT nvmlReturn_t fn(nvmlDevice_t d, unsigned *out) { return get_u(d, key, out); }
#define GET_ULL(fn, key) \
	EXPORT nvmlReturn_t fn(nvmlDevice_t d, unsigned long long *out) { return get_ull(d, key, out); }
#define GET_STR(fn, field) \
	EXPORT nvmlReturn_t fn(nvmlDevice_t d, char *b, unsigned len) \
	{ DEV(d); return copy_str(b, len, d->field); }

GET_U(nvmlDeviceGetCurrPcieLinkGeneration, K_pcie_gen)
GET_U(nvmlDeviceGetCurrPcieLinkWidth, K_pcie_width)
GET_U(nvmlDeviceGetEnforcedPowerLimit, K_power_limit)
GET_U(nvmlDeviceGetPowerManagementDefaultLimit, K_power_limit_default)
GET_ULL(nvmlDeviceGetTotalEnergyConsumption, K_energy)
GET_ULL(nvmlDeviceGetCurrentClocksEventReasons, K_clocks_event_reasons)
GET_STR(nvmlDeviceGetName, name)
GET_STR(nvmlDeviceGetUUID, uuid)

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *b, unsigned len) { return copy_str(b, len, driver); }
EXPORT nvmlReturn_t nvmlSystemGetNVMLVersion(char *b, unsigned len) { return copy_str(b, len, nvml_ver); }

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned *mw)
{
	DEV(d);
	if (d->lost_after && d->calls[K_power] >= d->lost_after) {
		d->lost = 1;
		return NVML_ERROR_GPU_IS_LOST;
	}
	return get_u(d, K_power, mw);
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned *t)
{
	if (sensor != NVML_TEMPERATURE_GPU)
		return NVML_ERROR_INVALID_ARGUMENT;
	return get_u(d, K_temp_gpu, t);
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u)
{
	double v;
	int rc;

	DEV(d);
	if ((rc = val(d, K_util_gpu, &v)))
		return rc;
	u->gpu = (unsigned)v;
	val(d, K_util_mem, &v);
	u->memory = (unsigned)v;
	return NVML_SUCCESS;
}

/* Samples newer than `last`: the k-th call's are stamped (k + 1) s (in us). */
EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t d,
						    nvmlProcessUtilizationSample_t *u,
						    unsigned *count, unsigned long long last)
{
	double self, other;
	unsigned n = 0;
	int rc;

	DEV(d);
	if (!count)
		return NVML_ERROR_INVALID_ARGUMENT;
	if (!u) { /* the size query: no call counted */
		*count = 2;
		return d->spec[K_proc_sm_self].set ? NVML_ERROR_INSUFFICIENT_SIZE
						    : NVML_ERROR_NOT_SUPPORTED;
	}
	if (*count < 2) {
		*count = 2;
		return NVML_ERROR_INSUFFICIENT_SIZE;
	}
	if ((rc = val(d, K_proc_sm_self, &self)))
		return rc;
	if (val(d, K_proc_sm_other, &other))
		other = -1;
	(void)last;
	if (self >= 0)
		u[n++] = (nvmlProcessUtilizationSample_t){ .pid = (unsigned)getpid(),
			.timeStamp = d->calls[K_proc_sm_self] * 1000000ull, .smUtil = (unsigned)self };
	if (other >= 0)
		u[n++] = (nvmlProcessUtilizationSample_t){ .pid = 1,
			.timeStamp = d->calls[K_proc_sm_self] * 1000000ull, .smUtil = (unsigned)other };
	*count = n;
	return n ? NVML_SUCCESS : NVML_ERROR_NOT_FOUND;
}

static const int clock_keys[3] = { K_clock_gr, K_clock_sm, K_clock_mem };
static const int max_clock_keys[3] = { K_max_clock_gr, K_max_clock_sm, K_max_clock_mem };

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned *mhz)
{
	if (type < 0 || type > 2)
		return NVML_ERROR_INVALID_ARGUMENT;
	return get_u(d, clock_keys[type], mhz);
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t d, int type, unsigned *mhz)
{
	if (type < 0 || type > 2)
		return NVML_ERROR_INVALID_ARGUMENT;
	return get_u(d, max_clock_keys[type], mhz);
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m)
{
	double t, u;
	int rc;

	DEV(d);
	if ((rc = val(d, K_mem_total, &t)))
		return rc;
	val(d, K_mem_used, &u);
	m->total = (unsigned long long)t;
	m->used = (unsigned long long)u;
	m->free = m->total - m->used;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t d, int counter, unsigned *kbs)
{
	if (counter != NVML_PCIE_UTIL_TX_BYTES && counter != NVML_PCIE_UTIL_RX_BYTES)
		return NVML_ERROR_INVALID_ARGUMENT;
	return get_u(d, counter == NVML_PCIE_UTIL_TX_BYTES ? K_pcie_tx_kbs : K_pcie_rx_kbs, kbs);
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerManagementLimitConstraints(nvmlDevice_t d, unsigned *lo,
								 unsigned *hi)
{
	int rc = get_u(d, K_power_limit_min, lo);

	return rc ? rc : get_u(d, K_power_limit_max, hi);
}

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned *cur, unsigned *pend)
{
	int rc = get_u(d, K_mig, cur);

	if (rc == NVML_SUCCESS)
		*pend = *cur;
	return rc;
}

EXPORT nvmlReturn_t nvmlDeviceGetPersistenceMode(nvmlDevice_t d, int *mode)
{
	unsigned u;
	int rc = get_u(d, K_persistence, &u);

	if (rc == NVML_SUCCESS)
		*mode = (int)u;
	return rc;
}

#ifndef FAKE_NO_FIELDS
static int field_key(unsigned id)
{
	switch (id) {
	case NVML_FI_DEV_POWER_INSTANT: return K_power_instant;
	case NVML_FI_DEV_MEMORY_TEMP: return K_temp_mem;
	case NVML_FI_DEV_PCIE_COUNT_TX_BYTES: return K_pcie_tx_bytes;
	case NVML_FI_DEV_PCIE_COUNT_RX_BYTES: return K_pcie_rx_bytes;
	case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX: return K_nvlink_tx;
	case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX: return K_nvlink_rx;
	default: return -1;
	}
}

/* Each key is counted once per call, however many links ask for it. */
EXPORT nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t d, int n, nvmlFieldValue_t *fv)
{
	double v[NKEYS];
	int rc[NKEYS], done[NKEYS] = { 0 };

	DEV(d);
	if (n <= 0 || !fv)
		return NVML_ERROR_INVALID_ARGUMENT;
	for (int i = 0; i < n; i++) {
		nvmlFieldValue_t *f = &fv[i];
		int k = field_key(f->fieldId);

		f->timestamp = 0;
		f->latencyUsec = 0;
		f->value.ullVal = 0;
		if (f->fieldId == NVML_FI_DEV_NVLINK_LINK_COUNT) {
			f->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
			f->nvmlReturn = d->nvlinks ? NVML_SUCCESS : NVML_ERROR_NOT_SUPPORTED;
			f->value.uiVal = d->nvlinks;
			continue;
		}
		if (k < 0) {
			f->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
			continue;
		}
		if ((k == K_nvlink_tx || k == K_nvlink_rx) && f->scopeId >= d->nvlinks) {
			f->nvmlReturn = NVML_ERROR_INVALID_ARGUMENT;
			continue;
		}
		if (!done[k]) {
			rc[k] = val(d, k, &v[k]);
			done[k] = 1;
		}
		f->nvmlReturn = rc[k];
		if (k == K_power_instant || k == K_temp_mem) {
			f->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
			f->value.uiVal = (unsigned)v[k];
		} else {
			f->valueType = NVML_VALUE_TYPE_UNSIGNED_LONG_LONG;
			f->value.ullVal = (unsigned long long)v[k];
		}
	}
	return NVML_SUCCESS;
}
#endif

#ifndef FAKE_NO_GPM
static unsigned gpm_seq;

EXPORT nvmlReturn_t nvmlGpmQueryDeviceSupport(nvmlDevice_t d, nvmlGpmSupport_t *s)
{
	unsigned u = 0;
	int rc;

	DEV(d);
	if (s->version != NVML_GPM_SUPPORT_VERSION)
		return 25; /* NVML_ERROR_ARGUMENT_VERSION_MISMATCH */
	rc = get_u(d, K_gpm, &u);
	s->isSupportedDevice = rc == NVML_SUCCESS && u;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlGpmSampleAlloc(nvmlGpmSample_t *s)
{
	*s = calloc(1, sizeof(**s));
	return *s ? NVML_SUCCESS : 20; /* NVML_ERROR_MEMORY */
}

EXPORT nvmlReturn_t nvmlGpmSampleFree(nvmlGpmSample_t s)
{
	free(s);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlGpmSampleGet(nvmlDevice_t d, nvmlGpmSample_t s)
{
	DEV(d);
	if (!s)
		return NVML_ERROR_INVALID_ARGUMENT;
	s->dev = d;
	s->seq = ++gpm_seq;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlGpmMetricsGet(nvmlGpmMetricsGet_t *mg)
{
	nvmlGpmSample_t a = mg->sample1, b = mg->sample2;

	if (mg->version != NVML_GPM_METRICS_GET_VERSION)
		return 25;
	if (!a || !b || !a->dev || a->dev != b->dev || b->seq <= a->seq || mg->numMetrics > 98)
		return NVML_ERROR_INVALID_ARGUMENT;
	DEV(a->dev);
	for (unsigned i = 0; i < mg->numMetrics; i++) {
		nvmlGpmMetric_t *m = &mg->metrics[i];
		int k;

		switch (m->metricId) {
		case NVML_GPM_METRIC_SM_UTIL: k = K_gpm_sm_active; break;
		case NVML_GPM_METRIC_SM_OCCUPANCY: k = K_gpm_sm_occupancy; break;
		case NVML_GPM_METRIC_ANY_TENSOR_UTIL: k = K_gpm_tensor; break;
		case NVML_GPM_METRIC_FP16_UTIL: k = K_gpm_fp16; break;
		case NVML_GPM_METRIC_FP32_UTIL: k = K_gpm_fp32; break;
		case NVML_GPM_METRIC_FP64_UTIL: k = K_gpm_fp64; break;
		case NVML_GPM_METRIC_DRAM_BW_UTIL: k = K_gpm_dram; break;
		default: m->nvmlReturn = NVML_ERROR_NOT_SUPPORTED; continue;
		}
		m->nvmlReturn = val(a->dev, k, &m->value);
	}
	/* a newer driver writes every slot of its (larger) struct */
	if (gpm_slots > mg->numMetrics)
		memset(&mg->metrics[mg->numMetrics], 0,
		       (gpm_slots - mg->numMetrics) * sizeof(mg->metrics[0]));
	return NVML_SUCCESS;
}
#endif
