/*
 * trace_mixed.c - writes a small wattlog trace mixing what the power
 * figure must handle, for t50's "streamed == loaded" check:
 *
 *   trace_mixed OUT N [markers] [twopkg]
 *
 * N samples at 20 Hz of: gpu0 power.draw (W, gauge) and energy (mJ, u64
 * counter: the counter wins), gpu1 power.draw (mW, gauge), powercap
 * package-0 (uJ, u64 counter wrapping at 2^28 uJ = 268 J, every ~2 s, and
 * updated on every other read only) with its core subzone, dram (uJ
 * counter), and activity gauges (utilization.gpu, sm_active).  Power
 * steps between 100 W and 300 W every 15 s.  `markers`: begin/end
 * prefill and decode windows; `twopkg`: a package-1 too (cpu is then a sum
 * of two channels).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace.h"

static int chan(struct wl_writer *w, uint16_t id, const char *src, const char *dev,
		const char *name, const char *unit, int counter, uint64_t wrap,
		struct wl_error *err)
{
	struct wl_chan_info c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.kind = counter ? WL_KIND_COUNTER : WL_KIND_GAUGE;
	c.type = counter ? WL_TYPE_U64 : WL_TYPE_F64;
	c.wrap = wrap;
	c.scale = 1;
	snprintf(c.source, sizeof(c.source), "%s", src);
	snprintf(c.device, sizeof(c.device), "%s", dev);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.unit, sizeof(c.unit), "%s", unit);
	return wl_writer_channel(w, &c, err);
}

int main(int argc, char **argv)
{
	struct wl_error err = { "" };
	struct wl_kv kv[2] = { { "start_monotonic_ns", "1000000000" }, { "hostname", "mixed" } };
	struct wl_writer *w;
	uint16_t ids[16];
	union wl_value v[16];
	uint64_t e_gpu = 0, e_pkg = 0, e_pkg1 = 0, e_dram = 0, t_ns;
	const uint64_t wrap = 1ull << 28;
	long n, k;
	int fd, rc = 0, markers = 0, twopkg = 0, i;
	size_t m;

	if (argc < 3 || (n = atol(argv[2])) < 2) {
		fprintf(stderr, "usage: trace_mixed OUT N [markers] [twopkg]\n");
		return 2;
	}
	for (i = 3; i < argc; i++) {
		markers |= !strcmp(argv[i], "markers");
		twopkg |= !strcmp(argv[i], "twopkg");
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !(w = wl_writer_open(fd, 4096, &err))) {
		fprintf(stderr, "trace_mixed: cannot write '%s' %s\n", argv[1], err.msg);
		return 1;
	}
	rc |= wl_writer_meta(w, kv, 2, &err);
	rc |= chan(w, 0, "nvml", "gpu0", "power.draw", "W", 0, 0, &err);
	rc |= chan(w, 1, "nvml", "gpu0", "energy", "mJ", 1, 0, &err);
	rc |= chan(w, 2, "nvml", "gpu1", "power.draw", "mW", 0, 0, &err);
	rc |= chan(w, 3, "powercap", "package-0", "package-0", "uJ", 1, wrap, &err);
	rc |= chan(w, 4, "powercap", "package-0", "core", "uJ", 1, wrap, &err);
	rc |= chan(w, 5, "powercap", "package-0", "dram", "uJ", 1, 1ull << 36, &err);
	rc |= chan(w, 6, "nvml", "gpu0", "utilization.gpu", "%", 0, 0, &err);
	rc |= chan(w, 7, "nvml", "gpu0", "sm_active", "%", 0, 0, &err);
	if (twopkg)
		rc |= chan(w, 8, "powercap", "package-1", "package-1", "uJ", 1, wrap, &err);
	for (k = 0; k < n && rc == 0; k++) {
		/* 20 Hz with a little jitter; a 100/300 W square wave of 30 s */
		double t = k * 0.05 + (double)((k * 7919) % 11) * 1e-4;
		int hi = ((long)(t / 15)) % 2;
		double noise = (double)((k * 2654435761u) % 1000) / 100.0;
		double pg = (hi ? 300 : 100) + noise, pc = (hi ? 120 : 40) + noise / 2;

		t_ns = 1000000000ull + (uint64_t)(t * 1e9);
		if (markers && k % 300 == 0)
			rc |= wl_writer_marker(w, t_ns, 0, hi ? "begin prefill" : "begin decode",
					       hi ? 13 : 12, &err);
		e_gpu += (uint64_t)(pg * 50);        /* mJ in 50 ms */
		if (k % 2 == 0) {                     /* package updated every other read */
			e_pkg += (uint64_t)(pc * 1e5); /* uJ in 100 ms */
			e_pkg1 += (uint64_t)(pc * 0.5e5);
		}
		e_dram += (uint64_t)(10 * 5e4);
		m = 0;
		ids[m] = 0, v[m++].f = pg;
		ids[m] = 1, v[m++].u = e_gpu;
		ids[m] = 2, v[m++].f = (pg / 2) * 1000;
		ids[m] = 3, v[m++].u = e_pkg % wrap;
		ids[m] = 4, v[m++].u = (e_pkg / 2) % wrap;
		ids[m] = 5, v[m++].u = e_dram;
		ids[m] = 6, v[m++].f = hi ? 95 : 30;
		ids[m] = 7, v[m++].f = hi ? 80 : 20 + noise;
		if (twopkg)
			ids[m] = 8, v[m++].u = e_pkg1 % wrap;
		rc |= wl_writer_sample(w, t_ns, ids, v, m, &err);
		if (markers && k % 300 == 299)
			rc |= wl_writer_marker(w, t_ns, 0, hi ? "end prefill" : "end decode",
					       hi ? 11 : 10, &err);
	}
	if (rc == 0)
		rc = wl_writer_flush(w, &err);
	wl_writer_free(w);
	close(fd);
	if (rc) {
		fprintf(stderr, "trace_mixed: %s\n", err.msg);
		return 1;
	}
	return 0;
}
