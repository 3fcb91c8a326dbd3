/*
 * report.c - `wattlog report FILE... [options]`: option parsing only; the
 * work is in report_run.c.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_opts.h"
#include "progress.h"
#include "report_opts.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog report [options] FILE...\n\n"
		"The execution report of a trace or log: duration, energy per component and\n"
		"total, carbon, statistics per metric, top correlated pairs, efficiency.\n\n"
		"output:\n"
		"  -F, --format FMT          text (default), markdown, csv (the resampled table),\n"
		"                            json\n"
		"  -o, --output FILE         write to FILE (default: standard output)\n"
		"      --plots DIR           also write the standard figures to DIR (PNG\n"
		"                            screen, PDF paper unless --style says)\n");
	wl_fig_usage(f);
	wl_input_usage(f);
	fprintf(f,
		"window and analysis:\n"
		"      --from S, --to S      analyse [S, S'] in seconds since the start\n"
		"      --window-realtime A,B analyse [A, B] in Unix epoch seconds (UTC)\n"
		"      --max-gap S           gauge intervals longer than S are gaps: bridged by\n"
		"                            the trapezoid and reported (default: 5 x the\n"
		"                            median interval)\n"
		"      --no-bridge           leave gaps out: the energy is partial, average\n"
		"                            power over the time covered\n"
		"      --max-power W         a gauge reading or counter step above W is\n"
		"                            implausible, excluded (default 10000)\n"
		"      --grid S              correlation grid (default: slowest source's period;\n"
		"                            a single-rate input's r is over its rows)\n"
		"      --top N               top correlated pairs per sign (default 5)\n"
		"      --exclude-identical   leave pairs of identical series out of the top\n"
		"      --no-phases           leave the phases section out (default: phases from\n"
		"                            markers, else found from the telemetry)\n"
		"      --auto                phases from the telemetry even where markers exist\n"
		"      --stream              two passes over a wattlog trace, an AIMeter or an\n"
		"                            nvidia-smi log instead of loading it (default\n"
		"                            above 256 MiB, logs above 32 MiB): memory that\n"
		"                            does not grow with its length; percentiles within\n"
		"                            1/65536 of the range, phases on 0.1 s bins\n"
		"      --no-stream           always load the whole trace or log\n"
		"      --progress            each step on stderr (default: on a terminal only)\n"
		"workload (else from meta.json beside FILE):\n"
		"      --tokens N, --input-tokens N, --output-tokens N, --requests N\n"
		"      --flops F, --peak-flops F  FLOPs done and peak FLOP/s (for MFU)\n"
		"carbon:\n"
		"      --intensity G         gCO2eq per kWh\n"
		"      --region CODE         intensity of a region (see 'wattlog regions')\n"
		"      --intensity-trace FILE  time-varying intensity (CSV by wall clock)\n"
		"      --intensity-unit U    its unit (g/kWh default, lb/MWh, kg/kWh)\n"
		"      --intensity-tz ZONE   zone of its time stamps written without one (default UTC)\n"
		"      --pue P               power usage effectiveness (default 1)\n"
		"      --embodied-g-per-hour G  embodied carbon share per hour of use\n"
		"  -h, --help                this help\n\n"
		"FILE may be a job's folder of per-node traces (srun wattlog-record -o\n"
		"'traces/%%j/%%N.wlog'): merged, with a section on its nodes (see wattlog merge).\n\n"
		"Exit status: 0 written, 1 written but a job's total is partial (a node missing,\n"
		"unreadable or cut off), 2 bad usage or malformed input.\n");
}

enum {
	O_FROM = 256, O_TO, O_WRT, O_MAXGAP, O_NOBRIDGE, O_MAXPOW, O_GRID, O_TOP,
	O_EXCL, O_TOK, O_ITOK, O_OTOK, O_REQ, O_FLOPS, O_PEAK, O_INT, O_REGION, O_ITRACE,
	O_IUNIT, O_PUE, O_EMB, O_PLOTS, O_PHASES, O_NOPHASES, O_AUTO, O_ITZ, O_STREAM, O_NOSTREAM,
};

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'F' },
	{ "output", required_argument, NULL, 'o' },
	WL_INPUT_LONGOPTS,
	{ "from", required_argument, NULL, O_FROM },
	{ "to", required_argument, NULL, O_TO },
	{ "window-realtime", required_argument, NULL, O_WRT },
	{ "max-gap", required_argument, NULL, O_MAXGAP },
	{ "no-bridge", no_argument, NULL, O_NOBRIDGE },
	{ "max-power", required_argument, NULL, O_MAXPOW },
	{ "grid", required_argument, NULL, O_GRID },
	{ "top", required_argument, NULL, O_TOP },
	{ "exclude-identical", no_argument, NULL, O_EXCL },
	{ "tokens", required_argument, NULL, O_TOK },
	{ "input-tokens", required_argument, NULL, O_ITOK },
	{ "output-tokens", required_argument, NULL, O_OTOK },
	{ "requests", required_argument, NULL, O_REQ },
	{ "flops", required_argument, NULL, O_FLOPS },
	{ "peak-flops", required_argument, NULL, O_PEAK },
	{ "intensity", required_argument, NULL, O_INT },
	{ "region", required_argument, NULL, O_REGION },
	{ "intensity-trace", required_argument, NULL, O_ITRACE },
	{ "intensity-unit", required_argument, NULL, O_IUNIT },
	{ "intensity-tz", required_argument, NULL, O_ITZ },
	{ "pue", required_argument, NULL, O_PUE },
	{ "embodied-g-per-hour", required_argument, NULL, O_EMB },
	{ "plots", required_argument, NULL, O_PLOTS },
	WL_FIG_LONGOPTS,
	{ "phases", no_argument, NULL, O_PHASES },
	{ "no-phases", no_argument, NULL, O_NOPHASES },
	{ "auto", no_argument, NULL, O_AUTO },
	{ "stream", no_argument, NULL, O_STREAM },
	WL_PROGRESS_LONGOPT,
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_report = {
	"wattlog report", "[options] FILE...", "I:F:o:h", longopts,
};

/* A finite number >= lo for option name; -1 with a message otherwise. */
static int num(const char *s, const char *name, double lo, double *out)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end || !isfinite(d) || d < lo) {
		fprintf(stderr, "wattlog report: bad --%s '%s': expected a number >= %g\n", name, s,
			lo);
		return -1;
	}
	*out = d;
	return 0;
}

static int window_rt(const char *s, struct wl_report_opts *o)
{
	char *end;

	o->rt_from = strtod(s, &end);
	if (end == s || *end != ',')
		goto bad;
	s = end + 1;
	o->rt_to = strtod(s, &end);
	if (end == s || *end || !(o->rt_to > o->rt_from))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "wattlog report: bad --window-realtime: expected A,B epoch seconds "
			"with A < B\n");
	return -1;
}

static int format_of(const char *s, enum wl_report_format *f)
{
	static const char *const names[] = { "text", "markdown", "csv", "json", "pdf" };
	size_t i;

	for (i = 0; i < 5; i++)
		if (!strcmp(s, names[i]) || (i == 1 && !strcmp(s, "md"))) {
			*f = (enum wl_report_format)i;
			return 0;
		}
	fprintf(stderr, "wattlog report: unknown --format '%s' (text, markdown, csv, json, pdf)\n", s);
	return -1;
}

static int parse(int argc, char **argv, struct wl_report_opts *o)
{
	double d;
	int c, rc = 0;

	while (!rc && (c = wl_getopt(&wl_cmdline_report, argc, argv)) != -1) {
		switch (c) {
		case 'F': rc = format_of(optarg, &o->format); break;
		case 'o': o->output = optarg; break;
		default:
			rc = wl_input_option(&o->input, c, optarg, "report");
			if (rc == 0)
				return -1;
			rc = rc < 0 ? -1 : 0;
			break;
		case O_FROM: rc = num(optarg, "from", -INFINITY, &o->an.t_from); break;
		case O_TO: rc = num(optarg, "to", -INFINITY, &o->an.t_to); break;
		case O_WRT: rc = window_rt(optarg, o); break;
		case O_MAXGAP: rc = num(optarg, "max-gap", 1e-9, &o->an.max_gap_s); break;
		case O_NOBRIDGE: o->an.no_bridge = 1; break;
		case O_MAXPOW: rc = num(optarg, "max-power", 1e-9, &o->an.max_power_w); break;
		case O_GRID: rc = num(optarg, "grid", 1e-9, &o->an.grid_s); break;
		case O_TOP:
			rc = num(optarg, "top", 1, &d);
			if (!rc) /* d is unset when num() refused the text; capped so
				  * the conversion is defined (--top 1e300) */
				o->an.top = d > 1e6 ? 1000000 : (size_t)d;
			break;
		case O_EXCL: o->an.exclude_identical = 1; break;
		case O_TOK: rc = num(optarg, "tokens", 0, &o->work.tokens); break;
		case O_ITOK: rc = num(optarg, "input-tokens", 0, &o->work.input_tokens); break;
		case O_OTOK: rc = num(optarg, "output-tokens", 0, &o->work.output_tokens); break;
		case O_REQ: rc = num(optarg, "requests", 0, &o->work.requests); break;
		case O_FLOPS: rc = num(optarg, "flops", 0, &o->work.flops); break;
		case O_PEAK: rc = num(optarg, "peak-flops", 1e-9, &o->work.peak_flops); break;
		case O_INT: rc = num(optarg, "intensity", 0, &o->intensity); break;
		case O_REGION: o->region = optarg; break;
		case O_ITRACE: o->intensity_trace = optarg; break;
		case O_IUNIT: o->intensity_unit = optarg; break;
		case O_ITZ: o->intensity_tz = optarg; break;
		case O_PUE: rc = num(optarg, "pue", 1, &o->pue); break;
		case O_EMB: rc = num(optarg, "embodied-g-per-hour", 0, &o->embodied_g_per_hour); break;
		case O_PLOTS: o->plots_dir = optarg; break;
		WL_FIG_CASES: rc = wl_fig_option(&o->look, c, optarg, "report") < 0 ? -1 : 0; break;
		case O_PHASES: o->phases = 1; break;
		case O_NOPHASES: o->phases = 0; break;
		case O_AUTO: o->phases = o->phases_auto = 1; break;
		case O_STREAM: o->stream = 1; break;
		case WL_PROGRESS_OPT: o->progress = 1; break;
		case O_NOSTREAM: o->stream = 0; break;
		case 'h': usage(stdout); return 1;
		}
	}
	if (rc)
		return -1;
	if (optind >= argc) {
		fprintf(stderr, "wattlog report: no input file\n");
		wl_usage_short(&wl_cmdline_report);
		return -1;
	}
	if (!isnan(o->rt_from) && (!isnan(o->an.t_from) || !isnan(o->an.t_to))) {
		fprintf(stderr, "wattlog report: --window-realtime and --from/--to exclude each "
				"other\n");
		return -1;
	}
	if (!isnan(o->an.t_from) && !isnan(o->an.t_to) && !(o->an.t_to > o->an.t_from)) {
		fprintf(stderr, "wattlog report: --to must be after --from\n");
		return -1;
	}
	if (o->format == WL_REP_PDF && (!o->output || argc - optind != 1)) {
		fprintf(stderr, "wattlog report: --format pdf needs one input FILE and -o OUT.pdf\n");
		return -1;
	}
	o->files = argv + optind;
	o->nfiles = (size_t)(argc - optind);
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct wl_report_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	wl_analysis_opts_init(&o.an);
	wl_workload_init(&o.work);
	o.rt_from = o.rt_to = NAN;
	o.intensity = o.pue = o.embodied_g_per_hour = NAN;
	o.phases = 1;
	o.stream = -1;
	wl_fig_look_init(&o.look);
	optind = 1;
	rc = parse(argc, argv, &o);
	if (rc == 0)
		rc = wl_report_run(&o);
	else
		rc = rc > 0 ? 0 : 2;
	wl_input_args_release(&o.input);
	return rc;
}
