/*
 * compare_run.c - one run of a compare folder, summarised by the public
 * stages: ingest -> wl_energy_compute -> wl_power_total (peak) ->
 * wl_phases_find (markers, else automatic; per-label energy) -> carbon
 * (carbon.h, per component that counts in the total, as `wattlog report`)
 * -> wl_efficiency_compute.  The definitions are in compare.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/carbon.h"
#include "wattlog/compare.h"
#include "wattlog/phases.h"
#include "wattlog/requests.h"
#include "wattlog/run.h"

#define MAX_PHASE_LABELS 8

void wl_cmp_opts_init(struct wl_cmp_opts *o)
{
	memset(o, 0, sizeof(*o));
	wl_analysis_opts_init(&o->an);
	o->phases = 1;
	o->pue = 1;
}

double wl_cmp_run_get(const struct wl_cmp_run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nval; i++)
		if (!strcmp(r->val[i].name, name))
			return r->val[i].v;
	return NAN;
}

/* Adds (or, for a repeated name such as a phase label seen twice, adds to)
 * a value; NaN values are not stored (absent, never 0). */
static void put(struct wl_cmp_run *r, int group, const char *name, const char *unit, double v)
{
	size_t i;

	if (!isfinite(v))
		return;
	for (i = 0; i < r->nval; i++)
		if (!strcmp(r->val[i].name, name)) {
			r->val[i].v += v;
			return;
		}
	if (r->nval == WL_CMP_MAX_VALS)
		return;
	snprintf(r->val[i].name, sizeof(r->val[i].name), "%s", name);
	snprintf(r->val[i].unit, sizeof(r->val[i].unit), "%s", unit);
	r->val[i].group = group;
	r->val[i].v = v;
	r->nval++;
}

/* "request 42" -> "request_42": column names without blanks or commas. */
static void column_name(char *buf, size_t len, const char *pre, const char *mid,
			const char *post)
{
	char *p;

	snprintf(buf, len, "%s%s%s", pre, mid, post);
	for (p = buf; *p; p++)
		if (*p == ' ' || *p == ',' || *p == '"' || *p == '\t')
			*p = '_';
}

/* With request windows: their distribution (request_count, mean and p95 of
 * the energy per request and of J/token, by the equal split of
 * requests.h) and the energy of each phase label across requests, instead
 * of one column per request window. */
static int request_values(const struct wl_dataset *ds, const struct wl_phase_list *pl,
			  struct wl_cmp_run *r)
{
	struct wl_request_list rl;
	struct wl_error err;
	char name[48];
	size_t j;
	int n;

	wl_request_list_init(&rl);
	if (wl_requests_compute(ds, pl, &rl, &err) < 0 || !rl.n) {
		wl_request_list_release(&rl);
		return 0;
	}
	put(r, WL_CMP_G_PHASE, "request_count", "", (double)rl.n);
	put(r, WL_CMP_G_PHASE, "request_energy_mean_j", "J", rl.energy.mean);
	put(r, WL_CMP_G_PHASE, "request_energy_p95_j", "J", rl.energy.p95);
	put(r, WL_CMP_G_PHASE, "request_j_per_token_mean", "J/token", rl.j_per_token.mean);
	put(r, WL_CMP_G_PHASE, "request_j_per_token_p95", "J/token", rl.j_per_token.p95);
	for (j = 0; j < rl.nlabels && j < MAX_PHASE_LABELS; j++) {
		column_name(name, sizeof(name), "phase_", rl.label[j], "_j");
		put(r, WL_CMP_G_PHASE, name, "J", rl.label_total_j[j]);
	}
	n = (int)rl.n;
	wl_request_list_release(&rl);
	return n;
}

static void phase_energy(const struct wl_dataset *ds, struct wl_cmp_run *r)
{
	struct wl_phase_opts po;
	struct wl_phase_list pl, win;
	struct wl_error err;
	const char *seen[MAX_PHASE_LABELS];
	size_t i, k, ns = 0;
	char name[48];
	int nreq = 0;

	wl_phase_opts_init(&po);
	wl_phase_list_init(&pl);
	wl_phase_list_init(&win);
	if (wl_phases_markers(ds, &win, &err) > 0)
		nreq = request_values(ds, &win, r);
	if (!nreq && wl_phases_find(ds, &po, &pl, &err) == 0) {
		for (i = 0; i < pl.n; i++) {
			if (pl.p[i].depth)
				continue;
			for (k = 0; k < ns && strcmp(seen[k], pl.p[i].label); k++)
				;
			if (k == ns) {
				if (ns == MAX_PHASE_LABELS)
					continue;
				seen[ns++] = pl.p[i].label;
			}
			column_name(name, sizeof(name), "phase_", pl.p[i].label, "_j");
			put(r, WL_CMP_G_PHASE, name, "J", pl.p[i].energy_j);
		}
	}
	wl_phase_list_release(&win);
	wl_phase_list_release(&pl);
}

/* The total power, decimated into at most WL_CMP_TRACE_MAX bins of equal
 * time (bin mean of the finite samples), t from the first sample. */
static int keep_trace(const struct wl_series *tot, double t_first, struct wl_cmp_run *r)
{
	size_t nb = tot->n < WL_CMP_TRACE_MAX ? tot->n : WL_CMP_TRACE_MAX, i, b, k = 0;
	double t0, span, *st, *sp, *cnt;

	if (!tot->n)
		return 0;
	t0 = tot->t[0];
	span = tot->t[tot->n - 1] - t0;
	st = calloc(nb, sizeof(*st));
	sp = calloc(nb, sizeof(*sp));
	cnt = calloc(nb, sizeof(*cnt));
	if (!st || !sp || !cnt) {
		free(st);
		free(sp);
		free(cnt);
		return -1;
	}
	for (i = 0; i < tot->n; i++) {
		if (!isfinite(tot->p[i]))
			continue;
		b = span > 0 ? (size_t)((tot->t[i] - t0) / span * (double)(nb - 1) + 0.5) : 0;
		if (b >= nb)
			b = nb - 1;
		st[b] += tot->t[i];
		sp[b] += tot->p[i];
		cnt[b]++;
	}
	for (b = 0; b < nb; b++)
		if (cnt[b] > 0) {
			st[k] = st[b] / cnt[b] - t_first;
			sp[k] = sp[b] / cnt[b];
			k++;
		}
	free(cnt);
	r->pt = st;
	r->pw = sp;
	r->npw = k;
	return 0;
}

/* Each component's carbon: its energy in the energy column (e) at the
 * intensity its power series met (wl_carbon_of_energy), so that carbon and
 * per-token figures rest on the run's own energy column. */
static double carbon(const struct wl_dataset *ds, const struct wl_cmp_opts *o,
		     const struct wl_energy *e, const struct wl_series *comps, size_t n,
		     struct wl_error *err, int *rc)
{
	double g = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		struct wl_carbon c;

		if (!wl_component_in_total(&comps[i], comps, n))
			continue;
		if (wl_carbon_compute(&comps[i], ds->t0_realtime, o->intensity, o->pue, 0, &c,
				      err)) {
			*rc = -1;
			return NAN;
		}
		for (k = 0; k < e->n && strcmp(e->c[k].name, comps[i].name); k++)
			;
		if (k < e->n && !isnan(e->c[k].energy_j))
			g += wl_carbon_of_energy(&c, e->c[k].energy_j);
	}
	return g;
}

static int summarise(const struct wl_dataset *ds, const struct wl_energy *e,
		     const struct wl_cmp_opts *o, const struct wl_workload *w,
		     struct wl_cmp_run *r, struct wl_error *err)
{
	struct wl_series *comps = NULL, tot;
	struct wl_efficiency eff;
	double a, b, dur, peak = NAN, cg = NAN;
	size_t i, n = 0;
	char name[48];
	int rc = 0;

	if (!wl_dataset_span(ds, &a, &b) || !(b > a))
		return wl_error_set(err, "no samples in '%s'", r->path);
	dur = b - a;
	memset(&tot, 0, sizeof(tot));
	put(r, WL_CMP_G_TIME, "duration_s", "s", dur);
	put(r, WL_CMP_G_ENERGY, "energy_j", "J", e->total_j);
	for (i = 0; i < e->n; i++) {
		column_name(name, sizeof(name), "energy_", e->c[i].name, "_j");
		put(r, WL_CMP_G_COMP, name, "J", e->c[i].energy_j);
	}
	/* average power: energy over the time it covers (energy.h) */
	put(r, WL_CMP_G_POWER, "avg_power_w", "W", e->total_j / e->duration_s);
	if (e->n && wl_power_components_opts(ds, &o->an, NULL, &comps, &n, err) == 0 &&
	    wl_power_total(comps, n, &tot, err) == 0) {
		for (i = 0; i < tot.n; i++)
			if (isfinite(tot.p[i]) && !(tot.p[i] <= peak))
				peak = tot.p[i];
		put(r, WL_CMP_G_POWER, "peak_power_w", "W", peak);
		if (o->keep_power && keep_trace(&tot, a, r))
			rc = wl_error_set(err, "out of memory");
		if (!rc && o->intensity && isfinite(e->total_j))
			cg = carbon(ds, o, e, comps, n, err, &rc);
	} else if (e->n) {
		rc = -1;
	}
	if (!rc && o->phases && e->n)
		phase_energy(ds, r);
	wl_efficiency_compute(w, e->total_j, dur, cg, &eff);
	put(r, WL_CMP_G_EFF, "tokens_per_j", "tokens/J", eff.tokens_per_j);
	put(r, WL_CMP_G_EFF, "j_per_token", "J/token", eff.j_per_token);
	put(r, WL_CMP_G_EFF, "tokens_per_s", "tokens/s", eff.tokens_per_s);
	put(r, WL_CMP_G_EFF, "tps_per_w", "tokens/s/W", eff.tokens_per_s_per_w);
	/* throughput per user: tokens / s / requests (one user when unknown) */
	put(r, WL_CMP_G_EFF, "tps_per_user", "tokens/s",
	    eff.tokens_per_s / (w->requests > 0 ? w->requests : 1));
	put(r, WL_CMP_G_CARBON, "carbon_g", "g", cg);
	put(r, WL_CMP_G_CARBON, "g_per_token", "g/token", eff.g_per_token);
	r->align_s = NAN;
	if (o->align_marker)
		for (i = 0; i < ds->nmk; i++)
			if (ds->mk[i].text && strstr(ds->mk[i].text, o->align_marker)) {
				r->align_s = ds->mk[i].t - a;
				break;
			}
	for (i = 0; i < n; i++)
		wl_series_release(&comps[i]);
	free(comps);
	wl_series_release(&tot);
	return rc;
}

int wl_cmp_run_file(const char *path, const struct wl_cmp_opts *o,
		    const struct wl_workload *w, struct wl_cmp_run *r, struct wl_error *err)
{
	struct wl_run_opts ro;
	struct wl_run run;
	int rc;

	memset(r, 0, sizeof(*r));
	r->align_s = NAN;
	if (!(r->path = strdup(path)))
		return wl_error_set(err, "out of memory");
	/* the one composition (run.h): a long wattlog trace streams */
	wl_run_opts_init(&ro);
	ro.in = &o->in;
	ro.an = o->an;
	ro.stats = 0;
	ro.phases = 0;
	rc = wl_run_read(path, &ro, &run, err) ? -1 : 0;
	if (!rc)
		rc = summarise(&run.ds, &run.r.energy, o, w, r, err);
	wl_run_release(&run);
	return rc;
}

void wl_cmp_run_release(struct wl_cmp_run *r)
{
	free(r->path);
	free(r->pt);
	free(r->pw);
	memset(r, 0, sizeof(*r));
}
