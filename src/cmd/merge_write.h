/* merge_write.h - a merged job dataset written as a wattlog trace
 * (merge_write.c). */
#ifndef WATTLOG_CMD_MERGE_WRITE_H
#define WATTLOG_CMD_MERGE_WRITE_H

#include "wattlog/dataset.h"
#include "wattlog/error.h"

/* Writes ds to path (refused when it exists unless force; never through a
 * symbolic link).  0, or -1 with err. */
int wl_merge_write(const struct wl_dataset *ds, const char *path, int force,
		   struct wl_error *err);

#endif
