/*
 * simulate.c - `wattlog simulate`: a synthetic GPU trace from a phase
 * schedule (src/analyze/pipeline/simulate.c), written through the trace writer with
 * channels named as the NVML source names them and the true phases as
 * WL_MARKER_TRUTH markers.
 *
 * The trace's clocks are fixed so that a seed gives the same bytes:
 * start_monotonic_ns = 1 s, start_realtime_ns = 2025-01-01T00:00:00Z.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/fit.h"
#include "wattlog/ingest.h"
#include "wattlog/simulate.h"
#include "wattlog/trace.h"
#include "wattlog/version.h"

#define SIM_MONO0 1000000000ull
#define SIM_REAL0 1735689600000000000ull

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog simulate --schedule 'idle 2s, prefill 8s, ...' -o OUT.wlog [options]\n"
		"\n"
		"Writes a synthetic GPU trace: power from the MFU model\n"
		"P = P_idle + (P_max - P_idle) (mfu / mfu_sat)^gamma, activity channels with\n"
		"noise and kernel alternation, and the true phases as truth markers.\n"
		"\n"
		"  --schedule TEXT       phases: idle|prefill|decode DURATION (ms, s, min), comma-separated\n"
		"  --schedule-file FILE  the same, one or more per line, '#' comments\n"
		"  --gpu A100|H100|A40   power and clock model (default A100: 100/400 W)\n"
		"  --period DUR          sampling period (default 100ms)\n"
		"  --jitter DUR          std of sample time jitter (default 5ms)\n"
		"  --noise X             relative noise (default 0.02)\n"
		"  --seed N              random seed (default 1)\n"
		"  --mfu-sat X, --gamma X, --mfu-prefill X, --mfu-decode X   model parameters\n"
		"  --model FILE          P_idle, P_max, gamma and mfu_sat from a power-law model\n"
		"                        file of `wattlog fit` (the clock from --gpu)\n"
		"  --markers             also write the phases as ordinary begin/end markers\n"
		"  -o, --output FILE     the trace to write\n"
		"  -h, --help            this help\n");
}

/* "100ms", "0.1s", "0.1" (s). */
static int parse_dur(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || !isfinite(v) || v < 0)
		return -1;
	if (!strcmp(end, "ms"))
		v *= 1e-3;
	else if (!strcmp(end, "us"))
		v *= 1e-6;
	else if (*end && strcmp(end, "s"))
		return -1;
	*out = v;
	return 0;
}

static int parse_num(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end == s || *end || !isfinite(*out) ? -1 : 0;
}

static char *read_file(const char *path, struct wl_error *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f) {
		wl_error_errno(err, errno, "cannot open '%s'", path);
		return NULL;
	}
	do {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = 2 * cap + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				wl_error_set(err, "out of memory reading '%s'", path);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		wl_error_errno(err, errno, "cannot read '%s'", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	return buf;
}

static int write_trace(int fd, const struct wl_dataset *ds, const struct wl_sim_opts *o,
		       const char *command, struct wl_error *err)
{
	struct wl_writer *w = wl_writer_open(fd, 0, err);
	char sreal[32], smono[32], sint[32];
	struct wl_kv kv[16];
	size_t nkv = 0, i, k, m = 0, n = ds->nch ? ds->ch[0].n : 0;
	uint16_t ids[64];
	union wl_value vals[64];
	int rc = -1;

	if (!w)
		return -1;
	snprintf(sreal, sizeof(sreal), "%llu", SIM_REAL0);
	snprintf(smono, sizeof(smono), "%llu", SIM_MONO0);
	snprintf(sint, sizeof(sint), "%.0f", o->period_s * 1e9);
	kv[nkv++] = (struct wl_kv){ "hostname", "simulate" };
	kv[nkv++] = (struct wl_kv){ "tool_version", WL_VERSION };
	kv[nkv++] = (struct wl_kv){ "command", command };
	kv[nkv++] = (struct wl_kv){ "start_realtime_ns", sreal };
	kv[nkv++] = (struct wl_kv){ "start_monotonic_ns", smono };
	kv[nkv++] = (struct wl_kv){ "interval_ns", sint };
	for (i = 0; i < ds->nmeta && nkv < 16; i++)
		kv[nkv++] = (struct wl_kv){ ds->meta[i].key, ds->meta[i].value };
	if (wl_writer_meta(w, kv, nkv, err) < 0 ||
	    wl_writer_sync(w, SIM_MONO0, SIM_REAL0, err) < 0)
		goto out;
	for (i = 0; i < ds->nch && i < 64; i++) {
		struct wl_chan_info ci;
		const struct wl_channel *c = &ds->ch[i];

		wl_trace_chan_of(c, (uint16_t)i, &ci); /* gauges: the model's */
		if (wl_writer_channel(w, &ci, err) < 0)
			goto out;
	}
	/* Samples and markers interleaved in time order (all channels share t). */
	for (k = 0; k <= n; k++) {
		double t = k < n ? ds->ch[0].t[k] : INFINITY;

		while (m < ds->nmk && ds->mk[m].t <= t) {
			const struct wl_marker *mk = &ds->mk[m++];
			uint64_t tn = SIM_MONO0 + (uint64_t)llround(mk->t * 1e9);

			if (wl_writer_marker(w, tn, mk->flags, mk->text, strlen(mk->text), err) < 0)
				goto out;
		}
		if (k == n)
			break;
		for (i = 0; i < ds->nch && i < 64; i++) {
			ids[i] = (uint16_t)i;
			vals[i].f = ds->ch[i].v[k];
		}
		if (wl_writer_sample(w, SIM_MONO0 + (uint64_t)llround(t * 1e9), ids, vals, i,
				     err) < 0)
			goto out;
	}
	rc = wl_writer_flush(w, err);
out:
	wl_writer_free(w);
	return rc;
}

/* The power law of a model file in place of the GPU's: P_idle, P_max,
 * gamma and mfu_sat = x_sat; the name and the clock stay those of --gpu. */
static int use_model(const char *path, struct wl_sim_opts *o, struct wl_sim_gpu *g,
		     struct wl_error *err)
{
	struct wl_fit_model m;

	wl_fit_model_init(&m);
	if (wl_fit_model_read(path, &m, err) < 0) {
		wl_fit_model_release(&m);
		return -1;
	}
	if (m.kind != WL_FIT_POWER_LAW) {
		wl_fit_model_release(&m);
		return wl_error_set(err, "'%s' is a linear model: simulate takes a power-law model",
				    path);
	}
	if (strncmp(m.x[0], "mfu", 3) || (m.x[0][3] && m.x[0][3] != ' '))
		fprintf(stderr, "wattlog simulate: note: '%s' was fitted on '%s'; its parameters "
			"are used as P(mfu)\n", path, m.x[0]);
	*g = *o->gpu;
	g->p_idle_w = m.p[0].value;
	g->p_max_w = m.p[1].value;
	o->gamma = m.p[2].value;
	o->mfu_sat = m.x_sat;
	o->gpu = g;
	wl_fit_model_release(&m);
	return 0;
}

static const struct option longopts[] = {
	{ "schedule", required_argument, NULL, 's' },
	{ "schedule-file", required_argument, NULL, 'S' },
	{ "gpu", required_argument, NULL, 'g' },
	{ "period", required_argument, NULL, 'p' },
	{ "jitter", required_argument, NULL, 'j' },
	{ "noise", required_argument, NULL, 'n' },
	{ "seed", required_argument, NULL, 'r' },
	{ "mfu-sat", required_argument, NULL, 1 },
	{ "gamma", required_argument, NULL, 2 },
	{ "mfu-prefill", required_argument, NULL, 3 },
	{ "mfu-decode", required_argument, NULL, 4 },
	{ "markers", no_argument, NULL, 'm' },
	{ "model", required_argument, NULL, 'M' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_simulate = {
	"wattlog simulate", "--schedule 'idle 2s, prefill 8s, ...' -o OUT.wlog [options]", "o:h", longopts,
};

int cmd_simulate(int argc, char **argv)
{
	struct wl_sim_schedule sched;
	struct wl_sim_opts o;
	struct wl_dataset ds;
	struct wl_error err;
	const char *out = NULL, *model = NULL;
	struct wl_sim_gpu fitted;
	char cmdline[1024] = "wattlog simulate", *text, *end;
	int c, rc = 2, fd, i;
	double v;

	wl_sim_schedule_init(&sched);
	wl_sim_opts_init(&o);
	wl_dataset_init(&ds);
	for (i = 1; i < argc; i++)
		snprintf(cmdline + strlen(cmdline), sizeof(cmdline) - strlen(cmdline), " %s",
			 argv[i]);
	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_simulate, argc, argv)) != -1) {
		switch (c) {
		case 's':
			if (wl_sim_schedule_parse(optarg, "--schedule", &sched, &err) < 0)
				goto fail;
			break;
		case 'S':
			if (!(text = read_file(optarg, &err)))
				goto fail;
			i = wl_sim_schedule_parse(text, optarg, &sched, &err);
			free(text);
			if (i < 0)
				goto fail;
			break;
		case 'g':
			if (!(o.gpu = wl_sim_gpu_find(optarg))) {
				wl_error_set(&err, "unknown --gpu '%s' (A100, H100, A40)", optarg);
				goto fail;
			}
			break;
		case 'p':
		case 'j':
			if (parse_dur(optarg, &v) < 0 || (c == 'p' && !(v > 0))) {
				wl_error_set(&err, "bad --%s '%s': a duration such as 100ms",
					     c == 'p' ? "period" : "jitter", optarg);
				goto fail;
			}
			*(c == 'p' ? &o.period_s : &o.jitter_s) = v;
			break;
		case 'n':
		case 1:
		case 2:
		case 3:
		case 4:
			if (parse_num(optarg, &v) < 0 || v < 0 || (c != 'n' && !(v > 0))) {
				wl_error_set(&err, "bad number '%s' for --%s", optarg,
					     longopts[c == 'n' ? 5 : 6 + c].name);
				goto fail;
			}
			*(c == 'n' ? &o.noise : c == 1 ? &o.mfu_sat : c == 2 ? &o.gamma
			  : c == 3 ? &o.mfu_prefill : &o.mfu_decode) = v;
			break;
		case 'r':
			o.seed = strtoull(optarg, &end, 0);
			if (end == optarg || *end) {
				wl_error_set(&err, "bad --seed '%s': an integer", optarg);
				goto fail;
			}
			break;
		case 'm':
			o.markers = 1;
			break;
		case 'M':
			model = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto done;
		default: goto done;
		}
	}
	if (!sched.n || !out || optind != argc) {
		fprintf(stderr, "wattlog simulate: %s\n", optind != argc ? "unexpected argument" :
			!sched.n ? "missing --schedule or --schedule-file" : "missing -o OUT.wlog");
		wl_usage_short(&wl_cmdline_simulate);
		goto done;
	}
	if (model && use_model(model, &o, &fitted, &err) < 0)
		goto fail;
	if (wl_simulate(&sched, &o, &ds, &err) < 0)
		goto fail;
	if (model && wl_dataset_meta(&ds, "simulate.model", model) < 0) {
		wl_error_set(&err, "out of memory");
		goto fail;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		wl_error_errno(&err, errno, "cannot create '%s'", out);
		goto fail;
	}
	if (write_trace(fd, &ds, &o, cmdline, &err) < 0) {
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		wl_error_errno(&err, errno, "cannot write '%s'", out);
		goto fail;
	}
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "wattlog simulate: %s\n", err.msg);
	rc = 2;
done:
	wl_dataset_release(&ds);
	wl_sim_schedule_release(&sched);
	return rc;
}
