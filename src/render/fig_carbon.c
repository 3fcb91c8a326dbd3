/*
 * fig_carbon.c - the same run's carbon under several intensities side by
 * side (--regions FR,DE,450,"lab=120"): one bar per intensity, stacked by
 * component.  grams = E[kWh] x I[g/kWh], E = wl_series_energy / 3.6e6 J per
 * kWh over the figure's window, components counted as the total counts
 * them (wl_component_in_total).  A region's intensity is its annual
 * average from the embedded table (carbon.h).
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

int wl_fig_carbon(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	char names[MAXR][48], buf[512], *tok, *save = NULL;
	const char *cat[MAXR], *seg[WL_BARS_MAXSEG];
	struct wl_rgb col[WL_BARS_MAXSEG];
	double g[MAXR], e[WL_BARS_MAXSEG], *v = NULL, t0, t1;
	struct wl_series *s = NULL;
	struct wl_bars b;
	size_t n = 0, nr = 0, nc = 0, i, j;
	int rc = -1;

	(void)ph;
	snprintf(buf, sizeof(buf), "%s", o->regions ? o->regions : "FR,DE,WORLD,IN");
	for (tok = strtok_r(buf, ",", &save); tok && nr < MAXR; tok = strtok_r(NULL, ",", &save)) {
		if (intensity(tok, names[nr], sizeof(names[nr]), &g[nr], err) < 0)
			return -1;
		cat[nr] = names[nr];
		nr++;
	}
	if (wl_plot_window(ds, o, &t0, &t1, err) < 0 || wl_plot_power_series(ds, &s, &n, err) < 0)
		return -1;
	for (i = 0; i < n && nc < WL_BARS_MAXSEG; i++)
		if (wl_component_in_total(s[i].name, s, n)) {
			seg[nc] = s[i].name;
			col[nc] = wl_palette_component(s[i].name);
			e[nc++] = wl_series_energy(&s[i], t0, t1) / WL_J_PER_KWH;
		}
	if (nc == 0 || nr == 0) {
		wl_error_set(err, "no %s to plot in '%s'", nr ? "power channel" : "region",
			     ds->path ? ds->path : "");
		goto out;
	}
	v = calloc(nr * nc, sizeof(double));
	if (!v) {
		wl_error_set(err, "out of memory for figure '%s'", path);
		goto out;
	}
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
out:
	free(v);
	wl_plot_series_free(s, n);
	return rc;
}
