/*
 * fig_energy.c - energy per component as bars, split by phase when phases
 * exist: the run's numbers (run.h), drawn.  A bar per component counted in
 * the total, its energy over the window the report's (e->c[].energy_j);
 * segment j the sum over the outermost phases labelled j of their energy
 * of that component (comp_energy_j, by the report's rule: phases_energy.c);
 * "other" the component's energy no phase covers (its energy minus its
 * phases', clamped at 0: rounding only).  So the bars sum to the report's
 * total and each segment is the phases' figure.
 */
#include <errno.h>
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

/* Index of component name in ph->comp, or -1. */
static long comp_of(const struct wl_phase_list *ph, const char *name)
{
	size_t k;

	for (k = 0; ph && k < ph->ncomp; k++)
		if (!strcmp(ph->comp[k], name))
			return (long)k;
	return -1;
}

/* The components counted in the total, in legend order (plot_data.c). */
static size_t bars_of(const struct wl_energy *e, const struct wl_component_energy **c)
{
	size_t i, j, n = 0;

	for (i = 0; i < e->n; i++) {
		if (!e->c[i].in_total || isnan(e->c[i].energy_j))
			continue;
		for (j = n; j > 0 && wl_plot_name_cmp(c[j - 1]->name, e->c[i].name) > 0; j--)
			c[j] = c[j - 1];
		c[j] = &e->c[i];
		n++;
	}
	return n;
}

/* The numbers drawn, at full precision: component,segment,energy_j. */
static int write_data(const char *path, const char *const *cat, size_t n, const char *const *seg,
		      size_t nseg, const double *v, struct wl_error *err)
{
	FILE *f = fopen(path, "w");
	size_t i, j;

	if (!f)
		return wl_error_errno(err, errno, "cannot write '%s'", path);
	fputs("component,segment,energy_j\n", f);
	for (i = 0; i < n; i++)
		for (j = 0; j < nseg; j++)
			fprintf(f, "%s,%s,%.17g\n", cat[i], seg[j][0] ? seg[j] : "total",
				v[i * nseg + j]);
	if (fclose(f))
		return wl_error_errno(err, errno, "cannot write '%s'", path);
	return 0;
}

int wl_fig_energy_of(const struct wl_energy *e, const struct wl_phase_list *ph,
		     const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	const char *seg[WL_BARS_MAXSEG], **cat = NULL;
	const struct wl_component_energy **c = NULL;
	struct wl_rgb col[WL_BARS_MAXSEG];
	struct wl_bars b;
	double *v = NULL, *d = NULL, inside;
	size_t n, ng, i, j, k;
	int rc = -1;

	c = calloc(e->n + 1, sizeof(*c));
	if (!c)
		return wl_error_set(err, "out of memory for figure '%s'", path);
	n = bars_of(e, c);
	if (n == 0) {
		wl_error_set(err, "no power channel to plot in '%s'", path);
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
		long kc = comp_of(ph, c[i]->name);

		cat[i] = c[i]->name;
		inside = 0;
		for (k = 0; kc >= 0 && k < ph->n; k++) {
			double x = ph->p[k].comp_energy_j[kc];

			if (ph->p[k].depth > 0 || isnan(x))
				continue;
			for (j = 0; j < ng && strcmp(seg[j], ph->p[k].label); j++)
				;
			if (j < ng) {
				v[i * (ng + 1) + j] += x;
				inside += x;
			}
		}
		/* Other = the component's energy - its phases' (clamped:
		 * rounding only). */
		v[i * (ng + 1) + ng] = fmax(0, c[i]->energy_j - inside);
		if (ng && v[i * (ng + 1) + ng] < 1e-6 * inside)
			v[i * (ng + 1) + ng] = 0;
	}
	memset(&b, 0, sizeof(b));
	b.ncat = n;
	b.cat = cat;
	b.ylabel = "Energy";
	b.base_unit = "J";
	b.nseg = ng + 1;
	b.seg = seg;
	b.segcol = col;
	b.v = v;
	if (o->data && write_data(o->data, cat, n, seg, ng + 1, v, err))
		goto out;
	/* Without phases, each bar in its component's colour: one segment
	 * per component on the diagonal. */
	if (ng == 0 && n <= WL_BARS_MAXSEG) {
		d = calloc(n * n, sizeof(double));
		if (!d) {
			wl_error_set(err, "out of memory for figure '%s'", path);
			goto out;
		}
		for (i = 0; i < n; i++) {
			d[i * n + i] = v[i];
			col[i] = wl_palette_component(c[i]->name);
			seg[i] = "";
		}
		b.nseg = n;
		b.v = d;
	}
	rc = wl_draw_bars(&b, o, path, err);
out:
	free(c);
	free(cat);
	free(v);
	free(d);
	return rc;
}

int wl_fig_energy(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_analysis_opts an;
	struct wl_phase_list in;
	struct wl_energy e;
	double t0, t1;
	int rc = -1;

	if (wl_plot_window(ds, o, &t0, &t1, err) < 0)
		return -1;
	wl_analysis_opts_init(&an);
	an.t_from = t0;
	an.t_to = t1;
	wl_phase_list_init(&in);
	if (wl_energy_compute(ds, &an, NULL, &e, err))
		goto out;
	if (!e.n)
		wl_error_set(err, "no power channel to plot in '%s'", ds->path ? ds->path : "");
	else if (!ph || wl_phases_clip(ds, ph, t0, t1, &in, err) == 0)
		rc = wl_fig_energy_of(&e, &in, o, path, err);
	wl_energy_release(&e);
out:
	wl_phase_list_release(&in);
	return rc;
}
