/*
 * trace.h - writing and reading wattlog traces (format: trace_format.h).
 *
 * Libc only: the writer is linked into wattlog-record, the reader into both.
 */
#ifndef WATTLOG_TRACE_H
#define WATTLOG_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/error.h"
#include "wattlog/trace_format.h"

/* One declared channel, as in a WL_REC_CHANNEL record.  Strings are
 * NUL-terminated copies owned by whoever holds the struct. */
struct wl_chan_info {
	uint16_t id;
	uint8_t kind;  /* enum wl_channel_kind */
	uint8_t type;  /* enum wl_value_type */
	uint64_t wrap; /* raw units, 0 = none */
	double scale;
	char source[32];
	char name[64];
	char unit[16];
	char device[32];
	uint8_t quantity;  /* enum wl_quantity (version 1.1) */
	char component[32]; /* energy component, "" none (version 1.1) */
	uint8_t instant;    /* a power read at an instant, not averaged: not in
			       the trace; set by wl_chan_meaning */
};

/*
 * Sets c->instant (wl_power_name_instant, energy_rule.h: the format has
 * no field for it) and derives c's meaning when c states none (quantity
 * WL_Q_UNSTATED; src/trace/chan_meaning.c): an empty component by the version 1.0 rule
 * of source and name (wl_trace_chan_component, energy_rule.h), the
 * quantity from the unit (W: power, J: energy, %: activity, Hz: clock, C:
 * temperature, B: memory, B/s: traffic, any other unit: other).  A stated
 * quantity means the component is stated too ("" = none): nothing is
 * changed.  The reader applies it to version 1.0 channel records, the
 * recorder to what its sources describe before writing.
 */
void wl_chan_meaning(struct wl_chan_info *c);
/* The quantity a unit measures, as wl_chan_meaning reads it. */
uint8_t wl_quantity_of_unit(const char *unit);
/*
 * The node of a channel of a merged job's trace (META job.merged = 1,
 * written by `wattlog merge`; include/wattlog/merge.h): the length of its
 * node's name at the start of device, which merge names "NODE/<device>"
 * ("n1/gpu0"), or "NODE" for a host-wide channel.  The channel record has
 * no field for the node, so the readers of a merged trace (ingest_trace.c,
 * `watch`) derive it here, once per channel, and nothing after them reads
 * names.  Never applied to a trace that is not merged.
 */
size_t wl_merged_chan_node(const char *device);
/*
 * The node of a marker of a merged job's trace: merge names its markers
 * "<text> @NODE" ("begin prefill @n1"), and the marker record has no field
 * for the node, so the reader of a merged trace (wl_merge_fix_marker,
 * merge.h) derives it here, once per marker: a pointer to NODE in text
 * (after its last " @", NODE non-empty and without blanks), NULL without
 * one.  Never applied to a trace that is not merged, where " @x" is the
 * workload's own text.
 */
const char *wl_merged_marker_node(const char *text);

/* One sample value: the 8 bytes read as the channel's type says. */
union wl_value {
	double f;
	uint64_t u;
	int64_t i;
};

/* A sample value in physical units: the 8 raw bytes read as `type` says
 * (enum wl_value_type), times the channel's scale (trace_format.h). */
static inline double wl_value_scaled(uint8_t type, double scale, union wl_value v)
{
	switch (type) {
	case WL_TYPE_U64:
		return (double)v.u * scale;
	case WL_TYPE_I64:
		return (double)v.i * scale;
	default:
		return v.f * scale;
	}
}

struct wl_kv {
	const char *key;
	const char *value;
};

static inline double wl_value_physical(const struct wl_chan_info *c, union wl_value v)
{
	return wl_value_scaled(c->type, c->scale, v);
}

/* ---------------------------------------------------------------- writer */

struct wl_writer;

/*
 * Starts a trace on an open, empty, writable fd (the caller opened it and
 * keeps ownership of the fd) and writes the file header.  block_bytes is the
 * payload size at which a block is written out by itself (0 = 64 KiB).
 * Returns NULL with err set on failure.
 */
struct wl_writer *wl_writer_open(int fd, size_t block_bytes, struct wl_error *err);
/* Same, with the file's name for error messages ("cannot write block 12 of
 * 'run.wlog': No space left on device"); name is copied, NULL = "fd N". */
struct wl_writer *wl_writer_open_named(int fd, const char *name, size_t block_bytes,
				       struct wl_error *err);

/* Append one record to the current block; a record that does not fit ends
 * the block first (the block is written).  Return 0, or -1 with err set once
 * the writer has failed (a write error sticks: every later call fails too, so
 * the recorder can stop recording and keep the workload running). */
int wl_writer_meta(struct wl_writer *w, const struct wl_kv *kv, size_t n, struct wl_error *err);
int wl_writer_channel(struct wl_writer *w, const struct wl_chan_info *ch, struct wl_error *err);
/* ids[i] and vals[i] for i < n: the channels that have a value now. */
int wl_writer_sample(struct wl_writer *w, uint64_t t_ns, const uint16_t *ids,
		     const union wl_value *vals, size_t n, struct wl_error *err);
int wl_writer_marker(struct wl_writer *w, uint64_t t_ns, uint32_t flags,
		     const char *text, size_t len, struct wl_error *err);
int wl_writer_sync(struct wl_writer *w, uint64_t mono_ns, uint64_t real_ns, struct wl_error *err);
int wl_writer_log(struct wl_writer *w, uint64_t t_ns, uint8_t level, const char *text,
		  struct wl_error *err);

/* Writes the current block, if it holds any record (one write() call for the
 * whole block, retried on EINTR and short writes).  Returns 0 or -1. */
int wl_writer_flush(struct wl_writer *w, struct wl_error *err);

/* Blocks written so far (for the fault-injection tests' side channel). */
uint64_t wl_writer_blocks(const struct wl_writer *w);
/* Bytes buffered in the current, unwritten block. */
size_t wl_writer_pending(const struct wl_writer *w);

/* Flushes (errors ignored: call wl_writer_flush first to see them) and frees
 * the writer; does not close the fd.  NULL is a no-op. */
void wl_writer_free(struct wl_writer *w);

/* ---------------------------------------------------------------- reader */

/* One record as the reader hands it out.  Pointers stay valid until the next
 * wl_reader_next() call. */
struct wl_record {
	uint16_t kind;     /* enum wl_record_kind; unknown kinds are skipped */
	uint64_t offset;   /* file offset of the record header */
	uint64_t t_ns;     /* SAMPLE, MARKER, LOG; SYNC: monotonic_ns */
	union {
		struct { /* META */
			size_t n;
			const struct wl_kv *kv;
		} meta;
		const struct wl_chan_info *channel; /* CHANNEL */
		struct { /* SAMPLE */
			size_t n;
			const uint16_t *ids;
			const union wl_value *vals;
		} sample;
		struct { /* MARKER */
			uint32_t flags;
			const char *text; /* NUL-terminated */
		} marker;
		struct { /* SYNC */
			uint64_t real_ns;
		} sync;
		struct { /* LOG */
			uint8_t level;
			const char *text; /* NUL-terminated */
		} log;
	} u;
};

/* Damage found while reading: a bad block, lost blocks, a torn tail. */
struct wl_damage {
	uint64_t offset; /* where the damaged bytes start */
	uint64_t length; /* bytes skipped */
	char what[128];  /* e.g. "checksum mismatch", "torn tail" */
};

struct wl_reader;

/*
 * Opens a trace and checks its file header.  Returns NULL with err set when
 * the file cannot be opened or is not a version-1 wattlog trace, e.g.
 * "not a wattlog trace: 'x.csv': bad magic at offset 0".  An empty file is
 * refused; a file cut inside its 16-byte header (bytes agreeing with a valid
 * header) opens with no records and one "torn tail" damage entry.  Regular
 * files are mapped: do not truncate a file while a reader has it open.
 */
struct wl_reader *wl_reader_open(const char *path, struct wl_error *err);

/*
 * Next record: 1 and *rec filled, 0 at the end, -1 with err set on an I/O
 * error.  Damaged blocks never stop the reader: they are skipped and listed
 * (wl_reader_damage), and no record is ever taken from a damaged block.
 * SAMPLE records only list ids declared by an earlier CHANNEL record: an
 * undeclared id is dropped and reported once per id, and a SAMPLE left with
 * no id by that is skipped.  A record body too short for its kind is
 * reported and skipped.
 */
int wl_reader_next(struct wl_reader *r, struct wl_record *rec, struct wl_error *err);

/* Declared channel by id, or NULL. */
const struct wl_chan_info *wl_reader_channel(const struct wl_reader *r, uint16_t id);

/* Damage seen so far (complete once wl_reader_next returned 0). */
size_t wl_reader_damage(const struct wl_reader *r, const struct wl_damage **list);

/* Version the file declared. */
void wl_reader_version(const struct wl_reader *r, unsigned *major, unsigned *minor);

/*
 * Follow mode, for a trace still being written (`wattlog watch`): a block
 * cut off at the end of the file is not damage but not yet complete, so
 * wl_reader_next returns 0 before it; wl_reader_refresh then maps what was
 * appended since, and wl_reader_next reads on from where it stopped.
 */
void wl_reader_follow(struct wl_reader *r);

/* Maps the file again when it grew: 1 grown, 0 not (or not a regular file),
 * -1 with err set. */
int wl_reader_refresh(struct wl_reader *r, struct wl_error *err);

void wl_reader_free(struct wl_reader *r);

/* CRC32C as in trace_format.h, continuing from crc (start with 0). */
uint32_t wl_crc32c(uint32_t crc, const void *buf, size_t len);

#endif
