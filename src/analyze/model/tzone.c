/*
 * tzone.c - time zones read from TZif files and offsets, without the
 * process-wide TZ (see tzone.h).  TZif layout: RFC 8536.  POSIX TZ rules:
 * POSIX.1-2017 section 8.3 (TZ), with RFC 8536's extension of transition
 * times to -167..167 hours.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/tzone.h"

#define TZIF_MAX_BYTES (1 << 20)

static void empty(struct wl_tzconv *c)
{
	memset(c, 0, sizeof(*c));
	c->hour = -1;
}

void wl_tzconv_release(struct wl_tzconv *c)
{
	free(c->tt);
	free(c->ttoff);
	empty(c);
}

static void set_fixed(struct wl_tzconv *c, long off)
{
	long a = off < 0 ? -off : off;

	c->fixed = 1;
	c->off = off;
	if (!off)
		snprintf(c->name, sizeof(c->name), "UTC");
	else if (a % 60)
		snprintf(c->name, sizeof(c->name), "UTC%c%02ld:%02ld:%02ld", off < 0 ? '-' : '+',
			 a / 3600, a / 60 % 60, a % 60);
	else
		snprintf(c->name, sizeof(c->name), "UTC%c%02ld:%02ld", off < 0 ? '-' : '+',
			 a / 3600, a / 60 % 60);
}

/* [+-]H[H][[:]MM] to the end of s, as a person writes an offset east of
 * UTC; `need_sign` says whether the sign is required.  0 or -1. */
static int human_offset(const char *s, int need_sign, long *off)
{
	int sign = 1, h = 0, m = 0, nd = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	else if (need_sign)
		return -1;
	while (isdigit((unsigned char)*s) && nd < 2)
		h = h * 10 + (*s++ - '0'), nd++;
	if (!nd)
		return -1;
	if (*s == ':')
		s++;
	if (*s) {
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2])
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 14 || m > 59 || (h == 14 && m))
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

/* ---- POSIX TZ rules ---- */

/* [+-]hh[:mm[:ss]] into seconds; hours up to `maxh`. */
static int rule_time(const char **p, int maxh, long *out)
{
	long v[3] = { 0, 0, 0 };
	int sign = 1, i, nd;

	if (**p == '+' || **p == '-')
		sign = *(*p)++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i && **p != ':')
			break;
		if (i)
			(*p)++;
		for (nd = 0; isdigit((unsigned char)**p) && nd < 3; nd++)
			v[i] = v[i] * 10 + (*(*p)++ - '0');
		if (!nd)
			return -1;
	}
	if (v[0] > maxh || v[1] > 59 || v[2] > 59)
		return -1;
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	return 0;
}

static int rule_name(const char **p)
{
	const char *s = *p;

	if (*s == '<') {
		s = strchr(s, '>');
		if (!s || s - *p < 4)
			return -1;
		*p = s + 1;
		return 0;
	}
	while (isalpha((unsigned char)*s))
		s++;
	if (s - *p < 3)
		return -1;
	*p = s;
	return 0;
}

static int rule_date(const char **p, struct wl_tzdate *d)
{
	char *end;

	d->kind = **p == 'M' ? 'M' : **p == 'J' ? 'J' : 'N';
	if (d->kind != 'N')
		(*p)++;
	if (!isdigit((unsigned char)**p))
		return -1;
	if (d->kind == 'M') {
		d->m = (int)strtol(*p, &end, 10);
		if (*end != '.' || !isdigit((unsigned char)end[1]))
			return -1;
		d->w = (int)strtol(end + 1, &end, 10);
		if (*end != '.' || !isdigit((unsigned char)end[1]))
			return -1;
		d->d = (int)strtol(end + 1, &end, 10);
		if (d->m < 1 || d->m > 12 || d->w < 1 || d->w > 5 || d->d > 6)
			return -1;
	} else {
		d->d = (int)strtol(*p, &end, 10);
		if (d->d > 365 || (d->kind == 'J' && d->d < 1))
			return -1;
	}
	*p = end;
	d->time = 7200;
	if (**p == '/') {
		(*p)++;
		return rule_time(p, 167, &d->time);
	}
	return 0;
}

int wl_tzrule_parse(const char *s, struct wl_tzrule *r)
{
	const char *p = s;
	long o;

	memset(r, 0, sizeof(*r));
	if (rule_name(&p) || rule_time(&p, 24, &o))
		return -1;
	r->std_off = -o; /* POSIX counts west positive */
	if (!*p)
		return 0;
	if (rule_name(&p))
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*p && *p != ',') {
		if (rule_time(&p, 24, &o))
			return -1;
		r->dst_off = -o;
	}
	if (!*p) { /* no rule: the US rule, as glibc's default */
		r->start = (struct wl_tzdate){ 'M', 3, 2, 0, 7200 };
		r->end = (struct wl_tzdate){ 'M', 11, 1, 0, 7200 };
		return 0;
	}
	if (*p++ != ',' || rule_date(&p, &r->start) || *p++ != ',' || rule_date(&p, &r->end))
		return -1;
	return *p ? -1 : 0;
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (Howard Hinnant's
 * days_from_civil). */
long long wl_days_from_civil(long long y, unsigned m, unsigned d)
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

static int leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Local seconds (since 1970, as if UTC) at which date d of year y starts,
 * plus its time of day. */
static long long rule_when(long long y, const struct wl_tzdate *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long long day;

	if (d->kind == 'J')
		day = wl_days_from_civil(y, 1, 1) + d->d - 1 + (leap(y) && d->d >= 60);
	else if (d->kind == 'N')
		day = wl_days_from_civil(y, 1, 1) + d->d;
	else {
		long long first = wl_days_from_civil(y, (unsigned)d->m, 1);
		/* 1970-01-01 was a Thursday (4) */
		int wd1 = (int)(((first % 7) + 7 + 4) % 7);
		int n = mdays[d->m - 1] + (d->m == 2 && leap(y));

		day = first + (d->d - wd1 + 7) % 7 + (d->w - 1) * 7L;
		while (day - first >= n)
			day -= 7;
	}
	return day * 86400 + d->time;
}

static long long year_of(long long t)
{
	long long z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;

	return yoe + era * 400 + (mp >= 10);
}

static long rule_offset(const struct wl_tzrule *r, long long t)
{
	long long y, a, b;

	if (!r->has_dst)
		return r->std_off;
	y = year_of(t + r->std_off);
	a = rule_when(y, &r->start) - r->std_off; /* starts in standard time */
	b = rule_when(y, &r->end) - r->dst_off;   /* ends in daylight time */
	if (a < b)
		return t >= a && t < b ? r->dst_off : r->std_off;
	return t >= b && t < a ? r->std_off : r->dst_off;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parses a TZif image of n bytes.  0 or -1 (malformed or out of memory). */
static int tzif(struct wl_tzconv *c, const unsigned char *b, size_t n)
{
	size_t cnt[6], tsz = 4, need, i, off = 0;
	const unsigned char *p, *types;

	for (;;) {
		if (n - off < 44 || memcmp(b + off, "TZif", 4))
			return -1;
		for (i = 0; i < 6; i++)
			cnt[i] = be32(b + off + 20 + 4 * i);
		/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
		if (cnt[3] > 100000 || cnt[4] < 1 || cnt[4] > 256 || cnt[2] > 10000 ||
		    cnt[5] > 100000 || cnt[0] > 256 || cnt[1] > 256)
			return -1;
		need = cnt[3] * tsz + cnt[3] + cnt[4] * 6 + cnt[5] + cnt[2] * (tsz + 4) + cnt[1] +
		       cnt[0];
		if (n - off - 44 < need)
			return -1;
		if (tsz == 4 && b[off + 4] >= '2') { /* skip v1 data: use the 64-bit part */
			off += 44 + need;
			tsz = 8;
			continue;
		}
		break;
	}
	p = b + off + 44;
	types = p + cnt[3] * tsz + cnt[3];
	c->tt = malloc((cnt[3] ? cnt[3] : 1) * sizeof(*c->tt));
	c->ttoff = malloc((cnt[3] ? cnt[3] : 1) * sizeof(*c->ttoff));
	if (!c->tt || !c->ttoff)
		return -1;
	for (i = 0; i < cnt[3]; i++) {
		size_t ty = p[cnt[3] * tsz + i];

		if (ty >= cnt[4])
			return -1;
		c->tt[i] = tsz == 8 ? be64(p + 8 * i) : (int32_t)be32(p + 4 * i);
		c->ttoff[i] = (int32_t)be32(types + 6 * ty);
		if (i && c->tt[i] <= c->tt[i - 1])
			return -1;
	}
	c->ntt = cnt[3];
	c->off0 = (int32_t)be32(types); /* type 0 before the first transition */
	if (tsz == 8) { /* footer: "\nTZ\n" */
		const char *f = (const char *)b + off + 44 + need;
		size_t left = n - off - 44 - need;
		char rule[256];
		const char *nl;

		if (left >= 2 && f[0] == '\n' && (nl = memchr(f + 1, '\n', left - 1)) &&
		    nl - f - 1 > 0 && (size_t)(nl - f - 1) < sizeof(rule)) {
			memcpy(rule, f + 1, (size_t)(nl - f - 1));
			rule[nl - f - 1] = 0;
			c->has_rule = !wl_tzrule_parse(rule, &c->rule);
		}
	}
	if (!c->ntt && !c->has_rule) {
		c->fixed = 1;
		c->off = c->off0;
	}
	return 0;
}

/* Reads a TZif file.  1 read, 0 no such zone file, -1 malformed. */
static int tzif_file(struct wl_tzconv *c, const char *path)
{
	unsigned char *b;
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f)
		return 0;
	b = malloc(TZIF_MAX_BYTES);
	if (!b) {
		fclose(f);
		return -1;
	}
	n = fread(b, 1, TZIF_MAX_BYTES, f);
	fclose(f);
	if (n < 4 || memcmp(b, "TZif", 4)) {
		free(b);
		return 0; /* a directory or another file: no zone */
	}
	rc = tzif(c, b, n) ? -1 : 1;
	free(b);
	return rc;
}

static int iana_name(const char *s)
{
	const char *p;

	if (!*s || *s == '/' || *s == '.' || strstr(s, "..") || strlen(s) > 100)
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			return 0;
	return 1;
}

static const char *zonedir(void)
{
	const char *d = getenv("TZDIR");

	return d && *d ? d : "/usr/share/zoneinfo";
}

/* An IANA name: 1 read, 0 none, -1 malformed file. */
static int by_name(struct wl_tzconv *c, const char *name)
{
	char path[4096];
	int rc;

	if (!iana_name(name))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", zonedir(), name);
	rc = tzif_file(c, path);
	if (rc > 0)
		snprintf(c->name, sizeof(c->name), "%s", name);
	return rc;
}

/* "UTC", "Z", "+05:30", "UTC-7", "GMT+05:30".  1 or 0. */
static int by_offset(struct wl_tzconv *c, const char *s)
{
	long off;

	if (!strcmp(s, "Z") || !strcmp(s, "UTC") || !strcmp(s, "GMT")) {
		set_fixed(c, 0);
		return 1;
	}
	if ((!strncmp(s, "UTC", 3) || !strncmp(s, "GMT", 3)) && s[3])
		s += 3;
	if (human_offset(s, 1, &off))
		return 0;
	set_fixed(c, off);
	return 1;
}

static int local_zone(struct wl_tzconv *c, struct wl_error *err)
{
	const char *env = getenv("TZ");
	char link[4096];
	ssize_t n;
	int rc;

	c->local = 1;
	if (env && *env) {
		if (*env == ':')
			env++;
		rc = by_name(c, env);
		if (rc > 0)
			return 0;
		if (rc == 0 && !wl_tzrule_parse(env, &c->rule)) {
			c->has_rule = 1;
			snprintf(c->name, sizeof(c->name), "%s (TZ)", env);
			return 0;
		}
		wl_tzconv_release(c);
		return wl_error_set(err, "cannot read this machine's zone TZ='%s'", env);
	}
	rc = tzif_file(c, "/etc/localtime");
	if (rc < 0) {
		wl_tzconv_release(c);
		return wl_error_set(err, "cannot read this machine's zone: '/etc/localtime' is "
				    "no TZif file");
	}
	if (rc == 0) {
		set_fixed(c, 0);
	} else {
		const char *z;

		n = readlink("/etc/localtime", link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = 0;
		z = strstr(link, "zoneinfo/");
		snprintf(c->name, sizeof(c->name), "%s", z ? z + 9 : "/etc/localtime");
	}
	c->local = 1;
	return 0;
}

int wl_tzconv_init(struct wl_tzconv *c, const char *tz, struct wl_error *err)
{
	int rc;

	empty(c);
	if (!tz || !*tz)
		return local_zone(c, err);
	if (by_offset(c, tz))
		return 0;
	rc = by_name(c, tz);
	if (rc > 0)
		return 0;
	wl_tzconv_release(c);
	if (rc < 0)
		return wl_error_set(err, "time zone '%s': '%s/%s' is no valid TZif file", tz,
				    zonedir(), tz);
	return wl_error_set(err, "unknown time zone '%s': give an IANA name "
			    "(America/Los_Angeles, Europe/Berlin, UTC) or an offset (-07:00, "
			    "UTC-7)", tz);
}

long wl_tz_offset_at(const struct wl_tzconv *c, long long t)
{
	size_t lo = 0, hi = c->ntt;

	if (c->fixed)
		return c->off;
	if (!c->ntt || t < c->tt[0])
		return c->ntt || !c->has_rule ? c->off0 : rule_offset(&c->rule, t);
	if (t >= c->tt[c->ntt - 1] && c->has_rule)
		return rule_offset(&c->rule, t);
	while (hi - lo > 1) { /* tt[lo] <= t < tt[hi] */
		size_t mid = lo + (hi - lo) / 2;

		if (c->tt[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return c->ttoff[lo];
}

long wl_tz_civil_offset(struct wl_tzconv *c, long long civil)
{
	long before, after, off;
	long long key = civil >= 0 ? civil / 3600 : (civil - 3599) / 3600;

	if (c->fixed)
		return c->off;
	if (c->hour == key)
		return c->hour_off;
	before = wl_tz_offset_at(c, civil - 86400);
	after = wl_tz_offset_at(c, civil + 86400);
	if (wl_tz_offset_at(c, civil - before) == before)
		off = before;
	else if (wl_tz_offset_at(c, civil - after) == after)
		off = after;
	else
		off = before; /* skipped: read with the offset before the change */
	/* the cache holds while no change falls inside this civil hour */
	if (wl_tz_offset_at(c, key * 3600 - off) == off &&
	    wl_tz_offset_at(c, key * 3600 + 3599 - off) == off) {
		c->hour = key;
		c->hour_off = off;
	}
	return off;
}

const char *wl_tzconv_describe(const struct wl_tzconv *c, char *buf, size_t sz)
{
	if (c->local)
		snprintf(buf, sz, "this machine's zone %s (give --tz ZONE for the writer's)",
			 c->name);
	else
		snprintf(buf, sz, "%s (--tz)", c->name);
	return buf;
}
