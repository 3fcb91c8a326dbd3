/*
 * requests.c - request-scoped energy by equal split (see requests.h).
 *
 * A sweep over the window edges in time order keeps k, the number of
 * requests open, and two running integrals:
 *     S(t) = integral of P / k over the time with k > 0 (J per open request)
 *     C(t) = integral of k dt
 * so a request open on [a, b] gets S(b) - S(a) and a mean concurrency of
 * (C(b) - C(a)) / (b - a).  Each request remembers the S at its last edge;
 * at each edge of its own phases the part since then goes to the phases it
 * had open (equally), or to its unphased part.  P between two edges is
 * integrated by wl_series_energy over the components the total counts
 * (wl_component_in_total), the rule of the report's total and the phases.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/requests.h"
#include "wattlog/strmap.h"

const char *wl_requests_rule(void)
{
	return "the energy of each instant is split equally among the requests open at that "
	       "instant; within a request, its share goes to its open phase (split equally "
	       "when several are open, 'unphased' when none)";
}

void wl_request_list_init(struct wl_request_list *rl)
{
	memset(rl, 0, sizeof(*rl));
}

void wl_request_list_release(struct wl_request_list *rl)
{
	free(rl->r);
	free(rl->label);
	free(rl->phase_j);
	free(rl->label_total_j);
	wl_request_list_init(rl);
}

enum ev_kind { REQ_BEGIN, PH_BEGIN, PH_END, REQ_END }; /* order at equal times */

struct ev {
	double t;
	int kind;
	size_t w; /* window in the list */
};

static int cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return (x->w > y->w) - (x->w < y->w);
}

/* Per window during the sweep. */
struct wstate {
	long req;       /* requests: its row; phases: its request's window while
			   attributed, -1 none */
	long owner;     /* phases: its request's window, -1 none */
	long next_open; /* phases: the next open phase of the same request */
	double acc_j;   /* phases: energy so far */
	/* requests: */
	double s_begin, s_last, c_begin;
	long open_phases; /* head of its open phases */
	int nopen;
};

struct sweep {
	const struct wl_series *comps;
	const int *in_total;
	size_t ncomp, nusable;
	double t, S, C;
	long k;
	double unattributed, attributed;
};

/* Whether s has any power value: a counter that never changed has none,
 * and its energy is unknown, not 0 J (as in the report, energy_compute.c). */
static int has_power(const struct wl_series *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!isnan(s->p[i]))
			return 1;
	return 0;
}

/* P integrated over [a, b] by the report's rule; NaN without power. */
static double energy(const struct sweep *sw, double a, double b)
{
	double e = 0;
	size_t c;

	if (!sw->nusable)
		return NAN;
	for (c = 0; c < sw->ncomp; c++)
		if (sw->in_total[c])
			e += wl_series_energy(&sw->comps[c], a, b);
	return e;
}

static void advance(struct sweep *sw, double t)
{
	double e;

	if (!(t > sw->t))
		return;
	e = energy(sw, sw->t, t);
	if (sw->k > 0) {
		sw->S += e / (double)sw->k;
		sw->C += (double)sw->k * (t - sw->t);
		sw->attributed += e;
	} else {
		sw->unattributed += e;
	}
	sw->t = t;
}

/* Gives request w's share since its last edge to its open phases. */
static void flush(struct wstate *st, struct wl_request *rq, size_t w, double S)
{
	struct wstate *r = &st[w];
	double d = S - r->s_last;
	long p;

	if (!r->nopen)
		rq->unphased_j += d;
	for (p = r->open_phases; p >= 0; p = st[p].next_open)
		st[p].acc_j += d / r->nopen;
	r->s_last = S;
}

/* Key of window p for the map of open requests: ID, NUL, node. */
static size_t req_key(const struct wl_phase *p, char *buf, size_t sz)
{
	size_t nl = strlen(p->node), il = strlen(p->id);

	if (il + nl + 2 > sz)
		nl = 0;
	memcpy(buf, p->id, il);
	buf[il] = 0;
	memcpy(buf + il + 1, p->node, nl);
	return il + 1 + nl;
}

static int is_request(const struct wl_phase *p)
{
	return p->source == WL_PHASE_MARKERS && !strcmp(p->name, WL_REQUEST_LABEL);
}

static int is_phase(const struct wl_phase *p)
{
	return p->source == WL_PHASE_MARKERS && !is_request(p) && p->id[0];
}

static void on_event(struct sweep *sw, const struct ev *e, const struct wl_phase_list *win,
		     struct wstate *st, struct wl_request_list *out, struct wl_strmap *open)
{
	const struct wl_phase *p = &win->p[e->w];
	struct wstate *s = &st[e->w];
	char kb[160];
	size_t kl = req_key(p, kb, sizeof(kb));
	long *slot, r, *pp;

	switch (e->kind) {
	case REQ_BEGIN:
		s->s_begin = s->s_last = sw->S;
		s->c_begin = sw->C;
		s->open_phases = -1;
		sw->k++;
		if ((slot = wl_strmap_find(open, kb, kl)))
			*slot = (long)e->w;
		break;
	case PH_BEGIN:
		slot = wl_strmap_find(open, kb, kl);
		if (!slot || *slot < 0) {
			out->orphan_phases++;
			break;
		}
		r = *slot;
		flush(st, &out->r[st[r].req], (size_t)r, sw->S);
		s->req = s->owner = r;
		s->next_open = st[r].open_phases;
		st[r].open_phases = (long)e->w;
		st[r].nopen++;
		break;
	case PH_END:
		if ((r = s->req) < 0)
			break;
		flush(st, &out->r[st[r].req], (size_t)r, sw->S);
		for (pp = &st[r].open_phases; *pp >= 0; pp = &st[*pp].next_open)
			if (*pp == (long)e->w) {
				*pp = s->next_open;
				st[r].nopen--;
				break;
			}
		break;
	case REQ_END: {
		struct wl_request *rq = &out->r[s->req];
		double dur = p->end_s - p->start_s;

		flush(st, rq, e->w, sw->S);
		rq->energy_j = sw->S - s->s_begin;
		rq->mean_concurrency = dur > 0 ? (sw->C - s->c_begin) / dur : NAN;
		rq->avg_power_w = dur > 0 ? rq->energy_j / dur : NAN;
		for (pp = &s->open_phases; *pp >= 0; pp = &st[*pp].next_open) {
			st[*pp].req = -1; /* its energy stops here */
			out->phases_past_end++;
		}
		s->open_phases = -1;
		s->nopen = 0;
		sw->k--;
		if ((slot = wl_strmap_find(open, kb, kl)) && *slot == (long)e->w)
			*slot = -1;
		break;
	}
	}
}

/* Rows, labels and the per-label matrix, before the sweep. */
static int setup(const struct wl_phase_list *win, struct wl_request_list *out,
		 struct wstate *st, struct wl_strmap *open, struct wl_strmap *labels)
{
	size_t i, n = 0;
	char kb[160];

	for (i = 0; i < win->n; i++)
		n += is_request(&win->p[i]);
	out->r = calloc(n ? n : 1, sizeof(*out->r));
	out->label = calloc(win->n ? win->n : 1, sizeof(*out->label));
	if (!out->r || !out->label)
		return -1;
	for (i = 0; i < win->n; i++) {
		const struct wl_phase *p = &win->p[i];
		const char *txt;

		st[i].req = st[i].owner = -1;
		st[i].next_open = st[i].open_phases = -1;
		if (is_phase(p)) {
			long *li = wl_strmap_slot(labels, p->name, strlen(p->name), -1);

			if (!li)
				return -1;
			if (*li < 0) {
				*li = (long)out->nlabels;
				memcpy(out->label[out->nlabels++], p->name, sizeof(out->label[0]));
			}
		}
		if (!is_request(p))
			continue;
		{
			struct wl_request *rq = &out->r[out->n];

			memset(rq, 0, sizeof(*rq));
			memcpy(rq->id, p->id, sizeof(rq->id));
			rq->start_s = p->start_s;
			rq->end_s = p->end_s;
			rq->duration_s = p->end_s - p->start_s;
			rq->win = i;
			rq->tokens_in = wl_phase_attr_num(win, p, "tokens_in", NULL);
			rq->tokens_out = wl_phase_attr_num(win, p, "tokens_out", &txt);
			if (!txt)
				rq->tokens_out = wl_phase_attr_num(win, p, "tokens", NULL);
			st[i].req = (long)out->n++;
		}
		if (!wl_strmap_slot(open, kb, req_key(p, kb, sizeof(kb)), -1))
			return -1;
	}
	out->phase_j = malloc((out->n * out->nlabels + 1) * sizeof(double));
	out->label_total_j = calloc(out->nlabels + 1, sizeof(double));
	if (!out->phase_j || !out->label_total_j)
		return -1;
	for (i = 0; i < out->n * out->nlabels; i++)
		out->phase_j[i] = NAN;
	return 0;
}

static int sweep_all(const struct wl_dataset *ds, const struct wl_phase_list *win,
		     struct wl_request_list *out, struct wstate *st, struct wl_strmap *open,
		     struct wl_strmap *labels, struct sweep *sw)
{
	struct ev *ev = malloc((2 * win->n + 1) * sizeof(*ev));
	size_t i, nev = 0;
	double first = 0, last = 0;

	if (!ev)
		return -1;
	for (i = 0; i < win->n; i++) {
		const struct wl_phase *p = &win->p[i];
		int rq = is_request(p);

		if (!rq && !is_phase(p))
			continue;
		ev[nev++] = (struct ev){ p->start_s, rq ? REQ_BEGIN : PH_BEGIN, i };
		ev[nev++] = (struct ev){ p->end_s, rq ? REQ_END : PH_END, i };
	}
	qsort(ev, nev, sizeof(*ev), cmp_ev);
	wl_dataset_span(ds, &first, &last);
	if (nev && ev[0].t < first)
		first = ev[0].t;
	if (nev && ev[nev - 1].t > last)
		last = ev[nev - 1].t;
	sw->t = first;
	for (i = 0; i < nev; i++) {
		advance(sw, ev[i].t);
		on_event(sw, &ev[i], win, st, out, open);
	}
	advance(sw, last);
	out->total_energy_j = energy(sw, first, last);
	free(ev);
	/* phase energies into the matrix */
	for (i = 0; i < win->n; i++) {
		const struct wl_phase *p = &win->p[i];
		long r = st[i].owner, *li;
		double *cell;

		if (!is_phase(p) || r < 0)
			continue;
		li = wl_strmap_find(labels, p->name, strlen(p->name));
		cell = &out->phase_j[(size_t)st[r].req * out->nlabels + (size_t)*li];
		*cell = (isnan(*cell) ? 0 : *cell) + st[i].acc_j;
	}
	return 0;
}

/* The distribution of field off of the requests (NaN skipped). */
static int dist(const struct wl_request_list *rl, size_t off, struct wl_request_dist *d)
{
	double *v = malloc((rl->n + 1) * sizeof(*v));
	struct wl_metric_stats ms;
	size_t i;

	d->n = 0;
	d->mean = d->p50 = d->p95 = d->p99 = NAN;
	if (!v)
		return -1;
	for (i = 0; i < rl->n; i++) {
		double x;

		memcpy(&x, (const char *)&rl->r[i] + off, sizeof(x));
		if (!isnan(x))
			v[d->n++] = x;
	}
	if (d->n && wl_stats_compute(NULL, v, d->n, 0, &ms) < 0) {
		free(v);
		return -1;
	}
	if (d->n) {
		d->mean = ms.avg;
		d->p50 = ms.p50;
		d->p95 = ms.p95;
		d->p99 = ms.p99;
	}
	free(v);
	return 0;
}

int wl_requests_compute(const struct wl_dataset *ds, const struct wl_phase_list *win,
			struct wl_request_list *out, struct wl_error *err)
{
	struct wl_series *comps = NULL;
	struct wl_strmap open, labels;
	struct wstate *st = calloc(win->n + 1, sizeof(*st));
	int *in_total = NULL, rc = -1;
	struct sweep sw;
	size_t ncomp = 0, i, j;

	memset(&sw, 0, sizeof(sw));
	wl_strmap_init(&open);
	wl_strmap_init(&labels);
	if (wl_power_components(ds, &comps, &ncomp, err) < 0) {
		for (i = 0; i < ds->nch; i++)
			if (wl_channel_is_power(&ds->ch[i]))
				goto out;
		comps = NULL; /* no power at all: energies stay NaN */
		ncomp = 0;
	}
	in_total = calloc(ncomp + 1, sizeof(*in_total));
	if (!st || !in_total)
		goto oom;
	for (i = 0; i < ncomp; i++) {
		in_total[i] = wl_component_in_total(&comps[i], comps, ncomp) &&
			      has_power(&comps[i]);
		sw.nusable += (size_t)in_total[i];
	}
	sw.comps = comps;
	sw.in_total = in_total;
	sw.ncomp = ncomp;
	if (setup(win, out, st, &open, &labels) < 0 ||
	    sweep_all(ds, win, out, st, &open, &labels, &sw) < 0)
		goto oom;
	out->unattributed_energy_j = sw.nusable ? sw.unattributed : NAN;
	for (i = 0; i < out->n; i++) {
		struct wl_request *rq = &out->r[i];

		out->requests_energy_j += rq->energy_j;
		out->unphased_total_j += rq->unphased_j;
		rq->j_per_token = rq->tokens_out > 0 ? rq->energy_j / rq->tokens_out : NAN;
		for (j = 0; j < out->nlabels; j++)
			if (!isnan(out->phase_j[i * out->nlabels + j]))
				out->label_total_j[j] += out->phase_j[i * out->nlabels + j];
	}
	if (!sw.nusable) {
		for (i = 0; i < out->n; i++)
			out->r[i].energy_j = out->r[i].unphased_j = out->r[i].avg_power_w =
				out->r[i].j_per_token = NAN;
		out->requests_energy_j = out->unphased_total_j = NAN;
	}
	if (dist(out, offsetof(struct wl_request, energy_j), &out->energy) < 0 ||
	    dist(out, offsetof(struct wl_request, j_per_token), &out->j_per_token) < 0 ||
	    dist(out, offsetof(struct wl_request, duration_s), &out->latency) < 0)
		goto oom;
	rc = 0;
	goto out;
oom:
	wl_error_set(err, "out of memory attributing request energy");
out:
	for (i = 0; i < ncomp; i++)
		wl_series_release(&comps[i]);
	free(comps);
	free(in_total);
	free(st);
	wl_strmap_release(&open);
	wl_strmap_release(&labels);
	return rc;
}
