/*
 * cmdline.h - the one flag language of wattlog and wattlog-record: every
 * command parses its options through wl_getopt() over its own table, so an
 * unknown option or a missing argument reads the same everywhere, and the
 * tables are printed by `wattlog --options` / `wattlog-record --options`
 * for the test that one letter means one thing in every command (t17).
 */
#ifndef WATTLOG_CMDLINE_H
#define WATTLOG_CMDLINE_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct wl_cmdline {
	const char *prog;		/* "wattlog report", "wattlog-record" */
	const char *synopsis;		/* "[options] FILE..." */
	const char *shortopts;		/* getopt_long's, may start with '+' */
	const struct option *longopts;	/* ends with a zero entry */
};

/*
 * getopt_long(argc, argv, c->shortopts, c->longopts) with opterr off.  On an
 * unknown option, an ambiguous abbreviation or a missing argument it prints
 * three lines on stderr and returns '?':
 *     wattlog report: unrecognized option '--x'
 *     usage: wattlog report [options] FILE...
 *     see 'wattlog report --help'
 * Otherwise it returns what getopt_long returns.  The caller resets optind.
 */
int wl_getopt(const struct wl_cmdline *c, int argc, char **argv);

/* The problem getopt_long just met (it returned '?' or ':') in msg, e.g.
 * "unrecognized option '--x'", "option '--output' needs an argument". */
void wl_getopt_problem(int ch, char **argv, const struct option *longopts, char *msg,
		       size_t n);

/* Prints "usage: PROG SYNOPSIS" and "see 'PROG --help'" on stderr: what
 * follows a one-line error about the command line. */
void wl_usage_short(const struct wl_cmdline *c);

/* Prints "PROG: what", then wl_usage_short(c). */
void wl_usage_error(const struct wl_cmdline *c, const char *what);

/* Writes one line per option of c, after prefix and a space when prefix is
 * not NULL: "-x --long" for an option with a letter, "--long" for one
 * without.  Returns what fprintf last returned (< 0 on error). */
int wl_cmdline_print(const struct wl_cmdline *c, const char *prefix, FILE *f);

#endif
