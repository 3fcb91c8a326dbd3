/* counter_decl.c - the --counter 'COLUMN:UNIT[:wrap=N]' spec (see ingest.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "wattlog/units.h"

void wl_counter_release(struct wl_counter_decl *d)
{
	/* Owned copies made by wl_counter_parse; const only for the readers. */
	free((void *)(uintptr_t)d->column);
	free((void *)(uintptr_t)d->unit);
	d->column = d->unit = NULL;
	d->wrap = 0;
}

int wl_counter_parse(const char *spec, struct wl_counter_decl *out, struct wl_error *err)
{
	const char *c1 = strchr(spec, ':'), *c2, *opt;
	char *column, *unit, *end;
	double wrap = 0;

	memset(out, 0, sizeof(*out));
	if (!c1 || c1 == spec)
		return wl_error_set(err, "bad --counter '%s': expected COLUMN:UNIT[:wrap=N]", spec);
	c2 = strchr(c1 + 1, ':');
	if ((c2 ? c2 : c1 + strlen(c1)) == c1 + 1)
		return wl_error_set(err, "bad --counter '%s': no unit", spec);
	if (c2) {
		opt = c2 + 1;
		if (strncmp(opt, "wrap=", 5))
			return wl_error_set(err, "bad --counter '%s': unknown option '%s' (only wrap=N)",
					    spec, opt);
		wrap = strtod(opt + 5, &end);
		if (end == opt + 5 || *end || !isfinite(wrap) || wrap <= 0)
			return wl_error_set(err, "bad --counter '%s': wrap '%s' is not a positive number",
					    spec, opt + 5);
	}
	column = strndup(spec, (size_t)(c1 - spec));
	unit = strndup(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1));
	if (!column || !unit) {
		free(column);
		free(unit);
		return wl_error_set(err, "out of memory parsing --counter '%s'", spec);
	}
	if (!wl_unit_energy_scale(wl_unit_canon(unit))) {
		wl_error_set(err, "bad --counter '%s': '%s' is no energy unit (J, mJ, uJ, nJ, kJ, Wh, kWh)",
			     spec, unit);
		free(column);
		free(unit);
		return -1;
	}
	out->column = column;
	out->unit = unit;
	out->wrap = wrap;
	return 0;
}
