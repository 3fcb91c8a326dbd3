/* sources.c - the recorder's sources in the order they are tried. */
#include <string.h>

#include "wattlog/source.h"

static const struct wl_source_ops *const sources[] = {
	&wl_source_perf_power,
	&wl_source_powercap,
	&wl_source_procfs,
	&wl_source_nvml,
	&wl_source_pm_counters,
	&wl_source_amdgpu,
	&wl_source_ina3221,
	&wl_source_power_meter,
	&wl_source_intel_gpu,
};

const char *wl_source_stands_down(const struct wl_source_ops *ops, const char *const *opened,
				  size_t n)
{
	size_t i;

	for (i = 0; ops->stands_down_for && i < n; i++)
		if (!strcmp(opened[i], ops->stands_down_for))
			return opened[i];
	return NULL;
}

size_t wl_sources(const struct wl_source_ops *const **list)
{
	*list = sources;
	return sizeof(sources) / sizeof(sources[0]);
}
