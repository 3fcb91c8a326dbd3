/*
 * bench_nvml.c - the NVML source's own cost per sample(), against the fake
 * library (so what is timed is wattlog's code, not the driver's lock).
 *
 *   bench_nvml [-n N] [-g GPUS]
 *
 * Needs WATTLOG_NVML_LIB (the fake library) and WATTLOG_FAKE_NVML (a
 * script, e.g. fixtures/nvml/h100x2.txt).  Two schedules, N samples each:
 *   all_groups  time advances 1 s per call: every group is read each call
 *   grid_20ms   time advances 20 ms per call, as on the recorder's default
 *               grid: the fast group each call, the others at their periods
 * Prints one JSON line per schedule:
 *   {"tool":"bench_nvml","schedule":"all_groups","gpus":2,"channels":46,
 *    "n":N,"med_us":..,"p99_us":..,"mean_us":..}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wattlog/source.h"

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int run(const char *name, uint64_t step_ns, size_t n, const char *gpus)
{
	struct wl_source_opts o = { .gpus = gpus };
	const struct wl_source_desc *d;
	struct wl_error err = { { 0 } };
	union wl_value *vals;
	unsigned char *present;
	uint64_t *t, sum = 0, clock = 1000000000ull;
	void *st;
	size_t i, ngpu = 0;

	if (wl_source_nvml.open(&st, &o, &err) < 0) {
		printf("{\"tool\":\"bench_nvml\",\"unavailable\":\"%s\"}\n", err.msg);
		return -1;
	}
	d = wl_source_nvml.describe(st);
	vals = calloc(d->n + 1, sizeof(*vals));
	present = calloc(d->n + 1, 1);
	t = calloc(n, sizeof(*t));
	if (!vals || !present || !t) {
		fprintf(stderr, "bench_nvml: out of memory\n");
		return -1;
	}
	for (i = 0; i < d->nmeta; i++)
		ngpu += strstr(d->meta[i].key, ".name") != NULL;
	for (i = 0; i < n; i++) {
		uint64_t t0;

		memset(present, 0, d->n);
		clock += step_ns;
		t0 = now_ns();
		if (wl_source_nvml.sample(st, clock, vals, present, &err) < 0) {
			fprintf(stderr, "bench_nvml: sample failed: %s\n", err.msg);
			return -1;
		}
		t[i] = now_ns() - t0;
		sum += t[i];
	}
	qsort(t, n, sizeof(*t), cmp);
	printf("{\"tool\":\"bench_nvml\",\"schedule\":\"%s\",\"gpus\":%zu,\"channels\":%zu,"
	       "\"n\":%zu,\"med_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f}\n",
	       name, ngpu, d->n, n, t[n / 2] / 1e3, t[n * 99 / 100] / 1e3, sum / 1e3 / n);
	wl_source_nvml.close(st);
	free(vals);
	free(present);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = 100000;
	const char *gpus = NULL;
	int c;

	while ((c = getopt(argc, argv, "n:g:")) != -1) {
		if (c == 'n')
			n = strtoul(optarg, NULL, 10);
		else if (c == 'g')
			gpus = optarg;
		else {
			fprintf(stderr, "usage: bench_nvml [-n N] [-g GPUS]\n");
			return 2;
		}
	}
	if (n == 0)
		n = 1;
	if (run("all_groups", 1000000000ull, n, gpus) < 0 || run("grid_20ms", 20000000ull, n, gpus) < 0)
		return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}
