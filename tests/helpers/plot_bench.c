/*
 * plot_bench.c - the power figure for a long run, streamed through the
 * per-pixel-column envelopes (memory O(pixels) whatever the length):
 *
 *   plot_bench gen HOURS RATE_HZ CHANNELS OUT     samples generated in blocks
 *                                                 of 4096, fed as runs
 *                                                 (wl_envelope_feed_n), never
 *                                                 stored
 *   plot_bench write HOURS RATE_HZ CHANNELS TRACE a wattlog trace of them
 *                                                 (trace writer API), for
 *                                                 `wattlog plot` to read
 *
 * Prints the time and the peak RSS.  Channel c, sample k (t = k / rate):
 * P = 50 + 30 c + 200 [floor(t / 300) odd] + noise + spike, noise =
 * ((k * 2654435761 + 97 c) mod 2^32 >> 16 mod 1000) / 100 W, spike = 300 W
 * when k mod 3600000 = 1234.  The same formula is in
 * scripts/bench/plot_mpl.py.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "wattlog/plot.h"
#include "wattlog/trace.h"

#define MAXC 16

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The part of sample k common to all channels: square wave and spike. */
static double common(uint64_t k, double rate)
{
	return (((uint64_t)((double)k / rate / 300) & 1) ? 200 : 0) +
	       (k % 3600000 == 1234 ? 300 : 0);
}

static double sample_c(uint64_t k, size_t c, double com)
{
	uint32_t h = (uint32_t)(k * 2654435761u + 97u * c);

	return 50 + 30.0 * c + com + (double)((h >> 16) % 1000) / 100;
}

static double sample(uint64_t k, double rate, size_t c)
{
	return sample_c(k, c, common(k, rate));
}

static double rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024.0;
}

static int draw(const char *const *names, struct wl_envelope *env, size_t n, const char *out,
		double t0, const char *what, unsigned long long samples)
{
	struct wl_plot_opts o;
	struct wl_error err = { "" };
	double t1, t2;
	size_t c;

	wl_plot_opts_init(&o);
	if (wl_plot_format_from_path(out, &o.format) < 0)
		return 2;
	t1 = now();
	if (wl_fig_power_env(names, env, n, NULL, NULL, &o, out, &err) < 0) {
		fprintf(stderr, "plot_bench: %s\n", err.msg);
		return 1;
	}
	t2 = now();
	printf("power figure, %s: %llu samples: %.2f s (read/feed %.2f s, draw %.2f s), "
	       "peak RSS %.1f MiB\n", what, samples, t2 - t0, t1 - t0, t2 - t1, rss_mib());
	for (c = 0; c < n; c++)
		wl_envelope_release(&env[c]);
	return 0;
}

#define BLK 4096

static int gen(double hours, double rate, size_t nch, const char *out)
{
	static struct wl_envelope env[MAXC];
	static double bt[BLK], bc[BLK], bv[BLK];
	static char nb[MAXC][32];
	const char *names[MAXC];
	struct wl_plot_opts o;
	uint64_t k, n = (uint64_t)(hours * 3600 * rate);
	size_t c, cols;
	double t0 = now();
	char what[96];

	wl_plot_opts_init(&o);
	cols = wl_fig_power_columns(&o);
	for (c = 0; c < nch; c++) {
		snprintf(nb[c], sizeof(nb[c]), "gpu%zu", c);
		names[c] = nb[c];
		if (wl_envelope_init(&env[c], 0, (double)(n - 1) / rate, cols, cols) < 0)
			return 1;
	}
	/* Blocks of BLK samples: the times and the common part once, then
	 * each channel's values fed as a run (wl_envelope_feed_n). */
	for (k = 0; k < n; k += BLK) {
		size_t m = n - k < BLK ? (size_t)(n - k) : BLK, j;

		for (j = 0; j < m; j++) {
			bt[j] = (double)(k + j) / rate;
			bc[j] = common(k + j, rate);
		}
		for (c = 0; c < nch; c++) {
			for (j = 0; j < m; j++)
				bv[j] = sample_c(k + j, c, bc[j]);
			wl_envelope_feed_n(&env[c], bt, bv, m);
		}
	}
	snprintf(what, sizeof(what), "generated, %g h at %g Hz x %zu channels", hours, rate, nch);
	return draw(names, env, nch, out, t0, what, (unsigned long long)(n * nch));
}

static int write_trace(double hours, double rate, size_t nch, const char *path)
{
	struct wl_error err = { "" };
	struct wl_writer *w;
	struct wl_chan_info ci;
	struct wl_kv kv = { "start_monotonic_ns", "0" };
	uint16_t ids[MAXC];
	union wl_value v[MAXC];
	uint64_t k, n = (uint64_t)(hours * 3600 * rate);
	size_t c;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;
	double t0 = now();

	if (fd < 0 || !(w = wl_writer_open(fd, 0, &err))) {
		fprintf(stderr, "plot_bench: cannot write '%s' %s\n", path, err.msg);
		return 1;
	}
	rc |= wl_writer_meta(w, &kv, 1, &err);
	for (c = 0; c < nch; c++) {
		memset(&ci, 0, sizeof(ci));
		ci.id = (uint16_t)c;
		ci.kind = WL_KIND_GAUGE;
		ci.type = WL_TYPE_F64;
		ci.scale = 1;
		snprintf(ci.source, sizeof(ci.source), "nvml");
		snprintf(ci.name, sizeof(ci.name), "power.draw");
		snprintf(ci.unit, sizeof(ci.unit), "W");
		snprintf(ci.device, sizeof(ci.device), "gpu%zu", c);
		rc |= wl_writer_channel(w, &ci, &err);
		ids[c] = (uint16_t)c;
	}
	for (k = 0; k < n && rc == 0; k++) {
		for (c = 0; c < nch; c++)
			v[c].f = sample(k, rate, c);
		rc = wl_writer_sample(w, (uint64_t)((double)k / rate * 1e9), ids, v, nch, &err);
	}
	if (rc == 0)
		rc = wl_writer_flush(w, &err);
	wl_writer_free(w);
	close(fd);
	if (rc) {
		fprintf(stderr, "plot_bench: %s\n", err.msg);
		return 1;
	}
	printf("trace written: %g h at %g Hz x %zu channels in %.1f s\n", hours, rate, nch,
	       now() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && (!strcmp(argv[1], "gen") || !strcmp(argv[1], "write"))) {
		double hours = atof(argv[2]), rate = atof(argv[3]);
		int nch = atoi(argv[4]);

		if (!(hours > 0) || !(rate > 0) || nch < 1 || nch > MAXC) {
			fprintf(stderr, "plot_bench: bad arguments\n");
			return 2;
		}
		return argv[1][0] == 'g' ? gen(hours, rate, (size_t)nch, argv[5]) :
		       write_trace(hours, rate, (size_t)nch, argv[5]);
	}
	fprintf(stderr, "usage: plot_bench gen|write HOURS RATE_HZ CHANNELS OUT\n");
	return 2;
}
