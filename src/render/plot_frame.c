/*
 * plot_frame.c - the parts every figure shares (see plot_int.h): style
 * sizes, a frame with 1-2-5 ticks and unit labels, the legend, phase bands
 * and labels, marker lines, envelopes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

static const struct wl_rgb black = { 0, 0, 0 }, grid = { 0.88, 0.88, 0.88 },
			   dark = { 0.25, 0.25, 0.25 };

void wl_line_style(struct wl_canvas *c, const struct wl_style *st, int dash)
{
	if (dash == 1)
		wl_canvas_dash(c, st->line * 4, st->line * 2.5);
	else if (dash >= 2)
		wl_canvas_dash(c, st->line * 1.2, st->line * 1.8);
	else
		wl_canvas_dash(c, 0, 0);
}

void wl_style_for(const struct wl_plot_opts *o, double aspect, double min_h_in,
		  double max_h_in, struct wl_style *s)
{
	double w_in = o->width_in, h_in;

	memset(s, 0, sizeof(*s));
	s->kind = o->style;
	s->xlabel = o->lab.xlabel;
	s->ylabel = o->lab.ylabel;
	if (o->style == WL_STYLE_PAPER) {
		if (!(w_in > 0))
			w_in = WL_PAPER_SINGLE_IN;
		s->font = 8;
		s->label = 8.5;
		s->line = 1.0;
		s->thin = 0.6;
		s->tick = 2.5;
		s->pad = 3;
	} else {
		if (!(w_in > 0))
			w_in = 8;
		s->font = 10;
		s->label = 11;
		s->line = 1.4;
		s->thin = 0.75;
		s->tick = 4;
		s->pad = 5;
	}
	h_in = w_in * aspect;
	if (min_h_in > 0 && h_in < min_h_in)
		h_in = min_h_in;
	if (max_h_in > 0 && h_in > max_h_in)
		h_in = max_h_in;
	s->w = w_in * 72;
	s->h = h_in * 72;
}

double wl_frame_px(const struct wl_frame *f, double x)
{
	return f->x + (x - f->x0) / (f->x1 - f->x0) * f->w;
}

double wl_frame_py(const struct wl_frame *f, double y)
{
	return f->y + f->h - (y - f->y0) / (f->y1 - f->y0) * f->h;
}

/* Most ticks fitting a height: labels at least 1.6 em apart, 3 to 8. */
static int yticks_for(const struct wl_style *st, double h)
{
	int n = (int)(h / (1.6 * st->font)) + 1;

	return n < 3 ? 3 : n > 8 ? 8 : n;
}

/* Among 3..max ticks, the count whose nice range wastes the least of the
 * axis: minimise (hi' - lo') / (hi - lo); on a tie the count nearest the
 * target (one tick per ~4 em of height). */
static int yticks_best(double lo, double hi, int max, int target)
{
	double best = INFINITY, a, b;
	int n, pick = 3;

	for (n = 3; n <= max; n++) {
		a = lo;
		b = hi;
		wl_axis_nice_range(&a, &b, n);
		if ((b - a) < best * (1 - 1e-9) ||
		    ((b - a) <= best * (1 + 1e-9) && abs(n - target) < abs(pick - target))) {
			best = fmin(best, b - a);
			pick = n;
		}
	}
	return pick;
}

static int ytarget(const struct wl_style *st, double h)
{
	return (int)(h / (4 * st->font)) + 1;
}

void wl_frame_yrange(struct wl_frame *f, double lo, double hi)
{
	int n = yticks_best(lo, hi, yticks_for(f->st, f->h), ytarget(f->st, f->h));

	wl_axis_nice_range(&lo, &hi, n);
	wl_axis_ticks(lo, hi, n, &f->yt);
	f->y0 = lo;
	f->y1 = hi;
}

double wl_frame_ylabel_w(struct wl_canvas *c, const struct wl_style *st, double lo, double hi,
			 double h)
{
	struct wl_ticks t;
	char buf[32];
	double w = 0, x;
	size_t i;
	int n = yticks_best(lo, hi, yticks_for(st, h), ytarget(st, h));

	wl_axis_nice_range(&lo, &hi, n);
	wl_axis_ticks(lo, hi, n, &t);
	wl_canvas_font(c, st->font, 0);
	for (i = 0; i < t.n; i++) {
		wl_axis_format(&t, t.v[i], buf, sizeof(buf));
		x = wl_canvas_text_width(c, buf);
		if (x > w)
			w = x;
	}
	return w;
}

/* The most ticks (10 down to 2) whose labels keep a gap of one em. */
static void xticks_fit(struct wl_frame *f, double lo, double hi)
{
	double x[WL_TICKS_MAX], w[WL_TICKS_MAX];
	char buf[32];
	size_t i;
	int max;

	wl_canvas_font(f->c, f->st->font, 0);
	for (max = 10; max >= 2; max--) {
		wl_axis_ticks(lo, hi, max, &f->xt);
		for (i = 0; i < f->xt.n; i++) {
			wl_axis_format(&f->xt, f->xt.v[i], buf, sizeof(buf));
			w[i] = wl_canvas_text_width(f->c, buf);
			x[i] = wl_frame_px(f, f->xt.v[i] * f->xdiv);
		}
		if (!wl_layout_overlaps(x, w, f->xt.n, f->st->font))
			return;
	}
}

void wl_frame_xtime(struct wl_frame *f, double t0, double t1)
{
	f->x0 = t0;
	f->x1 = t1;
	f->xunit = wl_axis_time_unit(t1 - t0, &f->xdiv);
	xticks_fit(f, t0 / f->xdiv, t1 / f->xdiv);
}

void wl_frame_xplain(struct wl_frame *f, double lo, double hi)
{
	f->x0 = lo;
	f->x1 = hi;
	f->xdiv = 1;
	f->xunit = NULL;
	xticks_fit(f, lo, hi);
}

const char *wl_style_xlabel(const struct wl_style *st, const char *deflt)
{
	return deflt && st->xlabel ? st->xlabel : deflt;
}

const char *wl_style_ylabel(const struct wl_style *st, const char *deflt)
{
	return deflt && st->ylabel ? st->ylabel : deflt;
}

void wl_frame_draw(struct wl_frame *f, int xlabels, const char *xlabel, const char *ylabel)
{
	const struct wl_style *st = f->st;
	struct wl_canvas *c = f->c;
	char buf[64];
	double p, yw = 0, w;
	size_t i;

	xlabel = wl_style_xlabel(st, xlabel);
	ylabel = wl_style_ylabel(st, ylabel);
	wl_canvas_width(c, st->thin);
	wl_canvas_dash(c, 0, 0);
	wl_canvas_font(c, st->font, 0);
	for (i = 0; i < f->yt.n; i++) {
		p = wl_frame_py(f, f->yt.v[i]);
		wl_canvas_rgb(c, grid, 1);
		wl_canvas_line(c, f->x, p, f->x + f->w, p);
		wl_canvas_rgb(c, black, 1);
		wl_canvas_line(c, f->x - st->tick, p, f->x, p);
		wl_axis_format(&f->yt, f->yt.v[i], buf, sizeof(buf));
		wl_canvas_text(c, f->x - st->tick - st->pad * 0.7, p, buf, 1, 0.5, 0);
		w = wl_canvas_text_width(c, buf);
		if (w > yw)
			yw = w;
	}
	for (i = 0; i < f->xt.n; i++) {
		p = wl_frame_px(f, f->xt.v[i] * f->xdiv);
		wl_canvas_rgb(c, black, 1);
		wl_canvas_line(c, p, f->y + f->h, p, f->y + f->h + st->tick);
		if (xlabels) {
			wl_axis_format(&f->xt, f->xt.v[i], buf, sizeof(buf));
			wl_canvas_text(c, p, f->y + f->h + st->tick + st->pad * 0.7, buf, 0.5, 0,
				       0);
		}
	}
	wl_canvas_rgb(c, black, 1);
	wl_canvas_stroke_rect(c, f->x, f->y, f->w, f->h);
	wl_canvas_font(c, st->label, 0);
	if (xlabel && xlabels) {
		if (f->xunit)
			snprintf(buf, sizeof(buf), "%s (%s)", xlabel, f->xunit);
		else
			snprintf(buf, sizeof(buf), "%s", xlabel);
		wl_canvas_text(c, f->x + f->w / 2,
			       f->y + f->h + st->tick + st->pad * 1.4 + st->font, buf, 0.5, 0, 0);
	}
	if (ylabel)
		wl_canvas_text(c, f->x - st->tick - st->pad * 1.6 - yw - st->label * 0.25,
			       f->y + f->h / 2, ylabel,
			       0.5, 1, -90);
}

double wl_legend(struct wl_canvas *c, const struct wl_style *st, const struct wl_legend_item *it,
		 size_t n, double x, double y, double w, int draw)
{
	double sw = st->font * 1.6, cx = x, rowh = st->font * 1.5, ew;
	size_t i;
	int rows = n ? 1 : 0;

	wl_canvas_font(c, st->font, 0);
	for (i = 0; i < n; i++) {
		ew = sw + st->pad + wl_canvas_text_width(c, it[i].text);
		if (cx > x && cx + ew > x + w) {
			cx = x;
			rows++;
		}
		if (draw) {
			double my = y + (rows - 0.5) * rowh;

			wl_canvas_rgb(c, it[i].col, 1);
			if (it[i].box) {
				wl_canvas_fill_rect(c, cx, my - st->font * 0.4, sw, st->font * 0.8);
			} else {
				wl_canvas_width(c, st->line * 1.3);
				wl_line_style(c, st, it[i].dash);
				wl_canvas_line(c, cx, my, cx + sw, my);
				wl_canvas_dash(c, 0, 0);
			}
			wl_canvas_rgb(c, black, 1);
			wl_canvas_text(c, cx + sw + st->pad, my, it[i].text, 0, 0.5, 0);
		}
		cx += ew + st->font * 1.2;
	}
	return rows * rowh;
}

/* A phase band narrower than 60 % of its label is left unlabelled: its
 * shade shows it, and a label wider than its band points nowhere. */
static int labelled(struct wl_canvas *c, const struct wl_frame *f, double a, double b,
		    const char *label)
{
	return wl_frame_px(f, b) - wl_frame_px(f, a) >= 0.6 * wl_canvas_text_width(c, label);
}

/* The phases inside the frame's window, label rows. */
static int phase_rows(struct wl_canvas *c, const struct wl_style *st,
		      const struct wl_phase_list *ph, const struct wl_frame *f, double *x,
		      double *w, int *row, size_t max, size_t *n)
{
	size_t i;
	double a, b;

	*n = 0;
	if (!ph)
		return 0;
	wl_canvas_font(c, st->font, 0);
	for (i = 0; i < ph->n && *n < max; i++) {
		a = fmax(ph->p[i].start_s, f->x0);
		b = fmin(ph->p[i].end_s, f->x1);
		if (!(b > a) || ph->p[i].depth > 0 || !labelled(c, f, a, b, ph->p[i].label))
			continue;
		x[*n] = wl_frame_px(f, (a + b) / 2);
		w[*n] = wl_canvas_text_width(c, ph->p[i].label);
		(*n)++;
	}
	return wl_layout_rows(x, w, *n, f->x, f->x + f->w, st->pad, row);
}

#define MAXPH 256

double wl_phase_strip_h(struct wl_canvas *c, const struct wl_style *st,
			const struct wl_phase_list *ph, const struct wl_frame *f)
{
	double x[MAXPH], w[MAXPH];
	int row[MAXPH], rows;
	size_t n;

	rows = phase_rows(c, st, ph, f, x, w, row, MAXPH, &n);
	return rows ? rows * st->font * 1.3 + st->pad * 0.5 : 0;
}

void wl_phase_bands(struct wl_frame *f, const struct wl_phase_list *ph)
{
	double a, b;
	size_t i;

	if (!ph)
		return;
	for (i = 0; i < ph->n; i++) {
		a = fmax(ph->p[i].start_s, f->x0);
		b = fmin(ph->p[i].end_s, f->x1);
		if (!(b > a) || ph->p[i].depth > 0)
			continue;
		wl_canvas_rgb(f->c, wl_palette_phase(ph->p[i].label, 1), 1);
		wl_canvas_fill_rect(f->c, wl_frame_px(f, a), f->y,
				    wl_frame_px(f, b) - wl_frame_px(f, a), f->h);
	}
}

void wl_phase_labels(struct wl_frame *f, const struct wl_phase_list *ph)
{
	double x[MAXPH], w[MAXPH], rh = f->st->font * 1.3;
	int row[MAXPH], rows;
	size_t i, k = 0, n;

	rows = phase_rows(f->c, f->st, ph, f, x, w, row, MAXPH, &n);
	if (!rows)
		return;
	for (i = 0; i < ph->n && k < n; i++) {
		double a = fmax(ph->p[i].start_s, f->x0), b = fmin(ph->p[i].end_s, f->x1);

		wl_canvas_font(f->c, f->st->font, 0);
		if (!(b > a) || ph->p[i].depth > 0 || !labelled(f->c, f, a, b, ph->p[i].label))
			continue;
		/* Row 0 sits just above the frame, later rows further up. */
		wl_canvas_rgb(f->c, dark, 1);
		wl_canvas_text(f->c, x[k], f->y - f->st->pad * 0.5 - row[k] * rh, ph->p[i].label,
			       0.5, 1, 0);
		k++;
	}
}

void wl_marker_lines(struct wl_frame *f, const struct wl_dataset *ds)
{
	double p;
	size_t i;

	if (!ds)
		return;
	wl_canvas_rgb(f->c, dark, 0.8);
	wl_canvas_width(f->c, f->st->thin);
	wl_canvas_dash(f->c, 2, 1.5);
	for (i = 0; i < ds->nmk; i++) {
		if (ds->mk[i].t < f->x0 || ds->mk[i].t > f->x1)
			continue;
		p = wl_frame_px(f, ds->mk[i].t);
		wl_canvas_line(f->c, p, f->y, p, f->y + f->h);
	}
	wl_canvas_dash(f->c, 0, 0);
}
