/*
 * dataset.h - the analyzer's in-memory data: what every ingester fills and
 * every later stage (normalize, energy, phases, stats, correlation, carbon,
 * render) reads.  Ingesters are the only code that reads files.
 *
 * Time: t[] is seconds since the dataset's origin t=0 (the first sample of
 * the file; for a wattlog trace, its start_monotonic_ns), non-decreasing per
 * channel.  t0_realtime is the wall-clock time of t=0 in seconds since the
 * Unix epoch (UTC), NaN when the input does not say.
 *
 * Values are physical (raw * scale) in the channel's unit; a sample without a
 * value is not stored (a metric a device lacks is absent, never 0).
 */
#ifndef WATTLOG_DATASET_H
#define WATTLOG_DATASET_H

#include <stddef.h>

#include "wattlog/assume.h"
#include "wattlog/error.h"

enum wl_ds_kind {
	WL_DS_GAUGE = 0,   /* value at an instant (W, %, MHz, C, ...) */
	WL_DS_COUNTER = 1, /* cumulative (uJ, mJ, J), may wrap at `wrap` */
};

struct wl_channel {
	char *name;   /* metric name, e.g. "power.draw", "energy", "cpu_busy" */
	char *unit;   /* "W", "mW", "uJ", "mJ", "J", "%", "MHz", "C", "MiB", "GiB/s", "" */
	char *device; /* "gpu0", "package-0", "cpu", "dram", "VDD_IN", "" host-wide */
	char *source; /* "nvml", "rapl", "powercap", "procfs", "aimeter", "nvidia-smi",
			 "tegrastats", "csv", ... */
	/* The energy component this channel measures, set by the ingester:
	 * "cpu" (each RAPL package, or AIMeter's cpu_power: summed), "dram",
	 * "gpu0", "gpu1", ..., a Jetson rail ("VDD_IN"), "psys", "node".
	 * "" when the channel is no power/energy reading or is a part of one
	 * already counted (RAPL core/uncore subzones).  Several channels may
	 * share a component (a GPU's energy counter and its power gauges):
	 * the energy stage picks counter > instant power > averaged power. */
	char *component;
	/* The node (machine) of a job of several whose channel this is, set
	 * where the channel is made: a merged Slurm job's node ("n1": merge.c,
	 * and the trace reader of a merged trace), a generic CSV's row device
	 * that has several power columns ("node-a"); "" otherwise.  A channel
	 * with a node has device and component named "NODE/..." for display
	 * ("n1/gpu0"); what a component is within its node (the total rule,
	 * the job summary, the nodes figure) is read through this field
	 * (wl_component_base, energy_rule.h), never from the name's '/'. */
	char *node;
	int instant;  /* a power read at an instant, not averaged over a window
			 (nvidia-smi's power.draw.instant): set by the reader,
			 wl_power_name_instant; the energy stage prefers it to
			 an averaged power of the same component */
	enum wl_ds_kind kind;
	double wrap;  /* counter wrap range in `unit`, 0 = none/unknown */
	size_t n, cap;
	double *t;    /* s since origin */
	double *v;    /* value in unit */
};

struct wl_marker {
	double t;       /* s since origin */
	unsigned flags; /* WL_MARKER_* of trace_format.h */
	char *text;     /* "begin prefill", "end request 42" */
	/* The node of a merged Slurm job whose marker this is ("n1"), set where
	 * the marker is made: merge.c, and for a merged trace, once, the trace
	 * reader (wl_merge_fix_marker, merge.h); NULL for the whole run.  Its
	 * text then ends in " @NODE" for display ("begin prefill @n1"); what a
	 * marker's node is (its phase window's node, the per-node energy, the
	 * requests) is read through this field, never out of the text. */
	char *node;
};

struct wl_meta {
	char *key;
	char *value;
};

struct wl_dataset {
	char *path;        /* the file it came from */
	char *format;      /* "wattlog", "aimeter", "nvidia-smi", "tegrastats", "csv", ... */
	double t0_realtime; /* epoch s of t=0, NaN = unknown */

	struct wl_channel *ch;
	size_t nch, capch;
	struct wl_marker *mk;
	size_t nmk, capmk;
	struct wl_meta *meta;
	size_t nmeta, capmeta;
	char **warn;       /* one line each, for the report's warnings[] */
	size_t nwarn, capwarn;
	/* what the readers and stages assumed that the input does not state
	 * (assume.h), for the report's assumptions[] */
	struct wl_assumptions assume;
};

/* Lifecycle: _init/_release for a caller-owned struct. */
void wl_dataset_init(struct wl_dataset *ds);
void wl_dataset_release(struct wl_dataset *ds);

/* Adds a channel (strings copied; NULL device/source taken as "") and returns
 * its index, or -1 on out-of-memory.  An existing channel with the same
 * name, device and source is returned instead of a new one. */
long wl_dataset_channel(struct wl_dataset *ds, const char *name, const char *unit,
			const char *device, const char *source, enum wl_ds_kind kind,
			double wrap);
/* Sets channel c's component (copied). 0 or -1. */
int wl_channel_component(struct wl_channel *c, const char *component);
/* Sets channel c's node (copied; NULL taken as ""). 0 or -1. */
int wl_channel_node(struct wl_channel *c, const char *node);
/* Appends one sample to channel i.  0 or -1 (out of memory). */
int wl_channel_push(struct wl_channel *c, double t, double v);
int wl_dataset_marker(struct wl_dataset *ds, double t, unsigned flags, const char *text);
/* Sets marker m's node (copied; NULL or "" for the whole run). 0 or -1. */
int wl_marker_node(struct wl_marker *m, const char *node);
/* Sets (or replaces) a metadata key. */
int wl_dataset_meta(struct wl_dataset *ds, const char *key, const char *value);
const char *wl_dataset_meta_get(const struct wl_dataset *ds, const char *key);
int wl_dataset_warn(struct wl_dataset *ds, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Finds a channel by name and device (device NULL = any); -1 if absent. */
long wl_dataset_find(const struct wl_dataset *ds, const char *name, const char *device);

/* Times of a dataset lie within WL_SPAN_MAX_S s of its origin (about 317
 * years): a log whose times are further apart has a misread unit or an
 * overflow (1e308 - -1e308 is inf), and its ingester refuses the row, so
 * that no later stage sizes anything from an absurd span. */
#define WL_SPAN_MAX_S 1e10

/* 1 when t (s since the origin) may be stored: finite, |t| <= WL_SPAN_MAX_S. */
int wl_time_in_span(double t);

/* Time span covered by all channels: first and last t; 0 if empty. */
int wl_dataset_span(const struct wl_dataset *ds, double *t_first, double *t_last);

#endif
