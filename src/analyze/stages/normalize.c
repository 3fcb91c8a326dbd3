/*
 * normalize.c - units to W and J, and one channel to a power series:
 * cumulative energy counters become interval-average watts (wrap handled,
 * unchanged reads merged, implausible jumps excluded); power gauges are
 * scaled to W; any counter's rate for its statistics (wl_counter_rate_of).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/stream.h"
#include "sort.h"

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

/* The counter rule over c's readings: unit factor f, bound max_w; the
 * rule's state after the last reading in *st. */
static int normalize_counter(const struct wl_channel *c, double f, double max_w,
			     struct wl_series *out, struct wl_counter_norm *st,
			     struct wl_error *err)
{
	size_t i, k = 0;
	double p;

	wl_counter_norm_init(st, f, c->wrap, max_w);
	if (alloc_series(out, c, c->n, err))
		return -1;
	out->from_counter = 1;
	for (i = 0; i < c->n; i++) {
		if (!wl_counter_norm_step(st, c->t[i], c->v[i], &p))
			continue;
		out->t[k] = c->t[i];
		out->p[k++] = p;
	}
	out->n = k;
	return 0;
}

void wl_counter_rate_of(const struct wl_channel *c, double max_power_w, struct wl_counter_rate *r)
{
	r->energy = wl_unit_to_j(c->unit, &r->f) == 0;
	if (r->energy) {
		r->max = max_power_w > 0 ? max_power_w : WL_MAX_POWER_W_DEFAULT;
		snprintf(r->unit, sizeof(r->unit), "W");
		r->suffix = " (power)";
		return;
	}
	r->f = 1;
	r->max = INFINITY;
	snprintf(r->unit, sizeof(r->unit), "%s/s", *c->unit ? c->unit : "1");
	r->suffix = " (rate)";
}

int wl_counter_rate_series(const struct wl_channel *c, const struct wl_counter_rate *r,
			   struct wl_series *out, struct wl_counter_norm *st,
			   struct wl_error *err)
{
	struct wl_counter_norm own;

	return normalize_counter(c, r->f, r->max, out, st ? st : &own, err);
}

void wl_counter_rate_assume(struct wl_assumptions *l, const struct wl_channel *c,
			    const struct wl_counter_rate *r, const struct wl_counter_norm *st)
{
	char dec[256];

	if (!l || r->energy)
		return;
	if (c->wrap > 0 && st->nreset)
		snprintf(dec, sizeof(dec), "a decrease adds its declared wrap of %.10g %s, but for "
			 "%zu taken as restarts (the first at t=%.3f s: the wrapped step over %.0f x "
			 "the highest rate before) and left out", c->wrap, c->unit, st->nreset,
			 st->first_reset, WL_WRAP_REL);
	else if (c->wrap > 0)
		snprintf(dec, sizeof(dec), "a decrease adds its declared wrap of %.10g %s",
			 c->wrap, c->unit);
	else if (st->nbad)
		snprintf(dec, sizeof(dec), "no wrap declared: a decrease is a restart, left out "
			 "(%zu, the first at t=%.3f s)", st->nbad, st->first_bad);
	else
		snprintf(dec, sizeof(dec), "no wrap declared: a decrease would be a restart, left "
			 "out (none seen)");
	wl_assume(l, WL_ASSUME_VALUE, "%s%s%s: a counter; its statistics are of its rate in %s, "
		  "(v1 - v0) / (t1 - t0) over each interval between changed readings; %s",
		  c->name, *c->device ? " " : "", c->device, r->unit, dec);
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
	wl_gauge_stuck(c, out, warn);
	return 0;
}

/* A power gauge read at least 3 times over a span that gave the same value
 * every time: a sensor that does not update, said as the counter rule says
 * it.  Stuck at 0, it is no reading (its power is unknown, never 0 W: the
 * series becomes NaN); stuck elsewhere, its energy is that value held, and
 * the warning says so. */
void wl_gauge_stuck(const struct wl_channel *c, struct wl_series *s, struct wl_dataset *warn)
{
	size_t i;

	if (c->n < 3 || !(c->t[c->n - 1] > c->t[0]))
		return;
	for (i = 1; i < c->n; i++)
		if (c->v[i] != c->v[0])
			return;
	if (c->v[0] == 0)
		for (i = 0; s && i < s->n; i++)
			s->p[i] = NAN;
	if (warn && c->v[0] != 0)
		wl_assume(&warn->assume, WL_ASSUME_VALUE, "%s%s%s: a gauge that never changed taken "
			  "as %.9g %s held", c->name, *c->device ? " " : "", c->device, c->v[0],
			  c->unit);
	if (warn)
		wl_dataset_warn(warn, "%s%s%s: not updating (the gauge read %.9g %s at all %zu "
				"reads in %.3f s): %s", c->name, *c->device ? " " : "", c->device,
				c->v[0], c->unit, c->n, c->t[c->n - 1] - c->t[0],
				c->v[0] == 0 ? "no power from it" :
					       "its energy assumes the power held that value");
}

int wl_normalize_channel(const struct wl_channel *c, double max_power_w,
			 struct wl_series *out, struct wl_dataset *warn, struct wl_error *err)
{
	double f;

	if (max_power_w <= 0)
		max_power_w = WL_MAX_POWER_W_DEFAULT;
	if (c->kind == WL_DS_COUNTER) {
		struct wl_counter_norm st;

		if (wl_unit_to_j(c->unit, &f))
			return wl_error_set(err, "unknown energy unit '%s' of counter '%s'",
					    c->unit, c->name);
		if (normalize_counter(c, f, max_power_w, out, &st, err))
			return -1;
		wl_counter_norm_warn(&st, c, warn);
		return 0;
	}
	if (wl_unit_to_w(c->unit, &f))
		return wl_error_set(err, "unknown power unit '%s' of '%s'", c->unit, c->name);
	return normalize_gauge(c, f, max_power_w, out, warn, err);
}
