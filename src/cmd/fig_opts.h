/*
 * fig_opts.h - private to src/cmd: the figure options every command that
 * draws shares (plot, compare), parsed in one place (fig_opts.c).  A command
 * lists WL_FIG_LONGOPTS in its option table, passes an option it does not
 * know to wl_fig_option and prints wl_fig_usage in its help.
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

/* What the options asked: style -1, width 0 and lab's strings NULL when
 * not given (lab's strings point into argv). */
struct wl_fig_args {
	int style;        /* -1, or an enum wl_plot_style */
	double width_in;  /* 0, or 1-40 inches */
	struct wl_plot_labels lab;
};

void wl_fig_args_init(struct wl_fig_args *a);

/* Takes option c with its argument: 1 taken; 0 not a figure option; -1 a
 * bad value (one line on stderr, "wattlog CMD: bad --width 'x': ..."). */
int wl_fig_option(struct wl_fig_args *a, int c, const char *arg, const char *cmd);

/* Puts what was asked into o (style and width only where given). */
void wl_fig_apply(const struct wl_fig_args *a, struct wl_plot_opts *o);

/* The help lines of these options. */
void wl_fig_usage(FILE *f);

#endif
