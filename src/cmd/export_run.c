/*
 * export_run.c - the rows of `wattlog export csv` (layout: export.c): a
 * trace streamed record by record, any other input through wl_ingest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_csv.h"
#include "wattlog/trace.h"
#include "wattlog/walk.h"

/* Column headers of n channels (see the top comment); hdr[i] malloc'd. */
int wl_csv_headers(const struct wl_csv_col *c, size_t n, char **hdr)
{
	const char *first_dev = NULL;
	int several = 0;
	size_t i, j;
	char buf[512];

	for (i = 0; i < n; i++) {
		if (!*c[i].device)
			continue;
		if (!first_dev)
			first_dev = c[i].device;
		else if (strcmp(first_dev, c[i].device))
			several = 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s%s%s%s%s%s", several ? c[i].device : "",
			 several && *c[i].device ? " " : "", c[i].name, *c[i].unit ? " [" : "",
			 c[i].unit, *c[i].unit ? "]" : "");
		if (!(hdr[i] = strdup(buf)))
			return -1;
	}
	for (i = 0; i < n; i++) {
		int dup = 0;

		for (j = 0; j < n && !dup; j++)
			dup = j != i && !strcmp(hdr[i], hdr[j]);
		if (!dup)
			continue;
		snprintf(buf, sizeof(buf), "%s/%s", c[i].source, hdr[i]);
		free(hdr[i]);
		if (!(hdr[i] = strdup(buf)))
			return -1;
	}
	return 0;
}

struct scan {
	struct wl_chan_info *ch; /* declared channels, in order */
	size_t n;
	int col[65536];          /* column of a channel id, -1 */
};

/* Pass 1: the channel table. */
static int scan(const char *path, struct scan *s, struct wl_error *err)
{
	struct wl_walk *w = wl_walk_open(path, err);
	struct wl_step st;
	int rc;

	if (!w)
		return -1;
	while ((rc = wl_walk_next(w, &st, err)) == 1) {
		const struct wl_chan_info *c = st.rec.u.channel;

		if (st.rec.kind != WL_REC_CHANNEL)
			continue;
		if (s->col[c->id] >= 0) {
			s->ch[s->col[c->id]] = *c;
			continue;
		}
		if (!(s->n & (s->n + 1)) || !s->n) {
			void *p = realloc(s->ch, (2 * s->n + 2) * sizeof(*s->ch));

			if (!p) {
				rc = wl_error_set(err, "out of memory reading '%s'", path);
				break;
			}
			s->ch = p;
		}
		s->col[c->id] = (int)s->n;
		s->ch[s->n++] = *c;
	}
	wl_walk_free(w);
	return rc;
}

static int header(FILE *f, const struct wl_csv_col *cols, size_t n)
{
	char **hdr = calloc(n ? n : 1, sizeof(*hdr));
	size_t i;
	int rc = -1;

	if (hdr && !wl_csv_headers(cols, n, hdr)) {
		fputs("time [s]", f);
		for (i = 0; i < n; i++) {
			fputc(',', f);
			wl_csv_field(f, hdr[i]);
		}
		fputc('\n', f);
		rc = 0;
	}
	for (i = 0; hdr && i < n; i++)
		free(hdr[i]);
	free(hdr);
	return rc;
}

/* Pass 2: the rows, times and values as the trace walker gives them
 * (walk.h).  cell[] holds the row being built. */
static int rows(const char *path, struct scan *s, FILE *f, struct wl_error *err)
{
	struct wl_walk *w = wl_walk_open(path, err);
	const struct wl_damage *d;
	struct wl_step st;
	double *cell = malloc((s->n ? s->n : 1) * sizeof(*cell));
	unsigned char *has = calloc(s->n ? s->n : 1, 1);
	size_t k, nd;
	int rc = -1;

	if (!w || !cell || !has) {
		if (w)
			wl_error_set(err, "out of memory reading '%s'", path);
		goto out;
	}
	while ((rc = wl_walk_next(w, &st, err)) == 1) {
		if (st.rec.kind != WL_REC_SAMPLE)
			continue;
		for (k = 0; k < st.rec.u.sample.n; k++) {
			int c = s->col[st.rec.u.sample.ids[k]];

			cell[c] = st.v[k];
			has[c] = 1;
		}
		wl_csv_num(f, st.t);
		for (k = 0; k < s->n; k++) {
			fputc(',', f);
			if (has[k])
				wl_csv_num(f, cell[k]);
			has[k] = 0;
		}
		fputc('\n', f);
	}
	if (rc == 0) {
		nd = wl_reader_damage(wl_walk_reader(w), &d);
		for (k = 0; k < nd; k++)
			fprintf(stderr, "wattlog export: warning: '%s' offset %llu: %s (%llu bytes "
				"skipped)\n", path, (unsigned long long)d[k].offset, d[k].what,
				(unsigned long long)d[k].length);
		rc = nd ? 1 : 0;
	}
out:
	free(cell);
	free(has);
	wl_walk_free(w);
	return rc;
}

int wl_export_trace(const char *path, FILE *f, struct wl_error *err)
{
	struct scan *s = calloc(1, sizeof(*s));
	struct wl_csv_col *cols = NULL;
	size_t i;
	int rc = 2;

	if (!s) {
		wl_error_set(err, "out of memory reading '%s'", path);
		return 2;
	}
	memset(s->col, 0xFF, sizeof(s->col));
	if (scan(path, s, err))
		goto out;
	cols = calloc(s->n ? s->n : 1, sizeof(*cols));
	if (!cols) {
		wl_error_set(err, "out of memory reading '%s'", path);
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		cols[i].name = s->ch[i].name;
		cols[i].unit = s->ch[i].unit;
		cols[i].device = s->ch[i].device;
		cols[i].source = s->ch[i].source;
	}
	if (header(f, cols, s->n)) {
		wl_error_set(err, "out of memory reading '%s'", path);
		goto out;
	}
	rc = rows(path, s, f, err);
	if (rc < 0)
		rc = 2;
	if (rc != 2 && (fflush(f) || ferror(f))) {
		wl_error_set(err, "cannot write the CSV of '%s'", path);
		rc = 2;
	}
out:
	free(cols);
	free(s->ch);
	free(s);
	return rc;
}

int wl_export_dataset(const char *path, const struct wl_ingest_opts *o, FILE *f,
		      struct wl_error *err)
{
	struct wl_dataset ds;
	struct wl_csv_col *cols;
	size_t *pos, i;
	double t;
	int rc = 2;

	wl_dataset_init(&ds);
	if (wl_ingest(path, o, &ds, err)) {
		wl_dataset_release(&ds);
		return 2;
	}
	cols = calloc(ds.nch ? ds.nch : 1, sizeof(*cols));
	pos = calloc(ds.nch ? ds.nch : 1, sizeof(*pos));
	if (!cols || !pos) {
		wl_error_set(err, "out of memory reading '%s'", path);
		goto out;
	}
	for (i = 0; i < ds.nch; i++) {
		cols[i].name = ds.ch[i].name;
		cols[i].unit = ds.ch[i].unit;
		cols[i].device = ds.ch[i].device;
		cols[i].source = ds.ch[i].source;
	}
	if (header(f, cols, ds.nch)) {
		wl_error_set(err, "out of memory reading '%s'", path);
		goto out;
	}
	/* k-way merge: each row is the smallest pending time stamp. */
	for (;;) {
		int any = 0;

		t = 0;
		for (i = 0; i < ds.nch; i++)
			if (pos[i] < ds.ch[i].n && (!any || ds.ch[i].t[pos[i]] < t)) {
				t = ds.ch[i].t[pos[i]];
				any = 1;
			}
		if (!any)
			break;
		wl_csv_num(f, t);
		for (i = 0; i < ds.nch; i++) {
			fputc(',', f);
			if (pos[i] < ds.ch[i].n && ds.ch[i].t[pos[i]] == t)
				wl_csv_num(f, ds.ch[i].v[pos[i]++]);
		}
		fputc('\n', f);
	}
	for (i = 0; i < ds.assume.n; i++)
		fprintf(stderr, "wattlog export: assumed: %s\n", ds.assume.a[i].text);
	for (i = 0; i < ds.nwarn; i++)
		fprintf(stderr, "wattlog export: warning: %s\n", ds.warn[i]);
	rc = 0;
	if (fflush(f) || ferror(f)) {
		wl_error_set(err, "cannot write the CSV of '%s'", path);
		rc = 2;
	}
out:
	free(cols);
	free(pos);
	wl_dataset_release(&ds);
	return rc;
}
