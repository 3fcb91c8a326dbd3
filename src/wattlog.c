/*
 * wattlog.c - the analyzer's entry point: a table of subcommands (git's
 * commands[] style), one cmd_<name>() per file in src/cmd/.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/commands.h"
#include "wattlog/ingest.h"
#include "wattlog/version.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct wl_cmdline *opts;
	const char *help;
};

static const struct cmd commands[] = {
	{ "info", cmd_info, &wl_cmdline_info, "metadata, channels, rates, markers and damage of a trace" },
	{ "export", cmd_export, &wl_cmdline_export, "export a trace or log as CSV" },
	{ "report", cmd_report, &wl_cmdline_report, "execution report: energy, statistics, correlation, carbon" },
	{ "phases", cmd_phases, &wl_cmdline_phases, "prefill/decode/idle phases from markers or telemetry" },
	{ "requests", cmd_requests, &wl_cmdline_requests, "energy per request, split among concurrent requests" },
	{ "plot", cmd_plot, &wl_cmdline_plot, "figures: power, panels, heatmap, energy, carbon, scatter" },
	{ "compare", cmd_compare, &wl_cmdline_compare, "compare experiment folders" },
	{ "fit", cmd_fit, &wl_cmdline_fit, "fit a power model to runs; predict runs with it" },
	{ "simulate", cmd_simulate, &wl_cmdline_simulate, "write a synthetic trace from a phase schedule" },
	{ "merge", cmd_merge, &wl_cmdline_merge, "merge per-node traces of a job into one" },
	{ "regions", cmd_regions, &wl_cmdline_regions, "the embedded carbon-intensity table" },
	{ "watch", cmd_watch, &wl_cmdline_watch, "follow a trace while it is recorded: power, energy, open markers" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: wattlog <command> [options] [FILE...]\n       wattlog help <command>\n       wattlog -V|--version\n\ncommands:\n");
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

static const struct cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* `wattlog --options`: every command's option table, one option a line
 * ("report -F --format"), for the test that a letter means one thing. */
static int options(void)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (wl_cmdline_print(commands[i].opts, commands[i].name, stdout) < 0)
			break;
	return 0;
}

/* `wattlog --input-formats`: the registry of input formats (formats.c),
 * "NAME<TAB>what it is" a line, in the order they are detected; the
 * README's table of formats holds the same rows (t18). */
static int input_formats(void)
{
	const struct wl_format *const *f;
	size_t i, n = wl_formats(&f);

	for (i = 0; i < n; i++)
		printf("%s\t%s\n", f[i]->name, f[i]->help);
	return 0;
}

int main(int argc, char **argv)
{
	static char dash_help[] = "--help";
	const struct cmd *c;
	char *help[3];

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return finish(0);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("wattlog %s\n", WL_VERSION);
		return finish(0);
	}
	if (!strcmp(argv[1], "--options"))
		return finish(options());
	if (!strcmp(argv[1], "--input-formats"))
		return finish(input_formats());
	if (!strcmp(argv[1], "help")) { /* help CMD = CMD --help */
		if (!(c = find(argv[2]))) {
			fprintf(stderr, "wattlog: '%s' is not a command; see 'wattlog --help'\n",
				argv[2]);
			return 2;
		}
		help[0] = argv[2];
		help[1] = dash_help;
		help[2] = NULL;
		return finish(c->fn(2, help));
	}
	if ((c = find(argv[1])))
		return finish(c->fn(argc - 1, argv + 1));
	fprintf(stderr, "wattlog: '%s' is not a command; see 'wattlog --help'\n", argv[1]);
	return 2;
}
