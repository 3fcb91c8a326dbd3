/* fig_opts.c - the figure options of plot and compare (see fig_opts.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fig_opts.h"

void wl_fig_args_init(struct wl_fig_args *a)
{
	a->style = -1;
	a->width_in = 0;
}

/* single (3.5 in), double (7.16 in) or inches in [1, 40]. */
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

int wl_fig_option(struct wl_fig_args *a, int c, const char *arg, const char *cmd)
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
	}
	return 0;
}

void wl_fig_usage(FILE *f)
{
	fprintf(f,
		"      --style screen|paper  paper: 8-9 pt text, column widths\n"
		"      --width single|double|INCHES  3.5 in, 7.16 in, or any width\n");
}
