/* fig_compare.h - private to fig_compare*.c: what the compare figures share. */
#ifndef WATTLOG_FIG_COMPARE_H
#define WATTLOG_FIG_COMPARE_H

#include "plot_int.h"
#include "wattlog/compare.h"

/* Row (or series) i's colour, the same in every figure of a compare. */
struct wl_rgb wl_cmpfig_colour(size_t i);
/* "energy_j" (unit J) -> "energy_j (J)". */
void wl_cmpfig_title(const struct wl_cmp_table *t, long c, char *buf, size_t len);
/* Opens the canvas and lays out the frame: room for the y labels of
 * [ylo, yhi] (log10 units when logy: the range is kept as given), a legend
 * of leg_rows rows above, bottom_extra points more below.  NULL with err. */
struct wl_canvas *wl_cmpfig_setup(const struct wl_plot_opts *o, const char *path, double ylo,
				  double yhi, int logy, double leg_rows, double bottom_extra,
				  struct wl_style *st, struct wl_frame *f, struct wl_error *err);
/* Draws the frame; a log axis (its range in log10 units) gets ticks at
 * decades (and 2, 5 within fewer than three decades) labelled 10^v. */
void wl_cmpfig_axes(struct wl_frame *f, int logx, int logy, const char *xl, const char *yl);
/* A vertical error bar between canvas y py0 and py1 at px, caps cap wide. */
void wl_cmpfig_ebar(struct wl_canvas *c, double px, double py0, double py1, double cap);

#endif
