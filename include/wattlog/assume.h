/*
 * assume.h - the assumptions an analysis makes: every rule applied to an
 * input that the input itself does not state (a unit taken from a column
 * name, an epoch unit guessed from magnitude, the zone of time stamps
 * written without one, a device column, a total column left out, a rail
 * taken as the module input, a gap bridged, a channel preferred for
 * energy).  They are output: the report prints them ("Assumptions", JSON
 * assumptions[]) and `wattlog info` lists them.
 *
 * A list lives in each struct wl_dataset (dataset.h) beside its warnings;
 * readers and later stages add to it with wl_assume().
 */
#ifndef WATTLOG_ASSUME_H
#define WATTLOG_ASSUME_H

#include <stddef.h>

enum wl_assume_kind {
	WL_ASSUME_UNIT,    /* a unit taken from a name, a cell, or a format's rule */
	WL_ASSUME_TIME,    /* how a time column is read (epoch unit, relative) */
	WL_ASSUME_ZONE,    /* the zone of time stamps written without one */
	WL_ASSUME_DEVICE,  /* rows split into devices by a column */
	WL_ASSUME_TOTAL,   /* a column taken as the total of others, left out */
	WL_ASSUME_RAIL,    /* which rail is a module's input */
	WL_ASSUME_GAP,     /* a gap bridged or left out */
	WL_ASSUME_CHANNEL, /* a channel preferred for a component's energy */
	WL_ASSUME_VALUE,   /* values excluded as implausible */
	WL_ASSUME_OTHER,
};

struct wl_assumption {
	enum wl_assume_kind kind;
	char *text; /* one line, no newline */
};

struct wl_assumptions {
	struct wl_assumption *a;
	size_t n, cap;
};

void wl_assumptions_init(struct wl_assumptions *l);
void wl_assumptions_release(struct wl_assumptions *l);

/* Adds one line (printf format, truncated at 511 bytes).  A line already in
 * the list (same kind and text) is not added twice.  0, or -1 out of memory
 * (the list is unchanged). */
int wl_assume(struct wl_assumptions *l, enum wl_assume_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies every line of src into dst (each prefixed with `prefix`, which may
 * be NULL or ""), with the same de-duplication.  0 or -1. */
int wl_assume_copy(struct wl_assumptions *dst, const struct wl_assumptions *src,
		   const char *prefix);

/* "unit", "time", "zone", "device", "total", "rail", "gap", "channel",
 * "value", "other". */
const char *wl_assume_kind_name(enum wl_assume_kind kind);

#endif
