/*
 * intensity.c - carbon intensity as a constant, a region-table row, or a
 * step function read from a CSV trace (see carbon.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wattlog/carbon.h"
#include "wattlog/csvread.h"
#include "wattlog/units.h"

static void reset(struct wl_intensity *in)
{
	memset(in, 0, sizeof(*in));
}

int wl_intensity_const(struct wl_intensity *in, double g_per_kwh, struct wl_error *err)
{
	reset(in);
	if (!isfinite(g_per_kwh) || g_per_kwh < 0)
		return wl_error_set(err, "bad carbon intensity %g g/kWh: must be a number >= 0",
				    g_per_kwh);
	in->constant = g_per_kwh;
	snprintf(in->label, sizeof(in->label), "%g g/kWh", g_per_kwh);
	return 0;
}

int wl_intensity_region(struct wl_intensity *in, const char *code, int marginal,
			struct wl_error *err)
{
	const struct wl_region *r = wl_region_find(code);
	double v;

	reset(in);
	if (!r)
		return wl_error_set(err, "unknown region '%s' (see 'wattlog regions')", code);
	v = marginal ? r->marg_g_per_kwh : r->avg_g_per_kwh;
	if (isnan(v))
		return wl_error_set(err, "region '%s' has no %s factor in the table (see 'wattlog regions')",
				    code, marginal ? "marginal" : "average");
	in->constant = v;
	snprintf(in->label, sizeof(in->label), "region %s %s %g g/kWh (%s, %d)", r->code,
		 marginal ? "marginal" : "average", v,
		 marginal ? r->marg_source : r->avg_source, marginal ? r->marg_year : r->avg_year);
	return 0;
}

void wl_intensity_release(struct wl_intensity *in)
{
	free(in->t);
	free(in->g_per_kwh);
	reset(in);
}

struct load {
	const char *path;
	struct wl_intensity *in;
	struct wl_tzconv tz;
	double scale;
	long tcol, vcol;
	size_t ncols, cap;
	int header_done;
};

static int time_header(const char *s)
{
	static const char *const names[] = {
		"time", "timestamp", "datetime", "date", "point_time", "time_utc", "datetime_utc",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i]))
			return 1;
	return 0;
}

static int push(struct load *l, double t, double v, size_t line, struct wl_error *err)
{
	struct wl_intensity *in = l->in;
	double g = v * l->scale;

	if (!isfinite(g)) /* 1e308 t/MWh: finite as written, not in g/kWh */
		return wl_error_set(err, "'%s' line %zu: intensity %g is out of range in g/kWh",
				    l->path, line, v);
	if (in->n && t <= in->t[in->n - 1])
		return wl_error_set(err, "'%s' line %zu: time does not increase", l->path, line);
	if (in->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 256;
		double *nt = realloc(in->t, ncap * sizeof(double));

		if (!nt)
			return wl_error_set(err, "out of memory reading '%s'", l->path);
		in->t = nt;
		nt = realloc(in->g_per_kwh, ncap * sizeof(double));
		if (!nt)
			return wl_error_set(err, "out of memory reading '%s'", l->path);
		in->g_per_kwh = nt;
		l->cap = ncap;
	}
	in->t[in->n] = t;
	in->g_per_kwh[in->n++] = g;
	return 0;
}

static int row(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct load *l = user;
	char unit[32];
	double t, v;
	size_t i;

	if (!l->header_done) {
		l->header_done = 1;
		l->ncols = r->nf;
		l->tcol = 0;
		for (i = 0; i < r->nf; i++)
			if (time_header(r->f[i])) {
				l->tcol = (long)i;
				break;
			}
		l->vcol = -1;
		return 0;
	}
	if (r->nf != l->ncols)
		return wl_error_set(err, "'%s' line %zu: %zu fields where the header has %zu",
				    l->path, r->line, r->nf, l->ncols);
	if (l->vcol < 0) {
		for (i = 0; i < r->nf; i++)
			if ((long)i != l->tcol && !wl_unit_parse_value(r->f[i], &v, unit, sizeof(unit))) {
				l->vcol = (long)i;
				break;
			}
		if (l->vcol < 0)
			return wl_error_set(err, "'%s' line %zu: no numeric intensity column",
					    l->path, r->line);
	}
	if (wl_time_parse_iso(r->f[l->tcol], &l->tz, &t, NULL) &&
	    (wl_unit_parse_value(r->f[l->tcol], &t, unit, sizeof(unit)) || unit[0] || t < 1e8 ||
	     t >= 253402300800.0)) /* epoch seconds from 1973 to the year 10000 */
		return wl_error_set(err, "'%s' line %zu: bad time '%s'", l->path, r->line,
				    r->f[l->tcol]);
	if (wl_unit_parse_value(r->f[l->vcol], &v, unit, sizeof(unit)) || unit[0] || v < 0)
		return wl_error_set(err, "'%s' line %zu: bad intensity '%s'", l->path, r->line,
				    r->f[l->vcol]);
	return push(l, t, v, r->line, err);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int wl_intensity_load(struct wl_intensity *in, const char *path, const char *unit,
		      const char *tz, struct wl_error *err)
{
	struct load l;
	double *steps;
	size_t i;

	reset(in);
	memset(&l, 0, sizeof(l));
	l.path = path;
	l.in = in;
	if (!unit || !strcmp(unit, "g/kWh"))
		l.scale = 1;
	else if (!strcmp(unit, "kg/kWh") || !strcmp(unit, "t/MWh"))
		l.scale = 1000;
	else if (!strcmp(unit, "lb/MWh"))
		l.scale = WL_G_PER_KWH_PER_LB_PER_MWH;
	else
		return wl_error_set(err, "unknown intensity unit '%s' (g/kWh, kg/kWh, t/MWh, lb/MWh)",
				    unit);
	if (wl_tzconv_init(&l.tz, tz ? tz : "UTC", err))
		return -1;
	i = (size_t)wl_csv_read(path, NULL, row, &l, err);
	wl_tzconv_release(&l.tz);
	if (i) {
		wl_intensity_release(in);
		return -1;
	}
	if (in->n < 2) {
		wl_intensity_release(in);
		return wl_error_set(err, "'%s': an intensity trace needs at least 2 rows", path);
	}
	/* The last row holds for the median step of the trace. */
	steps = malloc((in->n - 1) * sizeof(double));
	if (!steps) {
		wl_intensity_release(in);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	for (i = 1; i < in->n; i++)
		steps[i - 1] = in->t[i] - in->t[i - 1];
	qsort(steps, in->n - 1, sizeof(double), cmp);
	in->last_step = steps[(in->n - 1) / 2];
	free(steps);
	snprintf(in->label, sizeof(in->label), "trace '%s' (%s)", path, unit ? unit : "g/kWh");
	return 0;
}

/* Index of the row in force at epoch t (t[k] <= t), or -1 before the first. */
static long row_at(const struct wl_intensity *in, double t)
{
	size_t lo = 0, hi = in->n;

	if (!in->n || t < in->t[0])
		return -1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (in->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

double wl_intensity_at(const struct wl_intensity *in, double t)
{
	long k;

	if (!in->n)
		return in->constant;
	k = row_at(in, t);
	if (k < 0 || t >= in->t[in->n - 1] + in->last_step)
		return NAN;
	return in->g_per_kwh[k];
}

double wl_intensity_step_end(const struct wl_intensity *in, double t)
{
	long k;

	if (!in->n)
		return INFINITY;
	k = row_at(in, t);
	if (k < 0 || t >= in->t[in->n - 1] + in->last_step)
		return NAN;
	return (size_t)k + 1 < in->n ? in->t[k + 1] : in->t[in->n - 1] + in->last_step;
}
