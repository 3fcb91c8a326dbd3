/*
 * fit.c - `wattlog fit`: fits a power model (power law on one activity
 * metric, or linear on several) to measured runs, cross-validates it by
 * file, writes the model file; or, given a model file, predicts the
 * energy of runs and draws measured against predicted power.
 * The work is in src/analyze/pipeline/fit*.c; the output in fit_out.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fig_opts.h"
#include "fit_out.h"
#include "input_opts.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/fit.h"
#include "wattlog/ingest.h"
#include "wattlog/plot.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog fit --model power-law|linear --x METRICS [options] FILE...\n"
		"       wattlog fit --model MODEL.json --predict [--plots DIR] FILE...\n"
		"\n"
		"Fits GPU power to activity metrics paired on the common grid of the\n"
		"correlation (gaps are no sample), or predicts runs with a fitted model.\n"
		"  power-law  P = P_idle + (P_max - P_idle) min(1, x / x_sat)^gamma, one metric\n"
		"  linear     P = a + sum b_i x_i, one or more metrics\n"
		"\n"
		"  --model KIND|FILE     power-law or linear to fit; a model file to predict\n"
		"  --x METRICS           comma-separated activity metrics (e.g. mfu, sm_active)\n"
		"  --x-sat X             saturation of the power law, fixed (default 0.45)\n"
		"  --power METRIC        measured power (default: the GPU's power.draw)\n"
		"  --phases LABELS       fit on these phases only (e.g. prefill,decode)\n"
		"  --grid SECONDS        grid step (default: the slowest metric's period)\n"
		"  --cv K                K-fold cross-validation by file\n"
		"  --model-out FILE      write the fitted model (JSON)\n"
		"  --predict             predict FILEs with the model file of --model\n"
		"  --plots DIR           with --predict: DIR/fit-NAME.png per file\n"
		"  --format text|json    output format (default text)\n");
	wl_input_format_usage(f, "  --input-format FMT", 24);
	fprintf(f,
		"  --tz ZONE             time zone of logs without one (default local)\n"
		"  -h, --help            this help\n"
		"the --plots figures (--title replaces the measured/predicted line):\n");
	wl_fig_usage(f);
}

struct fit_opts {
	const char *model, *x, *power, *phases, *model_out, *format, *plots;
	double x_sat, grid_s;
	size_t cv;
	int predict;
	struct wl_ingest_opts io;
	struct wl_fig_look look; /* the --plots figures' options (fig_opts.h) */
};

static int parse_pos(const char *s, const char *opt, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (end == s || *end || !(*out > 0) || !isfinite(*out)) {
		fprintf(stderr, "wattlog fit: bad %s '%s': a number > 0\n", opt, s);
		return -1;
	}
	return 0;
}

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "x", required_argument, NULL, 'x' },
	{ "x-sat", required_argument, NULL, 's' },
	{ "power", required_argument, NULL, 'P' },
	{ "phases", required_argument, NULL, 'p' },
	{ "grid", required_argument, NULL, 'g' },
	{ "cv", required_argument, NULL, 'c' },
	{ "model-out", required_argument, NULL, 'o' },
	{ "predict", no_argument, NULL, 'r' },
	{ "plots", required_argument, NULL, 'd' },
	WL_FIG_LONGOPTS,
	{ "format", required_argument, NULL, 'f' },
	{ "input-format", required_argument, NULL, 'i' },
	{ "tz", required_argument, NULL, 'z' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_fit = {
	"wattlog fit", "--model power-law|linear --x METRICS [options] FILE...", "h", longopts,
};

static int parse_opts(int argc, char **argv, struct fit_opts *o)
{
	double v;
	int c;

	memset(o, 0, sizeof(*o));
	o->format = "text";
	o->x_sat = WL_FIT_X_SAT_DEFAULT;
	wl_fig_look_init(&o->look);
	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_fit, argc, argv)) != -1) {
		switch (c) {
		case 'm': o->model = optarg; break;
		case 'x': o->x = optarg; break;
		case 'P': o->power = optarg; break;
		case 'p': o->phases = optarg; break;
		case 'o': o->model_out = optarg; break;
		case 'r': o->predict = 1; break;
		case 'd': o->plots = optarg; break;
		WL_FIG_CASES:
			if (wl_fig_option(&o->look, c, optarg, "fit") < 0)
				return 2;
			break;
		case 'f': o->format = optarg; break;
		case 'i': o->io.format = optarg; break;
		case 'z': o->io.tz = optarg; break;
		case 's':
			if (parse_pos(optarg, "--x-sat", &o->x_sat) < 0)
				return 2;
			break;
		case 'g':
			if (parse_pos(optarg, "--grid", &o->grid_s) < 0)
				return 2;
			break;
		case 'c':
			if (parse_pos(optarg, "--cv", &v) < 0 || v != floor(v) || v < 2) {
				fprintf(stderr, "wattlog fit: bad --cv '%s': an integer >= 2\n", optarg);
				return 2;
			}
			o->cv = (size_t)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default: return 2;
		}
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json")) {
		fprintf(stderr, "wattlog fit: bad --format '%s': text or json\n", o->format);
		return 2;
	}
	if (!o->model || optind >= argc) {
		fprintf(stderr, "wattlog fit: %s\n", !o->model ? "missing --model" : "no FILE");
		wl_usage_short(&wl_cmdline_fit);
		return 2;
	}
	if (o->predict ? !!(o->x || o->cv || o->model_out || o->phases)
		       : !!(o->plots || (strcmp(o->model, "power-law") && strcmp(o->model, "linear")))) {
		fprintf(stderr, "wattlog fit: %s\n", o->predict
			? "--predict takes a model file: --x, --phases, --cv and --model-out "
			  "belong to fitting"
			: o->plots ? "--plots goes with --predict"
			: "--model is power-law or linear to fit (a model file goes with --predict)");
		return 2;
	}
	if (!o->predict && !o->x) {
		fprintf(stderr, "wattlog fit: missing --x METRICS\n");
		return 2;
	}
	return -1;
}

/* Splits "a,b,c" in place into at most WL_FIT_MAX_X names. */
static int split_x(char *s, const char **x, size_t *n)
{
	char *tok, *save = NULL;

	*n = 0;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == WL_FIT_MAX_X) {
			fprintf(stderr, "wattlog fit: at most %d metrics in --x\n", WL_FIT_MAX_X);
			return -1;
		}
		x[(*n)++] = tok;
	}
	if (!*n) {
		fprintf(stderr, "wattlog fit: --x names no metric\n");
		return -1;
	}
	return 0;
}

static int load(char **files, size_t n, const struct wl_ingest_opts *io, struct wl_dataset *ds,
		struct wl_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		wl_dataset_init(&ds[i]);
	for (i = 0; i < n; i++)
		if (wl_ingest(files[i], io, &ds[i], err) < 0)
			return -1;
	return 0;
}

static int run_fit(const struct fit_opts *o, struct wl_dataset *ds, size_t nds,
		   struct wl_dataset *notes, struct wl_error *err)
{
	const char *xs[WL_FIT_MAX_X];
	char xbuf[1024], line[256];
	struct wl_fit_spec spec;
	struct wl_fit_model m;
	struct wl_fit_data all, one;
	struct wl_fit_cv cv;
	size_t i;
	int rc = -1;

	memset(&cv, 0, sizeof(cv));
	snprintf(xbuf, sizeof(xbuf), "%s", o->x);
	memset(&spec, 0, sizeof(spec));
	if (split_x(xbuf, xs, &spec.nx) < 0)
		return 2;
	spec.kind = strcmp(o->model, "linear") ? WL_FIT_POWER_LAW : WL_FIT_LINEAR;
	if (spec.kind == WL_FIT_POWER_LAW && spec.nx != 1) {
		fprintf(stderr, "wattlog fit: the power law takes one metric in --x (the linear "
			"model takes several)\n");
		return 2;
	}
	spec.x = xs;
	spec.power = o->power;
	spec.phases = o->phases;
	spec.grid_s = o->grid_s;
	spec.x_sat = o->x_sat;
	wl_fit_model_init(&m);
	m.kind = spec.kind;
	if (m.kind == WL_FIT_POWER_LAW)
		m.x_sat = o->x_sat;
	if (o->phases)
		snprintf(m.phases, sizeof(m.phases), "%s", o->phases);
	wl_fit_data_init(&all, spec.nx);
	wl_fit_data_init(&one, spec.nx);
	if (m.kind == WL_FIT_POWER_LAW) {
		snprintf(line, sizeof(line), "x_sat = %g is fixed, not fitted (not identifiable "
			 "beside p_max; --x-sat sets it)", o->x_sat);
		wl_dataset_warn(notes, "%s", line);
	}
	for (i = 0; i < nds; i++) {
		one.n = 0;
		if (wl_fit_data_from(&ds[i], &spec, &m, notes, &one, err) < 0)
			goto out;
		if (wl_fit_data_append(&all, &one) < 0 || wl_fit_model_add_file(&m, ds[i].path) < 0) {
			wl_error_set(err, "out of memory");
			goto out;
		}
	}
	if (wl_fit_run(&all, &m, err) < 0)
		goto out;
	wl_dataset_warn(notes, "confidence intervals assume independent errors%s",
			m.acf1 > 0.2 ? "; the residuals are autocorrelated (lag-1 r above 0.2), so "
			"the intervals are too narrow" : "");
	if (o->cv && wl_fit_cv_run(ds, nds, &spec, &m, o->cv, &cv, err) < 0)
		goto out;
	if (o->cv)
		wl_dataset_warn(notes, "cross-validation predicts the whole of each held-out file%s",
				o->phases ? " (all phases, not only those fitted on)" : "");
	if (!strcmp(o->format, "json")) {
		if (wl_fit_model_write(&m, notes, o->cv ? &cv : NULL, "-", err) < 0)
			goto out;
	} else {
		wl_fit_print_model(stdout, &m, o->cv ? &cv : NULL, notes);
	}
	if (o->model_out && wl_fit_model_write(&m, notes, o->cv ? &cv : NULL, o->model_out, err) < 0)
		goto out;
	rc = 0;
out:
	wl_fit_cv_release(&cv);
	wl_fit_data_release(&one);
	wl_fit_data_release(&all);
	wl_fit_model_release(&m);
	return rc;
}

/* DIR/fit-BASENAME.png (BASENAME without its extension). */
static int plot_one(const char *dir, const struct wl_fig_look *look,
		    const struct wl_fit_prediction *p, struct wl_error *err)
{
	const char *base = strrchr(p->path, '/');
	char path[4096], title[600];
	struct wl_plot_opts po;
	int len;

	base = base ? base + 1 : p->path;
	len = (int)(strrchr(base, '.') ? (size_t)(strrchr(base, '.') - base) : strlen(base));
	snprintf(path, sizeof(path), "%s/fit-%.*s.png", dir, len, base);
	snprintf(title, sizeof(title), "%s: measured %.0f J, predicted %.0f J (%+.2f %%)", base,
		 p->total.measured_j, p->total.predicted_j, p->total.error_pct);
	wl_plot_opts_init(&po);
	wl_fig_look_apply(look, 0, &po);
	if (po.lab.title) /* the figure's own title line: not a second one */
		snprintf(title, sizeof(title), "%s", po.lab.title);
	po.lab.title = NULL;
	return wl_fig_fit(p->t, p->measured_w, p->predicted_w, p->n, title, &po, path, err);
}

static int run_predict(const struct fit_opts *o, struct wl_dataset *ds, size_t nds,
		       struct wl_dataset *notes, struct wl_error *err)
{
	struct wl_fit_prediction *p = calloc(nds, sizeof(*p));
	struct wl_fit_model m;
	size_t i;
	int rc = -1;

	wl_fit_model_init(&m);
	if (!p)
		return wl_error_set(err, "out of memory");
	if (wl_fit_model_read(o->model, &m, err) < 0)
		goto out;
	if (o->plots && mkdir(o->plots, 0777) < 0 && errno != EEXIST) {
		wl_error_errno(err, errno, "cannot create '%s'", o->plots);
		goto out;
	}
	for (i = 0; i < nds; i++) {
		if (wl_fit_predict(&ds[i], &m, notes, &p[i], err) < 0)
			goto out;
		if (o->plots && plot_one(o->plots, &o->look, &p[i], err) < 0)
			goto out;
	}
	wl_fit_print_predictions(stdout, &m, o->model, p, nds, notes, !strcmp(o->format, "json"));
	rc = 0;
out:
	for (i = 0; i < nds; i++)
		wl_fit_prediction_release(&p[i]);
	free(p);
	wl_fit_model_release(&m);
	return rc;
}

int cmd_fit(int argc, char **argv)
{
	struct fit_opts o;
	struct wl_dataset *ds, notes;
	struct wl_error err;
	size_t n, i;
	int rc = parse_opts(argc, argv, &o);

	if (rc >= 0)
		return rc;
	n = (size_t)(argc - optind);
	if (!(ds = calloc(n, sizeof(*ds)))) {
		fprintf(stderr, "wattlog fit: out of memory\n");
		return 2;
	}
	wl_dataset_init(&notes);
	rc = 2;
	if (load(argv + optind, n, &o.io, ds, &err) < 0) {
		fprintf(stderr, "wattlog fit: %s\n", err.msg);
	} else {
		rc = o.predict ? run_predict(&o, ds, n, &notes, &err)
			       : run_fit(&o, ds, n, &notes, &err);
		if (rc < 0)
			fprintf(stderr, "wattlog fit: %s\n", err.msg);
		rc = rc < 0 ? 2 : rc;
	}
	for (i = 0; i < n; i++)
		wl_dataset_release(&ds[i]);
	free(ds);
	wl_dataset_release(&notes);
	return rc;
}
