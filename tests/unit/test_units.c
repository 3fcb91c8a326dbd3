/* test_units.c - numbers with units and wall-clock parsing
 * (src/analyze/model/units.c, timeparse.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "wattlog/units.h"

static double utc(int y, int mo, int d, int h, int mi, double s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi };

	return (double)timegm(&tm) + s;
}

Test(units, values_with_units)
{
	char u[32];
	double v;

	cr_assert_eq(wl_unit_parse_value("77.56 W", &v, u, sizeof(u)), 0);
	cr_assert_float_eq(v, 77.56, 1e-12);
	cr_assert_str_eq(u, "W");
	cr_assert_eq(wl_unit_parse_value("57.00 \xc2\xb0" "C", &v, u, sizeof(u)), 0);
	cr_assert_str_eq(u, "C");
	cr_assert_eq(wl_unit_parse_value("0.05 GB/s", &v, u, sizeof(u)), 0);
	cr_assert_str_eq(u, "GB/s", "decimal stays decimal");
	cr_assert_eq(wl_unit_parse_value(" 17.23 % ", &v, u, sizeof(u)), 0);
	cr_assert_float_eq(v, 17.23, 1e-12);
	cr_assert_str_eq(u, "%");
	cr_assert_eq(wl_unit_parse_value("16", &v, u, sizeof(u)), 0);
	cr_assert_str_eq(u, "");
	cr_assert_eq(wl_unit_parse_value("-1.5e3", &v, u, sizeof(u)), 0);
	cr_assert_float_eq(v, -1500.0, 1e-12);
	cr_assert_eq(wl_unit_parse_value("12,5x", &v, u, sizeof(u)), -1);
	cr_assert_eq(wl_unit_parse_value("", &v, u, sizeof(u)), -1);
	cr_assert_eq(wl_unit_parse_value("nan", &v, u, sizeof(u)), -1);
	cr_assert_eq(wl_unit_parse_value("inf W", &v, u, sizeof(u)), -1);
	cr_assert_eq(wl_unit_parse_value("0x10", &v, u, sizeof(u)), -1);
	cr_assert_eq(wl_unit_parse_value("1 W extra", &v, u, sizeof(u)), -1);
	cr_assert_eq(wl_unit_parse_value("1e999", &v, u, sizeof(u)), -1);
}

/* The unit word after a number (wl_unit_scan_n): where it starts and
 * ends, what may start it and what it may not hold, by hand. */
Test(units, unit_word_bounds)
{
	static const struct {
		const char *cell;
		int ok;
		unsigned uoff, ulen; /* the word as written in the cell */
	} cases[] = {
		{ "1 W", 1, 2, 1 },            { "1W", 1, 1, 1 },
		{ "1 W \t\r", 1, 2, 1 },      { "\t1\tWh\n", 1, 3, 2 },
		{ "1 %", 1, 2, 1 },            { "1 z", 1, 2, 1 },
		{ "1 Z", 1, 2, 1 },            { "1 \xc2\xb5W", 1, 2, 3 },
		{ "1 GB/s", 1, 2, 4 },         { "1 W_x", 1, 2, 3 },
		{ "1 ", 1, 2, 0 },             { "1", 1, 1, 0 },
		{ "1 _W", 0, 0, 0 },           { "1 [W]", 0, 0, 0 },
		{ "1 @", 0, 0, 0 },            { "1 `", 0, 0, 0 },
		{ "1 W;", 0, 0, 0 },           { "1 W x", 0, 0, 0 },
		{ "1 W\tx ", 0, 0, 0 },        { "1 ;", 0, 0, 0 },
		{ "1 W,", 0, 0, 0 },           { "1 Wa;b", 0, 0, 0 },
	};
	char cell[80];
	const char *u;
	size_t i, ulen;
	double v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *c = cases[i].cell;
		int rc = wl_unit_scan_n(c, strlen(c), &v, &u, &ulen);

		cr_expect_eq(rc == 0, cases[i].ok, "'%s'", c);
		if (rc || !cases[i].ok)
			continue;
		cr_expect_eq(v, 1.0, "'%s'", c);
		cr_expect_eq(u - c, (long)cases[i].uoff, "'%s'", c);
		cr_expect_eq(ulen, cases[i].ulen, "'%s'", c);
	}
	/* a word of 63 bytes is one, of 64 is not */
	memset(cell, 0, sizeof(cell));
	memcpy(cell, "2 ", 2);
	memset(cell + 2, 'W', 63);
	cr_expect_eq(wl_unit_scan_n(cell, 65, &v, &u, &ulen), 0);
	cr_expect_eq(ulen, 63);
	cell[65] = 'W';
	cr_expect_eq(wl_unit_scan_n(cell, 66, &v, &u, &ulen), -1);
	cell[65] = ' ';
	cr_expect_eq(wl_unit_scan_n(cell, 66, &v, &u, &ulen), 0, "blanks after it count not");
	cr_expect_eq(ulen, 63);
}

Test(units, headers_absent_cells_scales)
{
	char n[64], u[16];

	wl_unit_split_header("power.draw [W]", n, sizeof(n), u, sizeof(u));
	cr_assert_str_eq(n, "power.draw");
	cr_assert_str_eq(u, "W");
	wl_unit_split_header(" temperature.gpu ", n, sizeof(n), u, sizeof(u));
	cr_assert_str_eq(n, "temperature.gpu");
	cr_assert_str_eq(u, "");
	wl_unit_split_header("rx [MB/s]", n, sizeof(n), u, sizeof(u));
	cr_assert_str_eq(u, "MB/s");
	cr_assert(wl_unit_is_absent("[N/A]"));
	cr_assert(wl_unit_is_absent(" [Not Supported] "));
	cr_assert(wl_unit_is_absent(""));
	cr_assert(!wl_unit_is_absent("0"));
	cr_assert_float_eq(wl_unit_power_scale("mW"), 1e-3, 1e-18);
	cr_assert_float_eq(wl_unit_power_scale("kW"), 1e3, 1e-9);
	cr_assert_eq(wl_unit_power_scale("J"), 0.0);
	cr_assert_float_eq(wl_unit_energy_scale("uJ"), 1e-6, 1e-18);
	cr_assert_float_eq(wl_unit_energy_scale("Wh"), 3600.0, 1e-9);
	cr_assert_float_eq(wl_unit_energy_scale("kWh"), 3.6e6, 1e-6);
	cr_assert_eq(wl_unit_energy_scale("W"), 0.0);
	cr_assert_float_eq(wl_unit_time_scale("ms"), 1e-3, 1e-18);
}

Test(timeparse, iso_and_nvidia_smi_forms)
{
	struct wl_tzconv tz;
	double e;
	int z;

	cr_assert_eq(wl_tzconv_init(&tz, "UTC", NULL), 0);
	cr_assert_eq(wl_time_parse_iso("2025-05-07 14:32:00.1", &tz, &e, &z), 0);
	cr_assert_float_eq(e, utc(2025, 5, 7, 14, 32, 0.1), 1e-6);
	cr_assert_eq(z, 0);
	cr_assert_eq(wl_time_parse_iso("2026/07/18 15:57:25.621", &tz, &e, NULL), 0);
	cr_assert_float_eq(e, utc(2026, 7, 18, 15, 57, 25.621), 1e-6);
	cr_assert_eq(wl_time_parse_iso("2024-02-29T23:59:59Z", &tz, &e, &z), 0);
	cr_assert_eq(z, 1);
	cr_assert_float_eq(e, utc(2024, 2, 29, 23, 59, 59), 1e-6);
	cr_assert_eq(wl_time_parse_iso("2024-03-10T14:00:03+02:00", &tz, &e, NULL), 0);
	cr_assert_float_eq(e, utc(2024, 3, 10, 12, 0, 3), 1e-6);
	cr_assert_eq(wl_time_parse_iso("2024-03-10T05:00:00-0700", &tz, &e, NULL), 0);
	cr_assert_float_eq(e, utc(2024, 3, 10, 12, 0, 0), 1e-6);
	cr_assert_eq(wl_time_parse_iso("2024-13-10 05:00:00", &tz, &e, NULL), -1);
	cr_assert_eq(wl_time_parse_iso("2024-03-10", &tz, &e, NULL), -1);
	cr_assert_eq(wl_time_parse_iso("2024-03-10 05:00:00 junk", &tz, &e, NULL), -1);
	cr_assert_eq(wl_time_parse_iso("1.5", &tz, &e, NULL), -1);
}

Test(timeparse, zones_and_daylight_saving)
{
	struct wl_tzconv tz;
	double e;
	size_t len;

	/* US Pacific rules written out in POSIX form as this machine's TZ (no
	 * tz database needed): PST = UTC-8 in winter, PDT = UTC-7 in summer. */
	setenv("TZ", "PST8PDT,M3.2.0,M11.1.0", 1);
	cr_assert_eq(wl_tzconv_init(&tz, NULL, NULL), 0);
	unsetenv("TZ");
	cr_assert_eq(wl_time_parse_iso("2024-01-15 12:00:00", &tz, &e, NULL), 0);
	cr_assert_float_eq(e, utc(2024, 1, 15, 20, 0, 0), 1e-6);
	cr_assert_eq(wl_time_parse_iso("2024-07-15 12:00:00", &tz, &e, NULL), 0);
	cr_assert_float_eq(e, utc(2024, 7, 15, 19, 0, 0), 1e-6);
	wl_tzconv_release(&tz);
	/* tegrastats: month-day-year */
	cr_assert_eq(wl_tzconv_init(&tz, "UTC", NULL), 0);
	cr_assert_eq(wl_time_parse_mdy("05-01-2024 16:38:16 RAM", &tz, &e, &len), 0);
	cr_assert_float_eq(e, utc(2024, 5, 1, 16, 38, 16), 1e-6);
	cr_assert_eq(len, 19);
	cr_assert_eq(wl_time_parse_mdy("2024-05-01 16:38:16", &tz, &e, &len), -1);
}

Test(units, unit_from_the_name)
{
	static const struct {
		const char *hdr, *name, *unit, *base;
		enum wl_unit_from from;
	} t[] = {
		{ "power.draw [W]", "power.draw", "W", "power.draw", WL_UNIT_BRACKETS },
		{ "Power Draw (W)", "Power Draw", "W", "Power Draw", WL_UNIT_PARENS },
		{ "Timestamp (ns)", "Timestamp", "ns", "Timestamp", WL_UNIT_PARENS },
		{ "Temp (GPU)", "Temp (GPU)", "", "Temp (GPU)", WL_UNIT_NONE },
		{ "n1_watts", "n1_watts", "W", "n1", WL_UNIT_SUFFIX },
		{ "power_W", "power_W", "W", "power", WL_UNIT_SUFFIX },
		{ "power_w", "power_w", "W", "power", WL_UNIT_SUFFIX },
		{ "gpu_mW", "gpu_mW", "mW", "gpu", WL_UNIT_SUFFIX },
		{ "rack_kW", "rack_kW", "kW", "rack", WL_UNIT_SUFFIX },
		{ "pkg_energy_uj", "pkg_energy_uj", "uJ", "pkg_energy", WL_UNIT_SUFFIX },
		{ "e_J", "e_J", "J", "e", WL_UNIT_SUFFIX },
		{ "time_ms", "time_ms", "ms", "time", WL_UNIT_SUFFIX },
		{ "util_pct", "util_pct", "%", "util", WL_UNIT_SUFFIX },
		{ "watts", "watts", "W", "watts", WL_UNIT_SUFFIX },
		{ "GPU0", "GPU0", "", "GPU0", WL_UNIT_NONE },
		{ "W", "W", "", "W", WL_UNIT_NONE },
		{ "used [MB]", "used", "MB", "used", WL_UNIT_BRACKETS },
		{ "rate (GB/s)", "rate", "GB/s", "rate", WL_UNIT_PARENS },
	};
	char name[64], unit[16], base[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum wl_unit_from f = wl_unit_from_name(t[i].hdr, name, sizeof(name), unit,
							sizeof(unit), base, sizeof(base));

		cr_assert_eq(f, t[i].from, "%s: from %d", t[i].hdr, f);
		cr_assert_str_eq(name, t[i].name, "%s", t[i].hdr);
		cr_assert_str_eq(unit, t[i].unit, "%s", t[i].hdr);
		cr_assert_str_eq(base, t[i].base, "%s", t[i].hdr);
	}
}

Test(units, decimal_stays_decimal)
{
	cr_assert_str_eq(wl_unit_canon("MB"), "MB");
	cr_assert_str_eq(wl_unit_canon("GB/s"), "GB/s");
	cr_assert_str_eq(wl_unit_canon("\xc2\xb5J"), "uJ");
	cr_assert_str_eq(wl_unit_canon_binary("MB"), "MiB");
	cr_assert_str_eq(wl_unit_canon_binary("GB/s"), "GiB/s");
	cr_assert_str_eq(wl_unit_canon_binary("W"), "W");
}

/* The date part is cached between calls (timeparse.c): rows that change
 * date, go back to an earlier one, or hold a bad or short date still read
 * as timegm() says. */
Test(units, iso_date_cache)
{
	static const char *const bad[] = { "2025-05-32 10:00:00", "2025-05-0", "2025-05-07",
					   "2025-05-07X10:00:00", "2025-13-07 10:00:00" };
	struct wl_tzconv tz;
	struct wl_error err;
	double t;
	size_t i;

	cr_assert_eq(wl_tzconv_init(&tz, "UTC", &err), 0);
	cr_assert_eq(wl_time_parse_iso("2025-05-07 10:00:00.5", &tz, &t, NULL), 0);
	cr_expect_eq(t, utc(2025, 5, 7, 10, 0, 0.5));
	cr_assert_eq(wl_time_parse_iso("2025-05-07 23:59:59", &tz, &t, NULL), 0);
	cr_expect_eq(t, utc(2025, 5, 7, 23, 59, 59));
	cr_assert_eq(wl_time_parse_iso("2025-05-08 00:00:01", &tz, &t, NULL), 0);
	cr_expect_eq(t, utc(2025, 5, 8, 0, 0, 1));
	cr_assert_eq(wl_time_parse_iso("2025-05-07 12:00:00", &tz, &t, NULL), 0);
	cr_expect_eq(t, utc(2025, 5, 7, 12, 0, 0));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(wl_time_parse_iso(bad[i], &tz, &t, NULL), -1, "'%s'", bad[i]);
	cr_assert_eq(wl_time_parse_iso("2025-05-07 12:00:01+02:00", &tz, &t, NULL), 0);
	cr_expect_eq(t, utc(2025, 5, 7, 10, 0, 1));
	wl_tzconv_release(&tz);
}
