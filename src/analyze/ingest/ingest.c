/*
 * ingest.c - reads an input: a job's folder of per-node traces is merged
 * (merge.h), a file is read in its format (formats.c: the registry, one
 * reader per format in ingest_*.c); then --markers, when given.  "-" is
 * standard input; it and pipes are read as input.h says.
 */
#include <stddef.h>

#include "wattlog/ingest.h"
#include "wattlog/merge.h"

static int ingest_file(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		       struct wl_error *err)
{
	if (wl_merge_is_dir(path)) /* a job's folder of per-node traces (merge.h) */
		return wl_merge_paths(&path, 1, NULL, ds, err);
	return wl_ingest_file(path, o ? o->format : NULL, o, ds, err);
}

int wl_ingest(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
	      struct wl_error *err)
{
	if (ingest_file(path, o, ds, err))
		return -1;
	return o && o->markers ? wl_ingest_markers(o->markers, o, ds, err) : 0;
}
