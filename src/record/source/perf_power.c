/* perf_power.c - placeholder until the source lands: always unavailable. */
#include <stddef.h>

#include "wattlog/source.h"

static int perf_power_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	(void)o;
	*state = NULL;
	return wl_error_set(err, "perf_power: not built yet");
}

static void perf_power_close(void *state)
{
	(void)state;
}

const struct wl_source_ops wl_source_perf_power = {
	.name = "perf_power",
	.default_period_ns = 10000000,
	.open = perf_power_open,
	.close = perf_power_close,
};
