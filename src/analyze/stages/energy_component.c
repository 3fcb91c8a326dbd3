/*
 * energy_component.c - one component's energy from the accumulators of its
 * channels (wl_energy_acc), the rule both the in-memory report
 * (energy_compute.c) and the streaming one (stream_report.c) apply: which
 * class of channels covers the component, its energy, the time it covers,
 * its bridged gaps with their bounds, and what was assumed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/components.h"

#define WL_TIE_COVER 0.01    /* classes within 1 % of the span cover alike */
#define WL_DISAGREE_PCT 5.0  /* counter vs gauge: warn beyond this */

static const char *class_word[WL_NCLASS] = { "energy counter", "instant power",
					     "averaged power" };

double wl_comp_cover_bound(const struct wl_comp_plan *p, const double *bound,
			   const double *first, const double *last)
{
	double reg = 0, any = 0;
	size_t j;
	int k;

	for (k = 0; k < WL_NCLASS; k++)
		for (j = 0; j < p->nch[k]; j++) {
			size_t i = p->ch[k][j];
			double b = bound[i];

			if (!(b > 0))
				continue;
			any = b > any ? b : any;
			if (b <= 0.25 * (last[i] - first[i]) && b > reg)
				reg = b;
		}
	return reg > 0 ? reg : any;
}

/* The component's first and last point inside the window. */
static void comp_span(const struct wl_comp_plan *p, const struct wl_energy_acc *acc,
		      double *a, double *b)
{
	size_t j;
	int k;

	*a = INFINITY;
	*b = -INFINITY;
	for (k = 0; k < WL_NCLASS; k++)
		for (j = 0; j < p->nch[k]; j++) {
			const struct wl_energy_acc *c = &acc[p->ch[k][j]];
			double x, y;

			if (c->npts < 2)
				continue;
			x = c->first_t > c->t0 ? c->first_t : c->t0;
			y = c->last_t < c->t1 ? c->last_t : c->t1;
			if (y <= x)
				continue;
			*a = x < *a ? x : *a;
			*b = y > *b ? y : *b;
		}
}

static int pick(const struct wl_comp_plan *p, const double cov[WL_NCLASS], int gauges_only)
{
	double best = -1;
	int k;

	for (k = gauges_only ? WL_CLASS_INSTANT : 0; k < WL_NCLASS; k++)
		if (p->nch[k] && cov[k] > best)
			best = cov[k];
	for (k = gauges_only ? WL_CLASS_INSTANT : 0; k < WL_NCLASS; k++)
		if (p->nch[k] && cov[k] >= best - WL_TIE_COVER)
			return k;
	return WL_NCLASS;
}

int wl_comp_choose(const struct wl_comp_plan *p, const struct wl_energy_acc *acc,
		   double cov[WL_NCLASS])
{
	double a, b;
	size_t j;
	int k;

	comp_span(p, acc, &a, &b);
	for (k = 0; k < WL_NCLASS; k++) {
		cov[k] = NAN;
		for (j = 0; j < p->nch[k]; j++) {
			const struct wl_energy_acc *c = &acc[p->ch[k][j]];
			double f = b > a && c->nvalid ? c->cover_s / (b - a) : 0;

			cov[k] = j == 0 || f < cov[k] ? f : cov[k];
		}
	}
	return pick(p, cov, 0);
}

int wl_comp_choose_gauge(const struct wl_comp_plan *p, const double cov[WL_NCLASS])
{
	return pick(p, cov, 1);
}

static void chan_name(const struct wl_dataset *ds, size_t i, char *buf, size_t n)
{
	const struct wl_channel *c = &ds->ch[i];

	snprintf(buf, n, "%s%s%s", c->name, *c->device ? " " : "", c->device);
}

/* Energy of class k: the sum of its channels; NaN when none has a power
 * (a counter that never changed: "not updating", not 0 J): the rule
 * wl_series_has_power states for a series, here on the accumulators. */
static double class_energy(const struct wl_comp_plan *p, const struct wl_energy_acc *acc, int k)
{
	double sum = 0;
	size_t j;
	int any = 0;

	if (k >= WL_NCLASS || !p->nch[k])
		return NAN;
	for (j = 0; j < p->nch[k]; j++) {
		sum += acc[p->ch[k][j]].energy_j;
		any |= acc[p->ch[k][j]].nvalid > 0;
	}
	return any ? sum : NAN;
}

static void note_gaps(const struct wl_dataset *ds, size_t i, const struct wl_energy_acc *c,
		      struct wl_dataset *warn)
{
	char name[160];
	size_t g;

	if (!warn || !c->ngaps)
		return;
	chan_name(ds, i, name, sizeof(name));
	for (g = 0; g < c->ngapw && g < WL_GAPS_LISTED; g++) {
		if (c->keep_gaps_out)
			wl_dataset_warn(warn, "%s: gap of %.3f s at t=%.3f s not bridged "
					"(bound %.3f s, --no-bridge)", name, c->gw_d[g], c->gw_t[g],
					c->max_gap_s);
		else
			wl_dataset_warn(warn, "%s: gap of %.3f s at t=%.3f s bridged by the "
					"trapezoid: %.4g J (bound %.3f s)", name, c->gw_d[g],
					c->gw_t[g], c->gw_j[g], c->max_gap_s);
	}
	if (c->ngapw > WL_GAPS_LISTED)
		wl_dataset_warn(warn, "%s: %zu more gaps %s", name, c->ngapw - WL_GAPS_LISTED,
				c->keep_gaps_out ? "not bridged" : "bridged");
	if (c->keep_gaps_out)
		wl_assume(&warn->assume, WL_ASSUME_GAP, "%s: %zu gap%s (%.3f s) left out "
			  "(--no-bridge): its energy is partial, its average power over the "
			  "%.3f s it covers",
				name, c->ngaps, c->ngaps > 1 ? "s" : "", c->gap_s,
				wl_energy_acc_covered(c));
	else
		wl_assume(&warn->assume, WL_ASSUME_GAP, "%s: %zu gap%s longer than %.3f s "
			  "(%.3f s in all) bridged by the trapezoid: %.4g J = %.3g %% of its "
			  "energy (bounds %.4g..%.4g J: the lowest and highest power seen x the "
			  "gaps; --max-gap sets the bound, --no-bridge leaves them out)", name, c->ngaps, c->ngaps > 1 ? "s" : "",
				c->max_gap_s, c->gap_s, c->gap_j,
				c->energy_j != 0 ? 100.0 * c->gap_j / c->energy_j : 0.0,
				c->pmin * c->gap_s, c->pmax * c->gap_s);
}

static void note_choice(const struct wl_dataset *ds, const struct wl_comp_plan *p,
			int k, const double cov[WL_NCLASS], struct wl_dataset *warn)
{
	char name[160], others[400] = "";
	size_t len = 0;
	int c;

	if (!warn)
		return;
	for (c = 0; c < WL_NCLASS; c++) {
		if (c == k || !p->nch[c])
			continue;
		chan_name(ds, p->ch[c][0], name, sizeof(name));
		len += (size_t)snprintf(others + len, len < sizeof(others) ? sizeof(others) - len : 0,
					"%s'%s' (%s, covers %.0f %%)", len ? ", " : "", name,
					class_word[c], 100.0 * cov[c]);
		if (len >= sizeof(others))
			len = sizeof(others) - 1;
	}
	if (!len)
		return;
	chan_name(ds, p->ch[k][0], name, sizeof(name));
	wl_assume(&warn->assume, WL_ASSUME_CHANNEL, "%s: energy from '%s'%s (%s, covers "
		  "%.0f %% of the component's span) rather than %s: the channel that covers "
		  "the window best, counter > instant > averaged power where they cover alike",
			p->name, name, p->nch[k] > 1 ? " and its kind" : "", class_word[k],
			100.0 * cov[k], others);
}

/* Counter and gauge of one component that cover alike but disagree. */
static void note_disagree(const struct wl_dataset *ds, const struct wl_comp_plan *p, int k,
			  const double cov[WL_NCLASS], const struct wl_component_energy *ce,
			  struct wl_dataset *warn)
{
	char cn[160], gn[160];
	int g = wl_comp_choose_gauge(p, cov);

	if (!warn || isnan(ce->diff_pct) || fabs(ce->diff_pct) <= WL_DISAGREE_PCT)
		return;
	chan_name(ds, p->ch[WL_CLASS_COUNTER][0], cn, sizeof(cn));
	chan_name(ds, p->ch[g][0], gn, sizeof(gn));
	wl_dataset_warn(warn, "%s: the energy counter '%s' (%.4g J) and the power gauge '%s' "
			"(%.4g J) disagree by %+.1f %%; the %s is used", p->name, cn, ce->counter_j,
			gn, ce->gauge_j, ce->diff_pct,
			k == WL_CLASS_COUNTER ? "counter" : "gauge");
}

void wl_comp_energy_fill(const struct wl_dataset *ds, const struct wl_comp_plan *p,
			 const struct wl_energy_acc *acc, int k, const double cov[WL_NCLASS],
			 struct wl_dataset *warn, struct wl_component_energy *ce)
{
	int kg = wl_comp_choose_gauge(p, cov);
	size_t j;

	memset(ce, 0, sizeof(*ce));
	snprintf(ce->name, sizeof(ce->name), "%s", p->name);
	memcpy(ce->node, p->node, sizeof(ce->node));
	ce->peak_power_w = NAN;
	ce->counter_j = class_energy(p, acc, WL_CLASS_COUNTER);
	ce->gauge_j = class_energy(p, acc, kg);
	ce->energy_j = class_energy(p, acc, k);
	ce->diff_pct = NAN; /* only between a counter and a gauge that cover alike */
	if (!isnan(ce->counter_j) && !isnan(ce->gauge_j) && ce->counter_j != 0 &&
	    fabs(cov[kg] - cov[WL_CLASS_COUNTER]) <= WL_TIE_COVER)
		ce->diff_pct = 100.0 * (ce->gauge_j - ce->counter_j) / ce->counter_j;
	if (k >= WL_NCLASS)
		return;
	snprintf(ce->method, sizeof(ce->method), "%s",
		 k == WL_CLASS_COUNTER ? "counter" :
		 k == WL_CLASS_INSTANT ? "trapz-inst" : "trapezoid");
	for (j = 0; j < p->nch[k]; j++) {
		const struct wl_energy_acc *c = &acc[p->ch[k][j]];
		double d = wl_energy_acc_covered(c);

		ce->duration_s = d > ce->duration_s ? d : ce->duration_s;
		ce->ngaps += c->ngaps;
		ce->gap_s += c->gap_s;
		ce->gap_j += c->gap_j;
		if (c->ngaps && !c->keep_gaps_out) {
			ce->gap_lo_j += c->pmin * c->gap_s;
			ce->gap_hi_j += c->pmax * c->gap_s;
		}
		ce->nexcluded += c->nex;
		ce->partial |= c->keep_gaps_out && c->gap_s + c->ex_s > 0;
		note_gaps(ds, p->ch[k][j], c, warn);
	}
	ce->avg_power_w = ce->duration_s > 0 ? ce->energy_j / ce->duration_s : NAN;
	note_choice(ds, p, k, cov, warn);
	note_disagree(ds, p, k, cov, ce, warn);
}

int wl_component_in_total(const struct wl_series *c, const struct wl_series *all, size_t n)
{
	struct wl_total_scope scope;
	size_t i;

	wl_total_scope_init(&scope);
	for (i = 0; i < n; i++)
		wl_total_scope_add(&scope, all[i].name, all[i].node);
	return wl_component_name_in_total(c->name, c->node, &scope);
}

void wl_energy_total(struct wl_energy *e)
{
	struct wl_total_scope scope;
	size_t i;

	e->total_j = NAN;
	e->total_note[0] = 0;
	wl_total_scope_init(&scope);
	for (i = 0; i < e->n; i++)
		wl_total_scope_add(&scope, e->c[i].name, e->c[i].node);
	for (i = 0; i < e->n; i++) {
		struct wl_component_energy *c = &e->c[i];
		size_t len = strlen(e->total_note);

		c->in_total = wl_component_name_in_total(c->name, c->node, &scope);
		if (!c->in_total || isnan(c->energy_j))
			continue;
		e->total_j = wl_energy_add_known(e->total_j, c->energy_j);
		e->duration_s = c->duration_s > e->duration_s ? c->duration_s : e->duration_s;
		e->gap_j += c->gap_j;
		e->gap_lo_j += c->gap_lo_j;
		e->gap_hi_j += c->gap_hi_j;
		e->partial |= c->partial;
		snprintf(e->total_note + len, sizeof(e->total_note) - len, "%s%s",
			 len ? " + " : "", c->name);
	}
}
