/*
 * normalize.c - units to W and J, and one channel to a power series:
 * cumulative energy counters become interval-average watts (wrap handled,
 * unchanged reads merged, implausible jumps excluded); power gauges are
 * scaled to W.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/stream.h"
#include "sort.h"

struct unit_factor {
	const char *unit;
	double f;
};

static const struct unit_factor power_units[] = {
	{ "W", 1.0 }, { "mW", 1e-3 }, { "uW", 1e-6 }, { "\xc2\xb5W", 1e-6 },
	{ "kW", 1e3 }, { "MW", 1e6 },
};

static const struct unit_factor energy_units[] = {
	{ "J", 1.0 }, { "mJ", 1e-3 }, { "uJ", 1e-6 }, { "\xc2\xb5J", 1e-6 },
	{ "nJ", 1e-9 }, { "kJ", 1e3 }, { "Wh", 3600.0 }, { "kWh", 3.6e6 },
	{ "MWh", 3.6e9 },
};

static int lookup(const struct unit_factor *t, size_t n, const char *unit, double *f)
{
	size_t i;

	for (i = 0; unit && i < n; i++) {
		if (!strcmp(t[i].unit, unit)) {
			*f = t[i].f;
			return 0;
		}
	}
	return -1;
}

int wl_unit_to_w(const char *unit, double *factor)
{
	return lookup(power_units, sizeof(power_units) / sizeof(power_units[0]), unit, factor);
}

int wl_unit_to_j(const char *unit, double *factor)
{
	return lookup(energy_units, sizeof(energy_units) / sizeof(energy_units[0]), unit,
		      factor);
}

int wl_channel_is_power(const struct wl_channel *c)
{
	double f;

	if (c->kind == WL_DS_COUNTER)
		return wl_unit_to_j(c->unit, &f) == 0;
	return wl_unit_to_w(c->unit, &f) == 0;
}

void wl_series_release(struct wl_series *s)
{
	if (!s)
		return;
	free(s->t);
	free(s->p);
	s->t = s->p = NULL;
	s->n = 0;
}

void wl_analysis_opts_init(struct wl_analysis_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_power_w = WL_MAX_POWER_W_DEFAULT;
	o->t_from = NAN;
	o->t_to = NAN;
	o->top = 5;
}

/* The median of the positive intervals, over at most WL_MEDIAN_DT_MAX of
 * them taken evenly across the series (every ceil(n / max)-th): the gap
 * bound and the default grid need the typical interval, not an exact
 * order statistic of millions. */
#define WL_MEDIAN_DT_MAX 65536

double wl_series_median_dt(const double *t, size_t n)
{
	size_t i, k = 0, step;
	double *d, m;

	if (n < 2)
		return 0;
	step = (n - 1 + WL_MEDIAN_DT_MAX - 1) / WL_MEDIAN_DT_MAX;
	d = malloc(((n - 1) / step + 1) * sizeof(*d));
	if (!d)
		return 0;
	for (i = 1; i < n; i += step)
		if (t[i] > t[i - 1])
			d[k++] = t[i] - t[i - 1];
	if (!k) {
		free(d);
		return 0;
	}
	/* median = middle order statistic, or the mean of the two middle ones */
	m = wl_select_double(d, k, k / 2);
	if (k % 2 == 0) {
		double lo = d[0];
		for (i = 1; i < k / 2; i++) /* the largest of the lower half */
			if (d[i] > lo)
				lo = d[i];
		m = 0.5 * (lo + m);
	}
	free(d);
	return m;
}

static int alloc_series(struct wl_series *out, const struct wl_channel *c, size_t n,
			struct wl_error *err)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s%s%s", c->name, *c->device ? " " : "",
		 c->device);
	out->t = malloc((n ? n : 1) * sizeof(double));
	out->p = malloc((n ? n : 1) * sizeof(double));
	if (!out->t || !out->p) {
		wl_series_release(out);
		return wl_error_set(err, "out of memory normalizing '%s'", c->name);
	}
	return 0;
}

/* dE = E1 - E0 (+ W when dE < 0 and W known); P = dE f / dt.  A reading
 * whose value equals the last kept one is dropped (merged into the next
 * interval); a NaN p marks an excluded, implausible interval, after which
 * the counter's new value is the baseline.  Shared with the streaming
 * report (stream.h), so that both paths apply the same rule. */
void wl_counter_norm_init(struct wl_counter_norm *s, double f, double wrap, double max_w)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->wrap = wrap;
	s->max_w = max_w;
	s->first_bad = s->bad_w = s->p_hi = NAN;
	s->first_reset = s->reset_from = s->reset_to = s->reset_w = NAN;
}

/* A negative step with a known wrap: a wrap (1) or a reset (0), by the
 * wrapped step's power p (WL_WRAP_REL). */
static int is_wrap(const struct wl_counter_norm *s, double p)
{
	return p <= s->max_w && (isnan(s->p_hi) || p <= WL_WRAP_REL * s->p_hi);
}

int wl_counter_norm_step(struct wl_counter_norm *s, double t, double v, double *p_out)
{
	double de, dt, p;

	s->nread++;
	s->t_last_read = t;
	if (s->nread == 1) {
		s->t_first_read = t;
		s->e_last = v;
		s->t_last = t;
		s->npoints = 1;
		*p_out = NAN;
		return 1;
	}
	de = v - s->e_last;
	dt = t - s->t_last;
	if (de == 0 || dt <= 0)
		return 0; /* unchanged read: merge with the next interval */
	if (de < 0 && s->wrap > 0) {
		p = (de + s->wrap) * s->f / dt;
		if (p <= s->max_w && !is_wrap(s, p)) { /* a reset: excluded */
			if (!s->nreset++) {
				s->first_reset = t;
				s->reset_from = s->e_last;
				s->reset_to = v;
				s->reset_w = p;
			}
			p = NAN;
			goto keep;
		}
		de += s->wrap;
	}
	p = de * s->f / dt;
	if (de < 0 || p > s->max_w) {
		if (!s->nbad++) {
			s->first_bad = t;
			s->bad_w = p;
		}
		p = NAN;
	} else if (isnan(s->p_hi) || p > s->p_hi) {
		s->p_hi = p;
	}
keep:
	s->e_last = v;
	s->t_last = t;
	s->npoints++;
	*p_out = p;
	return 1;
}

void wl_counter_norm_warn(const struct wl_counter_norm *s, const struct wl_channel *c,
			  struct wl_dataset *warn)
{
	if (!warn)
		return;
	/* Read several times over a span and never changed: a sensor that does
	 * not update (absent power), not an idle 0 W. */
	if (s->npoints == 1 && s->nread >= 3 && s->t_last_read > s->t_first_read)
		wl_dataset_warn(warn, "%s%s%s: not updating (the counter never changed over %zu "
				"reads in %.3f s): no power from it", c->name,
				*c->device ? " " : "", c->device, s->nread,
				s->t_last_read - s->t_first_read);
	if (s->nbad)
		wl_assume(&warn->assume, WL_ASSUME_VALUE, "%s%s%s: %zu implausible counter jump%s "
			  "excluded (first at t=%.3f s: %.6g W, bound %.6g W (--max-power), or "
			  "negative without a known wrap); bridged at the power on either side "
			  "unless --no-bridge", c->name, *c->device ? " " : "", c->device, s->nbad,
			  s->nbad > 1 ? "s" : "", s->first_bad, s->bad_w, s->max_w);
	if (s->nreset)
		wl_assume(&warn->assume, WL_ASSUME_VALUE, "%s%s%s: %zu counter reset%s excluded "
			  "(first at t=%.3f s: from %.10g to %.10g; a wrap would mean %.6g W, over "
			  "%.0f x the %.6g W the counter showed before); bridged at the power on "
			  "either side unless --no-bridge", c->name, *c->device ? " " : "",
			  c->device, s->nreset, s->nreset > 1 ? "s" : "", s->first_reset,
			  s->reset_from, s->reset_to, s->reset_w, WL_WRAP_REL, s->p_hi);
}

void wl_gauge_norm_init(struct wl_gauge_norm *g, double max_w)
{
	g->max_w = max_w;
	g->nbad = 0;
	g->first_bad = g->bad_w = NAN;
}

double wl_gauge_norm_step(struct wl_gauge_norm *g, double t, double p)
{
	if (!(p > g->max_w || p < -g->max_w))
		return p;
	if (!g->nbad++) {
		g->first_bad = t;
		g->bad_w = p;
	}
	return NAN;
}

void wl_gauge_norm_warn(const struct wl_gauge_norm *g, const struct wl_channel *c,
			struct wl_dataset *warn)
{
	if (!warn || !g->nbad)
		return;
	wl_assume(&warn->assume, WL_ASSUME_VALUE, "%s%s%s: %zu implausible reading%s excluded "
		  "(first at t=%.3f s: %.6g W, beyond the bound %.6g W of --max-power); the "
		  "trapezoid joins the readings on either side", c->name, *c->device ? " " : "",
		  c->device, g->nbad, g->nbad > 1 ? "s" : "", g->first_bad, g->bad_w, g->max_w);
}

static int normalize_counter(const struct wl_channel *c, double f, double max_w,
			     struct wl_series *out, struct wl_dataset *warn,
			     struct wl_error *err)
{
	struct wl_counter_norm s;
	size_t i, k = 0;
	double p;

	if (alloc_series(out, c, c->n, err))
		return -1;
	out->from_counter = 1;
	if (!c->n)
		return 0;
	wl_counter_norm_init(&s, f, c->wrap, max_w);
	for (i = 0; i < c->n; i++) {
		if (!wl_counter_norm_step(&s, c->t[i], c->v[i], &p))
			continue;
		out->t[k] = c->t[i];
		out->p[k++] = p;
	}
	out->n = k;
	wl_counter_norm_warn(&s, c, warn);
	return 0;
}

/* Samples at a repeated instant are all kept: the zero-length interval
 * between them adds nothing, and each side of it keeps its own reading (the
 * trapezoid rule as numpy.trapz applies it to the same rows). */
static int normalize_gauge(const struct wl_channel *c, double f, double max_w,
			   struct wl_series *out, struct wl_dataset *warn, struct wl_error *err)
{
	struct wl_gauge_norm g;
	size_t i;

	if (alloc_series(out, c, c->n, err))
		return -1;
	wl_gauge_norm_init(&g, max_w);
	for (i = 0; i < c->n; i++) {
		out->t[i] = c->t[i];
		out->p[i] = wl_gauge_norm_step(&g, c->t[i], c->v[i] * f);
	}
	out->n = c->n;
	wl_gauge_norm_warn(&g, c, warn);
	return 0;
}

int wl_normalize_channel(const struct wl_channel *c, double max_power_w,
			 struct wl_series *out, struct wl_dataset *warn, struct wl_error *err)
{
	double f;

	if (max_power_w <= 0)
		max_power_w = WL_MAX_POWER_W_DEFAULT;
	if (c->kind == WL_DS_COUNTER) {
		if (wl_unit_to_j(c->unit, &f))
			return wl_error_set(err, "unknown energy unit '%s' of counter '%s'",
					    c->unit, c->name);
		return normalize_counter(c, f, max_power_w, out, warn, err);
	}
	if (wl_unit_to_w(c->unit, &f))
		return wl_error_set(err, "unknown power unit '%s' of '%s'", c->unit, c->name);
	return normalize_gauge(c, f, max_power_w, out, warn, err);
}
