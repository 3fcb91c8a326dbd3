/*
 * wattlog.c - the analyzer's entry point: a table of subcommands (git's
 * commands[] style), one cmd_<name>() per file in src/cmd/.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/commands.h"
#include "wattlog/version.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cmd commands[] = {
	{ "info", cmd_info, "metadata, channels, rates, markers and damage of a trace" },
	{ "export", cmd_export, "export a trace or log as CSV" },
	{ "report", cmd_report, "execution report: energy, statistics, correlation, carbon" },
	{ "phases", cmd_phases, "prefill/decode/idle phases from markers or telemetry" },
	{ "requests", cmd_requests, "energy per request, split among concurrent requests" },
	{ "plot", cmd_plot, "figures: power, panels, heatmap, energy, carbon, scatter" },
	{ "compare", cmd_compare, "compare experiment folders" },
	{ "fit", cmd_fit, "fit a power model to runs; predict runs with it" },
	{ "simulate", cmd_simulate, "write a synthetic trace from a phase schedule" },
	{ "merge", cmd_merge, "merge per-node traces of a job into one" },
	{ "regions", cmd_regions, "the embedded carbon-intensity table" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: wattlog <command> [options] [FILE...]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'wattlog <command> --help' shows the options of a command.\n");
}

/* Flush and check stdout, so a report lost to a full disk is not a success. */
static int finish(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "wattlog: cannot write standard output: %s\n", strerror(errno));
		return status ? status : 2;
	}
	return status;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish(0);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("wattlog %s\n", WL_VERSION);
		return finish(0);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].fn(argc - 1, argv + 1));
	fprintf(stderr, "wattlog: '%s' is not a command; see 'wattlog --help'\n", argv[1]);
	return 2;
}
