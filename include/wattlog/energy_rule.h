/*
 * energy_rule.h - the one rule for energy, shared by the analyzer and the
 * recorder's live metrics (src/trace/energy_rule.c).  Libc only: no -lm
 * (isnan, NAN and INFINITY are macros).
 *
 *   units:     W, J and their multiples;
 *   counters:  one reading at a time into interval powers (wraps, resets,
 *              implausible jumps: struct wl_counter_norm);
 *   gauges:    implausible readings excluded (struct wl_gauge_norm);
 *   energy:    a power series point by point (struct wl_energy_acc);
 *   components: the component a trace channel measures, the class that wins
 *              inside a component (counter, instantaneous gauge, averaged
 *              gauge), and the components the total adds.
 */
#ifndef WATTLOG_ENERGY_RULE_H
#define WATTLOG_ENERGY_RULE_H

#include <stddef.h>

#include "wattlog/trace.h"

#define WL_MAX_POWER_W_DEFAULT 10000.0 /* plausibility bound per component */
#define WL_MAX_GAP_FACTOR 5.0          /* default gap = 5 x median interval */

/* Factor from `unit` to W ("W", "mW", "uW", "kW", "MW") or to J ("J",
 * "mJ", "uJ", "nJ", "kJ", "Wh", "kWh", "MWh").  0, or -1 when the unit is
 * not one of these. */
int wl_unit_to_w(const char *unit, double *factor);
int wl_unit_to_j(const char *unit, double *factor);
/* The counter rule of wl_normalize_channel, one reading at a time. */
struct wl_counter_norm {
	double f, wrap, max_w;   /* unit factor to J, wrap in the unit, bound (W) */
	double e_last, t_last;   /* the last kept reading */
	size_t nread, npoints, nbad, nreset;
	double t_first_read, t_last_read, first_bad, bad_w;
	double p_hi;             /* highest plausible power so far (NaN before) */
	double first_reset, reset_from, reset_to, reset_w;
};

/* A wrapped step is a wrap when its power is plausible (at most max_w) and
 * at most this many times the highest power the counter has shown before:
 * otherwise the counter restarted near zero (a reset), not a full range. */
#define WL_WRAP_REL 10.0

void wl_counter_norm_init(struct wl_counter_norm *s, double f, double wrap, double max_w);
/* Feeds the reading (t, v): 1 when it is a point of the power series (*p:
 * the power of the interval it ends, NaN for the first point and for an
 * implausible interval), 0 when it is merged (unchanged read). */
int wl_counter_norm_step(struct wl_counter_norm *s, double t, double v, double *p);
/* The gauge rule of wl_normalize_channel: a reading p (W) above max_w or
 * below -max_w is implausible: NaN (excluded; the trapezoid joins its
 * neighbours), counted for the warning. */
struct wl_gauge_norm {
	double max_w;
	size_t nbad;
	double first_bad, bad_w;
};

void wl_gauge_norm_init(struct wl_gauge_norm *g, double max_w);
double wl_gauge_norm_step(struct wl_gauge_norm *g, double t, double p);
/*
 * The energy of one power series fed point by point in time order: the one
 * rule of the in-memory path (wl_series_energy) and the streaming report.
 *   counter points (p = average power of (t_prev, t]): E += p |(t_prev, t]
 *     n [t0, t1]|; an interval with p NaN (excluded as implausible) is
 *     bridged at the mean of the valid powers on either side (or the one
 *     side there is), unless keep_gaps_out;
 *   gauge points (p = reading at t; NaN readings are skipped, their
 *     neighbours joined): the trapezoid rule on [a, b] n [t0, t1] with p
 *     linear between the readings.  An interval longer than max_gap_s
 *     (> 0) is a gap: bridged by the same trapezoid (its energy also in
 *     gap_j), or with keep_gaps_out left out (no energy);
 *   cover_gap_s (> 0): intervals no longer than it count in cover_s, the
 *     time the series covers for the choice of a component's channel
 *     (wl_comp_choose).
 */
struct wl_energy_acc {
	int from_counter, keep_gaps_out;
	double max_gap_s, cover_gap_s, t0, t1;
	size_t npts, nvalid;       /* points fed; points with a power (not NaN) */
	double pt_t, pt_p;         /* the last point */
	double first_t, last_t;    /* first and last point */
	double ok_p;               /* counter: power of the last valid interval */
	int pending;               /* counter: excluded intervals since pend_a */
	double pend_a;
	double energy_j;           /* in [t0, t1] */
	double gap_j, gap_s;       /* energy bridged in gaps (0 kept out); their time */
	size_t ngaps;
	double ex_j, ex_s;         /* counter: energy bridged over excluded intervals; their time */
	size_t nex;
	double cover_s;
	double pmin, pmax;         /* lowest, highest power of a point in [t0, t1] */
	size_t ngapw;              /* gaps seen; the first WL_GAPS_LISTED of them: */
	double gw_t[5], gw_d[5], gw_j[5]; /* start, length, energy */
};
#define WL_GAPS_LISTED 5

/* t0, t1: the window (NaN or infinite = open). */
void wl_energy_acc_init(struct wl_energy_acc *a, int from_counter, double max_gap_s,
			int keep_gaps_out, double t0, double t1);
void wl_energy_acc_point(struct wl_energy_acc *a, double t, double p);
/* After the last point: bridges excluded counter intervals at the end. */
void wl_energy_acc_end(struct wl_energy_acc *a);
/* Time the series covers in the window: from its first to its last point,
 * less the gaps and excluded intervals when they are kept out. */
double wl_energy_acc_covered(const struct wl_energy_acc *a);

/* The class of a power channel inside its component: the lowest present
 * wins (components.c's plan).  instant: the channel's own field (struct
 * wl_chan_info, struct wl_channel), set by the reader that made it. */
enum { WL_CLASS_COUNTER = 0, WL_CLASS_INSTANT = 1, WL_CLASS_GAUGE = 2, WL_NCLASS = 3 };
int wl_energy_class(int is_counter, int instant);
/* 1 when a power reading of this name is taken at an instant rather than
 * averaged over a window: nvidia-smi's vocabulary ("power.draw.instant",
 * NVML's instant field under that name), which neither the trace format
 * nor a CSV log states otherwise.  Applied once, where a channel is made
 * (wl_chan_meaning for traces and the recorder, the CSV readers); nothing
 * downstream reads names. */
int wl_power_name_instant(const char *name);

/* The component a trace channel measures ("" for none), by source and name;
 * buf (sz bytes) holds a built name such as "gpu3". */
const char *wl_trace_chan_component(const struct wl_chan_info *c, char *buf, size_t sz);

/* What component `name` is within its node: name less its "NODE/" prefix
 * when node (the channel's field, dataset.h) is not empty ("cpu" of "n1/cpu"
 * on node "n1"), else name whole: a '/' in a name is never looked for, so
 * "rack/node" of no node is a component of its own, not a whole node.
 * node NULL is "". */
const char *wl_component_base(const char *name, const char *node);

/*
 * The total rule needs every component's name: fed each one (with its node:
 * the rule reads its base, wl_component_base) with wl_total_scope_add, the scope knows whether a Jetson module's input
 * rail is there (jetson_rails.h) and whether anything besides the
 * whole-machine readings psys and node is.  input_rail points into a name
 * given to wl_total_scope_add.
 */
struct wl_total_scope {
	const char *input_rail; /* base name of a Jetson input rail, else NULL */
	int parts;              /* a component other than psys and node */
};

void wl_total_scope_init(struct wl_total_scope *s);
void wl_total_scope_add(struct wl_total_scope *s, const char *name, const char *node);

/* 1 when component `name` of node `node` (by its base) adds to the total of the
 * components fed to s: when a Jetson module's input rail is among them,
 * that rail alone (the other rails are inside it); psys never (it contains
 * the others); node (pm_counters, an ACPI power meter) only when nothing
 * but psys and node is there (a server whose only meter is its ACPI power
 * meter); any other component always. */
int wl_component_name_in_total(const char *name, const char *node,
			       const struct wl_total_scope *s);

/*
 * One power channel followed reading by reading (the recorder's metrics,
 * `wattlog watch`): c's physical values through the counter or gauge rule
 * into a wl_energy_acc (open window, gaps bridged as the report does by
 * default).
 */
struct wl_live_energy {
	int counter;              /* a J-family counter, else a W-family gauge */
	double f;                 /* unit factor to J or W */
	struct wl_counter_norm cn;
	struct wl_gauge_norm gn;
	struct wl_energy_acc acc;
	double power_w;           /* the last valid interval's (counter) or reading's power */
	int have_power;
};

/* 0, or -1 when c is neither a J-family counter nor a W-family gauge. */
int wl_live_energy_init(struct wl_live_energy *l, const struct wl_chan_info *c);
/* Feeds the physical value v (raw x scale, in c's unit) read at t seconds;
 * returns the energy (J) it added. */
double wl_live_energy_push(struct wl_live_energy *l, double t, double v);
/* 1 once the channel has shown a power (a counter that never moved has
 * none: its energy is unknown, not 0). */
int wl_live_energy_known(const struct wl_live_energy *l);

#endif
