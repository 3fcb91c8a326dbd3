/*
 * report_md.c - the execution report as Markdown: the text report's
 * sections as pipe tables.  Absent values are "-".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_fmt.h"
#include "wattlog/requests.h"

#define N(i, v) wl_fmt_num(b[i], sizeof(b[i]), (v))

static void overview(FILE *f, const struct wl_report *r)
{
	char b[4][32];

	fprintf(f, "# wattlog report: `%s`\n\n", r->ds->path ? r->ds->path : "-");
	fprintf(f, "| quantity | value |\n|---|---|\n");
	fprintf(f, "| format | %s |\n", r->ds->format ? r->ds->format : "-");
	fprintf(f, "| window | %s s .. %s s |\n| duration | %s s |\n", N(0, r->t_from),
		N(1, r->t_to), N(2, r->duration_s));
	fprintf(f, "| total energy | %s = %s%s |\n", wl_fmt_energy(b[0], sizeof(b[0]), r->energy.total_j),
		wl_fmt_wh(b[1], sizeof(b[1]), r->energy.total_j), r->energy.partial ? " (partial)" : "");
	fprintf(f, "| total counts | %s |\n", r->energy.total_note[0] ? r->energy.total_note : "-");
	if (isfinite(r->energy.total_j) && r->energy.duration_s > 0)
		fprintf(f, "| average power | %s W over the %s s the total covers |\n",
			N(0, r->energy.total_j / r->energy.duration_s), N(1, r->energy.duration_s));
	else
		fprintf(f, "| average power | - (no energy) |\n");
	if (r->energy.partial)
		fprintf(f, "| partial | gaps left out (--no-bridge) |\n");
	else if (r->energy.gap_j > 0)
		fprintf(f, "| bridged gaps | %s J (bounds %s..%s J) |\n", N(0, r->energy.gap_j),
			N(1, r->energy.gap_lo_j), N(2, r->energy.gap_hi_j));
	fprintf(f, "| carbon | %s gCO2eq |\n| intensity | %s g/kWh (%s) |\n", N(0, r->carbon_g),
		N(1, r->intensity_g_per_kwh), r->carbon_source[0] ? r->carbon_source : "-");
	if (!r->share.n)
		fprintf(f, "| command's share | - (%s) |\n", r->share.why[0] ? r->share.why : "none");
	for (size_t i = 0; i < r->share.n; i++)
		fprintf(f, "| command's share of %s | %s J of %s J (rule: %s) |\n",
			r->share.p[i].component, N(0, r->share.p[i].command_j),
			N(1, r->share.p[i].machine_j), r->share.p[i].rule);
}

static void energy(FILE *f, const struct wl_report *r)
{
	char b[8][32];
	size_t i;

	fprintf(f, "\n## Energy per component\n\n| component | E [J] | E [Wh] | avg [W] | peak [W] "
		   "| counter [J] | gauge [J] | diff [%%] | in total | method |\n"
		   "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	for (i = 0; i < r->energy.n; i++) {
		const struct wl_component_energy *c = &r->energy.c[i];
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c->name,
			N(0, c->energy_j), N(1, c->energy_j / 3600), N(2, c->avg_power_w),
			N(3, c->peak_power_w), N(4, c->counter_j), N(5, c->gauge_j),
			N(6, c->diff_pct), c->in_total ? "yes" : "no", c->method);
	}
}

static void stats_row(FILE *f, const struct wl_metric_stats *raw)
{
	char b[9][32];
	struct wl_metric_stats sc, *m = &sc;

	wl_report_scaled(raw, &sc);
	fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		m->device[0] ? m->device : "-", wl_report_group(m->name), m->name,
		m->unit[0] ? m->unit : "-", N(0, m->avg), N(1, m->twa), N(2, m->min), N(3, m->max),
		N(4, m->mode), N(5, m->std), N(6, m->p50), N(7, m->p95), N(8, m->p99));
}

/* Host metrics first, then each GPU's by group (as the text report). */
static void stats(FILE *f, const struct wl_report *r)
{
	static const char *const groups[] = { "Energy", "Compute", "Memory", "Communication",
					      "Other" };
	const char *gpu[64];
	size_t ngpu = wl_report_gpus(r, gpu, 64), i, g, k;

	fprintf(f, "\n## Statistics\n\n| device | group | metric | unit | avg | twa | min | max "
		   "| mode | std | p50 | p95 | p99 |\n"
		   "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < r->nmetrics; i++)
		if (!wl_report_is_gpu(&r->metrics[i]))
			stats_row(f, &r->metrics[i]);
	for (g = 0; g < ngpu; g++)
		for (k = 0; k < sizeof(groups) / sizeof(groups[0]); k++)
			for (i = 0; i < r->nmetrics; i++)
				if (!strcmp(r->metrics[i].device, gpu[g]) &&
				    !strcmp(wl_report_group(r->metrics[i].name), groups[k]))
					stats_row(f, &r->metrics[i]);
}

static void corr(FILE *f, const struct wl_report *r)
{
	const struct wl_correlation *c = &r->corr;
	size_t i;

	fprintf(f, "\n## Top correlated pairs\n\n");
	if (!r->have_grid) {
		fprintf(f, "Not computed (see warnings).\n");
		return;
	}
	if (isnan(c->step_s)) /* wl_corr_rows: a single-rate input's rows */
		fprintf(f, "Every row (%zu, single-rate).\n\n", c->nbins);
	else
		fprintf(f, "Grid %.4g s, %zu bins.\n\n", c->step_s, c->nbins);
	fprintf(f, "| sign | r | metric a | metric b |\n|---|---:|---|---|\n");
	for (i = 0; i < c->ntop_pos; i++)
		fprintf(f, "| + | %.3f | %s | %s |\n", c->top_pos[i].r, c->metrics[c->top_pos[i].a],
			c->metrics[c->top_pos[i].b]);
	for (i = 0; i < c->ntop_neg; i++)
		fprintf(f, "| - | %.3f | %s | %s |\n", c->top_neg[i].r, c->metrics[c->top_neg[i].a],
			c->metrics[c->top_neg[i].b]);
	for (i = 0; i < c->nexcluded; i++)
		fprintf(f, "%s- excluded: %s\n", i ? "" : "\n", c->excluded[i]);
}

static void eff(FILE *f, const struct wl_report *r)
{
	const struct wl_efficiency *e = &r->eff;
	char b[8][32];

	fprintf(f, "\n## Efficiency\n\n| quantity | value |\n|---|---:|\n");
	fprintf(f, "| tokens | %s |\n| tokens/J | %s |\n| J/token | %s |\n| gCO2eq/token | %s |\n"
		   "| tokens/s | %s |\n| tokens/s/W | %s |\n| J/request | %s |\n| MFU [%%] | %s |\n",
		N(0, e->tokens), N(1, e->tokens_per_j), N(2, e->j_per_token), N(3, e->g_per_token),
		N(4, e->tokens_per_s), N(5, e->tokens_per_s_per_w), N(6, e->j_per_request),
		N(7, 100 * e->mfu));
}

static void phases(FILE *f, const struct wl_report *r)
{
	char b[5][32];
	size_t i;

	if (!r->phases)
		return;
	fprintf(f, "\n## Phases\n\n| phase | start [s] | end [s] | E [J] | avg [W] | peak [W] | "
		   "confidence |\n|---|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < r->phases->n; i++) {
		const struct wl_phase *p = &r->phases->p[i];
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %.2f |\n", p->label, N(0, p->start_s),
			N(1, p->end_s), N(2, p->energy_j), N(3, p->avg_power_w),
			N(4, p->peak_power_w), p->confidence);
	}
}

static void requests(FILE *f, const struct wl_report *r)
{
	const struct wl_request_list *rl = r->requests;
	const struct wl_request_dist *d[3];
	const char *dn[3];
	char b[4][32];
	size_t i, j;

	if (!rl)
		return;
	wl_report_request_dists(rl, d, dn);
	fprintf(f, "\n## Requests\n\nRule: %s.\n\n| %zu requests | n | mean | p50 | p95 | p99 |\n"
		   "|---|---:|---:|---:|---:|---:|\n", wl_requests_rule(), rl->n);
	for (i = 0; i < 3; i++)
		fprintf(f, "| %s | %zu | %s | %s | %s | %s |\n", dn[i], d[i]->n, N(0, d[i]->mean),
			N(1, d[i]->p50), N(2, d[i]->p95), N(3, d[i]->p99));
	fprintf(f, "\n| energy | J |\n|---|---:|\n");
	for (j = 0; j < rl->nlabels; j++)
		fprintf(f, "| %s (all requests) | %s |\n", rl->label[j], N(0, rl->label_total_j[j]));
	fprintf(f, "| unphased | %s |\n| requests | %s |\n| unattributed (no request open) | %s |\n"
		   "| total | %s |\n", N(0, rl->unphased_total_j), N(1, rl->requests_energy_j),
		N(2, rl->unattributed_energy_j), N(3, rl->total_energy_j));
}

int wl_report_markdown(FILE *f, const struct wl_report *r, struct wl_error *err)
{
	size_t i;

	overview(f, r);
	energy(f, r);
	stats(f, r);
	corr(f, r);
	eff(f, r);
	phases(f, r);
	requests(f, r);
	if (r->ds->assume.n) {
		fprintf(f, "\n## Assumptions\n\n");
		for (i = 0; i < r->ds->assume.n; i++)
			fprintf(f, "- %s\n", r->ds->assume.a[i].text);
	}
	if (r->ds->nwarn) {
		fprintf(f, "\n## Warnings\n\n");
		for (i = 0; i < r->ds->nwarn; i++)
			fprintf(f, "- %s\n", r->ds->warn[i]);
	}
	if (ferror(f))
		return wl_error_set(err, "cannot write the report");
	return 0;
}
