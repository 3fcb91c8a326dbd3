/* dataset.c - the analyzer's in-memory data (see dataset.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/dataset.h"
#include "wattlog/grow.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

void wl_dataset_init(struct wl_dataset *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->t0_realtime = NAN;
}

void wl_dataset_release(struct wl_dataset *ds)
{
	size_t i;

	for (i = 0; i < ds->nch; i++) {
		struct wl_channel *c = &ds->ch[i];
		free(c->name);
		free(c->unit);
		free(c->device);
		free(c->source);
		free(c->component);
		free(c->node);
		free(c->t);
		free(c->v);
	}
	for (i = 0; i < ds->nmk; i++) {
		free(ds->mk[i].text);
		free(ds->mk[i].node);
	}
	for (i = 0; i < ds->nmeta; i++) {
		free(ds->meta[i].key);
		free(ds->meta[i].value);
	}
	for (i = 0; i < ds->nwarn; i++)
		free(ds->warn[i]);
	free(ds->ch);
	free(ds->mk);
	free(ds->meta);
	free(ds->warn);
	wl_assumptions_release(&ds->assume);
	free(ds->path);
	free(ds->format);
	wl_dataset_init(ds);
}

long wl_dataset_channel(struct wl_dataset *ds, const char *name, const char *unit,
			const char *device, const char *source, enum wl_ds_kind kind,
			double wrap)
{
	struct wl_channel *c;
	size_t i;

	for (i = 0; i < ds->nch; i++) {
		c = &ds->ch[i];
		if (!strcmp(c->name, name) && !strcmp(c->device, device ? device : "") &&
		    !strcmp(c->source, source ? source : ""))
			return (long)i;
	}
	if (wl_grow((void **)&ds->ch, &ds->capch, ds->nch + 1, sizeof(*ds->ch)))
		return -1;
	c = &ds->ch[ds->nch];
	memset(c, 0, sizeof(*c));
	c->name = dup_or_empty(name);
	c->unit = dup_or_empty(unit);
	c->device = dup_or_empty(device);
	c->source = dup_or_empty(source);
	c->component = strdup("");
	c->node = strdup("");
	c->kind = kind;
	c->wrap = wrap;
	if (!c->name || !c->unit || !c->device || !c->source || !c->component || !c->node)
		return -1;
	return (long)ds->nch++;
}

/* Replaces *dst by a copy of s (NULL taken as ""). 0 or -1. */
static int set_str(char **dst, const char *s)
{
	char *c = strdup(s ? s : "");

	if (!c)
		return -1;
	free(*dst);
	*dst = c;
	return 0;
}

int wl_channel_component(struct wl_channel *c, const char *component)
{
	return set_str(&c->component, component);
}

int wl_channel_node(struct wl_channel *c, const char *node)
{
	return set_str(&c->node, node);
}

int wl_channel_push(struct wl_channel *c, double t, double v)
{
	size_t cap = c->cap;

	if (c->n == c->cap) {
		if (wl_grow((void **)&c->t, &cap, c->n + 1, sizeof(double)))
			return -1;
		cap = c->cap;
		if (wl_grow((void **)&c->v, &cap, c->n + 1, sizeof(double)))
			return -1;
		c->cap = cap;
	}
	c->t[c->n] = t;
	c->v[c->n] = v;
	c->n++;
	return 0;
}

int wl_dataset_marker(struct wl_dataset *ds, double t, unsigned flags, const char *text)
{
	struct wl_marker *m;

	if (wl_grow((void **)&ds->mk, &ds->capmk, ds->nmk + 1, sizeof(*ds->mk)))
		return -1;
	m = &ds->mk[ds->nmk];
	m->t = t;
	m->flags = flags;
	m->node = NULL;
	m->text = strdup(text);
	if (!m->text)
		return -1;
	ds->nmk++;
	return 0;
}

int wl_marker_node(struct wl_marker *m, const char *node)
{
	char *c = NULL;

	if (node && *node && !(c = strdup(node)))
		return -1;
	free(m->node);
	m->node = c;
	return 0;
}

int wl_dataset_meta(struct wl_dataset *ds, const char *key, const char *value)
{
	char *v = strdup(value);
	size_t i;

	if (!v)
		return -1;
	for (i = 0; i < ds->nmeta; i++) {
		if (!strcmp(ds->meta[i].key, key)) {
			free(ds->meta[i].value);
			ds->meta[i].value = v;
			return 0;
		}
	}
	if (wl_grow((void **)&ds->meta, &ds->capmeta, ds->nmeta + 1, sizeof(*ds->meta))) {
		free(v);
		return -1;
	}
	ds->meta[ds->nmeta].key = strdup(key);
	ds->meta[ds->nmeta].value = v;
	if (!ds->meta[ds->nmeta].key) {
		free(v);
		return -1;
	}
	ds->nmeta++;
	return 0;
}

const char *wl_dataset_meta_get(const struct wl_dataset *ds, const char *key)
{
	size_t i;

	for (i = 0; i < ds->nmeta; i++)
		if (!strcmp(ds->meta[i].key, key))
			return ds->meta[i].value;
	return NULL;
}

int wl_dataset_warn(struct wl_dataset *ds, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	char *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (wl_grow((void **)&ds->warn, &ds->capwarn, ds->nwarn + 1, sizeof(*ds->warn)))
		return -1;
	s = strdup(buf);
	if (!s)
		return -1;
	ds->warn[ds->nwarn++] = s;
	return 0;
}

long wl_dataset_find(const struct wl_dataset *ds, const char *name, const char *device)
{
	size_t i;

	for (i = 0; i < ds->nch; i++)
		if (!strcmp(ds->ch[i].name, name) &&
		    (!device || !strcmp(ds->ch[i].device, device)))
			return (long)i;
	return -1;
}

int wl_time_in_span(double t)
{
	return fabs(t) <= WL_SPAN_MAX_S; /* false for NaN and inf */
}

int wl_dataset_span(const struct wl_dataset *ds, double *t_first, double *t_last)
{
	double a = INFINITY, b = -INFINITY;
	size_t i;

	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];
		if (!c->n)
			continue;
		if (c->t[0] < a)
			a = c->t[0];
		if (c->t[c->n - 1] > b)
			b = c->t[c->n - 1];
	}
	if (a > b)
		return 0;
	*t_first = a;
	*t_last = b;
	return 1;
}
