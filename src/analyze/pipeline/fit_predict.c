/*
 * fit_predict.c - a fitted model against a run it may not have seen.  The
 * model predicts the power of each grid bin where its metrics are present
 * (wl_fit_data_from): a gauge series at the bin centres.  The predicted
 * energy is that series' trapezoid integral (wl_series_energy); the
 * measured energy is the power channel's own, by the report's rule for one
 * channel (wl_normalize_channel; gaps longer than 5 median intervals
 * bridged by the trapezoid and counted), both over the same window: the
 * paired bins' extent (first to last centre, each widened by up to half a
 * bin), inside the power channel's first and last sample; per phase of
 * wl_phases_find, that window cut to the phase.  Where the rows are
 * further apart than the measured gap bound plus a bin, the series holds a
 * NaN point: the energy joins its neighbours (bridged, as the measured
 * energy is), the figure breaks its lines there.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/fit.h"
#include "fit_int.h"

void wl_fit_prediction_release(struct wl_fit_prediction *p)
{
	free(p->path);
	free(p->phase);
	free(p->t);
	free(p->measured_w);
	free(p->predicted_w);
	memset(p, 0, sizeof(*p));
}

static void energies(const struct wl_series *meas, const struct wl_series *pred,
		     const struct wl_fit_energy *win, double t0, double t1, struct wl_fit_energy *e)
{
	t0 = fmax(t0, win->start_s);
	t1 = fmin(t1, win->end_s);
	if (t1 < t0)
		t1 = t0;
	e->start_s = t0;
	e->end_s = t1;
	e->measured_j = wl_series_energy(meas, t0, t1);
	e->predicted_j = wl_series_energy(pred, t0, t1);
	e->error_pct = e->measured_j > 0 ? 100 * (e->predicted_j - e->measured_j) / e->measured_j
		       : NAN;
}

/* The series of the rows, a NaN point between rows more than gap_s apart
 * (a gap: the figure's lines break there).  A bin's value stands for its whole
 * width, so the series is held flat from the first row out to lo and from
 * the last to hi, each at most half a bin away: the edges of the run the
 * grid's first and last bins hold. */
static int build(const struct wl_fit_data *d, const struct wl_fit_model *m, double gap_s,
		 double lo, double hi, struct wl_fit_prediction *p)
{
	size_t i, k = 0, cap = 2 * d->n + 3;
	double ss = 0, y = NAN;

	p->t = malloc(cap * sizeof(*p->t));
	p->measured_w = malloc(cap * sizeof(*p->measured_w));
	p->predicted_w = malloc(cap * sizeof(*p->predicted_w));
	if (!p->t || !p->measured_w || !p->predicted_w)
		return -1;
	lo = fmax(lo, d->t[0] - 0.5 * d->step_s);
	hi = fmin(hi, d->t[d->n - 1] + 0.5 * d->step_s);
	for (i = 0; i < d->n; i++) {
		y = wl_fit_eval(m, d->x + i * d->nx);
		if (i == 0 && lo < d->t[0]) {
			p->t[k] = lo;
			p->measured_w[k] = d->y[0];
			p->predicted_w[k++] = y;
		}
		if (i && d->t[i] - d->t[i - 1] > gap_s) {
			p->t[k] = 0.5 * (d->t[i - 1] + d->t[i]);
			p->measured_w[k] = p->predicted_w[k] = NAN;
			k++;
		}
		p->t[k] = d->t[i];
		p->measured_w[k] = d->y[i];
		p->predicted_w[k] = y;
		k++;
		ss += (y - d->y[i]) * (y - d->y[i]);
	}
	if (hi > d->t[d->n - 1]) {
		p->t[k] = hi;
		p->measured_w[k] = d->y[d->n - 1];
		p->predicted_w[k++] = y;
	}
	p->n = k;
	p->rmse_w = sqrt(ss / (double)d->n);
	return 0;
}

/* The measured power: the channel whose grid name is m->power, as a series
 * by its own rule. */
static int measured(const struct wl_dataset *ds, const char *power, struct wl_series *s,
		    struct wl_error *err)
{
	char name[160];
	size_t i;

	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		wl_fit_grid_name(c, name, sizeof(name));
		if (strcmp(name, power))
			continue;
		if (wl_normalize_channel(c, WL_MAX_POWER_W_DEFAULT, s, NULL, err) < 0)
			return -1;
		s->max_gap_s = WL_MAX_GAP_FACTOR * wl_series_median_dt(s->t, s->n);
		return 0;
	}
	return wl_error_set(err, "no power metric '%s' in '%s'", power, ds->path);
}

/* The measured power's gaps in the window, said once per file. */
static int gap_note(const struct wl_series *meas, const struct wl_fit_energy *win,
		    const char *path, struct wl_dataset *notes)
{
	size_t ngaps = 0;
	double gap_s = 0;

	wl_series_energy_gaps(meas, win->start_s, win->end_s, &ngaps, &gap_s);
	if (!ngaps || !notes)
		return 0;
	return wl_dataset_warn(notes, "'%s': %zu gap%s (%.3g s in all) longer than 5 median "
			       "intervals of the power, bridged by the trapezoid in the measured "
			       "and the predicted energy", path, ngaps, ngaps == 1 ? "" : "s",
			       gap_s);
}

int wl_fit_predict(const struct wl_dataset *ds, const struct wl_fit_model *m,
		   struct wl_dataset *notes, struct wl_fit_prediction *p, struct wl_error *err)
{
	struct wl_fit_model mc = *m; /* the metric checks write into it */
	const char *xs[WL_FIT_MAX_X];
	struct wl_fit_spec spec;
	struct wl_fit_data d;
	struct wl_fit_energy win;
	struct wl_series meas, pred;
	struct wl_phase_list pl;
	struct wl_phase_opts po;
	struct wl_error perr;
	size_t i;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	memset(&spec, 0, sizeof(spec));
	memset(&meas, 0, sizeof(meas));
	for (i = 0; i < m->nx; i++)
		xs[i] = m->x[i];
	spec.kind = m->kind;
	spec.x = xs;
	spec.nx = m->nx;
	spec.power = m->power;
	spec.x_sat = m->x_sat;
	wl_fit_data_init(&d, m->nx);
	wl_phase_list_init(&pl);
	if (!(p->path = strdup(ds->path ? ds->path : "")))
		return wl_error_set(err, "out of memory");
	if (wl_fit_data_from(ds, &spec, &mc, notes, &d, err) < 0)
		goto out;
	if (measured(ds, m->power, &meas, err) < 0)
		goto out;
	if (meas.n < 2) {
		wl_error_set(err, "'%s' in '%s' has fewer than two readings", m->power, p->path);
		goto out;
	}
	/* A gap of the measured series shows on the grid up to a bin longer. */
	if (build(&d, m, meas.max_gap_s + d.step_s, meas.t[0], meas.t[meas.n - 1], p) < 0) {
		wl_error_set(err, "out of memory predicting '%s'", p->path);
		goto out;
	}
	if (p->n < 1) {
		wl_error_set(err, "'%s': no bin of the grid holds every metric of the model", p->path);
		goto out;
	}
	memset(&pred, 0, sizeof(pred));
	pred.n = p->n;
	pred.t = p->t;
	pred.p = p->predicted_w;
	win.start_s = fmax(p->t[0], meas.t[0]);
	win.end_s = fmin(p->t[p->n - 1], meas.t[meas.n - 1]);
	energies(&meas, &pred, &win, -INFINITY, INFINITY, &p->total);
	if (gap_note(&meas, &win, p->path, notes) < 0) {
		wl_error_set(err, "out of memory");
		goto out;
	}
	p->covered_s = p->total.end_s - p->total.start_s;
	p->nbins = d.n;
	wl_phase_opts_init(&po);
	if (wl_phases_find(ds, &po, &pl, &perr) < 0) {
		snprintf(p->phase_method, sizeof(p->phase_method), "no phases: %s", perr.msg);
	} else {
		snprintf(p->phase_method, sizeof(p->phase_method), "%s", pl.method);
		if (pl.n && !(p->phase = calloc(pl.n, sizeof(*p->phase)))) {
			wl_error_set(err, "out of memory predicting '%s'", p->path);
			goto out;
		}
		for (i = 0; i < pl.n; i++) {
			if (pl.p[i].depth)
				continue;
			snprintf(p->phase[p->nphase].label, sizeof(p->phase[0].label), "%s",
				 pl.p[i].label);
			energies(&meas, &pred, &win, pl.p[i].start_s, pl.p[i].end_s,
				 &p->phase[p->nphase++]);
		}
	}
	rc = 0;
out:
	wl_series_release(&meas);
	wl_phase_list_release(&pl);
	wl_fit_data_release(&d);
	return rc;
}
