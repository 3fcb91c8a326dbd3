/*
 * fig_fit.c - a power model against a run (`wattlog fit --predict --plots`):
 * the measured and the predicted power over time in one panel, the
 * residual (measured - predicted) under it with its zero line.  Series
 * are drawn as given (a NaN breaks a line); wl_fit_predict gives them on
 * its grid, so their length is the run's bins, not its raw samples.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

static void range(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			*lo = fmin(*lo, v[i]);
			*hi = fmax(*hi, v[i]);
		}
}

static void line(struct wl_frame *f, const double *t, const double *v, size_t n, double *px,
		  double *py)
{
	size_t i;

	for (i = 0; i < n; i++) {
		px[i] = wl_frame_px(f, t[i]);
		py[i] = isfinite(v[i]) ? wl_frame_py(f, v[i]) : NAN;
	}
	wl_canvas_polyline(f->c, px, py, n);
}

int wl_fig_fit(const double *t, const double *measured_w, const double *predicted_w, size_t n,
	       const char *title, const struct wl_plot_opts *o, const char *path,
	       struct wl_error *err)
{
	static const struct wl_rgb black = { 0, 0, 0 };
	struct wl_legend_item it[2];
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double plo = 0, phi = -INFINITY, rlo = INFINITY, rhi = -INFINITY, *res, *px, *py;
	double yw, left, top, bottom, h1, h2, title_h;
	size_t i;
	int rc = -1;

	if (n < 2 || !(t[n - 1] > t[0]))
		return wl_error_set(err, "figure '%s': fewer than two points to draw", path);
	res = malloc(n * sizeof(*res));
	px = malloc(n * sizeof(*px));
	py = malloc(n * sizeof(*py));
	if (!res || !px || !py) {
		wl_error_set(err, "out of memory for figure '%s'", path);
		goto out;
	}
	for (i = 0; i < n; i++)
		res[i] = measured_w[i] - predicted_w[i];
	range(measured_w, n, &plo, &phi);
	range(predicted_w, n, &plo, &phi);
	range(res, n, &rlo, &rhi);
	phi *= 1.04;
	rhi = fmax(fabs(rlo), fabs(rhi));
	rhi = rhi > 0 ? rhi * 1.08 : 1;
	rlo = -rhi;
	memset(it, 0, sizeof(it));
	it[0].text = "measured";
	it[0].col = black;
	it[1].text = "predicted";
	it[1].col = wl_palette_okabe_ito(1);
	wl_style_for(o, 0.62, 2.4, 7, &st);
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c)
		goto out;
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.st = &st;
	title_h = st.label * 1.5;
	yw = fmax(wl_frame_ylabel_w(c, &st, plo, phi, st.h * 0.5),
		  wl_frame_ylabel_w(c, &st, rlo, rhi, st.h * 0.25));
	left = st.pad + st.label * 1.25 + st.pad * 1.6 + yw + st.tick;
	f.x = left;
	f.w = st.w - left - st.font * 1.5;
	top = st.pad + title_h + wl_legend(c, &st, it, 2, f.x, st.pad + title_h, f.w, 0) + st.pad;
	bottom = st.tick + st.pad * 2.4 + st.font + st.label;
	h1 = (st.h - top - bottom - st.pad * 2) * 0.66;
	h2 = st.h - top - bottom - st.pad * 2 - h1;
	wl_canvas_font(c, st.label, 1);
	wl_canvas_rgb(c, black, 1);
	wl_canvas_text(c, f.x, st.pad, title, 0, 0, 0);
	wl_legend(c, &st, it, 2, f.x, st.pad + title_h, f.w, 1);

	f.y = top;
	f.h = h1;
	wl_frame_yrange(&f, plo, phi);
	wl_frame_xtime(&f, t[0], t[n - 1]);
	wl_frame_draw(&f, 0, NULL, "Power (W)");
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	wl_canvas_width(c, st.line);
	wl_canvas_rgb(c, black, 0.8);
	line(&f, t, measured_w, n, px, py);
	wl_canvas_rgb(c, it[1].col, 1);
	line(&f, t, predicted_w, n, px, py);
	wl_canvas_unclip(c);

	f.y = top + h1 + st.pad * 2;
	f.h = h2;
	wl_frame_yrange(&f, rlo, rhi);
	wl_frame_xtime(&f, t[0], t[n - 1]);
	wl_frame_draw(&f, 1, "Time", "Residual (W)");
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	wl_canvas_width(c, st.thin);
	wl_canvas_rgb(c, black, 0.6);
	wl_canvas_line(c, f.x, wl_frame_py(&f, 0), f.x + f.w, wl_frame_py(&f, 0));
	wl_canvas_width(c, st.line);
	wl_canvas_rgb(c, wl_palette_okabe_ito(5), 1);
	line(&f, t, res, n, px, py);
	wl_canvas_unclip(c);
	rc = wl_fig_close(o, c, err);
out:
	free(res);
	free(px);
	free(py);
	return rc;
}
