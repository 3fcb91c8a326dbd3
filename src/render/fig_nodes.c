/*
 * fig_nodes.c - the power of every node of a merged job over time
 * (report_job.h): one line per node, or (stacked) areas that sum to the
 * job's total.  A node's power is the sum of its components that count in
 * its total (merge.h: not psys, not node); a node with none of those shows
 * its whole-node pm_counters power instead.  The node series become one W
 * gauge each in a dataset of their own, drawn by the power figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/energy_rule.h"
#include "wattlog/plot.h"
#include "wattlog/report_job.h"

/* Appends series p to out as channel "power" on device node. */
static int push_series(struct wl_dataset *out, const char *node, const struct wl_series *p,
		       struct wl_error *err)
{
	long c = wl_dataset_channel(out, "power", "W", node, "job", WL_DS_GAUGE, 0);
	size_t i;

	if (c < 0 || wl_channel_component(&out->ch[c], node))
		return wl_error_set(err, "out of memory");
	for (i = 0; i < p->n; i++)
		if (!isnan(p->p[i]) && wl_channel_push(&out->ch[c], p->t[i], p->p[i]))
			return wl_error_set(err, "out of memory");
	return 0;
}

/* Adds node's power to out: the sum of its components that count in its
 * total, or, with none, its whole-node (pm_counters) power as it is (the
 * total leaves "node" out, so it must not go through wl_power_total). */
static int add_node(struct wl_dataset *out, const char *node, const struct wl_series *s,
		    size_t n, struct wl_error *err)
{
	struct wl_series *pick = calloc(n + 1, sizeof(*pick)), tot;
	const char *b;
	size_t i, k = 0, whole = (size_t)-1;
	int rc = 0;

	if (!pick)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < n; i++) {
		if (strcmp(s[i].node, node)) /* the series' node field */
			continue;
		b = wl_component_base(s[i].name, s[i].node);
		if (!strcmp(b, "node"))
			whole = i;
		else if (strcmp(b, "psys"))
			pick[k++] = s[i]; /* shallow: the sum only reads */
	}
	memset(&tot, 0, sizeof(tot));
	if (k == 0 && whole != (size_t)-1) {
		rc = push_series(out, node, &s[whole], err);
	} else if (k) {
		rc = wl_power_total(pick, k, &tot, err);
		if (rc == 0)
			rc = push_series(out, node, &tot, err);
		wl_series_release(&tot);
	}
	free(pick);
	return rc;
}

int wl_fig_nodes(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		 const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	const char *nodes = wl_dataset_meta_get(ds, "job.nodes");
	struct wl_series *s = NULL;
	struct wl_dataset nd;
	char name[64];
	size_t n = 0, i;
	int rc = 0;

	if (!nodes)
		return wl_error_set(err, "'%s' is no merged job", ds->path ? ds->path : "?");
	if (wl_power_components(ds, &s, &n, err) < 0)
		return -1;
	wl_dataset_init(&nd);
	nd.t0_realtime = ds->t0_realtime;
	for (const char *p = nodes; rc == 0 && *p;) {
		size_t l = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)(l < 63 ? l : 63), p);
		rc = add_node(&nd, name, s, n, err);
		p += l + (p[l] == ',');
	}
	for (i = 0; i < ds->nmk && rc == 0; i++)
		if (wl_dataset_marker(&nd, ds->mk[i].t, ds->mk[i].flags, ds->mk[i].text) ||
		    wl_marker_node(&nd.mk[nd.nmk - 1], ds->mk[i].node))
			rc = wl_error_set(err, "out of memory");
	if (rc == 0 && !(nd.path = strdup(ds->path ? ds->path : "")))
		rc = wl_error_set(err, "out of memory");
	if (rc == 0 && nd.nch == 0)
		rc = wl_error_set(err, "no node of '%s' has a power reading", nd.path);
	if (rc == 0)
		rc = wl_fig_power(&nd, ph, o, path, err);
	for (i = 0; i < n; i++)
		wl_series_release(&s[i]);
	free(s);
	wl_dataset_release(&nd);
	return rc;
}
