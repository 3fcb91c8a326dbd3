/*
 * components.h - the stages' (src/analyze/stages/) view of which channels make up each energy
 * component, by precedence class (counter > instant power > averaged power).
 */
#ifndef WATTLOG_ANALYZE_COMPONENTS_H
#define WATTLOG_ANALYZE_COMPONENTS_H

#include <stddef.h>

#include "wattlog/analysis.h"

/* WL_CLASS_* and their precedence: energy_rule.h */

struct wl_comp_plan {
	char name[64];
	char node[64]; /* its channels' node (struct wl_channel), "" none */
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

/*
 * The choice of a component's channel class, shared by the in-memory and
 * streaming paths: the class whose channels cover the component's span
 * best, counter > instant power > averaged power where they cover alike
 * (within 1 % of the span).  Coverage: the time of intervals no longer than
 * the component's coverage bound (wl_comp_cover_bound) between the
 * component's first and last point in the window, the least of a class's
 * channels; a power.draw.instant present in 2 rows of a 100 s log, or an
 * energy counter that stops after 20 reads, covers little and loses.
 */
/* The coverage bound: the largest own bound (WL_MAX_GAP_FACTOR x median
 * interval, bound[i] for dataset channel i) of p's channels sampled
 * regularly (bound at most a quarter of their span last[i] - first[i]);
 * without one, the largest bound. */
double wl_comp_cover_bound(const struct wl_comp_plan *p, const double *bound,
			   const double *first, const double *last);
/* acc[i]: dataset channel i's accumulator (fed, ended), for p's channels.
 * cov[k]: coverage of class k (0..1, NaN when absent).  The class chosen
 * (WL_NCLASS when p has none). */
int wl_comp_choose(const struct wl_comp_plan *p, const struct wl_energy_acc *acc,
		   double cov[WL_NCLASS]);
/* The best gauge class by the same rule (WL_NCLASS if none). */
int wl_comp_choose_gauge(const struct wl_comp_plan *p, const double cov[WL_NCLASS]);
/* Fills ce (all but peak_power_w) from the accumulators of p's channels,
 * class k chosen: energies, duration, average power, gaps and bridged
 * energy with its bounds; adds to warn (may be NULL) the gaps, the channel
 * preferred and a counter/gauge disagreement above 5 %. */
void wl_comp_energy_fill(const struct wl_dataset *ds, const struct wl_comp_plan *p,
			 const struct wl_energy_acc *acc, int k, const double cov[WL_NCLASS],
			 struct wl_dataset *warn, struct wl_component_energy *ce);
/* The total of e's components (in_total, total_j, total_note, duration_s,
 * gaps, partial), names[i] of plan entry i. */
void wl_energy_total(struct wl_energy *e);

/* In memory: each channel of p normalized (s[i] for dataset channel i, to
 * release with wl_series_release), with its gap bound from o, fed to
 * acc[i] over [t0, t1]; the class chosen.  -1 with err. */
int wl_comp_load(const struct wl_dataset *ds, const struct wl_comp_plan *p,
		 const struct wl_analysis_opts *o, double t0, double t1,
		 struct wl_dataset *warn, struct wl_series *s, struct wl_energy_acc *acc,
		 double cov[WL_NCLASS], int *k, struct wl_error *err);

/* Sums series (each with its own timestamps) on the grid of the longest:
 * counters by the average power of each grid interval, gauges by linear
 * interpolation at the grid times; NaN where one has no data.  With one
 * series, a copy.  0 or -1. */
int wl_series_sum(const struct wl_series *s, size_t n, const char *name,
		  struct wl_series *out, struct wl_error *err);

/* Each component's energy over any window by the report's rule
 * (energy_window.c): the channels of the class wl_comp_load chooses over
 * o's window (the whole run when o is NULL), normalized, owned. */
struct wl_comp_window {
	char name[64];
	char node[64];         /* the plan's */
	struct wl_series *s;   /* the chosen class's channels */
	size_t n;
	int known;             /* some channel has a power value */
};

/* In plan order; the warnings of normalization to warn (may be NULL).
 * *out to free with wl_comp_windows_free.  0 or -1 with err. */
int wl_comp_windows(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		    struct wl_dataset *warn, struct wl_comp_window **out, size_t *n,
		    struct wl_error *err);
/* The component's power series (components.c): its channels summed by
 * wl_series_sum, those with some power first (a counter that never changed
 * adds nothing), named after it.  What wl_power_components_opts returns
 * for it.  0 or -1 with err. */
int wl_comp_window_sum(const struct wl_comp_window *c, struct wl_series *out,
		       struct wl_error *err);

/* Both at once, for the stages that need a component's channels and its
 * summed series (phases: the reference series, the energies, the peaks),
 * read once: win[i] and sum[i] of component i, in plan order. */
struct wl_comp_power {
	struct wl_comp_window *win;
	struct wl_series *sum;
	size_t n;
};

/* Over o's window (the whole run when NULL), warnings to warn (may be
 * NULL).  Release with wl_comp_power_release, also after a failure.  0 or
 * -1 with err. */
int wl_comp_power_load(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		       struct wl_dataset *warn, struct wl_comp_power *p, struct wl_error *err);
void wl_comp_power_release(struct wl_comp_power *p);
void wl_comp_windows_free(struct wl_comp_window *c, size_t n);
/* Sum of wl_series_energy of c's channels over [t0, t1] (J); NaN when no
 * channel of c has a power value (wl_series_has_power). */
double wl_comp_window_energy(const struct wl_comp_window *c, double t0, double t1);

#endif
