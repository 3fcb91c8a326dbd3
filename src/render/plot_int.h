/*
 * plot_int.h - what the figure files share inside src/render/ (not
 * installed): the style's sizes, a plot frame with its axes, the legend,
 * the phase bands, and data helpers.
 */
#ifndef WATTLOG_PLOT_INT_H
#define WATTLOG_PLOT_INT_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "wattlog/plot.h"
#include "wattlog/report.h"

/* Sizes in points for one figure. */
struct wl_style {
	enum wl_plot_style kind;
	double w, h;   /* figure */
	double font;   /* tick labels, legend, cell values */
	double label;  /* axis labels, panel titles */
	double line;   /* data lines */
	double thin;   /* axes, grid, ticks, markers (>= 0.6 pt on paper) */
	double tick;   /* tick length */
	double pad;    /* gap between elements */
	const char *xlabel, *ylabel; /* the user's axis labels (o->lab), or NULL */
};

/* w from o->width_in (or the style default), h = w * aspect clamped to
 * [min_h_in, max_h_in] inches (0 = no clamp). */
void wl_style_for(const struct wl_plot_opts *o, double aspect, double min_h_in,
		  double max_h_in, struct wl_style *s);

/* A plot area and its data ranges. */
struct wl_frame {
	struct wl_canvas *c;
	const struct wl_style *st;
	double x, y, w, h;     /* plot area, pt */
	double x0, x1, y0, y1; /* data range shown */
	struct wl_ticks xt, yt; /* xt in x units divided by xdiv */
	double xdiv;
	const char *xunit;     /* time unit, or NULL for a plain axis */
};

double wl_frame_px(const struct wl_frame *f, double x);
double wl_frame_py(const struct wl_frame *f, double y);
/* Y ticks for [lo, hi] widened to nice ticks fitting the frame height. */
void wl_frame_yrange(struct wl_frame *f, double lo, double hi);
/* Width the y tick labels of [lo, hi] will take (for the left margin). */
double wl_frame_ylabel_w(struct wl_canvas *c, const struct wl_style *st, double lo, double hi,
			 double h);
/* X ticks: time ([t0, t1] s, unit chosen by span) or plain; as many as
 * fit without their labels overlapping. */
void wl_frame_xtime(struct wl_frame *f, double t0, double t1);
void wl_frame_xplain(struct wl_frame *f, double lo, double hi);
/* Grid, box, ticks and their labels; xlabels 0 hides the x tick labels
 * (stacked panels).  xlabel / ylabel may be NULL. */
void wl_frame_draw(struct wl_frame *f, int xlabels, const char *xlabel, const char *ylabel);

/* Legend entries in rows across [x, x + w] starting at y (top); kind 0 a
 * line swatch, 1 a filled box.  draw 0 only measures.  Returns the height
 * used. */
struct wl_legend_item {
	const char *text;
	struct wl_rgb col;
	int box;
	int dash; /* line style, as wl_draw_envelope's */
};
double wl_legend(struct wl_canvas *c, const struct wl_style *st, const struct wl_legend_item *it,
		 size_t n, double x, double y, double w, int draw);

/* Phase bands (shaded) inside the frame, and their labels in a strip of
 * height wl_phase_strip_h() above it (rows without overlap). */
double wl_phase_strip_h(struct wl_canvas *c, const struct wl_style *st,
			const struct wl_phase_list *ph, const struct wl_frame *f);
void wl_phase_bands(struct wl_frame *f, const struct wl_phase_list *ph);
void wl_phase_labels(struct wl_frame *f, const struct wl_phase_list *ph);
/* Markers as thin vertical lines. */
void wl_marker_lines(struct wl_frame *f, const struct wl_dataset *ds);

/* Draws an envelope in the frame: raw line when it holds every sample,
 * else a min/max band (alpha) and the mean line.  dash 0 solid, 1 dashed,
 * 2 dotted (a colour already used by an earlier series of the figure). */
void wl_draw_envelope(struct wl_frame *f, const struct wl_envelope *e, struct wl_rgb col,
		      int dash);
/* Sets the canvas dash for style dash (0 solid, 1 dashed, 2 dotted). */
void wl_line_style(struct wl_canvas *c, const struct wl_style *st, int dash);
/* Line styles for n colours: dash[i] = how many earlier colours equal
 * col[i] (capped at 2), so no two series look the same. */
void wl_dashes_for(const struct wl_rgb *col, size_t n, int *dash);

/* Opens the figure's canvas: its own file, or a box in o->doc; and closes
 * it (the document stays open).  As wl_canvas_open / wl_canvas_close.  The
 * canvas takes o->lab.font; with o->lab.title it is taller by a title strip
 * (wl_fig_title_h) drawn at its top, and the figure draws in the w x h box
 * below it. */
struct wl_canvas *wl_fig_open(const struct wl_plot_opts *o, const char *path, double w,
			      double h, struct wl_error *err);
int wl_fig_close(const struct wl_plot_opts *o, struct wl_canvas *c, struct wl_error *err);
double wl_fig_title_h(const struct wl_plot_opts *o);
/* A canvas to measure the figure's text with (o's font), never written. */
struct wl_canvas *wl_fig_measure(const struct wl_plot_opts *o, struct wl_error *err);
/* The label an axis shows: the user's (st->xlabel / ylabel) where the
 * figure has one (deflt not NULL), else deflt. */
const char *wl_style_xlabel(const struct wl_style *st, const char *deflt);
const char *wl_style_ylabel(const struct wl_style *st, const char *deflt);

/* One standard figure of a run (figures.c): energy and heatmap from the
 * report's numbers when r is given (wl_fig_energy_of, wl_fig_heatmap_corr),
 * else, and every other figure, fn on ds and ph. */
typedef int (*wl_fig_fn)(const struct wl_dataset *, const struct wl_phase_list *,
			 const struct wl_plot_opts *, const char *, struct wl_error *);
int wl_fig_of_run(wl_fig_fn fn, const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_report *r, const struct wl_plot_opts *o, const char *path,
		  struct wl_error *err);

/* Stacked bars (plot_bars.c): v[cat * nseg + seg] in base_unit ("J",
 * "g"), NaN or <= 0 = no segment; scaled by 1000s for the axis. */
#define WL_BARS_MAXSEG 16
struct wl_bars {
	size_t ncat, nseg;
	const char *const *cat;
	const char *const *seg;
	const struct wl_rgb *segcol;
	const double *v;
	const char *ylabel;    /* "Energy" */
	const char *base_unit; /* "J" */
};
int wl_draw_bars(const struct wl_bars *b, const struct wl_plot_opts *o, const char *path,
		 struct wl_error *err);

/* ---------------------------------------------------- data (plot_data.c) */

/* Power series per component (wl_power_components when present). */
int wl_plot_power_series(const struct wl_dataset *ds, struct wl_series **out, size_t *n,
			 struct wl_error *err);
void wl_plot_series_free(struct wl_series *s, size_t n);
/* Legend order of two component names: total, GPUs, cpu, dram, then the
 * rest by name (<0, 0, >0 as strcmp). */
int wl_plot_name_cmp(const char *a, const char *b);
/* Time window of the figure: o's from/to, else the dataset's span.  -1
 * with err when empty. */
int wl_plot_window(const struct wl_dataset *ds, const struct wl_plot_opts *o, double *t0,
		   double *t1, struct wl_error *err);
/* A channel named by the user: exact name, name without " [unit]", then a
 * case-insensitive substring.  -1 when none. */
long wl_plot_find_metric(const struct wl_dataset *ds, const char *want);
/* "power.draw [W]" -> "power.draw" into buf. */
void wl_plot_short_name(const char *name, char *buf, size_t len);
/* The phase holding t, or NULL. */
const struct wl_phase *wl_plot_phase_at(const struct wl_phase_list *ph, double t);

#endif
