/* duration.c - "10ms", "2.5s", "1m" into ns (see duration.h). */
#include <string.h>

#include "wattlog/duration.h"

struct unit {
	const char *name;
	uint64_t ns;
};

static const struct unit units[] = {
	{ "ns", 1ull },
	{ "us", 1000ull },
	{ "ms", 1000000ull },
	{ "s", 1000000000ull },
	{ "m", 60000000000ull },
	{ "h", 3600000000000ull },
};

int wl_parse_duration(const char *s, const char *what, uint64_t *ns, struct wl_error *err)
{
	uint64_t ip = 0, frac = 0, pow10 = 1, unit = 0, v;
	const char *p = s;
	size_t i, nd = 0, nf = 0;

	if (!s || !*s)
		return wl_error_set(err, "bad %s '': empty", what);
	for (; *p >= '0' && *p <= '9'; p++, nd++) {
		if (ip > (UINT64_MAX - 9) / 10)
			return wl_error_set(err, "bad %s '%s': too large", what, s);
		ip = ip * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nf++) {
			if (nf >= 9)
				return wl_error_set(err, "bad %s '%s': more than 9 decimals", what, s);
			frac = frac * 10 + (uint64_t)(*p - '0');
			pow10 *= 10;
		}
	}
	if (nd + nf == 0)
		return wl_error_set(err, "bad %s '%s': not a number", what, s);
	if (!*p) {
		if (ip == 0 && frac == 0) {
			*ns = 0;
			return 0;
		}
		return wl_error_set(err, "bad %s '%s': missing unit (ns, us, ms, s, m, h)", what, s);
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(p, units[i].name))
			unit = units[i].ns;
	if (!unit)
		return wl_error_set(err, "bad %s '%s': unknown unit '%s' (ns, us, ms, s, m, h)",
				    what, s, p);
	if (ip > UINT64_MAX / unit)
		return wl_error_set(err, "bad %s '%s': too large", what, s);
	v = ip * unit;
	/* fraction: frac / 10^nf units = frac * unit / 10^nf ns, exact or refused */
	if (unit % pow10 == 0) {
		frac *= unit / pow10;
	} else {
		if (frac * unit % pow10)
			return wl_error_set(err, "bad %s '%s': finer than 1 ns", what, s);
		frac = frac * unit / pow10;
	}
	if (v > UINT64_MAX - frac)
		return wl_error_set(err, "bad %s '%s': too large", what, s);
	*ns = v + frac;
	return 0;
}
