/* fig_opts.c - the figure options of plot and compare (see fig_opts.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fig_opts.h"

/* single (3.33 in), double (7.16 in) or inches in [1, 40]. */
static int parse_width(const char *s, double *in)
{
	char *end;

	if (!strcmp(s, "single"))
		*in = WL_PAPER_SINGLE_IN;
	else if (!strcmp(s, "double"))
		*in = WL_PAPER_DOUBLE_IN;
	else if ((*in = strtod(s, &end)), end == s || *end || !isfinite(*in) || *in < 1 ||
		 *in > 40)
		return -1;
	return 0;
}

int wl_fig_option(struct wl_fig_look *a, int c, const char *arg, const char *cmd)
{
	switch (c) {
	case WL_FOPT_STYLE:
		if (strcmp(arg, "screen") && strcmp(arg, "paper")) {
			fprintf(stderr, "wattlog %s: bad --style '%s': screen or paper\n", cmd, arg);
			return -1;
		}
		a->style = strcmp(arg, "paper") ? WL_STYLE_SCREEN : WL_STYLE_PAPER;
		return 1;
	case WL_FOPT_WIDTH:
		if (parse_width(arg, &a->width_in) < 0) {
			fprintf(stderr, "wattlog %s: bad --width '%s': single, double or inches "
				"(1-40)\n", cmd, arg);
			return -1;
		}
		return 1;
	case WL_FOPT_XLABEL: a->lab.xlabel = arg; return 1;
	case WL_FOPT_YLABEL: a->lab.ylabel = arg; return 1;
	case WL_FOPT_TITLE: a->lab.title = arg; return 1;
	case WL_FOPT_FONT:
		if (strcmp(arg, "sans") && strcmp(arg, "serif")) {
			fprintf(stderr, "wattlog %s: bad --font '%s': sans or serif\n", cmd, arg);
			return -1;
		}
		a->lab.font = strcmp(arg, "serif") ? WL_FONT_SANS : WL_FONT_SERIF;
		return 1;
	}
	return 0;
}

void wl_fig_usage(FILE *f)
{
	fprintf(f,
		"      --style screen|paper  paper: 8-9 pt text, column widths\n"
		"      --width single|double|INCHES  3.33 in, 7.16 in, or any width\n"
		"                            (double: IEEE's two columns; ACM's are 7 in)\n"
		"      --xlabel TEXT, --ylabel TEXT  axis labels (a time axis keeps its unit)\n"
		"      --title TEXT          a title above the figure\n"
		"      --font sans|serif     DejaVu Sans (default) or DejaVu Serif\n");
}
