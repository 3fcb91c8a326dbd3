/*
 * mkbench_trace.c - a large synthetic wattlog trace for the report
 * benchmark:  mkbench_trace OUT SECONDS [RATE_HZ [CHANNELS]]
 *
 * One source "rapl" (counters named as the recorder names them: package-0, uJ, wrap 2^32 uJ; dram
 * energy counter) and one source "nvml" (the other CHANNELS - 2 channels,
 * default 30 in all: per GPU power.draw W, energy mJ counter, temperature,
 * utilization, SM clock, memory used, PCIe rx), all sampled at RATE_HZ
 * (default 1000) for SECONDS; load follows a slow square wave with noise so
 * the statistics and correlations are not trivial.  Prints the sample count.
 */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace.h"

static struct wl_error err;

static void check(int rc)
{
	if (rc) {
		fprintf(stderr, "mkbench_trace: %s\n", err.msg);
		exit(2);
	}
}

static const char *const gpu_metric[][3] = {
	{ "power.draw", "W", "g" }, { "energy", "mJ", "c" }, { "temperature.gpu", "C", "g" },
	{ "utilization.gpu", "%", "g" }, { "clocks.sm", "MHz", "g" }, { "memory.used", "MiB", "g" },
	{ "pcie.rx", "MiB/s", "g" },
};
#define NGM (sizeof(gpu_metric) / sizeof(gpu_metric[0]))

int main(int argc, char **argv)
{
	static const struct wl_kv meta[] = {
		{ "hostname", "benchhost" }, { "start_realtime_ns", "1700000000000000000" },
		{ "start_monotonic_ns", "1000000000" }, { "command", "mkbench_trace" },
		{ "tool_version", "bench" },
	};
	double secs, rate;
	size_t nch, i, n, k;
	uint64_t dt_ns, pkg = 0, dram = 0, *gpu_e;
	uint16_t *ids;
	union wl_value *v;
	struct wl_writer *w;
	unsigned x = 1;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: mkbench_trace OUT SECONDS [RATE_HZ [CHANNELS]]\n");
		return 2;
	}
	secs = atof(argv[2]);
	rate = argc > 3 ? atof(argv[3]) : 1000;
	nch = argc > 4 ? strtoul(argv[4], NULL, 10) : 30;
	if (!(secs > 0) || !(rate > 0) || nch < 3) {
		fprintf(stderr, "mkbench_trace: bad arguments\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	w = wl_writer_open_named(fd, argv[1], 0, &err);
	check(!w);
	check(wl_writer_meta(w, meta, sizeof(meta) / sizeof(meta[0]), &err));
	ids = calloc(nch, sizeof(*ids));
	v = calloc(nch, sizeof(*v));
	gpu_e = calloc(nch, sizeof(*gpu_e));
	for (i = 0; i < nch; i++) {
		struct wl_chan_info c;

		memset(&c, 0, sizeof(c));
		c.id = (uint16_t)(i + 1);
		c.scale = 1.0;
		if (i < 2) {
			c.kind = WL_KIND_COUNTER;
			c.type = WL_TYPE_U64;
			c.wrap = 1ull << 32;
			snprintf(c.source, sizeof(c.source), "rapl");
			snprintf(c.name, sizeof(c.name), i ? "dram" : "package-0");
			snprintf(c.unit, sizeof(c.unit), "uJ");
			snprintf(c.device, sizeof(c.device), i ? "dram" : "package-0");
		} else {
			size_t m = (i - 2) % NGM;
			c.kind = gpu_metric[m][2][0] == 'c' ? WL_KIND_COUNTER : WL_KIND_GAUGE;
			c.type = c.kind == WL_KIND_COUNTER ? WL_TYPE_U64 : WL_TYPE_F64;
			snprintf(c.source, sizeof(c.source), "nvml");
			snprintf(c.name, sizeof(c.name), "%s", gpu_metric[m][0]);
			snprintf(c.unit, sizeof(c.unit), "%s", gpu_metric[m][1]);
			snprintf(c.device, sizeof(c.device), "gpu%zu", (i - 2) / NGM);
		}
		check(wl_writer_channel(w, &c, &err));
		ids[i] = c.id;
	}
	n = (size_t)(secs * rate);
	dt_ns = (uint64_t)(1e9 / rate);
	for (k = 0; k < n; k++) {
		double t = (double)k / rate, load = fmod(t, 20.0) < 12.0 ? 1.0 : 0.2;
		for (i = 0; i < nch; i++) {
			double noise;
			x = x * 1103515245u + 12345u;
			noise = ((double)(x >> 8) / (1 << 24) - 0.5);
			if (i == 0) {
				pkg = (pkg + (uint64_t)((60 + 80 * load + 5 * noise) * 1e6 / rate)) &
				      ((1ull << 32) - 1);
				v[i].u = pkg;
			} else if (i == 1) {
				dram = (dram + (uint64_t)((8 + 4 * load + noise) * 1e6 / rate)) &
				       ((1ull << 32) - 1);
				v[i].u = dram;
			} else {
				size_t m = (i - 2) % NGM;
				double p = 80 + 220 * load + 10 * noise;
				switch (m) {
				case 0: v[i].f = p; break;
				case 1: gpu_e[i] += (uint64_t)(p * 1e3 / rate); v[i].u = gpu_e[i]; break;
				case 2: v[i].f = 40 + 25 * load + noise; break;
				case 3: v[i].f = 100 * load + 5 * noise; break;
				case 4: v[i].f = 1410 - 300 * load + 15 * noise; break;
				case 5: v[i].f = 70000 + 100 * noise; break;
				default: v[i].f = 50 * (1 - load) + 3 * noise; break;
				}
			}
		}
		check(wl_writer_sample(w, 1000000000ull + (k + 1) * dt_ns, ids, v, nch, &err));
	}
	check(wl_writer_flush(w, &err));
	wl_writer_free(w);
	free(ids);
	free(v);
	free(gpu_e);
	if (close(fd)) {
		perror(argv[1]);
		return 2;
	}
	printf("samples=%zu channels=%zu\n", n, nch);
	return 0;
}
