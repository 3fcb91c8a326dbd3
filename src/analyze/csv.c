/*
 * csv.c - the one place libcsv is used (see csvread.h).  The file is fed to
 * the parser one physical line at a time so that every record knows its line
 * number and binary data is caught where it starts.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/csvread.h"

struct ctx {
	const char *path;
	wl_csv_row_fn fn;
	void *user;
	struct wl_error *err;
	char *buf;          /* the record's fields, each NUL-terminated */
	size_t len, cap;
	size_t *off;        /* field k starts at buf + off[k] */
	const char **f;     /* pointers handed to the callback */
	size_t nf, capf;
	size_t line;
	int failed; /* 1 after the callback or an allocation failed */
};

static int oom(struct ctx *c)
{
	c->failed = 1;
	return wl_error_set(c->err, "out of memory reading '%s' at line %zu", c->path, c->line);
}

static void on_field(void *s, size_t len, void *data)
{
	struct ctx *c = data;

	if (c->failed)
		return;
	if (c->nf == c->capf) {
		size_t ncap = c->capf ? c->capf * 2 : 32;
		size_t *no = realloc(c->off, ncap * sizeof(*no));

		if (!no) {
			oom(c);
			return;
		}
		c->off = no;
		c->capf = ncap;
	}
	if (c->len + len + 1 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;
		char *nb;

		while (ncap < c->len + len + 1)
			ncap *= 2;
		nb = realloc(c->buf, ncap);
		if (!nb) {
			oom(c);
			return;
		}
		c->buf = nb;
		c->cap = ncap;
	}
	if (len)
		memcpy(c->buf + c->len, s, len);
	c->buf[c->len + len] = 0;
	c->off[c->nf++] = c->len;
	c->len += len + 1;
}

static void drop_fields(struct ctx *c)
{
	c->nf = 0;
	c->len = 0;
}

static void on_record(int term, void *data)
{
	struct ctx *c = data;
	struct wl_csv_row row;
	const char **nf;
	size_t i;

	(void)term;
	if (!c->failed) {
		nf = realloc(c->f, (c->nf ? c->nf : 1) * sizeof(*nf));
		if (!nf) {
			oom(c);
			drop_fields(c);
			return;
		}
		c->f = nf;
		for (i = 0; i < c->nf; i++)
			c->f[i] = c->buf + c->off[i];
		row.line = c->line;
		row.nf = c->nf;
		row.f = c->f;
		if (c->fn(&row, c->user, c->err))
			c->failed = 1;
	}
	drop_fields(c);
}

long wl_csv_column(const struct wl_csv_row *hdr, const char *name)
{
	size_t i;

	for (i = 0; i < hdr->nf; i++)
		if (!strcmp(hdr->f[i], name))
			return (long)i;
	return -1;
}

int wl_csv_read(const char *path, const struct wl_csv_opts *o, wl_csv_row_fn fn, void *user,
		struct wl_error *err)
{
	struct csv_parser p;
	struct ctx c = { .path = path, .fn = fn, .user = user, .err = err };
	size_t skiplen = o && o->skip_prefix ? strlen(o->skip_prefix) : 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (!f)
		return wl_error_errno(err, errno, "cannot open '%s'", path);
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI)) {
		fclose(f);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	if (o && o->delim)
		csv_set_delim(&p, (unsigned char)o->delim);
	while (!c.failed && (n = getline(&line, &cap, f)) >= 0) {
		c.line++;
		if (memchr(line, 0, (size_t)n)) {
			rc = wl_error_set(err, "'%s' line %zu: binary data (NUL byte), not a text log",
					  path, c.line);
			break;
		}
		if (skiplen && !c.nf && !strncmp(line, o->skip_prefix, skiplen))
			continue;
		if (csv_parse(&p, line, (size_t)n, on_field, on_record, &c) != (size_t)n &&
		    !c.failed) {
			rc = wl_error_set(err, "'%s' line %zu: %s", path, c.line,
					  csv_error(&p) == CSV_EPARSE ? "misplaced quote"
								       : csv_strerror(csv_error(&p)));
			break;
		}
	}
	if (!rc && !c.failed && ferror(f))
		rc = wl_error_errno(err, errno, "cannot read '%s'", path);
	if (!rc && !c.failed && csv_fini(&p, on_field, on_record, &c) && !c.failed)
		rc = wl_error_set(err, "'%s' line %zu: unterminated quoted field", path, c.line);
	if (c.failed)
		rc = -1;
	free(c.buf);
	free(c.off);
	free(c.f);
	free(line);
	csv_free(&p);
	fclose(f);
	return rc;
}
