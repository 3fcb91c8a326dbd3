/*
 * fig_power_stream.c - the power figure of a wattlog trace read record by
 * record (plot.h, wl_fig_power_trace): memory O(channels x pixel columns
 * + channels x WL_STREAM_PHASE_POINTS + markers), whatever the trace's
 * length.
 *
 * It draws what wl_fig_power draws from the loaded trace, sample for
 * sample: records walked by the trace walker (walk.h: time origin,
 * physical values) and taken by wl_trace_take as wl_ingest_trace does,
 * counters to watts by wl_counter_norm_step (normalize.c's rule), gauges v x unit
 * factor, the component choice of components.c, the legend order of
 * plot_data.c and the binning both paths share (wl_fig_power_env_open,
 * wl_envelope_rebin).  Where it may differ:
 *   - a component summed from several channels of its best class (two
 *     RAPL packages): wl_series_sum aligns them on the grid of the channel
 *     with the most points, known only at the end; such a trace is left to
 *     the in-memory path (return 1);
 *   - the window starts at the first sample record read (the loaded
 *     trace: the earliest first sample of any channel; the same for a
 *     recorder's trace, whose records are in time order);
 *   - phases come from the bounded copy (fig_power_keep.c): the same as in
 *     memory while every channel has fewer than WL_STREAM_PHASE_POINTS
 *     samples, else found on means of 2^k samples (a boundary may move by
 *     about one such group).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_power_stream.h"
#include "plot_int.h"
#include "wattlog/analysis.h"
#include "wattlog/energy_rule.h"
#include "wattlog/grow.h"
#include "wattlog/ingest.h"
#include "wattlog/stream.h"
#include "wattlog/walk.h"

#define MAXC 64
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
	const struct wl_plot_opts *o;
	const struct wl_ingest_opts *io;
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
	if (wl_fig_power_env_open(&p->env, w->t0, w->ncols) < 0)
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
		w->t0 = isnan(w->o->t_from) ? t : w->o->t_from;
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

struct item {
	const char *name;
	size_t ch;
};

static int by_name(const void *a, const void *b)
{
	return wl_plot_name_cmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}

/* The chosen channel of each component, in legend order: *n items, or
 * 1 with why set when a component needs a sum of several channels. */
static int choose(struct walk *w, struct item *it, size_t *n, char *why, size_t whylen)
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
			k = wl_energy_class(ds->ch[j].kind == WL_DS_COUNTER, ds->ch[j].name);
			if (k < best) {
				best = k;
				cnt = 0;
			}
			if (k == best && !cnt++)
				it[m].ch = j;
		}
		if (cnt > 1) {
			snprintf(why, whylen, "component '%s' is the sum of %zu channels", comp, cnt);
			return 1;
		}
		it[m++].name = comp;
	}
	qsort(it, m, sizeof(*it), by_name);
	*n = m > MAXC ? MAXC : m;
	return 0;
}

/* The end of the window: --to, else the latest last sample of any channel
 * (wl_dataset_span over the loaded trace). */
static double window_end(const struct walk *w)
{
	double b = -INFINITY;
	size_t i;

	if (!isnan(w->o->t_to))
		return w->o->t_to;
	for (i = 0; i < w->k.ds.nch && i < w->k.nst; i++)
		if (w->k.st[i].nread && w->k.st[i].last_t > b)
			b = w->k.st[i].last_t;
	return b;
}

static int draw(struct walk *w, int phases, const char *path, char *why, size_t whylen,
		struct wl_error *err)
{
	struct item *it = malloc((w->k.ds.nch ? w->k.ds.nch : 1) * sizeof(*it));
	struct wl_envelope env[MAXC];
	const char *names[MAXC];
	struct wl_phase_list pl;
	struct wl_phase_opts pho;
	size_t n = 0, i = 0;
	double t1 = window_end(w);
	int rc = -1;

	wl_phase_list_init(&pl);
	if (!it)
		return wl_error_set(err, "out of memory for figure '%s'", path);
	for (i = 0; i < w->k.ds.nch; i++)
		if (w->pc[i].env_ok)
			flush_points(&w->pc[i]);
	for (i = 0; i < w->k.ds.nch && i < w->k.nst; i++)
		if (wl_keep_flush(&w->k, i)) {
			wl_error_set(err, "out of memory reading '%s'", w->trace);
			goto out;
		}
	if (!w->started || !(t1 > w->t0)) {
		wl_error_set(err, "nothing to plot in '%s': empty time window [%g, %g] s",
			     w->trace, w->started ? w->t0 : 0, w->started ? t1 : 0);
		goto out;
	}
	if ((rc = choose(w, it, &n, why, whylen)) != 0)
		goto out;
	rc = -1;
	if (phases) {
		wl_phase_opts_init(&pho);
		if (wl_phases_find(&w->k.ds, &pho, &pl, err) < 0) {
			fprintf(stderr, "wattlog plot: no phases shaded: %s\n", err->msg);
			wl_phase_list_release(&pl);
			wl_phase_list_init(&pl);
		}
	}
	for (i = 0; i < n; i++) {
		names[i] = it[i].name;
		if (wl_envelope_rebin(&w->pc[it[i].ch].env, w->t0, t1, w->ncols, &env[i]) < 0) {
			wl_error_set(err, "out of memory for figure '%s'", path);
			goto out_env;
		}
	}
	rc = wl_fig_power_env(names, env, n, &pl, &w->k.ds, w->o, path, err);
out_env:
	while (i-- > 0)
		wl_envelope_release(&env[i]);
out:
	wl_phase_list_release(&pl);
	free(it);
	return rc;
}

int wl_fig_power_trace(const char *trace, const struct wl_ingest_opts *io, int phases,
		       const struct wl_plot_opts *o, const char *path, char *why, size_t whylen,
		       struct wl_error *err)
{
	struct walk w;
	struct wl_step st;
	struct wl_walk *r;
	size_t i;
	int rc;

	memset(&w, 0, sizeof(w));
	w.trace = trace;
	w.o = o;
	w.io = io;
	w.t_to = isnan(o->t_to) ? INFINITY : o->t_to;
	w.ncols = wl_fig_power_columns(o);
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
		rc = draw(&w, phases, path, why, whylen, err);
	else if (rc < 0 && strncmp(err->msg, "out of memory", 13))
		rc = -2; /* the reader's I/O error */
out:
	for (i = 0; w.pc && i < w.cappc; i++)
		if (w.pc[i].env_ok)
			wl_envelope_release(&w.pc[i].env);
	free(w.pc);
	free(w.index);
	wl_keep_release(&w.k);
	return rc;
}
