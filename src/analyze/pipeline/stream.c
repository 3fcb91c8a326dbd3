/*
 * stream.c - the two passes of the streaming report (stream.h) over a
 * wattlog trace, one record at a time: pass 1 the dataset's frame and each
 * channel's range, pass 2 the window's energy, statistics, grid and the
 * decimated copy.  Both passes are passes of the fill wl_ingest_trace
 * uses (ingest.h: the trace walker, its channels, metadata, markers,
 * warnings and the samples it keeps).
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

/* Dataset channel i was declared (a trace's channel record, or a CSV
 * log's column: stream_csv.c): its pass-1 state. */
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
		s->ch[s->nch].counter = dc->kind == WL_DS_COUNTER;
		if (dc->kind == WL_DS_COUNTER)
			wl_counter_rate_of(dc, s->max_w, &s->ch[s->nch].rate);
		s->ch[s->nch].comp = -1;
		s->nch++;
	}
	return 0;
}

/* The fill's channel callback. */
static int add_channel(void *ctx, size_t i, const struct wl_chan_info *ci)
{
	struct wl_stream *s = ctx;

	(void)ci;
	return wl_stream_chan_add(s, s->fill.ds, i);
}

/* Pass 1: the kept readings t[0..n), v[0..n) of channel i, in order. */
int wl_stream_sample1(struct wl_stream *s, struct wl_dataset *ds, size_t i, const double *t,
		      const double *v, size_t n)
{
	struct wl_schan *c = &s->ch[i];
	size_t k;
	double p;

	if (!n)
		return 0;
	if (!c->nraw) {
		c->t_first = t[0];
		c->v_first = v[0];
		if (wl_channel_push(&ds->ch[i], t[0], v[0]))
			return -1;
		wl_counter_norm_init(&c->cn1, c->rate.f, c->wrap, c->rate.max);
	}
	c->nraw += n;
	c->t_last = t[n - 1];
	c->v_last = v[n - 1];
	if (c->ntmed <= WL_STREAM_MEDIAN_N) {
		size_t m = WL_STREAM_MEDIAN_N + 1 - c->ntmed;

		if (!c->tmed && !(c->tmed = malloc((WL_STREAM_MEDIAN_N + 1) * sizeof(double))))
			return -1;
		m = m < n ? m : n;
		memcpy(c->tmed + c->ntmed, t, m * sizeof(*t));
		c->ntmed += m;
	}
	if (!c->counter) {
		wl_sstat_p1(&c->st, v, n); /* NaN: no value */
		return 0;
	}
	for (k = 0; k < n; k++)
		if (wl_counter_norm_step(&c->cn1, t[k], v[k], &p) && !isnan(p))
			wl_sstat_p1(&c->st, &p, 1);
	return 0;
}

/* The fill's sample callback of pass 1. */
static int sample1(void *ctx, size_t i, double t, double v)
{
	struct wl_stream *s = ctx;

	return wl_stream_sample1(s, s->fill.ds, i, &t, &v, 1);
}

/* Pass 2: one kept reading of channel i. */
static int sample2(void *ctx, size_t i, double t, double v)
{
	struct wl_stream *s = ctx;

	return wl_stream_sample2(s, s->fill.ds, i, t, v);
}

/* One pass over the file (which = 1 or 2): a CSV log's own (s->pass), or
 * the trace fill's walk. */
static int pass(struct wl_stream *s, struct wl_dataset *ds, int which, struct wl_error *err)
{
	if (s->pass)
		return s->pass(s, ds, which, err);
	s->fill.ds = ds;
	s->fill.sample = which == 1 ? sample1 : sample2; /* pass 2: the samples pass 1
							    kept, mapped as in pass 1 */
	return wl_trace_fill_pass(&s->fill, err);
}

struct wl_stream *wl_stream_open_any(const char *path, const struct wl_ingest_opts *csv,
				     int (*passfn)(struct wl_stream *, struct wl_dataset *, int,
						   struct wl_error *),
				     void (*release)(struct wl_stream *), double max_power_w,
				     struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_stream *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s || !(s->path = strdup(path)) || wl_trace_fill_init(&s->fill, s->path, ds)) {
		wl_stream_free(s);
		wl_error_set(err, "out of memory reading '%s'", path);
		return NULL;
	}
	s->fill.channel = add_channel;
	s->fill.ctx = s;
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
	if (!csv && wl_merge_fix_components(ds)) /* as wl_ingest: a merged job's node */
		goto oom;
	for (i = 0; i < s->nch; i++) {
		struct wl_schan *c = &s->ch[i];

		if (c->nraw > 1 && wl_channel_push(&ds->ch[i], c->t_last, c->v_last))
			goto oom;
		c->median_dt = wl_series_median_dt(c->tmed, c->ntmed);
		free(c->tmed);
		c->tmed = NULL;
	}
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
	for (i = 0; i < WL_STREAM_LANES; i++) {
		free(s->lane[i].rdk);
		free(s->lane[i].rgx);
		free(s->lane[i].rin);
		free(s->lane[i].rgk);
	}
	if (s->release)
		s->release(s);
	wl_corr_rows_release(&s->rows);
	wl_trace_fill_release(&s->fill);
	free(s->path);
	free(s);
}
