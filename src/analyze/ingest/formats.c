/*
 * formats.c - the registry of input formats (struct wl_format, ingest.h):
 * the order they are tried in, the names --input-format takes, detection
 * from a file's first 4 KiB, and reading one file in its format.
 *
 * A new format: its reader file src/analyze/ingest_NAME.c defining
 * wl_format_NAME, and its two lines here (the extern and the table).  A
 * format is tried only after those above it: aimeter before nvidia-smi (an
 * AIMeter header has a timestamp and power.draw too), csv last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "wattlog/input.h"

extern const struct wl_format wl_format_trace;
extern const struct wl_format wl_format_aimeter;
extern const struct wl_format wl_format_nvsmi;
extern const struct wl_format wl_format_tegrastats;
extern const struct wl_format wl_format_rapltrace;
extern const struct wl_format wl_format_generic;

static const struct wl_format *const formats[] = {
	&wl_format_trace,
	&wl_format_aimeter,
	&wl_format_nvsmi,
	&wl_format_tegrastats,
	&wl_format_rapltrace,
	&wl_format_generic,
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

size_t wl_formats(const struct wl_format *const **list)
{
	*list = formats;
	return NFORMATS;
}

/* Whether word is one of the space-separated words of list. */
static int among(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		size_t len = strcspn(list, " ");

		if (len == n && !strncmp(list, word, n))
			return 1;
		list += len;
		list += strspn(list, " ");
	}
	return 0;
}

const struct wl_format *wl_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (!strcmp(formats[i]->name, name) || among(formats[i]->aliases, name))
			return formats[i];
	return NULL;
}

void wl_format_names(char *buf, size_t cap)
{
	size_t i, at = 0;

	if (!cap)
		return;
	*buf = 0;
	for (i = 0; i < NFORMATS && at < cap; i++) {
		int k = snprintf(buf + at, cap - at, "%s%s", i ? ", " : "", formats[i]->name);

		if (k < 0)
			break;
		at += (size_t)k;
	}
}

const char *wl_ingest_detect(const char *path, struct wl_error *err)
{
	char head[4096], *nl, line1[4096];
	int binary;
	ssize_t n;
	size_t i;

	n = wl_input_peek(path, head, sizeof(head) - 1, err); /* a pipe keeps it (input.h) */
	if (n < 0)
		return NULL;
	head[n] = 0;
	if (n == 0) {
		wl_error_set(err, "'%s' line 1: empty file", path);
		return NULL;
	}
	binary = memchr(head, 0, (size_t)n) != NULL;
	memcpy(line1, head, (size_t)n + 1);
	nl = strpbrk(line1, "\r\n");
	if (nl)
		*nl = 0;
	for (i = 0; i < NFORMATS; i++)
		if ((formats[i]->binary || !binary) && formats[i]->sniff(head, (size_t)n, line1))
			return formats[i]->name;
	if (binary)
		wl_error_set(err, "unknown format: '%s': binary data that is no wattlog trace", path);
	else
		wl_error_set(err, "unknown format: '%s': not a wattlog trace and no known log format",
			     path);
	return NULL;
}

int wl_ingest_file(const char *path, const char *fmt, const struct wl_ingest_opts *o,
		   struct wl_dataset *ds, struct wl_error *err)
{
	const struct wl_format *f;
	char names[256];

	if (!fmt && !(fmt = wl_ingest_detect(path, err)))
		return -1;
	f = wl_format_find(fmt);
	if (!f) {
		wl_format_names(names, sizeof(names));
		return wl_error_set(err, "unknown format '%s' for '%s' (known: %s)", fmt, path,
				    names);
	}
	if (f->read(path, o, ds, err))
		return -1;
	if (!ds->path && !(ds->path = strdup(path)))
		return wl_error_set(err, "out of memory reading '%s'", path);
	if (!ds->format && !(ds->format = strdup(f->name)))
		return wl_error_set(err, "out of memory reading '%s'", path);
	return 0;
}
