/*
 * info.c - `wattlog info FILE...`: what a file holds.  For a wattlog trace
 * (info_trace.c): metadata, version, channel table, duration, samples and
 * rate per source, markers, log records and damaged blocks.  For a log
 * wattlog can ingest: format, channels and samples as wl_ingest reads them.
 *
 * Exit status: 0 all clean; 1 a trace has damage (listed); 2 bad usage or a
 * file that cannot be read (one line on stderr; the other files are shown).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "info.h"
#include "input_opts.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/ingest.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: wattlog info [options] FILE...\n\n"
		   "Shows what a wattlog trace holds: metadata, version, channels, duration,\n"
		   "samples and mean rate per source, markers, log records and damaged blocks.\n"
		   "For other logs (aimeter, nvidia-smi, tegrastats, csv): format, channels\n"
		   "and samples.\n\n"
		   "options:\n"
		   "  -h, --help              this help\n");
	wl_input_usage(f);
	fprintf(f, "\nExit status: 0 clean, 1 a trace has damaged blocks, 2 bad usage or a file\n"
		   "that cannot be read.\n");
}

static int dataset_info(const char *path, const struct wl_ingest_opts *o)
{
	struct wl_dataset ds;
	struct wl_error err;
	size_t i, total = 0;
	double t0, t1;

	wl_dataset_init(&ds);
	if (wl_ingest(path, o, &ds, &err)) {
		fprintf(stderr, "wattlog info: %s\n", err.msg);
		wl_dataset_release(&ds);
		return 2;
	}
	printf("file: %s\nformat: %s\n", path, ds.format ? ds.format : "?");
	if (!isnan(ds.t0_realtime))
		printf("start: %.3f s since the epoch (UTC)\n", ds.t0_realtime);
	if (ds.nmeta) {
		printf("metadata:\n");
		for (i = 0; i < ds.nmeta; i++)
			printf("  %s: %s\n", ds.meta[i].key, ds.meta[i].value);
	}
	printf("channels: %zu\n", ds.nch);
	printf("  %-24s %-8s %-12s %-12s %-10s %-8s %s\n", "name", "unit", "device", "source",
	       "component", "kind", "samples");
	for (i = 0; i < ds.nch; i++) {
		const struct wl_channel *c = &ds.ch[i];

		total += c->n;
		printf("  %-24s %-8s %-12s %-12s %-10s %-8s %zu\n", c->name, c->unit,
		       *c->device ? c->device : "-", *c->source ? c->source : "-",
		       *c->component ? c->component : "-",
		       c->kind == WL_DS_COUNTER ? "counter" : "gauge", c->n);
	}
	printf("samples: %zu\n", total);
	if (wl_dataset_span(&ds, &t0, &t1))
		printf("duration: %.6f s\n", t1 - t0);
	printf("markers: %zu\n", ds.nmk);
	for (i = 0; i < ds.nmk && i < 20; i++)
		printf("  %12.6f s  %s\n", ds.mk[i].t, ds.mk[i].text);
	for (i = 0; i < ds.assume.n; i++)
		printf("assumed: %s\n", ds.assume.a[i].text);
	for (i = 0; i < ds.nwarn; i++)
		printf("warning: %s\n", ds.warn[i]);
	wl_dataset_release(&ds);
	return 0;
}

static const struct option opts[] = {
	WL_INPUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_info = {
	"wattlog info", "[options] FILE...", "I:h", opts,
};

static int info_main(int argc, char **argv, struct wl_input_args *ia)
{
	const struct wl_ingest_opts *io = &ia->in;
	struct wl_error err;
	const char *fmt;
	int c, i, rc, status = 0;

	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_info, argc, argv)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		default:
			c = wl_input_option(ia, c, optarg, "info");
			if (c > 0)
				break;
			return 2;
		}
	}
	if (optind >= argc) {
		wl_usage_short(&wl_cmdline_info);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		if (i > optind)
			printf("\n");
		fmt = io->format ? io->format : wl_ingest_detect(argv[i], &err);
		if (!fmt) {
			fprintf(stderr, "wattlog info: %s\n", err.msg);
			rc = 2;
		} else if (!strcmp(fmt, "wattlog")) {
			rc = wl_info_trace(argv[i]);
		} else {
			rc = dataset_info(argv[i], io);
		}
		if (rc > status)
			status = rc;
	}
	return status;
}

int cmd_info(int argc, char **argv)
{
	return wl_input_run(argc, argv, info_main);
}
