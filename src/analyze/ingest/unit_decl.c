/* unit_decl.c - the --unit COLUMN=UNIT declaration (see ingest.h). */
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "wattlog/units.h"

int wl_unit_decl_parse(const char *spec, struct wl_unit_decl *out, struct wl_error *err)
{
	const char *eq = strrchr(spec, '=');

	memset(out, 0, sizeof(*out));
	if (!eq || eq == spec || !eq[1])
		return wl_error_set(err, "bad --unit '%s': expected COLUMN=UNIT (e.g. 'GPU0=W', "
				    "'gpu*_power=mW')", spec);
	out->column = strndup(spec, (size_t)(eq - spec));
	out->unit = strdup(wl_unit_canon(eq + 1));
	if (!out->column || !out->unit) {
		wl_unit_decl_release(out);
		return wl_error_set(err, "out of memory");
	}
	return 0;
}

void wl_unit_decl_release(struct wl_unit_decl *d)
{
	free(d->column);
	free(d->unit);
	d->column = d->unit = NULL;
}
