/*
 * fig_scatter.c - one metric against another (--x, --y), each point
 * coloured by the phase it falls in.  Points are the x channel's samples;
 * y is linearly interpolated at each x time (y(t) = y_k + (y_{k+1} - y_k)
 * (t - t_k) / (t_{k+1} - t_k)); times outside y's span are dropped.  At
 * most MAXPTS points, taking every k-th sample, k = ceil(n / MAXPTS).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define MAXPTS 20000
#define MAXG 8

static double interp(const struct wl_channel *c, double t, size_t *k)
{
	while (*k + 1 < c->n && c->t[*k + 1] <= t)
		(*k)++;
	if (c->n == 0 || t < c->t[0] || t > c->t[c->n - 1])
		return NAN;
	if (*k + 1 >= c->n || c->t[*k + 1] == c->t[*k])
		return c->v[*k];
	return c->v[*k] + (c->v[*k + 1] - c->v[*k]) * (t - c->t[*k]) / (c->t[*k + 1] - c->t[*k]);
}

static void axis_title(const struct wl_channel *c, char *buf, size_t len)
{
	char s[96];

	wl_plot_short_name(c->name, s, sizeof(s));
	if (c->unit[0])
		snprintf(buf, len, "%s (%s)", s, c->unit);
	else
		snprintf(buf, len, "%s", s);
}

int wl_fig_scatter(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		   const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	const struct wl_channel *cx, *cy;
	struct wl_legend_item it[MAXG + 1];
	const char *gname[MAXG];
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	char xl[128], yl[128];
	double t0, t1, xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY, v, yw;
	double top, left, bottom;
	size_t i, k = 0, step, ng = 0, g, pass;
	long ix, iy;

	if (!o->x || !o->y)
		return wl_error_set(err, "the scatter figure needs --x METRIC and --y METRIC");
	if ((ix = wl_plot_find_metric(ds, o->x)) < 0 || (iy = wl_plot_find_metric(ds, o->y)) < 0)
		return wl_error_set(err, "no metric '%s' in '%s'", ix < 0 ? o->x : o->y,
				    ds->path ? ds->path : "");
	if (wl_plot_window(ds, o, &t0, &t1, err) < 0)
		return -1;
	cx = &ds->ch[ix];
	cy = &ds->ch[iy];
	step = cx->n > MAXPTS ? (cx->n + MAXPTS - 1) / MAXPTS : 1;
	for (i = 0; i < cx->n; i += step) {
		if (cx->t[i] < t0 || cx->t[i] > t1 || isnan(cx->v[i]))
			continue;
		v = interp(cy, cx->t[i], &k);
		if (isnan(v))
			continue;
		xlo = fmin(xlo, cx->v[i]);
		xhi = fmax(xhi, cx->v[i]);
		ylo = fmin(ylo, v);
		yhi = fmax(yhi, v);
	}
	if (!isfinite(xlo))
		return wl_error_set(err, "no time where both '%s' and '%s' have data in '%s'",
				    o->x, o->y, ds->path ? ds->path : "");
	for (i = 0; ph && i < ph->n; i++) {
		if (ph->p[i].depth)
			continue;
		for (g = 0; g < ng && strcmp(gname[g], ph->p[i].label); g++)
			;
		if (g == ng && ng < MAXG)
			gname[ng++] = ph->p[i].label;
	}
	memset(it, 0, sizeof(it));
	for (g = 0; g < ng; g++) {
		it[g].text = gname[g];
		it[g].col = wl_palette_phase(gname[g], 0);
		it[g].box = 1;
	}
	wl_style_for(o, 0.75, 2.2, 6, &st);
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c)
		return -1;
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.st = &st;
	axis_title(cx, xl, sizeof(xl));
	axis_title(cy, yl, sizeof(yl));
	{ /* 4 % margins so points do not sit on the frame */
		double mx = (xhi - xlo) * 0.04, my = (yhi - ylo) * 0.04;

		xlo -= mx;
		xhi += mx;
		ylo -= my;
		yhi += my;
	}
	yw = wl_frame_ylabel_w(c, &st, ylo, yhi, st.h * 0.7);
	left = st.pad + st.label * 1.25 + st.pad * 1.6 + yw + st.tick;
	f.x = left;
	f.w = st.w - left - st.font * 1.5;
	top = st.pad + (ng ? wl_legend(c, &st, it, ng, f.x, st.pad, f.w, 0) : 0) + st.pad;
	bottom = st.tick + st.pad * 2.4 + st.font + st.label;
	f.y = top;
	f.h = st.h - top - bottom;
	wl_frame_yrange(&f, ylo, yhi);
	wl_axis_nice_range(&xlo, &xhi, 6);
	wl_frame_xplain(&f, xlo, xhi);
	wl_frame_draw(&f, 1, xl, yl);
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	/* Unphased points first, then each phase, so colours are not hidden
	 * under grey. */
	for (pass = 0; pass <= ng; pass++) {
		k = 0;
		for (i = 0; i < cx->n; i += step) {
			const struct wl_phase *p;

			if (cx->t[i] < t0 || cx->t[i] > t1 || isnan(cx->v[i]))
				continue;
			v = interp(cy, cx->t[i], &k);
			if (isnan(v))
				continue;
			p = wl_plot_phase_at(ph, cx->t[i]);
			for (g = 0; p && g < ng && strcmp(gname[g], p->label); g++)
				;
			if (!p)
				g = ng;
			if ((pass == 0) != (g == ng) || (pass > 0 && g != pass - 1))
				continue;
			wl_canvas_rgb(c, g < ng ? it[g].col : (struct wl_rgb){ 0.3, 0.3, 0.3 }, 0.7);
			wl_canvas_dot(c, wl_frame_px(&f, cx->v[i]), wl_frame_py(&f, v), st.line * 1.2);
		}
	}
	wl_canvas_unclip(c);
	if (ng)
		wl_legend(c, &st, it, ng, f.x, st.pad, f.w, 1);
	return wl_fig_close(o, c, err);
}
