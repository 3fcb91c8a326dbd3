/* test_tzone.c - time zones from TZif files and offsets (src/analyze/model/tzone.c),
 * checked against hand-computed instants and against the C library's own
 * reading of the same zones (localtime_r under TZ: another implementation). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wattlog/tzone.h"

static int have_zone(const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "/usr/share/zoneinfo/%s", name);
	return access(p, R_OK) == 0;
}

Test(tzone, offsets_as_people_mean_them)
{
	static const struct {
		const char *in, *name;
		long off;
	} ok[] = {
		{ "UTC-7", "UTC-07:00", -7 * 3600 },   { "-07:00", "UTC-07:00", -7 * 3600 },
		{ "-0700", "UTC-07:00", -7 * 3600 },   { "+05:30", "UTC+05:30", 19800 },
		{ "UTC+5:30", "UTC+05:30", 19800 },    { "GMT+2", "UTC+02:00", 7200 },
		{ "Z", "UTC", 0 },                     { "UTC", "UTC", 0 },
		{ "+14", "UTC+14:00", 14 * 3600 },
	};
	struct wl_tzconv c;
	struct wl_error err;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(wl_tzconv_init(&c, ok[i].in, &err), 0, "%s: %s", ok[i].in, err.msg);
		cr_assert_str_eq(c.name, ok[i].name, "%s", ok[i].in);
		cr_assert_eq(wl_tz_offset_at(&c, 1700000000), ok[i].off, "%s", ok[i].in);
		cr_assert_eq(wl_tz_civil_offset(&c, 1700000000), ok[i].off, "%s", ok[i].in);
		wl_tzconv_release(&c);
	}
}

Test(tzone, bad_names_are_errors)
{
	static const char *const bad[] = {
		"PDT", "Foo/Bar", "UTC+25", "+25:00", "-07:60", "../../etc/passwd",
		"/etc/localtime", "UTC-7x", "America", "PST8PDT,M3.2.0,M11.1.0", "7",
	};
	struct wl_tzconv c;
	struct wl_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(wl_tzconv_init(&c, bad[i], &err), -1, "'%s' accepted", bad[i]);
		cr_assert(strstr(err.msg, bad[i]), "%s", err.msg);
		wl_tzconv_release(&c); /* safe after a failure */
	}
}

/* Hand-computed: Los Angeles is UTC-8 in winter, UTC-7 from the second
 * Sunday of March 02:00 to the first Sunday of November 02:00. */
Test(tzone, los_angeles_by_hand)
{
	struct wl_tzconv c;
	struct wl_error err;
	long long d;

	if (!have_zone("America/Los_Angeles"))
		cr_skip_test("no tz database");
	cr_assert_eq(wl_tzconv_init(&c, "America/Los_Angeles", &err), 0, "%s", err.msg);
	/* 2024-01-15 12:00 civil */
	d = wl_days_from_civil(2024, 1, 15) * 86400 + 12 * 3600;
	cr_assert_eq(wl_tz_civil_offset(&c, d), -8 * 3600);
	d = wl_days_from_civil(2024, 7, 15) * 86400 + 12 * 3600;
	cr_assert_eq(wl_tz_civil_offset(&c, d), -7 * 3600);
	/* 2024-03-10 02:30 does not occur: read with the offset before (PST),
	 * i.e. 10:30 UTC = 03:30 PDT */
	d = wl_days_from_civil(2024, 3, 10) * 86400 + 2 * 3600 + 1800;
	cr_assert_eq(wl_tz_civil_offset(&c, d), -8 * 3600);
	/* 2024-11-03 01:30 occurs twice: the first (PDT) */
	d = wl_days_from_civil(2024, 11, 3) * 86400 + 3600 + 1800;
	cr_assert_eq(wl_tz_civil_offset(&c, d), -7 * 3600);
	/* 2090-07-01: past any table, from the footer rule */
	d = wl_days_from_civil(2090, 7, 1) * 86400;
	cr_assert_eq(wl_tz_offset_at(&c, d), -7 * 3600);
	d = wl_days_from_civil(2090, 12, 1) * 86400;
	cr_assert_eq(wl_tz_offset_at(&c, d), -8 * 3600);
	wl_tzconv_release(&c);
}

/* Every 7 h 13 min from 1970 to 2099, the offset equals the C library's
 * tm_gmtoff for the same zone. */
Test(tzone, matches_the_c_library)
{
	static const char *const zones[] = {
		"America/Los_Angeles", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
		"America/Sao_Paulo", "Pacific/Chatham", "Europe/Dublin", "America/St_Johns",
		"Asia/Tehran", "Africa/Casablanca",
	};
	struct wl_tzconv c;
	struct wl_error err;
	size_t z;

	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		long long t;

		if (!have_zone(zones[z]))
			continue;
		cr_assert_eq(wl_tzconv_init(&c, zones[z], &err), 0, "%s", err.msg);
		setenv("TZ", zones[z], 1);
		tzset();
		for (t = 0; t < 4102444800LL; t += 7 * 3600 + 13 * 60) {
			struct tm tm;
			time_t tt = (time_t)t;

			localtime_r(&tt, &tm);
			cr_assert_eq(wl_tz_offset_at(&c, t), tm.tm_gmtoff, "%s at %lld: %ld vs %ld",
				     zones[z], t, wl_tz_offset_at(&c, t), (long)tm.tm_gmtoff);
			/* and back: the civil time of t converts to t, except in
			 * the repeated hour where the first instant is taken */
			long long civil = t + tm.tm_gmtoff;
			long o = wl_tz_civil_offset(&c, civil);
			cr_assert(civil - o == t || wl_tz_offset_at(&c, civil - o) == o,
				  "%s civil %lld", zones[z], civil);
		}
		wl_tzconv_release(&c);
	}
	unsetenv("TZ");
	tzset();
}

Test(tzone, posix_rules)
{
	struct wl_tzrule r;

	cr_assert_eq(wl_tzrule_parse("PST8PDT,M3.2.0,M11.1.0", &r), 0);
	cr_assert_eq(r.std_off, -8 * 3600);
	cr_assert_eq(r.dst_off, -7 * 3600);
	cr_assert_eq(r.start.kind, 'M');
	cr_assert_eq(r.start.m, 3);
	cr_assert_eq(r.end.m, 11);
	cr_assert_eq(wl_tzrule_parse("<+0530>-5:30", &r), 0);
	cr_assert_eq(r.std_off, 19800);
	cr_assert_eq(r.has_dst, 0);
	cr_assert_eq(wl_tzrule_parse("IST-1GMT0,M10.5.0,M3.5.0/1", &r), 0);
	cr_assert_eq(r.std_off, 3600);
	cr_assert_eq(r.dst_off, 0, "Dublin: negative DST");
	cr_assert_eq(r.end.time, 3600);
	cr_assert_eq(wl_tzrule_parse("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", &r), 0);
	cr_assert_eq(r.start.time, -7200);
	cr_assert_eq(wl_tzrule_parse("PST", &r), -1);
	cr_assert_eq(wl_tzrule_parse("PST8PDT,M13.2.0,M11.1.0", &r), -1);
}

Test(tzone, local_zone_from_tz_or_localtime)
{
	struct wl_tzconv c;
	struct wl_error err;
	char buf[256];

	setenv("TZ", "<+0530>-5:30", 1);
	cr_assert_eq(wl_tzconv_init(&c, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_tz_offset_at(&c, 0), 19800);
	cr_assert(c.local);
	cr_assert(strstr(wl_tzconv_describe(&c, buf, sizeof(buf)), "this machine's zone"));
	wl_tzconv_release(&c);
	unsetenv("TZ");
	cr_assert_eq(wl_tzconv_init(&c, "-07:00", &err), 0);
	cr_assert_str_eq(wl_tzconv_describe(&c, buf, sizeof(buf)), "UTC-07:00 (--tz)");
	wl_tzconv_release(&c);
}
