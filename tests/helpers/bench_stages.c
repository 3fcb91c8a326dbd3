/*
 * bench_stages.c - wall time of each report stage on one file, for the
 * report benchmark:  bench_stages FILE
 * Prints "stage seconds" lines: ingest, energy, stats, resample,
 * correlation, phases (wl_phases_find: segmentation and phase energies),
 * wall time and, for phases, its CPU time too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wattlog/analysis.h"
#include "wattlog/ingest.h"
#include "wattlog/phases.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_metric_stats *m;
	struct wl_grid g;
	struct wl_correlation c;
	struct wl_error err;
	struct wl_phase_list pl;
	clock_t c0;
	size_t n;
	double t;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_stages FILE\n");
		return 2;
	}
	wl_dataset_init(&ds);
	t = now();
	if (wl_ingest(argv[1], NULL, &ds, &err))
		goto fail;
	printf("ingest %.3f\n", now() - t);
	t = now();
	if (wl_energy_compute(&ds, NULL, &ds, &e, &err))
		goto fail;
	printf("energy %.3f\n", now() - t);
	t = now();
	if (wl_stats_dataset(&ds, NULL, &m, &n, NULL, &err))
		goto fail;
	printf("stats %.3f\n", now() - t);
	t = now();
	if (wl_resample(&ds, NULL, &g, &err))
		goto fail;
	printf("resample %.3f\n", now() - t);
	t = now();
	if (wl_correlation_compute(&g, NULL, &c, &err))
		goto fail;
	printf("correlation %.3f\n", now() - t);
	t = now();
	c0 = clock();
	wl_phase_list_init(&pl);
	if (wl_phases_find(&ds, NULL, &pl, &err))
		goto fail;
	printf("phases %.3f (cpu %.3f s, %zu phases)\n", now() - t,
	       (double)(clock() - c0) / CLOCKS_PER_SEC, pl.n);
	wl_phase_list_release(&pl);
	wl_correlation_release(&c);
	wl_grid_release(&g);
	free(m);
	wl_energy_release(&e);
	wl_dataset_release(&ds);
	return 0;
fail:
	fprintf(stderr, "bench_stages: %s\n", err.msg);
	return 2;
}
