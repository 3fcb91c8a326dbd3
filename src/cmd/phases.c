/*
 * phases.c - `wattlog phases FILE`: the phases of a run, from its markers or
 * found from its telemetry, with energy, average and peak power and a
 * confidence, as text, JSON or CSV.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_opts.h"
#include "phases_out.h"
#include "wattlog/analysis.h"
#include "wattlog/csv_out.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/run.h"
#include "wattlog/stream.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog phases [options] FILE\n"
		"\n"
		"Phases of a run: windows from its begin/end markers when it has them, else\n"
		"segments found from power and activity, labelled idle, prefill, decode or\n"
		"active (busy, kind unknown), each with energy, average and peak power.\n"
		"\n"
		"  -F, --format text|json|csv  output format (default text)\n"
		"  --auto                  segment from the telemetry even if markers exist\n"
		"  --truth                 also list the true phases a simulated trace carries\n"
		"  --power-only            segment on power alone (ignore activity channels)\n"
		"  --stats                 per phase: statistics and correlation of every metric\n"
		"  --min-seg SECONDS       shortest segment (default max(3 periods, 0.2 s))\n"
		"  -h, --help              this help\n");
	wl_input_usage(f);
}

static const char *src_name(enum wl_phase_source s)
{
	return s == WL_PHASE_AUTO ? "auto" : s == WL_PHASE_TRUTH ? "truth" : "markers";
}

void wl_phases_json_attrs(FILE *f, const struct wl_phase_list *pl, const struct wl_phase *p)
{
	size_t k;

	fputc('{', f);
	for (k = 0; k < p->nattr; k++) {
		const struct wl_phase_attr *a = &pl->attr[p->attr0 + k];

		fputs(k ? ", " : "", f);
		wl_json_str(f, a->key);
		fputs(": ", f);
		if (isnan(a->num))
			wl_json_str(f, a->text);
		else
			wl_json_num(f, a->num);
	}
	fputc('}', f);
}

static void json_list(FILE *f, const struct wl_phase_list *pl)
{
	size_t i, k;

	fputc('[', f);
	for (i = 0; i < pl->n; i++) {
		const struct wl_phase *p = &pl->p[i];

		fprintf(f, "%s\n    {\"label\": ", i ? "," : "");
		wl_json_str(f, p->label);
		fprintf(f, ", \"start_s\": %.4f, \"end_s\": %.4f, \"duration_s\": %.4f, "
			   "\"energy_j\": ", p->start_s, p->end_s, p->end_s - p->start_s);
		wl_json_num(f, p->energy_j);
		fputs(", \"avg_power_w\": ", f);
		wl_json_num(f, p->avg_power_w);
		fputs(", \"peak_power_w\": ", f);
		wl_json_num(f, p->peak_power_w);
		fprintf(f, ", \"confidence\": %.3f, \"source\": \"%s\", \"depth\": %d",
			p->confidence, src_name(p->source), p->depth);
		if (p->source != WL_PHASE_AUTO) { /* marker windows: LABEL, ID, key=value */
			fputs(", \"name\": ", f);
			wl_json_str(f, p->name);
			fputs(", \"id\": ", f);
			if (p->id[0])
				wl_json_str(f, p->id);
			else
				fputs("null", f);
			fputs(", \"attrs\": ", f);
			wl_phases_json_attrs(f, pl, p);
		}
		fputs(", \"components\": {", f);
		for (k = 0; k < pl->ncomp && p->source != WL_PHASE_TRUTH; k++) {
			fprintf(f, "%s", k ? ", " : "");
			wl_json_str(f, pl->comp[k]);
			fputs(": ", f);
			wl_json_num(f, p->comp_energy_j[k]);
		}
		fputs("}}", f);
	}
	fputs(pl->n ? "\n  ]" : "]", f);
}

static void print_json(FILE *f, const struct wl_dataset *ds, const char *file,
		       const struct wl_phase_list *pl, const struct wl_phase_list *truth,
		       int stats)
{
	size_t i;

	fputs("{\n  \"file\": ", f);
	wl_json_str(f, file);
	fputs(",\n  \"method\": ", f);
	wl_json_str(f, pl->method);
	fputs(",\n  \"total_energy_j\": ", f);
	wl_json_num(f, pl->total_energy_j);
	fputs(",\n  \"phases\": ", f);
	json_list(f, pl);
	if (truth) {
		fputs(",\n  \"truth\": ", f);
		json_list(f, truth);
	}
	if (stats) {
		fputs(",\n  \"stats\": ", f);
		wl_phases_print_stats(f, ds, pl, 1);
	}
	fputs(",\n  \"notes\": [", f);
	for (i = 0; i < pl->nnotes; i++) {
		fputs(i ? ", " : "", f);
		wl_json_str(f, pl->notes[i]);
	}
	fputs("]\n}\n", f);
}

/* v with printf format fmt (one %f or %g conversion of a double), or
 * `absent` when v is NaN: an unknown energy is "-" in text, empty in CSV,
 * null in JSON, never 0 or "nan". */
static const char *num(char *buf, size_t n, const char *fmt, double v, const char *absent)
{
	if (isnan(v))
		return absent;
	snprintf(buf, n, fmt, v);
	return buf;
}

static void csv_rows(FILE *f, const struct wl_phase_list *pl)
{
	char e[32], a[32], k[32];
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct wl_phase *p = &pl->p[i];

		wl_csv_field(f, p->label);
		fprintf(f, ",%.4f,%.4f,%.4f,%s,%s,%s,%.3f,%s,%d\n",
			p->start_s, p->end_s, p->end_s - p->start_s,
			num(e, sizeof(e), "%.10g", p->energy_j, ""),
			num(a, sizeof(a), "%.10g", p->avg_power_w, ""),
			num(k, sizeof(k), "%.10g", p->peak_power_w, ""), p->confidence,
			src_name(p->source), p->depth);
	}
}

static void text_rows(FILE *f, const struct wl_phase_list *pl)
{
	char e[32], a[32], k[32];
	size_t i;

	fprintf(f, "  %-3s %-16s %9s %9s %9s %11s %9s %9s %5s\n", "#", "label", "start_s",
		"end_s", "dur_s", "energy_j", "avg_w", "peak_w", "conf");
	for (i = 0; i < pl->n; i++) {
		const struct wl_phase *p = &pl->p[i];

		fprintf(f, "  %-3zu %*s%-*s %9.2f %9.2f %9.2f %11s %9s %9s %5.2f\n", i + 1,
			2 * p->depth, "", 16 - 2 * p->depth, p->label, p->start_s, p->end_s,
			p->end_s - p->start_s, num(e, sizeof(e), "%.1f", p->energy_j, "-"),
			num(a, sizeof(a), "%.1f", p->avg_power_w, "-"),
			num(k, sizeof(k), "%.1f", p->peak_power_w, "-"), p->confidence);
	}
}

static void print_text(FILE *f, const char *file, const struct wl_phase_list *pl,
		       const struct wl_phase_list *truth)
{
	double sum = NAN;
	char a[32], b[32];
	size_t i;

	fprintf(f, "phases of '%s' (%s)\n", file, pl->method);
	text_rows(f, pl);
	for (i = 0; i < pl->n; i++)
		if (pl->p[i].depth == 0)
			sum = wl_energy_add_known(sum, pl->p[i].energy_j);
	fprintf(f, "total energy %s J; outermost phases sum to %s J\n",
		num(a, sizeof(a), "%.1f", pl->total_energy_j, "-"),
		num(b, sizeof(b), "%.1f", sum, "-"));
	if (truth) {
		fprintf(f, "true phases (WL_MARKER_TRUTH markers):\n");
		text_rows(f, truth);
	}
	for (i = 0; i < pl->nnotes; i++)
		fprintf(f, "note: %s\n", pl->notes[i]);
	if (truth)
		for (i = 0; i < truth->nnotes; i++)
			fprintf(f, "note: %s\n", truth->notes[i]);
}

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'F' },
	{ "auto", no_argument, NULL, 'a' },
	{ "truth", no_argument, NULL, 't' },
	{ "power-only", no_argument, NULL, 'p' },
	{ "stats", no_argument, NULL, 's' },
	{ "min-seg", required_argument, NULL, 'm' },
	WL_INPUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_phases = {
	"wattlog phases", "[options] FILE", "F:I:h", longopts,
};

int cmd_phases(int argc, char **argv)
{
	const char *fmt = "text";
	struct wl_input_args ia;
	const struct wl_ingest_opts *io = &ia.in;
	struct wl_phase_opts po;
	struct wl_run_opts ro;
	struct wl_run run;
	const struct wl_dataset *ds = &run.ds;
	const struct wl_phase_list *pl = &run.pl;
	struct wl_phase_list truth;
	struct wl_error err;
	int c, want_truth = 0, want_stats = 0, rc = 2;
	char *end;

	wl_input_args_init(&ia);
	wl_phase_opts_init(&po);
	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_phases, argc, argv)) != -1) {
		switch (c) {
		case 'F':
			fmt = optarg;
			break;
		case 'a':
			po.force_auto = 1;
			break;
		case 't':
			want_truth = 1;
			break;
		case 's':
			want_stats = 1;
			break;
		case 'p':
			po.power_only = 1;
			po.force_auto = 1;
			break;
		case 'm':
			po.min_seg_s = strtod(optarg, &end);
			if (end == optarg || *end || !(po.min_seg_s > 0)) {
				fprintf(stderr, "wattlog phases: bad --min-seg '%s': seconds > 0\n",
					optarg);
				rc = 2;
				goto out_args;
			}
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto out_args;
		default:
			c = wl_input_option(&ia, c, optarg, "phases");
			if (c > 0)
				break;
			rc = 2;
			goto out_args;
		}
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "csv")) {
		fprintf(stderr, "wattlog phases: bad --format '%s': text, json or csv\n", fmt);
		goto out_args;
	}
	if (optind != argc - 1) {
		wl_usage_short(&wl_cmdline_phases);
		goto out_args;
	}
	/* the one composition (run.h): a long wattlog trace streams */
	wl_run_opts_init(&ro);
	ro.in = io;
	ro.stats = 0;
	ro.po = po;
	wl_phase_list_init(&truth);
	if (wl_run_read(argv[optind], &ro, &run, &err) < 0 ||
	    (run.phase_note[0] && wl_error_set(&err, "%s", run.phase_note)) ||
	    (want_truth && (wl_phases_truth(ds, &truth, &err) < 0 ||
			    wl_phases_energy(ds, &truth, &err) < 0))) {
		fprintf(stderr, "wattlog phases: %s\n", err.msg);
		goto out;
	}
	if (run.streamed)
		wl_phase_list_note(&run.pl, "streamed: phases found on 0.1 s bins of '%s' (its size "
				   "above %llu MiB), their energies from the bins; the total is "
				   "the report's", argv[optind], WL_STREAM_AUTO_BYTES >> 20);
	if (!strcmp(fmt, "json")) {
		print_json(stdout, ds, argv[optind], pl, want_truth ? &truth : NULL, want_stats);
	} else if (!strcmp(fmt, "csv")) {
		printf("label,start_s,end_s,duration_s,energy_j,avg_power_w,peak_power_w,"
		       "confidence,source,depth\n");
		csv_rows(stdout, pl);
		if (want_truth)
			csv_rows(stdout, &truth);
		for (size_t i = 0; i < pl->nnotes; i++)
			fprintf(stderr, "wattlog phases: note: %s\n", pl->notes[i]);
	} else {
		print_text(stdout, argv[optind], pl, want_truth ? &truth : NULL);
		if (want_stats)
			wl_phases_print_stats(stdout, ds, pl, 0);
	}
	rc = 0;
out:
	wl_phase_list_release(&truth);
	wl_run_release(&run);
out_args:
	wl_input_args_release(&ia);
	return rc;
}
