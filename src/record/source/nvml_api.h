/*
 * nvml_api.h - the part of NVML's ABI that wattlog uses, declared by the
 * project (as nvtop's extract_gpuinfo_nvidia.c does), so the recorder builds
 * without the CUDA toolkit and loads libnvidia-ml.so.1 with dlopen at run
 * time.  Values and layouts follow NVIDIA's nvml.h (R525 and later); the
 * fake library tests/fake/fake_nvml.c implements the same ABI from this
 * header.
 *
 * Also the private interface between src/record/source/nvml*.c.
 */
#ifndef WATTLOG_NVML_API_H
#define WATTLOG_NVML_API_H

#include <stdint.h>

#include "procfs_tree.h"
#include "wattlog/error.h"
#include "wattlog/source.h"
#include "wattlog/trace.h"

/* ------------------------------------------------------------ NVML ABI */

typedef int nvmlReturn_t;
enum {
	NVML_SUCCESS = 0,
	NVML_ERROR_UNINITIALIZED = 1,
	NVML_ERROR_INVALID_ARGUMENT = 2,
	NVML_ERROR_NOT_SUPPORTED = 3,
	NVML_ERROR_NO_PERMISSION = 4,
	NVML_ERROR_NOT_FOUND = 6,
	NVML_ERROR_INSUFFICIENT_SIZE = 7,
	NVML_ERROR_DRIVER_NOT_LOADED = 9,
	NVML_ERROR_FUNCTION_NOT_FOUND = 13,
	NVML_ERROR_GPU_IS_LOST = 15,
	NVML_ERROR_RESET_REQUIRED = 16,
	NVML_ERROR_NO_DATA = 21,
	NVML_ERROR_GPU_NOT_FOUND = 28,
	NVML_ERROR_UNKNOWN = 999,
};

typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct nvmlGpmSample_st *nvmlGpmSample_t;

enum { NVML_TEMPERATURE_GPU = 0 };
enum { NVML_CLOCK_GRAPHICS = 0, NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2 };
enum { NVML_PCIE_UTIL_TX_BYTES = 0, NVML_PCIE_UTIL_RX_BYTES = 1 };
enum { NVML_FEATURE_DISABLED = 0, NVML_FEATURE_ENABLED = 1 };

/* Field ids for nvmlDeviceGetFieldValues. */
#define NVML_FI_DEV_MEMORY_TEMP               82  /* C */
#define NVML_FI_DEV_NVLINK_LINK_COUNT         91
#define NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX 138 /* KiB, cumulative, scopeId = link */
#define NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX 139
#define NVML_FI_DEV_POWER_INSTANT             186 /* mW */
#define NVML_FI_DEV_PCIE_COUNT_TX_BYTES       197 /* B, cumulative, may wrap */
#define NVML_FI_DEV_PCIE_COUNT_RX_BYTES       198

enum {
	NVML_VALUE_TYPE_DOUBLE = 0,
	NVML_VALUE_TYPE_UNSIGNED_INT = 1,
	NVML_VALUE_TYPE_UNSIGNED_LONG = 2,
	NVML_VALUE_TYPE_UNSIGNED_LONG_LONG = 3,
	NVML_VALUE_TYPE_SIGNED_LONG_LONG = 4,
	NVML_VALUE_TYPE_SIGNED_INT = 5,
	NVML_VALUE_TYPE_UNSIGNED_SHORT = 6,
};

typedef union {
	double dVal;
	int siVal;
	unsigned int uiVal;
	unsigned long ulVal;
	unsigned long long ullVal;
	signed long long sllVal;
	unsigned short usVal;
} nvmlValue_t;

/* 40 bytes; each entry carries its own return code. */
typedef struct {
	unsigned int fieldId;
	unsigned int scopeId;
	long long timestamp;   /* us, CPU time of the read */
	long long latencyUsec;
	int valueType;         /* NVML_VALUE_TYPE_* */
	nvmlReturn_t nvmlReturn;
	nvmlValue_t value;
} nvmlFieldValue_t;

typedef struct {
	unsigned int gpu;    /* % */
	unsigned int memory; /* % */
} nvmlUtilization_t;

typedef struct {
	unsigned long long total; /* B */
	unsigned long long free;
	unsigned long long used;
} nvmlMemory_t;

typedef struct {
	char busIdLegacy[16];
	unsigned int domain;
	unsigned int bus;
	unsigned int device;
	unsigned int pciDeviceId;
	unsigned int pciSubSystemId;
	char busId[32];
} nvmlPciInfo_t;

/* GPM (Hopper and later). */
enum {
	NVML_GPM_METRIC_SM_UTIL = 2,
	NVML_GPM_METRIC_SM_OCCUPANCY = 3,
	NVML_GPM_METRIC_ANY_TENSOR_UTIL = 5,
	NVML_GPM_METRIC_DRAM_BW_UTIL = 10,
	NVML_GPM_METRIC_FP64_UTIL = 11,
	NVML_GPM_METRIC_FP32_UTIL = 12,
	NVML_GPM_METRIC_FP16_UTIL = 13,
};
#define NVML_GPM_METRICS_GET_VERSION 1
#define NVML_GPM_SUPPORT_VERSION     1
/* NVML_GPM_METRIC_MAX grew from 98 to 210 to 333 without a version bump:
 * the struct is allocated at the largest size and zeroed. */
#define WL_NVML_GPM_SLOTS 333

typedef struct {
	unsigned int metricId;
	nvmlReturn_t nvmlReturn;
	double value; /* % for the *_UTIL metrics */
	struct {
		char *shortName;
		char *longName;
		char *unit;
	} metricInfo;
} nvmlGpmMetric_t;

typedef struct {
	unsigned int version;
	unsigned int numMetrics;
	nvmlGpmSample_t sample1;
	nvmlGpmSample_t sample2;
	nvmlGpmMetric_t metrics[WL_NVML_GPM_SLOTS];
} nvmlGpmMetricsGet_t;

typedef struct {
	unsigned int version;
	unsigned int isSupportedDevice;
} nvmlGpmSupport_t;

/* nvmlDeviceGetProcessUtilization's sample: one process's utilization of
 * the device over NVML's sampling period ending at timeStamp (CPU time,
 * us). */
typedef struct {
	unsigned int pid;
	unsigned long long timeStamp;
	unsigned int smUtil, memUtil, encUtil, decUtil;
} nvmlProcessUtilizationSample_t;

/* ----------------------------------------------------- the entry points */

/* Function pointers resolved with dlsym; NULL when the library lacks one
 * (then only the metrics that need it are absent). */
struct wl_nvml_fns {
	nvmlReturn_t (*init)(void);                                /* nvmlInit_v2 */
	nvmlReturn_t (*shutdown)(void);
	const char *(*error_string)(nvmlReturn_t);
	nvmlReturn_t (*count)(unsigned int *);                     /* _v2 */
	nvmlReturn_t (*handle)(unsigned int, nvmlDevice_t *);      /* _v2 */
	nvmlReturn_t (*driver_version)(char *, unsigned int);
	nvmlReturn_t (*nvml_version)(char *, unsigned int);
	nvmlReturn_t (*name)(nvmlDevice_t, char *, unsigned int);
	nvmlReturn_t (*uuid)(nvmlDevice_t, char *, unsigned int);
	nvmlReturn_t (*pci_info)(nvmlDevice_t, nvmlPciInfo_t *);   /* _v3 */
	nvmlReturn_t (*power_usage)(nvmlDevice_t, unsigned int *);
	nvmlReturn_t (*total_energy)(nvmlDevice_t, unsigned long long *);
	nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned int *);
	nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t *);
	nvmlReturn_t (*clock)(nvmlDevice_t, int, unsigned int *);
	nvmlReturn_t (*max_clock)(nvmlDevice_t, int, unsigned int *);
	nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t *);
	nvmlReturn_t (*pcie_gen)(nvmlDevice_t, unsigned int *);
	nvmlReturn_t (*pcie_width)(nvmlDevice_t, unsigned int *);
	nvmlReturn_t (*pcie_throughput)(nvmlDevice_t, int, unsigned int *);
	nvmlReturn_t (*field_values)(nvmlDevice_t, int, nvmlFieldValue_t *);
	nvmlReturn_t (*clock_reasons)(nvmlDevice_t, unsigned long long *);
	nvmlReturn_t (*power_limit)(nvmlDevice_t, unsigned int *);  /* enforced */
	nvmlReturn_t (*power_constraints)(nvmlDevice_t, unsigned int *, unsigned int *);
	nvmlReturn_t (*power_default)(nvmlDevice_t, unsigned int *);
	nvmlReturn_t (*mig_mode)(nvmlDevice_t, unsigned int *, unsigned int *);
	nvmlReturn_t (*persistence)(nvmlDevice_t, int *);
	nvmlReturn_t (*gpm_support)(nvmlDevice_t, nvmlGpmSupport_t *);
	nvmlReturn_t (*gpm_alloc)(nvmlGpmSample_t *);
	nvmlReturn_t (*gpm_free)(nvmlGpmSample_t);
	nvmlReturn_t (*gpm_get)(nvmlDevice_t, nvmlGpmSample_t);
	nvmlReturn_t (*gpm_metrics)(nvmlGpmMetricsGet_t *);
	nvmlReturn_t (*process_util)(nvmlDevice_t, nvmlProcessUtilizationSample_t *,
				     unsigned int *, unsigned long long);
};

/* ------------------------------------------- private to src/record/source */

/* The metrics, in channel order within one GPU. */
enum wl_nvml_metric {
	WL_NVML_POWER, WL_NVML_POWER_INSTANT, WL_NVML_ENERGY,
	WL_NVML_TEMP_GPU, WL_NVML_TEMP_MEM, WL_NVML_UTIL_GPU, WL_NVML_UTIL_MEM,
	WL_NVML_CLK_GR, WL_NVML_CLK_SM, WL_NVML_CLK_MEM,
	WL_NVML_MEM_USED, WL_NVML_MEM_TOTAL, WL_NVML_MEM_USAGE,
	WL_NVML_PCIE_GEN, WL_NVML_PCIE_WIDTH, WL_NVML_PCIE_TX, WL_NVML_PCIE_RX,
	WL_NVML_NVLINK_TX, WL_NVML_NVLINK_RX,
	WL_NVML_SM_ACTIVE, WL_NVML_SM_OCC, WL_NVML_TENSOR, WL_NVML_FP16,
	WL_NVML_FP32, WL_NVML_FP64, WL_NVML_DRAM,
	WL_NVML_REASONS, WL_NVML_POWER_LIMIT,
	WL_NVML_TREE_SM, WL_NVML_ALL_SM,
	WL_NVML_NMETRICS
};

/* Polling groups, each with its own period (see nvml.c's header). */
enum wl_nvml_group { WL_NVML_G_FAST, WL_NVML_G_MED, WL_NVML_G_GPM, WL_NVML_G_SLOW, WL_NVML_NGROUPS };

#define WL_NVML_MAX_LINKS  18
#define WL_NVML_MAX_FIELDS (4 + 2 * WL_NVML_MAX_LINKS)
#define WL_NVML_GPM_N      7

/* A cumulative counter turned into a rate between two reads. */
struct wl_nvml_rate {
	uint64_t last;
	uint64_t t_ns;
	int have;
};

struct wl_nvml_gpu {
	unsigned index;           /* NVML index: device "gpuN" */
	nvmlDevice_t dev;
	int lost;                 /* every channel stopped */
	int mig;                  /* MIG mode enabled */
	int chan[WL_NVML_NMETRICS];     /* channel index, -1 = absent */
	unsigned fails[WL_NVML_NMETRICS]; /* consecutive failures */
	int pcie_by_fields;       /* pcie.tx/rx from fields 197/198 */
	/* field requests per group: what each entry feeds */
	nvmlFieldValue_t fv[WL_NVML_NGROUPS][WL_NVML_MAX_FIELDS];
	int fv_metric[WL_NVML_NGROUPS][WL_NVML_MAX_FIELDS];
	int nfv[WL_NVML_NGROUPS];
	struct wl_nvml_rate pcie_tx, pcie_rx, nvl_tx, nvl_rx;
	/* GPM: two samples used in turn */
	nvmlGpmSample_t gpm[2];
	int gpm_cur, gpm_have;
	uint64_t gpm_t_ns;
	unsigned long long proc_ts; /* newest process-utilization sample seen */
};

/* A metric's channel: name, unit, kind, value type, scale, group. */
struct wl_nvml_def {
	const char *name;
	const char *unit;
	uint8_t kind;  /* enum wl_channel_kind */
	uint8_t type;  /* enum wl_value_type */
	double scale;
	int group;     /* enum wl_nvml_group */
};
extern const struct wl_nvml_def wl_nvml_defs[WL_NVML_NMETRICS];

struct wl_nvml_state {
	void *lib;
	struct wl_nvml_fns fn;
	int inited;
	size_t ngpu, nlive;
	struct wl_nvml_gpu *gpu;
	struct wl_source_desc desc;
	size_t cap_chans, cap_meta;
	char **strs;                /* owned strings behind desc.meta */
	size_t nstr, cap_strs;
	nvmlGpmMetricsGet_t *mg;    /* WL_NVML_GPM_SLOTS, zeroed per call */
	int used[WL_NVML_NGROUPS];  /* some channel is in this group */
	uint64_t period_ns[WL_NVML_NGROUPS];
	uint64_t due_ns[WL_NVML_NGROUPS];
	int mig_told;
	struct wl_ptree *tree;      /* the recorded command's processes, NULL = none */
};

/* One sample pass's outputs and the line it logs (first events joined). */
struct wl_nvml_out {
	union wl_value *vals;
	unsigned char *present;
	char msg[WL_ERROR_MAX];
	int logged;
};

/* nvml_probe.c: finds what GPU g answers, adds its channels to st->desc and
 * its metadata; with verbose, times each call (nvml.cost.<call>_us).
 * Returns 0, or -1 with err when memory runs out. */
int wl_nvml_probe_gpu(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_error *err);
int wl_nvml_probe_cost(struct wl_nvml_state *st, struct wl_nvml_gpu *g, struct wl_error *err);
/* Adds key = printf(fmt) to st->desc.meta (copies both).  0 or -1. */
int wl_nvml_meta(struct wl_nvml_state *st, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* nvml_read.c: reads the groups run[] of GPU g into o.  Marks g->lost when
 * the GPU is gone, stops a metric whose call failed WL_NVML_MAX_FAILS times
 * in a row, and says so in o->msg. */
#define WL_NVML_MAX_FAILS 3
void wl_nvml_read_gpu(struct wl_nvml_state *st, struct wl_nvml_gpu *g, const int *run,
		      uint64_t now_ns, struct wl_nvml_out *o);
/* Appends one event to o->msg ("; " between events). */
void wl_nvml_say(struct wl_nvml_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *wl_nvml_strerror(const struct wl_nvml_state *st, nvmlReturn_t r);

#endif
