/*
 * fit_cv.c - K-fold cross-validation by file of a power model (fit.h):
 * how well a model fitted on some runs predicts the energy of runs it did
 * not see.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/fit.h"

void wl_fit_cv_release(struct wl_fit_cv *cv)
{
	free(cv->fold);
	memset(cv, 0, sizeof(*cv));
}

/* Fits proto's kind on every file not in fold f. */
static int fit_fold(const struct wl_dataset *ds, size_t nds, const struct wl_fit_spec *spec,
		    size_t k, size_t f, struct wl_fit_model *m, struct wl_error *err)
{
	struct wl_fit_data all, one;
	size_t i;
	int rc = -1;

	wl_fit_data_init(&all, spec->nx);
	wl_fit_data_init(&one, spec->nx);
	for (i = 0; i < nds; i++) {
		if (i % k == f)
			continue;
		one.n = 0;
		if (wl_fit_data_from(&ds[i], spec, m, NULL, &one, err) < 0)
			goto out;
		if (wl_fit_data_append(&all, &one) < 0) {
			wl_error_set(err, "out of memory");
			goto out;
		}
	}
	rc = wl_fit_run(&all, m, err);
out:
	wl_fit_data_release(&one);
	wl_fit_data_release(&all);
	return rc;
}

int wl_fit_cv_run(const struct wl_dataset *ds, size_t nds, const struct wl_fit_spec *spec,
		  const struct wl_fit_model *proto, size_t k, struct wl_fit_cv *cv,
		  struct wl_error *err)
{
	size_t f, i;

	memset(cv, 0, sizeof(*cv));
	if (k < 2 || k > nds)
		return wl_error_set(err, "--cv %zu needs 2 <= K <= the number of files (%zu)", k,
				    nds);
	if (!(cv->fold = calloc(k, sizeof(*cv->fold))))
		return wl_error_set(err, "out of memory");
	cv->k = k;
	for (f = 0; f < k; f++) {
		struct wl_fit_fold *fo = &cv->fold[f];
		struct wl_fit_model m;

		wl_fit_model_init(&m);
		m.kind = proto->kind;
		m.x_sat = proto->x_sat;
		if (fit_fold(ds, nds, spec, k, f, &m, err) < 0) {
			char why[sizeof(err->msg)];

			memcpy(why, err->msg, sizeof(why));
			wl_fit_model_release(&m);
			return wl_error_set(err, "cross-validation fold %zu: %.400s", f + 1, why);
		}
		for (i = f; i < nds; i += k) {
			struct wl_fit_prediction p;

			if (wl_fit_predict(&ds[i], &m, NULL, &p, err) < 0) {
				wl_fit_model_release(&m);
				return -1;
			}
			fo->measured_j += p.total.measured_j;
			fo->predicted_j += p.total.predicted_j;
			fo->nfiles++;
			wl_fit_prediction_release(&p);
		}
		fo->error_pct = 100 * (fo->predicted_j - fo->measured_j) / fo->measured_j;
		cv->mean_abs_error_pct += fabs(fo->error_pct) / (double)k;
		cv->mean_error_pct += fo->error_pct / (double)k;
		wl_fit_model_release(&m);
	}
	return 0;
}
