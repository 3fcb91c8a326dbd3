/*
 * fig_heatmap.c - the Pearson matrix as a heatmap: a diverging
 * colour-blind-safe scale (ColorBrewer RdBu) centred on r = 0, a colour bar,
 * r written in the cells when it fits, metric names on both axes.  The
 * matrix comes from the correlation stage (analysis.h) or from the caller.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "plot_int.h"

/* "0.87" / "-0.87" / "1" without the leading zero when it must fit. */
static void cell_text(double r, int compact, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f", r);
	if (!strcmp(buf, "-0.00"))
		snprintf(buf, len, "0.00");
	if (compact) {
		if (!strncmp(buf, "0.", 2))
			memmove(buf, buf + 1, strlen(buf));
		else if (!strncmp(buf, "-0.", 3))
			memmove(buf + 1, buf + 2, strlen(buf + 1));
	}
}

int wl_fig_heatmap_matrix(const char *const *names, const double *r, size_t n,
			  const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_style st;
	struct wl_canvas *c;
	struct wl_ticks t;
	double nw = 0, cell, fs, vs, x0, y0, bar_x, bar_w, bar_h, w, x, y;
	char buf[32];
	size_t i, j, k;
	int compact = 0;

	if (n == 0)
		return wl_error_set(err, "no correlation to plot for '%s': fewer than two metrics "
				    "vary", path);
	wl_style_for(o, 1, 0, 0, &st);
	c = wl_fig_measure(o, err);
	if (!c)
		return -1;
	/* Names at the tick font, shrunk (not below 5 pt) to the cell. */
	wl_canvas_font(c, st.font, 0);
	for (i = 0; i < n; i++)
		nw = fmax(nw, wl_canvas_text_width(c, names[i]));
	bar_w = st.font;
	wl_canvas_font(c, st.font, 0);
	w = wl_canvas_text_width(c, "-0.5");
	cell = (st.w - st.pad * 3 - nw - st.tick - st.pad * 3 - bar_w - st.tick - w) / (double)n;
	fs = fmax(5, fmin(st.font, cell * 0.9));
	if (fs < st.font) { /* smaller names leave more room for cells */
		nw *= fs / st.font;
		cell = (st.w - st.pad * 6 - nw - st.tick * 2 - bar_w - w) / (double)n;
	}
	wl_canvas_close(c, NULL);
	st.h = st.pad * 2 + n * cell + st.pad + nw + st.pad;
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c)
		return -1;
	x0 = st.pad * 2 + nw + st.pad;
	y0 = st.pad * 2;
	/* Values: the tick font when "-0.87" fits with a margin, else
	 * smaller down to 5 pt, else ".87" style, else none. */
	vs = st.font;
	for (k = 0; k < 2; k++) {
		wl_canvas_font(c, vs, 0);
		cell_text(-0.88, (int)k, buf, sizeof(buf));
		w = wl_canvas_text_width(c, buf);
		if (w > cell * 0.88)
			vs = fmax(5, vs * cell * 0.88 / w);
		wl_canvas_font(c, vs, 0);
		if (wl_canvas_text_width(c, buf) <= cell * 0.9 && vs * 1.3 <= cell) {
			compact = (int)k;
			break;
		}
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			double v = r[i * n + j];
			struct wl_rgb col = wl_palette_diverging(v);

			x = x0 + j * cell;
			y = y0 + i * cell;
			wl_canvas_rgb(c, col, 1);
			wl_canvas_fill_rect(c, x, y, cell, cell);
			if (k < 2 && !isnan(v)) {
				cell_text(v, compact, buf, sizeof(buf));
				wl_canvas_rgb(c, wl_palette_luminance(col) < 0.4 ?
					      (struct wl_rgb){ 1, 1, 1 } : (struct wl_rgb){ 0, 0, 0 }, 1);
				wl_canvas_font(c, vs, 0);
				wl_canvas_text(c, x + cell / 2, y + cell / 2, buf, 0.5, 0.5, 0);
			}
		}
	wl_canvas_rgb(c, (struct wl_rgb){ 0, 0, 0 }, 1);
	wl_canvas_width(c, st.thin);
	wl_canvas_stroke_rect(c, x0, y0, n * cell, n * cell);
	wl_canvas_font(c, fs, 0);
	for (i = 0; i < n; i++) {
		wl_canvas_text(c, x0 - st.pad, y0 + (i + 0.5) * cell, names[i], 1, 0.5, 0);
		/* Column names read upward, ending under their column. */
		wl_canvas_text(c, x0 + (i + 0.5) * cell, y0 + n * cell + st.pad, names[i], 1, 0.5,
			       -90);
	}
	/* The colour bar: r from -1 (bottom) to 1 (top) in 100 steps. */
	bar_x = x0 + n * cell + st.pad * 3;
	bar_h = n * cell;
	for (k = 0; k < 100; k++) {
		wl_canvas_rgb(c, wl_palette_diverging(1 - (k + 0.5) / 50.0), 1);
		wl_canvas_fill_rect(c, bar_x, y0 + bar_h * k / 100.0, bar_w, bar_h / 100.0 + 0.05);
	}
	wl_canvas_rgb(c, (struct wl_rgb){ 0, 0, 0 }, 1);
	wl_canvas_stroke_rect(c, bar_x, y0, bar_w, bar_h);
	wl_axis_ticks(-1, 1, bar_h > 8 * st.font ? 5 : 3, &t);
	wl_canvas_font(c, st.font, 0);
	for (k = 0; k < t.n; k++) {
		y = y0 + bar_h * (1 - t.v[k]) / 2;
		wl_canvas_line(c, bar_x + bar_w, y, bar_x + bar_w + st.tick, y);
		wl_axis_format(&t, t.v[k], buf, sizeof(buf));
		wl_canvas_text(c, bar_x + bar_w + st.tick + st.pad * 0.5, y, buf, 0, 0.5, 0);
	}
	wl_canvas_text(c, bar_x + bar_w / 2, y0 + bar_h + st.pad, "r", 0.5, 0, 0);
	return wl_fig_close(o, c, err);
}

/* Keeps metric i when o->metrics is NULL or one of its items is a
 * case-insensitive substring of the name. */
static int wanted(const struct wl_plot_opts *o, const char *name)
{
	char buf[512], *tok, *save = NULL;

	if (!o->metrics)
		return 1;
	snprintf(buf, sizeof(buf), "%s", o->metrics);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (strcasestr(name, tok))
			return 1;
	return 0;
}

int wl_fig_heatmap_corr(const struct wl_correlation *cr, const struct wl_plot_opts *o,
			const char *path, struct wl_error *err)
{
	char (*nm)[96] = NULL;
	const char **names = NULL;
	size_t *idx = NULL, m = 0, i, j;
	double *r = NULL;
	int rc = -1;

	idx = calloc(cr->n + 1, sizeof(*idx));
	nm = calloc(cr->n + 1, sizeof(*nm));
	names = calloc(cr->n + 1, sizeof(*names));
	r = calloc(cr->n * cr->n + 1, sizeof(double));
	if (!idx || !nm || !names || !r) {
		wl_error_set(err, "out of memory for figure '%s'", path);
		goto out;
	}
	for (i = 0; i < cr->n; i++)
		if (wanted(o, cr->metrics[i])) {
			wl_plot_short_name(cr->metrics[i], nm[m], sizeof(nm[m]));
			names[m] = nm[m];
			idx[m++] = i;
		}
	for (i = 0; i < m; i++)
		for (j = 0; j < m; j++)
			r[i * m + j] = cr->r[idx[i] * cr->n + idx[j]];
	rc = wl_fig_heatmap_matrix(names, r, m, o, path, err);
out:
	free(idx);
	free(nm);
	free(names);
	free(r);
	return rc;
}

int wl_fig_heatmap(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		   const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_analysis_opts ao;
	struct wl_grid g;
	struct wl_correlation cr;
	int rc;

	(void)ph;
	memset(&g, 0, sizeof(g));
	memset(&cr, 0, sizeof(cr));
	wl_analysis_opts_init(&ao);
	ao.t_from = o->t_from;
	ao.t_to = o->t_to;
	rc = wl_correlate(ds, &ao, &g, &cr, err) ? -1 :
		wl_fig_heatmap_corr(&cr, o, path, err);
	wl_correlation_release(&cr);
	wl_grid_release(&g);
	return rc;
}
