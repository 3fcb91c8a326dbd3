/*
 * analysis.h - the analyzer's pipeline stages after ingest, without I/O:
 * normalize (counters to watts) -> energy -> stats -> correlation.  Each
 * stage is a function over in-memory data that fills a result and an error.
 *
 * This header's first part is a contract other modules rely on (phases,
 * figures, compare); the analysis module extends the rest.
 */
#ifndef WATTLOG_ANALYSIS_H
#define WATTLOG_ANALYSIS_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"

/* A power time series in watts: one component ("cpu", "dram", "gpu0",
 * "VDD_IN", "psys", ...) or the total.  For a series from a counter, sample
 * i is the average power over the interval (t[i-1], t[i]] and p[0] is NaN;
 * for a series from a gauge, p[i] is the reading at t[i]. */
struct wl_series {
	char name[64];
	int from_counter; /* 1: interval averages (exact energy by sum);
			     0: instantaneous readings (trapezoid rule) */
	size_t n;
	double *t; /* s since the dataset's origin */
	double *p; /* W */
};

void wl_series_release(struct wl_series *s);

/*
 * The power of each energy component of ds, as the report counts it
 * (cpu = sum of RAPL packages without their subzones again, dram, gpuN, each
 * Jetson rail, psys kept apart), after counter normalization.  *out is a
 * malloc'd array of *n series; free each with wl_series_release, then free().
 * Returns 0 or -1 with err.
 */
int wl_power_components(const struct wl_dataset *ds, struct wl_series **out, size_t *n,
			struct wl_error *err);

/* Energy in J of one series between t0 and t1 (s since origin), counting
 * partial intervals in proportion to their overlap; exact for counter
 * series, trapezoid rule for gauges.  0 when the window holds no data. */
double wl_series_energy(const struct wl_series *s, double t0, double t1);

#endif
