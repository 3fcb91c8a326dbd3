/* timeparse.c - wall-clock times as logs write them (see units.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wattlog/units.h"

void wl_tzconv_init(struct wl_tzconv *c, const char *tz)
{
	memset(c, 0, sizeof(*c));
	if (tz)
		strncpy(c->tz, tz, sizeof(c->tz) - 1);
	c->hour = -1;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* UTC offset (s, east positive) of civil hour `utc_as_civil` (the civil
 * time read as if it were UTC) in zone c: offset = civil - mktime(civil). */
static long zone_offset(struct wl_tzconv *c, long long civil_s)
{
	char *old = NULL;
	const char *prev;
	struct tm tm;
	time_t tt = (time_t)civil_s, local;

	if (c->hour == civil_s / 3600)
		return c->off;
	if (c->tz[0]) {
		prev = getenv("TZ");
		old = prev ? strdup(prev) : NULL;
		setenv("TZ", c->tz, 1);
		tzset();
	}
	gmtime_r(&tt, &tm);
	tm.tm_isdst = -1;
	local = mktime(&tm);
	if (c->tz[0]) {
		if (old)
			setenv("TZ", old, 1);
		else
			unsetenv("TZ");
		tzset();
		free(old);
	}
	c->hour = civil_s / 3600;
	c->off = (long)(civil_s - (long long)local);
	return c->off;
}

double wl_time_civil(struct wl_tzconv *c, int year, int mon, int day, int hour, int min,
		     double sec)
{
	long long civil = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400LL +
			  hour * 3600LL + min * 60LL;

	return (double)(civil - zone_offset(c, civil)) + sec;
}

/* Reads exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (!isdigit((unsigned char)**p))
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

/* Reads "HH:MM:SS[.f]" into h, mi and sec (with fraction). */
static int clock_part(const char **p, int *h, int *mi, double *sec)
{
	int s;

	if (digits(p, 2, h) || *(*p)++ != ':' || digits(p, 2, mi) || *(*p)++ != ':' ||
	    digits(p, 2, &s))
		return -1;
	*sec = s;
	if (**p == '.' || **p == ',') {
		double scale = 0.1;

		(*p)++;
		if (!isdigit((unsigned char)**p))
			return -1;
		while (isdigit((unsigned char)**p)) {
			*sec += (**p - '0') * scale;
			scale /= 10;
			(*p)++;
		}
	}
	return 0;
}

int wl_time_parse_iso(const char *s, struct wl_tzconv *c, double *epoch, int *had_zone)
{
	const char *p = s;
	int y, mo, d, h, mi, zh = 0, zm = 0, zone = 0, sign = 1;
	char sep;
	double sec;

	while (isspace((unsigned char)*p))
		p++;
	if (digits(&p, 4, &y))
		return -1;
	sep = *p;
	if (sep != '-' && sep != '/')
		return -1;
	p++;
	if (digits(&p, 2, &mo) || *p++ != sep || digits(&p, 2, &d))
		return -1;
	if (*p != ' ' && *p != 'T')
		return -1;
	p++;
	if (clock_part(&p, &h, &mi, &sec))
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
	if (*p || !valid(y, mo, d, h, mi, (int)sec) || zh > 14 || zm > 59)
		return -1;
	if (zone) {
		long long civil = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL +
				  h * 3600LL + mi * 60LL;
		*epoch = (double)(civil - sign * (zh * 3600LL + zm * 60LL)) + sec;
	} else {
		*epoch = wl_time_civil(c, y, mo, d, h, mi, sec);
	}
	if (had_zone)
		*had_zone = zone;
	return 0;
}

int wl_time_parse_mdy(const char *s, struct wl_tzconv *c, double *epoch, size_t *len)
{
	const char *p = s;
	int y, mo, d, h, mi;
	double sec;

	if (digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) || *p++ != '-' ||
	    digits(&p, 4, &y) || *p++ != ' ' || clock_part(&p, &h, &mi, &sec))
		return -1;
	if (!valid(y, mo, d, h, mi, (int)sec))
		return -1;
	*epoch = wl_time_civil(c, y, mo, d, h, mi, sec);
	*len = (size_t)(p - s);
	return 0;
}
