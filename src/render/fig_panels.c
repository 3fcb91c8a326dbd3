/*
 * fig_panels.c - several metrics on stacked panels sharing the time axis
 * (power, SM clock, tensor / DRAM activity, ...), as in the power/frequency
 * and activity figures of the AIMeter paper.  Each panel is titled with its
 * metric and unit; one line per device carrying the metric.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

#define MAXP 12
#define MAXL 8 /* lines (devices) per panel */

/* The default panels: the first candidate of each group present. */
static const char *const defaults[][3] = {
	{ "power.draw", "power", NULL },
	{ "clocks.current.sm", "clocks.sm", "sm_clock" },
	{ "tensor_active", NULL, NULL },
	{ "dram_active", NULL, NULL },
	{ "sm_occupancy", NULL, NULL },
};

struct panel {
	char title[96];
	const char *unit;
	size_t nl;
	long ch[MAXL];
	struct wl_envelope env[MAXL];
	double lo, hi;
};

static size_t pick(const struct wl_dataset *ds, const struct wl_plot_opts *o, struct panel *p)
{
	char buf[256], *tok, *save = NULL;
	size_t n = 0, i, k;
	long c;

	if (o->metrics) {
		snprintf(buf, sizeof(buf), "%s", o->metrics);
		for (tok = strtok_r(buf, ",", &save); tok && n < MAXP;
		     tok = strtok_r(NULL, ",", &save))
			if ((c = wl_plot_find_metric(ds, tok)) >= 0)
				p[n++].ch[0] = c;
	} else {
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			for (k = 0; k < 3 && defaults[i][k]; k++)
				if ((c = wl_plot_find_metric(ds, defaults[i][k])) >= 0) {
					p[n++].ch[0] = c;
					break;
				}
	}
	/* The same metric on other devices joins the panel. */
	for (i = 0; i < n; i++) {
		const struct wl_channel *c0 = &ds->ch[p[i].ch[0]];

		p[i].nl = 1;
		for (k = 0; k < ds->nch && p[i].nl < MAXL; k++)
			if ((long)k != p[i].ch[0] && !strcmp(ds->ch[k].name, c0->name) &&
			    ds->ch[k].n)
				p[i].ch[p[i].nl++] = (long)k;
		wl_plot_short_name(c0->name, p[i].title, sizeof(p[i].title));
		p[i].unit = c0->unit;
		if (c0->unit[0] && !strstr(c0->name, " [")) {
			size_t l = strlen(p[i].title);

			snprintf(p[i].title + l, sizeof(p[i].title) - l, " (%s)", c0->unit);
		}
	}
	return n;
}

static int feed(const struct wl_dataset *ds, struct panel *p, size_t n, double t0, double t1,
		size_t ncols)
{
	size_t i, l, k;

	for (i = 0; i < n; i++) {
		p[i].lo = INFINITY;
		p[i].hi = -INFINITY;
		for (l = 0; l < p[i].nl; l++) {
			const struct wl_channel *c = &ds->ch[p[i].ch[l]];

			if (wl_envelope_init(&p[i].env[l], t0, t1, ncols, ncols) < 0)
				return -1;
			for (k = 0; k < c->n; k++)
				if (c->t[k] >= t0 && c->t[k] <= t1 && !isnan(c->v[k])) {
					wl_envelope_feed(&p[i].env[l], c->t[k], c->v[k]);
					p[i].lo = fmin(p[i].lo, c->v[k]);
					p[i].hi = fmax(p[i].hi, c->v[k]);
				}
		}
		if (!isfinite(p[i].lo)) {
			p[i].lo = 0;
			p[i].hi = 1;
		}
		/* Percentages on 0..100, power from 0, others on their range. */
		if (!strcmp(p[i].unit, "%") && p[i].lo >= 0 && p[i].hi <= 100) {
			p[i].lo = 0;
			p[i].hi = 100;
		} else if ((!strcmp(p[i].unit, "W") || !strcmp(p[i].unit, "mW")) && p[i].lo >= 0) {
			p[i].lo = 0;
			p[i].hi *= 1.04;
		} else {
			double m = (p[i].hi - p[i].lo) * 0.08;

			p[i].lo -= m;
			p[i].hi += m;
		}
	}
	return 0;
}

static int draw(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		const struct wl_plot_opts *o, struct panel *p, size_t n, double t0, double t1,
		const char *path, struct wl_error *err)
{
	struct wl_style st;
	struct wl_frame f;
	struct wl_canvas *c;
	double yw = 0, left, ph_h, title_h, top, bottom, y;
	size_t i, l;

	wl_style_for(o, 0.5, 0, 0, &st);
	ph_h = st.kind == WL_STYLE_PAPER ? 0.62 * 72 : 1.25 * 72;
	title_h = st.label * 1.5;
	bottom = st.tick + st.pad * 2.4 + st.font + st.label;
	/* Measure first (tick labels, phase label rows), then size the page. */
	c = wl_fig_measure(o, err);
	if (!c)
		return -1;
	for (i = 0; i < n; i++)
		yw = fmax(yw, wl_frame_ylabel_w(c, &st, p[i].lo, p[i].hi, ph_h));
	left = st.pad * 2 + yw + st.tick;
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.st = &st;
	f.x = left;
	f.w = st.w - left - st.font * 1.5;
	f.x0 = t0;
	f.x1 = t1;
	top = st.pad + wl_phase_strip_h(c, &st, ph, &f);
	wl_canvas_close(c, NULL);
	st.h = top + n * (title_h + ph_h) + (n - 1) * st.pad + bottom;
	c = wl_fig_open(o, path, st.w, st.h, err);
	if (!c)
		return -1;
	f.c = c;
	f.y = top; /* phase labels sit above the first panel's title */
	wl_phase_labels(&f, ph);
	y = top;
	for (i = 0; i < n; i++) {
		f.y = y + title_h;
		f.h = ph_h;
		wl_frame_yrange(&f, p[i].lo, p[i].hi);
		wl_frame_xtime(&f, t0, t1);
		wl_phase_bands(&f, ph);
		wl_frame_draw(&f, i + 1 == n, "Time", NULL);
		wl_canvas_font(c, st.label, 0);
		wl_canvas_rgb(c, (struct wl_rgb){ 0, 0, 0 }, 1);
		wl_canvas_text(c, f.x, f.y - st.pad * 0.6, p[i].title, 0, 1, 0);
		if (p[i].nl > 1) { /* devices named at the right of the title */
			double x = f.x + f.w;

			wl_canvas_font(c, st.font, 0);
			for (l = p[i].nl; l-- > 0;) {
				const char *dev = ds->ch[p[i].ch[l]].device;

				wl_canvas_rgb(c, wl_palette_component(dev), 1);
				wl_canvas_text(c, x, f.y - st.pad * 0.6, dev, 1, 1, 0);
				x -= wl_canvas_text_width(c, dev) + st.font;
			}
		}
		wl_canvas_clip(c, f.x, f.y, f.w, f.h);
		for (l = 0; l < p[i].nl; l++) {
			const struct wl_channel *ch = &ds->ch[p[i].ch[l]];
			const char *key = ch->component && ch->component[0] ? ch->component :
					  ch->device[0] ? ch->device : "gpu0";

			wl_draw_envelope(&f, &p[i].env[l], wl_palette_component(key), 0);
		}
		wl_marker_lines(&f, ds);
		wl_canvas_unclip(c);
		y = f.y + f.h + st.pad;
	}
	return wl_fig_close(o, c, err);
}

int wl_fig_panels(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	struct panel *p = calloc(MAXP, sizeof(*p));
	size_t n, i, l;
	double t0, t1;
	int rc = -1;

	if (!p)
		return wl_error_set(err, "out of memory for figure '%s'", path);
	if (wl_plot_window(ds, o, &t0, &t1, err) < 0)
		goto out;
	n = pick(ds, o, p);
	if (n == 0) {
		wl_error_set(err, "no metric to plot in '%s'%s%s", ds->path ? ds->path : "",
			     o->metrics ? ": none of " : "", o->metrics ? o->metrics : "");
		goto out;
	}
	if (feed(ds, p, n, t0, t1, wl_fig_power_columns(o)) < 0)
		wl_error_set(err, "out of memory for figure '%s'", path);
	else
		rc = draw(ds, ph, o, p, n, t0, t1, path, err);
out:
	for (i = 0; i < MAXP; i++)
		for (l = 0; l < MAXL; l++)
			if (p[i].env[l].col)
				wl_envelope_release(&p[i].env[l]);
	free(p);
	return rc;
}
