/*
 * plot_data.c - what figures need from a dataset (see plot_int.h): power
 * per component, the time window, metrics by name; figure options.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plot_int.h"

void wl_plot_opts_init(struct wl_plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = WL_PLOT_PNG;
	o->style = WL_STYLE_SCREEN;
	o->t_from = NAN;
	o->t_to = NAN;
	o->pue = NAN;
}

void wl_fig_look_init(struct wl_fig_look *l)
{
	memset(l, 0, sizeof(*l));
	l->style = -1;
	l->lab.font = WL_FONT_SANS;
}

void wl_fig_look_apply(const struct wl_fig_look *l, int paper, struct wl_plot_opts *o)
{
	o->style = l && l->style >= 0 ? (enum wl_plot_style)l->style :
		   paper ? WL_STYLE_PAPER : WL_STYLE_SCREEN;
	if (l && l->width_in > 0)
		o->width_in = l->width_in;
	if (l)
		o->lab = l->lab;
}

static const char *const fmt_names[] = { "png", "pdf", "svg" };

int wl_plot_format_parse(const char *s, enum wl_plot_format *f)
{
	int i;

	for (i = 0; i < 3; i++)
		if (!strcasecmp(s, fmt_names[i])) {
			*f = (enum wl_plot_format)i;
			return 0;
		}
	return -1;
}

int wl_plot_format_from_path(const char *path, enum wl_plot_format *f)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return -1;
	return wl_plot_format_parse(dot + 1, f);
}

const char *wl_plot_format_ext(enum wl_plot_format f)
{
	return fmt_names[f];
}

/* Legend order, the same in every figure: total, GPUs, cpu, dram, then
 * the rest by name. */
static int rank(const char *s)
{
	if (!strcmp(s, "total"))
		return 0;
	if (!strncmp(s, "gpu", 3))
		return 1;
	if (!strcmp(s, "cpu"))
		return 2;
	if (!strcmp(s, "dram"))
		return 3;
	return 4;
}

int wl_plot_name_cmp(const char *a, const char *b)
{
	int d = rank(a) - rank(b);

	return d ? d : strcmp(a, b);
}

static int by_rank(const void *a, const void *b)
{
	const struct wl_series *x = a, *y = b;

	return wl_plot_name_cmp(x->name, y->name);
}

int wl_plot_power_series(const struct wl_dataset *ds, struct wl_series **out, size_t *n,
			 struct wl_error *err)
{
	*out = NULL;
	*n = 0;
	if (wl_power_components(ds, out, n, err) < 0)
		return -1;
	qsort(*out, *n, sizeof(**out), by_rank);
	return 0;
}

void wl_plot_series_free(struct wl_series *s, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		wl_series_release(&s[i]);
	free(s);
}

int wl_plot_window(const struct wl_dataset *ds, const struct wl_plot_opts *o, double *t0,
		   double *t1, struct wl_error *err)
{
	double a = 0, b = 0;

	if (wl_dataset_span(ds, &a, &b) < 0)
		a = b = 0;
	if (o && !isnan(o->t_from))
		a = o->t_from;
	if (o && !isnan(o->t_to))
		b = o->t_to;
	if (!(b > a))
		return wl_error_set(err, "nothing to plot in '%s': empty time window [%g, %g] s",
				    ds->path ? ds->path : "", a, b);
	*t0 = a;
	*t1 = b;
	return 0;
}

void wl_plot_short_name(const char *name, char *buf, size_t len)
{
	const char *br = strstr(name, " [");
	size_t n = br ? (size_t)(br - name) : strlen(name);

	if (n >= len)
		n = len - 1;
	memcpy(buf, name, n);
	buf[n] = 0;
}

long wl_plot_find_metric(const struct wl_dataset *ds, const char *want)
{
	char buf[128];
	size_t i;

	for (i = 0; i < ds->nch; i++)
		if (!strcmp(ds->ch[i].name, want))
			return (long)i;
	for (i = 0; i < ds->nch; i++) {
		wl_plot_short_name(ds->ch[i].name, buf, sizeof(buf));
		if (!strcasecmp(buf, want))
			return (long)i;
	}
	for (i = 0; i < ds->nch; i++)
		if (strcasestr(ds->ch[i].name, want))
			return (long)i;
	return -1;
}

const struct wl_phase *wl_plot_phase_at(const struct wl_phase_list *ph, double t)
{
	size_t i;

	if (!ph)
		return NULL;
	for (i = 0; i < ph->n; i++)
		if (ph->p[i].depth == 0 && t >= ph->p[i].start_s && t < ph->p[i].end_s)
			return &ph->p[i];
	return NULL;
}


void wl_dashes_for(const struct wl_rgb *col, size_t n, int *dash)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		dash[i] = 0;
		for (j = 0; j < i; j++)
			if (col[j].r == col[i].r && col[j].g == col[i].g && col[j].b == col[i].b)
				dash[i]++;
		if (dash[i] > 2)
			dash[i] = 2;
	}
}

void wl_draw_envelope(struct wl_frame *f, const struct wl_envelope *e, struct wl_rgb col,
		      int dash)
{
	double *x, *y, dt = (e->t1 - e->t0) / (double)e->ncols;
	size_t i, j, a, m, n = e->ncols;

	if (wl_envelope_is_raw(e))
		n = e->nraw;
	x = malloc((2 * n + 2) * sizeof(double));
	y = malloc((2 * n + 2) * sizeof(double));
	if (!x || !y)
		goto out;
	wl_canvas_width(f->c, f->st->line);
	wl_canvas_dash(f->c, 0, 0);
	if (wl_envelope_is_raw(e)) {
		/* the line breaks at gaps: intervals longer than the energy
		 * stage's bound (WL_MAX_GAP_FACTOR x the median interval) */
		double gap = WL_MAX_GAP_FACTOR * wl_series_median_dt(e->rt, n);

		for (i = m = 0; i < n; i++) {
			if (i && gap > 0 && e->rt[i] - e->rt[i - 1] > gap) {
				x[m] = NAN;
				y[m++] = NAN;
			}
			x[m] = wl_frame_px(f, e->rt[i]);
			y[m++] = wl_frame_py(f, e->rv[i]);
		}
		wl_canvas_rgb(f->c, col, 1);
		wl_line_style(f->c, f->st, dash);
		wl_canvas_polyline(f->c, x, y, m);
		wl_canvas_dash(f->c, 0, 0);
		goto out;
	}
	/* The band between min and max, one polygon per run of non-empty
	 * columns, then the mean line over the same runs. */
	wl_canvas_rgb(f->c, col, 0.35);
	for (a = 0; a < n; a = j) {
		while (a < n && e->col[a].n == 0)
			a++;
		for (j = a; j < n && e->col[j].n; j++)
			;
		if (j == a)
			break;
		m = 0;
		for (i = a; i < j; i++) {
			x[m] = wl_frame_px(f, e->t0 + (i + 0.5) * dt);
			y[m++] = wl_frame_py(f, e->col[i].max);
		}
		for (i = j; i-- > a;) {
			x[m] = wl_frame_px(f, e->t0 + (i + 0.5) * dt);
			y[m++] = wl_frame_py(f, e->col[i].min);
		}
		if (m == 2) { /* a lone column: a vertical stroke */
			wl_canvas_width(f->c, f->st->thin);
			wl_canvas_line(f->c, x[0], y[0], x[1], y[1]);
		} else {
			wl_canvas_polygon(f->c, x, y, m);
		}
	}
	for (i = 0; i < n; i++) {
		x[i] = wl_frame_px(f, e->t0 + (i + 0.5) * dt);
		y[i] = e->col[i].n ? wl_frame_py(f, e->col[i].sum / (double)e->col[i].n) : NAN;
	}
	wl_canvas_rgb(f->c, col, 1);
	wl_canvas_width(f->c, f->st->line * 0.8);
	wl_line_style(f->c, f->st, dash);
	wl_canvas_polyline(f->c, x, y, n);
	wl_canvas_dash(f->c, 0, 0);
out:
	free(x);
	free(y);
}

double wl_fig_title_h(const struct wl_plot_opts *o)
{
	return o->lab.title && o->lab.title[0] ? (o->style == WL_STYLE_PAPER ? 9 : 12) * 1.9 : 0;
}

struct wl_canvas *wl_fig_measure(const struct wl_plot_opts *o, struct wl_error *err)
{
	struct wl_canvas *c = wl_canvas_open(NULL, o->format, o->style, 1, 1, err);

	if (c)
		wl_canvas_family(c, o->lab.font);
	return c;
}

struct wl_canvas *wl_fig_open(const struct wl_plot_opts *o, const char *path, double w,
			      double h, struct wl_error *err)
{
	double th = wl_fig_title_h(o);
	struct wl_canvas *c = o->doc;

	if (!c && !(c = wl_canvas_open(path, o->format, o->style, w, h + th, err)))
		return NULL;
	if (o->doc)
		wl_doc_place(c, w, h + th);
	wl_canvas_family(c, o->lab.font);
	if (th > 0) { /* bold, centred, in the strip's upper part */
		wl_canvas_rgb(c, (struct wl_rgb){ 0, 0, 0 }, 1);
		wl_canvas_font(c, th / 1.9, 1);
		wl_canvas_text(c, w / 2, th * 0.62, o->lab.title, 0.5, 1, 0);
		wl_canvas_translate(c, 0, th);
	}
	return c;
}

int wl_fig_close(const struct wl_plot_opts *o, struct wl_canvas *c, struct wl_error *err)
{
	if (!o->doc)
		return wl_canvas_close(c, err);
	wl_doc_unplace(c);
	return wl_doc_check(c, err);
}
