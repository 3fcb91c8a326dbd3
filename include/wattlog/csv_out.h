/*
 * csv_out.h - the one CSV writer every command's CSV goes through (export,
 * report, phases, requests, compare): fields quoted as RFC 4180 says, and
 * numbers in the two forms the outputs use.  Writes to f; errors are f's
 * (checked by the caller's fflush/ferror before it exits 0).
 */
#ifndef WATTLOG_CSV_OUT_H
#define WATTLOG_CSV_OUT_H

#include <stdio.h>

/* s as one CSV field: as it is, or in double quotes (a quote doubled) when it
 * holds a comma, a double quote or a line break. */
void wl_csv_field(FILE *f, const char *s);

/* v exactly (%.17g, so it reads back to the same double), with NaN and the
 * infinities spelled "nan", "inf", "-inf" on every libc: export's cells. */
void wl_csv_num(FILE *f, double v);

/* ",v" with v at 10 significant digits, or "," alone when v is not finite
 * (a value that could not be computed is an empty cell): report tables. */
void wl_csv_value(FILE *f, double v);

#endif
