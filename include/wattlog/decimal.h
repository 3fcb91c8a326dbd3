/*
 * decimal.h - decimal numbers from bytes, exactly rounded (the double
 * strtod gives), without a NUL terminator and without allocating in the
 * common case.  Libc only: both programs may use it.
 */
#ifndef WATTLOG_DECIMAL_H
#define WATTLOG_DECIMAL_H

/*
 * Parses the longest prefix of [s, end) of the form
 *     [+-] DIGITS [. [DIGITS]] [(e|E) [+-] DIGITS]    or    [+-] . DIGITS [...]
 * (at least one digit before the exponent; an 'e' not followed by digits is
 * not part of the number, as for strtod).  No blanks are skipped; "inf",
 * "nan" and hex are not numbers here.  *v gets the same double as strtod in
 * the C locale (round to nearest even), +-inf on overflow, +-0 or a
 * subnormal on underflow, -0.0 for "-0".  Returns the end of the number,
 * or NULL (v untouched) when [s, end) does not start with one (or, for a
 * number of more than 255 bytes, when out of memory).
 *
 * Cost: a mantissa of at most 19 digits with a power of ten up to 10^22
 * whose product or quotient is exact in the operands (m <= 2^53) is
 * Clinger's fast path, one correctly rounded multiplication or division;
 * anything else is copied (stack buffer, malloc beyond 256 bytes) and
 * given to strtod.
 */
const char *wl_decimal_parse(const char *s, const char *end, double *v);

#endif
