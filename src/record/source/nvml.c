/* nvml.c - placeholder until the source lands: always unavailable. */
#include <stddef.h>

#include "wattlog/source.h"

static int nvml_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	(void)o;
	*state = NULL;
	return wl_error_set(err, "nvml: not built yet");
}

static void nvml_close(void *state)
{
	(void)state;
}

const struct wl_source_ops wl_source_nvml = {
	.name = "nvml",
	.default_period_ns = 10000000,
	.open = nvml_open,
	.close = nvml_close,
};
