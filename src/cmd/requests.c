/*
 * requests.c - `wattlog requests FILE...`: the energy of each request of a
 * run (begin/end request ID markers, from the input or from --markers LOG),
 * split equally among the requests open at each instant, with phases,
 * tokens and the distribution across requests.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_opts.h"
#include "requests_out.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/requests.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog requests [options] FILE...\n"
		"\n"
		"Energy per request from markers 'begin|end request ID [key=value ...]' and\n"
		"their phases 'begin|end LABEL ID': the energy of each instant is split\n"
		"equally among the requests open at that instant; within a request it goes\n"
		"to its open phase.  Requests + unattributed = total.\n"
		"\n"
		"  -F, --format text|json|csv  output format (default text)\n"
		"  -h, --help              this help\n");
	wl_input_usage(f);
}

static int same_labels(const struct wl_request_list *a, const struct wl_request_list *b)
{
	size_t j;

	if (a->nlabels != b->nlabels)
		return 0;
	for (j = 0; j < a->nlabels; j++)
		if (strcmp(a->label[j], b->label[j]))
			return 0;
	return 1;
}

/* One input: ingest, pair, attribute, print.  0, or 2 with a message. */
static int one(const char *path, const struct wl_ingest_opts *io, const char *fmt,
	       struct wl_request_list *prev, int first)
{
	struct wl_dataset ds;
	struct wl_phase_list pl;
	struct wl_request_list rl;
	struct wl_error err;
	struct wl_requests_run run;
	int rc = 2;

	wl_dataset_init(&ds);
	wl_phase_list_init(&pl);
	wl_request_list_init(&rl);
	if (wl_ingest(path, io, &ds, &err) < 0 || wl_phases_markers(&ds, &pl, &err) < 0 ||
	    wl_requests_compute(&ds, &pl, &rl, &err) < 0) {
		fprintf(stderr, "wattlog requests: %s\n", err.msg);
		goto out;
	}
	memset(&run, 0, sizeof(run));
	run.file = path;
	run.markers = io->markers;
	run.ds = &ds;
	run.win = &pl;
	run.rl = &rl;
	if (!strcmp(fmt, "json")) {
		if (!first)
			fputs(",\n", stdout);
		wl_requests_print_json(stdout, &run);
	} else if (!strcmp(fmt, "csv")) {
		wl_requests_print_csv(stdout, &run, first || !same_labels(prev, &rl));
		for (size_t i = 0; i < pl.nnotes; i++)
			fprintf(stderr, "wattlog requests: '%s': note: %s\n", path, pl.notes[i]);
	} else {
		if (!first)
			fputc('\n', stdout);
		wl_requests_print_text(stdout, &run);
	}
	if (!rl.n)
		fprintf(stderr, "wattlog requests: '%s' has no 'begin request ID' ... "
			"'end request ID' window\n", path);
	wl_request_list_release(prev);
	*prev = rl;
	wl_request_list_init(&rl);
	rc = 0;
out:
	wl_request_list_release(&rl);
	wl_phase_list_release(&pl);
	wl_dataset_release(&ds);
	return rc;
}

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'F' },
	WL_INPUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_requests = {
	"wattlog requests", "[options] FILE...", "F:I:h", longopts,
};

static int requests_main(int argc, char **argv, struct wl_input_args *ia)
{
	const char *fmt = "text";
	const struct wl_ingest_opts *io = &ia->in;
	struct wl_request_list prev;
	int c, i, rc = 0, many;

	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_requests, argc, argv)) != -1) {
		switch (c) {
		case 'F':
			fmt = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			c = wl_input_option(ia, c, optarg, "requests");
			if (c > 0)
				break;
			return 2;
		}
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "csv")) {
		fprintf(stderr, "wattlog requests: bad --format '%s': text, json or csv\n", fmt);
		return 2;
	}
	if (optind >= argc) {
		wl_usage_short(&wl_cmdline_requests);
		return 2;
	}
	many = argc - optind > 1;
	wl_request_list_init(&prev);
	if (many && !strcmp(fmt, "json"))
		fputs("[\n", stdout);
	for (i = optind; i < argc && !rc; i++)
		rc = one(argv[i], io, fmt, &prev, i == optind);
	if (many && !strcmp(fmt, "json") && !rc)
		fputs("]\n", stdout);
	wl_request_list_release(&prev);
	return rc;
}

int cmd_requests(int argc, char **argv)
{
	return wl_input_run(argc, argv, requests_main);
}
