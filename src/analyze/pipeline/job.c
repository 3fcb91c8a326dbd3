/*
 * job.c - the summary of a merged job (merge.h): per-node totals, the job
 * total, and the imbalance between nodes.
 *
 *   node total    E_k = sum of E(k/c) over node k's components c (node field
 *                 k, struct wl_channel) whose base name (wl_component_base)
 *                 counts in a single-node total (not psys, not node)
 *   job total     E = sum_k E_k
 *   spread        100 (max_k E_k - min_k E_k) / mean_k E_k, over the nodes
 *                 with data (E_k: the node totals; when no node has one, the
 *                 nodes' whole-node pm_counters energy)
 *   ended late    t_last,k > median_k(t_last,k) + tol,
 *                 tol = max(1 s, 3 x the slowest median sampling interval)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/energy_rule.h"
#include "wattlog/merge.h"

static double meta_num(const struct wl_dataset *ds, const char *node, const char *leaf)
{
	char key[160];
	const char *v;
	char *end;
	double x;

	snprintf(key, sizeof(key), "job.node.%s.%s", node, leaf);
	v = wl_dataset_meta_get(ds, key);
	if (!v || !*v)
		return NAN;
	x = strtod(v, &end);
	return *end ? NAN : x;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int split_nodes(const char *list, struct wl_job_summary *s)
{
	const char *p = list;
	size_t n = 1, k = 0;

	for (const char *q = list; *q; q++)
		n += *q == ',';
	s->node = calloc(n, sizeof(*s->node));
	if (!s->node)
		return -1;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l) {
			struct wl_job_node *d = &s->node[k++];

			snprintf(d->name, sizeof(d->name), "%.*s", (int)(l < 63 ? l : 63), p);
			d->energy_j = d->node_energy_j = d->t_first = d->t_last = NAN;
		}
		p += l + (e ? 1 : 0);
	}
	s->n = k;
	return 0;
}

static void node_times(const struct wl_dataset *ds, struct wl_job_node *d, double *slow)
{
	for (size_t i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		double med;

		if (!c->n || strcmp(c->node, d->name))
			continue;
		d->present = 1;
		if (!(c->t[0] >= d->t_first))
			d->t_first = c->t[0];
		if (!(c->t[c->n - 1] <= d->t_last))
			d->t_last = c->t[c->n - 1];
		med = wl_series_median_dt(c->t, c->n);
		if (med > *slow)
			*slow = med;
	}
}

static void energies(const struct wl_energy *e, struct wl_job_summary *s)
{
	for (size_t k = 0; k < s->n; k++) {
		struct wl_job_node *d = &s->node[k];

		for (size_t i = 0; i < e->n; i++) {
			const struct wl_component_energy *c = &e->c[i];
			const char *base;

			if (strcmp(c->node, d->name) || isnan(c->energy_j))
				continue;
			base = wl_component_base(c->name, c->node);
			if (!strcmp(base, "node")) {
				d->node_energy_j = c->energy_j;
			} else if (strcmp(base, "psys")) {
				d->energy_j = isnan(d->energy_j) ? c->energy_j
								 : d->energy_j + c->energy_j;
			}
		}
	}
}

/* Energy of node d that the imbalance compares (see basis). */
static double basis_j(const struct wl_job_node *d, int whole)
{
	return whole ? d->node_energy_j : d->energy_j;
}

static void imbalance(struct wl_job_summary *s, double slow)
{
	double *ends = malloc((s->n + 1) * sizeof(*ends)), med = NAN, sum = 0, e;
	size_t k, ne = 0, nn = 0, all_node = 1, have_node = 0, have_comp = 0;
	int whole;

	s->imax = -1;
	s->min_j = INFINITY;
	s->max_j = -INFINITY;
	s->total_j = s->node_total_j = NAN;
	for (k = 0; k < s->n; k++) {
		const struct wl_job_node *d = &s->node[k];

		if (!d->present)
			continue;
		if (ends)
			ends[ne++] = d->t_last;
		if (isnan(d->node_energy_j))
			all_node = 0;
		else
			have_node = 1;
		if (!isnan(d->energy_j)) {
			s->total_j = (isnan(s->total_j) ? 0 : s->total_j) + d->energy_j;
			have_comp = 1;
		}
	}
	/* compare the node totals; without any, the whole-node counters */
	whole = !have_comp && have_node;
	s->basis = whole ? "whole-node energy (pm_counters)" : "node totals";
	for (k = 0; k < s->n; k++) {
		e = basis_j(&s->node[k], whole);
		if (!s->node[k].present || isnan(e))
			continue;
		sum += e;
		nn++;
		if (e > s->max_j) {
			s->max_j = e;
			s->imax = (long)k;
		}
		if (e < s->min_j)
			s->min_j = e;
	}
	if (nn) {
		s->mean_j = sum / (double)nn;
		s->spread_pct = s->mean_j > 0 ? 100.0 * (s->max_j - s->min_j) / s->mean_j : NAN;
	} else {
		s->min_j = s->max_j = s->mean_j = s->spread_pct = NAN;
	}
	if (all_node && have_node) {
		s->node_total_j = 0;
		for (k = 0; k < s->n; k++)
			if (s->node[k].present)
				s->node_total_j += s->node[k].node_energy_j;
	}
	s->end_tol_s = fmax(1.0, 3.0 * slow);
	if (ends && ne) {
		qsort(ends, ne, sizeof(*ends), cmp_dbl);
		med = ne % 2 ? ends[ne / 2] : 0.5 * (ends[ne / 2 - 1] + ends[ne / 2]);
	}
	for (k = 0; k < s->n; k++)
		s->node[k].ended_late = s->node[k].present && s->node[k].t_last > med + s->end_tol_s;
	free(ends);
}

int wl_job_summary(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		   struct wl_job_summary *s, struct wl_error *err)
{
	const char *m = wl_dataset_meta_get(ds, "job.merged");
	const char *nodes = wl_dataset_meta_get(ds, "job.nodes");
	const char *id = wl_dataset_meta_get(ds, "job.id");
	const char *part = wl_dataset_meta_get(ds, "job.partial");
	struct wl_analysis_opts def;
	struct wl_energy e;
	double slow = 0;
	char key[160];

	memset(s, 0, sizeof(*s));
	if (!m || strcmp(m, "1") || !nodes)
		return wl_error_set(err, "'%s' is no merged job (no job.merged/job.nodes metadata)",
				    ds->path ? ds->path : "?");
	if (split_nodes(nodes, s) < 0)
		return wl_error_set(err, "out of memory");
	snprintf(s->id, sizeof(s->id), "%s", id ? id : "");
	s->partial = part && !strcmp(part, "1");
	for (size_t k = 0; k < s->n; k++) {
		struct wl_job_node *d = &s->node[k];
		const char *pb;

		snprintf(key, sizeof(key), "job.node.%s.problem", d->name);
		pb = wl_dataset_meta_get(ds, key);
		snprintf(d->problem, sizeof(d->problem), "%s", pb ? pb : "");
		d->offset_s = meta_num(ds, d->name, "offset_s");
		d->mono_offset_s = meta_num(ds, d->name, "mono_offset_s");
		d->skew_s = meta_num(ds, d->name, "skew_s");
		d->damage = (unsigned long)fmax(0, meta_num(ds, d->name, "damage"));
		if (isnan(meta_num(ds, d->name, "damage")))
			d->damage = 0;
		node_times(ds, d, &slow);
	}
	if (!o) {
		wl_analysis_opts_init(&def);
		o = &def;
	}
	if (wl_energy_compute(ds, o, NULL, &e, err) < 0) {
		wl_job_release(s);
		return -1;
	}
	energies(&e, s);
	wl_energy_release(&e);
	imbalance(s, slow);
	snprintf(s->total_note, sizeof(s->total_note),
		 "sum of node totals (cpu + dram + gpus per node)");
	return 0;
}

void wl_job_release(struct wl_job_summary *s)
{
	free(s->node);
	s->node = NULL;
	s->n = 0;
}
