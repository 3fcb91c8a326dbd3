/*
 * stats_dataset.c - the statistics of every metric of a dataset over the
 * analysis window: gauges as recorded, counters as their rate (an energy
 * counter's power, wl_counter_rate_of).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"

void wl_metric_label(struct wl_metric_stats *m, const struct wl_channel *c)
{
	struct wl_counter_rate r;

	if (c->kind == WL_DS_COUNTER) {
		wl_counter_rate_of(c, 0, &r);
		snprintf(m->name, sizeof(m->name), "%s%s", c->name, r.suffix);
		snprintf(m->unit, sizeof(m->unit), "%s", r.unit);
	} else {
		snprintf(m->name, sizeof(m->name), "%s", c->name);
		snprintf(m->unit, sizeof(m->unit), "%s", c->unit);
	}
	snprintf(m->device, sizeof(m->device), "%s", c->device);
	snprintf(m->source, sizeof(m->source), "%s", c->source);
}

static int in_window(double t, const struct wl_analysis_opts *o)
{
	return !(t < o->t_from) && !(t > o->t_to); /* NaN bounds are open */
}

/* Gauge: the samples inside the window. */
static int gauge_stats(const struct wl_channel *c, const struct wl_analysis_opts *o,
		       double *tb, double *vb, struct wl_metric_stats *m)
{
	size_t i, k = 0;

	for (i = 0; i < c->n; i++) {
		if (!in_window(c->t[i], o) || isnan(c->v[i]))
			continue;
		tb[k] = c->t[i];
		vb[k++] = c->v[i];
	}
	return wl_stats_compute(tb, vb, k, o->max_gap_s, m);
}

/* Counter: its interval rates (wl_counter_rate_of) whose interval lies in
 * the window; the time-weighted average is the growth over the time
 * (exact). */
static int counter_stats(const struct wl_channel *c, const struct wl_analysis_opts *o,
			 double *vb, struct wl_metric_stats *m, struct wl_assumptions *assume,
			 struct wl_error *err)
{
	struct wl_counter_rate r;
	struct wl_counter_norm st;
	struct wl_series s;
	double e = 0, span = 0;
	size_t i, k = 0;
	int rc;

	wl_counter_rate_of(c, o->max_power_w, &r);
	if (wl_counter_rate_series(c, &r, &s, &st, err))
		return -1;
	for (i = 1; i < s.n; i++) {
		if (!in_window(s.t[i], o) || !in_window(s.t[i - 1], o) || isnan(s.p[i]))
			continue;
		vb[k++] = s.p[i];
		e += s.p[i] * (s.t[i] - s.t[i - 1]);
		span += s.t[i] - s.t[i - 1];
	}
	rc = wl_stats_compute(NULL, vb, k, 0, m);
	m->twa = span > 0 ? e / span : NAN;
	wl_series_release(&s);
	if (k)
		wl_counter_rate_assume(assume, c, &r, &st);
	return rc;
}

int wl_stats_dataset(const struct wl_dataset *ds, const struct wl_analysis_opts *opts,
		     struct wl_metric_stats **out, size_t *n, struct wl_assumptions *assume,
		     struct wl_error *err)
{
	struct wl_analysis_opts o;
	struct wl_metric_stats *m;
	double *tb = NULL, *vb = NULL;
	size_t i, maxn = 1, k = 0;

	if (opts)
		o = *opts;
	else
		wl_analysis_opts_init(&o);
	*out = NULL;
	*n = 0;
	for (i = 0; i < ds->nch; i++)
		if (ds->ch[i].n > maxn)
			maxn = ds->ch[i].n;
	m = calloc(ds->nch ? ds->nch : 1, sizeof(*m));
	tb = malloc(maxn * sizeof(*tb));
	vb = malloc(maxn * sizeof(*vb));
	if (!m || !tb || !vb)
		goto oom;
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		int rc;

		if (!c->n)
			continue;
		wl_metric_label(&m[k], c);
		rc = c->kind == WL_DS_COUNTER ? counter_stats(c, &o, vb, &m[k], assume, err) :
						gauge_stats(c, &o, tb, vb, &m[k]);
		if (rc)
			goto fail;
		if (m[k].n)
			k++;
	}
	free(tb);
	free(vb);
	*out = m;
	*n = k;
	return 0;
oom:
	wl_error_set(err, "out of memory computing statistics");
fail:
	free(m);
	free(tb);
	free(vb);
	return -1;
}
