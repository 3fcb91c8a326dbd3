/*
 * power_stream.c - the power over time of a wattlog trace read record by
 * record (power_stream.h): memory O(channels x pixel columns + channels x
 * WL_STREAM_PHASE_POINTS + markers), whatever the trace's length.
 *
 * It gives what the power figure computes from the loaded trace, sample
 * for sample: records walked by the trace walker (walk.h: time origin,
 * physical values) and taken by wl_trace_take as wl_ingest_trace does,
 * counters to watts by wl_counter_norm_step (normalize.c's rule), gauges
 * v x unit factor, the component choice of components.c and the binning
 * both paths share (wl_envelope_open_fine, wl_envelope_rebin).  Where it
 * may differ:
 *   - a component summed from several channels of its best class (two
 *     RAPL packages): wl_series_sum aligns them on the grid of the channel
 *     with the most points, known only at the end; such a trace is left to
 *     the in-memory path (return 1);
 *   - the window starts at the first sample record read (the loaded
 *     trace: the earliest first sample of any channel; the same for a
 *     recorder's trace, whose records are in time order);
 *   - phases come from the bounded copy (power_keep.c): the same as in
 *     memory while every channel has fewer than WL_STREAM_PHASE_POINTS
 *     samples, else found on means of 2^k samples (a boundary may move by
 *     about one such group).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "power_keep.h"
#include "wattlog/analysis.h"
#include "wattlog/energy_rule.h"
#include "wattlog/grow.h"
#include "wattlog/ingest.h"
#include "wattlog/power_stream.h"
#include "wattlog/stream.h"
#include "wattlog/walk.h"

#define BUF 512 /* points fed at once (feed_n: the same columns, bit for bit) */

/* A power channel's state, by dataset channel. */
struct pch {
	int used;           /* a power channel with a component */
	int counter;
	double f;           /* unit factor to W (gauge) or J (counter) */
	struct wl_counter_norm cn;
	struct wl_envelope env;
	int env_ok;
	size_t nbuf;        /* points waiting for wl_envelope_feed_n */
	double bt[BUF], bp[BUF];
};

struct walk {
	const char *trace;
	const struct wl_ingest_opts *io;
	double t_from;      /* --from, NaN: the first sample */
	struct wl_keep k;
	long *index;        /* [65536]: dataset channel of a trace id, -1 */
	struct pch *pc;     /* [cappc] */
	size_t cappc;
	int started;
	double t0, t_to;    /* window start; end when --to, else +inf */
	size_t ncols;
};

static int start_env(struct walk *w, struct pch *p)
{
	if (p->env_ok || !w->started)
		return 0;
	if (wl_envelope_open_fine(&p->env, w->t0, w->ncols) < 0)
		return -1;
	p->env_ok = 1;
	return 0;
}

static void flush_points(struct pch *p)
{
	wl_envelope_feed_n(&p->env, p->bt, p->bp, p->nbuf);
	p->nbuf = 0;
}

static int take_channel(struct walk *w, const struct wl_chan_info *ci, struct wl_error *err)
{
	const struct wl_channel *c;
	struct pch *p;
	long i = wl_keep_channel(&w->k, ci, err);
	size_t old = w->cappc;

	if (i < 0)
		return -1;
	w->index[ci->id] = i;
	if (wl_grow((void **)&w->pc, &w->cappc, (size_t)i + 1, sizeof(*w->pc)))
		return wl_error_set(err, "out of memory reading '%s'", w->trace);
	memset(w->pc + old, 0, (w->cappc - old) * sizeof(*w->pc));
	p = &w->pc[i];
	c = &w->k.ds.ch[i];
	if (p->used || !*c->component || !wl_channel_is_power(c))
		return 0;
	p->used = 1;
	p->counter = c->kind == WL_DS_COUNTER;
	if (p->counter) {
		wl_unit_to_j(c->unit, &p->f);
		wl_counter_norm_init(&p->cn, p->f, c->wrap, WL_MAX_POWER_W_DEFAULT);
	} else {
		wl_unit_to_w(c->unit, &p->f);
	}
	if (start_env(w, p))
		return wl_error_set(err, "out of memory reading '%s'", w->trace);
	return 0;
}

static int take_sample(struct walk *w, const struct wl_step *st, struct wl_error *err)
{
	const struct wl_record *rec = &st->rec;
	double t = st->t, v, pw;
	size_t j, i;

	if (!w->started) {
		w->started = 1;
		w->t0 = isnan(w->t_from) ? t : w->t_from;
		for (j = 0; j < w->k.ds.nch; j++)
			if (w->pc[j].used && start_env(w, &w->pc[j]))
				return wl_error_set(err, "out of memory reading '%s'", w->trace);
	}
	for (j = 0; j < rec->u.sample.n; j++) {
		uint16_t id = rec->u.sample.ids[j];
		struct pch *p;

		if (w->index[id] < 0)
			continue;
		i = (size_t)w->index[id];
		v = st->v[j];
		if (wl_keep_sample(&w->k, i, t, v))
			return wl_error_set(err, "out of memory reading '%s'", w->trace);
		p = &w->pc[i];
		if (!p->used)
			continue;
		if (p->counter) {
			if (!wl_counter_norm_step(&p->cn, t, v, &pw))
				continue;
		} else {
			pw = v * p->f;
		}
		if (t > w->t_to)
			continue;
		p->bt[p->nbuf] = t;
		p->bp[p->nbuf++] = pw;
		if (p->nbuf == BUF)
			flush_points(p);
	}
	return 0;
}

static int take(struct walk *w, const struct wl_step *st, struct wl_error *err)
{
	switch (st->rec.kind) {
	case WL_REC_META:
	case WL_REC_MARKER:
		if (wl_trace_take(&w->k.ds, w->trace, st))
			return wl_error_set(err, "out of memory reading '%s'", w->trace);
		return 0;
	case WL_REC_CHANNEL:
		return take_channel(w, st->rec.u.channel, err);
	case WL_REC_SAMPLE:
		return take_sample(w, st, err);
	}
	return 0;
}

/* The chosen channel of each component, in the order of declaration:
 * *n of them in ch[], or 1 with why set when a component needs a sum of
 * several channels. */
static int choose(struct walk *w, size_t *ch, size_t *n, char *why, size_t whylen)
{
	const struct wl_dataset *ds = &w->k.ds;
	size_t i, j, m = 0, cnt;
	int best, k;

	for (i = 0; i < ds->nch; i++) {
		const char *comp = ds->ch[i].component;

		if (!w->pc[i].used || !ds->ch[i].n)
			continue;
		for (j = 0; j < i; j++) /* first channel of its component only */
			if (w->pc[j].used && ds->ch[j].n && !strcmp(ds->ch[j].component, comp))
				break;
		if (j < i)
			continue;
		best = WL_NCLASS;
		cnt = 0;
		for (j = i; j < ds->nch; j++) {
			if (!w->pc[j].used || !ds->ch[j].n || strcmp(ds->ch[j].component, comp))
				continue;
			k = wl_energy_class(ds->ch[j].kind == WL_DS_COUNTER, ds->ch[j].instant);
			if (k < best) {
				best = k;
				cnt = 0;
			}
			if (k == best && !cnt++)
				ch[m] = j;
		}
		if (cnt > 1) {
			snprintf(why, whylen, "component '%s' is the sum of %zu channels", comp, cnt);
			return 1;
		}
		if (++m == WL_POWER_STREAM_MAXC)
			break;
	}
	*n = m;
	return 0;
}

/* The end of the window: --to, else the latest last sample of any channel
 * (wl_dataset_span over the loaded trace). */
static double window_end(const struct walk *w)
{
	double b = -INFINITY;
	size_t i;

	if (!isinf(w->t_to))
		return w->t_to;
	for (i = 0; i < w->k.ds.nch && i < w->k.nst; i++)
		if (w->k.st[i].nread && w->k.st[i].last_t > b)
			b = w->k.st[i].last_t;
	return b;
}

static int finish(struct walk *w, int phases, struct wl_power_stream *ps, char *why,
		  size_t whylen, struct wl_error *err)
{
	size_t ch[WL_POWER_STREAM_MAXC] = {0}, n = 0, i;
	double t1 = window_end(w);
	int rc;

	for (i = 0; i < w->k.ds.nch; i++)
		if (w->pc[i].env_ok)
			flush_points(&w->pc[i]);
	for (i = 0; i < w->k.ds.nch && i < w->k.nst; i++)
		if (wl_keep_flush(&w->k, i))
			return wl_error_set(err, "out of memory reading '%s'", w->trace);
	if (!w->started || !(t1 > w->t0))
		return wl_error_set(err, "nothing to plot in '%s': empty time window [%g, %g] s",
				    w->trace, w->started ? w->t0 : 0, w->started ? t1 : 0);
	if ((rc = choose(w, ch, &n, why, whylen)) != 0)
		return rc;
	if (phases) {
		struct wl_phase_opts pho;
		struct wl_error perr = {0};

		wl_phase_opts_init(&pho);
		if (wl_phases_find(&w->k.ds, &pho, &ps->phases, &perr) < 0) {
			snprintf(ps->phase_note, sizeof(ps->phase_note), "%s", perr.msg);
			wl_phase_list_release(&ps->phases);
			wl_phase_list_init(&ps->phases);
		}
	}
	ps->t0 = w->t0;
	ps->t1 = t1;
	for (ps->n = 0; ps->n < n; ps->n++) {
		ps->name[ps->n] = w->k.ds.ch[ch[ps->n]].component;
		if (wl_envelope_rebin(&w->pc[ch[ps->n]].env, w->t0, t1, w->ncols,
				      &ps->env[ps->n]) < 0)
			return wl_error_set(err, "out of memory reading '%s'", w->trace);
	}
	return 0;
}

void wl_power_stream_release(struct wl_power_stream *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		wl_envelope_release(&ps->env[i]);
	wl_phase_list_release(&ps->phases);
	if (ps->keep) {
		wl_keep_release(ps->keep);
		free(ps->keep);
	}
	memset(ps, 0, sizeof(*ps));
	wl_phase_list_init(&ps->phases);
}

int wl_power_stream_read(const char *trace, const struct wl_ingest_opts *io, double t_from,
			 double t_to, size_t ncols, int phases, struct wl_power_stream *out,
			 char *why, size_t whylen, struct wl_error *err)
{
	struct walk w;
	struct wl_step st;
	struct wl_walk *r;
	size_t i;
	int rc;

	memset(&w, 0, sizeof(w));
	memset(out, 0, sizeof(*out));
	wl_phase_list_init(&out->phases);
	w.trace = trace;
	w.io = io;
	w.t_from = t_from;
	w.t_to = isnan(t_to) ? INFINITY : t_to;
	w.ncols = ncols;
	wl_dataset_init(&w.k.ds);
	w.index = malloc(65536 * sizeof(*w.index));
	if (!w.index || !(w.k.ds.path = strdup(trace)) || !(w.k.ds.format = strdup("wattlog"))) {
		rc = wl_error_set(err, "out of memory reading '%s'", trace);
		goto out;
	}
	for (i = 0; i < 65536; i++)
		w.index[i] = -1;
	r = wl_walk_open(trace, err);
	if (!r) {
		rc = -2;
		goto out;
	}
	while ((rc = wl_walk_next(r, &st, err)) == 1)
		if (take(&w, &st, err)) {
			rc = -1;
			break;
		}
	wl_walk_free(r);
	if (rc == 0)
		rc = finish(&w, phases, out, why, whylen, err);
	else if (rc < 0 && strncmp(err->msg, "out of memory", 13))
		rc = -2; /* the reader's I/O error */
out:
	for (i = 0; w.pc && i < w.cappc; i++)
		if (w.pc[i].env_ok)
			wl_envelope_release(&w.pc[i].env);
	free(w.pc);
	free(w.index);
	if (rc == 0 && (out->keep = malloc(sizeof(*out->keep))) != NULL) {
		*out->keep = w.k; /* the result's names and marks point into it */
		out->marks = &out->keep->ds;
		return 0;
	}
	wl_keep_release(&w.k);
	if (rc == 0)
		rc = wl_error_set(err, "out of memory reading '%s'", trace);
	wl_power_stream_release(out);
	return rc;
}
