/*
 * phases_markers.c - phase windows from the workload's markers
 * "begin|end LABEL [ID] [key=value ...]", and the list helpers of phases.h.
 *
 * Pairing: markers in time order (stable for equal times); an end closes
 * the most recent open begin of its key (LABEL, ID, NODE): a hash map from
 * key to a stack of its open windows, so pairing is linear in the number
 * of markers.  Per group (ID and NODE) the open windows form a list in
 * begin order, so a window that ends before a later one of its group is an
 * overlap found in O(1).  depth = windows of the node open at the begin.
 * Everything that does not pair is counted into one note per kind, never a
 * guessed window.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/grow.h"
#include "wattlog/phases.h"
#include "wattlog/strmap.h"
#include "wattlog/trace_format.h"

int wl_phase_list_push(struct wl_phase_list *pl, const struct wl_phase *ph)
{
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? 2 * pl->cap : 16;
		struct wl_phase *p = realloc(pl->p, cap * sizeof(*p));

		if (!p)
			return -1;
		pl->p = p;
		pl->cap = cap;
	}
	pl->p[pl->n++] = *ph;
	return 0;
}

int wl_phase_list_note(struct wl_phase_list *pl, const char *fmt, ...)
{
	char buf[512], *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (pl->nnotes == pl->capnotes) {
		size_t cap = pl->capnotes ? 2 * pl->capnotes : 8;
		char **n = realloc(pl->notes, cap * sizeof(*n));

		if (!n)
			return -1;
		pl->notes = n;
		pl->capnotes = cap;
	}
	if (!(s = strdup(buf)))
		return -1;
	pl->notes[pl->nnotes++] = s;
	return 0;
}


static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next word of [*p, end): its start and length, *p moved past it. */
static size_t word(const char **p, const char *end, const char **w)
{
	const char *s = *p;

	while (s < end && blank(*s))
		s++;
	*w = s;
	while (s < end && !blank(*s))
		s++;
	*p = s;
	return (size_t)(s - *w);
}

int wl_marker_words(const char *text, const char *node, struct wl_marker_words *w)
{
	const char *p = text, *end, *v;
	size_t n;

	memset(w, 0, sizeof(*w));
	end = text + strlen(text);
	if (node && *node) {
		w->node = node;
		w->node_len = strlen(node);
		if ((size_t)(end - text) >= w->node_len + 2 &&
		    !memcmp(end - w->node_len - 2, " @", 2) &&
		    !memcmp(end - w->node_len, node, w->node_len))
			end -= w->node_len + 2; /* the display suffix " @NODE" */
	}
	n = word(&p, end, &v);
	if (n == 5 && !memcmp(v, "begin", 5))
		w->begin = 1;
	else if (!(n == 3 && !memcmp(v, "end", 3)))
		return -1;
	w->label_len = word(&p, end, &w->label);
	if (!w->label_len)
		return -1;
	n = word(&p, end, &v);
	if (n && !memchr(v, '=', n)) {
		w->id = v;
		w->id_len = n;
	} else {
		p = v;
	}
	while (p < end && blank(*p))
		p++;
	w->attrs = p;
	w->attrs_len = (size_t)(end - p);
	while ((n = word(&p, end, &v)))
		if (!memchr(v, '=', n) || *v == '=')
			w->nbad++;
	return 0;
}

/* Appends the key=value words of w to pl->attr; 0 or -1 out of memory. */
static int add_attrs(struct wl_phase_list *pl, const struct wl_marker_words *w)
{
	const char *p = w->attrs, *end = w->attrs + w->attrs_len, *v, *eq;
	size_t n;

	while ((n = word(&p, end, &v))) {
		struct wl_phase_attr *a;
		char *e;

		if (!(eq = memchr(v, '=', n)) || eq == v)
			continue;
		if (pl->nattr == pl->capattr) {
			size_t cap = pl->capattr ? 2 * pl->capattr : 16;
			struct wl_phase_attr *na = realloc(pl->attr, cap * sizeof(*na));

			if (!na)
				return -1;
			pl->attr = na;
			pl->capattr = cap;
		}
		a = &pl->attr[pl->nattr];
		snprintf(a->key, sizeof(a->key), "%.*s", (int)(eq - v), v);
		if (!(a->text = strndup(eq + 1, (size_t)(v + n - eq - 1))))
			return -1;
		a->num = strtod(a->text, &e);
		if (e == a->text || *e || !isfinite(a->num))
			a->num = NAN;
		pl->nattr++;
	}
	return 0;
}

/* One kind of marker that did not pair: how many, and the first. */
struct tally {
	size_t n;
	char first[400];
};

static void tally(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tally(struct tally *t, const char *fmt, ...)
{
	va_list ap;

	if (t->n++)
		return;
	va_start(ap, fmt);
	vsnprintf(t->first, sizeof(t->first), fmt, ap);
	va_end(ap);
}

/* One note per kind: the case itself when alone, else the count and the first. */
static void tally_note(struct wl_phase_list *out, const struct tally *t, const char *many)
{
	if (t->n == 1)
		wl_phase_list_note(out, "%s", t->first);
	else if (t->n > 1)
		wl_phase_list_note(out, "%zu %s; the first: %s", t->n, many, t->first);
}

struct win {
	size_t mk;      /* the begin marker in ds->mk */
	long prev_same; /* the window of the same key open before it, -1 none */
	long gprev, gnext; /* its group's open windows, in begin order */
	int depth;
};

/* A key: the words joined by NULs (words never hold one). */
struct keybuf {
	char *s;
	size_t cap;
};

static const char *key(struct keybuf *kb, size_t *len, const char *a, size_t la, const char *b,
		       size_t lb, const char *c, size_t lc)
{
	size_t need = la + lb + lc + 2;

	if (need > kb->cap) {
		char *s = realloc(kb->s, need);

		if (!s)
			return NULL;
		kb->s = s;
		kb->cap = need;
	}
	memcpy(kb->s, a, la);
	kb->s[la] = 0;
	memcpy(kb->s + la + 1, b, lb);
	kb->s[la + 1 + lb] = 0;
	memcpy(kb->s + la + lb + 2, c, lc);
	*len = need;
	return kb->s;
}

static int cmp_ix(const void *a, const void *b, void *arg)
{
	const struct wl_marker *mk = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (mk[x].t != mk[y].t)
		return mk[x].t < mk[y].t ? -1 : 1;
	return (x > y) - (x < y);
}

/* Indices of ds->mk in time order, stable. */
static size_t *sorted_markers(const struct wl_dataset *ds, int *was_sorted)
{
	size_t *ix = calloc(ds->nmk + 1, sizeof(*ix)), i;

	*was_sorted = 1;
	if (!ix)
		return NULL;
	for (i = 0; i < ds->nmk; i++) {
		ix[i] = i;
		if (i && ds->mk[i].t < ds->mk[i - 1].t)
			*was_sorted = 0;
	}
	if (!*was_sorted)
		qsort_r(ix, ds->nmk, sizeof(*ix), cmp_ix, ds->mk);
	return ix;
}

static int cmp_phase(const void *a, const void *b)
{
	const struct wl_phase *x = a, *y = b;

	if (x->start_s != y->start_s)
		return x->start_s < y->start_s ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return (x->end_s > y->end_s) - (x->end_s < y->end_s);
}

static void fill_label(struct wl_phase *ph, const struct wl_marker_words *w)
{
	snprintf(ph->label, sizeof(ph->label), "%.*s%s%.*s%s%.*s", (int)w->label_len, w->label,
		 w->id_len ? " " : "", (int)w->id_len, w->id ? w->id : "",
		 w->node_len ? " @" : "", (int)w->node_len, w->node ? w->node : "");
	snprintf(ph->name, sizeof(ph->name), "%.*s", (int)w->label_len, w->label);
	snprintf(ph->id, sizeof(ph->id), "%.*s", (int)w->id_len, w->id ? w->id : "");
	snprintf(ph->node, sizeof(ph->node), "%.*s", (int)w->node_len, w->node ? w->node : "");
}

struct pairing {
	const struct wl_dataset *ds;
	struct wl_phase_list *out;
	int truth;
	struct win *w;
	size_t nw;
	struct wl_strmap keys, groups, nodes; /* -> top window, last window, open count */
	long open_whole; /* open windows without a node */
	struct keybuf *kb; /* match()'s: outside *p, so scan-build sees it freed */
	struct tally neither, unmatched, never, overlap, badattr;
	struct suspect {  /* windows closed before a later one of their group */
		long later;
		double t0, t1;
		char label[64];
	} *susp;
	size_t nsusp, capsusp;
};

/* The suspects of one instant, once all its markers are read: an overlap
 * when the later window is still open (markers of one instant come in the
 * order of the file, which may close the outer window first). */
static void settle(struct pairing *p)
{
	size_t i;

	for (i = 0; i < p->nsusp; i++) {
		const struct win *l = &p->w[p->susp[i].later];

		if (l->mk != SIZE_MAX)
			tally(&p->overlap, "overlapping %ss: '%s' [%.3f, %.3f] s ends while '%s' "
			      "begun at %.3f s is open", p->truth ? "truth marker" : "marker",
			      p->susp[i].label, p->susp[i].t0, p->susp[i].t1,
			      p->ds->mk[l->mk].text + 6, p->ds->mk[l->mk].t);
	}
	p->nsusp = 0;
}

static int on_begin(struct pairing *p, size_t mi, const struct wl_marker_words *mw)
{
	long *top, *tail, *cnt;
	size_t len;
	const char *k;
	struct win *w = &p->w[p->nw];

	if (!mw->node_len)
		cnt = &p->open_whole; /* the common case, without a map */
	else if (!(k = key(p->kb, &len, mw->node, mw->node_len, "", 0, "", 0)) ||
		 !(cnt = wl_strmap_slot(&p->nodes, k, len, 0)))
		return -1;
	w->depth = (int)(*cnt)++;
	w->mk = mi;
	w->gnext = -1;
	if (!(k = key(p->kb, &len, mw->id ? mw->id : "", mw->id_len, mw->node ? mw->node : "",
		      mw->node_len, "", 0)) ||
	    !(tail = wl_strmap_slot(&p->groups, k, len, -1)))
		return -1;
	w->gprev = *tail;
	if (*tail >= 0)
		p->w[*tail].gnext = (long)p->nw;
	*tail = (long)p->nw;
	if (!(k = key(p->kb, &len, mw->label, mw->label_len, mw->id ? mw->id : "", mw->id_len,
		      mw->node ? mw->node : "", mw->node_len)) ||
	    !(top = wl_strmap_slot(&p->keys, k, len, -1)))
		return -1;
	w->prev_same = *top;
	*top = (long)p->nw++;
	return 0;
}

/* Closes window wi (open, top of its key) at end marker m. */
static int close_win(struct pairing *p, long wi, long *top, const struct wl_marker *m,
		     const struct wl_marker_words *mw)
{
	struct win *w = &p->w[wi];
	const struct wl_marker *b = &p->ds->mk[w->mk];
	struct wl_marker_words bw;
	struct wl_phase ph;
	const char *k;
	long *tail, *cnt;
	size_t len;

	*top = w->prev_same;
	memset(&ph, 0, sizeof(ph));
	wl_marker_words(b->text, b->node, &bw);
	fill_label(&ph, &bw);
	ph.start_s = b->t;
	ph.end_s = m->t;
	ph.energy_j = ph.avg_power_w = ph.peak_power_w = NAN;
	ph.confidence = 1.0;
	ph.source = p->truth ? WL_PHASE_TRUTH : WL_PHASE_MARKERS;
	ph.depth = w->depth;
	ph.attr0 = p->out->nattr;
	if (add_attrs(p->out, &bw) < 0 || add_attrs(p->out, mw) < 0)
		return -1;
	ph.nattr = p->out->nattr - ph.attr0;
	if (w->gnext >= 0) { /* an overlap unless the later one ends at the same time */
		if (wl_grow((void **)&p->susp, &p->capsusp, p->nsusp + 1, sizeof(*p->susp)) < 0)
			return -1;
		p->susp[p->nsusp].later = w->gnext;
		p->susp[p->nsusp].t0 = ph.start_s;
		p->susp[p->nsusp].t1 = ph.end_s;
		memcpy(p->susp[p->nsusp++].label, ph.label, sizeof(ph.label));
	}
	if (wl_phase_list_push(p->out, &ph) < 0)
		return -1;
	/* unlink from its group's open list */
	if (w->gnext >= 0)
		p->w[w->gnext].gprev = w->gprev;
	if (w->gprev >= 0)
		p->w[w->gprev].gnext = w->gnext;
	if (w->gnext < 0) {
		if (!(k = key(p->kb, &len, mw->id ? mw->id : "", mw->id_len,
			      mw->node ? mw->node : "", mw->node_len, "", 0)))
			return -1;
		if ((tail = wl_strmap_find(&p->groups, k, len)))
			*tail = w->gprev;
	}
	if (!bw.node_len)
		p->open_whole--;
	else if (!(k = key(p->kb, &len, bw.node, bw.node_len, "", 0, "", 0)))
		return -1;
	else if ((cnt = wl_strmap_find(&p->nodes, k, len)))
		(*cnt)--;
	w->mk = SIZE_MAX; /* closed */
	return 0;
}

static int on_end(struct pairing *p, const struct wl_marker *m, const struct wl_marker_words *mw)
{
	const char *what = p->truth ? "truth marker" : "marker";
	size_t len;
	const char *k = key(p->kb, &len, mw->label, mw->label_len, mw->id ? mw->id : "",
			    mw->id_len, mw->node ? mw->node : "", mw->node_len);
	long *top;

	if (!k)
		return -1;
	top = wl_strmap_find(&p->keys, k, len);
	if (!top || *top < 0) {
		tally(&p->unmatched, "unmatched %s '%s' at %.3f s: no open 'begin %s'", what,
		      m->text, m->t, m->text + 4);
		return 0;
	}
	return close_win(p, *top, top, m, mw);
}

static int pair_all(struct pairing *p, const size_t *ix)
{
	const struct wl_dataset *ds = p->ds;
	const char *what = p->truth ? "truth marker" : "marker";
	size_t i;

	for (i = 0; i < ds->nmk; i++) {
		const struct wl_marker *m = &ds->mk[ix[i]];
		struct wl_marker_words mw;

		if (p->nsusp && m->t != ds->mk[ix[i - 1]].t)
			settle(p);
		if (!!(m->flags & WL_MARKER_TRUTH) != p->truth)
			continue;
		if (wl_marker_words(m->text, m->node, &mw) < 0) {
			tally(&p->neither, "%s '%s' at %.3f s is neither 'begin LABEL [ID]' nor "
			      "'end LABEL [ID]': ignored", what, m->text, m->t);
			continue;
		}
		if (mw.nbad)
			tally(&p->badattr, "%s '%s' at %.3f s: a word after LABEL ID is not "
			      "key=value: left out of its attributes", what, m->text, m->t);
		if (mw.begin ? on_begin(p, ix[i], &mw) : on_end(p, m, &mw))
			return -1;
	}
	settle(p);
	for (i = 0; i < p->nw; i++)
		if (p->w[i].mk != SIZE_MAX)
			tally(&p->never, "unmatched %s '%s' at %.3f s: never ended", what,
			      ds->mk[p->w[i].mk].text, ds->mk[p->w[i].mk].t);
	return 0;
}

static int match(const struct wl_dataset *ds, int truth, struct wl_phase_list *out,
		 struct wl_error *err)
{
	struct pairing p;
	struct keybuf kb;
	size_t *ix, nwin0 = out->n;
	int sorted, rc;

	memset(&p, 0, sizeof(p));
	memset(&kb, 0, sizeof(kb));
	p.kb = &kb;
	p.ds = ds;
	p.out = out;
	p.truth = truth;
	wl_strmap_init(&p.keys);
	wl_strmap_init(&p.groups);
	wl_strmap_init(&p.nodes);
	ix = sorted_markers(ds, &sorted);
	p.w = calloc(ds->nmk + 1, sizeof(*p.w));
	rc = ix && p.w ? pair_all(&p, ix) : -1;
	if (rc == 0) {
		tally_note(out, &p.unmatched, "end markers have no open begin of their LABEL and ID");
		tally_note(out, &p.never, "begin markers were never ended");
		tally_note(out, &p.neither, "markers are neither 'begin LABEL [ID]' nor "
			   "'end LABEL [ID]' and were ignored");
		tally_note(out, &p.overlap, "windows end while a later window of the same ID "
			   "(or both without ID) is open: they overlap without nesting");
		tally_note(out, &p.badattr, "markers have words after LABEL ID that are not "
			   "key=value");
		if (!sorted)
			wl_phase_list_note(out, "%ss are out of time order in the file: matched in "
					   "time order", truth ? "truth marker" : "marker");
	}
	free(ix);
	free(p.w);
	free(p.susp);
	free(kb.s);
	wl_strmap_release(&p.keys);
	wl_strmap_release(&p.groups);
	wl_strmap_release(&p.nodes);
	if (rc < 0)
		return wl_error_set(err, "out of memory matching markers");
	if (out->n > 1)
		qsort(out->p, out->n, sizeof(*out->p), cmp_phase);
	return (int)(out->n - nwin0);
}

int wl_phases_markers(const struct wl_dataset *ds, struct wl_phase_list *out,
		      struct wl_error *err)
{
	return match(ds, 0, out, err);
}

int wl_phases_truth(const struct wl_dataset *ds, struct wl_phase_list *out,
		    struct wl_error *err)
{
	return match(ds, 1, out, err);
}
