/*
 * export.c - `wattlog export csv FILE [-o OUT]`: a trace or log as CSV.
 *
 * One row per SAMPLE record of a trace (streamed: two passes over the file,
 * the first for the channel table and the time origin, in constant memory),
 * first column `time [s]` since the origin (see ingest_trace.c), one column
 * per channel in the order of declaration, headed `name [unit]` (`name`
 * when the unit is empty), with the device in front (`gpu0 power.draw [W]`)
 * when the file has several devices and the source in front (`rapl/...`) of
 * headers that would still collide.
 * Cells are raw * scale printed with %.17g ("nan", "inf", "-inf"); a channel
 * without a value in a row is an empty cell.  Other inputs go through
 * wl_ingest; their rows are the distinct time stamps, merged in time order.
 * scripts/wlog_dump.py writes the same CSV from the format alone.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export_csv.h"
#include "input_opts.h"
#include "progress.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/ingest.h"
#include "wattlog/trace.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: wattlog export csv [options] FILE\n\n"
		   "Writes the samples of a wattlog trace (or a log wattlog can ingest) as CSV:\n"
		   "one row per sample, `time [s]` since the start, one column per channel.\n\n"
		   "options:\n"
		   "  -o, --output OUT        write to OUT (default: standard output)\n"
		   "      --progress          how much of the input is read, on stderr (default:\n"
		   "                          when stderr is a terminal and stdout is not)\n"
		   "  -h, --help              this help\n");
	wl_input_usage(f);
	fprintf(f, "\nExit status: 0 written, 1 written but the trace has damaged blocks (listed on\n"
		   "standard error), 2 bad usage or unreadable input.\n");
}


static const struct option opts[] = {
	{ "output", required_argument, NULL, 'o' },
	WL_PROGRESS_LONGOPT,
	WL_INPUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_export = {
	"wattlog export", "csv [options] FILE", "I:o:h", opts,
};

static int export_main(int argc, char **argv, struct wl_input_args *ia)
{
	const struct wl_ingest_opts *io = &ia->in;
	const char *out = NULL, *fmt;
	struct wl_error err;
	struct wl_progress prog;
	char what[4200];
	FILE *f;
	int c, rc, progress = 0;

	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_export, argc, argv)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case WL_PROGRESS_OPT:
			progress = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			c = wl_input_option(ia, c, optarg, "export");
			if (c > 0)
				break;
			return 2;
		}
	}
	if (optind < argc && strcmp(argv[optind], "csv")) {
		fprintf(stderr, "wattlog export: unknown export format '%s' (known: csv)\n",
			argv[optind]);
		return 2;
	}
	if (optind != argc - 2) {
		wl_usage_short(&wl_cmdline_export);
		return 2;
	}
	optind++;
	fmt = io->format ? io->format : wl_ingest_detect(argv[optind], &err);
	if (!fmt) {
		fprintf(stderr, "wattlog export: %s\n", err.msg);
		return 2;
	}
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "wattlog export: cannot create '%s': %m\n", out);
		return 2;
	}
	wl_progress_init(&prog, "export", progress);
	if (!progress && !out && isatty(STDOUT_FILENO))
		prog.on = 0; /* the rows go to the terminal the line would cut */
	wl_progress_reads(&prog);
	snprintf(what, sizeof(what), "%s: exporting", argv[optind]);
	wl_progress_step(&prog, 1, 1, what);
	if (!strcmp(fmt, "wattlog"))
		rc = wl_export_trace(argv[optind], f, &err);
	else
		rc = wl_export_dataset(argv[optind], io, f, &err);
	wl_progress_end(&prog);
	if (rc == 2)
		fprintf(stderr, "wattlog export: %s\n", err.msg);
	if (out && (fclose(f) || rc == 2)) {
		if (rc != 2)
			fprintf(stderr, "wattlog export: cannot write '%s': %m\n", out);
		remove(out);
		return 2;
	}
	return rc;
}

int cmd_export(int argc, char **argv)
{
	return wl_input_run(argc, argv, export_main);
}
