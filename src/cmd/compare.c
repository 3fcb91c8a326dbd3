/*
 * compare.c - `wattlog compare DIR... [options]`: folders of runs side by
 * side.  Options here; the work in src/analyze/pipeline/compare*.c, the output in
 * src/render/compare_*.c and fig_compare.c.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wattlog/carbon.h"
#include "fig_opts.h"
#include "progress.h"
#include "input_opts.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/compare.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog compare [options] DIR...\n\n"
		"Compares experiment folders.  Each folder holds one or more runs (wattlog\n"
		"traces or any log 'wattlog report' reads), repeats of one experiment, and an\n"
		"optional meta.json (tokens, output_tokens, requests, ...).  One row per folder\n"
		"(or per value of --by): mean ± 95%% CI over the runs, ratio to a baseline.\n\n"
		"table:\n"
		"      --baseline DIR        ratios against this folder (or --by value)\n"
		"      --by KEY              one row per value of KEY (runs pooled)\n"
		"      --sort KEY            order rows by a column or key; -KEY descending\n"
		"  -F, --format FMT          text (default), markdown, csv, json\n"
		"  -o, --output FILE         write the table to FILE\n"
		"      --ratio COLS          ratio columns shown in text (default energy_j,\n"
		"                            j_per_token)\n"
		"      --name-pattern PAT    keys from folder names, e.g. 'bs{batch_size}'\n"
		"      --no-phases           no per-phase energy\n"
		"figures:\n"
		"      --plots DIR           write compare-*.png and .pdf into DIR\n"
		"      --bars COLS           bar charts of these columns\n"
		"      --x KEY, --y COL      the sweep figure (default batch_size, j_per_token)\n"
		"      --series KEY          one sweep line per value of KEY\n"
		"      --log AXES            x, y or xy: log10 axes on the sweep\n"
		"      --align-marker TEXT   overlay power aligned at the first marker holding\n"
		"                            TEXT (default: at each run's start)\n"
		"input and analysis:\n"
		"  -j, --jobs N              folders in parallel (default: all cores)\n"
		"      --progress            a line on stderr per folder done (default: on\n"
		"                            a terminal only)\n"
		"      --max-gap S, --no-bridge, --max-power W   as 'wattlog report'\n"
		"carbon:\n"
		"      --intensity G         gCO2eq per kWh\n"
		"      --region CODE         a region's intensity (see 'wattlog regions')\n"
		"      --pue P               power usage effectiveness (default 1)\n"
		"  -h, --help                this help\n"
		"figure text and size (both files; default: PNG screen, PDF paper):\n");
	wl_fig_usage(f);
	wl_input_usage(f);
	fprintf(f, "\nExit status: 0 all folders compared, 1 some folders failed (reported and\n"
		"skipped), 2 bad usage or no folder left.\n");
}

enum {
	O_BASE = 256, O_BY, O_SORT, O_RATIO, O_NAMEPAT, O_NOPH, O_PLOTS, O_BARS, O_X, O_Y,
	O_SERIES, O_LOG, O_ALIGN, O_MAXGAP, O_NOBRIDGE, O_MAXPOW, O_INT, O_REGION, O_PUE,
};

static const struct option longopts[] = {
	{ "baseline", required_argument, NULL, O_BASE },
	{ "by", required_argument, NULL, O_BY },
	{ "sort", required_argument, NULL, O_SORT },
	{ "format", required_argument, NULL, 'F' },
	{ "output", required_argument, NULL, 'o' },
	{ "ratio", required_argument, NULL, O_RATIO },
	{ "name-pattern", required_argument, NULL, O_NAMEPAT },
	{ "no-phases", no_argument, NULL, O_NOPH },
	{ "plots", required_argument, NULL, O_PLOTS },
	WL_FIG_LONGOPTS,
	{ "bars", required_argument, NULL, O_BARS },
	{ "x", required_argument, NULL, O_X },
	{ "y", required_argument, NULL, O_Y },
	{ "series", required_argument, NULL, O_SERIES },
	{ "log", required_argument, NULL, O_LOG },
	{ "align-marker", required_argument, NULL, O_ALIGN },
	{ "jobs", required_argument, NULL, 'j' },
	WL_PROGRESS_LONGOPT,
	WL_INPUT_LONGOPTS,
	{ "max-gap", required_argument, NULL, O_MAXGAP },
	{ "no-bridge", no_argument, NULL, O_NOBRIDGE },
	{ "max-power", required_argument, NULL, O_MAXPOW },
	{ "intensity", required_argument, NULL, O_INT },
	{ "region", required_argument, NULL, O_REGION },
	{ "pue", required_argument, NULL, O_PUE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_compare = {
	"wattlog compare", "[options] DIR...", "I:F:o:j:h", longopts,
};

struct cli {
	struct wl_input_args input; /* copied into o.in */
	struct wl_cmp_opts o;
	struct wl_cmp_plot_opts po;
	const char *baseline, *by, *sort, *output, *ratio, *plots, *region;
	int format; /* 0 text, 1 markdown, 2 csv, 3 json */
	int progress; /* --progress */
	double intensity;
	char **dirs;
	size_t ndirs;
};

/* The progress line of a folder done (wl_cmp_opts.progress). */
static void folder_done(void *ctx, size_t done, size_t n, const struct wl_cmp_folder *f)
{
	char what[512];

	if (f->err[0])
		snprintf(what, sizeof(what), "%s: failed", f->dir);
	else
		snprintf(what, sizeof(what), "%s: %zu run%s", f->dir, f->nrun, f->nrun == 1 ? "" : "s");
	wl_progress_step(ctx, done, n, what);
}

static int num(const char *s, const char *name, double lo, double *out)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end || !isfinite(d) || d < lo) {
		fprintf(stderr, "wattlog compare: bad --%s '%s': expected a number >= %g\n", name,
			s, lo);
		return -1;
	}
	*out = d;
	return 0;
}

static int format_of(const char *s, int *f)
{
	static const char *const names[] = { "text", "markdown", "csv", "json" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]) || (i == 1 && !strcmp(s, "md"))) {
			*f = i;
			return 0;
		}
	fprintf(stderr, "wattlog compare: unknown --format '%s' (text, markdown, csv, json)\n", s);
	return -1;
}

static int log_axes(const char *s, struct wl_cmp_plot_opts *po)
{
	if (strcmp(s, "x") && strcmp(s, "y") && strcmp(s, "xy") && strcmp(s, "yx")) {
		fprintf(stderr, "wattlog compare: bad --log '%s': expected x, y or xy\n", s);
		return -1;
	}
	po->logx = strchr(s, 'x') != NULL;
	po->logy = strchr(s, 'y') != NULL;
	return 0;
}

static int parse(int argc, char **argv, struct cli *c)
{
	double d;
	int ch, rc = 0;

	while (!rc && (ch = wl_getopt(&wl_cmdline_compare, argc, argv)) != -1) {
		switch (ch) {
		case O_BASE: c->baseline = optarg; break;
		case O_BY: c->by = optarg; break;
		case O_SORT: c->sort = optarg; break;
		case 'F': rc = format_of(optarg, &c->format); break;
		case 'o': c->output = optarg; break;
		case O_RATIO: c->ratio = optarg; break;
		case O_NAMEPAT: c->o.name_pattern = optarg; break;
		case O_NOPH: c->o.phases = 0; break;
		case O_PLOTS: c->plots = optarg; break;
		WL_FIG_CASES:
			rc = wl_fig_option(&c->po.look, ch, optarg, "compare") < 0 ? -1 : 0;
			break;
		case O_BARS: c->po.bars = optarg; break;
		case O_X: c->po.x = optarg; break;
		case O_Y: c->po.y = optarg; break;
		case O_SERIES: c->po.series = optarg; break;
		case O_LOG: rc = log_axes(optarg, &c->po); break;
		case O_ALIGN: c->o.align_marker = optarg; break;
		case WL_PROGRESS_OPT: c->progress = 1; break;
		case 'j':
			rc = num(optarg, "jobs", 1, &d);
			if (!rc)
				c->o.jobs = d > 4096 ? 4096 : (unsigned)d;
			break;
		default:
			rc = wl_input_option(&c->input, ch, optarg, "compare");
			if (rc == 0)
				return -1;
			rc = rc < 0 ? -1 : 0;
			c->o.in = c->input.in;
			break;
		case O_MAXGAP: rc = num(optarg, "max-gap", 1e-9, &c->o.an.max_gap_s); break;
		case O_NOBRIDGE: c->o.an.no_bridge = 1; break;
		case O_MAXPOW: rc = num(optarg, "max-power", 1e-9, &c->o.an.max_power_w); break;
		case O_INT: rc = num(optarg, "intensity", 0, &c->intensity); break;
		case O_REGION: c->region = optarg; break;
		case O_PUE: rc = num(optarg, "pue", 1, &c->o.pue); break;
		case 'h': usage(stdout); return 1;
		}
	}
	if (rc)
		return -1;
	if (optind >= argc) {
		fprintf(stderr, "wattlog compare: no folder given\n");
		wl_usage_short(&wl_cmdline_compare);
		return -1;
	}
	c->dirs = argv + optind;
	c->ndirs = (size_t)(argc - optind);
	return 0;
}

/* Table to stdout or --output; 0 or 2. */
static int write_table(const struct cli *c, const struct wl_cmp_table *t,
		       const struct wl_cmp_folder *f)
{
	struct wl_error err;
	FILE *fp = stdout;
	int rc;

	if (c->output && !(fp = fopen(c->output, "w"))) {
		fprintf(stderr, "wattlog compare: cannot open '%s': %s\n", c->output,
			strerror(errno));
		return 2;
	}
	rc = c->format == 3 ? wl_cmp_json(fp, t, f, c->ndirs, &err) :
	     c->format == 2 ? wl_cmp_csv(fp, t, &err) :
			      wl_cmp_text(fp, t, c->ratio, c->format == 1, &err);
	/* standard output is flushed and checked by main */
	if (fp != stdout && (fflush(fp) || ferror(fp)) && !rc) {
		snprintf(err.msg, sizeof(err.msg), "cannot write '%s': %s", c->output,
			 strerror(errno));
		rc = -1;
	}
	if (fp != stdout && fclose(fp) && !rc) {
		snprintf(err.msg, sizeof(err.msg), "cannot write '%s': %s", c->output,
			 strerror(errno));
		rc = -1;
	}
	if (rc) {
		fprintf(stderr, "wattlog compare: %s\n", err.msg);
		return 2;
	}
	return 0;
}

static int run(struct cli *c)
{
	struct wl_cmp_folder *f = calloc(c->ndirs, sizeof(*f));
	struct wl_progress prog;
	struct wl_intensity in;
	struct wl_cmp_table t;
	struct wl_error err;
	long failed;
	size_t i;
	int rc = 2, have_in = 0;

	memset(&t, 0, sizeof(t));
	memset(&in, 0, sizeof(in));
	if (!f) {
		fprintf(stderr, "wattlog compare: out of memory\n");
		return 2;
	}
	if (c->region || !isnan(c->intensity)) {
		if (c->region ? wl_intensity_region(&in, c->region, 0, &err) :
				wl_intensity_const(&in, c->intensity, &err))
			goto fail;
		have_in = 1;
		c->o.intensity = &in;
	}
	c->o.keep_power = c->plots != NULL;
	/* Each run allocates and frees a few large buffers: served by mmap and
	 * returned at once, every run pays fresh page faults, and the threads
	 * serialise on the address-space lock.  Keeping them in the heap
	 * (glibc) makes 1000 small folders 3x faster. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	wl_progress_init(&prog, "compare", c->progress);
	c->o.progress = folder_done;
	c->o.progress_ctx = &prog;
	failed = wl_cmp_run_folders((const char *const *)c->dirs, c->ndirs, &c->o, f, &err);
	wl_progress_end(&prog);
	if (failed < 0)
		goto fail;
	for (i = 0; i < c->ndirs; i++)
		if (f[i].err[0])
			fprintf(stderr, "wattlog compare: folder '%s' skipped: %s\n", f[i].dir,
				f[i].err);
	if (wl_cmp_table_build(f, c->ndirs, c->by, c->baseline, c->sort, &t, &err))
		goto fail;
	rc = write_table(c, &t, f);
	if (!rc && c->plots && wl_cmp_plots(&t, &c->po, c->plots, &err)) {
		fprintf(stderr, "wattlog compare: %s\n", err.msg);
		rc = 2;
	}
	if (!rc && failed)
		rc = 1;
	goto out;
fail:
	fprintf(stderr, "wattlog compare: %s\n", err.msg);
out:
	wl_cmp_table_release(&t);
	for (i = 0; i < c->ndirs; i++)
		wl_cmp_folder_release(&f[i]);
	free(f);
	c->o.intensity = NULL; /* it pointed at `in`, which ends here */
	if (have_in)
		wl_intensity_release(&in);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	wl_cmp_opts_init(&c.o);
	wl_fig_look_init(&c.po.look);
	c.intensity = NAN;
	optind = 1;
	rc = parse(argc, argv, &c);
	rc = rc ? (rc > 0 ? 0 : 2) : run(&c);
	wl_input_args_release(&c.input);
	return rc;
}
