/*
 * report_job.c - the job section of a merged Slurm job's report
 * (report_job.h).  Energies in J and Wh; a node with no data shows "-".
 */
#include <math.h>
#include <stdio.h>

#include "wattlog/report_job.h"

static void num(FILE *f, const char *fmt, double v)
{
	if (isnan(v))
		fprintf(f, "%12s", "-");
	else
		fprintf(f, fmt, v);
}

/* A markdown cell: " v |", "-" for a value absent (never "nan"). */
static void mdnum(FILE *f, const char *fmt, double v)
{
	fputc(' ', f);
	if (isnan(v))
		fputc('-', f);
	else
		fprintf(f, fmt, v);
	fputs(" |", f);
}

static void problems(FILE *f, const struct wl_job_summary *s, const char *bullet)
{
	for (size_t k = 0; k < s->n; k++)
		if (s->node[k].problem[0])
			fprintf(f, "%snode %s: %s\n", bullet, s->node[k].name, s->node[k].problem);
}

static void imbalance(FILE *f, const struct wl_job_summary *s, const char *bullet)
{
	size_t k;

	if (s->imax >= 0)
		fprintf(f, "%smost energy: %s, %.1f J; spread of the %s %.1f J .. %.1f J "
			"(%.2f %% of the mean %.1f J)\n", bullet, s->node[s->imax].name, s->max_j,
			s->basis, s->min_j, s->max_j, s->spread_pct, s->mean_j);
	for (k = 0; k < s->n; k++) {
		const struct wl_job_node *d = &s->node[k];

		if (d->ended_late)
			fprintf(f, "%snode %s ended late: last sample at %.3f s (more than %.3f s "
				"after the median end)\n", bullet, d->name, d->t_last, s->end_tol_s);
		if (d->damage)
			fprintf(f, "%snode %s lost samples: %lu damaged or lost stretch(es) in its "
				"trace\n", bullet, d->name, d->damage);
	}
}

int wl_report_job_text(FILE *f, const struct wl_job_summary *s)
{
	size_t k;

	fprintf(f, "Job %s: %zu node%s%s\n", s->id[0] ? s->id : "(no Slurm job id)", s->n,
		s->n == 1 ? "" : "s", s->partial ? " (PARTIAL: see problems)" : "");
	fprintf(f, "  %-16s %12s %12s %12s %12s %12s %12s\n", "node", "energy J", "node J",
		"start s", "end s", "offset s", "mono off s");
	for (k = 0; k < s->n; k++) {
		const struct wl_job_node *d = &s->node[k];

		fprintf(f, "  %-16s ", d->name);
		num(f, "%12.1f", d->energy_j);
		fputc(' ', f);
		num(f, "%12.1f", d->node_energy_j);
		fputc(' ', f);
		num(f, "%12.3f", d->t_first);
		fputc(' ', f);
		num(f, "%12.3f", d->t_last);
		fputc(' ', f);
		num(f, "%12.6f", d->offset_s);
		fputc(' ', f);
		num(f, "%12.3f", d->mono_offset_s);
		fputc('\n', f);
	}
	if (!isnan(s->total_j))
		fprintf(f, "  job total: %.1f J (%.4f Wh), %s%s\n", s->total_j, s->total_j / 3600.0,
			s->total_note, s->partial ? "; PARTIAL: nodes missing or cut off" : "");
	if (!isnan(s->node_total_j))
		fprintf(f, "  job total, whole nodes (pm_counters: board, fans, network "
			"included): %.1f J (%.4f Wh)%s\n", s->node_total_j,
			s->node_total_j / 3600.0, s->partial ? "; PARTIAL" : "");
	fprintf(f, "Imbalance\n");
	imbalance(f, s, "  ");
	if (s->partial) {
		fprintf(f, "Problems\n");
		problems(f, s, "  ");
	}
	return ferror(f) ? -1 : 0;
}

int wl_report_job_md(FILE *f, const struct wl_job_summary *s)
{
	size_t k;

	fprintf(f, "## Job %s: %zu nodes%s\n\n", s->id[0] ? s->id : "(no Slurm job id)", s->n,
		s->partial ? " (partial)" : "");
	fprintf(f, "| node | energy J | node J | start s | end s | offset s |\n"
		"|---|---:|---:|---:|---:|---:|\n");
	for (k = 0; k < s->n; k++) {
		const struct wl_job_node *d = &s->node[k];

		fprintf(f, "| %s |", d->name);
		mdnum(f, "%.1f", d->energy_j);
		mdnum(f, "%.1f", d->node_energy_j);
		mdnum(f, "%.3f", d->t_first);
		mdnum(f, "%.3f", d->t_last);
		mdnum(f, "%.6f", d->offset_s);
		fputc('\n', f);
	}
	if (!isnan(s->total_j))
		fprintf(f, "\nJob total: %.1f J (%s)%s\n", s->total_j, s->total_note,
			s->partial ? ", **partial**" : "");
	if (!isnan(s->node_total_j))
		fprintf(f, "\nJob total, whole nodes (pm_counters): %.1f J\n", s->node_total_j);
	fprintf(f, "\n### Imbalance\n\n");
	imbalance(f, s, "- ");
	if (s->partial) {
		fprintf(f, "\n### Problems\n\n");
		problems(f, s, "- ");
	}
	return ferror(f) ? -1 : 0;
}
