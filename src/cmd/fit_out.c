/*
 * fit_out.c - what `wattlog fit` prints: a fitted model (text; its JSON is
 * the model file, fit_model.c) and a model's predictions (text or JSON).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_out.h"
#include "phases_out.h"

static const char *kind_name(const struct wl_fit_model *m)
{
	return m->kind == WL_FIT_POWER_LAW ? "power-law" : "linear";
}

static void assumptions(FILE *f, const struct wl_dataset *notes)
{
	size_t i;

	if (!notes || !notes->nwarn)
		return;
	fprintf(f, "Assumptions:\n");
	for (i = 0; i < notes->nwarn; i++)
		fprintf(f, "  - %s\n", notes->warn[i]);
}

void wl_fit_print_model(FILE *f, const struct wl_fit_model *m, const struct wl_fit_cv *cv,
			const struct wl_dataset *notes)
{
	size_t i;

	fprintf(f, "%s model of '%s' on ", kind_name(m), m->power);
	for (i = 0; i < m->nx; i++)
		fprintf(f, "%s'%s'", i ? ", " : "", m->x[i]);
	if (m->kind == WL_FIT_POWER_LAW)
		fprintf(f, " (x_sat %g, fixed)", m->x_sat);
	fprintf(f, "\n%zu samples from %zu file%s on a %.4g s grid%s%s%s\n", m->n, m->nfiles,
		m->nfiles == 1 ? "" : "s", m->grid_s, *m->phases ? ", phases " : "", m->phases,
		*m->gpu ? "" : "");
	if (*m->gpu)
		fprintf(f, "GPU: %s\n", m->gpu);
	if (m->kind == WL_FIT_POWER_LAW)
		fprintf(f, "P = p_idle_w + (p_max_w - p_idle_w) * min(1, x / x_sat)^gamma\n");
	else
		fprintf(f, "P = a + sum_i b_i * x_i\n");
	fprintf(f, "  %-36s %12s %12s %27s\n", "parameter", "value", "std. error", "95 % CI");
	for (i = 0; i < m->np; i++)
		fprintf(f, "  %-36s %12.6g %12.4g   [%11.6g, %11.6g]\n", m->p[i].name,
			m->p[i].value, m->p[i].se, m->p[i].ci_lo, m->p[i].ci_hi);
	fprintf(f, "R^2 %.4f, RMSE %.3f W, residual lag-1 autocorrelation %.3f\n", m->r2,
		m->rmse_w, m->acf1);
	if (cv) {
		fprintf(f, "cross-validation, %zu folds by file (fold k holds files k, k+%zu, ...):\n",
			cv->k, cv->k);
		for (i = 0; i < cv->k; i++)
			fprintf(f, "  fold %zu: %zu file%s, measured %.1f J, predicted %.1f J, "
				"error %+.2f %%\n", i + 1, cv->fold[i].nfiles,
				cv->fold[i].nfiles == 1 ? "" : "s", cv->fold[i].measured_j,
				cv->fold[i].predicted_j, cv->fold[i].error_pct);
		fprintf(f, "  mean |error| %.2f %%, mean error %+.2f %%\n", cv->mean_abs_error_pct,
			cv->mean_error_pct);
	}
	assumptions(f, notes);
}

static void text_pred(FILE *f, const struct wl_fit_prediction *p)
{
	size_t i;

	fprintf(f, "'%s': measured %.1f J, predicted %.1f J, error %+.2f %% over %.2f s "
		"(%.2f to %.2f s; RMSE %.2f W on %zu grid bins)\n", p->path, p->total.measured_j,
		p->total.predicted_j, p->total.error_pct, p->covered_s, p->total.start_s,
		p->total.end_s, p->rmse_w, p->nbins);
	if (!p->nphase) {
		fprintf(f, "  (%s)\n", p->phase_method);
		return;
	}
	fprintf(f, "  phases (%s):\n", p->phase_method);
	fprintf(f, "    %-16s %9s %9s %12s %12s %9s\n", "label", "start_s", "end_s", "measured_j",
		"predicted_j", "error_%");
	for (i = 0; i < p->nphase; i++) {
		const struct wl_fit_energy *e = &p->phase[i];

		fprintf(f, "    %-16s %9.2f %9.2f %12.1f %12.1f %+9.2f\n", e->label, e->start_s,
			e->end_s, e->measured_j, e->predicted_j, e->error_pct);
	}
}

static void json_energy(FILE *f, const struct wl_fit_energy *e)
{
	fputs("\"start_s\": ", f);
	wl_json_num(f, e->start_s);
	fputs(", \"end_s\": ", f);
	wl_json_num(f, e->end_s);
	fputs(", \"measured_j\": ", f);
	wl_json_num(f, e->measured_j);
	fputs(", \"predicted_j\": ", f);
	wl_json_num(f, e->predicted_j);
	fputs(", \"error_pct\": ", f);
	wl_json_num(f, e->error_pct);
}

static void json_pred(FILE *f, const struct wl_fit_prediction *p)
{
	size_t i;

	fputs("    {\"file\": ", f);
	wl_json_str(f, p->path);
	fputs(", ", f);
	json_energy(f, &p->total);
	fputs(", \"rmse_w\": ", f);
	wl_json_num(f, p->rmse_w);
	fprintf(f, ", \"bins\": %zu", p->nbins);
	fputs(", \"phase_method\": ", f);
	wl_json_str(f, p->phase_method);
	fputs(", \"phases\": [", f);
	for (i = 0; i < p->nphase; i++) {
		fputs(i ? ",\n      {\"label\": " : "\n      {\"label\": ", f);
		wl_json_str(f, p->phase[i].label);
		fputs(", ", f);
		json_energy(f, &p->phase[i]);
		fputc('}', f);
	}
	fputs("]}", f);
}

void wl_fit_print_predictions(FILE *f, const struct wl_fit_model *m, const char *model_path,
			      const struct wl_fit_prediction *p, size_t np,
			      const struct wl_dataset *notes, int json)
{
	double meas = 0, pred = 0;
	size_t i;

	for (i = 0; i < np; i++) {
		meas += p[i].total.measured_j;
		pred += p[i].total.predicted_j;
	}
	if (!json) {
		fprintf(f, "%s model '%s' (of '%s'", kind_name(m), model_path, m->power);
		for (i = 0; i < m->nx; i++)
			fprintf(f, "%s'%s'", i ? ", " : " on ", m->x[i]);
		fprintf(f, ")\n");
		for (i = 0; i < np; i++)
			text_pred(f, &p[i]);
		if (np > 1)
			fprintf(f, "all %zu files: measured %.1f J, predicted %.1f J, error %+.2f %%\n",
				np, meas, pred, 100 * (pred - meas) / meas);
		assumptions(f, notes);
		return;
	}
	fputs("{\n  \"model\": ", f);
	wl_json_str(f, model_path);
	fputs(",\n  \"files\": [\n", f);
	for (i = 0; i < np; i++) {
		json_pred(f, &p[i]);
		fputs(i + 1 < np ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"measured_j\": ", f);
	wl_json_num(f, meas);
	fputs(", \"predicted_j\": ", f);
	wl_json_num(f, pred);
	fputs(", \"error_pct\": ", f);
	wl_json_num(f, 100 * (pred - meas) / meas);
	fputs(",\n  \"assumptions\": [", f);
	for (i = 0; notes && i < notes->nwarn; i++) {
		fputs(i ? ", " : "", f);
		wl_json_str(f, notes->warn[i]);
	}
	fputs("]\n}\n", f);
}
