/*
 * plot.c - the canvas (see plot.h): the only file that includes <cairo.h>.
 * One drawing path over a cairo context; the surface is chosen by the
 * output format (image for PNG, PDF, SVG), all in points.
 */
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/plot.h"

#include "wattlog/grow.h"

static const char *const family[] = { "DejaVu Sans", "DejaVu Serif" };
/* What an SVG viewer without the family falls back to. */
static const char *const generic[] = { "sans-serif", "serif" };
#define FONT_MONO "DejaVu Sans Mono"
/* A fixed date so that the same figure gives the same PDF bytes. */
#define PDF_DATE "2000-01-01T00:00:00Z"

struct wl_canvas {
	cairo_surface_t *s;
	cairo_t *cr;
	enum wl_plot_format fmt;
	double w, h;  /* points */
	double scale; /* device pixels per point (PNG) */
	char *path;
	/* A document (wl_doc_open): pages of page_w x page_h, figures placed
	 * one below the other from y = cursor. */
	int doc, page_open, placed;
	double page_w, page_h, cursor;
	double last_h; /* height of the last figure placed, before scaling */
	char title[128]; /* drawn above the next placed figure */
	enum wl_plot_font fam;
	int mono, bold;
	double size;
	/* SVG: cairo writes the drawing into svg; the text goes to txt as
	 * <text> elements, put before </svg> when the file is written to f. */
	FILE *f;
	char *svg, *txt;
	size_t nsvg, capsvg, ntxt, captxt;
	int oom;
};

static void put(struct wl_canvas *c, char **b, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (wl_grow((void **)b, cap, *n + len + 1, 1) < 0) {
		c->oom = 1;
		return;
	}
	memcpy(*b + *n, s, len);
	*n += len;
	(*b)[*n] = 0;
}

static cairo_status_t svg_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct wl_canvas *c = closure;

	put(c, &c->svg, &c->nsvg, &c->capsvg, (const char *)data, len);
	return c->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static void txt_printf(struct wl_canvas *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void txt_printf(struct wl_canvas *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(c, &c->txt, &c->ntxt, &c->captxt, buf,
		    (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* s as XML character data: & < > escaped, control characters left out. */
static void txt_escaped(struct wl_canvas *c, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;

		if (e)
			put(c, &c->txt, &c->ntxt, &c->captxt, e, strlen(e));
		else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			put(c, &c->txt, &c->ntxt, &c->captxt, s, 1);
	}
}

/* The SVG text element of s drawn from user point (x, y) of the current
 * transformation (translate and rotate already applied). */
static void svg_text(struct wl_canvas *c, double x, double y, const char *s)
{
	cairo_matrix_t m;
	double r = 0, g = 0, b = 0, a = 1;
	char op[32] = "";

	cairo_get_matrix(c->cr, &m);
	cairo_pattern_get_rgba(cairo_get_source(c->cr), &r, &g, &b, &a);
	if (a < 1)
		snprintf(op, sizeof(op), " fill-opacity=\"%.3g\"", a);
	txt_printf(c, "<text transform=\"matrix(%.6g %.6g %.6g %.6g %.6g %.6g)\" x=\"%.3f\" "
		   "y=\"%.3f\" font-family=\"%s, %s\" font-size=\"%.4g\"%s "
		   "fill=\"rgb(%d,%d,%d)\"%s>",
		   m.xx, m.yx, m.xy, m.yy, m.x0, m.y0, x, y,
		   c->mono ? FONT_MONO : family[c->fam], c->mono ? "monospace" : generic[c->fam],
		   c->size, c->bold ? " font-weight=\"bold\"" : "", (int)lround(r * 255),
		   (int)lround(g * 255), (int)lround(b * 255),
		   op);
	txt_escaped(c, s);
	txt_printf(c, "</text>\n");
}

/* Writes the SVG: cairo's drawing with the text elements before its last
 * </svg>.  0 or -1 with err. */
static int svg_flush(struct wl_canvas *c, struct wl_error *err)
{
	const char *end = NULL, *p = c->svg;
	size_t head;

	if (c->oom || !c->svg)
		return wl_error_set(err, "out of memory for figure '%s'", c->path);
	while (p && (p = strstr(p, "</svg>")))
		end = p++;
	head = end ? (size_t)(end - c->svg) : c->nsvg;
	if (fwrite(c->svg, 1, head, c->f) != head ||
	    (c->ntxt && fwrite(c->txt, 1, c->ntxt, c->f) != c->ntxt) ||
	    fputs(c->svg + head, c->f) == EOF || fflush(c->f) == EOF || ferror(c->f))
		return wl_error_errno(err, errno, "cannot write figure '%s'", c->path);
	return 0;
}

static int check(struct wl_canvas *c, struct wl_error *err, const char *what)
{
	cairo_status_t st = c->cr ? cairo_status(c->cr) : cairo_surface_status(c->s);

	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(c->s);
	if (st != CAIRO_STATUS_SUCCESS)
		return wl_error_set(err, "cannot %s '%s': %s", what, c->path,
				    cairo_status_to_string(st));
	return 0;
}

struct wl_canvas *wl_canvas_open(const char *path, enum wl_plot_format fmt,
				 enum wl_plot_style style, double w_pt, double h_pt,
				 struct wl_error *err)
{
	struct wl_canvas *c = calloc(1, sizeof(*c));
	cairo_font_options_t *fo;

	if (!path) { /* a canvas for measuring text only: 1 x 1, never written */
		fmt = WL_PLOT_PNG;
		w_pt = h_pt = 1;
		style = WL_STYLE_SCREEN;
	}
	if (!c || !(c->path = strdup(path ? path : ""))) {
		free(c);
		wl_error_set(err, "out of memory for figure '%s'", path);
		return NULL;
	}
	c->fmt = fmt;
	c->w = w_pt;
	c->h = h_pt;
	c->scale = 1;
	switch (fmt) {
	case WL_PLOT_PNG:
		c->scale = style == WL_STYLE_PAPER ? 300.0 / 72 : 2;
		c->s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w_pt * c->scale),
						  (int)ceil(h_pt * c->scale));
		break;
	case WL_PLOT_PDF:
		c->s = cairo_pdf_surface_create(path, w_pt, h_pt);
		cairo_pdf_surface_set_metadata(c->s, CAIRO_PDF_METADATA_CREATE_DATE, PDF_DATE);
		cairo_pdf_surface_set_metadata(c->s, CAIRO_PDF_METADATA_MOD_DATE, PDF_DATE);
		cairo_pdf_surface_set_metadata(c->s, CAIRO_PDF_METADATA_CREATOR, "wattlog");
		break;
	case WL_PLOT_SVG:
		if (!(c->f = fopen(path, "wb"))) {
			wl_error_errno(err, errno, "cannot write figure '%s'", path);
			free(c->path);
			free(c);
			return NULL;
		}
		c->s = cairo_svg_surface_create_for_stream(svg_write, c, w_pt, h_pt);
		cairo_svg_surface_set_document_unit(c->s, CAIRO_SVG_UNIT_PT);
		break;
	}
	if (check(c, err, "create figure") < 0) {
		cairo_surface_destroy(c->s);
		if (c->f)
			fclose(c->f);
		free(c->svg);
		free(c->path);
		free(c);
		return NULL;
	}
	c->cr = cairo_create(c->s);
	cairo_scale(c->cr, c->scale, c->scale);
	/* Grey-scale antialiasing, no hinting: the same pixels on every
	 * machine with the same fonts, and no colour fringes. */
	fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_set_font_options(c->cr, fo);
	cairo_font_options_destroy(fo);
	cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_BUTT);
	/* White background (PNG has no transparency; PDF/SVG get a page
	 * that prints the same on any viewer). */
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	cairo_set_source_rgb(c->cr, 0, 0, 0);
	wl_canvas_font(c, 9, 0);
	return c;
}

int wl_canvas_close(struct wl_canvas *c, struct wl_error *err)
{
	cairo_status_t st;
	int rc;

	if (!c)
		return 0;
	rc = check(c, err, "draw figure");
	if (rc == 0 && c->fmt == WL_PLOT_PNG && c->path[0]) {
		cairo_surface_flush(c->s);
		st = cairo_surface_write_to_png(c->s, c->path);
		if (st != CAIRO_STATUS_SUCCESS)
			rc = wl_error_set(err, "cannot write figure '%s': %s", c->path,
					  st == CAIRO_STATUS_WRITE_ERROR ? strerror(errno) :
					  cairo_status_to_string(st));
	}
	cairo_destroy(c->cr);
	c->cr = NULL;
	cairo_surface_finish(c->s);
	if (rc == 0)
		rc = check(c, err, "write figure");
	if (rc == 0 && c->f)
		rc = svg_flush(c, err);
	if (c->f && fclose(c->f) == EOF && rc == 0)
		rc = wl_error_errno(err, errno, "cannot write figure '%s'", c->path);
	cairo_surface_destroy(c->s);
	free(c->svg);
	free(c->txt);
	free(c->path);
	free(c);
	return rc;
}

struct wl_canvas *wl_doc_open(const char *path, double page_w, double page_h,
			      struct wl_error *err)
{
	struct wl_canvas *c = wl_canvas_open(path, WL_PLOT_PDF, WL_STYLE_PAPER, page_w, page_h, err);

	if (!c)
		return NULL;
	c->doc = 1;
	c->page_open = 1;
	c->page_w = page_w;
	c->page_h = page_h;
	c->cursor = WL_DOC_MARGIN;
	return c;
}

void wl_doc_newpage(struct wl_canvas *c)
{
	if (c->page_open && c->cursor > WL_DOC_MARGIN)
		wl_canvas_page(c);
	c->page_open = 1;
	c->cursor = WL_DOC_MARGIN;
}

double wl_doc_room(const struct wl_canvas *c)
{
	return c->page_h - WL_DOC_MARGIN - c->cursor;
}

void wl_doc_advance(struct wl_canvas *c, double h)
{
	c->cursor += h;
}

double wl_doc_last_h(const struct wl_canvas *c)
{
	return c->last_h;
}

int wl_doc_fits(const struct wl_canvas *c, double h, int titled)
{
	double th = titled ? 24 : 0, full = c->page_h - 2 * WL_DOC_MARGIN, s = 1;

	if (h > 0.6 * full - th)
		s = (0.6 * full - th) / h;
	return h * s + th <= wl_doc_room(c) || (wl_doc_room(c) - th) / h >= WL_DOC_MIN_SCALE * s;
}

double wl_doc_cursor(const struct wl_canvas *c)
{
	return c->cursor;
}

void wl_doc_title(struct wl_canvas *c, const char *title)
{
	snprintf(c->title, sizeof(c->title), "%s", title ? title : "");
}

void wl_doc_place(struct wl_canvas *c, double w, double h)
{
	/* a title is 16 pt, and 8 pt apart from what is above it */
	double gap = c->title[0] && c->cursor > WL_DOC_MARGIN ? 8 : 0;
	double th = c->title[0] ? 16 + gap : 0, full = c->page_h - 2 * WL_DOC_MARGIN, s = 1;

	c->last_h = h;

	if (h > 0.6 * full - th)
		s = (0.6 * full - th) / h;
	if (h * s + th > wl_doc_room(c)) {
		if ((wl_doc_room(c) - th) / h >= WL_DOC_MIN_SCALE * s) {
			s = (wl_doc_room(c) - th) / h;
		} else {
			wl_doc_newpage(c);
			th -= gap;
			gap = 0;
		}
	}
	c->cursor += gap;
	th -= gap;
	if (th) {
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		wl_canvas_font(c, 10, 1);
		wl_canvas_text(c, WL_DOC_MARGIN, c->cursor, c->title, 0, 0, 0);
		c->cursor += th;
		c->title[0] = 0;
	}
	cairo_save(c->cr);
	cairo_translate(c->cr, (c->page_w - w * s) / 2, c->cursor);
	cairo_scale(c->cr, s, s);
	c->placed = 1;
	c->cursor += h * s + 18;
}

void wl_doc_unplace(struct wl_canvas *c)
{
	if (c->placed)
		cairo_restore(c->cr);
	c->placed = 0;
}

int wl_doc_check(struct wl_canvas *c, struct wl_error *err)
{
	return check(c, err, "draw figure");
}

void wl_canvas_page(struct wl_canvas *c)
{
	if (c->fmt != WL_PLOT_PDF)
		return;
	cairo_show_page(c->cr);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
}

void wl_canvas_rgb(struct wl_canvas *c, struct wl_rgb col, double alpha)
{
	if (alpha >= 1)
		cairo_set_source_rgb(c->cr, col.r, col.g, col.b);
	else
		cairo_set_source_rgba(c->cr, col.r, col.g, col.b, alpha);
}

void wl_canvas_width(struct wl_canvas *c, double pt)
{
	cairo_set_line_width(c->cr, pt);
}

void wl_canvas_dash(struct wl_canvas *c, double on_pt, double off_pt)
{
	double d[2] = { on_pt, off_pt };

	cairo_set_dash(c->cr, d, on_pt > 0 ? 2 : 0, 0);
}

void wl_canvas_line(struct wl_canvas *c, double x0, double y0, double x1, double y1)
{
	cairo_move_to(c->cr, x0, y0);
	cairo_line_to(c->cr, x1, y1);
	cairo_stroke(c->cr);
}

void wl_canvas_polyline(struct wl_canvas *c, const double *x, const double *y, size_t n)
{
	size_t i;
	int pen = 0;

	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i])) {
			pen = 0;
			continue;
		}
		if (pen)
			cairo_line_to(c->cr, x[i], y[i]);
		else
			cairo_move_to(c->cr, x[i], y[i]);
		pen = 1;
	}
	cairo_stroke(c->cr);
}

void wl_canvas_polygon(struct wl_canvas *c, const double *x, const double *y, size_t n)
{
	size_t i;

	if (n < 3)
		return;
	cairo_move_to(c->cr, x[0], y[0]);
	for (i = 1; i < n; i++)
		cairo_line_to(c->cr, x[i], y[i]);
	cairo_close_path(c->cr);
	cairo_fill(c->cr);
}

void wl_canvas_fill_rect(struct wl_canvas *c, double x, double y, double w, double h)
{
	cairo_rectangle(c->cr, x, y, w, h);
	cairo_fill(c->cr);
}

void wl_canvas_stroke_rect(struct wl_canvas *c, double x, double y, double w, double h)
{
	cairo_rectangle(c->cr, x, y, w, h);
	cairo_stroke(c->cr);
}

void wl_canvas_dot(struct wl_canvas *c, double x, double y, double r)
{
	cairo_new_sub_path(c->cr);
	cairo_arc(c->cr, x, y, r, 0, 2 * M_PI);
	cairo_fill(c->cr);
}

void wl_canvas_clip(struct wl_canvas *c, double x, double y, double w, double h)
{
	cairo_save(c->cr);
	cairo_rectangle(c->cr, x, y, w, h);
	cairo_clip(c->cr);
}

void wl_canvas_translate(struct wl_canvas *c, double dx, double dy)
{
	cairo_translate(c->cr, dx, dy);
}

void wl_canvas_unclip(struct wl_canvas *c)
{
	cairo_restore(c->cr);
}

void wl_canvas_font(struct wl_canvas *c, double size_pt, int bold)
{
	cairo_select_font_face(c->cr, bold > 1 ? FONT_MONO : family[c->fam],
			       CAIRO_FONT_SLANT_NORMAL,
			       bold == 1 ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(c->cr, size_pt);
	c->mono = bold > 1;
	c->bold = bold == 1;
	c->size = size_pt;
}

void wl_canvas_family(struct wl_canvas *c, enum wl_plot_font font)
{
	c->fam = font == WL_FONT_SERIF ? WL_FONT_SERIF : WL_FONT_SANS;
	wl_canvas_font(c, c->size, c->mono ? 2 : c->bold);
}

double wl_canvas_text_width(struct wl_canvas *c, const char *s)
{
	cairo_text_extents_t te;

	cairo_text_extents(c->cr, s, &te);
	return te.x_advance;
}

void wl_canvas_text(struct wl_canvas *c, double x, double y, const char *s, double ha,
		    double va, double deg)
{
	cairo_font_extents_t fe;
	double w = wl_canvas_text_width(c, s), dy;

	cairo_font_extents(c->cr, &fe);
	/* Cap height ~ 0.72 em for DejaVu Sans: "top" aligns capitals, not
	 * the font's ascent, so labels sit where the eye expects. */
	dy = (1 - va) * 0.72 * fe.ascent / 0.93;
	if (va >= 1)
		dy = 0;
	cairo_save(c->cr);
	cairo_translate(c->cr, x, y);
	if (deg != 0)
		cairo_rotate(c->cr, deg * M_PI / 180);
	if (c->f) {
		svg_text(c, -ha * w, dy, s);
	} else {
		cairo_move_to(c->cr, -ha * w, dy);
		cairo_show_text(c->cr, s);
		cairo_new_path(c->cr);
	}
	cairo_restore(c->cr);
}

double wl_canvas_width_pt(const struct wl_canvas *c)
{
	return c->w;
}

size_t wl_canvas_columns(const struct wl_canvas *c, double w_pt)
{
	double k = c->fmt == WL_PLOT_PNG ? c->scale : 2;
	size_t n = (size_t)ceil(w_pt * k);

	return n ? n : 1;
}
