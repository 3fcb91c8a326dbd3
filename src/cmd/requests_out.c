/*
 * requests_out.c - `wattlog requests` as text, JSON or CSV: one row per
 * request, the distributions across requests, the energy per phase label,
 * the balance requests + unattributed = total, the rule and the notes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/csv_out.h"
#include "phases_out.h"
#include "requests_out.h"

static double cell(const struct wl_request_list *rl, size_t i, size_t j)
{
	return rl->phase_j[i * rl->nlabels + j];
}

/* "%.*f" or "-" when absent. */
static const char *num(char *buf, size_t sz, double v, int prec)
{
	if (isfinite(v))
		snprintf(buf, sz, "%.*f", prec, v);
	else
		snprintf(buf, sz, "-");
	return buf;
}

static void notes_text(FILE *f, const struct wl_requests_run *r)
{
	const struct wl_request_list *rl = r->rl;
	size_t i;

	for (i = 0; i < r->ds->assume.n; i++)
		fprintf(f, "assumption: %s\n", r->ds->assume.a[i].text);
	for (i = 0; i < r->ds->nwarn; i++)
		fprintf(f, "warning: %s\n", r->ds->warn[i]);
	for (i = 0; i < r->win->nnotes; i++)
		fprintf(f, "note: %s\n", r->win->notes[i]);
	if (rl->orphan_phases)
		fprintf(f, "note: %zu phase windows with an ID begin while no request of that ID "
			   "is open: in no request\n", rl->orphan_phases);
	if (rl->phases_past_end)
		fprintf(f, "note: %zu phase windows were still open when their request ended: "
			   "counted up to the request's end\n", rl->phases_past_end);
}

void wl_requests_print_text(FILE *f, const struct wl_requests_run *r)
{
	const struct wl_request_list *rl = r->rl;
	const struct wl_request_dist *d[3] = { &rl->energy, &rl->j_per_token, &rl->latency };
	static const char *dn[3] = { "energy_j", "j_per_token", "latency_s" };
	char b[10][32];
	size_t i, j;

	fprintf(f, "requests of '%s'", r->file);
	if (r->markers)
		fprintf(f, " with markers of '%s'", r->markers);
	fprintf(f, "\nrule: %s\n", wl_requests_rule());
	fprintf(f, "  %-12s %10s %10s %9s %11s", "id", "start_s", "end_s", "dur_s", "energy_j");
	for (j = 0; j < rl->nlabels; j++)
		fprintf(f, " %11.11s", rl->label[j]);
	fprintf(f, " %11s %8s %8s %9s %9s %5s\n", "unphased", "tok_in", "tok_out", "j_per_tok",
		"avg_w", "conc");
	for (i = 0; i < rl->n; i++) {
		const struct wl_request *q = &rl->r[i];

		fprintf(f, "  %-12.12s %10.3f %10.3f %9.3f %11s", q->id[0] ? q->id : "-",
			q->start_s, q->end_s, q->duration_s, num(b[0], 32, q->energy_j, 3));
		for (j = 0; j < rl->nlabels; j++)
			fprintf(f, " %11s", num(b[1], 32, cell(rl, i, j), 3));
		fprintf(f, " %11s %8s %8s %9s %9s %5s\n", num(b[2], 32, q->unphased_j, 3),
			num(b[3], 32, q->tokens_in, 0), num(b[4], 32, q->tokens_out, 0),
			num(b[5], 32, q->j_per_token, 4), num(b[6], 32, q->avg_power_w, 1),
			num(b[7], 32, q->mean_concurrency, 2));
	}
	fprintf(f, "summary: %zu requests\n  %-12s %6s %12s %12s %12s %12s\n", rl->n, "", "n",
		"mean", "p50", "p95", "p99");
	for (i = 0; i < 3; i++)
		fprintf(f, "  %-12s %6zu %12s %12s %12s %12s\n", dn[i], d[i]->n,
			num(b[0], 32, d[i]->mean, 4), num(b[1], 32, d[i]->p50, 4),
			num(b[2], 32, d[i]->p95, 4), num(b[3], 32, d[i]->p99, 4));
	fprintf(f, "energy per phase label across requests:");
	for (j = 0; j < rl->nlabels; j++)
		fprintf(f, " %s %s J,", rl->label[j], num(b[0], 32, rl->label_total_j[j], 3));
	fprintf(f, " unphased %s J\n", num(b[0], 32, rl->unphased_total_j, 3));
	fprintf(f, "energy: requests %s J + unattributed (no request open) %s J = total %s J\n",
		num(b[0], 32, rl->requests_energy_j, 3), num(b[1], 32, rl->unattributed_energy_j, 3),
		num(b[2], 32, rl->total_energy_j, 3));
	notes_text(f, r);
}

static void json_dist(FILE *f, const char *name, const struct wl_request_dist *d)
{
	fprintf(f, "\"%s\": {\"n\": %zu, \"mean\": ", name, d->n);
	wl_json_num(f, d->mean);
	fputs(", \"p50\": ", f);
	wl_json_num(f, d->p50);
	fputs(", \"p95\": ", f);
	wl_json_num(f, d->p95);
	fputs(", \"p99\": ", f);
	wl_json_num(f, d->p99);
	fputc('}', f);
}

static void json_kv(FILE *f, const char *k, double v, int comma)
{
	if (comma)
		fputs(", ", f);
	wl_json_str(f, k);
	fputs(": ", f);
	wl_json_num(f, v);
}

static void json_request(FILE *f, const struct wl_requests_run *r, size_t i)
{
	const struct wl_request_list *rl = r->rl;
	const struct wl_request *q = &rl->r[i];
	const struct wl_phase *w = &r->win->p[q->win];
	size_t j, c = 0;

	fputs("    {\"id\": ", f);
	wl_json_str(f, q->id);
	json_kv(f, "start_s", q->start_s, 1);
	json_kv(f, "end_s", q->end_s, 1);
	json_kv(f, "duration_s", q->duration_s, 1);
	json_kv(f, "energy_j", q->energy_j, 1);
	fputs(", \"phases\": {", f);
	for (j = 0; j < rl->nlabels; j++)
		if (!isnan(cell(rl, i, j)))
			json_kv(f, rl->label[j], cell(rl, i, j), c++ > 0);
	fputc('}', f);
	json_kv(f, "unphased_j", q->unphased_j, 1);
	json_kv(f, "tokens_in", q->tokens_in, 1);
	json_kv(f, "tokens_out", q->tokens_out, 1);
	json_kv(f, "j_per_token", q->j_per_token, 1);
	json_kv(f, "avg_power_w", q->avg_power_w, 1);
	json_kv(f, "mean_concurrency", q->mean_concurrency, 1);
	fputs(", \"attrs\": ", f);
	wl_phases_json_attrs(f, r->win, w);
	fputc('}', f);
}

void wl_requests_print_json(FILE *f, const struct wl_requests_run *r)
{
	const struct wl_request_list *rl = r->rl;
	size_t i, j;

	fputs("{\n  \"file\": ", f);
	wl_json_str(f, r->file);
	fputs(",\n  \"markers\": ", f);
	if (r->markers)
		wl_json_str(f, r->markers);
	else
		fputs("null", f);
	fputs(",\n  \"rule\": ", f);
	wl_json_str(f, wl_requests_rule());
	fputs(",\n  \"requests\": [", f);
	for (i = 0; i < rl->n; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_request(f, r, i);
	}
	fputs(rl->n ? "\n  ],\n  \"summary\": {" : "],\n  \"summary\": {", f);
	fprintf(f, "\"count\": %zu, ", rl->n);
	json_dist(f, "energy_j", &rl->energy);
	fputs(", ", f);
	json_dist(f, "j_per_token", &rl->j_per_token);
	fputs(", ", f);
	json_dist(f, "latency_s", &rl->latency);
	fputs("},\n  \"label_totals_j\": {", f);
	for (j = 0; j < rl->nlabels; j++)
		json_kv(f, rl->label[j], rl->label_total_j[j], j > 0);
	fputs("},\n  \"unphased_energy_j\": ", f);
	wl_json_num(f, rl->unphased_total_j);
	fputs(",\n  \"requests_energy_j\": ", f);
	wl_json_num(f, rl->requests_energy_j);
	fputs(",\n  \"unattributed_energy_j\": ", f);
	wl_json_num(f, rl->unattributed_energy_j);
	fputs(",\n  \"total_energy_j\": ", f);
	wl_json_num(f, rl->total_energy_j);
	fprintf(f, ",\n  \"orphan_phases\": %zu,\n  \"phases_past_end\": %zu,\n  \"notes\": [",
		rl->orphan_phases, rl->phases_past_end);
	for (i = 0; i < r->win->nnotes; i++) {
		fputs(i ? ", " : "", f);
		wl_json_str(f, r->win->notes[i]);
	}
	fputs("],\n  \"assumptions\": [", f);
	for (i = 0; i < r->ds->assume.n; i++) {
		fputs(i ? ", " : "", f);
		wl_json_str(f, r->ds->assume.a[i].text);
	}
	fputs("],\n  \"warnings\": [", f);
	for (i = 0; i < r->ds->nwarn; i++) {
		fputs(i ? ", " : "", f);
		wl_json_str(f, r->ds->warn[i]);
	}
	fputs("]\n}\n", f);
}

void wl_requests_print_csv(FILE *f, const struct wl_requests_run *r, int header)
{
	const struct wl_request_list *rl = r->rl;
	size_t i, j;

	if (header) {
		fputs("file,id,start_s,end_s,duration_s,energy_j", f);
		for (j = 0; j < rl->nlabels; j++)
			fprintf(f, ",%s_j", rl->label[j]);
		fputs(",unphased_j,tokens_in,tokens_out,j_per_token,avg_power_w,"
		      "mean_concurrency\n", f);
	}
	for (i = 0; i < rl->n; i++) {
		const struct wl_request *q = &rl->r[i];

		wl_csv_field(f, r->file);
		fputc(',', f);
		wl_csv_field(f, q->id);
		wl_csv_value(f, q->start_s);
		wl_csv_value(f, q->end_s);
		wl_csv_value(f, q->duration_s);
		wl_csv_value(f, q->energy_j);
		for (j = 0; j < rl->nlabels; j++)
			wl_csv_value(f, cell(rl, i, j));
		wl_csv_value(f, q->unphased_j);
		wl_csv_value(f, q->tokens_in);
		wl_csv_value(f, q->tokens_out);
		wl_csv_value(f, q->j_per_token);
		wl_csv_value(f, q->avg_power_w);
		wl_csv_value(f, q->mean_concurrency);
		fputc('\n', f);
	}
}
