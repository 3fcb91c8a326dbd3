/*
 * stream_report.c - the streaming report's setup between its passes and its
 * results after pass 2: energy per component and channel (the rules and
 * warnings of energy_compute.c), statistics per metric (stats_dataset.c's
 * metrics and labels), the correlation grid (resample.c's grid) and matrix.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "components.h"
#include "stream_pass.h"

/* resample.c's grid over [a, b]; NULL g (and a warning) when there is
 * nothing to resample.  -1 out of memory. */
static int grid_setup(struct wl_stream *s, struct wl_dataset *ds, const struct wl_analysis_opts *o,
		      double a, double b, struct wl_report *r)
{
	struct wl_grid *g = &r->grid;
	size_t i, ncols = 0, col = 0;
	double step = 0, nb;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < s->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		s->ch[i].gridded = s->ch[i].nraw >= 2 &&
				   (c->kind == WL_DS_GAUGE || s->ch[i].jcounter);
		if (s->ch[i].gridded && s->ch[i].median_dt > step)
			step = s->ch[i].median_dt;
		ncols += (size_t)s->ch[i].gridded;
	}
	g->step_s = o->grid_s > 0 ? o->grid_s : step;
	if (!ncols || !(g->step_s > 0) || b <= a) {
		for (i = 0; i < s->nch; i++)
			s->ch[i].gridded = 0;
		wl_dataset_warn(ds, "correlation: nothing to resample in '%s': no metric with two "
				"samples in the window", ds->path ? ds->path : "");
		return 0;
	}
	nb = (b - a) / g->step_s + 1;
	if (nb > (double)WL_GRID_MAX_BINS) {
		double f = ceil(nb / WL_GRID_MAX_BINS);
		snprintf(g->note, sizeof(g->note), "grid coarsened from %.6g s to %.6g s to "
			 "hold at most %d bins (%s)", g->step_s, g->step_s * f, WL_GRID_MAX_BINS,
			 o->grid_s > 0 ? "streaming report" : "--grid sets it");
		g->step_s *= f;
	}
	g->t0 = a - 0.5 * g->step_s;
	g->nbins = (size_t)((b - a) / g->step_s + 0.5) + 1;
	g->name = calloc(ncols, sizeof(*g->name));
	g->unit = calloc(ncols, sizeof(*g->unit));
	g->v = calloc(ncols * g->nbins, sizeof(*g->v));
	s->gcnt = calloc(ncols * g->nbins, sizeof(*s->gcnt));
	if (!g->name || !g->unit || !g->v || !s->gcnt)
		return -1;
	for (i = 0; i < s->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		int power = c->kind == WL_DS_COUNTER;

		if (!s->ch[i].gridded)
			continue;
		snprintf(g->name[col], sizeof(g->name[col]), "%s%s%s%s", c->name,
			 power ? " (power)" : "", *c->device ? " " : "", c->device);
		snprintf(g->unit[col], sizeof(g->unit[col]), "%s", power ? "W" : c->unit);
		s->ch[i].col = col++;
	}
	g->ncols = col;
	s->g = g;
	s->g_end = b;
	r->have_grid = 1;
	return 0;
}

static void grid_finish(struct wl_stream *s)
{
	struct wl_grid *g = s->g;
	size_t k;

	for (k = 0; k < g->ncols * g->nbins; k++)
		g->v[k] = s->gcnt[k] ? g->v[k] / s->gcnt[k] : NAN;
	free(s->gcnt);
	s->gcnt = NULL;
}

/* Span of a channel's power series inside the window, less its gaps
 * (energy_compute.c's covered()). */
static double covered(const struct wl_schan *c, double t0, double t1, double gap_s)
{
	double a, b;

	if (c->npts < 2)
		return 0;
	a = c->first_pt > t0 ? c->first_pt : t0;
	b = c->last_pt < t1 ? c->last_pt : t1;
	return b > a ? b - a - gap_s : 0;
}

static void warn_gaps(const struct wl_schan *c, const char *name, struct wl_dataset *ds)
{
	size_t i;

	for (i = 0; i < c->ngapw && i < 5; i++)
		wl_dataset_warn(ds, "%s: gap of %.3f s at t=%.3f s not bridged (bound %.3f s)",
				name, c->gw_d[i], c->gw_t[i], c->max_gap);
	if (c->ngapw > 5)
		wl_dataset_warn(ds, "%s: %zu more gaps not bridged", name, c->ngapw - 5);
}

static void one_component(struct wl_stream *s, struct wl_dataset *ds,
			  const struct wl_comp_plan *p, const struct wl_scomp *sc,
			  struct wl_energy *e, struct wl_component_energy *ce)
{
	int kg = wl_comp_plan_best_gauge(p), kbest = wl_comp_plan_best(p), k;
	size_t j;

	memset(ce, 0, sizeof(*ce));
	snprintf(ce->name, sizeof(ce->name), "%s", p->name);
	ce->counter_j = ce->gauge_j = ce->diff_pct = NAN;
	ce->peak_power_w = NAN;
	for (k = 0; k < WL_NCLASS; k++) {
		double sum = 0, dur = 0;
		int any = 0;

		if (!p->nch[k] || (k != WL_CLASS_COUNTER && k != kg))
			continue;
		for (j = 0; k == kbest && j < p->nch[k]; j++)
			if (k == WL_CLASS_COUNTER)
				wl_counter_norm_warn(&s->ch[p->ch[k][j]].cn, &ds->ch[p->ch[k][j]], ds);
		for (j = 0; j < p->nch[k]; j++) {
			const struct wl_schan *c = &s->ch[p->ch[k][j]];
			const struct wl_channel *dc = &ds->ch[p->ch[k][j]];
			char name[160];

			sum += c->energy_j;
			/* a power point: a counter's first point has none */
			any |= c->npts >= (k == WL_CLASS_COUNTER ? 2u : 1u);
			if (k != kbest)
				continue;
			dur = fmax(dur, covered(c, e->t_from, e->t_to, c->gap_s));
			ce->ngaps += c->ngaps;
			ce->gap_s += c->gap_s;
			snprintf(name, sizeof(name), "%s%s%s", dc->name, *dc->device ? " " : "",
				 dc->device);
			if (k != WL_CLASS_COUNTER)
				warn_gaps(c, name, ds);
		}
		if (k == kbest) {
			ce->peak_power_w = sc->peak;
			ce->duration_s = dur;
			snprintf(ce->method, sizeof(ce->method), "%s",
				 k == WL_CLASS_COUNTER ? "counter" :
				 k == WL_CLASS_INSTANT ? "trapz-inst" : "trapezoid");
		}
		if (!any) /* as energy_compute.c: a counter that never changed */
			sum = NAN;
		if (k == WL_CLASS_COUNTER)
			ce->counter_j = sum;
		else
			ce->gauge_j = sum;
	}
	ce->energy_j = kbest == WL_CLASS_COUNTER ? ce->counter_j : ce->gauge_j;
	if (!isnan(ce->counter_j) && !isnan(ce->gauge_j) && ce->counter_j != 0)
		ce->diff_pct = 100.0 * (ce->gauge_j - ce->counter_j) / ce->counter_j;
	ce->avg_power_w = ce->duration_s > 0 ? ce->energy_j / ce->duration_s : NAN;
}

static int energy_finish(struct wl_stream *s, struct wl_dataset *ds,
			 const struct wl_comp_plan *plan, size_t np, struct wl_energy *e)
{
	struct wl_series *names = calloc(np ? np : 1, sizeof(*names));
	size_t i;

	e->c = calloc(np ? np : 1, sizeof(*e->c));
	e->ch = calloc(ds->nch ? ds->nch : 1, sizeof(*e->ch));
	if (!names || !e->c || !e->ch) {
		free(names);
		return -1;
	}
	for (i = 0; i < np; i++) {
		one_component(s, ds, &plan[i], &s->comp[i], e, &e->c[i]);
		snprintf(names[i].name, sizeof(names[i].name), "%s", plan[i].name);
	}
	e->n = np;
	for (i = 0; i < e->n; i++) { /* energy_compute.c's total */
		size_t len = strlen(e->total_note);
		e->c[i].in_total = wl_component_in_total(e->c[i].name, names, np);
		if (!e->c[i].in_total || isnan(e->c[i].energy_j))
			continue;
		e->total_j = isnan(e->total_j) ? e->c[i].energy_j : e->total_j + e->c[i].energy_j;
		snprintf(e->total_note + len, sizeof(e->total_note) - len, "%s%s",
			 len ? " + " : "", e->c[i].name);
	}
	free(names);
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		struct wl_channel_energy *ce = &e->ch[e->nch];

		if (!s->ch[i].nraw || !s->ch[i].power)
			continue;
		snprintf(ce->name, sizeof(ce->name), "%s%s%s", c->name, *c->device ? " " : "",
			 c->device);
		snprintf(ce->component, sizeof(ce->component), "%s", c->component);
		ce->from_counter = c->kind == WL_DS_COUNTER;
		ce->energy_j = s->ch[i].energy_j;
		e->nch++;
	}
	return 0;
}

static int stats_finish(struct wl_stream *s, struct wl_dataset *ds, struct wl_report *r)
{
	size_t i;

	r->metrics = calloc(ds->nch ? ds->nch : 1, sizeof(*r->metrics));
	if (!r->metrics)
		return -1;
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		struct wl_metric_stats *m = &r->metrics[r->nmetrics];
		int power = s->ch[i].jcounter;

		if (!s->ch[i].nraw)
			continue;
		snprintf(m->name, sizeof(m->name), "%s%s", c->name, power ? " (power)" : "");
		snprintf(m->unit, sizeof(m->unit), "%s", power ? "W" : c->unit);
		snprintf(m->device, sizeof(m->device), "%s", c->device);
		snprintf(m->source, sizeof(m->source), "%s", c->source);
		wl_sstat_flush(&s->ch[i].st);
		wl_sstat_finish(&s->ch[i].st, m);
		if (m->n)
			r->nmetrics++;
	}
	return 0;
}

/* Components and the channels of each one's best class (for the peak). */
static int plan_setup(struct wl_stream *s, const struct wl_dataset *ds,
		      struct wl_comp_plan **plan, size_t *np)
{
	size_t i, j;

	if (wl_comp_plan_build(ds, plan, np))
		return -1;
	s->comp = calloc(*np ? *np : 1, sizeof(*s->comp));
	if (!s->comp)
		return -1;
	s->ncomp = *np;
	for (i = 0; i < *np; i++) {
		int k = wl_comp_plan_best(&(*plan)[i]);

		s->comp[i].peak = NAN;
		s->comp[i].m = (*plan)[i].nch[k];
		for (j = 0; j < (*plan)[i].nch[k]; j++)
			s->ch[(*plan)[i].ch[k][j]].comp = (int)i;
	}
	return 0;
}

/* Empties c for the decimated copy pass 2 writes, with room for its
 * points (at most one a bin, the counter's first reading, the two ends). */
static int reserve(struct wl_channel *c, size_t n)
{
	double *t, *v;

	c->n = 0;
	if (c->cap >= n)
		return 0;
	t = realloc(c->t, n * sizeof(*t));
	if (t)
		c->t = t;
	v = realloc(c->v, n * sizeof(*v));
	if (v)
		c->v = v;
	if (!t || !v)
		return -1;
	c->cap = n;
	return 0;
}

int wl_stream_analyse(struct wl_stream *s, const struct wl_analysis_opts *an,
		      struct wl_dataset *ds, struct wl_report *r, struct wl_error *err)
{
	struct wl_comp_plan *plan = NULL;
	size_t np = 0, i;
	double a, b, maxw = an->max_power_w > 0 ? an->max_power_w : WL_MAX_POWER_W_DEFAULT;
	int rc = -1;

	memset(&r->energy, 0, sizeof(r->energy));
	r->energy.total_j = NAN;
	s->e_from = r->energy.t_from = isnan(an->t_from) ? -INFINITY : an->t_from;
	s->e_to = r->energy.t_to = isnan(an->t_to) ? INFINITY : an->t_to;
	s->s_from = an->t_from;
	s->s_to = an->t_to;
	if (!wl_dataset_span(ds, &a, &b))
		return wl_error_set(err, "no samples in '%s'", s->path);
	s->d0 = a;
	s->dstep = fmax(WL_STREAM_DECIM_S, (b - a) / WL_STREAM_DECIM_MAX);
	if (plan_setup(s, ds, &plan, &np))
		goto oom;
	for (i = 0; i < s->nch; i++) {
		struct wl_schan *c = &s->ch[i];

		c->max_gap = an->max_gap_s > 0 ? an->max_gap_s : WL_MAX_GAP_FACTOR * c->median_dt;
		wl_counter_norm_init(&c->cn, c->f, c->wrap, maxw);
		if (wl_sstat_begin(&c->st))
			goto oom;
		if (reserve(&ds->ch[i], (size_t)((b - a) / s->dstep) + 4))
			goto oom;
	}
	if (!isnan(an->t_from) && an->t_from > a)
		a = an->t_from;
	if (!isnan(an->t_to) && an->t_to < b)
		b = an->t_to;
	if (grid_setup(s, ds, an, a, b, r))
		goto oom;
	if (wl_stream_pass2(s, ds, err))
		goto out;
	wl_stream_peak_end(s);
	if (wl_stream_decim_end(s, ds) || energy_finish(s, ds, plan, np, &r->energy))
		goto oom;
	if (!r->energy.n)
		wl_dataset_warn(ds, "no power or energy channel: no energy reported");
	if (stats_finish(s, ds, r))
		goto oom;
	wl_dataset_warn(ds, "streamed report (two passes, memory bounded): p50/p95/p99 within "
			"(max - min) / %d of the exact ones; phases, carbon and figures from "
			"%.3g s bins; --no-stream loads the whole trace", WL_STREAM_BINS, s->dstep);
	if (s->g) {
		grid_finish(s);
		if (r->grid.note[0])
			wl_dataset_warn(ds, "correlation: %s", r->grid.note);
		if (wl_correlation_compute(&r->grid, an, &r->corr, err))
			goto out;
	}
	rc = 0;
	goto out;
oom:
	wl_error_set(err, "out of memory analysing '%s'", s->path);
out:
	wl_comp_plan_free(plan, np);
	return rc;
}
