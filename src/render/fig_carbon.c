/*
 * fig_carbon.c - the same run's carbon under several intensities side by
 * side (--regions FR,DE,450,"lab=120"): one bar per intensity, stacked by
 * component.  grams = E[kWh] x PUE x I[g/kWh], E the run's energy of each
 * component counted in the total (the report's, run.h) / 3.6e6 J per kWh,
 * PUE as the report's --pue.  A region's intensity is its annual average
 * from the embedded table (carbon.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/carbon.h"
#include "plot_int.h"

#define MAXR 16

/* "FR" (a table code), "450" (g/kWh) or "name=450".  0 or -1 with err. */
static int intensity(const char *tok, char *name, size_t len, double *g, struct wl_error *err)
{
	const struct wl_region *r;
	const char *eq = strchr(tok, '=');
	char *end;

	if (eq) {
		snprintf(name, len, "%.*s", (int)(eq - tok), tok);
		*g = strtod(eq + 1, &end);
		if (end == eq + 1 || *end || !(*g >= 0))
			return wl_error_set(err, "bad intensity '%s' in --regions: want NAME=G_PER_KWH",
					    tok);
		return 0;
	}
	*g = strtod(tok, &end);
	if (end != tok && !*end && *g >= 0) {
		snprintf(name, len, "%g g/kWh", *g);
		return 0;
	}
	r = wl_region_find(tok);
	if (!r || isnan(r->avg_g_per_kwh))
		return wl_error_set(err, "unknown region '%s' in --regions (see 'wattlog regions')",
				    tok);
	snprintf(name, len, "%s", r->code);
	*g = r->avg_g_per_kwh;
	return 0;
}

int wl_fig_carbon_of(const struct wl_energy *en, double pue, const struct wl_plot_opts *o,
		     const char *path, struct wl_error *err)
{
	char names[MAXR][48], buf[512], *tok, *save = NULL;
	const char *cat[MAXR], *seg[WL_BARS_MAXSEG];
	struct wl_rgb col[WL_BARS_MAXSEG];
	double g[MAXR], e[WL_BARS_MAXSEG], *v = NULL;
	struct wl_bars b;
	size_t nr = 0, nc = 0, i, j;
	int rc = -1;

	snprintf(buf, sizeof(buf), "%s", o->regions ? o->regions : "FR,DE,WORLD,IN");
	for (tok = strtok_r(buf, ",", &save); tok && nr < MAXR; tok = strtok_r(NULL, ",", &save)) {
		if (intensity(tok, names[nr], sizeof(names[nr]), &g[nr], err) < 0)
			return -1;
		cat[nr] = names[nr];
		nr++;
	}
	for (i = 0; i < en->n && nc < WL_BARS_MAXSEG; i++) {
		const struct wl_component_energy *c = &en->c[i];

		if (!c->in_total || isnan(c->energy_j))
			continue;
		for (j = nc; j > 0 && wl_plot_name_cmp(seg[j - 1], c->name) > 0; j--) {
			seg[j] = seg[j - 1];
			col[j] = col[j - 1];
			e[j] = e[j - 1];
		}
		seg[j] = c->name;
		col[j] = wl_palette_component(c->name);
		e[j] = c->energy_j / WL_J_PER_KWH * (isnan(pue) ? 1 : pue);
		nc++;
	}
	if (nc == 0 || nr == 0)
		return wl_error_set(err, "no %s to plot in '%s'", nr ? "power channel" : "region",
				    path);
	v = calloc(nr * nc, sizeof(double));
	if (!v)
		return wl_error_set(err, "out of memory for figure '%s'", path);
	for (i = 0; i < nr; i++)
		for (j = 0; j < nc; j++)
			v[i * nc + j] = e[j] * g[i];
	memset(&b, 0, sizeof(b));
	b.ncat = nr;
	b.cat = cat;
	b.nseg = nc;
	b.seg = seg;
	b.segcol = col;
	b.v = v;
	b.ylabel = "Carbon, CO\xe2\x82\x82" "eq";
	b.base_unit = "g";
	rc = wl_draw_bars(&b, o, path, err);
	free(v);
	return rc;
}

int wl_fig_carbon(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_analysis_opts an;
	struct wl_energy e;
	double t0, t1;
	int rc;

	(void)ph;
	if (wl_plot_window(ds, o, &t0, &t1, err) < 0)
		return -1;
	wl_analysis_opts_init(&an);
	an.t_from = t0;
	an.t_to = t1;
	if (wl_energy_compute(ds, &an, NULL, &e, err))
		return -1;
	rc = e.n ? wl_fig_carbon_of(&e, 1.0, o, path, err) :
		   wl_error_set(err, "no power channel to plot in '%s'", ds->path ? ds->path : "");
	wl_energy_release(&e);
	return rc;
}
