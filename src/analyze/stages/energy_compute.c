/*
 * energy_compute.c - energy per component and in total over a window, in
 * memory: each component's channels through wl_comp_load (the class that
 * covers the window: the counter's exact difference, else the trapezoid of
 * its power gauge) and wl_comp_energy_fill, the rule the streaming report
 * shares.  The total sums the components wl_component_in_total admits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/components.h"

void wl_energy_release(struct wl_energy *e)
{
	free(e->c);
	free(e->ch);
	memset(e, 0, sizeof(*e));
}

static int one_component(const struct wl_dataset *ds, const struct wl_comp_plan *p,
			 const struct wl_analysis_opts *o, struct wl_dataset *warn,
			 struct wl_energy *e, struct wl_component_energy *ce,
			 struct wl_series *tmp, struct wl_energy_acc *acc, struct wl_error *err)
{
	struct wl_series *pick = calloc(ds->nch ? ds->nch : 1, sizeof(*pick)), sum_s;
	double cov[WL_NCLASS];
	size_t j;
	int k, rc = -1;

	if (!pick)
		return wl_error_set(err, "out of memory");
	if (wl_comp_load(ds, p, o, e->t_from, e->t_to, warn, tmp, acc, cov, &k, err)) {
		free(pick);
		return -1;
	}
	wl_comp_energy_fill(ds, p, acc, k, cov, warn, ce);
	/* the peak of the chosen channels summed, inside the window */
	for (j = 0; j < p->nch[k]; j++)
		pick[j] = tmp[p->ch[k][j]];
	if (wl_series_sum(pick, p->nch[k], p->name, &sum_s, err) == 0) {
		for (j = 0; j < sum_s.n; j++)
			if (sum_s.t[j] >= e->t_from && sum_s.t[j] <= e->t_to && !isnan(sum_s.p[j]) &&
			    (isnan(ce->peak_power_w) || sum_s.p[j] > ce->peak_power_w))
				ce->peak_power_w = sum_s.p[j];
		wl_series_release(&sum_s);
		rc = 0;
	}
	for (k = 0; k < WL_NCLASS; k++)
		for (j = 0; j < p->nch[k]; j++)
			wl_series_release(&tmp[p->ch[k][j]]);
	free(pick);
	return rc;
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
		s.keep_gaps_out = o->no_bridge;
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
	struct wl_series *tmp = NULL;
	struct wl_energy_acc *acc = NULL;
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
	acc = calloc(ds->nch ? ds->nch : 1, sizeof(*acc));
	if (!e->c || !tmp || !acc) {
		wl_error_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < np; i++) {
		if (one_component(ds, &plan[i], &o, warn, e, &e->c[i], tmp, acc, err))
			goto out;
		e->n++;
	}
	wl_energy_total(e);
	if (channel_energies(ds, &o, e, err))
		goto out;
	rc = 0;
out:
	free(tmp);
	free(acc);
	wl_comp_plan_free(plan, np);
	if (rc)
		wl_energy_release(e);
	return rc;
}
