/*
 * ingest_trace.c - a wattlog trace (trace_format.h) into a struct
 * wl_dataset, in one pass over the file.
 *
 * Time origin t = 0: the start_monotonic_ns of the META records read before
 * the first time-stamped record (SAMPLE, MARKER, SYNC, LOG), else that
 * record's t_ns; t = (t_ns - origin) / 1e9 s.  Values are raw * scale, the
 * raw read as the channel's type says; a counter's wrap is wrap * scale.
 * t0_realtime: from the first SYNC record, realtime - (monotonic - origin);
 * else start_realtime_ns + (origin - start_monotonic_ns).  Damage the reader
 * reports (and recorder LOG records of level warn or error) become dataset
 * warnings naming the file and offset; a sample that is NaN, infinite or
 * goes back in time is dropped (wl_trace_sample_keep, ingest.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/energy_rule.h"
#include "wattlog/ingest.h"
#include "wattlog/merge.h"
#include "wattlog/trace.h"

/* Decimal u64 of a whole string; 0 or -1. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

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

struct ingest {
	const char *path;
	struct wl_dataset *ds;
	long *index;          /* [65536]: dataset channel of a trace id, -1 */
	unsigned char *warned; /* [65536]: wl_trace_sample_keep's, per trace id */
	int have_origin, have_sync;
	uint64_t origin;
};

static double secs(const struct ingest *in, uint64_t t_ns)
{
	return (double)(int64_t)(t_ns - in->origin) / 1e9;
}

static void set_origin(struct ingest *in, uint64_t t_ns)
{
	uint64_t v;

	if (in->have_origin)
		return;
	in->origin = parse_u64(wl_dataset_meta_get(in->ds, "start_monotonic_ns"), &v) ? t_ns : v;
	in->have_origin = 1;
}

long wl_trace_channel_add(struct wl_dataset *ds, const struct wl_chan_info *c)
{
	char buf[32];
	long i;

	i = wl_dataset_channel(ds, c->name, c->unit, c->device, c->source,
			       c->kind == WL_KIND_COUNTER ? WL_DS_COUNTER : WL_DS_GAUGE,
			       (double)c->wrap * c->scale);
	if (i < 0 || wl_channel_component(&ds->ch[i], wl_trace_chan_component(c, buf, sizeof(buf))) ||
	    wl_merge_fix_channel(ds, &ds->ch[i]))
		return -1;
	return i;
}

static int add_channel(struct ingest *in, const struct wl_chan_info *c)
{
	long i = wl_trace_channel_add(in->ds, c);

	if (i < 0)
		return -1;
	in->index[c->id] = i;
	return 0;
}

static int take(struct ingest *in, struct wl_reader *r, const struct wl_record *rec)
{
	struct wl_dataset *ds = in->ds;
	size_t k;

	if (rec->kind != WL_REC_META && rec->kind != WL_REC_CHANNEL)
		set_origin(in, rec->t_ns);
	switch (rec->kind) {
	case WL_REC_META:
		for (k = 0; k < rec->u.meta.n; k++)
			if (wl_dataset_meta(ds, rec->u.meta.kv[k].key, rec->u.meta.kv[k].value))
				return -1;
		return 0;
	case WL_REC_CHANNEL:
		return add_channel(in, rec->u.channel);
	case WL_REC_SAMPLE:
		for (k = 0; k < rec->u.sample.n; k++) {
			uint16_t id = rec->u.sample.ids[k];

			struct wl_channel *c;
			double t = secs(in, rec->t_ns), v;
			int keep;

			if (in->index[id] < 0)
				continue;
			c = &ds->ch[in->index[id]];
			v = wl_value_physical(wl_reader_channel(r, id), rec->u.sample.vals[k]);
			keep = wl_trace_sample_keep(ds, in->path, rec->offset, c, t,
						    c->n ? c->t[c->n - 1] : NAN, v, &in->warned[id]);
			if (keep < 0 || (keep && wl_channel_push(c, t, v)))
				return -1;
		}
		return 0;
	case WL_REC_MARKER:
		return wl_dataset_marker(ds, secs(in, rec->t_ns), rec->u.marker.flags,
					 rec->u.marker.text);
	case WL_REC_SYNC:
		if (!in->have_sync) {
			int64_t real = (int64_t)rec->u.sync.real_ns -
				       (int64_t)(rec->t_ns - in->origin);

			ds->t0_realtime = (double)real / 1e9;
			in->have_sync = 1;
		}
		return 0;
	case WL_REC_LOG:
		if (rec->u.log.level >= WL_LOG_WARN)
			return wl_dataset_warn(ds, "'%s' offset %llu: recorder %s at %.3f s: %s",
					       in->path, (unsigned long long)rec->offset,
					       rec->u.log.level == WL_LOG_WARN ? "warning" : "error",
					       secs(in, rec->t_ns), rec->u.log.text);
		return 0;
	}
	return 0;
}

int wl_ingest_trace(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err)
{
	struct ingest in = { .path = path, .ds = ds };
	const struct wl_damage *d;
	struct wl_record rec;
	struct wl_reader *r;
	uint64_t sr, sm;
	size_t i, nd;
	int rc;

	(void)o;
	r = wl_reader_open(path, err);
	if (!r)
		return -1;
	in.index = malloc(65536 * sizeof(*in.index));
	in.warned = calloc(65536, 1);
	if (!in.index || !in.warned) {
		free(in.index);
		free(in.warned);
		wl_reader_free(r);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	for (i = 0; i < 65536; i++)
		in.index[i] = -1;
	while ((rc = wl_reader_next(r, &rec, err)) == 1)
		if (take(&in, r, &rec)) {
			rc = wl_error_set(err, "out of memory reading '%s'", path);
			break;
		}
	if (rc == 0) {
		nd = wl_reader_damage(r, &d);
		for (i = 0; i < nd; i++)
			wl_dataset_warn(ds, "'%s' offset %llu: damaged trace, %llu bytes skipped: %s",
					path, (unsigned long long)d[i].offset,
					(unsigned long long)d[i].length, d[i].what);
		if (!in.have_sync &&
		    !parse_u64(wl_dataset_meta_get(ds, "start_realtime_ns"), &sr)) {
			if (!in.have_origin ||
			    parse_u64(wl_dataset_meta_get(ds, "start_monotonic_ns"), &sm))
				sm = in.origin;
			ds->t0_realtime = (double)(int64_t)(sr + (in.origin - sm)) / 1e9;
		}
	}
	free(in.index);
	free(in.warned);
	wl_reader_free(r);
	return rc < 0 ? -1 : 0;
}
