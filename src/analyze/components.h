/*
 * components.h - private to src/analyze: which channels make up each energy
 * component, by precedence class (counter > instant power > averaged power).
 */
#ifndef WATTLOG_ANALYZE_COMPONENTS_H
#define WATTLOG_ANALYZE_COMPONENTS_H

#include <stddef.h>

#include "wattlog/analysis.h"

enum { WL_CLASS_COUNTER = 0, WL_CLASS_INSTANT = 1, WL_CLASS_GAUGE = 2, WL_NCLASS = 3 };

struct wl_comp_plan {
	char name[64];
	size_t *ch[WL_NCLASS]; /* channel indices in ds */
	size_t nch[WL_NCLASS];
};

/* The components of ds in order of first appearance.  *plan malloc'd;
 * release with wl_comp_plan_free.  0 or -1 (out of memory). */
int wl_comp_plan_build(const struct wl_dataset *ds, struct wl_comp_plan **plan, size_t *n);
void wl_comp_plan_free(struct wl_comp_plan *plan, size_t n);
/* The best class present in a plan entry (WL_NCLASS if none). */
int wl_comp_plan_best(const struct wl_comp_plan *p);
/* The best gauge class present (WL_NCLASS if none). */
int wl_comp_plan_best_gauge(const struct wl_comp_plan *p);

/* Sums series (each with its own timestamps) on the grid of the longest:
 * counters by the average power of each grid interval, gauges by linear
 * interpolation at the grid times; NaN where one has no data.  With one
 * series, a copy.  0 or -1. */
int wl_series_sum(const struct wl_series *s, size_t n, const char *name,
		  struct wl_series *out, struct wl_error *err);

#endif
