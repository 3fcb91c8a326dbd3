/* test_decimal.c - wl_decimal_parse (src/common/decimal.c) against the C
 * library's strtod: the same double, bit for bit, and the same end, on
 * edge cases and 10^7 random decimal strings (a correctness test, not
 * timed). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/decimal.h"

/* 1 when wl_decimal_parse agrees with strtod on s (end and bits). */
static int agrees(const char *s)
{
	char *e;
	double want = strtod(s, &e), got = 12345.678;
	const char *end = wl_decimal_parse(s, s + strlen(s), &got);

	if (e == s)
		return end == NULL;
	return end == e && !memcmp(&want, &got, sizeof(double));
}

Test(decimal, edge_cases)
{
	static const char *const cases[] = {
		"0", "-0", "+0", "0.0", "-0.0", "0e0", "0e-999999", "-0e999999", "00000", "0.",
		".5", "-.5", "5.", "1e", "1e+", "1e-", "1E5", "1e+5", "1e-5", "1.5e3x", "12abc",
		"77.56 W", "57.00 \xc2\xb0" "C", "1410 MHz", "0.05 GB/s", "17.23 %",
		"0.1", "0.2", "0.3", "1.1", "2.675", "9007199254740991", "9007199254740992",
		"9007199254740993", "9007199254740994", "9007199254740995", "18014398509481985",
		"9999999999999999999", "99999999999999999999", "123456789012345678901234567890",
		"0.000000000000000000000000000001", "1e22", "1e23", "9e22", "1.7976931348623157e308",
		"1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e309",
		"2.2250738585072011e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
		"2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "-1e-400",
		"3.0000000000000004", "0.30000000000000004", "123.456e-7", "1e-22", "1e-23",
		"7.0e-10", "8.98846567431158e307", "1e99999999999", "1e-99999999999",
		"4503599627370496.5", "4503599627370497.5", "0.000000000000000000001e21",
		"100000000000000000000000e-23",
		/* not numbers */
		"", "-", "+", ".", "-.", "e5", ".e5", "abc", "--1", "+-1",
	};
	size_t i;

	double v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect(agrees(cases[i]), "'%s' differs from strtod", cases[i]);
	cr_expect_null(wl_decimal_parse(" 1", " 1" + 2, &v), "blanks are the caller's");
}

Test(decimal, no_terminator)
{
	const char buf[] = { '1', '2', '.', '5', '9' };
	double v = 0;

	/* the field is "12.5": the byte after it is not read as a digit */
	cr_assert_eq(wl_decimal_parse(buf, buf + 4, &v), buf + 4);
	cr_assert_eq(v, 12.5);
	cr_assert_eq(wl_decimal_parse(buf, buf + 2, &v), buf + 2);
	cr_assert_eq(v, 12.0);
	cr_assert_null(wl_decimal_parse(buf, buf, &v));
}

Test(decimal, long_number)
{
	/* 400 digits: the copy given to strtod does not fit the stack buffer */
	static char s[402];

	memset(s, '3', 400);
	s[1] = '.';
	cr_assert(agrees(s));
}

/* xorshift64*: reproducible, independent of the library's rand() */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
}

/* A random decimal string: 1-25 digits with runs of 0 and 9 (where
 * rounding is decided), a point anywhere, sometimes an exponent. */
static void random_decimal(uint64_t *x, char *s)
{
	uint64_t r = rnd(x);
	int nd = 1 + (int)(r % 25), point = (int)((r >> 8) % (uint64_t)(nd + 2)) - 1, k = 0, i;

	if ((r >> 16) % 4 == 0)
		s[k++] = (r >> 18) % 2 ? '-' : '+';
	for (i = 0; i < nd; i++) {
		uint64_t d = rnd(x);

		if (i == point)
			s[k++] = '.';
		s[k++] = (char)('0' + (d % 8 == 0 ? 0 : d % 8 == 1 ? 9 : (d >> 4) % 10));
	}
	if (point == nd)
		s[k++] = '.';
	if ((r >> 20) % 3 == 0) {
		int e = (int)((r >> 24) % 60) - 30;

		if ((r >> 32) % 50 == 0)
			e = (int)((r >> 34) % 700) - 350;
		k += sprintf(s + k, "e%d", e);
	}
	s[k] = 0;
}

Test(decimal, random_against_strtod)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char s[64];
	long i, bad = 0;

	for (i = 0; i < 10000000; i++) {
		if (i % 4 == 0) { /* a double printed to 17 digits: a round trip */
			uint64_t bits = rnd(&x);
			double d;

			memcpy(&d, &bits, sizeof(d));
			if (!isfinite(d))
				continue;
			snprintf(s, sizeof(s), "%.*g", 1 + (int)(bits % 17), d);
		} else {
			random_decimal(&x, s);
		}
		if (!agrees(s) && bad++ < 10)
			cr_log_error("'%s' differs from strtod", s);
	}
	cr_assert_eq(bad, 0, "%ld of 10^7 strings differ from strtod", bad);
}
