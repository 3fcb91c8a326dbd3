/* timeparse.c - wall-clock times as logs write them (see units.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/units.h"

/* Epoch seconds of civil minute h:mi of the day `days` (since 1970-01-01)
 * in zone c. */
static long long civil_minute(struct wl_tzconv *c, long long days, int hour, int min)
{
	long long civil = days * 86400LL + hour * 3600LL + min * 60LL;

	return civil - wl_tz_civil_offset(c, civil);
}

double wl_time_civil(struct wl_tzconv *c, int year, int mon, int day, int hour, int min,
		     double sec)
{
	return (double)civil_minute(c, wl_days_from_civil(year, (unsigned)mon, (unsigned)day),
				    hour, min) + sec;
}

/* Reads exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n--) {
		if ((unsigned)(**p - '0') > 9)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

static int valid(int y, int mo, int d, int h, int mi, int s)
{
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 &&
	       mi <= 59 && s <= 60;
}

/* Reads "HH:MM:SS[.f]" into h, mi, whole seconds s and nanoseconds ns
 * (digits past the 9th round to the nearest ns; ns may reach 10^9). */
static int clock_part(const char **p, int *h, int *mi, int *s, long *ns)
{
	if (digits(p, 2, h) || *(*p)++ != ':' || digits(p, 2, mi) || *(*p)++ != ':' ||
	    digits(p, 2, s))
		return -1;
	*ns = 0;
	if (**p == '.' || **p == ',') {
		long scale = 100000000;
		int n;

		(*p)++;
		if ((unsigned)(**p - '0') > 9)
			return -1;
		for (n = 0; (unsigned)(**p - '0') <= 9; (*p)++, n++) {
			if (n < 9) {
				*ns += (**p - '0') * scale;
				scale /= 10;
			} else if (n == 9 && **p >= '5') {
				(*ns)++; /* round half up to the nearest ns */
			}
		}
	}
	return 0;
}

int wl_time_parse_iso_exact(const char *s, struct wl_tzconv *c, struct wl_walltime *w,
			    int *had_zone)
{
	const char *p = s;
	int y, mo, d, h, mi, sec, zh = 0, zm = 0, zone = 0, sign = 1;
	long long days;
	char sep;
	long ns;

	while (isspace((unsigned char)*p))
		p++;
	/* a log's rows mostly share their date: the last one is kept in c */
	if (c && c->date[0] && !strncmp(p, c->date, sizeof(c->date))) {
		days = c->date_days;
		y = 1970; /* valid(); the date was checked when it was cached */
		mo = d = 1;
		p += sizeof(c->date);
	} else {
		const char *date = p;

		if (digits(&p, 4, &y))
			return -1;
		sep = *p;
		if (sep != '-' && sep != '/')
			return -1;
		p++;
		if (digits(&p, 2, &mo) || *p++ != sep || digits(&p, 2, &d))
			return -1;
		if (!valid(y, mo, d, 0, 0, 0))
			return -1;
		days = wl_days_from_civil(y, (unsigned)mo, (unsigned)d);
		if (c) {
			memcpy(c->date, date, sizeof(c->date));
			c->date_days = days;
		}
	}
	if (*p != ' ' && *p != 'T')
		return -1;
	p++;
	if (clock_part(&p, &h, &mi, &sec, &ns))
		return -1;
	while (*p == ' ')
		p++;
	if (*p == 'Z') {
		zone = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &zh))
			return -1;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && digits(&p, 2, &zm))
			return -1;
		zone = 1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || !valid(y, mo, d, h, mi, sec) || zh > 14 || zm > 59)
		return -1;
	if (zone)
		w->s = days * 86400LL + h * 3600LL + mi * 60LL - sign * (zh * 3600LL + zm * 60LL);
	else
		w->s = civil_minute(c, days, h, mi);
	w->s += sec + (ns == 1000000000L);
	w->ns = ns == 1000000000L ? 0 : ns;
	if (had_zone)
		*had_zone = zone;
	return 0;
}

int wl_time_parse_iso(const char *s, struct wl_tzconv *c, double *epoch, int *had_zone)
{
	struct wl_walltime w;

	if (wl_time_parse_iso_exact(s, c, &w, had_zone))
		return -1;
	*epoch = (double)w.s + w.ns * 1e-9;
	return 0;
}

double wl_time_ns_to_s(long long ns)
{
	static const double p10[] = { 1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1e0 };
	const long long big = 1LL << 53;
	int j = 0;

	/* ns / 10^9 = (ns / 10^j) / 10^(9-j): drop trailing zeros until the
	 * integer is exact in a double, then divide once. */
	while (j < 9 && (ns >= big || ns <= -big) && ns % 10 == 0) {
		ns /= 10;
		j++;
	}
	return (double)ns / p10[j];
}

double wl_walltime_diff(const struct wl_walltime *a, const struct wl_walltime *b)
{
	long long ds = b->s - a->s;

	if (ds > 9000000000LL || ds < -9000000000LL) /* ns would overflow */
		return (double)ds + (b->ns - a->ns) * 1e-9;
	return wl_time_ns_to_s(ds * 1000000000LL + (b->ns - a->ns));
}

int wl_time_decimal_ns(const char *s, int exp10, long long *ns)
{
	const long long lim = 9000000000000000000LL / 10;
	long long v = 0;
	int neg = 0, k = 0, frac = 0, any = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; (unsigned)(*s - '0') <= 9; s++, any = 1) {
		if (v > lim)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; (unsigned)(*s - '0') <= 9; s++, any = 1, frac++) {
			/* digits below 1 ns must be zeros */
			if (9 + exp10 - frac <= 0) {
				if (*s != '0')
					return -1;
				continue;
			}
			if (v > lim)
				return -1;
			v = v * 10 + (*s - '0');
			k++;
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || !any || exp10 > 0 || exp10 < -9)
		return -1;
	/* value = v * 10^(exp10 - k) s = v * 10^(9 + exp10 - k) ns */
	for (k = 9 + exp10 - k; k > 0; k--) {
		if (v > lim)
			return -1;
		v *= 10;
	}
	*ns = neg ? -v : v;
	return 0;
}

int wl_time_parse_mdy(const char *s, struct wl_tzconv *c, double *epoch, size_t *len)
{
	const char *p = s;
	int y, mo, d, h, mi, sec;
	long ns;

	if (digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) || *p++ != '-' ||
	    digits(&p, 4, &y) || *p++ != ' ' || clock_part(&p, &h, &mi, &sec, &ns))
		return -1;
	if (!valid(y, mo, d, h, mi, sec))
		return -1;
	*epoch = (double)(civil_minute(c, wl_days_from_civil(y, (unsigned)mo, (unsigned)d), h, mi) +
			  sec) + ns * 1e-9;
	*len = (size_t)(p - s);
	return 0;
}
