/*
 * plot.c - `wattlog plot FILE... --figure NAME`: one figure per input file
 * (power, panels, heatmap, energy, carbon, scatter) in PNG, PDF or SVG, in
 * screen or paper style.  Option parsing only; the drawing is src/render/.
 */
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fig_opts.h"
#include "input_opts.h"
#include "progress.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/plot.h"
#include "wattlog/power_stream.h"
#include "wattlog/report_job.h"
#include "wattlog/requests.h"
#include "wattlog/run.h"

typedef int (*fig_fn)(const struct wl_dataset *, const struct wl_phase_list *,
		      const struct wl_plot_opts *, const char *, struct wl_error *);

/* The request figures: the marker windows and their requests (requests.h),
 * then the drawing. */
static int fig_requests(const struct wl_dataset *ds, int jpt, const struct wl_plot_opts *o,
			const char *path, struct wl_error *err)
{
	struct wl_phase_list win;
	struct wl_request_list rl;
	int rc = -1;

	wl_phase_list_init(&win);
	wl_request_list_init(&rl);
	if (wl_phases_markers(ds, &win, err) >= 0 && wl_requests_compute(ds, &win, &rl, err) == 0)
		rc = jpt ? wl_fig_jpt_hist(&rl, o, path, err) : wl_fig_requests(&win, &rl, o, path, err);
	wl_request_list_release(&rl);
	wl_phase_list_release(&win);
	return rc;
}

static int fig_timeline(const struct wl_dataset *ds, const struct wl_phase_list *ph,
			const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	(void)ph;
	return fig_requests(ds, 0, o, path, err);
}

static int fig_jpt(const struct wl_dataset *ds, const struct wl_phase_list *ph,
		   const struct wl_plot_opts *o, const char *path, struct wl_error *err)
{
	(void)ph;
	return fig_requests(ds, 1, o, path, err);
}

static const struct {
	const char *name;
	fig_fn fn;
} figures[] = {
	{ "power", wl_fig_power },     { "panels", wl_fig_panels },
	{ "heatmap", wl_fig_heatmap }, { "energy", wl_fig_energy },
	{ "carbon", wl_fig_carbon },   { "scatter", wl_fig_scatter },
	{ "nodes", wl_fig_nodes },     { "requests", fig_timeline },
	{ "jpt", fig_jpt },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog plot [options] --figure NAME FILE...\n"
		"\n"
		"Figures of a run, one per input file:\n"
		"  power    power of every component over time, phases shaded, markers\n"
		"  panels   several metrics on stacked panels sharing the time axis\n"
		"  heatmap  the Pearson correlation matrix\n"
		"  energy   energy per component, split by phase\n"
		"  carbon   the run's carbon under several intensities (--regions)\n"
		"  scatter  one metric against another (--x, --y), coloured by phase\n"
		"  nodes    a job folder's nodes: power of each over time (--stack: the total)\n"
		"  requests request timeline: a bar per request coloured by phase, its energy\n"
		"  jpt      histogram of J per output token across requests\n"
		"\n"
		"      --figure NAME         the figure (required)\n"
		"  -o, --output PATH         output file, or a directory for several inputs\n"
		"                            (default NAME-FIGURE.EXT next to the input)\n"
		"      --format png|pdf|svg  default: from -o's extension, else png\n"
		"      --metrics LIST        comma-separated metrics (panels, heatmap)\n"
		"      --from S, --to S      time window, s since the start of the run\n"
		"      --stack               power: stacked areas summing to the total\n"
		"      --x METRIC, --y METRIC  scatter axes\n"
		"      --regions LIST        carbon: region codes, g/kWh, or NAME=G_PER_KWH\n"
		"      --pue X               carbon: power usage effectiveness, as report's\n"
		"                            (default 1)\n"
		"      --no-phases           do not find and shade phases\n"
		"      --no-stream           a wattlog trace: load it whole instead of reading it\n"
		"                            record by record (above 256 MiB: figures from 0.1 s\n"
		"                            bins; power: the same figure)\n"
		"      --data PATH           energy: also write the numbers drawn as CSV\n"
		"                            (component,segment,energy_j)\n"
		"      --progress            each input and how much of it is read, on stderr\n"
		"                            (default: on a terminal only)\n"
		"  -h, --help                this help\n"
		"figure text and size (default screen, 8 in wide):\n");
	wl_fig_usage(f);
	wl_input_usage(f);
}

static int num(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end != s && !*end && isfinite(*v) ? 0 : -1;
}

static int is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* DIR/BASE-FIGURE.EXT, BASE the input's name without its extension. */
static void default_out(const char *in, const char *dir, const char *fig, const char *ext,
			char *out, size_t len)
{
	char a[4096], b[4096], *base, *dot;

	snprintf(a, sizeof(a), "%s", in);
	snprintf(b, sizeof(b), "%s", in);
	base = basename(a);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = 0;
	snprintf(out, len, "%s/%s-%s.%s", dir ? dir : dirname(b), base, fig, ext);
}

/* 1 when `in` is a wattlog trace file (by --input-format or content). */
static int is_trace(const char *in, const struct wl_ingest_opts *io)
{
	struct wl_error e = { "" };
	const char *f;

	if (is_dir(in))
		return 0;
	f = io->format ? io->format : wl_ingest_detect(in, &e);
	return f && !strcmp(f, "wattlog");
}

/* The power figure of a trace, streamed (wl_power_stream_read, drawn by
 * wl_fig_power_stream): 0 done, 2 unreadable input, 1 failed, -1 left to
 * the in-memory path (exit codes as plot_one's). */
static int plot_stream(const char *in, const char *out, const struct wl_plot_opts *po,
		       const struct wl_ingest_opts *io, int phases)
{
	struct wl_error err = { "" };
	struct wl_power_stream ps;
	char why[160] = "";
	int rc = wl_power_stream_read(in, io, po->t_from, po->t_to, wl_fig_power_columns(po),
				      phases, &ps, why, sizeof(why), &err);

	if (rc == 0) {
		if (*ps.phase_note)
			fprintf(stderr, "wattlog plot: no phases shaded: %s\n", ps.phase_note);
		rc = wl_fig_power_stream(&ps, po, out, &err);
		wl_power_stream_release(&ps);
	}
	if (rc == 1)
		fprintf(stderr, "wattlog plot: '%s': %s: reading it whole\n", in, why);
	else if (rc < 0)
		fprintf(stderr, "wattlog plot: %s\n", err.msg);
	return rc == 1 ? -1 : rc == -2 ? 2 : rc < 0 ? 1 : 0;
}

/* A figure drawn from the run's numbers (run.h): energy from the
 * report's energy and the phases clipped to the window, carbon from the
 * report's energy (at --pue), heatmap from the report's correlation; the
 * others from the run's dataset and phases. */
static int draw(struct wl_run *run, fig_fn fn, const struct wl_plot_opts *po, const char *out,
		struct wl_error *err)
{
	struct wl_phase_list in;
	size_t i;
	int rc;

	if (fn == wl_fig_heatmap) {
		if (run->r.have_grid)
			return wl_fig_heatmap_corr(&run->r.corr, po, out, err);
		for (i = 0; i < run->ds.nwarn; i++) /* the stage's own reason */
			if (!strncmp(run->ds.warn[i], "correlation: ", 13))
				return wl_error_set(err, "%s", run->ds.warn[i] + 13);
		return wl_error_set(err, "no correlation of '%s'", run->ds.path);
	}
	if (fn == wl_fig_carbon)
		return wl_fig_carbon_of(&run->r.energy, po->pue, po, out, err);
	if (fn != wl_fig_energy)
		return fn(&run->ds, &run->pl, po, out, err);
	wl_phase_list_init(&in);
	rc = wl_phases_clip(&run->ds, &run->pl, run->r.t_from, run->r.t_to, &in, err);
	if (!rc)
		rc = wl_fig_energy_of(&run->r.energy, &in, po, out, err);
	wl_phase_list_release(&in);
	return rc;
}

static int plot_one(const char *in, const char *out, fig_fn fn, const struct wl_plot_opts *po,
		    const struct wl_ingest_opts *io, int phases, int stream)
{
	struct wl_run_opts ro;
	struct wl_run run;
	struct wl_error err = { "" };
	int rc = 0;

	/* The power figure of a trace streams: memory independent of its
	 * length (--no-stream loads it whole; the figure is the same). */
	if (stream && !io->markers && fn == wl_fig_power && is_trace(in, io) &&
	    (rc = plot_stream(in, out, po, io, phases)) >= 0)
		return rc;
	/* the one composition: a long wattlog trace streams (0.1 s bins) */
	wl_run_opts_init(&ro);
	ro.in = io;
	ro.an.t_from = po->t_from;
	ro.an.t_to = po->t_to;
	ro.stream = stream ? -1 : 0;
	ro.stats = fn == wl_fig_heatmap;
	ro.phases = phases;
	rc = wl_run_read(in, &ro, &run, &err);
	if (rc < 0) {
		fprintf(stderr, "wattlog plot: %s\n", err.msg);
		rc = rc == -1 ? 2 : 1;
		goto out;
	}
	if (run.phase_note[0])
		fprintf(stderr, "wattlog plot: no phases shaded: %s\n", run.phase_note);
	if (draw(&run, fn, po, out, &err) < 0) {
		fprintf(stderr, "wattlog plot: %s\n", err.msg);
		rc = 1;
	}
out:
	wl_run_release(&run);
	return rc;
}

enum { O_FIGURE = 256, O_FORMAT, O_METRICS, O_FROM, O_TO, O_STACK, O_X,
       O_Y, O_REGIONS, O_NOPH, O_NOSTREAM, O_DATA, O_PUE };

static const struct option lo[] = {
	{ "figure", required_argument, NULL, O_FIGURE },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, O_FORMAT },
	WL_FIG_LONGOPTS,
	{ "metrics", required_argument, NULL, O_METRICS },
	{ "from", required_argument, NULL, O_FROM },
	{ "to", required_argument, NULL, O_TO },
	{ "stack", no_argument, NULL, O_STACK },
	{ "x", required_argument, NULL, O_X },
	{ "y", required_argument, NULL, O_Y },
	{ "regions", required_argument, NULL, O_REGIONS },
	{ "no-phases", no_argument, NULL, O_NOPH },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "data", required_argument, NULL, O_DATA },
	{ "pue", required_argument, NULL, O_PUE },
	WL_PROGRESS_LONGOPT,
	WL_INPUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_plot = {
	"wattlog plot", "[options] --figure NAME FILE...", "I:o:h", lo,
};

static int plot_main(int argc, char **argv, struct wl_input_args *ia)
{
	struct wl_plot_opts po;
	struct wl_fig_look fa;
	const struct wl_ingest_opts *io = &ia->in;
	const char *fig = NULL, *out = NULL, *fmt = NULL;
	char path[4096];
	fig_fn fn = NULL;
	enum wl_plot_format ef;
	int c, i, rc = 0, phases = 1, stream = 1, progress = 0;
	struct wl_progress prog;
	size_t k;

	wl_plot_opts_init(&po);
	wl_fig_look_init(&fa);
	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_plot, argc, argv)) != -1) {
		switch (c) {
		case O_FIGURE: fig = optarg; break;
		case 'o': out = optarg; break;
		case O_FORMAT: fmt = optarg; break;
		WL_FIG_CASES:
			if (wl_fig_option(&fa, c, optarg, "plot") < 0)
				return 2;
			break;
		case O_METRICS: po.metrics = optarg; break;
		case O_FROM:
		case O_TO:
			if (num(optarg, c == O_FROM ? &po.t_from : &po.t_to) < 0) {
				fprintf(stderr, "wattlog plot: bad --%s '%s': seconds expected\n",
					c == O_FROM ? "from" : "to", optarg);
				return 2;
			}
			break;
		case O_STACK: po.stack = 1; break;
		case O_X: po.x = optarg; break;
		case O_Y: po.y = optarg; break;
		case O_REGIONS: po.regions = optarg; break;
		case O_NOPH: phases = 0; break;
		case O_NOSTREAM: stream = 0; break;
		case O_DATA: po.data = optarg; break;
		case O_PUE:
			if (num(optarg, &po.pue) < 0 || po.pue < 1) {
				fprintf(stderr, "wattlog plot: bad --pue '%s': a number >= 1\n", optarg);
				return 2;
			}
			break;
		case WL_PROGRESS_OPT: progress = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			c = wl_input_option(ia, c, optarg, "plot");
			if (c > 0)
				break;
			return 2;
		}
	}
	wl_fig_look_apply(&fa, 0, &po);
	for (k = 0; fig && k < sizeof(figures) / sizeof(figures[0]); k++)
		if (!strcmp(fig, figures[k].name))
			fn = figures[k].fn;
	if (!fn || optind >= argc) {
		if (fig && !fn)
			fprintf(stderr, "wattlog plot: unknown figure '%s'\n", fig);
		else
			fprintf(stderr, "wattlog plot: %s\n", fig ? "no input file" :
				"--figure NAME is required");
		wl_usage_short(&wl_cmdline_plot);
		return 2;
	}
	if (fmt && wl_plot_format_parse(fmt, &po.format) < 0) {
		fprintf(stderr, "wattlog plot: bad --format '%s': png, pdf or svg\n", fmt);
		return 2;
	}
	if (out && !is_dir(out)) {
		if (argc - optind > 1) {
			fprintf(stderr, "wattlog plot: -o '%s' names one file but %d inputs were "
				"given: give a directory\n", out, argc - optind);
			return 2;
		}
		if (wl_plot_format_from_path(out, &ef) == 0) {
			if (fmt && ef != po.format) {
				fprintf(stderr, "wattlog plot: --format %s but -o '%s' says %s\n",
					fmt, out, wl_plot_format_ext(ef));
				return 2;
			}
			po.format = ef;
		} else if (!fmt) {
			fprintf(stderr, "wattlog plot: cannot tell the format of '%s': use "
				"--format or a .png/.pdf/.svg name\n", out);
			return 2;
		}
	}
	if (!isnan(po.t_from) && !isnan(po.t_to) && !(po.t_to > po.t_from)) {
		fprintf(stderr, "wattlog plot: --to must be after --from\n");
		return 2;
	}
	wl_progress_init(&prog, "plot", progress);
	wl_progress_reads(&prog);
	for (i = optind; i < argc; i++) {
		char what[4200];

		if (out && !is_dir(out))
			snprintf(path, sizeof(path), "%s", out);
		else
			default_out(argv[i], out, fig, wl_plot_format_ext(po.format), path,
				    sizeof(path));
		snprintf(what, sizeof(what), "%s: %s figure", argv[i], fig);
		wl_progress_step(&prog, (size_t)(i - optind + 1), (size_t)(argc - optind), what);
		c = plot_one(argv[i], path, fn, &po, io, phases, stream);
		if (c > rc)
			rc = c;
		wl_progress_clear(&prog); /* the path on stdout, not after the line */
		if (c == 0)
			printf("%s\n", path);
	}
	wl_progress_end(&prog);
	return rc;
}

int cmd_plot(int argc, char **argv)
{
	return wl_input_run(argc, argv, plot_main);
}
