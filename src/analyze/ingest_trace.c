/* ingest_trace.c - placeholder until the trace reader lands. */
#include "wattlog/ingest.h"

int wl_ingest_trace(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err)
{
	(void)o;
	(void)ds;
	return wl_error_set(err, "cannot read '%s': trace reader not built yet", path);
}
