/*
 * fig_compare.c - the figures of `wattlog compare` (see compare.h): bars
 * with 95 % CI error bars, a sweep line over a numeric key (log axes on
 * request), the Pareto scatter of throughput per user against tokens per
 * joule with its front, and the runs' power traces overlaid.  Drawn through
 * the canvas of plot.h and the frame of plot_int.h.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fig_compare.h"

#define MAXLEG 12

static const struct wl_rgb black = { 0, 0, 0 }, grey = { 0.45, 0.45, 0.45 },
			   gridc = { 0.88, 0.88, 0.88 };

struct wl_rgb wl_cmpfig_colour(size_t i)
{
	return wl_palette_okabe_ito(1 + i % 7);
}

void wl_cmpfig_title(const struct wl_cmp_table *t, long c, char *buf, size_t len)
{
	if (t->col[c].unit[0])
		snprintf(buf, len, "%s (%s)", t->col[c].name, t->col[c].unit);
	else
		snprintf(buf, len, "%s", t->col[c].name);
}

struct wl_canvas *wl_cmpfig_setup(const struct wl_plot_opts *o, const char *path, double ylo,
			       double yhi, int logy, double leg_h_rows, double bottom_extra,
			       struct wl_style *st, struct wl_frame *f, struct wl_error *err)
{
	struct wl_canvas *c;
	double yw, left, top, bottom;

	wl_style_for(o, 0.62, 2.2, 6, st);
	c = wl_fig_open(o, path, st->w, st->h + bottom_extra, err);
	if (!c)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->st = st;
	wl_canvas_font(c, st->font, 0);
	yw = logy ? wl_canvas_text_width(c, "0.0001") :
		    wl_frame_ylabel_w(c, st, ylo, yhi, st->h * 0.7);
	left = st->pad + st->label * 1.25 + st->pad * 1.6 + yw + st->tick;
	f->x = left;
	f->w = st->w - left - st->font * 1.5;
	top = st->pad + leg_h_rows * st->font * 1.5 + st->pad;
	bottom = st->tick + st->pad * 2.4 + st->font + st->label + bottom_extra;
	f->y = top;
	f->h = st->h + bottom_extra - top - bottom;
	if (logy) {
		f->y0 = ylo;
		f->y1 = yhi;
	} else {
		wl_frame_yrange(f, ylo, yhi);
	}
	return c;
}

/* Log10 ticks over [lo, hi] (in log10 units): the decades, with 2 and 5
 * between them when the range spans fewer than three decades. */
static void log_ticks(double lo, double hi, struct wl_ticks *t)
{
	static const double m[] = { 1, 2, 5 };
	int k, j, dense = hi - lo < 3;

	t->n = 0;
	t->step = 1;
	t->decimals = 0;
	for (k = (int)floor(lo); k <= (int)ceil(hi) && t->n < WL_TICKS_MAX; k++)
		for (j = 0; j < (dense ? 3 : 1); j++) {
			double v = k + log10(m[j]);

			if (v >= lo - 1e-9 && v <= hi + 1e-9 && t->n < WL_TICKS_MAX)
				t->v[t->n++] = v;
		}
}

void wl_cmpfig_axes(struct wl_frame *f, int logx, int logy, const char *xl, const char *yl)
{
	const struct wl_style *st = f->st;
	char buf[48];
	double p, yw = 0;
	size_t i;

	if (logx)
		log_ticks(f->x0, f->x1, &f->xt);
	if (logy)
		log_ticks(f->y0, f->y1, &f->yt);
	{
		struct wl_ticks yt = f->yt;

		if (logy)
			f->yt.n = 0;
		wl_frame_draw(f, !logx, logx ? NULL : xl, logy ? NULL : yl);
		f->yt = yt;
	}
	wl_canvas_font(f->c, st->font, 0);
	wl_canvas_width(f->c, st->thin);
	for (i = 0; logx && i < f->xt.n; i++) {
		p = wl_frame_px(f, f->xt.v[i]);
		snprintf(buf, sizeof(buf), "%g", pow(10, f->xt.v[i]));
		wl_canvas_rgb(f->c, black, 1);
		wl_canvas_text(f->c, p, f->y + f->h + st->tick + st->pad * 0.7, buf, 0.5, 0, 0);
	}
	for (i = 0; logy && i < f->yt.n; i++) {
		p = wl_frame_py(f, f->yt.v[i]);
		wl_canvas_rgb(f->c, gridc, 1);
		wl_canvas_line(f->c, f->x + 0.5, p, f->x + f->w - 0.5, p);
		wl_canvas_rgb(f->c, black, 1);
		wl_canvas_line(f->c, f->x - st->tick, p, f->x, p);
		snprintf(buf, sizeof(buf), "%g", pow(10, f->yt.v[i]));
		wl_canvas_text(f->c, f->x - st->tick - st->pad * 0.7, p, buf, 1, 0.5, 0);
		yw = fmax(yw, wl_canvas_text_width(f->c, buf));
	}
	xl = wl_style_xlabel(st, xl);
	yl = wl_style_ylabel(st, yl);
	wl_canvas_font(f->c, st->label, 0);
	if (logx && xl)
		wl_canvas_text(f->c, f->x + f->w / 2, f->y + f->h + st->tick + st->pad * 1.4 +
			       st->font, xl, 0.5, 0, 0);
	if (logy && yl)
		wl_canvas_text(f->c, f->x - st->tick - st->pad * 1.6 - yw - st->label * 0.25,
			       f->y + f->h / 2, yl, 0.5, 1, -90);
}

void wl_cmpfig_ebar(struct wl_canvas *c, double px, double py0, double py1, double cap)
{
	wl_canvas_line(c, px, py0, px, py1);
	wl_canvas_line(c, px - cap, py0, px + cap, py0);
	wl_canvas_line(c, px - cap, py1, px + cap, py1);
}

/* ---- bars -------------------------------------------------------------- */

int wl_cmp_fig_bars(const struct wl_cmp_table *t, const char *col, const struct wl_plot_opts *o,
		    const char *path, struct wl_error *err)
{
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c, *m;
	char yl[96];
	double lo = 0, hi = 0, lw = 0, bw, extra = 0;
	long k = wl_cmp_col_find(t, col);
	size_t i, have = 0;
	int rot;

	if (k < 0)
		return wl_error_set(err, "no column '%s' to draw", col);
	for (i = 0; i < t->nrow; i++) {
		const struct wl_cmp_stat *s = &t->row[i].st[k];
		double e = isfinite(s->ci) ? s->ci : 0;

		if (!isfinite(s->mean))
			continue;
		have++;
		lo = fmin(lo, s->mean - e);
		hi = fmax(hi, s->mean + e);
	}
	if (!have)
		return wl_error_set(err, "no row has a value of '%s'", col);
	if (hi == lo)
		hi = lo + 1;
	/* category labels: horizontal when they fit, else reading upward */
	wl_style_for(o, 0.62, 2.2, 6, &st);
	if (!(m = wl_fig_measure(o, err)))
		return -1;
	wl_canvas_font(m, st.font, 0);
	for (i = 0; i < t->nrow; i++)
		lw = fmax(lw, wl_canvas_text_width(m, t->row[i].label));
	wl_canvas_close(m, NULL);
	rot = lw * (double)t->nrow > st.w * 0.8;
	if (rot)
		extra = fmin(lw, st.h) - st.font;
	c = wl_cmpfig_setup(o, path, lo, hi * 1.05, 0, 0, extra, &st, &f, err);
	if (!c)
		return -1;
	f.x0 = -0.5;
	f.x1 = (double)t->nrow - 0.5;
	f.xt.n = 0;
	f.xdiv = 1;
	wl_cmpfig_title(t, k, yl, sizeof(yl));
	wl_frame_draw(&f, 1, NULL, yl);
	bw = f.w / (double)t->nrow * 0.7;
	wl_canvas_font(c, st.font, 0);
	for (i = 0; i < t->nrow; i++) {
		const struct wl_cmp_stat *s = &t->row[i].st[k];
		double px = wl_frame_px(&f, (double)i), y0 = wl_frame_py(&f, 0);

		wl_canvas_rgb(c, black, 1);
		if (rot)
			wl_canvas_text(c, px, f.y + f.h + st.pad, t->row[i].label, 1, 0.5, -90);
		else
			wl_canvas_text(c, px, f.y + f.h + st.pad, t->row[i].label, 0.5, 0, 0);
		if (!isfinite(s->mean))
			continue;
		wl_canvas_rgb(c, (long)i == t->baseline ? grey : wl_cmpfig_colour(0), 1);
		wl_canvas_fill_rect(c, px - bw / 2, fmin(y0, wl_frame_py(&f, s->mean)), bw,
				    fabs(wl_frame_py(&f, s->mean) - y0));
		if (isfinite(s->ci) && s->ci > 0) {
			wl_canvas_rgb(c, black, 1);
			wl_canvas_width(c, st.thin * 1.3);
			wl_cmpfig_ebar(c, px, wl_frame_py(&f, s->mean - s->ci),
			       wl_frame_py(&f, s->mean + s->ci), fmin(bw / 4, st.font / 2));
		}
	}
	return wl_fig_close(o, c, err);
}

/* ---- sweep ------------------------------------------------------------- */

static double tr(double v, int lg)
{
	return lg ? (v > 0 ? log10(v) : NAN) : v;
}

struct pt {
	double x, y, lo, hi; /* transformed */
	size_t row, series;
};

static int by_series_x(const void *a, const void *b)
{
	const struct pt *p = a, *q = b;

	if (p->series != q->series)
		return p->series < q->series ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
}

int wl_cmp_fig_sweep(const struct wl_cmp_table *t, const char *x, const char *y,
		     const char *series, int logx, int logy, const struct wl_plot_opts *o,
		     const char *path, struct wl_error *err)
{
	struct wl_legend_item it[MAXLEG];
	const char *sname[MAXLEG];
	struct pt *p = calloc(t->nrow ? t->nrow : 1, sizeof(*p));
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	char yl[96];
	long k = wl_cmp_col_find(t, y);
	size_t i, j, n = 0, ns = 0;
	int rc;

	if (!p)
		return wl_error_set(err, "out of memory");
	if (k < 0) {
		free(p);
		return wl_error_set(err, "no column '%s' for the sweep", y);
	}
	for (i = 0; i < t->nrow; i++) {
		const struct wl_cmp_stat *s = &t->row[i].st[k];
		const char *sv = series ? wl_cmp_kv_get(t->row[i].kv, t->row[i].nkv, series) : "";
		double e = isfinite(s->ci) ? s->ci : 0;

		p[n].x = tr(wl_cmp_row_key_num(&t->row[i], x), logx);
		p[n].y = tr(s->mean, logy);
		if (!isfinite(p[n].x) || !isfinite(p[n].y))
			continue;
		p[n].lo = tr(s->mean - e, logy);
		p[n].hi = tr(s->mean + e, logy);
		if (!isfinite(p[n].lo))
			p[n].lo = p[n].y;
		sv = sv ? sv : "?";
		for (j = 0; j < ns && strcmp(sname[j], sv); j++)
			;
		if (j == ns && ns < MAXLEG)
			sname[ns++] = sv;
		if (j == MAXLEG)
			continue;
		p[n].series = j;
		p[n].row = i;
		xlo = fmin(xlo, p[n].x);
		xhi = fmax(xhi, p[n].x);
		ylo = fmin(ylo, p[n].lo);
		yhi = fmax(yhi, p[n].hi);
		n++;
	}
	if (n < 2) {
		free(p);
		return wl_error_set(err, "the sweep needs two rows with a numeric '%s' and a "
				    "'%s'%s", x, y, logx || logy ? " (positive, on log axes)" : "");
	}
	qsort(p, n, sizeof(*p), by_series_x);
	memset(it, 0, sizeof(it));
	for (j = 0; j < ns; j++) {
		it[j].text = sname[j];
		it[j].col = wl_cmpfig_colour(j);
	}
	if (xhi == xlo) {
		xlo -= 0.5;
		xhi += 0.5;
	}
	if (yhi == ylo) {
		ylo -= logy ? 0.5 : fabs(ylo) * 0.1 + 1;
		yhi += logy ? 0.5 : fabs(yhi) * 0.1 + 1;
	}
	{ /* 5 % margins, not below 0 for data that are not (linear axes) */
		double mx = (xhi - xlo) * 0.05, my = (yhi - ylo) * 0.05;

		xlo = !logx && xlo >= 0 ? fmax(0, xlo - mx) : xlo - mx;
		xhi += mx;
		ylo = !logy && ylo >= 0 ? fmax(0, ylo - my) : ylo - my;
		yhi += my;
	}
	c = wl_cmpfig_setup(o, path, ylo, yhi, logy, series ? 1.2 : 0, 0, &st, &f, err);
	if (!c) {
		free(p);
		return -1;
	}
	if (logx) {
		f.x0 = xlo;
		f.x1 = xhi;
		f.xdiv = 1;
	} else {
		wl_axis_nice_range(&xlo, &xhi, 6);
		wl_frame_xplain(&f, xlo, xhi);
	}
	wl_cmpfig_title(t, k, yl, sizeof(yl));
	wl_cmpfig_axes(&f, logx, logy, x, yl);
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	for (i = 0; i < n; i = j) {
		double px[256], py[256];
		size_t m = 0;

		for (j = i; j < n && p[j].series == p[i].series; j++)
			if (m < 256) {
				px[m] = wl_frame_px(&f, p[j].x);
				py[m++] = wl_frame_py(&f, p[j].y);
			}
		wl_canvas_rgb(c, wl_cmpfig_colour(p[i].series), 1);
		wl_canvas_width(c, st.line);
		wl_canvas_polyline(c, px, py, m);
		for (m = 0; i + m < j; m++) {
			const struct pt *q = &p[i + m];

			wl_canvas_dot(c, wl_frame_px(&f, q->x), wl_frame_py(&f, q->y), st.line * 2);
			wl_canvas_width(c, st.thin * 1.3);
			if (q->hi > q->lo)
				wl_cmpfig_ebar(c, wl_frame_px(&f, q->x), wl_frame_py(&f, q->lo),
				       wl_frame_py(&f, q->hi), st.font * 0.35);
		}
	}
	wl_canvas_unclip(c);
	if (series)
		wl_legend(c, &st, it, ns, f.x, st.pad, f.w, 1);
	free(p);
	rc = wl_fig_close(o, c, err);
	return rc;
}
