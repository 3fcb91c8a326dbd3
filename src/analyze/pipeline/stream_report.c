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

#include "wattlog/components.h"
#include "wattlog/grow.h"
#include "stream_pass.h"

/* The row correlation beside the grid (stream_pass.h), centred on each
 * column's pass-1 mean.  0 or -1 (out of memory). */
static int rows_setup(struct wl_stream *s, const struct wl_analysis_opts *o)
{
	size_t i, m = s->g->ncols;
	double *centre = malloc((m + 1) * sizeof(*centre));
	int rc;

	s->rowv = malloc((m + 1) * sizeof(*s->rowv));
	s->rowseen = calloc(m + 1, 1);
	if (!centre || !s->rowv || !s->rowseen) {
		free(centre);
		return -1;
	}
	for (i = 0; i < s->nch; i++)
		if (s->ch[i].gridded)
			centre[s->ch[i].col] = s->ch[i].st.sum1 / (double)s->ch[i].st.n1;
	rc = wl_corr_rows_init(&s->rows, m, centre, o->exclude_identical);
	free(centre);
	s->rows_ok = rc == 0;
	return rc;
}

/* The grid over [a, b] by wl_grid_plan (bounded: coarsened even when
 * asked), offered each channel's pass-1 count and median interval; NULL g
 * (and a warning) when there is none.  -1 out of memory. */
static int grid_setup(struct wl_stream *s, struct wl_dataset *ds, const struct wl_analysis_opts *o,
		      double a, double b, struct wl_report *r)
{
	struct wl_grid_offer *off = calloc(s->nch ? s->nch : 1, sizeof(*off));
	struct wl_error gerr;
	size_t i;
	int rc;

	if (!off)
		return -1;
	for (i = 0; i < s->nch; i++) {
		off[i].able = s->ch[i].nraw >= 2 && (ds->ch[i].kind == WL_DS_GAUGE ||
						     s->ch[i].jcounter);
		off[i].n = s->ch[i].nraw;
		off[i].median_dt = s->ch[i].median_dt;
	}
	rc = wl_grid_plan(ds, off, a, b, o, 1, &r->grid, &gerr);
	for (i = 0; i < s->nch; i++) {
		s->ch[i].gridded = rc == 0 && off[i].col != WL_GRID_NONE;
		s->ch[i].col = s->ch[i].gridded ? off[i].col : 0;
	}
	free(off);
	if (rc == 1)
		wl_dataset_warn(ds, "correlation: %s", gerr.msg);
	if (rc)
		return rc < 0 ? -1 : 0;
	s->gcnt = wl_calloc_touched(r->grid.ncols * r->grid.nbins, sizeof(*s->gcnt));
	if (!s->gcnt)
		return -1;
	s->g = &r->grid;
	s->g_end = b;
	r->have_grid = 1;
	return rows_setup(s, o);
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

/* Each component through wl_comp_choose and wl_comp_energy_fill (the rule
 * of energy_compute.c), its peak that of the chosen class; the per-channel
 * energies; the total. */
static int energy_finish(struct wl_stream *s, struct wl_dataset *ds,
			 const struct wl_comp_plan *plan, size_t np, struct wl_energy *e)
{
	size_t i, j;
	int k;

	e->c = calloc(np ? np : 1, sizeof(*e->c));
	e->ch = calloc(ds->nch ? ds->nch : 1, sizeof(*e->ch));
	if (!e->c || !e->ch)
		return -1;
	for (i = 0; i < ds->nch; i++)
		wl_energy_acc_end(&s->acc[i]);
	for (i = 0; i < np; i++) {
		double cov[WL_NCLASS];

		for (k = 0; k < WL_NCLASS; k++) /* as wl_normalize_channel warns */
			for (j = 0; j < plan[i].nch[k]; j++) {
				size_t x = plan[i].ch[k][j];

				if (k == WL_CLASS_COUNTER)
					wl_counter_norm_warn(&s->ch[x].cn, &ds->ch[x], ds);
				else
					wl_gauge_norm_warn(&s->ch[x].gn, &ds->ch[x], ds);
			}
		k = wl_comp_choose(&plan[i], s->acc, cov);
		wl_comp_energy_fill(ds, &plan[i], s->acc, k, cov, ds, &e->c[i]);
		if (k < WL_NCLASS)
			e->c[i].peak_power_w = s->comp[i * WL_NCLASS + (size_t)k].peak;
	}
	e->n = np;
	wl_energy_total(e);
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		struct wl_channel_energy *ce = &e->ch[e->nch];

		if (!s->ch[i].nraw || !s->ch[i].power)
			continue;
		snprintf(ce->name, sizeof(ce->name), "%s%s%s", c->name, *c->device ? " " : "",
			 c->device);
		snprintf(ce->component, sizeof(ce->component), "%s", c->component);
		ce->from_counter = c->kind == WL_DS_COUNTER;
		ce->energy_j = s->acc[i].energy_j;
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

		if (!s->ch[i].nraw)
			continue;
		wl_metric_label(m, c);
		wl_sstat_flush(&s->ch[i].st);
		wl_sstat_finish(&s->ch[i].st, m);
		if (m->n && s->ch[i].counter)
			wl_counter_rate_assume(&ds->assume, c, &s->ch[i].rate, &s->ch[i].cn);
		if (m->n)
			r->nmetrics++;
	}
	return 0;
}

/* Components, a peak accumulator for each class of each, and each power
 * channel's energy accumulator with its component's coverage bound. */
static int plan_setup(struct wl_stream *s, const struct wl_dataset *ds,
		      const struct wl_analysis_opts *an, struct wl_comp_plan **plan,
		      size_t *np)
{
	double *own = calloc(3 * (s->nch ? s->nch : 1), sizeof(double));
	size_t i, j;
	int k;

	if (!own || wl_comp_plan_build(ds, plan, np)) {
		free(own);
		return -1;
	}
	s->comp = calloc(*np ? *np * WL_NCLASS : 1, sizeof(*s->comp));
	s->acc = calloc(s->nch ? s->nch : 1, sizeof(*s->acc));
	if (!s->comp || !s->acc) {
		free(own);
		return -1;
	}
	s->ncomp = *np * WL_NCLASS;
	for (i = 0; i < s->nch; i++) {
		own[i] = WL_MAX_GAP_FACTOR * s->ch[i].median_dt;
		own[s->nch + i] = s->ch[i].t_first;
		own[2 * s->nch + i] = s->ch[i].t_last;
		wl_energy_acc_init(&s->acc[i], ds->ch[i].kind == WL_DS_COUNTER, s->ch[i].max_gap,
				   an->no_bridge, s->e_from, s->e_to);
	}
	for (i = 0; i < *np; i++) {
		const struct wl_comp_plan *p = &(*plan)[i];
		double bound = wl_comp_cover_bound(p, own, own + s->nch, own + 2 * s->nch);

		for (k = 0; k < WL_NCLASS; k++) {
			struct wl_scomp *sc = &s->comp[i * WL_NCLASS + (size_t)k];

			sc->peak = NAN;
			sc->m = p->nch[k];
			for (j = 0; j < p->nch[k]; j++) {
				s->ch[p->ch[k][j]].comp = (int)(i * WL_NCLASS + (size_t)k);
				s->acc[p->ch[k][j]].cover_gap_s = bound;
			}
		}
	}
	free(own);
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
	for (i = 0; i < WL_STREAM_LANES; i++)
		s->lane[i].dk_t = s->lane[i].gx_t = NAN;
	for (i = 0; i < s->nch; i++)
		s->ch[i].max_gap = an->max_gap_s > 0 ? an->max_gap_s :
			WL_MAX_GAP_FACTOR * s->ch[i].median_dt;
	if (plan_setup(s, ds, an, &plan, &np))
		goto oom;
	for (i = 0; i < s->nch; i++) {
		struct wl_schan *c = &s->ch[i];

		if (c->counter) /* the bound of --max-power */
			wl_counter_rate_of(&ds->ch[i], an->max_power_w, &c->rate);
		wl_counter_norm_init(&c->cn, c->rate.f, c->wrap, c->rate.max);
		wl_gauge_norm_init(&c->gn, maxw);
		/* a gauge's pass 2 takes every value pass 1 took, in order */
		c->st.from1 = !c->counter && isnan(an->t_from) && isnan(an->t_to);
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
		wl_stream_rows_end(s);
		if (r->grid.note[0])
			wl_dataset_warn(ds, "correlation: %s", r->grid.note);
		if (s->rows_ok && s->rows.n >= 3) { /* r over every row (correlate.c's rule) */
			if (wl_corr_rows_finish(&s->rows, &r->grid, an, &r->corr, err))
				goto out;
		} else if (wl_correlation_compute(&r->grid, an, &r->corr, err)) {
			goto out;
		}
	}
	rc = 0;
	goto out;
oom:
	wl_error_set(err, "out of memory analysing '%s'", s->path);
out:
	wl_comp_plan_free(plan, np);
	return rc;
}
