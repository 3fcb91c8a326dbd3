/*
 * input_opts.h - private to src/cmd: the input options that every command
 * reading logs shares (report, phases, plot, info, export, compare,
 * requests), parsed
 * in one place (input_opts.c) into the struct wl_ingest_opts the readers
 * take.  A command lists WL_INPUT_LONGOPTS in its getopt_long table, passes
 * every option it does not know to wl_input_option, has "I:" (-I,
 * --input-format) in its short options, prints
 * wl_input_usage in its help, and releases the struct at exit.
 */
#ifndef WATTLOG_CMD_INPUT_OPTS_H
#define WATTLOG_CMD_INPUT_OPTS_H

#include <getopt.h>
#include <stdio.h>

#include "wattlog/ingest.h"

enum {
	WL_IOPT_FORMAT = 'I', WL_IOPT_TZ = 0x1100, WL_IOPT_COUNTER, WL_IOPT_UNIT, WL_IOPT_TIME_UNIT,
	WL_IOPT_DEVICE_COLUMN, WL_IOPT_EXCLUDE, WL_IOPT_INTERVAL, WL_IOPT_MARKERS,
};

#define WL_INPUT_LONGOPTS                                                        \
	{ "input-format", required_argument, NULL, WL_IOPT_FORMAT },             \
	{ "tz", required_argument, NULL, WL_IOPT_TZ },                           \
	{ "counter", required_argument, NULL, WL_IOPT_COUNTER },                 \
	{ "unit", required_argument, NULL, WL_IOPT_UNIT },                       \
	{ "time-unit", required_argument, NULL, WL_IOPT_TIME_UNIT },             \
	{ "device-column", required_argument, NULL, WL_IOPT_DEVICE_COLUMN },     \
	{ "exclude", required_argument, NULL, WL_IOPT_EXCLUDE },                 \
	{ "interval", required_argument, NULL, WL_IOPT_INTERVAL },               \
	{ "markers", required_argument, NULL, WL_IOPT_MARKERS }

struct wl_input_args {
	struct wl_ingest_opts in; /* what the readers get: points into the arrays */
	struct wl_counter_decl *counters;
	size_t ncounters;
	struct wl_unit_decl *units;
	size_t nunits;
	const char **exclude;
	size_t nexclude;
};

void wl_input_args_init(struct wl_input_args *a);
void wl_input_args_release(struct wl_input_args *a);

/* Takes option c (a WL_IOPT_* code) with its argument.  1 taken; 0 not an
 * input option; -1 a bad value (one line on stderr, "wattlog CMD: bad
 * --unit 'x': ..."). */
int wl_input_option(struct wl_input_args *a, int c, const char *arg, const char *cmd);

/* Runs a command's main with a fresh struct wl_input_args and releases it
 * afterwards, whatever main returns: its exit status. */
int wl_input_run(int argc, char **argv,
		 int (*main_fn)(int argc, char **argv, struct wl_input_args *a));

/* The help lines of these options, for each command's usage. */
void wl_input_usage(FILE *f);
/* The --input-format line(s) of a --help: option, padded to col, then the
 * input formats' names (the registry, formats.c). */
void wl_input_format_usage(FILE *f, const char *option, size_t col);

#endif
