/*
 * duration.h - the duration syntax every time option shares (the recorder's
 * -i, -d, ...; `wattlog watch --interval`).  Libc only.
 */
#ifndef WATTLOG_DURATION_H
#define WATTLOG_DURATION_H

#include <stdint.h>

#include "wattlog/error.h"

/*
 * Parses a duration: a decimal number with an optional fraction and a unit,
 * one of ns, us, ms, s, m, h ("10ms", "2.5s", "1m", "250us").  A bare "0" is
 * accepted; any other number without a unit is an error (is "10" seconds or
 * milliseconds?).  Fractions below 1 ns are an error, not rounded away.
 * what names the option in the message: "bad interval '10x': unknown unit 'x'".
 * The message quotes s as given.  Returns 0 and *ns, or -1 with err set.
 */
int wl_parse_duration(const char *s, const char *what, uint64_t *ns, struct wl_error *err);

#endif
