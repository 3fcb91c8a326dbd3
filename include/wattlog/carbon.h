/*
 * carbon.h - energy to carbon.  Without I/O except wl_intensity_load, which
 * reads an intensity trace (the carbon stage's own input file).
 *
 *     grams CO2eq = sum over intervals i of  E_i[kWh] x I(t_i)[g/kWh] x PUE
 *                 + embodied_g_per_h x duration[h]
 *
 * Intensity I is a constant (a number, or a row of the embedded region
 * table) or a step function from a time-series CSV: row k holds from its
 * time until the next row's time; the last row holds for the median step
 * of the trace.  Intervals of the power series are split at step
 * boundaries so that each part is weighted by its own intensity.
 */
#ifndef WATTLOG_CARBON_H
#define WATTLOG_CARBON_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "wattlog/error.h"

/* 1 lb/MWh = 453.59237 g / 1000 kWh. */
#define WL_G_PER_KWH_PER_LB_PER_MWH 0.45359237

struct wl_intensity {
	char label[192];   /* "45 g/kWh", "region FR average (...)", "trace 'f.csv'" */
	double constant;   /* g/kWh when n == 0 */
	size_t n;          /* rows of a trace, 0 = constant */
	double *t;         /* epoch s (UTC), strictly increasing */
	double *g_per_kwh; /* value of each row, converted to g/kWh */
	double last_step;  /* s the last row holds for (median step) */
};

/* A constant intensity in g/kWh (finite, >= 0).  0 or -1 with err. */
int wl_intensity_const(struct wl_intensity *in, double g_per_kwh, struct wl_error *err);

/* The region table's average (marginal = 0) or marginal (1) factor for
 * code (case-insensitive).  -1 with err for an unknown code or a factor the
 * table does not hold. */
int wl_intensity_region(struct wl_intensity *in, const char *code, int marginal,
			struct wl_error *err);

/*
 * Reads a CSV intensity trace: a header, a time column (the column named
 * time/timestamp/datetime/date/point_time, else the first) holding
 * "YYYY-MM-DD HH:MM:SS" (zone-less times are in tz, TZ syntax; NULL = UTC)
 * or epoch seconds, and the value in the first other numeric column.
 * unit: "g/kWh" (NULL = this), "kg/kWh", "lb/MWh" (x 0.45359237), "t/MWh".
 * Times must strictly increase.  Owns its arrays: wl_intensity_release.
 * 0 or -1 with err naming file and line.
 */
int wl_intensity_load(struct wl_intensity *in, const char *path, const char *unit,
		      const char *tz, struct wl_error *err);
void wl_intensity_release(struct wl_intensity *in);

/* Intensity (g/kWh) in force at epoch time t; NaN outside the trace. */
double wl_intensity_at(const struct wl_intensity *in, double t);
/* Epoch time at which the step in force at t ends (the next row's time, or
 * last row + last_step); INFINITY for a constant, NaN outside the trace. */
double wl_intensity_step_end(const struct wl_intensity *in, double t);

struct wl_carbon {
	double duration_s;     /* last t - first t of the series */
	double energy_kwh;     /* IT energy of the series (no PUE) */
	double facility_kwh;   /* energy_kwh x pue */
	double operational_g;  /* sum E_i x I_i x pue */
	double embodied_g;     /* embodied_g_per_h x duration_s / 3600 */
	double total_g;        /* operational_g + embodied_g */
	double intensity_avg;  /* energy-weighted g/kWh: operational_g / facility_kwh */
	double intensity_min, intensity_max; /* over the run's intervals */
};

/*
 * Carbon of a total power series (analysis.h: t in s since the dataset's
 * origin, p in W; a counter series' p[i] is the mean over (t[i-1], t[i]],
 * a gauge series is integrated by the trapezoid rule, linear power at a
 * split point).  t0_realtime (epoch s of t = 0) aligns the series to an
 * intensity trace and may be NaN with a constant intensity.  pue >= 1.
 * Intervals with a NaN power are skipped (no energy).
 *
 * Fails (-1 with err) when a trace is given and t0_realtime is NaN, or when
 * any part of the run lies outside the trace's coverage
 * [t first row, t last row + last_step): never silently extrapolated.
 */
int wl_carbon_compute(const struct wl_series *total, double t0_realtime,
		      const struct wl_intensity *in, double pue, double embodied_g_per_h,
		      struct wl_carbon *out, struct wl_error *err);

/* Operational carbon (g) of energy_j spent with the time profile of c: the
 * energy stage's figure (gaps bridged or left out, excluded values bridged
 * as it decided) x c's energy-weighted intensity x PUE, so that the energy
 * behind a carbon figure is the report's energy column.  0 for 0 J; NaN
 * when c holds no energy to take the profile from. */
double wl_carbon_of_energy(const struct wl_carbon *c, double energy_j);

/* The embedded region table (regions.c). */
struct wl_region {
	const char *code;      /* ISO 3166-1 alpha-2, or "WORLD" */
	const char *name;
	double avg_g_per_kwh;  /* annual average, NaN = not in the table */
	const char *avg_source;
	int avg_year;
	double marg_g_per_kwh; /* marginal factor, NaN = not in the table */
	const char *marg_source;
	int marg_year;
};

const struct wl_region *wl_regions(size_t *n);
const struct wl_region *wl_region_find(const char *code);

#endif
