/*
 * fig_opts.h - private to src/cmd: the figure options every command that
 * draws shares (plot, compare, report, fit), parsed in one place
 * (fig_opts.c).  A command lists WL_FIG_LONGOPTS in its option table, hands
 * the options of WL_FIG_CASES to wl_fig_option and prints wl_fig_usage in
 * its help.
 */
#ifndef WATTLOG_CMD_FIG_OPTS_H
#define WATTLOG_CMD_FIG_OPTS_H

#include <getopt.h>
#include <stdio.h>

#include "wattlog/plot.h"

enum { WL_FOPT_STYLE = 0x1200, WL_FOPT_WIDTH, WL_FOPT_XLABEL, WL_FOPT_YLABEL,
       WL_FOPT_TITLE, WL_FOPT_FONT };

#define WL_FIG_LONGOPTS                                              \
	{ "style", required_argument, NULL, WL_FOPT_STYLE },         \
	{ "width", required_argument, NULL, WL_FOPT_WIDTH },         \
	{ "xlabel", required_argument, NULL, WL_FOPT_XLABEL },       \
	{ "ylabel", required_argument, NULL, WL_FOPT_YLABEL },       \
	{ "title", required_argument, NULL, WL_FOPT_TITLE },         \
	{ "font", required_argument, NULL, WL_FOPT_FONT }

/* The case labels of these options in a command's switch (the last one's
 * colon is the caller's: "WL_FIG_CASES: rc = wl_fig_option(...)"). */
#define WL_FIG_CASES                                                 \
	case WL_FOPT_STYLE:                                          \
	case WL_FOPT_WIDTH:                                          \
	case WL_FOPT_XLABEL:                                         \
	case WL_FOPT_YLABEL:                                         \
	case WL_FOPT_TITLE:                                          \
	case WL_FOPT_FONT

/* Takes option c with its argument into a (wl_fig_look_init first; its
 * strings point into argv): 1 taken; 0 not a figure option; -1 a
 * bad value (one line on stderr, "wattlog CMD: bad --width 'x': ..."). */
int wl_fig_option(struct wl_fig_look *a, int c, const char *arg, const char *cmd);

/* The help lines of these options. */
void wl_fig_usage(FILE *f);

#endif
