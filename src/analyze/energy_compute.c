/*
 * energy_compute.c - energy per component and in total over a window: the
 * counter's exact difference where a component has one, else the trapezoid
 * integral of its best power gauge; both with their disagreement when both
 * exist.  The total sums the components wl_component_in_total admits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "components.h"

void wl_energy_release(struct wl_energy *e)
{
	free(e->c);
	free(e->ch);
	memset(e, 0, sizeof(*e));
}

/* Normalizes the channels of one class, each with its gap bound. */
static int class_series(const struct wl_dataset *ds, const struct wl_comp_plan *p, int k,
			const struct wl_analysis_opts *o, struct wl_dataset *warn,
			struct wl_series *s, struct wl_error *err)
{
	size_t j;

	for (j = 0; j < p->nch[k]; j++) {
		if (wl_normalize_channel(&ds->ch[p->ch[k][j]], o->max_power_w, &s[j], warn, err)) {
			while (j--)
				wl_series_release(&s[j]);
			return -1;
		}
		s[j].max_gap_s = o->max_gap_s > 0 ? o->max_gap_s :
			WL_MAX_GAP_FACTOR * wl_series_median_dt(s[j].t, s[j].n);
	}
	return 0;
}

static void release_all(struct wl_series *s, size_t n)
{
	while (n--)
		wl_series_release(&s[n]);
}

/* Lists the gaps of a gauge series in the window as warnings (at most 5). */
static void warn_gaps(const struct wl_series *s, const struct wl_energy *e,
		      struct wl_dataset *warn)
{
	size_t i, shown = 0, total = 0;

	if (!warn || s->from_counter || s->max_gap_s <= 0)
		return;
	for (i = 1; i < s->n; i++) {
		double a = s->t[i - 1], b = s->t[i];
		if (b - a <= s->max_gap_s || b <= e->t_from || a >= e->t_to)
			continue;
		if (shown++ < 5)
			wl_dataset_warn(warn, "%s: gap of %.3f s at t=%.3f s not bridged "
					"(bound %.3f s)",
					s->name, b - a, a, s->max_gap_s);
		total++;
	}
	if (total > 5)
		wl_dataset_warn(warn, "%s: %zu more gaps not bridged", s->name, total - 5);
}

/* Span of the series inside the window, less its gaps. */
static double covered(const struct wl_series *s, double t0, double t1, double gap_s)
{
	double a, b;

	if (s->n < 2)
		return 0;
	a = s->t[0] > t0 ? s->t[0] : t0;
	b = s->t[s->n - 1] < t1 ? s->t[s->n - 1] : t1;
	return b > a ? b - a - gap_s : 0;
}

static int one_component(const struct wl_dataset *ds, const struct wl_comp_plan *p,
			 const struct wl_analysis_opts *o, struct wl_dataset *warn,
			 struct wl_energy *e, struct wl_component_energy *ce,
			 struct wl_series *tmp, struct wl_error *err)
{
	int kg = wl_comp_plan_best_gauge(p), kbest = wl_comp_plan_best(p), k;
	size_t j;

	memset(ce, 0, sizeof(*ce));
	snprintf(ce->name, sizeof(ce->name), "%s", p->name);
	ce->counter_j = ce->gauge_j = ce->diff_pct = NAN;
	ce->peak_power_w = NAN;
	for (k = 0; k < WL_NCLASS; k++) {
		double sum = 0, dur = 0;
		size_t ng = 0;
		int any = 0;

		if (!p->nch[k] || (k != WL_CLASS_COUNTER && k != kg))
			continue;
		if (class_series(ds, p, k, o, k == kbest ? warn : NULL, tmp, err))
			return -1;
		for (j = 0; j < p->nch[k]; j++) {
			size_t g, i;
			double gs;
			sum += wl_series_energy_gaps(&tmp[j], e->t_from, e->t_to, &g, &gs);
			for (i = 0; i < tmp[j].n && !any; i++)
				any = !isnan(tmp[j].p[i]);
			if (k == kbest) {
				double c = covered(&tmp[j], e->t_from, e->t_to, gs);
				dur = c > dur ? c : dur;
				ng += g;
				ce->gap_s += gs;
				warn_gaps(&tmp[j], e, warn);
			}
		}
		if (k == kbest) {
			struct wl_series sum_s;
			if (wl_series_sum(tmp, p->nch[k], p->name, &sum_s, err)) {
				release_all(tmp, p->nch[k]);
				return -1;
			}
			for (j = 0; j < sum_s.n; j++)
				if (sum_s.t[j] >= e->t_from && sum_s.t[j] <= e->t_to &&
				    !isnan(sum_s.p[j]) &&
				    (isnan(ce->peak_power_w) || sum_s.p[j] > ce->peak_power_w))
					ce->peak_power_w = sum_s.p[j];
			wl_series_release(&sum_s);
			ce->duration_s = dur;
			ce->ngaps = ng;
		}
		release_all(tmp, p->nch[k]);
		/* No power at all from this class (a counter that never changed:
		 * "not updating"): its energy is unknown, not 0 J. */
		if (!any)
			sum = NAN;
		if (k == WL_CLASS_COUNTER)
			ce->counter_j = sum;
		else
			ce->gauge_j = sum;
		if (k == kbest)
			snprintf(ce->method, sizeof(ce->method), "%s",
				 k == WL_CLASS_COUNTER ? "counter" :
				 k == WL_CLASS_INSTANT ? "trapz-inst" :
							 "trapezoid");
	}
	ce->energy_j = kbest == WL_CLASS_COUNTER ? ce->counter_j : ce->gauge_j;
	if (!isnan(ce->counter_j) && !isnan(ce->gauge_j) && ce->counter_j != 0)
		ce->diff_pct = 100.0 * (ce->gauge_j - ce->counter_j) / ce->counter_j;
	ce->avg_power_w = ce->duration_s > 0 ? ce->energy_j / ce->duration_s : NAN;
	return 0;
}

static int channel_energies(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
			    struct wl_energy *e, struct wl_error *err)
{
	size_t i;

	e->ch = calloc(ds->nch ? ds->nch : 1, sizeof(*e->ch));
	if (!e->ch)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		struct wl_channel_energy *ce = &e->ch[e->nch];
		struct wl_series s;

		if (!c->n || !wl_channel_is_power(c))
			continue;
		if (wl_normalize_channel(c, o->max_power_w, &s, NULL, err))
			return -1;
		s.max_gap_s = o->max_gap_s > 0 ? o->max_gap_s :
			WL_MAX_GAP_FACTOR * wl_series_median_dt(s.t, s.n);
		snprintf(ce->name, sizeof(ce->name), "%s%s%s", c->name, *c->device ? " " : "",
			 c->device);
		snprintf(ce->component, sizeof(ce->component), "%s", c->component);
		ce->from_counter = s.from_counter;
		ce->energy_j = wl_series_energy(&s, e->t_from, e->t_to);
		wl_series_release(&s);
		e->nch++;
	}
	return 0;
}

int wl_energy_compute(const struct wl_dataset *ds, const struct wl_analysis_opts *opts,
		      struct wl_dataset *warn, struct wl_energy *e, struct wl_error *err)
{
	struct wl_analysis_opts o;
	struct wl_comp_plan *plan = NULL;
	struct wl_series *tmp = NULL, *names = NULL;
	size_t np = 0, i;
	int rc = -1;

	memset(e, 0, sizeof(*e));
	if (opts)
		o = *opts;
	else
		wl_analysis_opts_init(&o);
	if (o.max_power_w <= 0)
		o.max_power_w = WL_MAX_POWER_W_DEFAULT;
	e->t_from = isnan(o.t_from) ? -INFINITY : o.t_from;
	e->t_to = isnan(o.t_to) ? INFINITY : o.t_to;
	e->total_j = NAN;
	if (wl_comp_plan_build(ds, &plan, &np))
		return wl_error_set(err, "out of memory");
	e->c = calloc(np ? np : 1, sizeof(*e->c));
	tmp = calloc(ds->nch ? ds->nch : 1, sizeof(*tmp));
	names = calloc(np ? np : 1, sizeof(*names));
	if (!e->c || !tmp || !names) {
		wl_error_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < np; i++) {
		if (one_component(ds, &plan[i], &o, warn, e, &e->c[i], tmp, err))
			goto out;
		e->n++;
		snprintf(names[i].name, sizeof(names[i].name), "%s", plan[i].name);
	}
	for (i = 0; i < e->n; i++) {
		size_t len = strlen(e->total_note);
		e->c[i].in_total = wl_component_in_total(e->c[i].name, names, np);
		if (!e->c[i].in_total || isnan(e->c[i].energy_j))
			continue;
		e->total_j = isnan(e->total_j) ? e->c[i].energy_j : e->total_j + e->c[i].energy_j;
		snprintf(e->total_note + len, sizeof(e->total_note) - len, "%s%s",
			 len ? " + " : "", e->c[i].name);
	}
	if (channel_energies(ds, &o, e, err))
		goto out;
	rc = 0;
out:
	free(tmp);
	free(names);
	wl_comp_plan_free(plan, np);
	if (rc)
		wl_energy_release(e);
	return rc;
}
