/* powercap.c - placeholder until the source lands: always unavailable. */
#include <stddef.h>

#include "wattlog/source.h"

static int powercap_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	(void)o;
	*state = NULL;
	return wl_error_set(err, "powercap: not built yet");
}

static void powercap_close(void *state)
{
	(void)state;
}

const struct wl_source_ops wl_source_powercap = {
	.name = "powercap",
	.default_period_ns = 10000000,
	.open = powercap_open,
	.close = powercap_close,
};
