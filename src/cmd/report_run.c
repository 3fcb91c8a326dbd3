/*
 * report_run.c - `wattlog report`'s work: ingest each file, then the stages
 * (energy, statistics, resampling and correlation, carbon, efficiency) into
 * a struct wl_report, then one renderer.  No stage prints; this file does.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "report_opts.h"
#include "wattlog/carbon.h"
#include "wattlog/plot.h"
#include "wattlog/report.h"
#include "wattlog/report_job.h"
#include "wattlog/requests.h"
#include "wattlog/run.h"
#include "wattlog/stream.h"

static int window(const struct wl_report_opts *o, struct wl_dataset *ds,
		  struct wl_analysis_opts *an, struct wl_error *err)
{
	*an = o->an;
	if (isnan(o->rt_from))
		return 0;
	if (isnan(ds->t0_realtime))
		return wl_error_set(err, "--window-realtime needs wall-clock time, and '%s' does "
				    "not say when it started", ds->path ? ds->path : "");
	an->t_from = o->rt_from - ds->t0_realtime;
	an->t_to = o->rt_to - ds->t0_realtime;
	return 0;
}

/* The energy stage's figure for component name (NaN if none). */
static double component_energy(const struct wl_energy *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->c[i].name, name))
			return e->c[i].energy_j;
	return NAN;
}

/* Carbon through the carbon module (carbon.h): intensity from a trace, a
 * region, or a constant, applied to each component that counts in the
 * total, clipped to the report's window (so that the energy behind the
 * carbon is the report's total energy); embodied carbon once. */
static int carbon(const struct wl_report_opts *o, const struct wl_analysis_opts *an,
		  struct wl_report *r, struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_intensity in;
	struct wl_series *comps = NULL;
	double op_g = 0, kwh = 0, e_j;
	size_t n = 0, i;
	int rc;

	r->pue = isnan(o->pue) ? 1.0 : o->pue;
	memset(&in, 0, sizeof(in));
	if (o->intensity_trace)
		rc = wl_intensity_load(&in, o->intensity_trace, o->intensity_unit, o->intensity_tz, err);
	else if (o->region)
		rc = wl_intensity_region(&in, o->region, 0, err);
	else if (!isnan(o->intensity))
		rc = wl_intensity_const(&in, o->intensity, err);
	else
		return 0;
	if (rc)
		return -1;
	if (isnan(r->energy.total_j)) {
		wl_intensity_release(&in);
		wl_dataset_warn(ds, "carbon: no energy to convert");
		return 0;
	}
	rc = wl_power_components_opts(ds, an, NULL, &comps, &n, err);
	for (i = 0; !rc && i < n; i++) {
		struct wl_series w;
		struct wl_carbon c;

		if (!wl_component_in_total(&comps[i], comps, n))
			continue;
		rc = wl_series_clip(&comps[i], r->t_from, r->t_to, &w, err);
		if (rc)
			break;
		rc = wl_carbon_compute(&w, ds->t0_realtime, &in, r->pue, 0, &c, err);
		wl_series_release(&w);
		if (rc)
			break;
		/* the energy behind the carbon is the energy column's */
		e_j = component_energy(&r->energy, comps[i].name);
		if (isnan(e_j))
			continue;
		op_g += wl_carbon_of_energy(&c, e_j);
		kwh += e_j / WL_J_PER_KWH;
	}
	for (i = 0; i < n; i++)
		wl_series_release(&comps[i]);
	free(comps);
	if (!rc) {
		r->embodied_g = isnan(o->embodied_g_per_hour) ? NAN :
				o->embodied_g_per_hour * r->duration_s / 3600.0;
		r->carbon_g = op_g + (isnan(r->embodied_g) ? 0 : r->embodied_g);
		r->carbon_kwh = kwh;
		/* energy-weighted intensity: operational g / (kWh x PUE) */
		r->intensity_g_per_kwh = kwh > 0 ? op_g / (kwh * r->pue) : NAN;
		snprintf(r->carbon_source, sizeof(r->carbon_source), "%s", in.label);
	}
	wl_intensity_release(&in);
	return rc;
}

/* The workload: options first; meta.json beside the trace fills what the
 * options leave open.  Options win: a meta.json figure that differs from
 * an option's is a warning, and when any token count is given as an
 * option, meta.json's token counts are not used (its output_tokens must not
 * replace --tokens) and a differing one is named. */
static int workload(const struct wl_report_opts *o, struct wl_dataset *ds, struct wl_report *r,
		    struct wl_error *err)
{
	static const char *const key[] = { "tokens", "input_tokens", "output_tokens",
					   "requests", "flops", "peak_flops" };
	static const char *const opt[] = { "--tokens/--input-tokens/--output-tokens win",
					   "--tokens/--input-tokens/--output-tokens win",
					   "--tokens/--input-tokens/--output-tokens win",
					   "--requests wins", "--flops wins", "--peak-flops wins" };
	struct wl_workload m;
	double *f[] = { &r->work.tokens, &r->work.input_tokens, &r->work.output_tokens,
			&r->work.requests, &r->work.flops, &r->work.peak_flops };
	double *g[] = { &m.tokens, &m.input_tokens, &m.output_tokens,
			&m.requests, &m.flops, &m.peak_flops };
	size_t i;
	int given = 0, found = 0, tok_given;

	r->work = o->work;
	wl_workload_init(&m);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		given |= !isnan(*f[i]);
	tok_given = !isnan(r->work.tokens) || !isnan(r->work.input_tokens) ||
		    !isnan(r->work.output_tokens);
	if (wl_metajson_read(ds->path ? ds->path : "", &m, &found, err))
		return -1;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		int tok = i < 3;

		if (isnan(*g[i]))
			continue;
		if (isnan(*f[i]) && !(tok && tok_given)) {
			*f[i] = *g[i];
			continue;
		}
		if (*f[i] != *g[i])
			wl_dataset_warn(ds, "meta.json's %s %.10g not used: %s", key[i], *g[i],
					opt[i]);
	}
	snprintf(r->work_source, sizeof(r->work_source), "%s%s%s", given ? "options" : "",
		 given && found ? " + " : "", found ? "meta.json" : "");
	return 0;
}

static int analyse(const struct wl_report_opts *o, struct wl_run *run, struct wl_stream *st,
		   struct wl_error *err)
{
	struct wl_dataset *ds = &run->ds;
	struct wl_report *r = &run->r;
	struct wl_analysis_opts an;
	const char *jet;

	if (window(o, ds, &an, err) || wl_run_stages(run, &an, 1, st, err))
		return -1;
	if (st)
		snprintf(r->share.why, sizeof(r->share.why), "not computed by the streaming "
			 "report (--no-stream computes it)");
	else if (wl_share_compute(ds, &an, &r->share, err))
		return -1;
	/* the ina3221 source's rail rule (jetson_rails.h): an assumption */
	if ((jet = wl_dataset_meta_get(ds, "ina3221.input_rail")) &&
	    wl_assume(&ds->assume, WL_ASSUME_RAIL, strncmp(jet, "none:", 5) ?
		      "%s is the module input (Jetson table): the total is it alone" :
		      "total: %s", strncmp(jet, "none:", 5) ? jet : jet + 6))
		return wl_error_set(err, "out of memory");
	if (r->share.n && wl_assume(&ds->assume, WL_ASSUME_OTHER, "command's share: CPU (and GPU "
				    "SM) time stands for energy, idle power shared in the same "
				    "proportion"))
		return wl_error_set(err, "out of memory");
	if (carbon(o, &an, r, ds, err) || workload(o, ds, r, err))
		return -1;
	wl_efficiency_compute(&r->work, r->energy.total_j, r->duration_s, r->carbon_g, &r->eff);
	return 0;
}

/* Unless --no-phases: markers, else automatic segmentation (phases.h); the
 * renderers print r->phases when it is not NULL.  A trace the phase
 * finder cannot segment is a warning. */
static void phases(const struct wl_report_opts *o, struct wl_run *run)
{
	struct wl_phase_opts po;

	if (!o->phases)
		return;
	wl_phase_opts_init(&po);
	po.force_auto = o->phases_auto;
	wl_run_phases(run, &po);
	if (run->phase_note[0])
		wl_dataset_warn(&run->ds, "phases: %s", run->phase_note);
}

/* The requests section: when the phases are marker windows with requests
 * among them, their energy by the equal split (requests.h). */
static void requests(struct wl_dataset *ds, struct wl_report *r, const struct wl_phase_list *pl,
		     struct wl_request_list *rl)
{
	struct wl_error err;

	if (!r->phases || strcmp(pl->method, "markers"))
		return;
	if (wl_requests_compute(ds, pl, rl, &err))
		wl_dataset_warn(ds, "requests: %s", err.msg);
	else if (rl->n)
		r->requests = rl;
}

/* The PDF report: the Markdown report typeset, then the standard figures. */
static int render_pdf(const struct wl_report_opts *o, struct wl_report *r, struct wl_error *err)
{
	char title[512], *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (!m)
		return wl_error_errno(err, errno, "cannot buffer the report");
	rc = wl_report_markdown(m, r, err);
	if (fclose(m) && !rc)
		rc = wl_error_errno(err, errno, "cannot buffer the report");
	snprintf(title, sizeof(title), "wattlog report: %s", o->files[0]);
	if (!rc)
		rc = wl_plots_pdf_report(o->output, title, buf, r->ds, r->phases, r, err);
	free(buf);
	return rc;
}

/* A merged job's figures beside the standard ones: DIR/nodes.{png,pdf}
 * (a line per node) and DIR/nodes_stacked.{png,pdf} (the job's total as a
 * stack of nodes).  Skipped with a note when no node has power. */
static int job_plots(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		     const struct wl_fig_look *look, const char *dir, struct wl_error *err)
{
	struct wl_plot_opts po;
	struct wl_error e;
	char path[4096];

	if (!wl_dataset_meta_get(ds, "job.merged"))
		return 0;
	for (int k = 0; k < 4; k++) {
		wl_plot_opts_init(&po);
		po.stack = k >= 2;
		po.format = k % 2 ? WL_PLOT_PDF : WL_PLOT_PNG;
		wl_fig_look_apply(look, k % 2, &po);
		snprintf(path, sizeof(path), "%s/nodes%s.%s", dir, po.stack ? "_stacked" : "",
			 wl_plot_format_ext(po.format));
		if (wl_fig_nodes(ds, ph, &po, path, &e) < 0) {
			if (strstr(e.msg, "no node of"))
				return fprintf(stderr, "wattlog: figure nodes skipped: %s\n", e.msg), 0;
			return wl_error_set(err, "%s", e.msg);
		}
	}
	return 0;
}

/* A merged Slurm job (a job folder or a merged trace, merge.h): its nodes,
 * totals and imbalance before the report.  Sets *partial when the job's
 * total is partial. */
static int job_section(const struct wl_report_opts *o, FILE *f, const struct wl_report *r,
		       int *partial, struct wl_error *err)
{
	struct wl_job_summary js;
	int rc;

	if (!wl_dataset_meta_get(r->ds, "job.merged"))
		return 0;
	if (wl_job_summary(r->ds, &o->an, &js, err))
		return -1;
	*partial |= js.partial;
	if (o->format == WL_REP_CSV || o->format == WL_REP_JSON)
		rc = 0;
	else if (o->format == WL_REP_MARKDOWN)
		rc = wl_report_job_md(f, &js);
	else
		rc = wl_report_job_text(f, &js);
	if (o->format == WL_REP_TEXT || o->format == WL_REP_MARKDOWN)
		fputc('\n', f);
	wl_job_release(&js);
	return rc ? wl_error_set(err, "cannot write the job section") : 0;
}

static int render(const struct wl_report_opts *o, FILE *f, struct wl_report *r, size_t n,
		  int *partial, struct wl_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (o->format == WL_REP_JSON && job_section(o, f, &r[i], partial, err))
			return -1;
	if (o->format == WL_REP_JSON)
		return wl_report_json(f, r, n, err);
	for (i = 0; i < n; i++) {
		int rc = job_section(o, f, &r[i], partial, err) ? -1 :
			 o->format == WL_REP_TEXT ? wl_report_text(f, &r[i], err) :
			 o->format == WL_REP_MARKDOWN ? wl_report_markdown(f, &r[i], err) :
							 wl_report_csv(f, &r[i], err);
		if (rc)
			return -1;
		if (i + 1 < n && o->format != WL_REP_CSV)
			fputc('\n', f);
	}
	return 0;
}

int wl_report_run(const struct wl_report_opts *o)
{
	struct wl_run *run = calloc(o->nfiles, sizeof(*run));
	struct wl_request_list *rl = calloc(o->nfiles, sizeof(*rl));
	struct wl_report *r = calloc(o->nfiles, sizeof(*r));
	struct wl_run_opts ro;
	struct wl_error err;
	struct wl_progress prog;
	size_t i, done = 0;
	FILE *f = stdout;
	int rc = 2, partial = 0;
	char what[4200];

	wl_progress_init(&prog, "report", o->progress);
	wl_progress_reads(&prog);
#define STEP(s)                                                                     \
	do {                                                                        \
		snprintf(what, sizeof(what), "%s: %s", o->files[i], s);             \
		wl_progress_step(&prog, i + 1, o->nfiles, what);                    \
	} while (0)

	if (!run || !rl || !r) {
		fprintf(stderr, "wattlog report: out of memory\n");
		goto out;
	}
	wl_run_opts_init(&ro);
	ro.in = &o->input.in;
	ro.an = o->an;
	ro.stream = o->stream;
	for (i = 0; i < o->nfiles; i++, done++) {
		struct wl_stream *st = NULL;

		wl_request_list_init(&rl[i]);
		STEP(ro.stream > 0 ? "reading (two passes)" : "reading");
		if (wl_run_open(o->files[i], &ro, &run[i], &st, &err) || analyse(o, &run[i], st, &err)) {
			wl_stream_free(st);
			done++;
			fprintf(stderr, "wattlog report: %s\n", err.msg);
			goto out;
		}
		wl_stream_free(st);
		STEP("phases");
		phases(o, &run[i]);
		if (!run[i].streamed)
			requests(&run[i].ds, &run[i].r, &run[i].pl, &rl[i]);
		if (o->plots_dir)
			STEP("figures");
		if (o->plots_dir &&
		    (wl_plots_standard(&run[i].ds, run[i].r.phases, &run[i].r, &o->look, o->plots_dir,
				       &err) ||
		     job_plots(&run[i].ds, run[i].r.phases, &o->look, o->plots_dir, &err) ||
		     (run[i].r.requests && wl_plots_requests(&run[i].pl, run[i].r.requests, &o->look,
							       o->plots_dir, &err)))) {
			done++;
			fprintf(stderr, "wattlog report: %s\n", err.msg);
			goto out;
		}
	}
	for (i = 0; i < o->nfiles; i++)
		r[i] = run[i].r; /* shallow: the renderers take an array of reports */
	i = o->nfiles ? o->nfiles - 1 : 0;
	if (o->nfiles)
		STEP(o->format == WL_REP_PDF ? "writing the PDF report" : "writing the report");
#undef STEP
	if (o->format == WL_REP_PDF) {
		if (render_pdf(o, r, &err)) {
			fprintf(stderr, "wattlog report: %s\n", err.msg);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (o->output && !(f = fopen(o->output, "w"))) {
		fprintf(stderr, "wattlog report: cannot open '%s': %s\n", o->output, strerror(errno));
		goto out;
	}
	if (f == stdout)
		wl_progress_clear(&prog); /* the report on the terminal, not after the line */
	if (render(o, f, r, o->nfiles, &partial, &err)) {
		fprintf(stderr, "wattlog report: %s\n", err.msg);
		goto out;
	}
	rc = partial ? 1 : 0; /* a job whose total is partial (commands.h) */
out:
	wl_progress_end(&prog);
	if (f != stdout && f && fclose(f) && !rc) {
		fprintf(stderr, "wattlog report: cannot write '%s': %s\n", o->output, strerror(errno));
		rc = 2;
	}
	for (i = 0; i < done; i++) {
		wl_run_release(&run[i]);
		wl_request_list_release(&rl[i]);
	}
	free(run);
	free(rl);
	free(r);
	return rc;
}
