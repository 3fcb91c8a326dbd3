/*
 * report_csv.c - the report's resampled table as CSV: `t_s` (bin centre, s
 * since the dataset's origin), then one column per metric headed
 * `name [unit]`; a bin without data is an empty cell.  %.10g numbers.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_fmt.h"
#include "wattlog/csv_out.h"

int wl_report_csv(FILE *f, const struct wl_report *r, struct wl_error *err)
{
	const struct wl_grid *g = &r->grid;
	char hdr[128];
	size_t k, c;

	if (!r->have_grid)
		return wl_error_set(err, "no resampled table for '%s': no metric with two samples "
				    "in the window", r->ds->path ? r->ds->path : "");
	fputs("t_s", f);
	for (c = 0; c < g->ncols; c++) {
		snprintf(hdr, sizeof(hdr), "%s [%s]", g->name[c], g->unit[c]);
		fputc(',', f);
		wl_csv_field(f, hdr);
	}
	fputc('\n', f);
	for (k = 0; k < g->nbins; k++) {
		fprintf(f, "%.10g", g->t0 + ((double)k + 0.5) * g->step_s);
		for (c = 0; c < g->ncols; c++) {
			double v = g->v[c * g->nbins + k];
			fputc(',', f);
			if (!isnan(v))
				fprintf(f, "%.10g", v);
		}
		fputc('\n', f);
	}
	if (ferror(f))
		return wl_error_set(err, "cannot write the report");
	return 0;
}
