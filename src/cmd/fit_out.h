/*
 * fit_out.h - the output of `wattlog fit` (fit_out.c), shared with the
 * option parsing and driving in fit.c.
 */
#ifndef WATTLOG_CMD_FIT_OUT_H
#define WATTLOG_CMD_FIT_OUT_H

#include <stdio.h>

#include "wattlog/dataset.h"
#include "wattlog/fit.h"

/* A fitted model as text: parameters with CIs, diagnostics, the
 * cross-validation (cv may be NULL) and the assumptions (notes->warn). */
void wl_fit_print_model(FILE *f, const struct wl_fit_model *m, const struct wl_fit_cv *cv,
			const struct wl_dataset *notes);

/* Predictions of model m (read from model_path) on np files: text per
 * file and phase, then the sum over the files; or one JSON object. */
void wl_fit_print_predictions(FILE *f, const struct wl_fit_model *m, const char *model_path,
			      const struct wl_fit_prediction *p, size_t np,
			      const struct wl_dataset *notes, int json);

#endif
