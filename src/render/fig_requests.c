/*
 * fig_requests.c - the requests of a run (requests.h), drawn from the
 * request list: nothing is computed here beyond the layout.
 *   timeline: one bar per request (rows by start) from its start to its
 *             end, light grey where none of its phases is open, its phase
 *             windows in their colours over it, its energy at its end;
 *   J/token:  the histogram of J per output token across requests
 *             (sqrt(n) bins, 5 to 40), the median marked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"
#include "wattlog/requests.h"
#include "wattlog/strmap.h"

#define MAXLAB 8

static const struct wl_rgb GREY = { 0.82, 0.82, 0.82 };

/* "875 J", "12.4 kJ", "0.52 J" (no exponent); "-" when unknown. */
static void energy_text(char *buf, size_t len, double e)
{
	if (!isfinite(e))
		snprintf(buf, len, "-");
	else if (e >= 1e4)
		snprintf(buf, len, "%.1f kJ", e / 1e3);
	else if (e >= 100)
		snprintf(buf, len, "%.0f J", e);
	else
		snprintf(buf, len, "%.2g J", e);
}

/* The row of each phase window (-1 none), by its request's ID. */
static long *rows_of(const struct wl_phase_list *win, const struct wl_request_list *rl)
{
	long *row = malloc((win->n + 1) * sizeof(*row)), *v;
	struct wl_strmap m;
	size_t i;

	if (!row)
		return NULL;
	wl_strmap_init(&m);
	for (i = 0; i < rl->n; i++) {
		if (!(v = wl_strmap_slot(&m, rl->r[i].id, strlen(rl->r[i].id), 0))) {
			free(row);
			row = NULL;
			goto out;
		}
		*v = (long)i;
	}
	for (i = 0; i < win->n; i++) {
		const struct wl_phase *p = &win->p[i];

		row[i] = -1;
		if (p->id[0] && strcmp(p->name, WL_REQUEST_LABEL) &&
		    (v = wl_strmap_find(&m, p->id, strlen(p->id))))
			row[i] = *v;
	}
out:
	wl_strmap_release(&m);
	return row;
}

int wl_fig_requests(const struct wl_phase_list *win, const struct wl_request_list *rl,
		    const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct wl_legend_item it[MAXLAB + 1];
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double t0 = INFINITY, t1 = -INFINITY, yw, left, top, bottom, ew = 0, rh;
	char buf[48];
	size_t i, j, nl = 0;
	long *row;

	if (!rl->n)
		return wl_error_set(err, "no request windows ('begin request ID' ... 'end request "
				    "ID') to draw in '%s'", path);
	for (i = 0; i < rl->n; i++) {
		t0 = fmin(t0, rl->r[i].start_s);
		t1 = fmax(t1, rl->r[i].end_s);
	}
	if (!(t1 > t0))
		t1 = t0 + 1;
	if (!(row = rows_of(win, rl)))
		return wl_error_set(err, "out of memory for figure '%s'", path);
	wl_style_for(o, 0.6, 2.0, 6.0, &st);
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c) {
		free(row);
		return -1;
	}
	memset(&f, 0, sizeof(f));
	memset(it, 0, sizeof(it));
	f.c = c;
	f.st = &st;
	for (j = 0; j < rl->nlabels && nl < MAXLAB; j++) {
		it[nl].text = rl->label[j];
		it[nl].col = wl_palette_phase(rl->label[j], 0);
		it[nl++].box = 1;
	}
	it[nl].text = "unphased";
	it[nl].col = GREY;
	it[nl++].box = 1;
	wl_canvas_font(c, st.font, 0);
	for (i = 0; i < rl->n; i++) {
		energy_text(buf, sizeof(buf), rl->r[i].energy_j);
		ew = fmax(ew, wl_canvas_text_width(c, buf));
	}
	yw = wl_frame_ylabel_w(c, &st, 0, (double)rl->n, st.h * 0.7);
	left = st.pad + st.label * 1.25 + st.pad * 1.6 + yw + st.tick;
	f.x = left;
	f.w = st.w - left - st.pad * 2;
	top = st.pad + wl_legend(c, &st, it, nl, f.x, st.pad, f.w, 0) + st.pad;
	bottom = st.tick + st.pad * 2.4 + st.font + st.label;
	f.y = top;
	f.h = st.h - top - bottom;
	wl_frame_yrange(&f, 0, (double)rl->n);
	/* room after the last end for its energy */
	wl_frame_xtime(&f, t0, t1 + (t1 - t0) * fmin(0.6, 1.3 * (ew + 2 * st.pad) / fmax(1, f.w - ew)));
	wl_frame_draw(&f, 1, "time", "request (by start)");
	rh = fabs(wl_frame_py(&f, 1) - wl_frame_py(&f, 0));
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	for (i = 0; i < rl->n; i++) {
		const struct wl_request *q = &rl->r[i];
		double y = wl_frame_py(&f, (double)i + 0.9), x = wl_frame_px(&f, q->start_s);

		wl_canvas_rgb(c, GREY, 1);
		wl_canvas_fill_rect(c, x, y, fmax(0.3, wl_frame_px(&f, q->end_s) - x), rh * 0.8);
	}
	for (i = 0; i < win->n; i++) {
		const struct wl_phase *p = &win->p[i];
		double y, x;

		if (row[i] < 0)
			continue;
		y = wl_frame_py(&f, (double)row[i] + 0.9);
		x = wl_frame_px(&f, p->start_s);
		wl_canvas_rgb(c, wl_palette_phase(p->name, 0), 1);
		wl_canvas_fill_rect(c, x, y, fmax(0.3, wl_frame_px(&f, p->end_s) - x), rh * 0.8);
	}
	if (rh >= st.font * 0.9) {
		wl_canvas_rgb(c, (struct wl_rgb){ 0.15, 0.15, 0.15 }, 1);
		for (i = 0; i < rl->n; i++) {
			energy_text(buf, sizeof(buf), rl->r[i].energy_j);
			wl_canvas_text(c, wl_frame_px(&f, rl->r[i].end_s) + st.pad * 0.5,
				       wl_frame_py(&f, (double)i + 0.5), buf, 0, 0.5, 0);
		}
	}
	wl_canvas_unclip(c);
	wl_legend(c, &st, it, nl, f.x, st.pad, f.w, 1);
	free(row);
	return wl_fig_close(o, c, err);
}

int wl_fig_jpt_hist(const struct wl_request_list *rl, const struct wl_plot_opts *o,
		    const char *path, struct wl_error *err)
{
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double lo = INFINITY, hi = -INFINITY, w, yw, left, top, bottom, cmax = 0, x;
	size_t i, n = 0, nb, *cnt;
	char buf[64];

	for (i = 0; i < rl->n; i++)
		if (isfinite(rl->r[i].j_per_token)) {
			lo = fmin(lo, rl->r[i].j_per_token);
			hi = fmax(hi, rl->r[i].j_per_token);
			n++;
		}
	if (!rl->n)
		return wl_error_set(err, "no request windows ('begin request ID' ... 'end request "
				    "ID') to draw in '%s'", path);
	if (!n)
		return wl_error_set(err, "no request with output tokens (tokens_out) to draw "
				    "J/token in '%s'", path);
	if (!(hi > lo)) {
		lo -= fmax(0.5, fabs(lo) * 0.05);
		hi += fmax(0.5, fabs(hi) * 0.05);
	}
	nb = (size_t)ceil(sqrt((double)n));
	nb = nb < 5 ? 5 : nb > 40 ? 40 : nb;
	w = (hi - lo) / (double)nb;
	if (!(cnt = calloc(nb, sizeof(*cnt))))
		return wl_error_set(err, "out of memory for figure '%s'", path);
	for (i = 0; i < rl->n; i++)
		if (isfinite(rl->r[i].j_per_token)) {
			size_t b = (size_t)((rl->r[i].j_per_token - lo) / w);

			cnt[b < nb ? b : nb - 1]++;
		}
	for (i = 0; i < nb; i++)
		cmax = fmax(cmax, (double)cnt[i]);
	wl_style_for(o, 0.6, 2.0, 4.5, &st);
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c) {
		free(cnt);
		return -1;
	}
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.st = &st;
	yw = wl_frame_ylabel_w(c, &st, 0, cmax * 1.1, st.h * 0.7);
	left = st.pad + st.label * 1.25 + st.pad * 1.6 + yw + st.tick;
	f.x = left;
	f.w = st.w - left - st.pad * 2;
	top = st.pad * 2 + st.font * 1.2;
	bottom = st.tick + st.pad * 2.4 + st.font + st.label;
	f.y = top;
	f.h = st.h - top - bottom;
	wl_frame_yrange(&f, 0, cmax * 1.1);
	wl_frame_xplain(&f, lo, hi);
	wl_frame_draw(&f, 1, "J per output token", "requests");
	wl_canvas_rgb(c, wl_palette_okabe_ito(1), 0.9);
	for (i = 0; i < nb; i++) {
		double a = wl_frame_px(&f, lo + w * (double)i), b = wl_frame_px(&f, lo + w * (double)(i + 1));
		double y = wl_frame_py(&f, (double)cnt[i]);

		if (cnt[i])
			wl_canvas_fill_rect(c, a, y, fmax(0.3, b - a - 0.5), wl_frame_py(&f, 0) - y);
	}
	/* the median (p50 of the request list) */
	x = wl_frame_px(&f, rl->j_per_token.p50);
	wl_canvas_rgb(c, (struct wl_rgb){ 0.1, 0.1, 0.1 }, 1);
	wl_line_style(c, &st, 1);
	wl_canvas_line(c, x, f.y, x, f.y + f.h);
	wl_line_style(c, &st, 0);
	snprintf(buf, sizeof(buf), "p50 %.4g J/token, %zu requests", rl->j_per_token.p50, n);
	wl_canvas_font(c, st.font, 0);
	wl_canvas_text(c, f.x + f.w, st.pad, buf, 1, 0, 0);
	free(cnt);
	return wl_fig_close(o, c, err);
}
