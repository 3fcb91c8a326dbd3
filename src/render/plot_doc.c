/*
 * plot_doc.c - the PDF report (see plot.h): one A4 document with a title,
 * the run's metadata, the report's sections typeset from its Markdown
 * (headings, pipe tables in DejaVu Sans with measured columns, lists and
 * paragraphs wrapped at the text width), then the standard figures, each
 * placed where it fits (wl_doc_place scales a figure down rather than leave
 * half a page empty).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plot_int.h"
#include "wattlog/version.h"

#define A4_W 595.28
#define A4_H 841.89
#define TEXT_W (A4_W - 2 * WL_DOC_MARGIN)
#define BODY_PT 8.0
#define TABLE_PT 7.5
#define TABLE_MIN_PT 5.5
#define HEAD_PT 11.0
#define CELL_PAD 3.0
#define MAXCOL 24

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

static const struct wl_rgb black = { 0, 0, 0 }, rule = { 0.55, 0.55, 0.55 },
			   head_fill = { 0.90, 0.90, 0.90 }, zebra = { 0.965, 0.965, 0.965 };

/* ---- text ---------------------------------------------------------------- */

/* One line of text at the cursor, moving it down by lead pt (a new page
 * first when it does not fit). */
static void text_line(struct wl_canvas *c, double x, const char *s, double lead)
{
	if (wl_doc_room(c) < lead)
		wl_doc_newpage(c);
	wl_canvas_rgb(c, black, 1);
	wl_canvas_text(c, x, wl_doc_cursor(c), s, 0, 0, 0);
	wl_doc_advance(c, lead);
}

/* s[0..n) wrapped at words to width w from x, in the current font. */
static void wrapped(struct wl_canvas *c, double x, double w, const char *s, size_t n,
		    double lead)
{
	char line[1024];
	size_t len = 0, i = 0, j;

	while (i < n) {
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if (len + 1 + (j - i) >= sizeof(line) - 1) /* a giant word: cut it */
			j = i + (sizeof(line) - 2 - len > 0 ? sizeof(line) - 2 - len : 0);
		{
			char try[1024];

			snprintf(try, sizeof(try), "%.*s%s%.*s", (int)len, line, len ? " " : "",
				 (int)(j - i), s + i);
			if (len && wl_canvas_text_width(c, try) > w) {
				text_line(c, x, line, lead);
				len = 0;
				continue; /* the same word on the next line */
			}
			len = strlen(try);
			memcpy(line, try, len + 1);
		}
		for (i = j; i < n && s[i] == ' '; i++)
			;
	}
	if (len)
		text_line(c, x, line, lead);
}

/* ---- tables -------------------------------------------------------------- */

struct table {
	size_t ncol, nrow;          /* rows after the header */
	int hdr, rule;              /* the header row, the |---| row read */
	char **cell;                /* [(nrow + 1) * ncol]: row 0 is the header */
	int right[MAXCOL];          /* column right-aligned (---:) */
	double w[MAXCOL];           /* column width, pt */
	double size;                /* font size */
};

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; t->hdr && i < (t->nrow + 1) * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

/* The cells of a Markdown table line "| a | b |" (trimmed) into out[]. */
static size_t split_row(const char *s, size_t n, char **out, size_t max)
{
	size_t k = 0, i = 0, a, b;

	if (n && s[0] == '|')
		i = 1;
	while (i < n && k < max) {
		for (a = i; a < n && s[a] != '|'; a++)
			;
		b = a;
		while (i < b && s[i] == ' ')
			i++;
		while (b > i && s[b - 1] == ' ')
			b--;
		if (a >= n && b == i)
			break; /* after the closing '|' */
		out[k] = malloc(b - i + 1);
		if (!out[k])
			break;
		memcpy(out[k], s + i, b - i);
		out[k++][b - i] = 0;
		i = a + 1;
	}
	return k;
}

/* Adds a row of cells (the header first; k cells, missing ones empty,
 * extra ones dropped; the cells are taken over).  0 or -1. */
static int table_add(struct table *t, char **cells, size_t k)
{
	size_t row = t->hdr ? t->nrow + 1 : 0, i;
	char **p = realloc(t->cell, (row + 1) * t->ncol * sizeof(*p));

	if (!p) {
		for (i = 0; i < k; i++)
			free(cells[i]);
		return -1;
	}
	t->cell = p;
	p += row * t->ncol;
	for (i = 0; i < t->ncol; i++)
		p[i] = i < k ? cells[i] : NULL;
	for (; i < k; i++)
		free(cells[i]);
	for (i = 0; i < t->ncol; i++)
		if (!p[i] && !(p[i] = strdup("")))
			return -1; /* the row is whole for table_free */
	if (t->hdr)
		t->nrow++;
	t->hdr = 1;
	return 0;
}

/* Column widths at size pt; the total. */
static double measure(struct wl_canvas *c, struct table *t, double size)
{
	double tot = 0, x;
	size_t r, k;

	for (k = 0; k < t->ncol; k++) {
		t->w[k] = 0;
		for (r = 0; r <= t->nrow; r++) {
			wl_canvas_font(c, size, r == 0);
			x = wl_canvas_text_width(c, t->cell[r * t->ncol + k]) + 2 * CELL_PAD;
			if (x > t->w[k])
				t->w[k] = x;
		}
		tot += t->w[k];
	}
	t->size = size;
	return tot;
}

/* Fits the table in the text width: the font shrinks to TABLE_MIN_PT, then
 * the widest column is narrowed (its cells cut with "~"). */
static void fit(struct wl_canvas *c, struct table *t)
{
	double tot = measure(c, t, TABLE_PT), size = TABLE_PT;
	size_t k, wide = 0;

	if (tot > TEXT_W) {
		size = fmax(TABLE_MIN_PT, TABLE_PT * TEXT_W / tot);
		tot = measure(c, t, size);
	}
	if (tot <= TEXT_W)
		return;
	for (k = 1; k < t->ncol; k++)
		if (t->w[k] > t->w[wide])
			wide = k;
	t->w[wide] = fmax(4 * size, t->w[wide] - (tot - TEXT_W));
}

/* s cut to width w (a trailing "~" marks the cut). */
static void cut(struct wl_canvas *c, const char *s, double w, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%s", s);
	if (wl_canvas_text_width(c, buf) <= w)
		return;
	for (n = strlen(buf); n > 1; n--) {
		while (n > 1 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--; /* not inside a UTF-8 sequence */
		buf[n - 1] = '~';
		buf[n] = 0;
		if (wl_canvas_text_width(c, buf) <= w)
			return;
	}
}

static void table_row(struct wl_canvas *c, const struct table *t, size_t r, double lead)
{
	double x = WL_DOC_MARGIN, y = wl_doc_cursor(c), tw = 0;
	char buf[512];
	size_t k;

	for (k = 0; k < t->ncol; k++)
		tw += t->w[k];
	if (r == 0 || r % 2 == 0) {
		wl_canvas_rgb(c, r == 0 ? head_fill : zebra, 1);
		wl_canvas_fill_rect(c, x, y, tw, lead);
	}
	wl_canvas_rgb(c, black, 1);
	wl_canvas_font(c, t->size, r == 0);
	for (k = 0; k < t->ncol; k++) {
		cut(c, t->cell[r * t->ncol + k], t->w[k] - 2 * CELL_PAD, buf, sizeof(buf));
		if (t->right[k])
			wl_canvas_text(c, x + t->w[k] - CELL_PAD, y + lead / 2, buf, 1, 0.5, 0);
		else
			wl_canvas_text(c, x + CELL_PAD, y + lead / 2, buf, 0, 0.5, 0);
		x += t->w[k];
	}
	if (r == 0) {
		wl_canvas_rgb(c, rule, 1);
		wl_canvas_width(c, 0.5);
		wl_canvas_line(c, WL_DOC_MARGIN, y + lead, WL_DOC_MARGIN + tw, y + lead);
	}
	wl_doc_advance(c, lead);
}

/* The table, its header repeated on each new page. */
static void table_draw(struct wl_canvas *c, struct table *t)
{
	double lead = t->size * 1.5;
	size_t r;

	if (!t->ncol)
		return;
	fit(c, t);
	lead = t->size * 1.5;
	if (wl_doc_room(c) < lead * (t->nrow < 3 ? t->nrow + 1 : 3))
		wl_doc_newpage(c);
	table_row(c, t, 0, lead);
	for (r = 1; r <= t->nrow; r++) {
		if (wl_doc_room(c) < lead) {
			wl_doc_newpage(c);
			table_row(c, t, 0, lead);
		}
		table_row(c, t, r, lead);
	}
	wl_doc_advance(c, BODY_PT * 0.8);
}

/* ---- the Markdown of the report ----------------------------------------- */

static int is_rule_row(char **cells, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (!cells[i][0] || strspn(cells[i], "-:") != strlen(cells[i]))
			return 0;
	return k > 0;
}

static void heading(struct wl_canvas *c, const char *s, size_t n)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
	/* a heading keeps three lines of what follows on its page */
	if (wl_doc_room(c) < HEAD_PT * 1.8 + 3 * TABLE_PT * 1.5)
		wl_doc_newpage(c);
	else if (wl_doc_cursor(c) > WL_DOC_MARGIN)
		wl_doc_advance(c, HEAD_PT * 0.6);
	wl_canvas_font(c, HEAD_PT, 1);
	text_line(c, WL_DOC_MARGIN, buf, HEAD_PT * 1.6);
}

/* Typesets md: "# " lines are left out (the document has its title), "## "
 * headings, "|" tables (the second line gives the alignment), "- " list
 * items, other lines paragraphs; blank lines end a table. */
static int markdown(struct wl_canvas *c, const char *md)
{
	struct table t = { 0 };
	char *cells[MAXCOL];
	const char *p = md, *e;
	size_t n, k, i;
	int rc = 0;

	while (p && *p) {
		e = strchr(p, '\n');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n && p[0] == '|') {
			k = split_row(p, n, cells, MAXCOL);
			if (!t.hdr) {
				t.ncol = k;
				rc |= table_add(&t, cells, k);
			} else if (!t.rule && !t.nrow && is_rule_row(cells, k)) {
				for (i = 0; i < k && i < t.ncol; i++)
					t.right[i] = cells[i][strlen(cells[i]) - 1] == ':';
				for (i = 0; i < k; i++)
					free(cells[i]);
				t.rule = 1;
			} else {
				rc |= table_add(&t, cells, k);
			}
		} else {
			if (t.hdr) {
				table_draw(c, &t);
				table_free(&t);
			}
			wl_canvas_font(c, BODY_PT, 0);
			if (n > 3 && !strncmp(p, "## ", 3)) {
				heading(c, p + 3, n - 3);
			} else if (n > 2 && !strncmp(p, "# ", 2)) {
				/* the document has its title: this line
				 * introduces the overview table */
				heading(c, "Overview", 8);
			} else if (n > 2 && !strncmp(p, "- ", 2)) {
				if (wl_doc_room(c) < BODY_PT * 1.35)
					wl_doc_newpage(c);
				text_line(c, WL_DOC_MARGIN + 2, "\u2022", 0);
				wrapped(c, WL_DOC_MARGIN + 10, TEXT_W - 10, p + 2, n - 2, BODY_PT * 1.35);
			} else if (n) {
				wrapped(c, WL_DOC_MARGIN, TEXT_W, p, n, BODY_PT * 1.35);
			} else if (wl_doc_cursor(c) > WL_DOC_MARGIN) {
				wl_doc_advance(c, BODY_PT * 0.5);
			}
		}
		p = e ? e + 1 : NULL;
	}
	if (t.hdr)
		table_draw(c, &t);
	table_free(&t);
	return rc ? -1 : 0;
}

/* ---- the run ------------------------------------------------------------- */

/* The run's metadata as a two-column table: the file, its format, its
 * start (UTC) and every metadata key but the clock readings (*_ns). */
static int run_table(struct wl_canvas *c, const struct wl_dataset *ds)
{
	struct table t = { 0 };
	char *cells[2], when[64];
	size_t i;
	int rc = 0;

	t.ncol = 2;
#define ROW(k, v)                                     \
	do {                                          \
		cells[0] = strdup(k);                 \
		cells[1] = strdup(v);                 \
		rc |= table_add(&t, cells, 2);        \
	} while (0)
	ROW("run", "");
	ROW("file", ds->path ? ds->path : "-");
	ROW("format", ds->format ? ds->format : "-");
	if (isfinite(ds->t0_realtime)) {
		time_t s = (time_t)floor(ds->t0_realtime);
		struct tm tm;

		if (gmtime_r(&s, &tm) && strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
			ROW("start", when);
	}
	for (i = 0; i < ds->nmeta; i++) {
		size_t kl = strlen(ds->meta[i].key);

		if (kl > 3 && !strcmp(ds->meta[i].key + kl - 3, "_ns"))
			continue;
		ROW(ds->meta[i].key, ds->meta[i].value ? ds->meta[i].value : "");
	}
#undef ROW
	if (!rc)
		table_draw(c, &t);
	table_free(&t);
	return rc ? -1 : 0;
}

int wl_plots_pdf_report(const char *path, const char *title, const char *md,
			const struct wl_dataset *ds, const struct wl_phase_list *phases,
			const struct wl_report *r, struct wl_error *err)
{
	struct wl_plot_opts o;
	struct wl_canvas *c, *m;
	struct wl_error e;
	char note[WL_ERROR_MAX + 64];
	double h[sizeof(figs) / sizeof(figs[0])];
	int done[sizeof(figs) / sizeof(figs[0])] = { 0 };
	size_t i, left = 0;
	int rc = 0;

	c = wl_doc_open(path, A4_W, A4_H, err);
	if (!c)
		return -1;
	wl_canvas_font(c, 16, 1);
	text_line(c, WL_DOC_MARGIN, title ? title : "wattlog report", 16 * 1.5);
	wl_canvas_font(c, BODY_PT, 0);
	wl_canvas_rgb(c, rule, 1);
	text_line(c, WL_DOC_MARGIN, "written by wattlog " WL_VERSION, BODY_PT * 2);
	rc |= run_table(c, ds);
	if (md)
		rc |= markdown(c, md);
	wl_plot_opts_init(&o);
	o.format = WL_PLOT_PDF;
	o.style = WL_STYLE_PAPER;
	o.width_in = WL_PAPER_DOUBLE_IN;
	/* Measure every figure (drawn into a document that writes nothing);
	 * one the data cannot make is noted now. */
	if (!(m = wl_doc_open(NULL, A4_W, A4_H, err))) {
		wl_canvas_close(c, NULL);
		return -1;
	}
	o.doc = m;
	for (i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		e.msg[0] = 0;
		if (wl_fig_of_run(figs[i].fn, ds, phases, r, &o, path, &e) == 0) {
			h[i] = wl_doc_last_h(m);
			left++;
			continue;
		}
		done[i] = 1;
		snprintf(note, sizeof(note), "%s: not drawn: %s", figs[i].name, e.msg);
		wl_canvas_font(c, BODY_PT, 0);
		wrapped(c, WL_DOC_MARGIN, TEXT_W, note, strlen(note), BODY_PT * 1.35);
	}
	wl_canvas_close(m, NULL);
	/* In order, except that a later figure that fits the room left goes
	 * before one that would need a new page. */
	o.doc = c;
	while (left) {
		for (i = 0; i < sizeof(figs) / sizeof(figs[0]) && (done[i] || !wl_doc_fits(c, h[i], 1));
		     i++)
			;
		if (i == sizeof(figs) / sizeof(figs[0]))
			for (i = 0; done[i]; i++)
				;
		wl_doc_title(c, figs[i].name); /* kept with its figure */
		if (wl_fig_of_run(figs[i].fn, ds, phases, r, &o, path, err) < 0) {
			wl_canvas_close(c, NULL);
			return -1;
		}
		done[i] = 1;
		left--;
	}
	if (rc) {
		wl_canvas_close(c, NULL);
		return wl_error_set(err, "out of memory for the report '%s'", path);
	}
	return wl_canvas_close(c, err);
}
