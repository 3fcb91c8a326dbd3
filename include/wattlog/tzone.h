/*
 * tzone.h - time zones without the process-wide TZ: a zone is read into a
 * caller-owned struct wl_tzconv (reentrant: each reader has its own, no
 * setenv/tzset, no lock), and civil times convert to UTC through it.
 *
 * Zone names (wl_tzconv_init):
 *   IANA names        "America/Los_Angeles", "Europe/Berlin", "UTC",
 *                     "Etc/GMT+7" (IANA's own sign): the TZif file under
 *                     $TZDIR, else /usr/share/zoneinfo (RFC 8536: version
 *                     2+ 64-bit transitions, the footer's POSIX rule for
 *                     times past the table; version 1 files 32-bit)
 *   fixed offsets     "+05:30", "-07:00", "-0700", "+05", "Z", and
 *                     "UTC-7", "UTC+05:30", "GMT-7": what a person means
 *                     (UTC-7 is 7 h behind UTC; not POSIX's inverted sign)
 *   NULL or ""        this machine's zone: $TZ when set (a zone name, else
 *                     a POSIX TZ string as the C library reads it), else
 *                     /etc/localtime, else UTC
 * Anything else ("PDT", "Foo/Bar", "UTC+25") is an error.
 */
#ifndef WATTLOG_TZONE_H
#define WATTLOG_TZONE_H

#include <stddef.h>

#include "wattlog/error.h"

/* A POSIX TZ rule ("PST8PDT,M3.2.0,M11.1.0"): the footer of a TZif file. */
struct wl_tzrule {
	long std_off, dst_off;   /* UTC offsets, s east (std only when !has_dst) */
	int has_dst;
	/* start and end of DST: kind 'M' (month, week, wday), 'J' (Julian day
	 * 1-365, no Feb 29) or 'N' (day 0-365); time of day in local s */
	struct wl_tzdate {
		char kind;
		int m, w, d;
		long time;
	} start, end;
};

struct wl_tzconv {
	char name[128];     /* as it reads in assumptions: "UTC-07:00", "Europe/Berlin" */
	int local;          /* 1: this machine's zone (no zone was given) */
	int fixed;          /* 1: `off` at all times */
	long off;
	long long *tt;      /* transitions, UTC s, ascending (malloc'd) */
	long *ttoff;        /* the UTC offset from each transition on */
	size_t ntt;
	long off0;          /* before the first transition */
	int has_rule;       /* past the last transition: `rule` */
	struct wl_tzrule rule;
	long long hour;     /* cached civil hour key, -1 = none */
	long hour_off;      /* its UTC offset in s */
	char date[10];      /* the last "YYYY?MM?DD" parsed (timeparse.c), "" none */
	long long date_days; /* its days since 1970-01-01 */
};

/* Reads zone `tz` (see above) into c.  0, or -1 with err, e.g.
 * "unknown time zone 'PDT': give an IANA name (America/Los_Angeles) or an
 * offset (-07:00)"; c is then empty (safe to release). */
int wl_tzconv_init(struct wl_tzconv *c, const char *tz, struct wl_error *err);
void wl_tzconv_release(struct wl_tzconv *c);

/* UTC offset (s, east positive) in zone c at UTC instant t. */
long wl_tz_offset_at(const struct wl_tzconv *c, long long t);

/* UTC offset of the civil time `civil` (a civil time counted as if it were
 * UTC, s): the offset o with civil - o an instant at which c's offset is o.
 * A civil time that occurs twice (DST ends) takes the first; one that does
 * not occur (DST starts) takes the offset before the change (02:30 reads
 * as 03:30 DST), as mktime() does.  Cached per civil hour. */
long wl_tz_civil_offset(struct wl_tzconv *c, long long civil);

/* Days from 1970-01-01 to y-m-d (month 1-12) in the proleptic Gregorian
 * calendar. */
long long wl_days_from_civil(long long y, unsigned m, unsigned d);

/* Parses a POSIX TZ rule string.  0 or -1. */
int wl_tzrule_parse(const char *s, struct wl_tzrule *r);

/* Says which zone c reads times in, for an assumption: "UTC-07:00 (--tz)",
 * "this machine's zone Etc/UTC".  Returns buf. */
const char *wl_tzconv_describe(const struct wl_tzconv *c, char *buf, size_t sz);

#endif
