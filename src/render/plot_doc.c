/*
 * plot_doc.c - the PDF report (see plot.h): the report's text in
 * monospace, then the standard figures, in one A4 document.
 */
#include <stdio.h>
#include <string.h>

#include "plot_int.h"

#define A4_W 595.28
#define A4_H 841.89
#define MONO_PT 7.5
#define LINE_PT 9.5

typedef int (*fig_fn)(const struct wl_dataset *, const struct wl_phase_list *,
		      const struct wl_plot_opts *, const char *, struct wl_error *);

static const struct {
	const char *name;
	fig_fn fn;
} figs[] = {
	{ "Power", wl_fig_power },
	{ "Metrics", wl_fig_panels },
	{ "Correlation", wl_fig_heatmap },
	{ "Energy", wl_fig_energy },
};

static void line(struct wl_canvas *c, const char *s, size_t n, double size, int font)
{
	char buf[512];

	if (wl_doc_room(c) < LINE_PT)
		wl_doc_newpage(c);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	wl_canvas_rgb(c, (struct wl_rgb){ 0, 0, 0 }, 1);
	wl_canvas_font(c, size, font);
	wl_canvas_text(c, WL_DOC_MARGIN, wl_doc_cursor(c), buf, 0, 0, 0);
	wl_doc_advance(c, size > MONO_PT ? size * 1.6 : LINE_PT);
}

/* Lines of text, each wrapped at the page width (a monospace cell is
 * 0.602 em wide in DejaVu Sans Mono). */
static void text_block(struct wl_canvas *c, const char *text)
{
	size_t per = (size_t)((A4_W - 2 * WL_DOC_MARGIN) / (MONO_PT * 0.602)), n;
	const char *p = text, *e;

	while (p && *p) {
		e = strchr(p, '\n');
		n = e ? (size_t)(e - p) : strlen(p);
		do {
			size_t k = n > per ? per : n;

			line(c, p, k, MONO_PT, 2);
			p += k;
			n -= k;
		} while (n > 0);
		p = e ? e + 1 : NULL;
	}
}

int wl_plots_pdf_report(const char *path, const char *title, const char *text,
			const struct wl_dataset *ds, const struct wl_phase_list *phases,
			const struct wl_report *r, struct wl_error *err)
{
	struct wl_plot_opts o;
	struct wl_canvas *c;
	struct wl_error e;
	char note[WL_ERROR_MAX + 64];
	size_t i;

	c = wl_doc_open(path, A4_W, A4_H, err);
	if (!c)
		return -1;
	if (title)
		line(c, title, strlen(title), 12, 1);
	if (text)
		text_block(c, text);
	wl_plot_opts_init(&o);
	o.format = WL_PLOT_PDF;
	o.style = WL_STYLE_PAPER;
	o.width_in = WL_PAPER_DOUBLE_IN;
	o.doc = c;
	for (i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		if (i == 0)
			wl_doc_newpage(c);
		wl_doc_title(c, figs[i].name); /* kept with its figure */
		e.msg[0] = 0;
		if (wl_fig_of_run(figs[i].fn, ds, phases, r, &o, path, &e) < 0) {
			wl_doc_title(c, NULL);
			snprintf(note, sizeof(note), "(not drawn: %s)", e.msg);
			line(c, note, strlen(note), MONO_PT, 2);
		}
	}
	return wl_canvas_close(c, err);
}
