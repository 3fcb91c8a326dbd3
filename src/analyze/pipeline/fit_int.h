/*
 * fit_int.h - what the fit files share inside src/analyze/pipeline/ (not installed).
 */
#ifndef WATTLOG_FIT_INT_H
#define WATTLOG_FIT_INT_H

#include "wattlog/fit.h"

/* The power law by nonlinear least squares (fit_powerlaw.c): theta[3] =
 * P_idle, P_max, gamma; cov[9] their covariance s^2 (J'J)^-1, row-major,
 * s^2 = RSS / (n - 3).  0 or -1 with err. */
int wl_fit_powerlaw_run(const struct wl_fit_data *d, double x_sat, double *theta, double *cov,
			struct wl_error *err);

/* The grid name of channel c, as wl_resample writes it: "NAME DEVICE",
 * "NAME (power) DEVICE" for a counter. */
void wl_fit_grid_name(const struct wl_channel *c, char *buf, size_t len);

#endif
