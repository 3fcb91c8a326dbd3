/* metrics_name.c - a channel's OpenMetrics family name and unit (metrics.h). */
#include <stdio.h>
#include <string.h>

#include "wattlog/energy_rule.h"
#include "metrics.h"

struct base_unit {
	const char *unit;   /* as recorded */
	const char *suffix; /* OpenMetrics unit, appended as _suffix */
	double factor;      /* to the base unit */
};

static const struct base_unit units[] = {
	{ "%", "ratio", 0.01 },
	{ "C", "celsius", 1 },
	{ "Hz", "hertz", 1 },
	{ "kHz", "hertz", 1e3 },
	{ "MHz", "hertz", 1e6 },
	{ "GHz", "hertz", 1e9 },
	{ "B", "bytes", 1 },
	{ "KiB", "bytes", 1024.0 },
	{ "MiB", "bytes", 1048576.0 },
	{ "GiB", "bytes", 1073741824.0 },
	{ "B/s", "bytes_per_second", 1 },
	{ "s", "seconds", 1 },
	{ "ms", "seconds", 1e-3 },
	{ "us", "seconds", 1e-6 },
	{ "ns", "seconds", 1e-9 },
};

static void append_clean(char *buf, size_t sz, size_t *len, const char *s)
{
	for (; *s && *len + 1 < sz; s++) {
		char ch = *s;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '_';
		buf[(*len)++] = ok ? ch : '_';
	}
	buf[*len] = 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a > b && s[a - b - 1] == '_' && !strcmp(s + a - b, suffix);
}

const char *wl_metric_family(const struct wl_chan_info *c, enum wl_metric_role role, char *buf,
			     size_t sz, double *factor, const char **unit)
{
	size_t len = 0, i;
	double f = 1;

	*factor = 1;
	*unit = "";
	if (role == WL_METRIC_ENERGY) {
		wl_unit_to_j(c->unit, factor);
		*unit = "joules";
		snprintf(buf, sz, "wattlog_energy_joules");
		return buf;
	}
	if (!wl_unit_to_j(c->unit, &f)) {
		*unit = "joules";
		*factor = f;
	} else if (!wl_unit_to_w(c->unit, &f)) {
		*unit = "watts";
		*factor = f;
	} else {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(c->unit, units[i].unit)) {
				*unit = units[i].suffix;
				*factor = units[i].factor;
			}
	}
	buf[0] = 0;
	append_clean(buf, sz, &len, "wattlog_");
	append_clean(buf, sz, &len, c->source);
	append_clean(buf, sz, &len, "_");
	append_clean(buf, sz, &len, c->name);
	if (**unit && !ends_with(buf, *unit)) {
		append_clean(buf, sz, &len, "_");
		append_clean(buf, sz, &len, *unit);
	}
	return buf;
}
