/*
 * fig_power.c - power of every component over time: one line each (a
 * min/max band and mean line per pixel column for long traces), or a
 * stack of areas that sums to the total; phases shaded and labelled above
 * the plot; markers as thin dashed lines.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define MAXC 64

static void style_of(const struct wl_plot_opts *o, struct wl_style *st)
{
	wl_style_for(o, 0.5, 2.0, 4.5, st);
}

size_t wl_fig_power_columns(const struct wl_plot_opts *o)
{
	struct wl_style st;
	double k = o->format == WL_PLOT_PNG && o->style == WL_STYLE_PAPER ? 300.0 / 72 : 2;

	style_of(o, &st);
	return (size_t)ceil(st.w * k);
}

/* Value of envelope e at time t: linear interpolation of the raw samples,
 * else the mean of t's column (the last non-empty column before it when
 * empty).  NaN before the first sample. */
static double env_at(const struct wl_envelope *e, double t)
{
	size_t lo = 0, hi, mid, c;

	if (wl_envelope_is_raw(e)) {
		if (e->nraw == 0 || t < e->rt[0])
			return NAN;
		hi = e->nraw - 1;
		if (t >= e->rt[hi])
			return e->rv[hi];
		while (hi - lo > 1) {
			mid = (lo + hi) / 2;
			if (e->rt[mid] <= t)
				lo = mid;
			else
				hi = mid;
		}
		if (e->rt[hi] == e->rt[lo])
			return e->rv[lo];
		return e->rv[lo] + (e->rv[hi] - e->rv[lo]) * (t - e->rt[lo]) / (e->rt[hi] - e->rt[lo]);
	}
	for (c = wl_envelope_column(e, t) + 1; c-- > 0;)
		if (e->col[c].n)
			return e->col[c].sum / (double)e->col[c].n;
	return NAN;
}

/* Stacked areas on a grid of G points: top_k(t) = sum_{j<=k} P_j(t). */
static void draw_stack(struct wl_frame *f, const struct wl_envelope *env, size_t n,
		       const struct wl_rgb *col, double *ymax)
{
	size_t g, G = (size_t)ceil(f->w) + 1, k, m;
	double *base = calloc(G, sizeof(double)), *top = calloc(G, sizeof(double));
	double *x = malloc(2 * G * sizeof(double)), *y = malloc(2 * G * sizeof(double)), t, v;

	if (!base || !top || !x || !y)
		goto out;
	for (k = 0; k < n; k++) {
		for (g = 0; g < G; g++) {
			t = f->x0 + (f->x1 - f->x0) * (double)g / (double)(G - 1);
			v = env_at(&env[k], t);
			top[g] = base[g] + (isnan(v) ? 0 : v);
			if (ymax && top[g] > *ymax)
				*ymax = top[g];
		}
		if (!ymax) {
			m = 0;
			for (g = 0; g < G; g++) {
				x[m] = f->x + f->w * (double)g / (double)(G - 1);
				y[m++] = wl_frame_py(f, top[g]);
			}
			for (g = G; g-- > 0;) {
				x[m] = f->x + f->w * (double)g / (double)(G - 1);
				y[m++] = wl_frame_py(f, base[g]);
			}
			wl_canvas_rgb(f->c, col[k], 0.85);
			wl_canvas_polygon(f->c, x, y, m);
		}
		memcpy(base, top, G * sizeof(double));
	}
out:
	free(base);
	free(top);
	free(x);
	free(y);
}

static int power_draw(const char *const *names, const struct wl_envelope *env, size_t n,
		      const struct wl_phase_list *ph, const struct wl_dataset *ds,
		      const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_legend_item it[MAXC];
	struct wl_rgb col[MAXC];
	int dash[MAXC];
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double lo = 0, hi = -INFINITY, top, left, bottom, yw;
	size_t i, j;

	if (n == 0)
		return wl_error_set(err, "no power channel to plot in '%s'",
				    ds && ds->path ? ds->path : path);
	if (n > MAXC)
		n = MAXC;
	style_of(o, &st);
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c)
		return -1;
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.st = &st;
	for (i = 0; i < n; i++) {
		col[i] = wl_palette_component(names[i]);
		it[i].text = names[i];
		it[i].col = col[i];
		it[i].box = o->stack;
		for (j = 0; j < env[i].ncols; j++)
			if (env[i].col[j].n) {
				lo = fmin(lo, env[i].col[j].min);
				hi = fmax(hi, env[i].col[j].max);
			}
	}
	wl_dashes_for(col, n, dash);
	for (i = 0; i < n; i++)
		it[i].dash = o->stack ? 0 : dash[i];
	f.x0 = env[0].t0;
	f.x1 = env[0].t1;
	/* Open-ended envelopes: the axis ends at the last sample. */
	if (env[0].grow) {
		f.x1 = f.x0;
		for (i = 0; i < n; i++)
			if (env[i].t_last > f.x1)
				f.x1 = env[i].t_last;
		if (!(f.x1 > f.x0))
			f.x1 = env[0].t1;
	}
	if (o->stack) {
		f.w = 200; /* grid resolution only, for the range */
		draw_stack(&f, env, n, col, &hi);
	}
	if (!isfinite(hi))
		hi = 1;
	/* Left margin: label, tick labels, ticks; top: legend and phase
	 * labels; bottom: tick labels and the axis label. */
	yw = wl_frame_ylabel_w(c, &st, lo, hi * 1.04, st.h * 0.6);
	left = st.pad + st.label * 1.25 + st.pad * 1.6 + yw + st.tick;
	f.x = left;
	f.w = st.w - left - st.font * 1.5;
	top = st.pad + wl_legend(c, &st, it, n, f.x, st.pad, f.w, 0) + st.pad;
	top += wl_phase_strip_h(c, &st, ph, &f);
	bottom = st.tick + st.pad * 2.4 + st.font + st.label;
	f.y = top;
	f.h = st.h - top - bottom;
	wl_frame_yrange(&f, lo, hi * 1.04);
	wl_frame_xtime(&f, f.x0, f.x1);

	wl_phase_bands(&f, ph);
	wl_frame_draw(&f, 1, "Time", "Power (W)");
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	if (o->stack)
		draw_stack(&f, env, n, col, NULL);
	else
		for (i = 0; i < n; i++)
			wl_draw_envelope(&f, &env[i], col[i], dash[i]);
	wl_marker_lines(&f, ds);
	wl_canvas_unclip(c);
	wl_phase_labels(&f, ph);
	wl_legend(c, &st, it, n, f.x, st.pad, f.w, 1);
	return wl_fig_close(o, c, err);
}

int wl_fig_power_env(const char *const *names, const struct wl_envelope *env, size_t n,
		     const struct wl_phase_list *ph, const struct wl_dataset *marks,
		     const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	return power_draw(names, env, n, ph, marks, o, path, err);
}

int wl_fig_power(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		 const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_series *s = NULL;
	struct wl_envelope env[MAXC], fine;
	const char *names[MAXC];
	size_t n = 0, ns = 0, i, k, ncols = wl_fig_power_columns(o);
	double t0, t1;
	int rc = -1;

	if (wl_plot_window(ds, o, &t0, &t1, err) < 0)
		return -1;
	if (wl_plot_power_series(ds, &s, &ns, err) < 0)
		return -1;
	n = ns > MAXC ? MAXC : ns;
	/* The binning of the streaming path (power_stream.c), which does
	 * not know the end of the run while it reads: an open-ended envelope
	 * WL_ENV_FINE times finer, folded into the window's columns, so
	 * that both paths draw the same figure from the same samples. */
	for (i = 0; i < n; i++) {
		names[i] = s[i].name;
		if (wl_envelope_open_fine(&fine, t0, ncols) < 0)
			goto oom;
		for (k = 0; k < s[i].n && !(s[i].t[k] > t1); k++)
			;
		wl_envelope_feed_n(&fine, s[i].t, s[i].p, k);
		k = (size_t)wl_envelope_rebin(&fine, t0, t1, ncols, &env[i]);
		wl_envelope_release(&fine);
		if (k)
			goto oom;
	}
	rc = power_draw(names, env, n, ph, ds, o, path, err);
	goto out;
oom:
	wl_error_set(err, "out of memory for figure '%s'", path);
out:
	while (i-- > 0)
		wl_envelope_release(&env[i]);
	wl_plot_series_free(s, ns);
	return rc;
}
