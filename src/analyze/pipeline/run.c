/*
 * run.c - the one composition (run.h): read, stages into one report,
 * phases.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/run.h"
#include "wattlog/stream.h"

void wl_run_opts_init(struct wl_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	wl_analysis_opts_init(&o->an);
	o->stream = -1;
	o->stats = 1;
	o->phases = 1;
	wl_phase_opts_init(&o->po);
}

static void run_init(struct wl_run *run)
{
	memset(run, 0, sizeof(*run));
	wl_dataset_init(&run->ds);
	wl_report_init(&run->r);
	wl_phase_list_init(&run->pl);
	run->r.ds = &run->ds;
}

int wl_run_open(const char *path, const struct wl_run_opts *o, struct wl_run *run,
		struct wl_stream **st, struct wl_error *err)
{
	static const struct wl_ingest_opts none;
	const struct wl_ingest_opts *in = o->in ? o->in : &none;

	run_init(run);
	*st = NULL;
	/* a wattlog trace above WL_STREAM_AUTO_BYTES (or always with
	 * stream > 0): two passes over the file instead of loading it
	 * (stream.h) */
	run->streamed = o->stream && !in->markers && (!in->format || !strcmp(in->format, "wattlog")) &&
			wl_stream_wanted(path, o->stream > 0);
	if (run->streamed)
		return (*st = wl_stream_open(path, o->an.max_power_w, &run->ds, err)) ? 0 : -1;
	/* an AIMeter or nvidia-smi log above WL_STREAM_CSV_AUTO_BYTES (or
	 * always with stream > 0): the same two passes over the log */
	if (o->stream && wl_stream_csv_wanted(path, in, o->stream > 0)) {
		run->streamed = 1;
		return (*st = wl_stream_open_csv(path, in, o->an.max_power_w, &run->ds, err)) ? 0
											       : -1;
	}
	return wl_ingest(path, in, &run->ds, err) ? -1 : 0;
}

int wl_run_stages(struct wl_run *run, const struct wl_analysis_opts *an, int stats,
		  struct wl_stream *st, struct wl_error *err)
{
	struct wl_dataset *ds = &run->ds;
	struct wl_report *r = &run->r;
	struct wl_error gerr;
	double a, b;
	int rc;

	if (!wl_dataset_span(ds, &a, &b))
		return wl_error_set(err, "no samples in '%s'", ds->path ? ds->path : "");
	r->t_from = isnan(an->t_from) || an->t_from < a ? a : an->t_from;
	r->t_to = isnan(an->t_to) || an->t_to > b ? b : an->t_to;
	if (!(r->t_to > r->t_from))
		return wl_error_set(err, "the window holds no data of '%s' (data: %.3f..%.3f s)",
				    ds->path ? ds->path : "", a, b);
	r->duration_s = r->t_to - r->t_from;
	if (st) /* the same stages in two passes over the file (stream.h) */
		return wl_stream_analyse(st, an, ds, r, err) ? -1 : 0;
	if (wl_energy_compute(ds, an, ds, &r->energy, err))
		return -1;
	if (!r->energy.n)
		wl_dataset_warn(ds, "no power or energy channel: no energy reported");
	if (!stats)
		return 0;
	if (wl_stats_dataset(ds, an, &r->metrics, &r->nmetrics, &ds->assume, err))
		return -1;
	rc = wl_correlate(ds, an, &r->grid, &r->corr, &gerr);
	if (rc == 1) {
		wl_dataset_warn(ds, "correlation: %s", gerr.msg);
		return 0;
	}
	r->have_grid = 1;
	if (rc)
		return wl_error_set(err, "%s", gerr.msg);
	if (r->grid.note[0])
		wl_dataset_warn(ds, "correlation: %s", r->grid.note);
	return 0;
}

void wl_run_phases(struct wl_run *run, const struct wl_phase_opts *po)
{
	struct wl_error err;

	if (wl_phases_find(&run->ds, po, &run->pl, &err)) {
		snprintf(run->phase_note, sizeof(run->phase_note), "%s", err.msg);
		return;
	}
	/* Streamed, the phases' energies come from the 0.1 s bins; the run's
	 * total is the report's, to the joule of every other command. */
	if (run->streamed && !isnan(run->r.energy.total_j))
		run->pl.total_energy_j = run->r.energy.total_j;
	run->r.phases = &run->pl;
}

int wl_run_read(const char *path, const struct wl_run_opts *o, struct wl_run *run,
		struct wl_error *err)
{
	struct wl_stream *st = NULL;
	int rc;

	if (wl_run_open(path, o, run, &st, err)) {
		wl_stream_free(st);
		return -1;
	}
	rc = wl_run_stages(run, &o->an, o->stats, st, err) ? -2 : 0;
	wl_stream_free(st);
	if (!rc && o->phases)
		wl_run_phases(run, &o->po);
	return rc;
}

void wl_run_release(struct wl_run *run)
{
	wl_report_release(&run->r);
	wl_phase_list_release(&run->pl);
	wl_dataset_release(&run->ds);
}
