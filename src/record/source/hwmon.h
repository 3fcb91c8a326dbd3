/*
 * hwmon.h - what the hwmon sources (hwmon_amdgpu.c, hwmon_ina3221.c,
 * hwmon_power_meter.c, hwmon_intel.c) share: finding hwmon devices by the
 * driver name in <sysfs_root>/class/hwmon/hwmonN/name, and one set of
 * opened attribute files read with pread each sample.
 *
 * Attribute files follow Documentation/hwmon/sysfs-interface.rst: one
 * decimal integer (signed for temperatures), power in microwatts, energy in
 * microjoules, voltage in millivolts, current in milliamperes, temperature
 * in millidegrees Celsius, frequency in Hz.  Values are recorded raw with
 * the scale to the channel's unit (power1_average 12000000 -> 12 W, scale
 * 1e-6); nothing is converted in the sampling path.
 *
 * Libc only.
 */
#ifndef WATTLOG_HWMON_H
#define WATTLOG_HWMON_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/source.h"

#define WL_HWMON_MAXCH 160
#define WL_HWMON_MAXMETA 24
#define WL_HWMON_CLS 4112  /* <sysfs_root> (PATH_MAX) + /class/hwmon */
#define WL_HWMON_DIR 4400  /* ... + /<entry> (at most 255 bytes) */

/* One hwmon device whose name matched. */
struct wl_hwmon_dev {
	char dir[WL_HWMON_DIR]; /* <root>/class/hwmon/hwmonN */
	char hwmon[24];   /* "hwmon3" */
	char name[32];    /* the name file: "amdgpu" */
	char bus[64];     /* basename of the device link: "0000:03:00.0", "1-0040", "" */
	long num;         /* N of hwmonN */
};

/*
 * The hwmon devices under <root>/class/hwmon whose name file equals one of
 * names[0..nnames), sorted by bus id (PCI bus order for PCI devices), then
 * by N.  *out is malloc'd (caller frees; NULL when *n is 0).  0, or -1 with
 * err when the class directory cannot be read ("no hwmon class at ...").
 */
int wl_hwmon_find(const char *root, const char *const *names, size_t nnames,
		  struct wl_hwmon_dev **out, size_t *n, struct wl_error *err);

/*
 * The index of the GPU at PCI address bus among all GPUs the recorder
 * numbers: NVIDIA's first (display controllers of vendor 0x10de under
 * <root>/bus/pci/devices, as NVML numbers them), then the hwmon GPUs
 * (amdgpu, i915, xe) in PCI bus order.  *nvidia gets the NVIDIA count.
 */
long wl_hwmon_gpu_index(const char *root, const char *bus, long *nvidia);

/* Reads <dir>/<leaf> (one line, trailing newline and blanks cut) into buf;
 * 0, or -errno. */
int wl_hwmon_read_str(const char *dir, const char *leaf, char *buf, size_t cap);
/* Reads <dir>/<leaf> as one decimal integer; 0, or -errno (-EINVAL). */
int wl_hwmon_read_i64(const char *dir, const char *leaf, int64_t *v);

/* An opened attribute (channel i of the set), or a channel derived from two
 * others: the product a x b x factor (a rail's power from its voltage and
 * current). */
struct wl_hwmon_attr {
	int fd;        /* -1: derived, or closed since it stopped reading */
	int a, b;      /* derived: the channels multiplied, -1 when not derived */
	double factor;
	char what[80]; /* "hwmon3/power1_average", for messages */
};

/* The state every hwmon source keeps: channels, files, metadata. */
struct wl_hwmon_set {
	struct wl_source_desc desc;
	const char *source;   /* "amdgpu", ... for messages */
	struct wl_chan_info chans[WL_HWMON_MAXCH];
	struct wl_hwmon_attr at[WL_HWMON_MAXCH];
	size_t nlive;         /* channels still read (derived ones not counted) */
	struct wl_kv meta[WL_HWMON_MAXMETA];
	char metakey[WL_HWMON_MAXMETA][64];
	char metaval[WL_HWMON_MAXMETA][160];
	struct wl_error pending; /* told at the first sample (has_pending) */
	int has_pending;
};

/* A zeroed set for source name src (a static string); NULL when out of memory. */
struct wl_hwmon_set *wl_hwmon_set_new(const char *src);

/*
 * Opens <d->dir>/<leaf> and checks that it reads as a number; when it does,
 * adds channel `name` (unit, scale to it, device, kind WL_KIND_COUNTER: u64
 * counter, else i64 gauge) and returns its index; else -1 (the attribute is
 * absent or unreadable: the channel is absent, never 0).
 */
int wl_hwmon_add(struct wl_hwmon_set *s, const struct wl_hwmon_dev *d, const char *leaf,
		 const char *name, const char *unit, double scale, const char *device,
		 uint8_t kind);
/* Adds a f64 gauge = value(a) x value(b) x factor (physical values); index or -1. */
int wl_hwmon_add_product(struct wl_hwmon_set *s, int a, int b, double factor,
			 const char *name, const char *unit, const char *device);
/* Adds a metadata key (both strings copied, truncated to fit). */
void wl_hwmon_meta(struct wl_hwmon_set *s, const char *key, const char *val);

/* The ops every hwmon source uses once its open() filled a set. */
const struct wl_source_desc *wl_hwmon_describe(void *state);
int wl_hwmon_sample(void *state, uint64_t now_ns, union wl_value *vals, unsigned char *present,
		    struct wl_error *err);
void wl_hwmon_close(void *state);

#endif
