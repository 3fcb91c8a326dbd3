/*
 * trace_format.h - the wattlog trace (.wlog), version 1.0.  This header is the
 * specification: a reader or writer in any language can be written from it.
 *
 * 1. Byte order and primitive types
 *
 *    Every integer is little-endian, unsigned unless said otherwise: u8, u16,
 *    u32, u64.  f64 is an IEEE 754 binary64 stored as the u64 of its bits.
 *    A "str16" is a u16 byte length followed by that many bytes of UTF-8
 *    (no terminating NUL).  Nothing is aligned: fields follow each other.
 *
 * 2. File layout
 *
 *        file header (16 bytes)
 *        block, block, block ...            (until end of file)
 *
 *    The file is only ever appended to, one whole block per write().  Nothing
 *    is patched at exit: a file cut off at any byte is valid up to its last
 *    whole block.  One file is one run: a second file header after the
 *    first (two traces concatenated, `cat a.wlog b.wlog`) starts another
 *    run, whose channel ids and clock are its own; a reader refuses the
 *    file at that header's offset, never merges the two.
 *
 * 3. File header, 16 bytes
 *
 *        offset 0   u8[4]  magic "WLOG" (57 4C 4F 47)
 *        offset 4   u32    byte-order mark 0x0A0B0C0D, so the bytes are
 *                          0D 0C 0B 0A; 0A 0B 0C 0D means a big-endian writer
 *                          (not a valid version 1 file); anything else: not a
 *                          wattlog trace
 *        offset 8   u16    major version (1): a reader refuses a major it
 *                          does not know
 *        offset 10  u16    minor version (0): additions that old readers can
 *                          skip (new record kinds, new meta keys)
 *        offset 12  u32    reserved, 0
 *
 * 4. Block, 16-byte header then payload
 *
 *        offset 0   u8[4]  block magic "WBLK" (57 42 4C 4B): lets a reader
 *                          find the next block after a damaged one
 *        offset 4   u32    payload length L in bytes, 0 < L <= 16 MiB
 *        offset 8   u32    sequence number: 0 for the first block, +1 each
 *        offset 12  u32    CRC32C (Castagnoli, reflected polynomial
 *                          0x82F63B78, init 0xFFFFFFFF, final xor 0xFFFFFFFF,
 *                          as in iSCSI/ext4) of header bytes 0..11 followed by
 *                          the L payload bytes
 *        offset 16  L bytes of records
 *
 *    A block whose header or CRC does not check is damaged: the reader
 *    reports it (offset and reason) and searches forward, byte by byte, for
 *    the next "WBLK" whose CRC checks.  Bytes after the last whole block are
 *    a torn tail (the writer was killed mid-write): reported, never read.
 *    A gap in sequence numbers means blocks were lost and is reported too.
 *
 * 5. Records, packed back to back inside a block payload; a record never
 *    spans two blocks
 *
 *        offset 0   u16    kind (WL_REC_*)
 *        offset 2   u16    flags, 0 in version 1.0
 *        offset 4   u32    body length B in bytes
 *        offset 8   B bytes of body
 *
 *    A reader skips a record whose kind it does not know, using B.  A record
 *    whose B runs past the end of its block makes the rest of that block
 *    unreadable (reported as damaged).
 *
 * 6. Record kinds and their bodies
 *
 *    WL_REC_META (1): key/value metadata.
 *        u16 count, then count times { str16 key, str16 value }.
 *        Values are text; numbers in decimal.  Several META records may
 *        appear (later keys add to or override earlier ones).  Keys the
 *        recorder writes in the first block:
 *            hostname, kernel (uname -sr), cpu_model, command (the recorded
 *            command line, arguments joined by single spaces), tool_version,
 *            start_realtime_ns (CLOCK_REALTIME, ns since the Unix epoch),
 *            start_monotonic_ns (CLOCK_MONOTONIC, ns), interval_ns (the
 *            requested sampling interval; 0 = as fast as possible)
 *        and, by source, keys such as gpu0.name, gpu0.uuid, gpu0.driver;
 *        under Slurm slurm.job_id, slurm.step_id, slurm.node_name,
 *        slurm.node_id, slurm.proc_id, slurm.local_id, slurm.job_num_nodes,
 *        slurm.job_nodelist, slurm.cluster_name.  At a clean stop the
 *        recorder writes a last META record with end_monotonic_ns,
 *        end_realtime_ns and exit_status: a trace without it was cut off.
 *        A trace merged from a job's nodes (`wattlog merge`) carries
 *        job.merged = 1 and the job.* keys of include/wattlog/merge.h.
 *        Unknown keys are kept and shown, never an error.
 *
 *    WL_REC_CHANNEL (2): declares one channel before any sample uses it.
 *        u16 id           unique in the file (0..65534; 65535 is reserved)
 *        u8  kind         WL_KIND_GAUGE (0): a value at an instant;
 *                         WL_KIND_COUNTER (1): a cumulative count that may
 *                         wrap: physical = raw * scale, and when a later raw
 *                         is smaller the counter wrapped once past `wrap`
 *        u8  type         how a sample value's 8 bytes read: WL_TYPE_F64 (0),
 *                         WL_TYPE_U64 (1), WL_TYPE_I64 (2, two's complement)
 *        u64 wrap         counter wrap range in raw units (the value after
 *                         which it restarts at 0), 0 = none or unknown
 *        f64 scale        physical value = raw value * scale, in `unit`
 *        str16 source     e.g. "rapl", "powercap", "procfs", "nvml"
 *        str16 name       e.g. "package-0", "power", "cpu_busy"
 *        str16 unit       e.g. "uJ", "W", "mW", "%", "MHz", "C", "B", "B/s"
 *        str16 device     e.g. "package-0", "gpu0", "cpu3", "" for host-wide
 *      since version 1.1, what the channel means, so that no reader parses
 *      names (a record of version 1.0 ends at device: a reader derives
 *      both from source and name by the rules of version 1.0):
 *        u8  quantity     enum wl_quantity: what is measured (power, energy,
 *                         activity, clock, temperature, memory, traffic,
 *                         other); 0 = the writer states no meaning: a reader
 *                         derives quantity and an empty component as for 1.0
 *        str16 component  the energy component whose power or energy this
 *                         is: "cpu", "dram", "gpuN", a rail, "node", "psys";
 *                         "" = none (not part of any component's energy)
 *
 *    WL_REC_SAMPLE (3): values of one source read at one instant.
 *        u64 t_ns         CLOCK_MONOTONIC at the read, ns
 *        then (B - 8) / 10 times { u16 channel id, u8[8] value }
 *        A channel with no value in a sample (not read this time, or the
 *        read failed) is simply not listed: absent, never 0.  Sources run at
 *        their own rates, so each source writes its own sample records.
 *
 *    WL_REC_MARKER (4): a phase or request boundary sent by the workload.
 *        u64 t_ns         CLOCK_MONOTONIC: on receipt, or the sender's own
 *                         stamp when WL_MARKER_SENDER_TIME is set
 *        u32 flags        WL_MARKER_*
 *        then B - 12 bytes of text, e.g. "begin prefill", "end request 42"
 *
 *    WL_REC_SYNC (5): pairs the two clocks, written at start and every few
 *        seconds, so wall-clock alignment survives suspend and clock steps.
 *        u64 monotonic_ns, u64 realtime_ns (ns since the Unix epoch)
 *
 *    WL_REC_LOG (6): something the recorder wants a later reader to know
 *        (a source unavailable and why, a sensor lost, a write error).
 *        u64 t_ns, u8 level (WL_LOG_*), then B - 9 bytes of text
 *
 * 7. Limits a reader may rely on: payload <= 16 MiB; at most 65535 channels;
 *    a channel record precedes every sample that lists its id (a sample
 *    listing an unknown id is reported as damaged data, not guessed at).
 */
#ifndef WATTLOG_TRACE_FORMAT_H
#define WATTLOG_TRACE_FORMAT_H

#define WL_FILE_MAGIC        "WLOG"
#define WL_FILE_BOM          0x0A0B0C0Du
#define WL_FILE_HEADER_SIZE  16
#define WL_VERSION_MAJOR     1
#define WL_VERSION_MINOR     1

#define WL_BLOCK_MAGIC       "WBLK"
#define WL_BLOCK_HEADER_SIZE 16
#define WL_BLOCK_MAX_PAYLOAD (16u << 20)

#define WL_RECORD_HEADER_SIZE 8

enum wl_record_kind {
	WL_REC_META = 1,
	WL_REC_CHANNEL = 2,
	WL_REC_SAMPLE = 3,
	WL_REC_MARKER = 4,
	WL_REC_SYNC = 5,
	WL_REC_LOG = 6,
};

enum wl_channel_kind {
	WL_KIND_GAUGE = 0,
	WL_KIND_COUNTER = 1,
};

enum wl_quantity {
	WL_Q_UNSTATED = 0,
	WL_Q_POWER = 1,
	WL_Q_ENERGY = 2,
	WL_Q_ACTIVITY = 3,
	WL_Q_CLOCK = 4,
	WL_Q_TEMPERATURE = 5,
	WL_Q_MEMORY = 6,
	WL_Q_TRAFFIC = 7,
	WL_Q_OTHER = 8,
};

enum wl_value_type {
	WL_TYPE_F64 = 0,
	WL_TYPE_U64 = 1,
	WL_TYPE_I64 = 2,
};

#define WL_SAMPLE_ENTRY_SIZE 10 /* u16 id + 8 value bytes */
#define WL_CHANNEL_ID_NONE   0xFFFFu

enum wl_marker_flags {
	WL_MARKER_SENDER_TIME = 1u << 0, /* t_ns came from the sender */
	WL_MARKER_TRUTH = 1u << 1,       /* ground truth from `wattlog simulate`:
					    shown, but ignored by --auto */
};

enum wl_log_level {
	WL_LOG_INFO = 0,
	WL_LOG_WARN = 1,
	WL_LOG_ERROR = 2,
};

#endif
