/* procfs.c - placeholder until the source lands: always unavailable. */
#include <stddef.h>

#include "wattlog/source.h"

static int procfs_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	(void)o;
	*state = NULL;
	return wl_error_set(err, "procfs: not built yet");
}

static void procfs_close(void *state)
{
	(void)state;
}

const struct wl_source_ops wl_source_procfs = {
	.name = "procfs",
	.default_period_ns = 10000000,
	.open = procfs_open,
	.close = procfs_close,
};
