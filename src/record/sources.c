/* sources.c - the recorder's sources in the order they are tried. */
#include "source/pm_counters.h"
#include "wattlog/source.h"

static const struct wl_source_ops *const sources[] = {
	&wl_source_perf_power,
	&wl_source_powercap,
	&wl_source_procfs,
	&wl_source_nvml,
	&wl_source_pm_counters,
};

size_t wl_sources(const struct wl_source_ops *const **list)
{
	*list = sources;
	return sizeof(sources) / sizeof(sources[0]);
}
