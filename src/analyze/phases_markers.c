/*
 * phases_markers.c - phase windows from the workload's "begin NAME" /
 * "end NAME" markers, and the list helpers of phases.h.
 *
 * Matching: markers in time order (stable for equal times); "end NAME"
 * closes the most recent open "begin NAME" (a stack per name, so same-name
 * windows nest); depth = windows open when the window begins.  Everything
 * that does not pair is a note, never a guessed window.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/phases.h"
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

struct open_win {
	const char *name; /* points into the marker text */
	double t;
	size_t order;     /* position in the stack of all open windows */
	int depth;
};


/* Indices of ds->mk sorted by time, stable (insertion sort: markers are few
 * and nearly sorted). */
static size_t *sorted_markers(const struct wl_dataset *ds, int *was_sorted)
{
	size_t *ix = malloc((ds->nmk + 1) * sizeof(*ix)), i, j;

	*was_sorted = 1;
	if (!ix)
		return NULL;
	for (i = 0; i < ds->nmk; i++) {
		size_t v = i;

		for (j = i; j > 0 && ds->mk[ix[j - 1]].t > ds->mk[v].t; j--)
			ix[j] = ix[j - 1];
		if (j != i)
			*was_sorted = 0;
		ix[j] = v;
	}
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

static int match(const struct wl_dataset *ds, int truth, struct wl_phase_list *out,
		 struct wl_error *err)
{
	struct open_win *open = NULL;
	size_t nopen = 0, i, nwin = 0, *ix;
	int sorted;
	const char *what = truth ? "truth marker" : "marker";

	ix = sorted_markers(ds, &sorted);
	open = malloc((ds->nmk + 1) * sizeof(*open));
	if (!ix || !open) {
		free(ix);
		free(open);
		return wl_error_set(err, "out of memory matching markers");
	}
	for (i = 0; i < ds->nmk; i++) {
		const struct wl_marker *m = &ds->mk[ix[i]];
		int is_truth = !!(m->flags & WL_MARKER_TRUTH);
		size_t k;

		if (is_truth != truth)
			continue;
		if (!strncmp(m->text, "begin ", 6) && m->text[6]) {
			open[nopen].name = m->text + 6;
			open[nopen].t = m->t;
			/* depth: windows of the same node (merge.h) open around it */
			open[nopen].depth = 0;
			for (k = 0; k < nopen; k++)
				open[nopen].depth += wl_phase_same_node(open[k].name, m->text + 6);
			nopen++;
			continue;
		}
		if (strncmp(m->text, "end ", 4) || !m->text[4]) {
			wl_phase_list_note(out, "%s '%s' at %.3f s is neither 'begin NAME' nor "
					   "'end NAME': ignored", what, m->text, m->t);
			continue;
		}
		for (k = nopen; k > 0; k--)
			if (!strcmp(open[k - 1].name, m->text + 4))
				break;
		if (k == 0) {
			wl_phase_list_note(out, "unmatched %s '%s' at %.3f s: no open 'begin %s'",
					   what, m->text, m->t, m->text + 4);
			continue;
		}
		k--;
		{
			struct wl_phase ph;
			size_t q;

			memset(&ph, 0, sizeof(ph));
			snprintf(ph.label, sizeof(ph.label), "%s", open[k].name);
			ph.start_s = open[k].t;
			ph.end_s = m->t;
			ph.energy_j = ph.avg_power_w = ph.peak_power_w = NAN;
			ph.confidence = 1.0;
			ph.source = truth ? WL_PHASE_TRUTH : WL_PHASE_MARKERS;
			ph.depth = open[k].depth;
			if (wl_phase_list_push(out, &ph) < 0) {
				free(ix);
				free(open);
				return wl_error_set(err, "out of memory matching markers");
			}
			nwin++;
			/* Windows opened inside this one and still open overlap it. */
			for (q = k + 1; q < nopen; q++)
				if (wl_phase_same_node(open[q].name, ph.label))
					wl_phase_list_note(out, "overlapping %ss: '%s' [%.3f, %.3f] s ends "
						   "while '%s' begun at %.3f s is open",
						   what, ph.label, ph.start_s, ph.end_s,
						   open[q].name, open[q].t);
			memmove(&open[k], &open[k + 1], (nopen - k - 1) * sizeof(*open));
			nopen--;
		}
	}
	for (i = 0; i < nopen; i++)
		wl_phase_list_note(out, "unmatched %s 'begin %s' at %.3f s: never ended", what,
				   open[i].name, open[i].t);
	if (!sorted)
		wl_phase_list_note(out, "%ss are out of time order in the file: matched in "
				   "time order", what);
	free(ix);
	free(open);
	if (out->n > 1)
		qsort(out->p, out->n, sizeof(*out->p), cmp_phase);
	return (int)nwin;
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
