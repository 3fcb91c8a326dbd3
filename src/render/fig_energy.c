/*
 * fig_energy.c - energy per component as bars, split by phase when phases
 * exist.  Energy of a series over [a, b] is wl_series_energy (exact for
 * counters, trapezoid rule for gauges), with [a, b] the phase window
 * intersected with the figure's window; the time no phase covers is
 * "other".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define MAXG (WL_BARS_MAXSEG - 1)

/* Phase label groups in order of first appearance; returns their count. */
static size_t groups(const struct wl_phase_list *ph, const char **g)
{
	size_t i, j, n = 0;

	for (i = 0; ph && i < ph->n; i++) {
		if (ph->p[i].depth > 0)
			continue;
		for (j = 0; j < n && strcmp(g[j], ph->p[i].label); j++)
			;
		if (j == n && n < MAXG)
			g[n++] = ph->p[i].label;
	}
	return n;
}

int wl_fig_energy(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	const char *seg[WL_BARS_MAXSEG], **cat = NULL;
	struct wl_rgb col[WL_BARS_MAXSEG];
	struct wl_series *s = NULL;
	struct wl_bars b;
	double t0, t1, *v = NULL, a, z, inside;
	size_t n = 0, ng, i, j, k;
	int rc = -1;

	if (wl_plot_window(ds, o, &t0, &t1, err) < 0)
		return -1;
	if (wl_plot_power_series(ds, &s, &n, err) < 0)
		return -1;
	if (n == 0) {
		wl_error_set(err, "no power channel to plot in '%s'", ds->path ? ds->path : "");
		goto out;
	}
	ng = groups(ph, seg);
	cat = calloc(n, sizeof(*cat));
	v = calloc(n * (ng + 1), sizeof(double));
	if (!cat || !v) {
		wl_error_set(err, "out of memory for figure '%s'", path);
		goto out;
	}
	for (j = 0; j < ng; j++)
		col[j] = wl_palette_phase(seg[j], 0);
	seg[ng] = ng ? "other" : "";
	col[ng] = ng ? (struct wl_rgb){ 0.8, 0.8, 0.8 } : wl_palette_component("total");
	for (i = 0; i < n; i++) {
		cat[i] = s[i].name;
		inside = 0;
		for (k = 0; ph && k < ph->n; k++) {
			if (ph->p[k].depth > 0)
				continue;
			a = fmax(ph->p[k].start_s, t0);
			z = fmin(ph->p[k].end_s, t1);
			if (!(z > a))
				continue;
			for (j = 0; j < ng && strcmp(seg[j], ph->p[k].label); j++)
				;
			if (j < ng) {
				double e = wl_series_energy(&s[i], a, z);

				v[i * (ng + 1) + j] += e;
				inside += e;
			}
		}
		/* Other = all - inside phases (clamped: rounding only). */
		v[i * (ng + 1) + ng] = fmax(0, wl_series_energy(&s[i], t0, t1) - inside);
		if (ng && v[i * (ng + 1) + ng] < 1e-6 * inside)
			v[i * (ng + 1) + ng] = 0;
	}
	/* Without phases, each bar in its component's colour: one segment
	 * per component on the diagonal. */
	memset(&b, 0, sizeof(b));
	b.ncat = n;
	b.cat = cat;
	b.ylabel = "Energy";
	b.base_unit = "J";
	if (ng == 0 && n <= WL_BARS_MAXSEG) {
		double *d = calloc(n * n, sizeof(double));

		if (!d) {
			wl_error_set(err, "out of memory for figure '%s'", path);
			goto out;
		}
		for (i = 0; i < n; i++) {
			d[i * n + i] = v[i];
			col[i] = wl_palette_component(s[i].name);
			seg[i] = "";
		}
		b.nseg = n;
		b.seg = seg;
		b.segcol = col;
		b.v = d;
		rc = wl_draw_bars(&b, o, path, err);
		free(d);
		goto out;
	}
	b.nseg = ng + 1;
	b.seg = seg;
	b.segcol = col;
	b.v = v;
	rc = wl_draw_bars(&b, o, path, err);
out:
	free(cat);
	free(v);
	wl_plot_series_free(s, n);
	return rc;
}
