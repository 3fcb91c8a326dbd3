/*
 * energy_window.c - each component's energy over any window by the
 * report's rule (energy_compute.c): the channels of the class
 * wl_comp_load chooses over the run, each normalized with its gap bound,
 * their energies summed:
 *     E_c(a, b) = sum over the chosen channels j of wl_series_energy(j, a, b)
 * so that windows tiling the run sum to the report's component energy
 * (equal to rounding), whatever the number of channels of a component
 * (two RAPL packages of one "cpu" are two counters, never one summed
 * series whose end points differ from theirs).  Also each component's
 * power series (the chosen channels summed: wl_power_components_opts),
 * from the same channels.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/components.h"

void wl_comp_windows_free(struct wl_comp_window *c, size_t n)
{
	size_t i, j;

	for (i = 0; c && i < n; i++) {
		for (j = 0; j < c[i].n; j++)
			wl_series_release(&c[i].s[j]);
		free(c[i].s);
	}
	free(c);
}

int wl_comp_windows(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		    struct wl_dataset *warn, struct wl_comp_window **out, size_t *n,
		    struct wl_error *err)
{
	struct wl_comp_plan *plan = NULL;
	struct wl_series *tmp = NULL;
	struct wl_energy_acc *acc = NULL;
	struct wl_comp_window *res = NULL;
	double t0 = o ? o->t_from : NAN, t1 = o ? o->t_to : NAN;
	size_t np = 0, i, j, nres = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (wl_comp_plan_build(ds, &plan, &np))
		return wl_error_set(err, "out of memory grouping components of '%s'",
				    ds->path ? ds->path : "");
	res = calloc(np ? np : 1, sizeof(*res));
	tmp = calloc(ds->nch ? ds->nch : 1, sizeof(*tmp));
	acc = calloc(ds->nch ? ds->nch : 1, sizeof(*acc));
	if (!res || !tmp || !acc) {
		wl_error_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < np; i++, nres++) {
		struct wl_comp_window *c = &res[i];
		double cov[WL_NCLASS];
		int k = 0, kk;

		if (wl_comp_load(ds, &plan[i], o, t0, t1, warn, tmp, acc, cov, &k, err))
			goto out;
		snprintf(c->name, sizeof(c->name), "%s", plan[i].name);
		memcpy(c->node, plan[i].node, sizeof(c->node));
		c->s = calloc(k < WL_NCLASS && plan[i].nch[k] ? plan[i].nch[k] : 1, sizeof(*c->s));
		for (kk = 0; kk < WL_NCLASS; kk++)
			for (j = 0; j < plan[i].nch[kk]; j++) {
				struct wl_series *x = &tmp[plan[i].ch[kk][j]];

				if (kk == k && c->s) { /* kept: moved into c */
					c->known |= wl_series_has_power(x);
					c->s[c->n++] = *x;
				} else {
					wl_series_release(x);
				}
			}
		if (!c->s) {
			wl_error_set(err, "out of memory");
			nres++;
			goto out;
		}
	}
	*out = res;
	*n = nres;
	res = NULL;
	rc = 0;
out:
	wl_comp_windows_free(res, nres);
	free(tmp);
	free(acc);
	wl_comp_plan_free(plan, np);
	return rc;
}

double wl_comp_window_energy(const struct wl_comp_window *c, double t0, double t1)
{
	double sum = 0;
	size_t j;

	if (!c->known)
		return NAN;
	for (j = 0; j < c->n; j++)
		sum += wl_series_energy(&c->s[j], t0, t1);
	return sum;
}

/* Moves the series with some power first and returns their count (all n
 * when none has any): a counter that never changed ("not updating", no power
 * at all) adds nothing to its component, as in the report's energy
 * (energy_compute.c), instead of making every sum NaN. */
static size_t powered_first(struct wl_series *s, size_t n)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < s[i].n && isnan(s[i].p[j]); j++)
			;
		if (j < s[i].n) {
			struct wl_series x = s[k];

			s[k++] = s[i];
			s[i] = x;
		}
	}
	return k ? k : n;
}

int wl_comp_window_sum(const struct wl_comp_window *c, struct wl_series *out,
		       struct wl_error *err)
{
	struct wl_series *pick = calloc(c->n ? c->n : 1, sizeof(*pick));
	int rc;

	if (!pick)
		return wl_error_set(err, "out of memory");
	if (c->n)
		memcpy(pick, c->s, c->n * sizeof(*pick)); /* shallow: only read */
	rc = wl_series_sum(pick, powered_first(pick, c->n), c->name, out, err);
	memcpy(out->node, c->node, sizeof(out->node));
	free(pick);
	return rc;
}

void wl_comp_power_release(struct wl_comp_power *p)
{
	size_t i;

	for (i = 0; p->sum && i < p->n; i++)
		wl_series_release(&p->sum[i]);
	free(p->sum);
	wl_comp_windows_free(p->win, p->n);
	memset(p, 0, sizeof(*p));
}

int wl_comp_power_load(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		       struct wl_dataset *warn, struct wl_comp_power *p, struct wl_error *err)
{
	size_t n = 0, i;

	memset(p, 0, sizeof(*p));
	if (wl_comp_windows(ds, o, warn, &p->win, &n, err))
		return -1;
	p->n = n;
	p->sum = calloc(n ? n : 1, sizeof(*p->sum));
	if (!p->sum)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < n; i++)
		if (wl_comp_window_sum(&p->win[i], &p->sum[i], err))
			return -1;
	return 0;
}

int wl_power_components_opts(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
			     struct wl_dataset *warn, struct wl_series **out, size_t *n,
			     struct wl_error *err)
{
	struct wl_comp_power p;

	*out = NULL;
	*n = 0;
	if (wl_comp_power_load(ds, o, warn, &p, err)) {
		wl_comp_power_release(&p);
		return -1;
	}
	*out = p.sum; /* the sums move to the caller */
	*n = p.n;
	p.sum = NULL;
	wl_comp_power_release(&p);
	return 0;
}

int wl_power_components(const struct wl_dataset *ds, struct wl_series **out, size_t *n,
			struct wl_error *err)
{
	return wl_power_components_opts(ds, NULL, NULL, out, n, err);
}
