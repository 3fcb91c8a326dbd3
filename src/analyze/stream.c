/*
 * stream.c - the two passes of the streaming report (stream.h) over a
 * wattlog trace, one record at a time: pass 1 the dataset's frame and each
 * channel's range, pass 2 the window's energy, statistics, grid and the
 * decimated copy.  Time origin, t0_realtime, channel components and
 * warnings as wl_ingest_trace gives them (ingest_trace.c).
 */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "wattlog/merge.h"
#include "wattlog/trace.h"
#include "stream_int.h"
#include "stream_pass.h"

int wl_stream_wanted(const char *path, int force)
{
	struct stat st;
	char magic[4];
	int fd, ok;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	if (!force && (unsigned long long)st.st_size <= WL_STREAM_AUTO_BYTES)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ok = read(fd, magic, 4) == 4 && !memcmp(magic, WL_FILE_MAGIC, 4);
	close(fd);
	return ok;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

static double secs(const struct wl_stream *s, uint64_t t_ns)
{
	return (double)(int64_t)(t_ns - s->origin) / 1e9;
}

static double value_of(const struct wl_stream *s, uint16_t id, union wl_value v)
{
	return wl_value_scaled(s->type[id], s->scale[id], v);
}

int wl_stream_chan_add(struct wl_stream *s, const struct wl_dataset *ds, size_t i)
{
	double f;

	while (i >= s->nch) {
		struct wl_schan *n = realloc(s->ch, (s->nch + 1) * sizeof(*n));
		const struct wl_channel *dc = &ds->ch[s->nch];

		if (!n)
			return -1;
		s->ch = n;
		memset(&s->ch[s->nch], 0, sizeof(*n));
		wl_sstat_init(&s->ch[s->nch].st);
		s->ch[s->nch].power = wl_channel_is_power(dc);
		s->ch[s->nch].jcounter = dc->kind == WL_DS_COUNTER && !wl_unit_to_j(dc->unit, &f);
		s->ch[s->nch].f = 1;
		if (dc->kind == WL_DS_COUNTER)
			wl_unit_to_j(dc->unit, &s->ch[s->nch].f);
		else
			wl_unit_to_w(dc->unit, &s->ch[s->nch].f);
		s->ch[s->nch].wrap = dc->wrap;
		s->ch[s->nch].comp = -1;
		s->nch++;
	}
	return 0;
}

static int add_channel(struct wl_stream *s, struct wl_dataset *ds, const struct wl_chan_info *c)
{
	long i = wl_trace_channel_add(ds, c); /* the ingester's own rule */

	if (i < 0)
		return -1;
	s->index[c->id] = i;
	s->type[c->id] = c->type;
	s->scale[c->id] = c->scale;
	return wl_stream_chan_add(s, ds, (size_t)i);
}

int wl_stream_sample1(struct wl_stream *s, struct wl_dataset *ds, size_t i, double t, double v)
{
	struct wl_schan *c = &s->ch[i];
	double p;

	if (!c->nraw++) {
		c->t_first = t;
		c->v_first = v;
		if (wl_channel_push(&ds->ch[i], t, v))
			return -1;
		wl_counter_norm_init(&c->cn1, c->f, c->wrap, s->max_w);
	}
	c->t_last = t;
	c->v_last = v;
	if (c->ntmed <= WL_STREAM_MEDIAN_N) {
		if (!c->tmed && !(c->tmed = malloc((WL_STREAM_MEDIAN_N + 1) * sizeof(double))))
			return -1;
		c->tmed[c->ntmed++] = t;
	}
	if (c->jcounter) {
		if (wl_counter_norm_step(&c->cn1, t, v, &p) && !isnan(p))
			wl_sstat_p1(&c->st, p);
	} else if (!isnan(v)) {
		wl_sstat_p1(&c->st, v);
	}
	return 0;
}

static int take1(struct wl_stream *s, struct wl_dataset *ds, const struct wl_record *rec)
{
	size_t k;
	uint64_t v;

	if (rec->kind != WL_REC_META && rec->kind != WL_REC_CHANNEL && !s->have_origin) {
		s->origin = parse_u64(wl_dataset_meta_get(ds, "start_monotonic_ns"), &v) ?
			    rec->t_ns : v;
		s->have_origin = 1;
	}
	switch (rec->kind) {
	case WL_REC_META:
		for (k = 0; k < rec->u.meta.n; k++)
			if (wl_dataset_meta(ds, rec->u.meta.kv[k].key, rec->u.meta.kv[k].value))
				return -1;
		return 0;
	case WL_REC_CHANNEL:
		return add_channel(s, ds, rec->u.channel);
	case WL_REC_SAMPLE:
		for (k = 0; k < rec->u.sample.n; k++) {
			uint16_t id = rec->u.sample.ids[k];
			double t = secs(s, rec->t_ns), x;
			struct wl_schan *c;
			int keep;

			if (s->index[id] < 0)
				continue;
			c = &s->ch[s->index[id]];
			x = value_of(s, id, rec->u.sample.vals[k]);
			keep = wl_trace_sample_keep(ds, s->path, rec->offset, &ds->ch[s->index[id]],
						    t, c->nraw ? c->t_last : NAN, x, &c->warned);
			if (keep < 0 ||
			    (keep && wl_stream_sample1(s, ds, (size_t)s->index[id], t, x)))
				return -1;
		}
		return 0;
	case WL_REC_MARKER:
		return wl_dataset_marker(ds, secs(s, rec->t_ns), rec->u.marker.flags,
					 rec->u.marker.text);
	case WL_REC_SYNC:
		if (!s->have_sync) {
			int64_t real = (int64_t)rec->u.sync.real_ns -
				       (int64_t)(rec->t_ns - s->origin);

			ds->t0_realtime = (double)real / 1e9;
			s->have_sync = 1;
		}
		return 0;
	case WL_REC_LOG:
		if (rec->u.log.level >= WL_LOG_WARN)
			return wl_dataset_warn(ds, "'%s' offset %llu: recorder %s at %.3f s: %s",
					       s->path, (unsigned long long)rec->offset,
					       rec->u.log.level == WL_LOG_WARN ? "warning" : "error",
					       secs(s, rec->t_ns), rec->u.log.text);
		return 0;
	}
	return 0;
}

static int take2(struct wl_stream *s, struct wl_dataset *ds, const struct wl_record *rec)
{
	size_t k;

	if (rec->kind != WL_REC_SAMPLE)
		return 0;
	for (k = 0; k < rec->u.sample.n; k++) {
		uint16_t id = rec->u.sample.ids[k];
		double t = secs(s, rec->t_ns), v;
		unsigned char quiet = WL_TRACE_WARNED_ALL; /* pass 1 warned */
		struct wl_schan *c;

		if (s->index[id] < 0)
			continue;
		c = &s->ch[s->index[id]];
		v = value_of(s, id, rec->u.sample.vals[k]);
		if (!wl_trace_sample_keep(ds, s->path, rec->offset, &ds->ch[s->index[id]], t,
					  c->t2_last, v, &quiet))
			continue; /* the samples pass 1 dropped */
		c->t2_last = t;
		if (wl_stream_sample2(s, ds, (size_t)s->index[id], t, v))
			return -1;
	}
	return 0;
}

/* One pass over the file; which = 1 or 2. */
static int pass(struct wl_stream *s, struct wl_dataset *ds, int which, struct wl_error *err)
{
	struct wl_record rec;
	struct wl_reader *r;
	int rc;

	if (s->pass)
		return s->pass(s, ds, which, err);
	if (!(r = wl_reader_open(s->path, err)))
		return -1;
	while ((rc = wl_reader_next(r, &rec, err)) == 1)
		if (which == 1 ? take1(s, ds, &rec) : take2(s, ds, &rec)) {
			rc = wl_error_set(err, "out of memory reading '%s'", s->path);
			break;
		}
	if (rc == 0 && which == 1) {
		const struct wl_damage *d;
		size_t i, nd = wl_reader_damage(r, &d);
		uint64_t sr, sm;

		for (i = 0; i < nd; i++)
			wl_dataset_warn(ds, "'%s' offset %llu: damaged trace, %llu bytes skipped: %s",
					s->path, (unsigned long long)d[i].offset,
					(unsigned long long)d[i].length, d[i].what);
		if (!s->have_sync &&
		    !parse_u64(wl_dataset_meta_get(ds, "start_realtime_ns"), &sr)) {
			if (!s->have_origin ||
			    parse_u64(wl_dataset_meta_get(ds, "start_monotonic_ns"), &sm))
				sm = s->origin;
			ds->t0_realtime = (double)(int64_t)(sr + (s->origin - sm)) / 1e9;
		}
	}
	wl_reader_free(r);
	return rc < 0 ? -1 : 0;
}

/* After pass 1: each channel's last sample beside its first in ds, its
 * median interval.  0 or -1 (out of memory). */
static int frame(struct wl_stream *s, struct wl_dataset *ds)
{
	size_t i;

	for (i = 0; i < s->nch; i++) {
		struct wl_schan *c = &s->ch[i];

		if (c->nraw > 1 && wl_channel_push(&ds->ch[i], c->t_last, c->v_last))
			return -1;
		c->median_dt = wl_series_median_dt(c->tmed, c->ntmed);
		free(c->tmed);
		c->tmed = NULL;
		c->t2_last = NAN; /* pass 2 keeps what pass 1 kept */
	}
	return 0;
}

struct wl_stream *wl_stream_open_any(const char *path, const struct wl_ingest_opts *csv,
				     int (*passfn)(struct wl_stream *, struct wl_dataset *, int,
						   struct wl_error *),
				     void (*release)(struct wl_stream *), double max_power_w,
				     struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_stream *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s || !(s->path = strdup(path)) || !(s->index = malloc(65536 * sizeof(long))) ||
	    !(s->type = calloc(65536, 1)) || !(s->scale = calloc(65536, sizeof(double)))) {
		wl_stream_free(s);
		wl_error_set(err, "out of memory reading '%s'", path);
		return NULL;
	}
	for (i = 0; i < 65536; i++)
		s->index[i] = -1;
	s->csv = csv;
	s->pass = passfn;
	s->release = release;
	s->max_w = max_power_w > 0 ? max_power_w : WL_MAX_POWER_W_DEFAULT;
	if (!ds->path && !(ds->path = strdup(path)))
		goto oom;
	if (!csv && !ds->format && !(ds->format = strdup("wattlog")))
		goto oom;
	if (pass(s, ds, 1, err)) {
		wl_stream_free(s);
		return NULL;
	}
	if (!csv && wl_merge_fix_components(ds)) /* as wl_ingest: a merged job's "NODE/" */
		goto oom;
	if (frame(s, ds))
		goto oom;
	return s;
oom:
	wl_stream_free(s);
	wl_error_set(err, "out of memory reading '%s'", path);
	return NULL;
}

struct wl_stream *wl_stream_open(const char *path, double max_power_w, struct wl_dataset *ds,
				  struct wl_error *err)
{
	return wl_stream_open_any(path, NULL, NULL, NULL, max_power_w, ds, err);
}

int wl_stream_pass2(struct wl_stream *s, struct wl_dataset *ds, struct wl_error *err)
{
	return pass(s, ds, 2, err);
}

void wl_stream_free(struct wl_stream *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nch; i++) {
		free(s->ch[i].tmed);
		wl_sstat_release(&s->ch[i].st);
	}
	free(s->ch);
	free(s->comp);
	free(s->acc);
	free(s->gcnt);
	free(s->rowv);
	free(s->rowseen);
	if (s->release)
		s->release(s);
	wl_corr_rows_release(&s->rows);
	free(s->path);
	free(s->index);
	free(s->type);
	free(s->scale);
	free(s);
}
