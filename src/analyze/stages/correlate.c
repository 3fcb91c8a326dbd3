/*
 * correlate.c - the correlation stage of a loaded dataset: Pearson r over
 * the rows of a single-rate input when it is one (every column of the grid
 * read at the same instants, none missing: the rows of a one-GPU AIMeter
 * log, as pandas reads them, with no bin and so no coarsening with length),
 * else over the bins of the common grid.  The streaming report applies the
 * same rule as it reads (stream_pass2.c gathers the rows): one rule, so a
 * log gives the same r loaded or streamed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"

/* One column's readings as the grid takes them: a gauge's samples, a
 * counter's interval powers at the intervals' ends (wl_normalize_channel,
 * its baseline left out), from the first at or after t0 to the last at or
 * before t_end. */
struct colview {
	const double *t, *v;
	size_t n;
	struct wl_series s; /* a counter's power series, owned */
};

static int view(const struct wl_channel *c, double t0, double t_end, double max_w,
		struct colview *cv, struct wl_error *err)
{
	size_t a = 0, b;

	memset(cv, 0, sizeof(*cv));
	if (c->kind == WL_DS_GAUGE) {
		cv->t = c->t;
		cv->v = c->v;
		cv->n = c->n;
	} else {
		if (wl_normalize_channel(c, max_w, &cv->s, NULL, err))
			return -1;
		if (cv->s.n > 1) {
			cv->t = cv->s.t + 1;
			cv->v = cv->s.p + 1;
			cv->n = cv->s.n - 1;
		}
	}
	while (a < cv->n && !(cv->t[a] >= t0))
		a++;
	for (b = a; b < cv->n && cv->t[b] <= t_end; b++)
		;
	cv->t += a;
	cv->v += a;
	cv->n = b - a;
	return 0;
}

/* Rows: every column at the same instants, each instant once, no value
 * missing, at least 3. */
static int single_rate(const struct colview *cv, size_t m)
{
	size_t j, k, n = cv[0].n;

	if (n < 3)
		return 0;
	for (j = 0; j < m; j++) {
		if (cv[j].n != n)
			return 0;
		for (k = 0; k < n; k++)
			if (cv[j].t[k] != cv[0].t[k] || isnan(cv[j].v[k]) ||
			    (k && !(cv[j].t[k] > cv[j].t[k - 1])))
				return 0;
	}
	return 1;
}

/* r over the rows (wl_corr_rows), each column centred on its mean. */
static int by_rows(const struct colview *cv, const struct wl_grid *g,
		   const struct wl_analysis_opts *o, struct wl_correlation *c, struct wl_error *err)
{
	struct wl_corr_rows rows;
	size_t j, k, m = g->ncols, n = cv[0].n;
	double *centre = calloc(m, sizeof(*centre)), *x = malloc(m * sizeof(*x));
	int rc = -1;

	if (!centre || !x)
		goto oom;
	for (j = 0; j < m; j++) {
		for (k = 0; k < n; k++)
			centre[j] += cv[j].v[k];
		centre[j] /= (double)n;
	}
	if (wl_corr_rows_init(&rows, m, centre, o ? o->exclude_identical : 0))
		goto oom;
	for (k = 0; k < n; k++) {
		for (j = 0; j < m; j++)
			x[j] = cv[j].v[k];
		wl_corr_rows_push(&rows, x);
	}
	rc = wl_corr_rows_finish(&rows, g, o, c, err);
	wl_corr_rows_release(&rows);
	goto out;
oom:
	wl_error_set(err, "out of memory correlating");
out:
	free(centre);
	free(x);
	return rc;
}

int wl_correlate(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		 struct wl_grid *g, struct wl_correlation *c, struct wl_error *err)
{
	struct colview *cv = NULL;
	double a, b, maxw = o && o->max_power_w > 0 ? o->max_power_w : 0;
	size_t j, m;
	int rc;

	if (wl_resample(ds, o, g, err))
		return 1;
	m = g->ncols;
	wl_dataset_span(ds, &a, &b); /* the window wl_resample took */
	if (o && !isnan(o->t_to) && o->t_to < b)
		b = o->t_to;
	cv = calloc(m ? m : 1, sizeof(*cv));
	if (!cv) {
		wl_error_set(err, "out of memory correlating '%s'", ds->path ? ds->path : "");
		return -1;
	}
	for (rc = 0, j = 0; rc == 0 && j < m; j++)
		rc = view(&ds->ch[g->chan[j]], g->t0, b, maxw, &cv[j], err);
	if (rc == 0 && m && single_rate(cv, m))
		rc = by_rows(cv, g, o, c, err);
	else if (rc == 0)
		rc = wl_correlation_compute(g, o, c, err);
	for (j = 0; j < m; j++)
		wl_series_release(&cv[j].s);
	free(cv);
	return rc ? -1 : 0;
}
