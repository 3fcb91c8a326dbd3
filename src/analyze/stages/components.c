/*
 * components.c - the power of each energy component (cpu, dram, gpuN, each
 * Jetson rail, psys, node; in that order) and of the total, from the channels the ingester
 * tagged with channel->component.  Within a component the energy counter
 * wins over instantaneous power, which wins over averaged power; channels of
 * the chosen class are summed (the RAPL packages of "cpu").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/components.h"

/* Report order: cpu, dram, gpuN by N, other rails by name, psys, node. */
static int rank(const char *s, long *num)
{
	*num = 0;
	if (!strcmp(s, "cpu"))
		return 0;
	if (!strcmp(s, "dram"))
		return 1;
	if (!strncmp(s, "gpu", 3) && s[3] >= '0' && s[3] <= '9') {
		*num = strtol(s + 3, NULL, 10);
		return 2;
	}
	if (!strcmp(s, "psys"))
		return 4;
	if (!strcmp(s, "node"))
		return 5;
	return 3;
}

static int by_rank(const void *a, const void *b)
{
	const struct wl_comp_plan *x = a, *y = b;
	long nx, ny;
	int rx = rank(x->name, &nx), ry = rank(y->name, &ny);

	if (rx != ry)
		return rx - ry;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x->name, y->name);
}

void wl_comp_plan_free(struct wl_comp_plan *plan, size_t n)
{
	size_t i;
	int k;

	for (i = 0; plan && i < n; i++)
		for (k = 0; k < WL_NCLASS; k++)
			free(plan[i].ch[k]);
	free(plan);
}

int wl_comp_plan_build(const struct wl_dataset *ds, struct wl_comp_plan **plan, size_t *n)
{
	struct wl_comp_plan *p = calloc(ds->nch ? ds->nch : 1, sizeof(*p));
	size_t i, j, np = 0;

	if (!p)
		return -1;
	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		int k;

		if (!c->component || !*c->component || !c->n || !wl_channel_is_power(c))
			continue;
		for (j = 0; j < np; j++)
			if (!strcmp(p[j].name, c->component))
				break;
		if (j == np) {
			snprintf(p[np].name, sizeof(p[np].name), "%s", c->component);
			snprintf(p[np].node, sizeof(p[np].node), "%s", c->node);
			np++;
		}
		k = wl_energy_class(c->kind == WL_DS_COUNTER, c->instant);
		if (!p[j].ch[k]) {
			p[j].ch[k] = malloc(ds->nch * sizeof(size_t));
			if (!p[j].ch[k]) {
				wl_comp_plan_free(p, np);
				return -1;
			}
		}
		p[j].ch[k][p[j].nch[k]++] = i;
	}
	qsort(p, np, sizeof(*p), by_rank);
	*plan = p;
	*n = np;
	return 0;
}

int wl_comp_plan_best(const struct wl_comp_plan *p)
{
	int k;

	for (k = 0; k < WL_NCLASS; k++)
		if (p->nch[k])
			return k;
	return WL_NCLASS;
}

int wl_comp_plan_best_gauge(const struct wl_comp_plan *p)
{
	if (p->nch[WL_CLASS_INSTANT])
		return WL_CLASS_INSTANT;
	if (p->nch[WL_CLASS_GAUGE])
		return WL_CLASS_GAUGE;
	return WL_NCLASS;
}

/* The power of s at grid point x (gauge grid).  *from: where the search
 * for the first t >= x starts, left there for the next, later x (the grid
 * increases: one pass over s in all). */
static double value_at(const struct wl_series *s, double x, size_t *from)
{
	size_t lo = *from;

	if (!s->n || x < s->t[0] || x > s->t[s->n - 1])
		return NAN;
	while (lo < s->n && s->t[lo] < x) /* first t >= x */
		lo++;
	*from = lo;
	if (s->t[lo] == x)
		return s->from_counter && lo == 0 ? (s->n > 1 ? s->p[1] : NAN) : s->p[lo];
	if (s->from_counter)
		return s->p[lo];
	if (s->keep_gaps_out && s->max_gap_s > 0 && s->t[lo] - s->t[lo - 1] > s->max_gap_s)
		return NAN;
	return s->p[lo - 1] + (s->p[lo] - s->p[lo - 1]) * (x - s->t[lo - 1]) /
				      (s->t[lo] - s->t[lo - 1]);
}

/* Average power of s over (a, b] (counter grid); NaN unless covered. */
static double average_over(const struct wl_series *s, double a, double b)
{
	size_t i, lo = 0, hi;

	if (!s->n || a < s->t[0] || b > s->t[s->n - 1] || b <= a)
		return NAN;
	if (s->from_counter) {
		double e = 0;
		hi = s->n;
		while (lo < hi) { /* first t > a */
			size_t mid = lo + (hi - lo) / 2;
			if (s->t[mid] > a)
				hi = mid;
			else
				lo = mid + 1;
		}
		for (i = lo; i < s->n && s->t[i - 1] < b; i++) {
			double l = s->t[i - 1] > a ? s->t[i - 1] : a;
			double h = s->t[i] < b ? s->t[i] : b;
			if (isnan(s->p[i]))
				return NAN;
			e += s->p[i] * (h - l);
		}
		return e / (b - a);
	}
	return wl_series_energy(s, a, b) / (b - a);
}

int wl_series_sum(const struct wl_series *s, size_t n, const char *name,
		  struct wl_series *out, struct wl_error *err)
{
	const struct wl_series *g;
	size_t i, j, *from;

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	if (!n)
		return 0;
	g = &s[0];
	for (j = 1; j < n; j++)
		if (s[j].n > g->n)
			g = &s[j];
	out->from_counter = g->from_counter;
	out->max_gap_s = g->max_gap_s;
	out->keep_gaps_out = g->keep_gaps_out;
	out->n = g->n;
	out->t = malloc((g->n ? g->n : 1) * sizeof(double));
	out->p = malloc((g->n ? g->n : 1) * sizeof(double));
	if (!out->t || !out->p) {
		wl_series_release(out);
		return wl_error_set(err, "out of memory summing '%s'", name);
	}
	memcpy(out->t, g->t, g->n * sizeof(double));
	if (n == 1) {
		memcpy(out->p, g->p, g->n * sizeof(double));
		return 0;
	}
	from = calloc(n, sizeof(*from));
	if (!from) {
		wl_series_release(out);
		return wl_error_set(err, "out of memory summing '%s'", name);
	}
	for (i = 0; i < g->n; i++) {
		double sum = 0;

		if (g->from_counter && i == 0) {
			out->p[0] = NAN;
			continue;
		}
		for (j = 0; j < n; j++) {
			if (&s[j] == g)
				sum += g->p[i];
			else if (g->from_counter)
				sum += average_over(&s[j], g->t[i - 1], g->t[i]);
			else
				sum += value_at(&s[j], g->t[i], &from[j]);
		}
		out->p[i] = sum;
	}
	free(from);
	return 0;
}

int wl_comp_load(const struct wl_dataset *ds, const struct wl_comp_plan *p,
		 const struct wl_analysis_opts *o, double t0, double t1,
		 struct wl_dataset *warn, struct wl_series *s, struct wl_energy_acc *acc,
		 double cov[WL_NCLASS], int *kout, struct wl_error *err)
{
	double *own = calloc(3 * (ds->nch ? ds->nch : 1), sizeof(double));
	double maxw = o && o->max_power_w > 0 ? o->max_power_w : WL_MAX_POWER_W_DEFAULT;
	double bound;
	size_t j, i;
	int k, done = 0;

	if (!own)
		return wl_error_set(err, "out of memory");
	for (k = 0; k < WL_NCLASS; k++)
		for (j = 0; j < p->nch[k]; j++, done++) {
			i = p->ch[k][j];
			if (wl_normalize_channel(&ds->ch[i], maxw, &s[i], warn, err))
				goto fail;
			own[i] = WL_MAX_GAP_FACTOR * wl_series_median_dt(s[i].t, s[i].n);
			own[ds->nch + i] = s[i].n ? s[i].t[0] : 0;
			own[2 * ds->nch + i] = s[i].n ? s[i].t[s[i].n - 1] : 0;
			s[i].max_gap_s = o && o->max_gap_s > 0 ? o->max_gap_s : own[i];
			s[i].keep_gaps_out = o && o->no_bridge;
		}
	bound = wl_comp_cover_bound(p, own, own + ds->nch, own + 2 * ds->nch);
	for (k = 0; k < WL_NCLASS; k++)
		for (j = 0; j < p->nch[k]; j++) {
			struct wl_energy_acc *a = &acc[p->ch[k][j]];
			const struct wl_series *x = &s[p->ch[k][j]];

			wl_energy_acc_init(a, x->from_counter, x->max_gap_s, x->keep_gaps_out, t0, t1);
			a->cover_gap_s = bound;
			for (i = 0; i < x->n; i++)
				wl_energy_acc_point(a, x->t[i], x->p[i]);
			wl_energy_acc_end(a);
		}
	*kout = wl_comp_choose(p, acc, cov);
	free(own);
	return 0;
fail:
	for (k = 0; k < WL_NCLASS && done; k++)
		for (j = 0; j < p->nch[k] && done; j++, done--)
			wl_series_release(&s[p->ch[k][j]]);
	free(own);
	return -1;
}

int wl_power_total(const struct wl_series *comps, size_t n, struct wl_series *out,
		   struct wl_error *err)
{
	struct wl_series *in = calloc(n ? n : 1, sizeof(*in));
	size_t i, k = 0;
	int rc;

	if (!in)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < n; i++)
		if (wl_component_in_total(&comps[i], comps, n))
			in[k++] = comps[i]; /* shallow: wl_series_sum only reads */
	rc = wl_series_sum(in, k, "total", out, err);
	free(in);
	return rc;
}
