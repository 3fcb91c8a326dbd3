/* decimal.c - exactly rounded decimal numbers from bytes (see decimal.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/decimal.h"

/* 10^k, k = 0..22: every one exact in a double (5^22 < 2^53). */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static int digit(const char *p, const char *end)
{
	return p < end && (unsigned)(*p - '0') < 10;
}

/* The slow path: strtod over a NUL-terminated copy of [s, e).  0, or -1
 * out of memory.  Out of line, as is general(): the common case needs
 * neither their stack nor their registers. */
static __attribute__((noinline)) int slow(const char *s, const char *e, double *v)
{
	char buf[256], *copy = buf;
	size_t n = (size_t)(e - s);

	if (n >= sizeof(buf) && !(copy = malloc(n + 1)))
		return -1;
	memcpy(copy, s, n);
	copy[n] = 0;
	*v = strtod(copy, NULL);
	if (copy != buf)
		free(copy);
	return 0;
}

/*
 * The common case in one scan: at most 19 digits in all and no exponent, so
 * that m holds them all exactly (the general path below would find the same
 * m and exponent, and gives the same double).  The end, or NULL when the
 * general path must decide.
 */
static const char *short_decimal(const char *s, const char *end, double *v)
{
	const char *p = s, *d, *dot = NULL;
	uint64_t m = 0;
	size_t nd, nfrac;
	double x;
	int neg = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (d = p; p < end; p++) { /* the digits, and one '.' among them */
		unsigned c = (unsigned)(unsigned char)*p - '0';

		if (c < 10)
			m = m * 10 + c;
		else if (*p == '.' && !dot)
			dot = p;
		else
			break;
	}
	nd = (size_t)(p - d) - (dot != NULL);
	if (!nd)
		return NULL;
	nfrac = dot ? (size_t)(p - dot - 1) : 0;
	if (nd > 19 || (p < end && (*p == 'e' || *p == 'E')) || m > (1ull << 53))
		return NULL;
	if (m == 0) {
		*v = neg ? -0.0 : 0.0;
		return p;
	}
	x = nfrac ? (double)m / pow10_exact[nfrac] : (double)m;
	*v = neg ? -x : x;
	return p;
}

/* Any number: the mantissa's first 19 significant digits and a power of
 * ten, then Clinger's fast path or strtod. */
static __attribute__((noinline)) const char *general(const char *s, const char *end, double *v)
{
	const char *p = s, *q;
	uint64_t m = 0;
	int neg = 0, nd = 0, lost = 0, any = 0;
	long e10 = 0, ex = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; digit(p, end); p++, any = 1) {
		if (nd < 19) {
			m = m * 10 + (unsigned)(*p - '0');
			nd += m != 0; /* leading zeros are no significant digits */
		} else {
			e10++;
			lost |= *p != '0';
		}
	}
	if (p < end && *p == '.') {
		for (q = p + 1; digit(q, end); q++, any = 1) {
			if (nd < 19) {
				m = m * 10 + (unsigned)(*q - '0');
				nd += m != 0;
				e10--;
			} else {
				lost |= *q != '0';
			}
		}
		if (any)
			p = q;
	}
	if (!any)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0;

		q = p + 1;
		if (q < end && (*q == '-' || *q == '+'))
			eneg = *q++ == '-';
		if (digit(q, end)) {
			for (; digit(q, end); q++)
				if (ex < 100000)
					ex = ex * 10 + (*q - '0');
			e10 += eneg ? -ex : ex;
			p = q;
		}
	}
	if (m == 0 && !lost) {
		*v = neg ? -0.0 : 0.0;
		return p;
	}
	if (!lost && m <= (1ull << 53) && e10 >= -22 && e10 <= 22) {
		double x = (double)m;

		x = e10 < 0 ? x / pow10_exact[-e10] : x * pow10_exact[e10];
		*v = neg ? -x : x;
		return p;
	}
	return slow(s, p, v) ? NULL : p;
}

const char *wl_decimal_parse(const char *s, const char *end, double *v)
{
	const char *q = short_decimal(s, end, v);

	return q ? q : general(s, end, v);
}
