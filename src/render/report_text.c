/*
 * report_text.c - the execution report as aligned text within 100 columns:
 * overview, energy per component, host statistics, per-GPU statistics
 * grouped Energy / Compute / Memory / Communication, top correlated pairs,
 * efficiency, phases (when given), warnings.  Units on every number.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_fmt.h"
#include "wattlog/requests.h"

#define RULE "----------------------------------------------------------------" \
	     "------------------------------------"

static const char *const groups[] = { "Energy", "Compute", "Memory", "Communication", "Other" };

static void heading(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n%.*s\n", title, (int)strlen(title), RULE);
}

/* The command's share beside the machine's total, with the rule. */
static void share(FILE *f, const struct wl_report *r)
{
	const struct wl_share *s = &r->share;
	char a[32], b[32], c[32], d[32];
	size_t i;

	if (!s->n) {
		fprintf(f, "  %-18s - (%s)\n", "command's share", s->why[0] ? s->why : "none");
		return;
	}
	fprintf(f, "  %-18s %s of the machine's %s total\n", "command's share",
		wl_fmt_energy(a, sizeof(a), s->command_j),
		wl_fmt_energy(b, sizeof(b), r->energy.total_j));
	for (i = 0; i < s->n; i++) {
		const struct wl_share_part *p = &s->p[i];

		fprintf(f, "  %-18s %s of %s (%s %%) over %s s\n    rule: %s\n", p->component,
			wl_fmt_energy(a, sizeof(a), p->command_j),
			wl_fmt_energy(b, sizeof(b), p->machine_j),
			wl_fmt_num(c, sizeof(c), p->machine_j > 0 ? 100 * p->command_j / p->machine_j
								 : NAN),
			wl_fmt_num(d, sizeof(d), p->covered_s), p->rule);
	}
}

static void overview(FILE *f, const struct wl_report *r)
{
	const struct wl_energy *e = &r->energy;
	char a[32], b[32], c[32];

	fprintf(f, "wattlog report (%s)\n  %s\n", r->ds->format ? r->ds->format : "-",
		r->ds->path ? r->ds->path : "-");
	heading(f, "Overview");
	fprintf(f, "  %-18s %s s .. %s s since the start (%s s)\n", "window",
		wl_fmt_num(a, sizeof(a), r->t_from), wl_fmt_num(b, sizeof(b), r->t_to),
		wl_fmt_num(c, sizeof(c), r->duration_s));
	fprintf(f, "  %-18s %s = %s%s\n", "total energy", wl_fmt_energy(a, sizeof(a), e->total_j),
		wl_fmt_wh(b, sizeof(b), e->total_j), e->partial ? " (partial)" : "");
	fprintf(f, "  %-18s %s\n", "total counts", e->total_note[0] ? e->total_note : "-");
	if (isfinite(e->total_j) && e->duration_s > 0)
		fprintf(f, "  %-18s %s W over the %s s the total covers\n", "average power",
			wl_fmt_num(a, sizeof(a), e->total_j / e->duration_s),
			wl_fmt_num(b, sizeof(b), e->duration_s));
	else
		fprintf(f, "  %-18s - (no energy)\n", "average power");
	if (e->partial)
		fprintf(f, "  %-18s partial: gaps left out (--no-bridge)\n", "total is");
	else if (e->gap_j > 0)
		fprintf(f, "  %-18s %s of the total (%.3g %%), bounds %s .. %s\n",
			"bridged gaps", wl_fmt_energy(a, sizeof(a), e->gap_j),
			100.0 * e->gap_j / e->total_j, wl_fmt_energy(b, sizeof(b), e->gap_lo_j),
			wl_fmt_energy(c, sizeof(c), e->gap_hi_j));
	share(f, r);
	if (!isnan(r->carbon_g))
		fprintf(f, "  %-18s %s gCO2eq at %s g/kWh, PUE %.2f, embodied %s g\n"
			"  %-18s %s\n", "carbon", wl_fmt_num(a, sizeof(a), r->carbon_g),
			wl_fmt_num(b, sizeof(b), r->intensity_g_per_kwh), r->pue,
			wl_fmt_num(c, sizeof(c), r->embodied_g), "intensity from", r->carbon_source);
	else
		fprintf(f, "  %-18s - (no intensity: --intensity, --region, --intensity-trace)\n",
			"carbon");
}

static void energy_table(FILE *f, const struct wl_report *r)
{
	char v[9][32];
	size_t i;

	heading(f, "Energy per component");
	fprintf(f, "  %-12s %10s %11s %7s %7s %10s %10s %7s %-5s %s\n", "component", "E",
		"E [Wh/kWh]", "avg [W]", "peak W", "counter", "gauge", "diff %", "total",
		"method");
	for (i = 0; i < r->energy.n; i++) {
		const struct wl_component_energy *c = &r->energy.c[i];
		fprintf(f, "  %-12.12s %10s %11s %7s %7s %10s %10s %7s %-5s %s\n", c->name,
			wl_fmt_energy(v[0], 32, c->energy_j), wl_fmt_wh(v[1], 32, c->energy_j),
			wl_fmt_num(v[2], 32, c->avg_power_w), wl_fmt_num(v[3], 32, c->peak_power_w),
			wl_fmt_energy(v[4], 32, c->counter_j), wl_fmt_energy(v[5], 32, c->gauge_j),
			wl_fmt_num(v[6], 32, c->diff_pct), c->in_total ? "yes" : "no", c->method);
	}
	if (!r->energy.n)
		fprintf(f, "  (no power or energy channel)\n");
}

static void stats_header(FILE *f)
{
	fprintf(f, "  %-20s %-5s%8s%8s%8s%8s%8s%8s%8s%8s%8s\n", "metric", "unit", "avg", "twa",
		"min", "max", "mode", "std", "p50", "p95", "p99");
}

static void stats_row(FILE *f, const struct wl_metric_stats *raw, int with_device)
{
	char name[100], v[9][32];
	struct wl_metric_stats sc, *m = &sc;

	wl_report_scaled(raw, &sc);
	if (with_device && raw->device[0])
		snprintf(name, sizeof(name), "%s %s", raw->name, raw->device);
	else
		snprintf(name, sizeof(name), "%s", raw->name);
	if (strlen(name) > 20)
		strcpy(name + 19, "~");
	fprintf(f, "  %-20s %-5.5s%8s%8s%8s%8s%8s%8s%8s%8s%8s\n", name, m->unit,
		wl_fmt_num(v[0], 32, m->avg), wl_fmt_num(v[1], 32, m->twa),
		wl_fmt_num(v[2], 32, m->min), wl_fmt_num(v[3], 32, m->max),
		wl_fmt_num(v[4], 32, m->mode), wl_fmt_num(v[5], 32, m->std),
		wl_fmt_num(v[6], 32, m->p50), wl_fmt_num(v[7], 32, m->p95),
		wl_fmt_num(v[8], 32, m->p99));
}

static void statistics(FILE *f, const struct wl_report *r)
{
	const char *gpu[64];
	size_t ngpu = wl_report_gpus(r, gpu, 64), i, g, k;
	int any = 0;

	for (i = 0; i < r->nmetrics; i++) {
		if (wl_report_is_gpu(&r->metrics[i]))
			continue;
		if (!any++) {
			heading(f, "Host and component statistics (twa: time-weighted average)");
			stats_header(f);
		}
		stats_row(f, &r->metrics[i], 1);
	}
	for (g = 0; g < ngpu; g++) {
		char title[64];
		snprintf(title, sizeof(title), "GPU %s statistics", gpu[g]);
		heading(f, title);
		stats_header(f);
		for (k = 0; k < sizeof(groups) / sizeof(groups[0]); k++) {
			int shown = 0;
			for (i = 0; i < r->nmetrics; i++) {
				const struct wl_metric_stats *m = &r->metrics[i];
				if (strcmp(m->device, gpu[g]) ||
				    strcmp(wl_report_group(m->name), groups[k]))
					continue;
				if (!shown++)
					fprintf(f, "  [%s]\n", groups[k]);
				stats_row(f, m, 0);
			}
		}
	}
}

static void pairs(FILE *f, const struct wl_correlation *c, const struct wl_pair *p, size_t n,
		  const char *title)
{
	size_t i;

	fprintf(f, "  %s\n", title);
	if (!n)
		fprintf(f, "    (none)\n");
	for (i = 0; i < n; i++)
		fprintf(f, "    %+.3f  %-40.40s %-.40s\n", p[i].r, c->metrics[p[i].a],
			c->metrics[p[i].b]);
}

static void correlation(FILE *f, const struct wl_report *r)
{
	const struct wl_correlation *c = &r->corr;
	size_t i;

	heading(f, "Correlation (Pearson r of bin averages)");
	if (!r->have_grid) {
		fprintf(f, "  (not computed: see warnings)\n");
		return;
	}
	if (isnan(c->step_s)) /* wl_corr_rows: a single-rate input's rows */
		fprintf(f, "  every row (%zu, single-rate), %zu metrics\n", c->nbins, c->n);
	else
		fprintf(f, "  grid %.4g s, %zu bins, %zu metrics\n", c->step_s, c->nbins, c->n);
	pairs(f, c, c->top_pos, c->ntop_pos, "most positive:");
	pairs(f, c, c->top_neg, c->ntop_neg, "most negative:");
	for (i = 0; i < c->nexcluded; i++)
		fprintf(f, "  excluded: %s\n", c->excluded[i]);
}

static void efficiency(FILE *f, const struct wl_report *r)
{
	const struct wl_efficiency *e = &r->eff;
	char v[32];

	heading(f, "Efficiency");
	if (isnan(e->tokens) && isnan(e->mfu) && isnan(e->j_per_request)) {
		fprintf(f, "  (no workload figures: --tokens/--output-tokens, --requests, --flops "
			   "with --peak-flops, or meta.json)\n");
		return;
	}
	fprintf(f, "  %-22s %s (%s)\n", "tokens", wl_fmt_num(v, 32, e->tokens),
		r->work_source[0] ? r->work_source : "-");
	fprintf(f, "  %-22s %s tokens/J\n", "tokens per joule", wl_fmt_num(v, 32, e->tokens_per_j));
	fprintf(f, "  %-22s %s J/token\n", "energy per token", wl_fmt_num(v, 32, e->j_per_token));
	fprintf(f, "  %-22s %s gCO2eq/token\n", "carbon per token", wl_fmt_num(v, 32, e->g_per_token));
	fprintf(f, "  %-22s %s tokens/s\n", "throughput", wl_fmt_num(v, 32, e->tokens_per_s));
	fprintf(f, "  %-22s %s tokens/s/W\n", "throughput per watt",
		wl_fmt_num(v, 32, e->tokens_per_s_per_w));
	fprintf(f, "  %-22s %s J/request\n", "energy per request", wl_fmt_num(v, 32, e->j_per_request));
	fprintf(f, "  %-22s %s %%\n", "MFU", wl_fmt_num(v, 32, 100 * e->mfu));
}

static void phases(FILE *f, const struct wl_report *r)
{
	char v[5][32];
	size_t i;

	if (!r->phases)
		return;
	heading(f, "Phases");
	fprintf(f, "  %-16s %9s %9s %10s %9s %9s %9s %5s\n", "phase", "start [s]", "end [s]",
		"E", "avg [W]", "peak [W]", "conf", "depth");
	for (i = 0; i < r->phases->n; i++) {
		const struct wl_phase *p = &r->phases->p[i];
		fprintf(f, "  %-16.16s %9s %9s %10s %9s %9s %9.2f %5d\n", p->label,
			wl_fmt_num(v[0], 32, p->start_s), wl_fmt_num(v[1], 32, p->end_s),
			wl_fmt_energy(v[2], 32, p->energy_j), wl_fmt_num(v[3], 32, p->avg_power_w),
			wl_fmt_num(v[4], 32, p->peak_power_w), p->confidence, p->depth);
	}
	for (i = 0; i < r->phases->nnotes; i++)
		fprintf(f, "  note: %s\n", r->phases->notes[i]);
}

/* The requests: the rule, the distributions, the totals per label and the
 * balance; the first rows (all of them: `wattlog requests`). */
static void requests(FILE *f, const struct wl_report *r)
{
	const struct wl_request_list *rl = r->requests;
	const struct wl_request_dist *d[3];
	const char *dn[3];
	char v[6][32];
	size_t i, j;

	if (!rl)
		return;
	wl_report_request_dists(rl, d, dn);
	heading(f, "Requests");
	fprintf(f, "  rule: %s\n", wl_requests_rule());
	fprintf(f, "  %zu requests\n  %-12s %6s %10s %10s %10s %10s\n", rl->n, "", "n", "mean",
		"p50", "p95", "p99");
	for (i = 0; i < 3; i++)
		fprintf(f, "  %-12s %6zu %10s %10s %10s %10s\n", dn[i], d[i]->n,
			wl_fmt_num(v[0], 32, d[i]->mean), wl_fmt_num(v[1], 32, d[i]->p50),
			wl_fmt_num(v[2], 32, d[i]->p95), wl_fmt_num(v[3], 32, d[i]->p99));
	fprintf(f, "  per phase label across requests:");
	for (j = 0; j < rl->nlabels; j++)
		fprintf(f, " %s %s J,", rl->label[j], wl_fmt_num(v[0], 32, rl->label_total_j[j]));
	fprintf(f, " unphased %s J\n", wl_fmt_num(v[0], 32, rl->unphased_total_j));
	fprintf(f, "  requests %s J + unattributed (no request open) %s J = total %s J\n",
		wl_fmt_num(v[0], 32, rl->requests_energy_j),
		wl_fmt_num(v[1], 32, rl->unattributed_energy_j),
		wl_fmt_num(v[2], 32, rl->total_energy_j));
	if (r->work.requests > 0)
		fprintf(f, "  (the efficiency's energy per request divides the whole window's energy, "
			   "idle time included, by --requests)\n");
	fprintf(f, "  %-12s %9s %9s %10s %8s %8s %9s\n", "id", "start [s]", "end [s]", "E [J]",
		"tok_in", "tok_out", "J/token");
	for (i = 0; i < rl->n && i < 10; i++) {
		const struct wl_request *q = &rl->r[i];

		fprintf(f, "  %-12.12s %9s %9s %10s %8s %8s %9s\n", q->id,
			wl_fmt_num(v[0], 32, q->start_s), wl_fmt_num(v[1], 32, q->end_s),
			wl_fmt_num(v[2], 32, q->energy_j), wl_fmt_num(v[3], 32, q->tokens_in),
			wl_fmt_num(v[4], 32, q->tokens_out), wl_fmt_num(v[5], 32, q->j_per_token));
	}
	if (rl->n > 10)
		fprintf(f, "  ... %zu more: wattlog requests FILE\n", rl->n - 10);
}

int wl_report_text(FILE *f, const struct wl_report *r, struct wl_error *err)
{
	size_t i;

	overview(f, r);
	energy_table(f, r);
	statistics(f, r);
	correlation(f, r);
	efficiency(f, r);
	phases(f, r);
	requests(f, r);
	if (r->ds->assume.n) {
		heading(f, "Assumptions");
		for (i = 0; i < r->ds->assume.n; i++)
			fprintf(f, "  - %s\n", r->ds->assume.a[i].text);
	}
	if (r->ds->nwarn) {
		heading(f, "Warnings");
		for (i = 0; i < r->ds->nwarn; i++)
			fprintf(f, "  - %s\n", r->ds->warn[i]);
	}
	if (ferror(f))
		return wl_error_set(err, "cannot write the report");
	return 0;
}
