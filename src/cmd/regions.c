/* regions.c - `wattlog regions`: the embedded carbon-intensity table. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>

#include "wattlog/carbon.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: wattlog regions\n\n"
		   "Prints the embedded carbon-intensity table: code, name, average and\n"
		   "marginal g CO2eq/kWh (\"-\" where the table holds none), source and year.\n"
		   "Use a code with 'wattlog report --region CODE'.\n\n"
		   "  -h, --help  this help\n");
}

static void factor(double v)
{
	if (isnan(v))
		printf("  %8s", "-");
	else
		printf("  %8.0f", v);
}

static const struct option opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_regions = {
	"wattlog regions", "", "h", opts,
};

int cmd_regions(int argc, char **argv)
{
	const struct wl_region *r;
	size_t n, i;
	int c;

	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_regions, argc, argv)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "wattlog regions: unexpected argument '%s'\n", argv[optind]);
		wl_usage_short(&wl_cmdline_regions);
		return 2;
	}
	r = wl_regions(&n);
	printf("%-6s %-12s%10s %10s  %-48s %s\n", "code", "name", "avg g/kWh", "marginal",
	       "source", "year");
	for (i = 0; i < n; i++) {
		printf("%-6s %-12s", r[i].code, r[i].name);
		factor(r[i].avg_g_per_kwh);
		printf(" ");
		factor(r[i].marg_g_per_kwh);
		printf("  %-48s %d\n", r[i].avg_source, r[i].avg_year);
	}
	printf("\nmarginal factors: none embedded; they vary by hour and grid area "
	       "(use --intensity-trace)\n");
	return 0;
}
