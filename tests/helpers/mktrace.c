/*
 * mktrace.c - writes a deterministic wattlog trace whose content is known by
 * construction, for the end-to-end tests:  mktrace OUT [BLOCK_BYTES]
 *
 * Truth (all times relative to start_monotonic_ns = 1 000 000 000 ns):
 *   meta: hostname=mkhost, start_realtime_ns=1700000000000000000,
 *         start_monotonic_ns=1000000000, interval_ns=1000000, command=mktrace
 *   source "rapl" at 1000 Hz: sample i (0..1999) at t = (i + 1) ms, channel 1
 *         "package-0" (device package-0), counter u64 uJ, wrap 1000000, scale 1:
 *         raw = (25000 (i + 1)) mod 1000000, i.e. 25 W, wrapping every 40 samples
 *   source "nvml" at 10 Hz: sample k (0..19) at t = 100 k ms + 50 us, device gpu0:
 *         channel 10 "power.draw" gauge f64 W = 100 + 0.5 k;
 *         channel 11 "energy" counter u64 mJ scale 1 = 10000 k;
 *         channel 12 "temperature.gpu" gauge i64 C, scale 0.5, raw = k mod 7 - 3
 *         (listed only in even k: absent in odd samples)
 *   markers: "begin prefill" 0.5 s, "end prefill" 1.0 s, "begin decode" 1.0 s
 *         (flag WL_MARKER_SENDER_TIME), "end decode" 1.8 s
 *   sync every 0.5 s from t = 0 (5 records): realtime = 1700000000000000000
 *         + t + 250 ns (so t0_realtime = 1700000000.00000025 s)
 *   log: level warn at 0.25 s, "nvml: fan speed unavailable"
 * It prints these counts as key=value lines on stdout.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace.h"

#define T0 1000000000ull
#define MS 1000000ull

static struct wl_writer *w;
static struct wl_error err;

static void check(int rc)
{
	if (rc) {
		fprintf(stderr, "mktrace: %s\n", err.msg);
		exit(2);
	}
}

static void declare(uint16_t id, uint8_t kind, uint8_t type, uint64_t wrap, double scale,
		    const char *src, const char *name, const char *unit, const char *dev)
{
	struct wl_chan_info c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.kind = kind;
	c.type = type;
	c.wrap = wrap;
	c.scale = scale;
	snprintf(c.source, sizeof(c.source), "%s", src);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.unit, sizeof(c.unit), "%s", unit);
	snprintf(c.device, sizeof(c.device), "%s", dev);
	check(wl_writer_channel(w, &c, &err));
}

int main(int argc, char **argv)
{
	static const struct wl_kv meta[] = {
		{ "hostname", "mkhost" },
		{ "start_realtime_ns", "1700000000000000000" },
		{ "start_monotonic_ns", "1000000000" },
		{ "interval_ns", "1000000" },
		{ "command", "mktrace" },
		{ "tool_version", "test" },
		{ "gpu0.name", "Fake GPU, 80 GB" },
	};
	static const struct { uint64_t t; uint32_t flags; const char *text; } mk[] = {
		{ 500 * MS, 0, "begin prefill" },
		{ 1000 * MS, 0, "end prefill" },
		{ 1000 * MS, WL_MARKER_SENDER_TIME, "begin decode" },
		{ 1800 * MS, 0, "end decode" },
	};
	size_t block = argc > 2 ? strtoul(argv[2], NULL, 10) : 1024;
	uint64_t t, next_rapl = 1 * MS, next_nvml = 50000, next_sync = 0;
	unsigned i = 0, k = 0, m = 0, nsync = 0, logged = 0;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: mktrace OUT [BLOCK_BYTES]\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	w = wl_writer_open_named(fd, argv[1], block, &err);
	check(!w);
	check(wl_writer_meta(w, meta, sizeof(meta) / sizeof(meta[0]), &err));
	declare(1, WL_KIND_COUNTER, WL_TYPE_U64, 1000000, 1.0, "rapl", "package-0", "uJ",
		"package-0");
	declare(10, WL_KIND_GAUGE, WL_TYPE_F64, 0, 1.0, "nvml", "power.draw", "W", "gpu0");
	declare(11, WL_KIND_COUNTER, WL_TYPE_U64, 0, 1.0, "nvml", "energy", "mJ", "gpu0");
	declare(12, WL_KIND_GAUGE, WL_TYPE_I64, 0, 0.5, "nvml", "temperature.gpu", "C", "gpu0");
	/* Merge the event streams in time order (ties: sync, log, marker, rapl, nvml). */
	for (;;) {
		t = UINT64_MAX;
		if (nsync < 5 && next_sync < t)
			t = next_sync;
		if (i < 2000 && next_rapl < t)
			t = next_rapl;
		if (k < 20 && next_nvml < t)
			t = next_nvml;
		if (m < 4 && mk[m].t < t)
			t = mk[m].t;
		if (!logged && 250 * MS < t)
			t = 250 * MS;
		if (t == UINT64_MAX)
			break;
		if (nsync < 5 && next_sync == t) {
			check(wl_writer_sync(w, T0 + t, 1700000000000000000ull + t + 250, &err));
			nsync++;
			next_sync += 500 * MS;
		}
		if (!logged && t == 250 * MS) {
			check(wl_writer_log(w, T0 + t, WL_LOG_WARN, "nvml: fan speed unavailable", &err));
			logged = 1;
		}
		while (m < 4 && mk[m].t == t) {
			check(wl_writer_marker(w, T0 + t, mk[m].flags, mk[m].text, strlen(mk[m].text),
					       &err));
			m++;
		}
		if (i < 2000 && next_rapl == t) {
			uint16_t id = 1;
			union wl_value v = { .u = (25000ull * (i + 1)) % 1000000 };

			check(wl_writer_sample(w, T0 + t, &id, &v, 1, &err));
			i++;
			next_rapl += MS;
		}
		if (k < 20 && next_nvml == t) {
			uint16_t ids[3] = { 10, 11, 12 };
			union wl_value v[3];

			v[0].f = 100 + 0.5 * k;
			v[1].u = 10000ull * k;
			v[2].i = (int64_t)(k % 7) - 3;
			check(wl_writer_sample(w, T0 + t, ids, v, k % 2 ? 2 : 3, &err));
			k++;
			next_nvml += 100 * MS;
		}
	}
	check(wl_writer_flush(w, &err));
	printf("samples.rapl=%u\nsamples.nvml=%u\nmarkers=%u\nsync=%u\nlogs=1\nblocks=%llu\n", i, k,
	       m, nsync, (unsigned long long)wl_writer_blocks(w));
	wl_writer_free(w);
	if (close(fd)) {
		perror(argv[1]);
		return 2;
	}
	return 0;
}
