/*
 * plot.h - figures for papers and screens (src/render/).
 *
 * Layers, bottom up:
 *   axes.c      layout math without drawing: nice 1-2-5 ticks, ranges, the
 *               time unit (s / min / h), label rows without overlap
 *   palette.c   Okabe-Ito colours, a fixed colour per component, a
 *               diverging colour-blind-safe map (ColorBrewer RdBu)
 *   plot.c      the canvas: the only file that includes <cairo.h>; one
 *               drawing path, the surface chosen by the output format
 *   frame.c     a plot area with axes, ticks, labels, legend (over canvas)
 *   fig_*.c     one figure each; figures.c the standard set
 *
 * Units: canvas coordinates are points (1/72 in), origin top-left, y down.
 * Times are seconds since the dataset's origin.  Every function returns 0
 * or -1 with err filled (one line naming the file and the problem).
 */
#ifndef WATTLOG_PLOT_H
#define WATTLOG_PLOT_H

#include <stddef.h>

#include "wattlog/envelope.h"
#include "wattlog/analysis.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/phases.h"

struct wl_report; /* report.h */

/* ------------------------------------------------------------ options */

enum wl_plot_format { WL_PLOT_PNG = 0, WL_PLOT_PDF = 1, WL_PLOT_SVG = 2 };
enum wl_plot_style { WL_STYLE_SCREEN = 0, WL_STYLE_PAPER = 1 };

/* Single column: 3.33 in (239.76 pt), which fits the narrowest common
 * column, ACM's sigconf (241.15 TeX pt; IEEE's is 3.5 in), at its natural
 * size; double: 7.16 in, IEEE's text width (t52 typesets both). */
#define WL_PAPER_SINGLE_IN 3.33
#define WL_PAPER_DOUBLE_IN 7.16

/* The text family: DejaVu Sans, or DejaVu Serif for serif papers (both in
 * fonts-dejavu-core, so the same figure on every machine). */
enum wl_plot_font { WL_FONT_SANS = 0, WL_FONT_SERIF = 1 };

/* What the user says about a figure's text (--xlabel, --ylabel, --title,
 * --font): NULL = the figure's own.  A time axis keeps its unit: --xlabel
 * "Elapsed" gives "Elapsed (s)".  In a figure of stacked panels the labels
 * apply to every panel that has one. */
struct wl_plot_labels {
	const char *xlabel, *ylabel, *title;
	enum wl_plot_font font;
};

struct wl_plot_opts {
	enum wl_plot_format format;
	enum wl_plot_style style;
	double width_in;      /* 0 = style default (screen 8 in, paper 3.33 in) */
	double t_from, t_to;  /* window in s since origin; NaN = whole run */
	const char *metrics;  /* comma-separated metric names (panels,
				 heatmap); NULL = the figure's default */
	int stack;            /* power: stacked areas summing to the total */
	const char *x, *y;    /* scatter: metric names */
	const char *regions;  /* carbon: "A,B,C" region names or g/kWh numbers */
	double pue;           /* carbon: power usage effectiveness (NaN = 1) */
	struct wl_canvas *doc; /* a PDF document to place the figure in (see
				  wl_doc_open); NULL = the figure's own file */
	const char *data;     /* energy: also a CSV of the numbers drawn
				 (component,segment,energy_j at full
				 precision) at this path; NULL none */
	struct wl_plot_labels lab;
};

void wl_plot_opts_init(struct wl_plot_opts *o);

/* What the user asked of a command's figures (--style, --width, --xlabel,
 * --ylabel, --title, --font): style -1 = the command's default, width 0 =
 * the style's, lab's strings NULL = the figures' own. */
struct wl_fig_look {
	int style;        /* -1, or an enum wl_plot_style */
	double width_in;  /* 0, or inches */
	struct wl_plot_labels lab;
};
void wl_fig_look_init(struct wl_fig_look *l);
/* Puts l (NULL = nothing asked) into o: its style, else paper when paper
 * is 1 (a PDF of a set) and screen when 0; its width when given; lab. */
void wl_fig_look_apply(const struct wl_fig_look *l, int paper, struct wl_plot_opts *o);
/* "png", "pdf", "svg" -> format; from a file name's extension when ext is
 * a path.  0 or -1 (unknown). */
int wl_plot_format_parse(const char *s, enum wl_plot_format *f);
int wl_plot_format_from_path(const char *path, enum wl_plot_format *f);
const char *wl_plot_format_ext(enum wl_plot_format f);

/* ------------------------------------------------------------ axes.c */

#define WL_TICKS_MAX 32

struct wl_ticks {
	size_t n;
	double v[WL_TICKS_MAX]; /* tick values, increasing, inside [lo, hi] */
	double step;            /* 1, 2 or 5 x 10^k */
	int decimals;           /* digits after the point to print step */
};

/* The 1-2-5 step for about `target` intervals over span > 0:
 * step = m * 10^k with m in {1, 2, 5}, the smallest such that
 * span / step <= target. */
double wl_axis_step(double span, int target);
/* Ticks at multiples of the step inside [lo, hi], at most max_ticks of them
 * (>= 2).  lo == hi is widened by 1 (or 10% of |lo|) first. */
void wl_axis_ticks(double lo, double hi, int max_ticks, struct wl_ticks *t);
/* Widens [*lo, *hi] outward to multiples of the step of
 * wl_axis_ticks(lo, hi, max_ticks) (an axis that starts and ends on a tick). */
void wl_axis_nice_range(double *lo, double *hi, int max_ticks);
/* Writes v with t->decimals digits ("-0" printed as "0"). */
void wl_axis_format(const struct wl_ticks *t, double v, char *buf, size_t len);

/* The time unit for an axis spanning span_s seconds: s up to 300 s, min up
 * to 5 h, else h.  *div is 1, 60 or 3600. */
const char *wl_axis_time_unit(double span_s, double *div);

/* Greedy rows for labels centred at x[i] of width w[i] (sorted by x or
 * not): each label is first moved inside [lo, hi] (its left edge
 * x - w/2 >= lo, right edge <= hi), then given the lowest row in which it
 * keeps `gap` from every label already placed.  Writes the moved centre to
 * x[i] and the row to row[i]; returns the number of rows used. */
int wl_layout_rows(double *x, const double *w, size_t n, double lo, double hi, double gap,
		   int *row);
/* 1 when two consecutive intervals [x[i] - w[i]/2, x[i] + w[i]/2] are closer
 * than gap (x increasing), else 0. */
int wl_layout_overlaps(const double *x, const double *w, size_t n, double gap);

/* ------------------------------------------------------------ palette.c */

struct wl_rgb {
	double r, g, b; /* 0..1 */
};

/* Okabe-Ito colour i (mod 8): black, orange, sky blue, bluish green,
 * yellow, blue, vermillion, reddish purple. */
struct wl_rgb wl_palette_okabe_ito(size_t i);
/* The fixed colour of an energy component ("cpu", "dram", "gpu0".., a
 * Jetson rail, "total"), the same in every figure; an unknown name gets a
 * colour from a hash of the name (stable too). */
struct wl_rgb wl_palette_component(const char *component);
/* Phase colours: shading (light) and marks (saturated). */
struct wl_rgb wl_palette_phase(const char *label, int light);
/* Diverging RdBu (ColorBrewer, 11 classes) for r in [-1, 1]: -1 dark blue,
 * 0 near white, +1 dark red; clamped; NaN gives mid grey. */
struct wl_rgb wl_palette_diverging(double r);
/* Relative luminance (sRGB, 0..1): text on a fill is white below 0.4. */
double wl_palette_luminance(struct wl_rgb c);

/* ------------------------------------------------------------ plot.c */

struct wl_canvas;

/* Opens a figure of w x h points written to path in fmt.  PNG pixels per
 * point: 2 (screen) or 300/72 (paper).  PDF/SVG are vector; PDF metadata
 * dates are fixed so the same input gives the same bytes.  path NULL: a
 * canvas to measure text with, never written.  NULL on failure with err. */
struct wl_canvas *wl_canvas_open(const char *path, enum wl_plot_format fmt,
				 enum wl_plot_style style, double w_pt, double h_pt,
				 struct wl_error *err);
/* Finishes and writes the file, frees the canvas.  0 or -1 with err. */
int wl_canvas_close(struct wl_canvas *c, struct wl_error *err);
/* Begins a new page (PDF; a no-op elsewhere). */
void wl_canvas_page(struct wl_canvas *c);

void wl_canvas_rgb(struct wl_canvas *c, struct wl_rgb col, double alpha);
void wl_canvas_width(struct wl_canvas *c, double pt);
void wl_canvas_dash(struct wl_canvas *c, double on_pt, double off_pt); /* 0 = solid */
void wl_canvas_line(struct wl_canvas *c, double x0, double y0, double x1, double y1);
/* Strokes a polyline; a NaN y breaks it. */
void wl_canvas_polyline(struct wl_canvas *c, const double *x, const double *y, size_t n);
/* Fills the polygon x[0..n), y[0..n). */
void wl_canvas_polygon(struct wl_canvas *c, const double *x, const double *y, size_t n);
void wl_canvas_fill_rect(struct wl_canvas *c, double x, double y, double w, double h);
void wl_canvas_stroke_rect(struct wl_canvas *c, double x, double y, double w, double h);
void wl_canvas_dot(struct wl_canvas *c, double x, double y, double r);
void wl_canvas_clip(struct wl_canvas *c, double x, double y, double w, double h);
/* Moves the origin of what is drawn next by (dx, dy) pt. */
void wl_canvas_translate(struct wl_canvas *c, double dx, double dy);
void wl_canvas_unclip(struct wl_canvas *c);
/* Text in the canvas's family (wl_canvas_family; DejaVu Sans until set),
 * size in points; bold: 0 regular, 1 bold, 2 monospace (DejaVu Sans Mono). */
void wl_canvas_font(struct wl_canvas *c, double size_pt, int bold);
/* The family of later wl_canvas_font calls. */
void wl_canvas_family(struct wl_canvas *c, enum wl_plot_font font);
double wl_canvas_text_width(struct wl_canvas *c, const char *s);
/* Draws s with its anchor at (x, y): ha 0 left, 0.5 centre, 1 right; va 0
 * top, 0.5 middle, 1 baseline; rotated by deg (-90 = reading upward).
 * PDF keeps text as text (an embedded font subset); cairo 1.16's SVG
 * surface has no text option and would write glyph outlines, so in SVG the
 * text is written as <text> elements over the drawing (font-family, size,
 * colour, position and rotation as drawn), which a viewer renders in the
 * same family and an editor or a search finds. */
void wl_canvas_text(struct wl_canvas *c, double x, double y, const char *s, double ha,
		    double va, double deg);
double wl_canvas_width_pt(const struct wl_canvas *c);
/* Pixel columns for a plot area w_pt wide: device pixels (PNG) or 2 per
 * point (vector). */
size_t wl_canvas_columns(const struct wl_canvas *c, double w_pt);

/* A multi-page PDF document (the PDF report): pages page_w x page_h pt
 * with WL_DOC_MARGIN all round.  wl_doc_place puts a w x h figure below
 * what is there, centred, its origin translated (undone by
 * wl_doc_unplace): scaled down to 60 % of the page's text height when it
 * is taller, and, when it does not fit the room left, scaled down into it
 * if that keeps at least WL_DOC_MIN_SCALE of its size, else on a new page;
 * so no page is left near-empty for want of a few points.  wl_doc_advance
 * moves the cursor down h pt (text); wl_canvas_close finishes the file. */
#define WL_DOC_MIN_SCALE 0.7
#define WL_DOC_MARGIN 40.0
struct wl_canvas *wl_doc_open(const char *path, double page_w, double page_h,
			      struct wl_error *err);
void wl_doc_newpage(struct wl_canvas *c);
double wl_doc_room(const struct wl_canvas *c);
double wl_doc_cursor(const struct wl_canvas *c);
void wl_doc_advance(struct wl_canvas *c, double h);
void wl_doc_place(struct wl_canvas *c, double w, double h);
/* The h of the last wl_doc_place (a document opened with path NULL
 * measures figures: nothing is written); whether a figure h pt tall (with
 * a title: titled) would go below what is there without a new page. */
double wl_doc_last_h(const struct wl_canvas *c);
int wl_doc_fits(const struct wl_canvas *c, double h, int titled);
/* A title (bold 10 pt) kept with the next figure placed. */
void wl_doc_title(struct wl_canvas *c, const char *title);
void wl_doc_unplace(struct wl_canvas *c);
int wl_doc_check(struct wl_canvas *c, struct wl_error *err);

/* ------------------------------------------------------------ figures */

/* A figure from a dataset (and its phases, NULL or empty = none) written
 * to path.  0 or -1 with err. */
int wl_fig_power(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		 const struct wl_plot_opts *o, const char *path, struct wl_error *err);
int wl_fig_panels(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err);
int wl_fig_energy(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err);
/* The energy figure from a run's numbers (run.h): e the report's energy
 * over the window, ph the outermost phases inside it with their energies
 * (wl_phases_clip; NULL or empty: one bar per component); a bar per
 * component counted in the total, split by phase label, "other" the rest
 * of its energy.  Computes nothing; wl_fig_energy computes e and ph from
 * ds, then draws through it. */
int wl_fig_energy_of(const struct wl_energy *e, const struct wl_phase_list *ph,
		     const struct wl_plot_opts *o, const char *path, struct wl_error *err);
int wl_fig_carbon(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_plot_opts *o, const char *path, struct wl_error *err);
/* The carbon figure from a run's energy (the report's, run.h) at PUE pue
 * (NaN: 1): grams = E x PUE x I per component counted in the total. */
int wl_fig_carbon_of(const struct wl_energy *e, double pue, const struct wl_plot_opts *o,
		     const char *path, struct wl_error *err);
int wl_fig_scatter(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		   const struct wl_plot_opts *o, const char *path, struct wl_error *err);
int wl_fig_heatmap(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		   const struct wl_plot_opts *o, const char *path, struct wl_error *err);

/* A power model against a run: measured and predicted power (W) at times
 * t (s since origin; a NaN in either breaks the lines), and the residual
 * measured - predicted in a panel below; title above.  0 or -1 with err. */
int wl_fig_fit(const double *t, const double *measured_w, const double *predicted_w, size_t n,
	       const char *title, const struct wl_plot_opts *o, const char *path,
	       struct wl_error *err);

/* The heatmap of a correlation already computed (a run's r.corr, run.h),
 * the metrics of o->metrics (all when NULL). */
int wl_fig_heatmap_corr(const struct wl_correlation *cr, const struct wl_plot_opts *o,
			const char *path, struct wl_error *err);
/* The heatmap from a matrix: names[n], r[n*n] row-major Pearson r (NaN =
 * undefined, drawn grey). */
int wl_fig_heatmap_matrix(const char *const *names, const double *r, size_t n,
			  const struct wl_plot_opts *o, const char *path, struct wl_error *err);

/* The power figure from envelopes already fed (streaming input, e.g. a long
 * trace read record by record): names[i] / env[i] for i < n, all over the
 * same window.  Phases may be NULL; marks, when not NULL, gives the marker
 * lines (its markers) and the input's name for messages. */
int wl_fig_power_env(const char *const *names, const struct wl_envelope *env, size_t n,
		     const struct wl_phase_list *ph, const struct wl_dataset *marks,
		     const struct wl_plot_opts *o, const char *path, struct wl_error *err);


/* The power figure of a trace read record by record (power_stream.h's
 * result, wl_power_stream_read): its components' envelopes in legend
 * order, its phases and markers.  0 or -1 with err. */
struct wl_power_stream;
int wl_fig_power_stream(const struct wl_power_stream *ps, const struct wl_plot_opts *o,
			const char *path, struct wl_error *err);
/* Plot-area columns the power figure uses for a given option set (to size
 * the envelopes fed to wl_fig_power_env). */
size_t wl_fig_power_columns(const struct wl_plot_opts *o);

/* The PDF report: one A4 document with `title`, the run's metadata (file,
 * format, start in UTC, ds's metadata but its *_ns clock readings), `md`
 * (the Markdown report, wl_report_markdown) typeset in DejaVu Sans:
 * "## " headings kept with what follows, pipe tables with measured columns
 * (aligned as their |---:| row says, the font shrunk to 5.5 pt and then the
 * widest column cut with "~" to fit the width, the header repeated on a new
 * page), "- " items and paragraphs wrapped; then the standard figures
 * (power, panels, heatmap, energy) in paper style at double-column width,
 * each where it fits (wl_doc_place).  A figure the data cannot make is
 * noted in the document instead.  0 or -1 with err. */
int wl_plots_pdf_report(const char *path, const char *title, const char *md,
			const struct wl_dataset *ds, const struct wl_phase_list *phases,
			const struct wl_report *r, struct wl_error *err);

/* The standard set for `report --plots DIR`: power, panels, heatmap,
 * energy, each as DIR/NAME.png and DIR/NAME.pdf (DIR created if missing;
 * PNG screen and PDF paper unless look says otherwise).
 * A figure the data cannot make (no power channel) is skipped, not an
 * error.  r: the run's report (run.h), whose energy and correlation the
 * energy figure and the heatmap draw (NULL: computed from ds).  0 or -1
 * with err. */
int wl_plots_standard(const struct wl_dataset *ds, const struct wl_phase_list *phases,
		      const struct wl_report *r, const struct wl_fig_look *look,
		      const char *dir, struct wl_error *err);

/* The requests of a run (src/render/fig_requests.c; requests.h): a timeline,
 * one bar per request coloured by its phase windows (win: the marker
 * windows the list was computed from) with its energy; and the histogram of
 * J per output token across requests.  -1 with err when there is nothing
 * to draw (no request; no request with tokens_out). */
struct wl_request_list;
int wl_fig_requests(const struct wl_phase_list *win, const struct wl_request_list *rl,
		    const struct wl_plot_opts *o, const char *path, struct wl_error *err);
int wl_fig_jpt_hist(const struct wl_request_list *rl, const struct wl_plot_opts *o,
		    const char *path, struct wl_error *err);
/* Both in DIR as requests.{png,pdf} and jpt.{png,pdf}, as wl_plots_standard
 * (screen PNG, paper PDF; a figure with nothing to draw skipped with a
 * line on stderr).  0, or -1 with err when a file cannot be written. */
int wl_plots_requests(const struct wl_phase_list *win, const struct wl_request_list *rl,
		      const struct wl_fig_look *look, const char *dir, struct wl_error *err);

#endif
