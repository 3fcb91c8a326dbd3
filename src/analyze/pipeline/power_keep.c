/*
 * power_keep.c - what the streamed power of a trace (power_stream.c)
 * keeps of a trace besides its envelopes: the channels as the ingester
 * declares them, and a bounded copy of their samples for the phases.
 *
 * Channels: each CHANNEL record is turned into a dataset channel (name,
 * unit, device, source, kind, wrap, component) by wl_trace_channel_add,
 * the ingester's own rule, so the streaming path can never disagree with
 * wl_ingest_trace (and merged traces' component prefixes) on what a
 * channel measures.
 *
 * Samples: channel i keeps every sample while it has fewer than
 * WL_STREAM_PHASE_POINTS; when it reaches that, neighbours are merged in
 * pairs (the mean time and value of a gauge pair; a counter keeps the
 * later reading), so each point then stands for 2^k consecutive samples
 * (the last point, flushed at the end, for fewer) and the copy never
 * holds WL_STREAM_PHASE_POINTS points.  A counter is stored
 * unwrapped (+ wrap each time it decreases, the rule of normalize.c), as
 * several wraps may fall between two kept readings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "power_keep.h"
#include "wattlog/grow.h"
#include "wattlog/ingest.h"
#include "wattlog/power_stream.h"

/* The ingester's dataset channel for ci, added to k->ds (or found there:
 * same name, device and source); its index, or -1 with err. */
long wl_keep_channel(struct wl_keep *k, const struct wl_chan_info *ci, struct wl_error *err)
{
	long i = wl_trace_channel_add(&k->ds, ci);
	size_t j;

	if (i < 0 || wl_grow((void **)&k->st, &k->capst, (size_t)i + 1, sizeof(*k->st)))
		return wl_error_set(err, "out of memory reading '%s'", k->ds.path);
	for (j = k->nst; j <= (size_t)i; j++) {
		memset(&k->st[j], 0, sizeof(k->st[j]));
		k->st[j].g = 1;
	}
	if (k->nst < (size_t)i + 1)
		k->nst = (size_t)i + 1;
	return i;
}

/* Merges the points of channel c in pairs: 2^k samples per point become
 * 2^(k+1). */
static void halve(struct wl_channel *c, struct wl_keep_ch *s)
{
	size_t j, m = c->n / 2;

	for (j = 0; j < m; j++) {
		if (c->kind == WL_DS_COUNTER) {
			c->t[j] = c->t[2 * j + 1];
			c->v[j] = c->v[2 * j + 1];
		} else {
			c->t[j] = 0.5 * (c->t[2 * j] + c->t[2 * j + 1]);
			c->v[j] = 0.5 * (c->v[2 * j] + c->v[2 * j + 1]);
		}
	}
	if (c->n % 2) { /* an odd last point stays as it is */
		c->t[m] = c->t[c->n - 1];
		c->v[m] = c->v[c->n - 1];
		m++;
	}
	c->n = m;
	s->g *= 2;
}

static int push_point(struct wl_keep *k, size_t i, double t, double v)
{
	struct wl_channel *c = &k->ds.ch[i];

	if (wl_channel_push(c, t, v))
		return -1;
	if (c->n >= WL_STREAM_PHASE_POINTS)
		halve(c, &k->st[i]);
	return 0;
}

int wl_keep_sample(struct wl_keep *k, size_t i, double t, double v)
{
	struct wl_channel *c = &k->ds.ch[i];
	struct wl_keep_ch *s = &k->st[i];

	if (!s->nread++)
		s->first_t = t;
	s->last_t = t;
	if (c->kind == WL_DS_COUNTER) {
		if (s->nread > 1 && v < s->last_raw && c->wrap > 0)
			s->off += c->wrap;
		s->last_raw = v;
		if (s->off != 0)
			v += s->off;
	}
	if (s->g == 1)
		return push_point(k, i, t, v);
	s->cnt++;
	if (c->kind == WL_DS_COUNTER) {
		s->st = t;
		s->sv = v;
	} else {
		s->st += t;
		s->sv += v;
	}
	if (s->cnt < s->g)
		return 0;
	return wl_keep_flush(k, i);
}

int wl_keep_flush(struct wl_keep *k, size_t i)
{
	struct wl_keep_ch *s = &k->st[i];
	double n = (double)s->cnt;
	int counter = k->ds.ch[i].kind == WL_DS_COUNTER, rc;

	if (!s->cnt)
		return 0;
	rc = push_point(k, i, counter ? s->st : s->st / n, counter ? s->sv : s->sv / n);
	s->cnt = 0;
	s->st = s->sv = 0;
	return rc;
}

void wl_keep_release(struct wl_keep *k)
{
	wl_dataset_release(&k->ds);
	free(k->st);
	k->st = NULL;
	k->nst = k->capst = 0;
}
