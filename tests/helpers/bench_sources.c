/*
 * bench_sources.c - the per-sample cost of the recorder's host sources
 * (procfs, powercap, rapl), sample() called back to back.
 *
 *   bench_sources [-n N] [-S SYSFS_ROOT] [-P PROCFS_ROOT] [-c PID]
 *
 * Defaults: N = 100000, SYSFS_ROOT = $WL_ROOT/fixtures/sysfs/two-pkg (a fake
 * powercap tree, as floor.c reads), PROCFS_ROOT = /proc, PID = 0 (no process
 * tree; -c $$ adds tree_cpu_time, read every 100 ms).  Prints one JSON line
 * per source that opens, then one for all of them sampled together (the
 * figure to compare with ../shared/bench/floor.c -n N on the same tree):
 *   {"tool":"bench_sources","source":"procfs","n":100000,"channels":7,
 *    "med_us":..,"p99_us":..,"mean_us":..,"cpu_us_per_sample":..,
 *    "samples_per_s":..}
 * A source that does not open prints {"source":..,"unavailable":"why"}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "wattlog/source.h"

#define MAXCH 4096

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static union wl_value vals[MAXCH];
static unsigned char present[MAXCH];

/* Samples the open sources st[0..k) n times; prints one JSON line. */
static void run(const char *label, const struct wl_source_ops **ops, void **st, size_t k,
		size_t nch, size_t nprint, uint64_t n, uint64_t *d)
{
	struct wl_error err;
	struct rusage r0, r1;
	uint64_t t0, t1, i, T0, T1;
	double mean = 0, cpu;
	size_t j;

	getrusage(RUSAGE_SELF, &r0);
	T0 = now_ns();
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		for (j = 0; j < k; j++) {
			memset(present, 0, nch);
			ops[j]->sample(st[j], t0, vals, present, &err);
		}
		t1 = now_ns();
		d[i] = t1 - t0;
	}
	T1 = now_ns();
	getrusage(RUSAGE_SELF, &r1);
	for (i = 0; i < n; i++)
		mean += (double)d[i];
	mean /= (double)n;
	qsort(d, n, sizeof(*d), cmp_u64);
	cpu = tv(r1.ru_utime) - tv(r0.ru_utime) + tv(r1.ru_stime) - tv(r0.ru_stime);
	printf("{\"tool\":\"bench_sources\",\"source\":\"%s\",\"n\":%llu,\"channels\":%zu,"
	       "\"med_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f,\"cpu_us_per_sample\":%.3f,"
	       "\"samples_per_s\":%.1f}\n",
	       label, (unsigned long long)n, nprint, (double)d[n / 2] / 1e3,
	       (double)d[(size_t)((double)(n - 1) * 0.99)] / 1e3, mean / 1e3, 1e6 * cpu / (double)n,
	       (double)n / ((double)(T1 - T0) / 1e9));
}

int main(int argc, char **argv)
{
	const struct wl_source_ops *all[] = {&wl_source_procfs, &wl_source_powercap,
					     &wl_source_perf_power};
	const struct wl_source_ops *ok[3];
	struct wl_source_opts o = {0};
	struct wl_error err;
	char sysfs[4096];
	const char *root = getenv("WL_ROOT");
	uint64_t n = 100000, *d;
	void *st[3];
	size_t k = 0, nch = 0, ntot = 0, i;
	int c;

	snprintf(sysfs, sizeof(sysfs), "%s/fixtures/sysfs/two-pkg", root ? root : ".");
	o.sysfs_root = sysfs;
	o.procfs_root = "/proc";
	while ((c = getopt(argc, argv, "n:S:P:c:")) != -1) {
		switch (c) {
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'S': o.sysfs_root = optarg; break;
		case 'P': o.procfs_root = optarg; break;
		case 'c': o.child = (pid_t)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_sources [-n N] [-S SYSFS] [-P PROCFS] [-c PID]\n");
			return 2;
		}
	}
	if (n < 1 || !(d = malloc(n * sizeof(*d))))
		return 1;
	/* rapl before powercap would make powercap stand down: open it last. */
	for (i = 0; i < 3; i++) {
		const struct wl_source_desc *desc;

		if (all[i]->open(&st[k], &o, &err) < 0) {
			for (char *q = err.msg; *q; q++)
				if (*q == '"' || *q == '\\' || (unsigned char)*q < 0x20)
					*q = '\'';
			printf("{\"tool\":\"bench_sources\",\"source\":\"%s\",\"unavailable\":\"%s\"}\n",
			       all[i]->name, err.msg);
			continue;
		}
		desc = all[i]->describe(st[k]);
		if (desc->n > MAXCH)
			return 1;
		memset(present, 0, desc->n);
		all[i]->sample(st[k], now_ns(), vals, present, &err); /* warm up */
		ok[k] = all[i];
		run(all[i]->name, &ok[k], &st[k], 1, desc->n, desc->n, n, d);
		nch = desc->n > nch ? desc->n : nch;
		ntot += desc->n;
		k++;
	}
	if (k > 1)
		run("all", ok, st, k, nch, ntot, n, d);
	for (i = 0; i < k; i++)
		ok[i]->close(st[i]);
	free(d);
	if (fflush(stdout) != 0)
		return 1;
	return 0;
}
