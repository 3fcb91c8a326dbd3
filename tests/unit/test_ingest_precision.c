/* test_ingest_precision.c - times of the CSV ingesters are exact
 * differences (src/analyze/model/timeparse.c wl_walltime_diff, ingest_gpucsv.c,
 * ingest_generic.c), and the fast number parser of units.c gives strtod's
 * double.  Expected values are decimal literals: the compiler's rounding of
 * "43.9" is the reference, independent of the code under test. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "ingest_testutil.h"
#include "wattlog/units.h"

/* Writes text to a fresh temporary file; its path into buf. */
static const char *tmpfile_with(char *buf, size_t sz, const char *ext, const char *text)
{
	int fd;
	size_t len = strlen(text);

	snprintf(buf, sz, "/tmp/wl-prec-XXXXXX%s", ext);
	fd = mkstemps(buf, (int)strlen(ext));
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return buf;
}

/* Before the fix t was (epoch - epoch0) in doubles: 1746628364.0 -
 * 1746628320.1 = 43.90000009536743. */
Test(precision, aimeter_duration_is_the_nearest_double)
{
	char p[64];
	struct wl_dataset ds;
	const struct wl_channel *c;

	tmpfile_with(p, sizeof(p), ".csv",
		     "timestamp,task_name,name,index,power.draw [W]\n"
		     "2025-05-07 14:32:00.1,demo,A800,0,100.00 W\n"
		     "2025-05-07 14:32:44.0,demo,A800,0,110.00 W\n");
	ingest_ok(p, "aimeter", "UTC", &ds);
	c = chan(&ds, "power.draw", "gpu0");
	cr_assert_eq(c->n, 2);
	cr_assert_eq(c->t[0], 0.0);
	cr_assert_eq(c->t[1], 43.9, "t = %.17g, not the double nearest 43.9", c->t[1]);
	wl_dataset_release(&ds);
	unlink(p);
}

/* nvidia-smi, ms resolution, GPU 1 older than the first row: the origin
 * moves to GPU 1's first sample and stays exact. */
Test(precision, nvsmi_shifted_origin_is_exact)
{
	char p[64];
	struct wl_dataset ds;
	const struct wl_channel *c0, *c1;

	tmpfile_with(p, sizeof(p), ".csv",
		     "timestamp, index, power.draw [W]\n"
		     "2026/07/18 15:57:25.621, 0, 82.37 W\n"
		     "2026/07/18 15:57:25.500, 1, 60.00 W\n"
		     "2026/07/18 15:58:09.521, 0, 83.00 W\n"
		     "2026/07/18 15:58:09.400, 1, 61.00 W\n");
	ingest_ok(p, "nvidia-smi", "UTC", &ds);
	c0 = chan(&ds, "power.draw", "gpu0");
	c1 = chan(&ds, "power.draw", "gpu1");
	cr_assert_eq(c1->t[0], 0.0);
	cr_assert_eq(c0->t[0], 0.121, "%.17g", c0->t[0]);
	cr_assert_eq(c0->t[1], 44.021, "%.17g", c0->t[1]);
	cr_assert_eq(c1->t[1], 43.9, "%.17g", c1->t[1]);
	wl_dataset_release(&ds);
	unlink(p);
}

Test(precision, generic_wall_epoch_and_relative_times)
{
	static const char *const body[] = {
		"time,power [W]\n2025-05-07T14:32:00.1Z,1\n2025-05-07T14:32:44Z,2\n",
		"epoch,power [W]\n1746628320.1,1\n1746628364.0,2\n",
		"time [ms],power [W]\n100.5,1\n44000.5,2\n",
		"t,power [W]\n0.3,1\n44.2,2\n",
	};
	char p[64];
	size_t i;

	for (i = 0; i < sizeof(body) / sizeof(body[0]); i++) {
		struct wl_dataset ds;
		const struct wl_channel *c;

		tmpfile_with(p, sizeof(p), ".csv", body[i]);
		ingest_ok(p, "csv", "UTC", &ds);
		c = chan(&ds, "power", NULL);
		cr_assert_eq(c->n, 2);
		cr_assert_eq(c->t[1], 43.9, "case %zu: t = %.17g", i, c->t[1]);
		wl_dataset_release(&ds);
		unlink(p);
	}
}

Test(precision, walltime_and_decimal_ns)
{
	struct wl_tzconv tz;
	struct wl_walltime a, b;
	long long ns;

	cr_assert_eq(wl_tzconv_init(&tz, "UTC", NULL), 0);
	cr_assert_eq(wl_time_parse_iso_exact("2025-05-07 14:32:00.1", &tz, &a, NULL), 0);
	/* 2025-05-07 = day 20215 since 1970-01-01 (2025 - 1970 = 55 years, 14
	 * leap days, Jan..Apr 2025 = 120 days, + 6) */
	cr_assert_eq(a.s, 20215LL * 86400 + 14 * 3600 + 32 * 60);
	cr_assert_eq(a.ns, 100000000L);
	cr_assert_eq(wl_time_parse_iso_exact("2025-05-07 14:32:59.9999999996", &tz, &b, NULL), 0);
	cr_assert_eq(b.s, a.s + 60, "rounds up into the next second");
	cr_assert_eq(b.ns, 0);
	cr_assert_eq(wl_walltime_diff(&a, &b), 59.9);
	cr_assert_eq(wl_walltime_diff(&b, &a), -59.9);
	cr_assert_eq(wl_time_ns_to_s(123456789012LL), 123.456789012);
	/* 200 days in 0.1 s steps: beyond 2^53 ns, still exact */
	cr_assert_eq(wl_time_ns_to_s(17280000100000000LL), 17280000.1);
	cr_assert_eq(wl_time_decimal_ns(" 1746628320.1 ", 0, &ns), 0);
	cr_assert_eq(ns, 1746628320100000000LL);
	cr_assert_eq(wl_time_decimal_ns("-2.5", -3, &ns), 0);
	cr_assert_eq(ns, -2500000LL);
	cr_assert_eq(wl_time_decimal_ns("1.0000000001", 0, &ns), -1, "below 1 ns");
	cr_assert_eq(wl_time_decimal_ns("1.0000000000", 0, &ns), 0);
	cr_assert_eq(ns, 1000000000LL);
	cr_assert_eq(wl_time_decimal_ns("1e3", 0, &ns), -1);
	cr_assert_eq(wl_time_decimal_ns("99999999999", 0, &ns), -1, "overflows int64 ns");
	cr_assert_eq(wl_time_decimal_ns(".", 0, &ns), -1);
}

/* The fast decimal path against strtod on numbers as logs write them. */
Test(precision, scan_matches_strtod)
{
	char s[64];
	const char *u;
	size_t ulen, i;
	double v;
	unsigned long long x = 88172645463325252ULL;

	for (i = 0; i < 200000; i++) {
		int ip, fd, k;

		x ^= x << 13; /* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		ip = (int)(x % 100000);
		fd = (int)((x >> 20) % 10);
		k = snprintf(s, sizeof(s), "%s%d", (x >> 40) & 1 ? "-" : "", ip);
		if (fd)
			snprintf(s + k, sizeof(s) - (size_t)k, ".%0*llu", fd,
				 (x >> 24) % 1000000000ULL % (unsigned long long)pow(10, fd));
		cr_assert_eq(wl_unit_scan(s, &v, &u, &ulen), 0, "%s", s);
		cr_assert_eq(ulen, 0);
		cr_assert_eq(v, strtod(s, NULL), "%s: %.17g", s, v);
	}
	cr_assert_eq(wl_unit_scan(" 77.56 W ", &v, &u, &ulen), 0);
	cr_assert_eq(v, 77.56);
	cr_assert_eq(ulen, 1);
	cr_assert_eq(u[0], 'W');
	cr_assert_eq(wl_unit_scan("1234567890.1234567 W", &v, &u, &ulen), 0);
	cr_assert_eq(v, 1234567890.1234567, "17 digits: strtod's answer");
	cr_assert_eq(wl_unit_scan("1.5e3", &v, &u, &ulen), 0);
	cr_assert_eq(v, 1500.0);
	cr_assert_eq(wl_unit_scan("1.", &v, &u, &ulen), 0);
	cr_assert_eq(v, 1.0);
	cr_assert_eq(wl_unit_scan("1.2.3", &v, &u, &ulen), -1);
}
