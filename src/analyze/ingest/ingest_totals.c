/*
 * ingest_totals.c - a column that is the total of others (see ingest.h):
 * "n1_watts,n2_watts,total_watts".  Read as one more component, the total
 * would be counted twice.
 *
 * Among one device's power gauges that have a component, a channel P is a
 * total when, on the rows where P and every other such channel have a
 * value (same time), |P - sum(others)| <= 0.005 |P| on at least 99 % of
 * them, with at least two others and two rows.  Candidates are tried from
 * the largest mean down; a total found leaves the sum of the next tries.
 * Its component is cleared (kept out of the energy sum; its statistics
 * stay) and an assumption names it and its parts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "wattlog/units.h"

#define TOTAL_TOL 0.005
#define TOTAL_SHARE 0.99

/* The value of channel c at time t (exact match), NaN when none; *pos is a
 * cursor that only moves forward (t non-decreasing between calls). */
static double at(const struct wl_channel *c, double t, size_t *pos)
{
	while (*pos < c->n && c->t[*pos] < t)
		(*pos)++;
	return *pos < c->n && c->t[*pos] == t ? c->v[*pos] : NAN;
}

static double mean(const struct wl_channel *c)
{
	double s = 0;
	size_t k;

	for (k = 0; k < c->n; k++)
		s += c->v[k];
	return c->n ? s / (double)c->n : 0;
}

/* 1 when channel p (index into idx) is the total of the others in use. */
static int is_total(const struct wl_dataset *ds, const size_t *idx, const int *use, size_t n,
		    size_t p, size_t *pos)
{
	const struct wl_channel *P = &ds->ch[idx[p]];
	size_t k, j, rows = 0, good = 0, parts = 0;

	for (j = 0; j < n; j++)
		parts += j != p && use[j];
	if (parts < 2)
		return 0;
	memset(pos, 0, n * sizeof(*pos));
	for (k = 0; k < P->n; k++) {
		double sum = 0, pw = P->v[k] * wl_unit_power_scale(P->unit);

		for (j = 0; j < n && !isnan(sum); j++)
			if (j != p && use[j])
				sum += at(&ds->ch[idx[j]], P->t[k], &pos[j]) *
				       wl_unit_power_scale(ds->ch[idx[j]].unit);
		if (isnan(sum))
			continue;
		rows++;
		good += fabs(pw - sum) <= TOTAL_TOL * fabs(pw);
	}
	return rows >= 2 && (double)good >= TOTAL_SHARE * (double)rows;
}

static int name_parts(const struct wl_dataset *ds, const size_t *idx, const int *use, size_t n,
		      size_t p, char *buf, size_t sz)
{
	size_t j, len = 0;

	buf[0] = 0;
	for (j = 0; j < n && len < sz - 1; j++)
		if (j != p && use[j])
			len += (size_t)snprintf(buf + len, sz - len, "%s%s", len ? " + " : "",
						ds->ch[idx[j]].name);
	return 0;
}

/* One device's channels idx[0..n). */
static int device(struct wl_dataset *ds, size_t *idx, size_t n, const char *path,
		  struct wl_error *err)
{
	int *use = calloc(n, sizeof(*use));
	size_t *pos = calloc(n, sizeof(*pos)), j, best;
	double *m = calloc(n, sizeof(*m));
	char parts[400];
	int rc = 0;

	if (!use || !pos || !m) {
		rc = wl_error_set(err, "out of memory reading '%s'", path);
		goto out;
	}
	for (j = 0; j < n; j++) {
		use[j] = 1;
		m[j] = mean(&ds->ch[idx[j]]) * wl_unit_power_scale(ds->ch[idx[j]].unit);
	}
	for (;;) { /* the largest untried mean first */
		best = n;
		for (j = 0; j < n; j++)
			if (use[j] == 1 && (best == n || m[j] > m[best]))
				best = j;
		if (best == n)
			break;
		use[best] = 2; /* tried: still a part of the others */
		if (!is_total(ds, idx, use, n, best, pos))
			continue;
		name_parts(ds, idx, use, n, best, parts, sizeof(parts));
		use[best] = 0;
		if (wl_channel_component(&ds->ch[idx[best]], "") ||
		    wl_assume(&ds->assume, WL_ASSUME_TOTAL, "'%s': column '%s'%s%s equals %s within "
			      "0.5 %% on at least 99 %% of its rows: read as their total and kept "
			      "out of the energy sum (--exclude keeps out others)", path,
			      ds->ch[idx[best]].name, *ds->ch[idx[best]].device ? " of " : "",
			      ds->ch[idx[best]].device, parts)) {
			rc = wl_error_set(err, "out of memory reading '%s'", path);
			break;
		}
	}
out:
	free(use);
	free(pos);
	free(m);
	return rc;
}

int wl_ingest_totals(struct wl_dataset *ds, size_t first, const char *path,
		     struct wl_error *err)
{
	size_t i, j, n, *idx = malloc((ds->nch - first + 1) * sizeof(*idx));
	char *done = calloc(ds->nch + 1, 1);
	int rc = 0;

	if (!idx || !done) {
		free(idx);
		free(done);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	for (i = first; i < ds->nch && !rc; i++) {
		const struct wl_channel *c = &ds->ch[i];

		if (done[i] || c->kind != WL_DS_GAUGE || !*c->component ||
		    !wl_unit_power_scale(c->unit))
			continue;
		for (n = 0, j = i; j < ds->nch; j++) {
			const struct wl_channel *d = &ds->ch[j];

			if (!done[j] && d->kind == WL_DS_GAUGE && *d->component &&
			    wl_unit_power_scale(d->unit) && !strcmp(d->device, c->device)) {
				done[j] = 1;
				idx[n++] = j;
			}
		}
		if (n >= 3)
			rc = device(ds, idx, n, path, err);
	}
	free(idx);
	free(done);
	return rc;
}
