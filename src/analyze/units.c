/* units.c - numbers with units as logs write them (see units.h). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wattlog/units.h"

static void copy_trim(char *dst, size_t dsz, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!dsz)
		return;
	if (len >= dsz)
		len = dsz - 1;
	memcpy(dst, s, len);
	dst[len] = 0;
}

void wl_unit_split_header(const char *hdr, char *name, size_t nsz, char *unit, size_t usz)
{
	const char *open = strrchr(hdr, '[');
	const char *close = open ? strchr(open, ']') : NULL;
	char raw[64];

	if (!open || !close || open == hdr) {
		copy_trim(name, nsz, hdr, strlen(hdr));
		if (usz)
			unit[0] = 0;
		return;
	}
	copy_trim(name, nsz, hdr, (size_t)(open - hdr));
	copy_trim(raw, sizeof(raw), open + 1, (size_t)(close - open - 1));
	copy_trim(unit, usz, wl_unit_canon(raw), strlen(wl_unit_canon(raw)));
}

/* A unit word starts with a letter, '%' or a UTF-8 byte (°, µ) and holds
 * no blank or comma. */
static int unit_word(const char *u)
{
	const unsigned char *p = (const unsigned char *)u;

	if (!(isalpha(*p) || *p == '%' || *p >= 0x80))
		return 0;
	for (; *p; p++)
		if (isspace(*p) || *p == ',' || *p == ';')
			return 0;
	return 1;
}

int wl_unit_parse_value(const char *s, double *v, char *unit, size_t usz)
{
	const char *p = s, *q;
	char *end;
	size_t len;
	double x;

	while (isspace((unsigned char)*p))
		p++;
	/* strtod also takes hex, "inf" and "nan": logs never mean those. */
	q = p + (*p == '-' || *p == '+');
	if (!(isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]))))
		return -1;
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		return -1;
	x = strtod(p, &end);
	if (end == p || !isfinite(x))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	len = strlen(end);
	while (len && isspace((unsigned char)end[len - 1]))
		len--;
	if (usz)
		unit[0] = 0;
	if (len) {
		char word[64];

		if (len >= sizeof(word))
			return -1;
		memcpy(word, end, len);
		word[len] = 0;
		if (!unit_word(word))
			return -1;
		copy_trim(unit, usz, wl_unit_canon(word), strlen(wl_unit_canon(word)));
	}
	*v = x;
	return 0;
}

int wl_unit_is_absent(const char *s)
{
	static const char *const absent[] = {
		"[N/A]", "N/A", "[Not Supported]", "Not Supported", "[Unknown Error]",
		"[Insufficient Permissions]", "[GPU is lost]", "-", "nan", "NA",
	};
	const char *p = s;
	char t[64];
	size_t i;

	while (*p == ' ' || *p == '\t')
		p++;
	if (isdigit((unsigned char)*p) || *p == '.' || (*p == '-' && p[1]))
		return 0; /* fast path: a number */
	copy_trim(t, sizeof(t), s, strlen(s));
	if (!t[0])
		return 1;
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (!strcasecmp(t, absent[i]))
			return 1;
	return 0;
}

const char *wl_unit_canon(const char *u)
{
	static const char *const map[][2] = {
		{ "\xc2\xb0" "C", "C" }, { "degC", "C" }, { "\xe2\x84\x83", "C" },
		{ "GB/s", "GiB/s" }, { "MB/s", "MiB/s" }, { "KB/s", "KiB/s" },
		{ "\xc2\xb5J", "uJ" }, { "\xce\xbcJ", "uJ" }, { "MB", "MiB" },
		{ "GB", "GiB" }, { "sec", "s" }, { "secs", "s" },
	};
	size_t i;

	if (!strchr("\xc2\xce\xe2" "dGMKs", u[0]) || !u[0])
		return u; /* fast path: no entry starts with this byte */
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i][0][0] == u[0] && !strcmp(u, map[i][0]))
			return map[i][1];
	return u;
}

struct scale {
	const char *unit;
	double f;
};

static double lookup(const struct scale *t, size_t n, const char *u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(u, t[i].unit))
			return t[i].f;
	return 0;
}

double wl_unit_power_scale(const char *u)
{
	static const struct scale t[] = {
		{ "W", 1 }, { "mW", 1e-3 }, { "kW", 1e3 }, { "uW", 1e-6 },
	};
	return lookup(t, sizeof(t) / sizeof(t[0]), u);
}

double wl_unit_energy_scale(const char *u)
{
	static const struct scale t[] = {
		{ "J", 1 }, { "mJ", 1e-3 }, { "uJ", 1e-6 }, { "nJ", 1e-9 },
		{ "kJ", 1e3 }, { "Wh", 3600 }, { "kWh", 3.6e6 },
	};
	return lookup(t, sizeof(t) / sizeof(t[0]), u);
}

double wl_unit_time_scale(const char *u)
{
	static const struct scale t[] = {
		{ "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { "ns", 1e-9 },
		{ "min", 60 }, { "h", 3600 },
	};
	return lookup(t, sizeof(t) / sizeof(t[0]), u);
}
