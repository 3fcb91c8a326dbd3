/*
 * ingest_trace.c - a wattlog trace (trace_format.h) into a struct
 * wl_dataset, in one pass over the file.
 *
 * Times, values and t0_realtime as the trace walker gives them (walk.h:
 * the time origin, raw * scale, the realtime start); a counter's wrap is
 * wrap * scale.  Damage the reader reports (and recorder LOG records of
 * level warn or error) become dataset warnings naming the file and offset;
 * a sample that is NaN, infinite or goes back in time is dropped
 * (wl_trace_sample_keep, ingest.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/energy_rule.h"
#include "wattlog/grow.h"
#include "wattlog/ingest.h"
#include "wattlog/merge.h"
#include "wattlog/trace.h"
#include "wattlog/walk.h"

int wl_trace_sample_keep(struct wl_dataset *ds, const char *path, unsigned long long offset,
			 const struct wl_channel *c, double t, double t_last, double v,
			 unsigned char *warned)
{
	const char *sp = *c->device ? " " : "";

	if (isnan(v))
		return 0;
	if (isinf(v)) {
		if (*warned & 1u)
			return 0;
		*warned |= 1u;
		return wl_dataset_warn(ds, "'%s' offset %llu: damaged trace: sample of %s%s%s at "
				       "%.9f s is infinite: dropped, with any later such sample",
				       path, offset, c->name, sp, c->device, t) ? -1 : 0;
	}
	if (t < t_last) {
		if (*warned & 2u)
			return 0;
		*warned |= 2u;
		return wl_dataset_warn(ds, "'%s' offset %llu: damaged trace: sample of %s%s%s at "
				       "%.9f s goes back before %.9f s: dropped, with any later "
				       "such sample", path, offset, c->name, sp, c->device, t,
				       t_last) ? -1 : 0;
	}
	return 1;
}

long wl_trace_channel_add(struct wl_dataset *ds, const struct wl_chan_info *c)
{
	struct wl_chan_info m = *c;
	long i;

	wl_chan_meaning(&m); /* the reader did it already; a caller that built c may not have */
	i = wl_dataset_channel(ds, c->name, c->unit, c->device, c->source,
			       c->kind == WL_KIND_COUNTER ? WL_DS_COUNTER : WL_DS_GAUGE,
			       (double)c->wrap * c->scale);
	if (i >= 0)
		ds->ch[i].instant = m.instant;
	if (i < 0 || wl_channel_component(&ds->ch[i], m.component) ||
	    wl_merge_fix_channel(ds, &ds->ch[i]))
		return -1;
	return i;
}

void wl_trace_chan_of(const struct wl_channel *c, uint16_t id, struct wl_chan_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->id = id;
	ci->kind = c->kind == WL_DS_COUNTER ? WL_KIND_COUNTER : WL_KIND_GAUGE;
	ci->type = WL_TYPE_F64;
	ci->wrap = c->wrap > 0 ? (uint64_t)llround(c->wrap) : 0;
	ci->scale = 1.0;
	ci->instant = (uint8_t)c->instant;
	snprintf(ci->source, sizeof(ci->source), "%s", c->source);
	snprintf(ci->name, sizeof(ci->name), "%s", c->name);
	snprintf(ci->unit, sizeof(ci->unit), "%s", c->unit);
	snprintf(ci->device, sizeof(ci->device), "%s", c->device);
	snprintf(ci->component, sizeof(ci->component), "%s", c->component); /* stated */
	ci->quantity = wl_quantity_of_unit(c->unit);
}

int wl_trace_take(struct wl_dataset *ds, const char *path, const struct wl_step *s)
{
	const struct wl_record *rec = &s->rec;
	size_t k;

	switch (rec->kind) {
	case WL_REC_META:
		for (k = 0; k < rec->u.meta.n; k++)
			if (wl_dataset_meta(ds, rec->u.meta.kv[k].key, rec->u.meta.kv[k].value))
				return -1;
		return 0;
	case WL_REC_MARKER:
		if (wl_dataset_marker(ds, s->t, rec->u.marker.flags, rec->u.marker.text))
			return -1;
		return wl_merge_fix_marker(ds, &ds->mk[ds->nmk - 1]);
	case WL_REC_LOG:
		if (rec->u.log.level >= WL_LOG_WARN)
			return wl_dataset_warn(ds, "'%s' offset %llu: recorder %s at %.3f s: %s",
					       path, (unsigned long long)rec->offset,
					       rec->u.log.level == WL_LOG_WARN ? "warning" : "error",
					       s->t, rec->u.log.text);
		return 0;
	}
	return 0;
}

void wl_trace_take_end(struct wl_dataset *ds, const char *path, const struct wl_walk *w)
{
	const struct wl_damage *d;
	size_t i, nd = wl_reader_damage(wl_walk_reader(w), &d);
	double t0;

	for (i = 0; i < nd; i++)
		wl_dataset_warn(ds, "'%s' offset %llu: damaged trace, %llu bytes skipped: %s",
				path, (unsigned long long)d[i].offset,
				(unsigned long long)d[i].length, d[i].what);
	if (wl_walk_t0_realtime(w, &t0))
		ds->t0_realtime = t0;
}

int wl_merge_fix_channel(const struct wl_dataset *ds, struct wl_channel *c)
{
	const char *m = wl_dataset_meta_get(ds, "job.merged");
	size_t ln = wl_merged_chan_node(c->device);
	char node[64], comp[192];

	if (!m || strcmp(m, "1"))
		return 0;
	snprintf(node, sizeof(node), "%.*s", (int)ln, c->device);
	if (strcmp(c->node, node) && wl_channel_node(c, node))
		return -1;
	if (!*node || !*c->component || wl_component_base(c->component, node) != c->component)
		return 0; /* no node, no component, or named on its node already */
	snprintf(comp, sizeof(comp), "%s/%s", node, c->component);
	return wl_channel_component(c, comp);
}

int wl_merge_fix_marker(const struct wl_dataset *ds, struct wl_marker *m)
{
	const char *merged = wl_dataset_meta_get(ds, "job.merged");

	if (m->node || !merged || strcmp(merged, "1"))
		return 0;
	return wl_marker_node(m, wl_merged_marker_node(m->text));
}

int wl_merge_fix_components(struct wl_dataset *ds)
{
	size_t i;

	for (i = 0; i < ds->nch; i++)
		if (wl_merge_fix_channel(ds, &ds->ch[i]))
			return -1;
	for (i = 0; i < ds->nmk; i++)
		if (wl_merge_fix_marker(ds, &ds->mk[i]))
			return -1;
	return 0;
}

int wl_trace_fill_init(struct wl_trace_fill *f, const char *path, struct wl_dataset *ds)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->ds = ds;
	f->index = malloc(65536 * sizeof(*f->index));
	if (!f->index)
		return -1;
	for (i = 0; i < 65536; i++)
		f->index[i] = -1;
	return 0;
}

void wl_trace_fill_release(struct wl_trace_fill *f)
{
	free(f->index);
	free(f->t_last);
	free(f->warned);
	f->index = NULL;
	f->t_last = NULL;
	f->warned = NULL;
}

static int fill_channel(struct wl_trace_fill *f, const struct wl_chan_info *c)
{
	size_t old = f->cap, j;
	long i;

	if (f->passes) /* the channels of the first pass */
		return 0;
	i = wl_trace_channel_add(f->ds, c);
	if (i < 0 || wl_grow((void **)&f->t_last, &f->cap, (size_t)i + 1, sizeof(*f->t_last)))
		return -1;
	if (f->cap > old) {
		unsigned char *w = realloc(f->warned, f->cap);

		if (!w)
			return -1;
		f->warned = w;
		for (j = old; j < f->cap; j++) {
			f->t_last[j] = NAN;
			w[j] = 0;
		}
	}
	f->index[c->id] = i;
	return f->channel ? f->channel(f->ctx, (size_t)i, c) : 0;
}

static int fill_sample(struct wl_trace_fill *f, const struct wl_step *s)
{
	const struct wl_record *rec = &s->rec;
	size_t k;

	for (k = 0; k < rec->u.sample.n; k++) {
		long i = f->index[rec->u.sample.ids[k]];
		unsigned char quiet = WL_TRACE_WARNED_ALL, *warned;
		int keep;

		if (i < 0)
			continue;
		warned = f->passes ? &quiet : &f->warned[i];
		keep = wl_trace_sample_keep(f->ds, f->path, rec->offset, &f->ds->ch[i], s->t,
					    f->t_last[i], s->v[k], warned);
		if (keep < 0)
			return -1;
		if (!keep)
			continue;
		f->t_last[i] = s->t;
		if (f->sample ? f->sample(f->ctx, (size_t)i, s->t, s->v[k]) :
				wl_channel_push(&f->ds->ch[i], s->t, s->v[k]))
			return -1;
	}
	return 0;
}

int wl_trace_fill_pass(struct wl_trace_fill *f, struct wl_error *err)
{
	struct wl_step s;
	struct wl_walk *w = wl_walk_open(f->path, err);
	size_t i;
	int rc;

	if (!w)
		return -1;
	for (i = 0; f->passes && i < f->cap; i++)
		f->t_last[i] = NAN;
	while ((rc = wl_walk_next(w, &s, err)) == 1) {
		int bad;

		if (s.rec.kind == WL_REC_CHANNEL)
			bad = fill_channel(f, s.rec.u.channel);
		else if (s.rec.kind == WL_REC_SAMPLE)
			bad = fill_sample(f, &s);
		else
			bad = f->passes ? 0 : wl_trace_take(f->ds, f->path, &s);
		if (bad) {
			rc = wl_error_set(err, "out of memory reading '%s'", f->path);
			break;
		}
	}
	if (rc == 0 && !f->passes)
		wl_trace_take_end(f->ds, f->path, w);
	wl_walk_free(w);
	f->passes++;
	return rc < 0 ? -1 : 0;
}

int wl_ingest_trace(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err)
{
	struct wl_trace_fill f;
	int rc;

	(void)o;
	if (wl_trace_fill_init(&f, path, ds))
		return wl_error_set(err, "out of memory reading '%s'", path);
	rc = wl_trace_fill_pass(&f, err);
	wl_trace_fill_release(&f);
	if (rc == 0 && wl_merge_fix_components(ds)) /* channels, markers before job.merged */
		rc = wl_error_set(err, "out of memory reading '%s'", path);
	return rc;
}

/* The trace magic (trace_format.h). */
static int sniff(const char *head, size_t n, const char *line1)
{
	(void)line1;
	return n >= 4 && !memcmp(head, WL_FILE_MAGIC, 4);
}

const struct wl_format wl_format_trace = {
	.name = "wattlog",
	.binary = 1,
	.sniff = sniff,
	.read = wl_ingest_trace,
	.help =
		"traces from `wattlog-record` or `wattlog simulate`",
};
