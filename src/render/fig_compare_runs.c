/*
 * fig_compare_runs.c - the Pareto figure (efficiency against interactivity,
 * as NVIDIA draws TPS/W against TPS/user for TRT-LLM), the power traces of
 * every run overlaid, and wl_cmp_plots, which writes the whole set.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fig_compare.h"

#define MAXLEG 12

static const struct wl_rgb black = { 0, 0, 0 }, grey = { 0.45, 0.45, 0.45 };

struct ppt {
	double x, y, ex, ey;
	size_t row;
	int front;
};

static int by_x_desc(const void *a, const void *b)
{
	const struct ppt *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? 1 : -1;
	return (p->y < q->y) - (p->y > q->y);
}

/* Pareto front for "more is better" on both axes: scanning by x
 * descending (ties: y descending), a point is on the front when its y
 * exceeds every y seen so far (nothing has both more x and more y). */
static void front(struct ppt *p, size_t n)
{
	double best = -INFINITY;
	size_t i;

	qsort(p, n, sizeof(*p), by_x_desc);
	for (i = 0; i < n; i++) {
		p[i].front = p[i].y > best;
		if (p[i].front)
			best = p[i].y;
	}
}

/* 1 when every folder of every row drawn gives its requests. */
static int all_requests(const struct wl_cmp_table *t, const struct ppt *p, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct wl_cmp_row *r = &t->row[p[i].row];

		for (j = 0; j < r->nf; j++)
			if (!wl_cmp_kv_get(r->f[j]->kv, r->f[j]->nkv, "requests"))
				return 0;
	}
	return 1;
}

int wl_cmp_fig_pareto(const struct wl_cmp_table *t, const struct wl_plot_opts *o,
		      const char *path, struct wl_error *err)
{
	long kx = wl_cmp_col_find(t, "tps_per_user"), ky = wl_cmp_col_find(t, "tokens_per_j");
	struct ppt *p;
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	double fx[512], fy[512];
	char xl[96], yl[96];
	size_t i, n = 0, nf = 0;

	if (kx < 0 || ky < 0)
		return wl_error_set(err, "the Pareto figure needs tokens (meta.json tokens or "
				    "output_tokens)");
	if (!(p = calloc(t->nrow, sizeof(*p))))
		return wl_error_set(err, "out of memory");
	for (i = 0; i < t->nrow; i++) {
		const struct wl_cmp_stat *sx = &t->row[i].st[kx], *sy = &t->row[i].st[ky];

		if (!isfinite(sx->mean) || !isfinite(sy->mean))
			continue;
		p[n].x = sx->mean;
		p[n].y = sy->mean;
		p[n].ex = isfinite(sx->ci) ? sx->ci : 0;
		p[n].ey = isfinite(sy->ci) ? sy->ci : 0;
		p[n].row = i;
		xlo = fmin(xlo, p[n].x - p[n].ex);
		xhi = fmax(xhi, p[n].x + p[n].ex);
		ylo = fmin(ylo, p[n].y - p[n].ey);
		yhi = fmax(yhi, p[n].y + p[n].ey);
		n++;
	}
	if (!n) {
		free(p);
		return wl_error_set(err, "no row has both tps_per_user and tokens_per_j");
	}
	front(p, n);
	{ /* margins; a single point gets a range around it */
		double mx = xhi > xlo ? (xhi - xlo) * 0.08 : fabs(xhi) * 0.1 + 1;
		double my = yhi > ylo ? (yhi - ylo) * 0.08 : fabs(yhi) * 0.1 + 1;

		xlo = fmax(0, xlo - mx);
		xhi += mx;
		ylo = fmax(0, ylo - my);
		yhi += my;
	}
	c = wl_cmpfig_setup(o, path, ylo, yhi, 0, 0, 0, &st, &f, err);
	if (!c) {
		free(p);
		return -1;
	}
	wl_axis_nice_range(&xlo, &xhi, 6);
	wl_frame_xplain(&f, xlo, xhi);
	/* tps_per_user is tokens / s / requests, and / 1 where meta.json has
	 * no requests (compare.h): then it is the total throughput. */
	snprintf(xl, sizeof(xl), "%s", all_requests(t, p, n) ? "throughput per user (tokens/s)" :
		 "total tokens/s (no requests in meta.json)");
	snprintf(yl, sizeof(yl), "tokens per joule");
	wl_cmpfig_axes(&f, 0, 0, xl, yl);
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	/* the front: a dashed line through its points, by x */
	for (i = n; i-- > 0;)
		if (p[i].front && nf < 512) {
			fx[nf] = wl_frame_px(&f, p[i].x);
			fy[nf++] = wl_frame_py(&f, p[i].y);
		}
	wl_canvas_rgb(c, grey, 1);
	wl_canvas_width(c, st.line);
	wl_canvas_dash(c, st.line * 3, st.line * 2);
	wl_canvas_polyline(c, fx, fy, nf);
	wl_canvas_dash(c, 0, 0);
	wl_canvas_font(c, st.font * 0.9, 0);
	for (i = 0; i < n; i++) {
		double px = wl_frame_px(&f, p[i].x), py = wl_frame_py(&f, p[i].y);

		wl_canvas_rgb(c, black, 1);
		wl_canvas_width(c, st.thin);
		if (p[i].ey > 0)
			wl_cmpfig_ebar(c, px, wl_frame_py(&f, p[i].y - p[i].ey),
				       wl_frame_py(&f, p[i].y + p[i].ey), st.font * 0.3);
		if (p[i].ex > 0)
			wl_canvas_line(c, wl_frame_px(&f, p[i].x - p[i].ex), py,
				       wl_frame_px(&f, p[i].x + p[i].ex), py);
		wl_canvas_rgb(c, p[i].front ? wl_cmpfig_colour(5) : grey, 1);
		wl_canvas_dot(c, px, py, st.line * (p[i].front ? 2.6 : 2));
		if (p[i].front || n <= 20) {
			wl_canvas_rgb(c, black, 1);
			wl_canvas_text(c, px + st.pad, py - st.pad * 0.5, t->row[p[i].row].label, 0,
				       1, 0);
		}
	}
	wl_canvas_unclip(c);
	free(p);
	return wl_fig_close(o, c, err);
}

int wl_cmp_fig_overlay(const struct wl_cmp_table *t, const struct wl_plot_opts *o,
		       const char *path, struct wl_error *err)
{
	struct wl_legend_item it[MAXLEG];
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double t0 = INFINITY, t1 = -INFINITY, hi = 0, *xs, *ys;
	size_t i, j, r, k, nl = 0, have = 0, maxn = 0;
	int aligned = 0;

	for (i = 0; i < t->nrow; i++)
		for (j = 0; j < t->row[i].nf; j++)
			for (r = 0; r < t->row[i].f[j]->nrun; r++) {
				const struct wl_cmp_run *u = &t->row[i].f[j]->run[r];
				double a = isfinite(u->align_s) ? u->align_s : 0;

				for (k = 0; k < u->npw; k++) {
					t0 = fmin(t0, u->pt[k] - a);
					t1 = fmax(t1, u->pt[k] - a);
					hi = fmax(hi, u->pw[k]);
				}
				have += u->npw > 1;
				aligned |= isfinite(u->align_s);
				if (u->npw > maxn)
					maxn = u->npw;
			}
	if (!have || !(t1 > t0))
		return wl_error_set(err, "no power trace to overlay");
	xs = malloc(2 * maxn * sizeof(*xs));
	if (!xs)
		return wl_error_set(err, "out of memory");
	ys = xs + maxn;
	memset(it, 0, sizeof(it));
	for (i = 0; i < t->nrow && nl < MAXLEG; i++, nl++) {
		it[nl].text = t->row[i].label;
		it[nl].col = wl_cmpfig_colour(i);
	}
	c = wl_cmpfig_setup(o, path, 0, hi * 1.05, 0, nl > 4 ? 2.2 : 1.2, 0, &st, &f, err);
	if (!c) {
		free(xs);
		return -1;
	}
	wl_frame_xtime(&f, t0, t1);
	wl_frame_draw(&f, 1, aligned ? "time from the alignment marker" : "time since start",
		      "total power (W)");
	wl_canvas_clip(c, f.x, f.y, f.w, f.h);
	for (i = 0; i < t->nrow; i++)
		for (j = 0; j < t->row[i].nf; j++)
			for (r = 0; r < t->row[i].f[j]->nrun; r++) {
				const struct wl_cmp_run *u = &t->row[i].f[j]->run[r];
				double a = isfinite(u->align_s) ? u->align_s : 0;

				for (k = 0; k < u->npw; k++) {
					xs[k] = wl_frame_px(&f, u->pt[k] - a);
					ys[k] = wl_frame_py(&f, u->pw[k]);
				}
				wl_canvas_rgb(c, wl_cmpfig_colour(i), 0.75);
				wl_canvas_width(c, st.line * 0.8);
				wl_canvas_polyline(c, xs, ys, u->npw);
			}
	wl_canvas_unclip(c);
	wl_legend(c, &st, it, nl, f.x, st.pad, f.w, 1);
	free(xs);
	return wl_fig_close(o, c, err);
}

/* ---- the set ------------------------------------------------------------ */

static int is_io(const struct wl_error *e)
{
	return !strncmp(e->msg, "cannot write", 12) || !strncmp(e->msg, "cannot create", 13) ||
	       !strncmp(e->msg, "cannot open", 11);
}

enum { F_BARS, F_SWEEP, F_PARETO, F_POWER };

static int one(const struct wl_cmp_table *t, const struct wl_cmp_plot_opts *po, int kind,
	       const char *arg, const char *dir, int quiet, struct wl_error *err)
{
	struct wl_plot_opts o;
	struct wl_error e;
	char path[4096];
	const char *y = po->y;
	int fmt, rc = 0;

	if (!y)
		y = wl_cmp_col_find(t, "j_per_token") >= 0 ? "j_per_token" : "energy_j";
	for (fmt = 0; fmt < 2 && !rc; fmt++) {
		wl_plot_opts_init(&o);
		o.format = fmt ? WL_PLOT_PDF : WL_PLOT_PNG;
		wl_fig_look_apply(&po->look, fmt, &o);
		snprintf(path, sizeof(path), "%s/compare-%s%s%s.%s", dir,
			 kind == F_BARS ? "bars-" : kind == F_SWEEP ? "sweep" :
			 kind == F_PARETO ? "pareto" : "power", kind == F_BARS ? arg : "", "",
			 wl_plot_format_ext(o.format));
		e.msg[0] = 0;
		rc = kind == F_BARS ? wl_cmp_fig_bars(t, arg, &o, path, &e) :
		     kind == F_SWEEP ? wl_cmp_fig_sweep(t, po->x ? po->x : "batch_size", y,
							po->series, po->logx, po->logy, &o, path,
							&e) :
		     kind == F_PARETO ? wl_cmp_fig_pareto(t, &o, path, &e) :
					wl_cmp_fig_overlay(t, &o, path, &e);
	}
	if (!rc)
		return 0;
	if (is_io(&e))
		return wl_error_set(err, "%s", e.msg);
	if (!quiet)
		fprintf(stderr, "wattlog compare: figure %s skipped: %s\n",
			kind == F_BARS ? arg : kind == F_SWEEP ? "sweep" :
			kind == F_PARETO ? "pareto" : "power", e.msg);
	return 0;
}

int wl_cmp_plots(const struct wl_cmp_table *t, const struct wl_cmp_plot_opts *po,
		 const char *dir, struct wl_error *err)
{
	char buf[512], *tok, *save;
	int quiet;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return wl_error_errno(err, errno, "cannot create directory '%s'", dir);
	snprintf(buf, sizeof(buf), "%s", po->bars ? po->bars : "energy_j,avg_power_w,j_per_token");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		/* a default column the data lacks is no news */
		quiet = !po->bars && wl_cmp_col_find(t, tok) < 0;
		if (one(t, po, F_BARS, tok, dir, quiet, err))
			return -1;
	}
	/* the sweep when asked for, or when the default key exists */
	quiet = !po->x && !po->y;
	if (one(t, po, F_SWEEP, NULL, dir, quiet, err) ||
	    one(t, po, F_PARETO, NULL, dir, wl_cmp_col_find(t, "tokens_per_j") < 0, err) ||
	    one(t, po, F_POWER, NULL, dir, 0, err))
		return -1;
	return 0;
}
