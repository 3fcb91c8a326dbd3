/*
 * units.h - numbers with units as logs write them, and wall-clock times.
 * Pure functions over strings (no I/O), used by the ingesters.
 *
 * Units are kept as the dataset stores them (dataset.h): "W", "mW", "kW",
 * "uJ", "mJ", "J", "Wh", "kWh", "%", "MHz", "C", "MiB", "GiB/s", "s", "".
 */
#ifndef WATTLOG_UNITS_H
#define WATTLOG_UNITS_H

#include <stddef.h>
#include <time.h>

#include "wattlog/error.h"
#include "wattlog/tzone.h"

/* Splits a CSV header "power.draw [W]" into its name "power.draw" and its
 * unit "W" (canonical, see wl_unit_canon); no brackets: unit "".  Both
 * outputs are truncated to their sizes and always NUL-terminated. */
void wl_unit_split_header(const char *hdr, char *name, size_t nsz, char *unit, size_t usz);

/* 1 when the comma-separated header line has a field whose name (blanks
 * and a trailing "[unit]" aside, as wl_unit_split_header splits it) is
 * name; the input formats' recognition rules use it. */
int wl_unit_header_has(const char *line, const char *name);

/* Where a column's unit came from. */
enum wl_unit_from {
	WL_UNIT_NONE,     /* nowhere: the cells may say */
	WL_UNIT_BRACKETS, /* "power.draw [W]": stated */
	WL_UNIT_PARENS,   /* "Power Draw (W)", "Timestamp (ns)": a known unit only */
	WL_UNIT_SUFFIX,   /* "n1_watts", "power_W", "pkg_energy_uj", "time_ms" */
	WL_UNIT_DECLARED, /* --unit / --time-unit (set by the reader) */
};

/* The unit a CSV header's name says: brackets as wl_unit_split_header,
 * else a parenthesis at the end holding a known unit, else a suffix after
 * '_', '.', '-' or ' ' (W, w, watts, mW, mw, kW, uW, J, mJ, uJ, uj, kJ,
 * Wh, kWh, s, sec, ms, us, ns, pct, percent, MHz).  name gets the header
 * without brackets or parenthesis ("n1_watts" stays whole), base the name
 * without the suffix too ("time_ms" -> "time"), unit the canonical unit or
 * "".  Returns where it came from. */
enum wl_unit_from wl_unit_from_name(const char *hdr, char *name, size_t nsz, char *unit,
				    size_t usz, char *base, size_t bsz);

/* Parses a whole cell "77.56 W", "57.00 °C", "1410 MHz", "17.23 %", "4":
 * a finite decimal number (strtod syntax, '.' decimal point) optionally
 * followed by blanks and a unit word.  *unit gets the canonical unit (""
 * when none).  Returns 0, or -1 when the cell is not a number followed by
 * at most one unit word (e.g. "12,5x", "", "nan"). */
int wl_unit_parse_value(const char *s, double *v, char *unit, size_t usz);

/* The same parse without copying: *v gets the number and *unit points at
 * the unit word as written in s (not canonical, not NUL-terminated: *ulen
 * bytes, 0 = none).  Accepts exactly what wl_unit_parse_value accepts; the
 * number is wl_decimal_parse's (decimal.h: strtod's double, mostly without
 * strtod).  0 or -1. */
int wl_unit_scan(const char *s, double *v, const char **unit, size_t *ulen);
/* The same over the n bytes at s (no NUL needed: a CSV field as read). */
int wl_unit_scan_n(const char *s, size_t n, double *v, const char **unit, size_t *ulen);

/* A cell that means "no value": "", "[N/A]", "N/A", "[Not Supported]",
 * "[Unknown Error]", "[Insufficient Permissions]", "-", "nan"
 * (case-insensitive).  1 or 0. */
int wl_unit_is_absent(const char *s);

/* Canonical spelling of a unit: "°C"/"degC" -> "C", "µJ" -> "uJ",
 * "sec" -> "s"; decimal units stay decimal ("MB" is 10^6 B, "GB/s").
 * Returns a static string or u itself. */
const char *wl_unit_canon(const char *u);

/* As wl_unit_canon, for formats that define MB, GB, KB as binary
 * (nvidia-smi and AIMeter print MiB as "MB" and GiB/s as "GB/s"):
 * "MB" -> "MiB", "GB/s" -> "GiB/s", ... */
const char *wl_unit_canon_binary(const char *u);

/* Factor to watts for a power unit (W 1, mW 1e-3, kW 1e3, uW 1e-6), or 0
 * when u is no power unit. */
double wl_unit_power_scale(const char *u);
/* Factor to joules for an energy unit (J, mJ, uJ, nJ, kJ, Wh 3600,
 * kWh 3.6e6), or 0 when u is no energy unit. */
double wl_unit_energy_scale(const char *u);
/* Factor to seconds for a time unit (s, ms, us, ns, min, h), or 0. */
double wl_unit_time_scale(const char *u);

/*
 * Wall-clock parsing.  A broken-down civil time (year, month 1-12, day,
 * hour, minute, second with fraction) is converted to epoch seconds (UTC):
 *     epoch = civil - utc_offset(zone, civil)
 * where the zone is the one written in the text ("Z", "+02:00", "-0700"),
 * else the zone of c (tzone.h: read once from the tz database, no TZ
 * variable, so readers in several threads each keep their own).
 */
/* An instant as whole seconds since the Unix epoch (UTC) and nanoseconds
 * 0..999999999: exact for the times logs write (fractions of <= 9 digits;
 * more are rounded to the nearest ns). */
struct wl_walltime {
	long long s;
	long ns;
};

/* b - a in seconds: the exact difference in integer ns, converted once
 * (d = ns / 10^9, one correctly rounded division), so that two times
 * 43.9 s apart give exactly the double nearest 43.9.  Exact while the
 * difference, in its coarsest decimal unit (ns, 10 ns, ..., s), is below
 * 2^53 (104 days in ns, 28 years in ms). */
double wl_walltime_diff(const struct wl_walltime *a, const struct wl_walltime *b);

/* Integer nanoseconds to seconds with the same single rounding. */
double wl_time_ns_to_s(long long ns);

/* Parses a plain decimal "[-+]DIGITS[.DIGITS]" (blanks around allowed)
 * that counts units of 10^exp10 s (0 = s, -3 = ms, -6 = us, -9 = ns) into
 * exact integer nanoseconds.  0, or -1 when s is no plain decimal (an
 * exponent, a unit word), has non-zero digits below 1 ns, or overflows:
 * the caller then falls back to floating point. */
int wl_time_decimal_ns(const char *s, int exp10, long long *ns);

/* As wl_time_parse_iso, into an exact struct wl_walltime. */
int wl_time_parse_iso_exact(const char *s, struct wl_tzconv *c, struct wl_walltime *w,
			    int *had_zone);

/* Parses "YYYY-MM-DD[ T]HH:MM:SS[.f...][Z|+HH[:]MM|-HH[:]MM]"; '/' is also
 * accepted as date separator (nvidia-smi: "2026/07/18 15:57:25.621").
 * Leading/trailing blanks allowed.  0 with *epoch, or -1 when s is no such
 * time (or has out-of-range fields).  *had_zone (may be NULL) says whether
 * the text carried its zone. */
int wl_time_parse_iso(const char *s, struct wl_tzconv *c, double *epoch, int *had_zone);

/* Parses tegrastats' "MM-DD-YYYY HH:MM:SS" at the start of s, in local time
 * of c.  0 with *epoch and *len (characters consumed), or -1. */
int wl_time_parse_mdy(const char *s, struct wl_tzconv *c, double *epoch, size_t *len);

/* Epoch seconds of a civil time in the zone of c (sec may carry a fraction).
 * Fields are not range-checked here. */
double wl_time_civil(struct wl_tzconv *c, int year, int mon, int day, int hour, int min,
		     double sec);

#endif
