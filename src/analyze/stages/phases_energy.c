/*
 * phases_energy.c - energy, average and peak power of each phase window, from
 * the same components, channels and energy rule as the report's total
 * (energy_window.c):
 *     E(window) = sum over components c counted in the total of
 *                 wl_comp_window_energy(c, start_s, end_s)
 * (exact for counters, trapezoid rule for gauges, partial intervals in
 * proportion, each channel of a component on its own), so windows that
 * tile the trace sum to the report's total.  A
 * component with no power value at all (a counter that never changed) has
 * an unknown energy (NaN), as in the report (wl_series_has_power), and the
 * sums count the known ones only (wl_energy_add_known): NaN when none is.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/phases.h"
#include "phases_int.h"

/* Linear interpolation of the total at t (NaN outside or across a NaN). */
static double at(const struct wl_series *tot, double t)
{
	size_t lo = 0, hi = tot->n;

	if (!tot->n || t < tot->t[0] || t > tot->t[tot->n - 1])
		return NAN;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (tot->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (hi == tot->n || tot->t[hi] == tot->t[lo])
		return tot->p[lo];
	return tot->p[lo] + (tot->p[hi] - tot->p[lo]) * (t - tot->t[lo]) /
	       (tot->t[hi] - tot->t[lo]);
}

/* Max of the total power at its samples inside [t0, t1]; a window with no
 * sample inside takes the larger of its interpolated values at both ends.
 * NaN if neither exists. */
static double peak(const struct wl_series *tot, double t0, double t1)
{
	double m = NAN, e[2];
	size_t i, lo = 0, hi = tot->n;

	while (lo < hi) { /* the first sample at or after t0 */
		size_t mid = lo + (hi - lo) / 2;

		if (tot->t[mid] < t0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < tot->n && tot->t[i] <= t1; i++)
		if (!isnan(tot->p[i]) && (isnan(m) || tot->p[i] > m))
			m = tot->p[i];
	if (!isnan(m))
		return m;
	e[0] = at(tot, t0);
	e[1] = at(tot, t1);
	for (i = 0; i < 2; i++)
		if (!isnan(e[i]) && (isnan(m) || e[i] > m))
			m = e[i];
	return m;
}

/* Whether component comp belongs to node (its field, "n1"); every component
 * does when node is "" (a window of the whole run). */
static int of_node(const struct wl_series *comp, const char *node)
{
	return !*node || !strcmp(comp->node, node);
}

/* Peak power of node's components in [t0, t1]: their total's peak. */
static double node_peak(const struct wl_series *comps, size_t ncomp, const int *in_total,
			const char *node, double t0, double t1)
{
	struct wl_series *pick = calloc(ncomp ? ncomp : 1, sizeof(*pick)), tot;
	struct wl_error err;
	double m = NAN;
	size_t k, n = 0;

	if (!pick)
		return NAN;
	for (k = 0; k < ncomp; k++)
		if (in_total[k] && of_node(&comps[k], node))
			pick[n++] = comps[k]; /* shallow: the sum only reads */
	memset(&tot, 0, sizeof(tot));
	if (n && wl_power_total(pick, n, &tot, &err) == 0) {
		m = peak(&tot, t0, t1);
		wl_series_release(&tot);
	}
	free(pick);
	return m;
}

int wl_phases_power(const struct wl_dataset *ds, struct wl_comp_power *pw, struct wl_error *err)
{
	size_t i;

	if (wl_comp_power_load(ds, NULL, NULL, pw, err) == 0)
		return 0;
	wl_comp_power_release(pw);
	for (i = 0; i < ds->nch; i++)
		if (wl_channel_is_power(&ds->ch[i]))
			return -1;
	return 0; /* no power at all: energies stay NaN */
}

int wl_phases_energy(const struct wl_dataset *ds, struct wl_phase_list *out,
		     struct wl_error *err)
{
	struct wl_comp_power pw;
	int rc;

	if (wl_phases_power(ds, &pw, err))
		return -1;
	rc = wl_phases_energy_with(ds, &pw, out, err);
	wl_comp_power_release(&pw);
	return rc;
}

int wl_phases_energy_with(const struct wl_dataset *ds, const struct wl_comp_power *pw,
			  struct wl_phase_list *out, struct wl_error *err)
{
	/* the report's channels of each component (win): their energies over
	 * each window; their sums (comps) for the peaks */
	const struct wl_series *comps = pw->sum;
	const struct wl_comp_window *win = pw->win;
	size_t ncomp = pw->n, i, k, kept = 0;
	struct wl_series tot;
	int *in_total = NULL, *known = NULL;
	int have_tot = 0, rc = -1;
	double first = 0, last = 0;

	memset(&tot, 0, sizeof(tot));
	in_total = calloc(ncomp ? ncomp : 1, sizeof(*in_total));
	known = calloc(ncomp ? ncomp : 1, sizeof(*known));
	if (!in_total || !known) {
		wl_error_set(err, "out of memory");
		goto fail;
	}
	out->ncomp = 0;
	for (k = 0; k < ncomp; k++) {
		in_total[k] = wl_component_in_total(&comps[k], comps, ncomp);
		known[k] = in_total[k] && win[k].known;
		if (in_total[k] && out->ncomp < WL_PHASE_MAX_COMPONENTS)
			snprintf(out->comp[out->ncomp++], sizeof(out->comp[0]), "%s",
				 comps[k].name);
	}
	if (ncomp && wl_power_total(comps, ncomp, &tot, err) == 0)
		have_tot = 1;
	wl_dataset_span(ds, &first, &last);
	out->total_energy_j = NAN;
	for (i = 0; i < out->n; i++) {
		struct wl_phase *ph = &out->p[i];
		double dur = ph->end_s - ph->start_s;

		ph->energy_j = NAN;
		kept = 0;
		for (k = 0; k < ncomp; k++) {
			double e = NAN;

			if (!in_total[k])
				continue;
			/* a node's phase counts that node's components only */
			if (of_node(&comps[k], ph->node) && known[k]) {
				e = wl_comp_window_energy(&win[k], ph->start_s, ph->end_s);
				ph->energy_j = wl_energy_add_known(ph->energy_j, e);
			}
			if (kept < WL_PHASE_MAX_COMPONENTS)
				ph->comp_energy_j[kept++] = e;
		}
		ph->avg_power_w = dur > 0 ? ph->energy_j / dur : NAN;
		if (*ph->node)
			ph->peak_power_w = node_peak(comps, ncomp, in_total, ph->node,
						     ph->start_s, ph->end_s);
		else
			ph->peak_power_w = have_tot ? peak(&tot, ph->start_s, ph->end_s) : NAN;
	}
	for (k = 0; k < ncomp; k++)
		if (in_total[k] && known[k])
			out->total_energy_j = wl_energy_add_known(out->total_energy_j,
								  wl_comp_window_energy(&win[k], first, last));
	rc = 0;
fail:
	free(in_total);
	free(known);
	if (have_tot)
		wl_series_release(&tot);
	return rc;
}

int wl_phases_clip(const struct wl_dataset *ds, const struct wl_phase_list *in, double t0,
		   double t1, struct wl_phase_list *out, struct wl_error *err)
{
	size_t i;

	snprintf(out->method, sizeof(out->method), "%s", in->method);
	for (i = 0; i < in->n; i++) {
		struct wl_phase ph = in->p[i];

		if (ph.depth > 0 || !(fmin(ph.end_s, t1) > fmax(ph.start_s, t0)))
			continue;
		ph.start_s = fmax(ph.start_s, t0);
		ph.end_s = fmin(ph.end_s, t1);
		ph.nattr = 0; /* the attributes stay in in */
		if (wl_phase_list_push(out, &ph) < 0)
			return wl_error_set(err, "out of memory");
	}
	return wl_phases_energy(ds, out, err);
}
