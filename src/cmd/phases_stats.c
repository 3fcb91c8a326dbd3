/*
 * phases_stats.c - `wattlog phases --stats`: for each phase window, the
 * statistics of every metric (wl_stats_dataset) and the Pearson correlation
 * matrix with its top pairs (wl_correlate: rows or grid bins), both over
 * the window [start_s, end_s] alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phases_out.h"
#include "wattlog/analysis.h"

struct win_stats {
	struct wl_metric_stats *m;
	size_t nm;
	struct wl_correlation c;
	int have_c;
	char note[WL_ERROR_MAX + 32];
};

static int compute(const struct wl_dataset *ds, const struct wl_phase *p, struct win_stats *w)
{
	struct wl_analysis_opts o;
	struct wl_grid g;
	struct wl_error err;
	int rc;

	memset(w, 0, sizeof(*w));
	wl_analysis_opts_init(&o);
	o.t_from = p->start_s;
	o.t_to = p->end_s;
	if (wl_stats_dataset(ds, &o, &w->m, &w->nm, NULL, &err) < 0) {
		snprintf(w->note, sizeof(w->note), "statistics: %s", err.msg);
		return 0;
	}
	memset(&g, 0, sizeof(g));
	rc = wl_correlate(ds, &o, &g, &w->c, &err);
	if (rc)
		snprintf(w->note, sizeof(w->note), "correlation: %s", err.msg);
	w->have_c = rc == 0;
	wl_grid_release(&g);
	return 0;
}

static void release(struct win_stats *w)
{
	free(w->m);
	if (w->have_c)
		wl_correlation_release(&w->c);
}

static void text_one(FILE *f, const struct wl_phase *p, const struct win_stats *w)
{
	size_t i;

	fprintf(f, "\n%s [%.2f, %.2f] s\n", p->label, p->start_s, p->end_s);
	if (w->note[0])
		fprintf(f, "  note: %s\n", w->note);
	if (w->nm)
		fprintf(f, "  %-28s %-6s %6s %10s %10s %10s %10s %10s\n", "metric", "unit", "n", "avg",
			"min", "max", "std", "p95");
	for (i = 0; i < w->nm; i++) {
		const struct wl_metric_stats *m = &w->m[i];
		char name[100];

		snprintf(name, sizeof(name), "%s%s%s", m->name, m->device[0] ? " " : "",
			 m->device);
		fprintf(f, "  %-28.28s %-6s %6zu %10.4g %10.4g %10.4g %10.4g %10.4g\n", name,
			m->unit, m->n, m->avg, m->min, m->max, m->std, m->p95);
	}
	if (!w->have_c)
		return;
	for (i = 0; i < w->c.ntop_pos; i++)
		fprintf(f, "  r = %+.3f  %s ~ %s\n", w->c.top_pos[i].r,
			w->c.metrics[w->c.top_pos[i].a], w->c.metrics[w->c.top_pos[i].b]);
	for (i = 0; i < w->c.ntop_neg; i++)
		fprintf(f, "  r = %+.3f  %s ~ %s\n", w->c.top_neg[i].r,
			w->c.metrics[w->c.top_neg[i].a], w->c.metrics[w->c.top_neg[i].b]);
}

static void json_pairs(FILE *f, const struct wl_correlation *c, const struct wl_pair *p, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? ", {\"a\": " : "{\"a\": ", f);
		wl_json_str(f, c->metrics[p[i].a]);
		fputs(", \"b\": ", f);
		wl_json_str(f, c->metrics[p[i].b]);
		fputs(", \"r\": ", f);
		wl_json_num(f, p[i].r);
		fputc('}', f);
	}
	fputc(']', f);
}

static void json_one(FILE *f, const struct wl_phase *p, const struct win_stats *w)
{
	size_t i, j;

	fputs("{\"label\": ", f);
	wl_json_str(f, p->label);
	fprintf(f, ", \"start_s\": %.4f, \"end_s\": %.4f, \"note\": ", p->start_s, p->end_s);
	wl_json_str(f, w->note);
	fputs(", \"metrics\": [", f);
	for (i = 0; i < w->nm; i++) {
		const struct wl_metric_stats *m = &w->m[i];
		const double v[] = { m->avg, m->min, m->max, m->std, m->mode, m->p50, m->p95,
				     m->p99, m->twa };
		const char *k[] = { "avg", "min", "max", "std", "mode", "p50", "p95", "p99",
				    "twa" };

		fputs(i ? ",\n      {\"name\": " : "\n      {\"name\": ", f);
		wl_json_str(f, m->name);
		fputs(", \"device\": ", f);
		wl_json_str(f, m->device);
		fputs(", \"unit\": ", f);
		wl_json_str(f, m->unit);
		fprintf(f, ", \"n\": %zu", m->n);
		for (j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			fprintf(f, ", \"%s\": ", k[j]);
			wl_json_num(f, v[j]);
		}
		fputc('}', f);
	}
	fputs("]", f);
	if (w->have_c) {
		fputs(",\n     \"correlation\": {\"metrics\": [", f);
		for (i = 0; i < w->c.n; i++) {
			fputs(i ? ", " : "", f);
			wl_json_str(f, w->c.metrics[i]);
		}
		fputs("], \"r\": [", f);
		for (i = 0; i < w->c.n; i++) {
			fputs(i ? ", [" : "[", f);
			for (j = 0; j < w->c.n; j++) {
				fputs(j ? ", " : "", f);
				wl_json_num(f, w->c.r[i * w->c.n + j]);
			}
			fputc(']', f);
		}
		fputs("], \"top_positive\": ", f);
		json_pairs(f, &w->c, w->c.top_pos, w->c.ntop_pos);
		fputs(", \"top_negative\": ", f);
		json_pairs(f, &w->c, w->c.top_neg, w->c.ntop_neg);
		fputc('}', f);
	}
	fputc('}', f);
}

void wl_phases_print_stats(FILE *f, const struct wl_dataset *ds, const struct wl_phase_list *pl,
			   int json)
{
	size_t i;

	if (json)
		fputc('[', f);
	else
		fprintf(f, "\nstatistics and correlation per phase:\n");
	for (i = 0; i < pl->n; i++) {
		struct win_stats w;

		compute(ds, &pl->p[i], &w);
		if (json) {
			fputs(i ? ",\n    " : "\n    ", f);
			json_one(f, &pl->p[i], &w);
		} else {
			text_one(f, &pl->p[i], &w);
		}
		release(&w);
	}
	if (json)
		fputs(pl->n ? "\n  ]" : "]", f);
}
