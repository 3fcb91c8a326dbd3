/* units.c - numbers with units as logs write them (see units.h). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wattlog/decimal.h"
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

/* isspace() of the C locale, without the table lookup per byte. */
static inline int blank(unsigned char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/* A unit word starts with a letter, '%' or a UTF-8 byte (°, µ) and holds
 * no blank or comma: the first byte's test (isalpha() of the C locale is
 * an ASCII letter). */
static inline int unit_start(unsigned char ch)
{
	return (unsigned)((ch | 0x20) - 'a') < 26 || ch == '%' || ch >= 0x80;
}

int wl_unit_scan_n(const char *s, size_t n, double *v, const char **unit, size_t *ulen)
{
	const char *p = s, *q, *end = s + n, *num, *last;
	double x;

	while (p < end && blank((unsigned char)*p))
		p++;
	/* strtod also takes hex, "inf" and "nan": logs never mean those. */
	q = p + (p < end && (*p == '-' || *p == '+'));
	if (q + 1 < end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		return -1;
	num = wl_decimal_parse(p, end, &x);
	if (!num || !isfinite(x))
		return -1;
	while (num < end && blank((unsigned char)*num))
		num++;
	/* the unit word: [num, last], with only blanks after it */
	last = num;
	if (num < end) {
		if (!unit_start((unsigned char)*num))
			return -1;
		for (p = num + 1; p < end; p++) {
			unsigned char ch = (unsigned char)*p;

			if (ch == ',' || ch == ';')
				return -1;
			if (!blank(ch)) {
				if (p > last + 1) /* blanks inside the word */
					return -1;
				last = p;
			}
		}
		last++;
		if (last - num >= 64)
			return -1;
	}
	*unit = num;
	*ulen = (size_t)(last - num);
	*v = x;
	return 0;
}

int wl_unit_scan(const char *s, double *v, const char **unit, size_t *ulen)
{
	return wl_unit_scan_n(s, strlen(s), v, unit, ulen);
}

int wl_unit_parse_value(const char *s, double *v, char *unit, size_t usz)
{
	const char *u;
	size_t len;
	double x;

	if (wl_unit_scan(s, &x, &u, &len))
		return -1;
	if (usz)
		unit[0] = 0;
	if (len) {
		char word[64];

		memcpy(word, u, len);
		word[len] = 0;
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

static const char *lookup_map(const char *const (*map)[2], size_t n, const char *u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (map[i][0][0] == u[0] && !strcmp(u, map[i][0]))
			return map[i][1];
	return u;
}

const char *wl_unit_canon(const char *u)
{
	static const char *const map[][2] = {
		{ "\xc2\xb0" "C", "C" }, { "degC", "C" }, { "\xe2\x84\x83", "C" },
		{ "\xc2\xb5J", "uJ" }, { "\xce\xbcJ", "uJ" }, { "\xc2\xb5s", "us" },
		{ "\xce\xbcs", "us" }, { "\xc2\xb5W", "uW" }, { "\xce\xbcW", "uW" },
		{ "sec", "s" }, { "secs", "s" },
	};

	if (!strchr("\xc2\xce\xe2" "ds", u[0]) || !u[0])
		return u; /* fast path: no entry starts with this byte */
	return lookup_map(map, sizeof(map) / sizeof(map[0]), u);
}

const char *wl_unit_canon_binary(const char *u)
{
	static const char *const map[][2] = {
		{ "GB/s", "GiB/s" }, { "MB/s", "MiB/s" }, { "KB/s", "KiB/s" }, { "MB", "MiB" },
		{ "GB", "GiB" }, { "KB", "KiB" },
	};

	u = wl_unit_canon(u);
	return lookup_map(map, sizeof(map) / sizeof(map[0]), u);
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

/* Suffixes after '_', '.', '-' or ' ' (or the whole name): the unit
 * each means.  Case matters where it tells milli from mega. */
static const struct {
	const char *suffix, *unit;
	int nocase;
} suffixes[] = {
	{ "W", "W", 0 },          { "w", "W", 0 },          { "watts", "W", 1 },
	{ "watt", "W", 1 },       { "mW", "mW", 0 },        { "mw", "mW", 0 },
	{ "milliwatts", "mW", 1 }, { "kW", "kW", 0 },       { "kw", "kW", 0 },
	{ "kilowatts", "kW", 1 }, { "uW", "uW", 0 },        { "uw", "uW", 0 },
	{ "J", "J", 0 },          { "j", "J", 0 },          { "joules", "J", 1 },
	{ "mJ", "mJ", 0 },        { "mj", "mJ", 0 },        { "uJ", "uJ", 0 },
	{ "uj", "uJ", 0 },        { "kJ", "kJ", 0 },        { "kj", "kJ", 0 },
	{ "Wh", "Wh", 0 },        { "wh", "Wh", 0 },        { "kWh", "kWh", 0 },
	{ "kwh", "kWh", 0 },      { "s", "s", 0 },          { "sec", "s", 1 },
	{ "secs", "s", 1 },       { "seconds", "s", 1 },    { "ms", "ms", 0 },
	{ "us", "us", 0 },        { "ns", "ns", 0 },        { "pct", "%", 1 },
	{ "percent", "%", 1 },    { "MHz", "MHz", 1 },
};

/* Units a parenthesis may hold ("(W)"): anything else ("(GPU)") is part
 * of the name. */
static int known_unit(const char *u)
{
	static const char *const other[] = {
		"%", "MHz", "GHz", "Hz", "C", "V", "mV", "A", "mA", "MB", "GB", "KB", "kB",
		"MiB", "GiB", "KiB", "MB/s", "GB/s", "MiB/s", "GiB/s", "B", "RPM",
	};
	size_t i;

	if (wl_unit_power_scale(u) || wl_unit_energy_scale(u) || wl_unit_time_scale(u))
		return 1;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (!strcmp(u, other[i]))
			return 1;
	return 0;
}

enum wl_unit_from wl_unit_from_name(const char *hdr, char *name, size_t nsz, char *unit,
				    size_t usz, char *base, size_t bsz)
{
	const char *open, *close, *sep;
	char raw[64];
	size_t len = strlen(hdr), i;

	wl_unit_split_header(hdr, name, nsz, unit, usz);
	copy_trim(base, bsz, name, strlen(name));
	if (unit[0] || !usz)
		return unit[0] ? WL_UNIT_BRACKETS : WL_UNIT_NONE;
	while (len && isspace((unsigned char)hdr[len - 1]))
		len--;
	close = len ? hdr + len - 1 : NULL;
	open = close && *close == ')' ? memrchr(hdr, '(', len) : NULL;
	if (open && open > hdr) {
		copy_trim(raw, sizeof(raw), open + 1, (size_t)(close - open - 1));
		if (known_unit(wl_unit_canon(raw))) {
			copy_trim(unit, usz, wl_unit_canon(raw), strlen(wl_unit_canon(raw)));
			copy_trim(name, nsz, hdr, (size_t)(open - hdr));
			copy_trim(base, bsz, name, strlen(name));
			return WL_UNIT_PARENS;
		}
	}
	for (sep = name + strlen(name); sep > name; sep--)
		if (strchr("_.- ", sep[-1]))
			break;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		int same = suffixes[i].nocase ? !strcasecmp(sep, suffixes[i].suffix)
					      : !strcmp(sep, suffixes[i].suffix);

		if (!same)
			continue;
		if (sep == name && strlen(sep) < 3)
			return WL_UNIT_NONE; /* a column named "W" or "s" alone */
		copy_trim(unit, usz, suffixes[i].unit, strlen(suffixes[i].unit));
		copy_trim(base, bsz, name, sep > name ? (size_t)(sep - name - 1) : strlen(name));
		return WL_UNIT_SUFFIX;
	}
	return WL_UNIT_NONE;
}

int wl_unit_header_has(const char *line, const char *name)
{
	const char *p = line;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char f[128], n[128], u[32];

		if (len < sizeof(f)) {
			memcpy(f, p, len);
			f[len] = 0;
			wl_unit_split_header(f, n, sizeof(n), u, sizeof(u));
			if (!strcmp(n, name))
				return 1;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}
