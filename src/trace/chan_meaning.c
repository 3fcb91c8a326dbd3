/*
 * chan_meaning.c - what a channel means when its record or its source does
 * not say (trace.h, wl_chan_meaning): the one place meaning is derived from
 * names and units.
 */
#include <stdio.h>
#include <string.h>

#include "wattlog/energy_rule.h"
#include "wattlog/trace.h"

/* Whether s is one of the NULL-terminated list. */
static int one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

uint8_t wl_quantity_of_unit(const char *u)
{
	static const char *const power[] = { "W", "mW", "uW", "kW", "MW", NULL };
	static const char *const energy[] = { "J", "mJ", "uJ", "kJ", "MJ", "Wh", "kWh", NULL };
	static const char *const clock[] = { "Hz", "kHz", "MHz", "GHz", NULL };
	static const char *const temp[] = { "C", "degC", "\xc2\xb0" "C", NULL };
	static const char *const mem[] = { "B", "kB", "KB", "KiB", "MB", "MiB", "GB", "GiB", NULL };
	static const char *const traffic[] = { "B/s", "kB/s", "KiB/s", "MB/s", "MiB/s", "GB/s",
					       "GiB/s", NULL };

	if (!*u)
		return WL_Q_UNSTATED;
	if (one_of(u, power))
		return WL_Q_POWER;
	if (one_of(u, energy))
		return WL_Q_ENERGY;
	if (!strcmp(u, "%"))
		return WL_Q_ACTIVITY;
	if (one_of(u, clock))
		return WL_Q_CLOCK;
	if (one_of(u, temp))
		return WL_Q_TEMPERATURE;
	if (one_of(u, mem))
		return WL_Q_MEMORY;
	if (one_of(u, traffic))
		return WL_Q_TRAFFIC;
	return WL_Q_OTHER;
}

void wl_chan_meaning(struct wl_chan_info *c)
{
	char buf[32];

	c->instant = (uint8_t)wl_power_name_instant(c->name);
	if (c->quantity != WL_Q_UNSTATED)
		return; /* stated, component included ("" = none) */
	if (!*c->component)
		snprintf(c->component, sizeof(c->component), "%s",
			 wl_trace_chan_component(c, buf, sizeof(buf)));
	if (c->quantity == WL_Q_UNSTATED)
		c->quantity = wl_quantity_of_unit(c->unit);
}

size_t wl_merged_chan_node(const char *device)
{
	return strcspn(device, "/");
}

const char *wl_merged_marker_node(const char *text)
{
	const char *at = strrchr(text, '@');

	if (!at || at == text || at[-1] != ' ' || !at[1] || strpbrk(at, " \t"))
		return NULL;
	return at + 1;
}
