/* report_fmt.h - private to src/render: number formatting shared by the
 * text and markdown reports. */
#ifndef WATTLOG_RENDER_REPORT_FMT_H
#define WATTLOG_RENDER_REPORT_FMT_H

#include <stddef.h>

#include "wattlog/report.h"

/* v in at most 7 characters (8 when negative): "-" for NaN; fixed point
 * with 3..0 decimals by magnitude; an exponent from 1e6 up or under 1e-3. */
const char *wl_fmt_num(char *buf, size_t n, double v);

/* An energy in J with 4 significant digits and a prefix by magnitude:
 * "800.0 J", "9.107 kJ", "240.3 MJ", "1.234 GJ"; "-" for NaN (never "nan"). */
const char *wl_fmt_energy(char *buf, size_t n, double j);
/* The same energy in Wh below 1 kWh, else in kWh: "0.2222 Wh", "66.75 kWh". */
const char *wl_fmt_wh(char *buf, size_t n, double j);

/* m as the reports show it: a size in bytes (unit "B", "KiB", "MiB", "GiB",
 * "TiB", each also "/s") in the binary prefix of its largest magnitude
 * (max |min|, |max|; 1024 steps), its values divided to match: 4.4e+08 B
 * reads 419.6 MiB.  Any other unit is copied as it is. */
void wl_report_scaled(const struct wl_metric_stats *m, struct wl_metric_stats *out);

/* Whether a metric belongs to a GPU (device "gpuN" or a number). */
int wl_report_is_gpu(const struct wl_metric_stats *m);

/* The distinct GPU devices of r's metrics, in order; up to max. */
size_t wl_report_gpus(const struct wl_report *r, const char **dev, size_t max);

/* The distributions of a request list in the order the reports print them
 * (energy, J/token, latency) and their row names ("energy [J]", ...). */
struct wl_request_list;
struct wl_request_dist;
void wl_report_request_dists(const struct wl_request_list *rl, const struct wl_request_dist *d[3],
			     const char *name[3]);

#endif
