/*
 * ingest.h - reading files into a struct wl_dataset.  The only stage that
 * reads files.  One file per format in src/analyze/ingest/ingest_*.c.
 *
 * On malformed input an ingester returns -1 and sets err to one line naming
 * the file, the line (or byte offset) and the problem, e.g.
 *     'gpu.csv' line 17: bad number '12,5x' in column 'power.draw [W]'
 * A missing column the report would like is a warning (wl_dataset_warn),
 * not an error.
 */
#ifndef WATTLOG_INGEST_H
#define WATTLOG_INGEST_H

#include <stdint.h>

#include "wattlog/jetson_rails.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"

/* A column of a generic CSV declared a cumulative counter:
 * --counter 'energy_uj:uJ:wrap=262143328850' */
struct wl_counter_decl {
	const char *column;
	const char *unit;
	double wrap; /* 0 = none */
};

/*
 * Parses a --counter spec "COLUMN:UNIT[:wrap=N]" (N a positive number in
 * UNIT; COLUMN and UNIT non-empty; UNIT an energy unit J/mJ/uJ/nJ/kJ/Wh/kWh).
 * On success out->column and out->unit are malloc'd copies owned by *out:
 * free them with wl_counter_release.  -1 with err (nothing to release) on a
 * malformed spec, e.g. "bad --counter 'x:uJ:wrap=abc': wrap is not a number".
 */
int wl_counter_parse(const char *spec, struct wl_counter_decl *out, struct wl_error *err);
void wl_counter_release(struct wl_counter_decl *d);

/* A CSV column's unit declared: --unit 'GPU*=W'.  column is a glob
 * (fnmatch) matched against the header as written and its name without
 * the unit; unit canonical (wl_unit_canon).  Both malloc'd. */
struct wl_unit_decl {
	char *column;
	char *unit;
};

/* Parses "COLUMN=UNIT" (split at the last '=', both non-empty) into out
 * (release with wl_unit_decl_release).  0, or -1 with err naming the spec. */
int wl_unit_decl_parse(const char *spec, struct wl_unit_decl *out, struct wl_error *err);
void wl_unit_decl_release(struct wl_unit_decl *d);

/* Where a reader that streams hands its samples instead of storing them
 * (wl_ingest_opts.sink; the streaming report, stream.h): the reader still
 * creates ds's channels, components, assumptions, warnings and
 * t0_realtime, and calls row() once per row of the file that keeps a
 * sample, in file order: t in s since the first row (not moved to the
 * earliest sample: the caller applies wl_origin_shift), and its n kept
 * samples, v[k] of ds->ch[ch[k]] (distinct channels, in column order;
 * ch and v valid during the call only).  row returns 0, or -1 (out of
 * memory: the reader stops).  Only the GPU CSV readers (aimeter,
 * nvidia-smi) stream: wl_ingest_streams says which. */
struct wl_ingest_sink {
	int (*row)(void *user, double t, size_t n, const uint32_t *ch, const double *v);
	void *user;
};

/* 1 when the reader of format (a wl_ingest_opts.format name) honours a
 * sink, else 0. */
int wl_ingest_streams(const char *format);

/* t moved to an origin a s later (a < 0: the earliest sample of a GPU CSV
 * log whose GPUs interleave), as the reader moves its own: in integer ns
 * while |t|, |a| < 1e6 s (exact for times of ns resolution), else t - a. */
double wl_origin_shift(double t, double a);

struct wl_ingest_opts {
	const char *format; /* NULL = detect from content; else "wattlog",
			       "aimeter", "nvidia-smi", "tegrastats",
			       "rapl-trace", "csv" (generic) */
	const char *tz;     /* timestamps without a zone are in this zone
			       (tzone.h: an IANA name or an offset); NULL =
			       this machine's zone */
	const struct wl_counter_decl *counters;
	size_t ncounters;
	const char *markers; /* a marker log to add (wl_ingest_markers), NULL none */
	const struct wl_unit_decl *units; /* --unit, first match wins */
	size_t nunits;
	const char *time_unit;     /* --time-unit s|ms|us|ns of a numeric time
				      column; NULL = its name, else magnitude */
	const char *device_column; /* --device-column (a glob); NULL = by name */
	const char *const *exclude; /* --exclude: power columns (globs) kept
				      out of the energy sum */
	size_t nexclude;
	double interval_s;         /* --interval: tegrastats lines without a
				      date are this far apart; 0 = none */
	const struct wl_ingest_sink *sink; /* NULL: samples stored in ds */
};

/* Reads path into ds (initialised by the caller).  0, or -1 with err set;
 * after a failure ds may hold part of the file: the caller releases it
 * with wl_dataset_release as always and uses nothing of it. */
int wl_ingest(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
	      struct wl_error *err);

/*
 * Adds the markers of a request log to ds (already read, its t0_realtime
 * known): lines "TIME begin|end LABEL [ID] [key=value ...]", blank lines
 * and lines starting with '#' skipped.  TIME is ISO 8601 (the rules of CSV
 * times: a zone written in it, else o->tz, else this machine's zone) or an
 * epoch number, its unit from its magnitude as in CSV logs (>= 1e8 s,
 * >= 1e11 ms, >= 1e14 us, >= 1e17 ns).  Each becomes a marker at
 * TIME - t0_realtime, joining the input's own.  What it assumed (the zone,
 * the epoch unit) is a warning of ds.  -1 with err naming file, line and
 * problem: a line that is not TIME begin|end LABEL, or an input without
 * wall-clock time.
 */
int wl_ingest_markers(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err);

/*
 * An input format: one reader file src/analyze/ingest/ingest_NAME.c defines its
 * `const struct wl_format wl_format_NAME`, and the registry
 * (src/analyze/ingest/formats.c) lists it.  Formats are tried in the registry's
 * order; the first whose sniff accepts a file's head reads it.
 */
struct wl_format {
	const char *name;    /* as --input-format names it and ds->format records it */
	const char *aliases; /* other names --input-format takes, space-separated, or NULL */
	int binary;          /* sniff accepts binary heads (else a NUL byte refuses the file) */
	/* 1 when a file whose first bytes are head[0..n) (NUL-terminated) is
	 * of this format; line1: its first line, without the line end. */
	int (*sniff)(const char *head, size_t n, const char *line1);
	int (*read)(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err);
	/* What it is, one line of Markdown: the README's table of formats
	 * holds the same row (t18 checks it), --help lists the names. */
	const char *help;
};

/* The registry, in the order formats are tried: *list, and how many. */
size_t wl_formats(const struct wl_format *const **list);
/* The format --input-format name names (its name or an alias), or NULL. */
const struct wl_format *wl_format_find(const char *name);
/* Writes the formats' names, ", "-separated, into buf (truncated to cap). */
void wl_format_names(char *buf, size_t cap);

/* The format detected from the first bytes of a file, or NULL with err
 * set: an empty file, binary data that is no trace, no format's head. */
const char *wl_ingest_detect(const char *path, struct wl_error *err);

/* Reads one file (not a folder) in format fmt (a name or alias), or the
 * format detected when fmt is NULL; sets ds->path and ds->format when the
 * reader left them NULL.  0, or -1 with err set. */
int wl_ingest_file(const char *path, const char *fmt, const struct wl_ingest_opts *o,
		   struct wl_dataset *ds, struct wl_error *err);

/*
 * Adds trace channel c to ds exactly as wl_ingest_trace does: name, unit,
 * device, source, kind, wrap in physical units (wrap * scale), and the
 * energy component the channel states (format 1.1), or wl_chan_meaning
 * derives when it states none (trace.h: the 1.0 rule of source and name);
 * in a merged job's trace, the channel's node (wl_merge_fix_channel).  Returns the channel's index, or -1
 * out of memory.
 */
struct wl_chan_info;
long wl_trace_channel_add(struct wl_dataset *ds, const struct wl_chan_info *c);
/* The other way: the trace channel id that writes dataset channel c (values
 * f64 in c's unit, scale 1, wrap in those units), its component stated as
 * c's ("" none) and its quantity by its unit (format 1.1). */
void wl_trace_chan_of(const struct wl_channel *c, uint16_t id, struct wl_chan_info *ci);

/*
 * Whether a trace sample (t, physical value v) of channel c is kept; the
 * one rule of wl_ingest_trace and the streaming report.  t_last: the time
 * of the channel's last kept sample, NaN when none.  Dropped: a NaN value
 * (no value); an infinite one (damage, or raw * scale overflowing); a time
 * before t_last (damage: the recorder reads one monotonic clock).  The
 * first damage of each kind in a channel adds a warning to ds naming the
 * file (path) and the record's offset; *warned (0 at first, per channel)
 * remembers which (set it to WL_TRACE_WARNED_ALL for no warnings).
 * 1 kept, 0 dropped, -1 out of memory.
 */
#define WL_TRACE_WARNED_ALL 3u
int wl_trace_sample_keep(struct wl_dataset *ds, const char *path, unsigned long long offset,
			 const struct wl_channel *c, double t, double t_last, double v,
			 unsigned char *warned);

/*
 * The dataset side of a walk over a trace (walk.h), shared by every reader
 * that fills a dataset from one: wl_trace_take puts a META record into ds's
 * metadata, a MARKER into its markers, a LOG record of level warn or error
 * into its warnings (naming path and the offset) and ignores the rest
 * (0, or -1 out of memory); wl_trace_take_end, once the walk has ended,
 * adds a warning per damaged stretch and sets ds->t0_realtime.
 */
struct wl_step;
struct wl_walk;
int wl_trace_take(struct wl_dataset *ds, const char *path, const struct wl_step *s);
void wl_trace_take_end(struct wl_dataset *ds, const char *path, const struct wl_walk *w);

/*
 * A trace walked into a dataset: the one record dispatch of every reader
 * that fills a dataset from a trace (wl_ingest_trace, the streaming
 * report).  A pass walks the file (walk.h); its first pass adds each
 * declared channel to ds (wl_trace_channel_add) and calls channel(ctx, i,
 * c) for it, takes metadata, markers, recorder warnings and damage
 * (wl_trace_take, wl_trace_take_end); every pass keeps a channel's samples
 * by wl_trace_sample_keep (warning in the first pass only) and hands each
 * kept one to sample(ctx, i, t, v), or wl_channel_push when sample is NULL.
 * A later pass sees the same samples again, mapped to the channels of the
 * first.  Set path, ds, the callbacks and ctx with wl_trace_fill_init (0,
 * or -1 out of memory) and after it; free with wl_trace_fill_release.
 * wl_trace_fill_pass: 0, or -1 with err set.
 */
struct wl_trace_fill {
	const char *path;
	struct wl_dataset *ds;
	int (*channel)(void *ctx, size_t i, const struct wl_chan_info *c);
	int (*sample)(void *ctx, size_t i, double t, double v);
	void *ctx;
	/* private */
	long *index;            /* [65536]: dataset channel of a trace id, -1 */
	double *t_last;         /* by dataset channel: the last kept sample's time */
	unsigned char *warned;  /* by dataset channel: wl_trace_sample_keep's */
	size_t cap;
	unsigned passes;
};
int wl_trace_fill_init(struct wl_trace_fill *f, const char *path, struct wl_dataset *ds);
int wl_trace_fill_pass(struct wl_trace_fill *f, struct wl_error *err);
void wl_trace_fill_release(struct wl_trace_fill *f);

/* Per format (called by wl_ingest; ds->path and ds->format are set by
 * wl_ingest after a reader succeeds, when the reader left them NULL).
 *
 * Channel naming of the CSV/log readers (source = the format name):
 *  aimeter     name = header without "[unit]" ("power.draw"), device "gpuN"
 *              from `index`; cpu_power/cpu_usage device "cpu", dram_power/
 *              dram_usage device "dram" (host-wide, stored once per time).
 *              Components: power.draw -> "gpuN", cpu_power -> "cpu",
 *              dram_power -> "dram".  t0_realtime: first timestamp.
 *  nvidia-smi  as aimeter; device "gpuN" from `index`, else by order of first
 *              appearance of uuid / pci.bus_id; power.draw(.instant,.average)
 *              -> component "gpuN"; text columns (name, uuid, ...) skipped.
 *  tegrastats  rails NAME (mW, component NAME) and NAME.avg (mW, the
 *              running average, component ""), gr3d_freq (%), temp.X (C),
 *              ram.used/ram.total (MiB), cpu.busy (%) and cpu.freq (MHz)
 *              with device "cpuN" (offline cores absent).
 *  rapl-trace  per socket x domain a counter "package" / "dram" (J) with
 *              device "socketN", components "cpu" / "dram"; values are the
 *              running sum of the energy column from 0 at t(first) - interval.
 *  csv         see ingest_generic.c.
 */
int wl_ingest_trace(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err);
int wl_ingest_aimeter(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err);
int wl_ingest_nvsmi(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err);
int wl_ingest_tegrastats(const char *path, const struct wl_ingest_opts *o,
			 struct wl_dataset *ds, struct wl_error *err);
int wl_ingest_rapltrace(const char *path, const struct wl_ingest_opts *o,
			struct wl_dataset *ds, struct wl_error *err);
int wl_ingest_generic(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err);

/* Total columns (ingest_totals.c): among each device's power gauges with a
 * component in ds->ch[first..], one that equals the sum of the others
 * (0.5 % on 99 % of rows) loses its component and is named in an
 * assumption.  0 or -1 (out of memory). */
int wl_ingest_totals(struct wl_dataset *ds, size_t first, const char *path,
		     struct wl_error *err);

/* Jetson modules: wl_jetson_is_input_rail, wl_jetson_module
 * (wattlog/jetson_rails.h, src/common/jetson_rails.c: one table, shared
 * with the recorder's ina3221 source). */

/* Internal: the reader shared by AIMeter and nvidia-smi (ingest_gpucsv.c).
 * host() returns 1 and sets device and component ("" = none) for a
 * host-wide column, 0 for a per-GPU one; NULL = no host columns. */
struct wl_gpucsv_cfg {
	const char *source;
	int (*host)(const char *name, const char **device, const char **component);
};
int wl_gpucsv_read(const char *path, const struct wl_ingest_opts *o,
		   const struct wl_gpucsv_cfg *cfg, struct wl_dataset *ds, struct wl_error *err);

#endif
