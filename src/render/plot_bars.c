/*
 * plot_bars.c - stacked bars (see plot_int.h): one bar per category, one
 * segment per series; the energy and carbon figures draw with it.  The
 * value unit is scaled by 1000s to keep tick labels short.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_int.h"

/* Picks the prefix of base ("J" -> J, kJ, MJ; "g" -> g, kg, t) for max. */
static double unit_scale(const char *base, double max, char *unit, size_t len)
{
	static const char *const pre[] = { "", "k", "M", "G" };
	int i = 0;
	double k = 1;

	while (i < 3 && max / k >= 1e3) {
		k *= 1000;
		i++;
	}
	if (!strcmp(base, "g") && i >= 1) /* kg, t */
		snprintf(unit, len, "%s", i == 1 ? "kg" : i == 2 ? "t" : "kt");
	else
		snprintf(unit, len, "%s%s", pre[i], base);
	return k;
}

int wl_draw_bars(const struct wl_bars *b, const struct wl_plot_opts *o, const char *path,
		 struct wl_error *err)
{
	struct wl_legend_item it[WL_BARS_MAXSEG];
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double max = 0, sum, k, yw, left, top, bottom, bw, x, y0, y1, lw = 0;
	char unit[16], ylabel[96], buf[48];
	size_t i, j, nl = 0;

	for (i = 0; i < b->ncat; i++) {
		for (sum = 0, j = 0; j < b->nseg; j++)
			sum += isnan(b->v[i * b->nseg + j]) ? 0 : b->v[i * b->nseg + j];
		max = fmax(max, sum);
	}
	k = unit_scale(b->base_unit, max, unit, sizeof(unit));
	snprintf(ylabel, sizeof(ylabel), "%s (%s)", b->ylabel, unit);
	wl_style_for(o, 0.6, 2.0, 4.5, &st);
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c)
		return -1;
	memset(it, 0, sizeof(it));
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.st = &st;
	for (j = 0; j < b->nseg && nl < WL_BARS_MAXSEG; j++) {
		for (sum = 0, i = 0; i < b->ncat; i++)
			sum += b->v[i * b->nseg + j] > 0 ? b->v[i * b->nseg + j] : 0;
		if (sum > 0 && b->seg[j][0]) {
			it[nl].text = b->seg[j];
			it[nl].col = b->segcol[j];
			it[nl++].box = 1;
		}
	}
	yw = wl_frame_ylabel_w(c, &st, 0, max / k * 1.12, st.h * 0.6);
	left = st.pad + st.label * 1.25 + st.pad * 1.6 + yw + st.tick;
	f.x = left;
	f.w = st.w - left - st.pad * 2;
	top = st.pad + (nl > 1 ? wl_legend(c, &st, it, nl, f.x, st.pad, f.w, 0) : 0) + st.pad +
	      st.font * 1.2;
	wl_canvas_font(c, st.font, 0);
	for (i = 0; i < b->ncat; i++)
		lw = fmax(lw, wl_canvas_text_width(c, b->cat[i]));
	bottom = st.tick + st.pad * 2 + st.font;
	/* Category labels turn 45 degrees when they do not fit their slot. */
	f.y = top;
	f.h = st.h - top - bottom;
	if (lw > 0.9 * f.w / (double)b->ncat) {
		bottom += lw * 0.71;
		f.h = st.h - top - bottom;
	}
	wl_frame_yrange(&f, 0, max / k * 1.12);
	f.x0 = 0;
	f.x1 = (double)b->ncat;
	f.xt.n = 0;
	wl_frame_draw(&f, 0, NULL, ylabel);
	bw = fmin(0.6 * f.w / (double)b->ncat, st.font * 5);
	for (i = 0; i < b->ncat; i++) {
		x = wl_frame_px(&f, i + 0.5);
		y0 = 0;
		for (j = 0; j < b->nseg; j++) {
			double v = b->v[i * b->nseg + j];

			if (isnan(v) || v <= 0)
				continue;
			y1 = y0 + v / k;
			wl_canvas_rgb(c, b->segcol[j], 1);
			wl_canvas_fill_rect(c, x - bw / 2, wl_frame_py(&f, y1), bw,
					    wl_frame_py(&f, y0) - wl_frame_py(&f, y1));
			y0 = y1;
		}
		/* The bar's total above it, three significant digits without
		 * an exponent (y0 < 1000 after the unit's scaling). */
		wl_canvas_rgb(c, (struct wl_rgb){ 0, 0, 0 }, 1);
		wl_canvas_font(c, st.font, 0);
		snprintf(buf, sizeof(buf), "%.*f", y0 >= 100 ? 0 : y0 >= 10 ? 1 : 2, y0);
		if (wl_canvas_text_width(c, buf) < f.w / (double)b->ncat)
			wl_canvas_text(c, x, wl_frame_py(&f, y0) - st.pad * 0.5, buf, 0.5, 1, 0);
		wl_canvas_line(c, x, f.y + f.h, x, f.y + f.h + st.tick);
		if (lw > 0.9 * f.w / (double)b->ncat)
			wl_canvas_text(c, x, f.y + f.h + st.tick + st.pad * 0.7, b->cat[i], 1, 0,
				       -45);
		else
			wl_canvas_text(c, x, f.y + f.h + st.tick + st.pad * 0.7, b->cat[i], 0.5,
				       0, 0);
	}
	if (nl > 1)
		wl_legend(c, &st, it, nl, f.x, st.pad, f.w, 1);
	return wl_fig_close(o, c, err);
}
