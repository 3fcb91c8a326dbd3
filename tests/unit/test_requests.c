/*
 * test_requests.c - request-scoped energy (src/analyze/stages/requests.c): equal
 * split among concurrent requests, phases inside requests, tokens, the
 * balance requests + unattributed = total, and a request log joined to an
 * nvidia-smi CSV against the same markers inside a trace.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/requests.h"
#include "wattlog/trace.h"

static struct wl_dataset ds;
static struct wl_phase_list pl;
static struct wl_request_list rl;
static struct wl_error err;

static void setup(void)
{
	wl_dataset_init(&ds);
	wl_phase_list_init(&pl);
	wl_request_list_init(&rl);
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	wl_request_list_release(&rl);
	wl_phase_list_release(&pl);
	wl_dataset_release(&ds);
}

TestSuite(requests, .init = setup, .fini = teardown);

/* A piecewise-linear power log: P at t = 0, 1, ..., 20 s. */
#define NP 21
static const double P[NP] = { 50, 60, 120, 300, 280, 260, 310, 330, 200, 150, 140,
			      90,  80, 60,  55,  240, 250, 230, 220, 70,  50 };

/* Four requests, 1-3 overlapping, each with prefill and decode and tokens
 * (request 4 has a gap between its phases). */
struct win_def {
	const char *label;
	int id;
	double t0, t1;
};
static const struct win_def W[] = {
	{ "request", 1, 1.0, 6.5 },   { "prefill", 1, 1.0, 2.25 }, { "decode", 1, 2.25, 6.5 },
	{ "request", 2, 3.5, 9.75 },  { "prefill", 2, 3.5, 4.0 },  { "decode", 2, 4.0, 9.75 },
	{ "request", 3, 5.25, 12.0 }, { "prefill", 3, 5.25, 6.1 }, { "decode", 3, 6.1, 12.0 },
	{ "request", 4, 14.0, 18.5 }, { "prefill", 4, 14.0, 15.0 }, { "decode", 4, 15.5, 18.5 },
};
#define NW (sizeof(W) / sizeof(W[0]))
static const double TOK_IN[5] = { 0, 100, 200, 50, 10 }, TOK_OUT[5] = { 0, 50, 80, 120, 40 };

/* The test's own P(t): linear between the samples. */
static double p_at(double t)
{
	int i = (int)floor(t);

	if (i >= NP - 1)
		return P[NP - 1];
	return P[i] + (P[i + 1] - P[i]) * (t - i);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Equal split, integrated independently: cut [0, 20] at every sample and
 * window edge; on each piece P is linear (trapezoid exact); its energy is
 * split among the requests open over the piece, each share to the request's
 * phases open over it (equally) or to its unphased part. */
static void expected(double req[5], double ph[5][2], double unph[5], double *unattr,
		     double *total)
{
	double cut[NP + 2 * NW];
	size_t n = 0, i, j;

	for (i = 0; i < NP; i++)
		cut[n++] = (double)i;
	for (i = 0; i < NW; i++) {
		cut[n++] = W[i].t0;
		cut[n++] = W[i].t1;
	}
	qsort(cut, n, sizeof(double), cmp_d);
	memset(req, 0, 5 * sizeof(double));
	memset(ph, 0, 5 * sizeof(ph[0]));
	memset(unph, 0, 5 * sizeof(double));
	*unattr = *total = 0;
	for (i = 0; i + 1 < n; i++) {
		double a = cut[i], b = cut[i + 1], mid = 0.5 * (a + b), e, k = 0;

		if (!(b > a))
			continue;
		e = (b - a) * (p_at(a) + p_at(b)) / 2;
		*total += e;
		for (j = 0; j < NW; j++)
			k += !strcmp(W[j].label, "request") && W[j].t0 < mid && mid < W[j].t1;
		if (k == 0) {
			*unattr += e;
			continue;
		}
		for (j = 0; j < NW; j++) {
			int id = W[j].id, m = 0;
			size_t q;

			if (strcmp(W[j].label, "request") || !(W[j].t0 < mid && mid < W[j].t1))
				continue;
			req[id] += e / k;
			for (q = 0; q < NW; q++)
				m += W[q].id == id && strcmp(W[q].label, "request") &&
				     W[q].t0 < mid && mid < W[q].t1;
			if (!m)
				unph[id] += e / k;
			for (q = 0; q < NW; q++)
				if (W[q].id == id && strcmp(W[q].label, "request") &&
				    W[q].t0 < mid && mid < W[q].t1)
					ph[id][!strcmp(W[q].label, "decode")] += e / k / m;
		}
	}
}

static void build(void)
{
	long c = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	char txt[128];
	size_t i;

	cr_assert(c >= 0 && wl_channel_component(&ds.ch[c], "gpu0") == 0);
	for (i = 0; i < NP; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[c], (double)i, P[i]), 0);
	for (i = 0; i < NW; i++) {
		int id = W[i].id, rq = !strcmp(W[i].label, "request");

		snprintf(txt, sizeof(txt), "begin %s %d%s", W[i].label, id, rq ? "" : "");
		if (rq)
			snprintf(txt, sizeof(txt), "begin request %d tokens_in=%g model=m%d", id,
				 TOK_IN[id], id);
		cr_assert_eq(wl_dataset_marker(&ds, W[i].t0, 0, txt), 0);
		snprintf(txt, sizeof(txt), "end %s %d", W[i].label, id);
		if (rq)
			snprintf(txt, sizeof(txt), "end request %d tokens_out=%g", id, TOK_OUT[id]);
		cr_assert_eq(wl_dataset_marker(&ds, W[i].t1, 0, txt), 0);
	}
}

static size_t label_ix(const char *name)
{
	size_t j;

	for (j = 0; j < rl.nlabels; j++)
		if (!strcmp(rl.label[j], name))
			return j;
	cr_assert_fail("no label %s", name);
	return 0;
}

#define NEAR(a, b) (fabs((a) - (b)) <= 1e-9 * fmax(1, fabs(b)))

Test(requests, equal_split_matches_independent_integration)
{
	double req[5], ph[5][2], unph[5], unattr, total, sum = 0;
	size_t i, jp, jd;

	build();
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), (int)NW, "%s", err.msg);
	/* windows were added one after the other, so only this note: */
	cr_assert_eq(pl.nnotes, 1, "%s", pl.notes[pl.nnotes > 1]);
	cr_assert(strstr(pl.notes[0], "out of time order"));
	cr_assert_eq(wl_requests_compute(&ds, &pl, &rl, &err), 0, "%s", err.msg);
	expected(req, ph, unph, &unattr, &total);
	cr_assert_eq(rl.n, 4);
	cr_assert_eq(rl.nlabels, 2);
	jp = label_ix("prefill");
	jd = label_ix("decode");
	for (i = 0; i < 4; i++) {
		const struct wl_request *q = &rl.r[i];
		int id = atoi(q->id);

		cr_assert_eq(id, (int)i + 1, "order of start");
		cr_expect(NEAR(q->energy_j, req[id]), "request %d: %.12f vs %.12f", id, q->energy_j,
			  req[id]);
		cr_expect(NEAR(rl.phase_j[i * rl.nlabels + jp], ph[id][0]), "prefill %d: %.12f vs %.12f",
			  id, rl.phase_j[i * rl.nlabels + jp], ph[id][0]);
		cr_expect(NEAR(rl.phase_j[i * rl.nlabels + jd], ph[id][1]), "decode %d: %.12f vs %.12f",
			  id, rl.phase_j[i * rl.nlabels + jd], ph[id][1]);
		cr_expect(NEAR(q->unphased_j, unph[id]), "unphased %d", id);
		cr_expect_eq(q->tokens_in, TOK_IN[id]);
		cr_expect_eq(q->tokens_out, TOK_OUT[id]);
		cr_expect(NEAR(q->j_per_token, req[id] / TOK_OUT[id]), "J/token %d", id);
		cr_expect(NEAR(q->avg_power_w, req[id] / (q->end_s - q->start_s)));
		sum += q->energy_j;
	}
	/* request 4 is alone: concurrency 1, gap [15, 15.5] unphased */
	cr_expect(NEAR(rl.r[3].mean_concurrency, 1.0));
	cr_expect(unph[4] > 0);
	/* request 1 on [1, 6.5]: alone on [1, 3.5], with 2 on [3.5, 5.25], with 2
	 * and 3 on [5.25, 6.5]: (2.5 + 2 x 1.75 + 3 x 1.25) / 5.5 */
	cr_expect(NEAR(rl.r[0].mean_concurrency, (2.5 + 3.5 + 3.75) / 5.5));
	cr_expect(NEAR(rl.total_energy_j, total), "%.12f vs %.12f", rl.total_energy_j, total);
	cr_expect(NEAR(rl.unattributed_energy_j, unattr));
	cr_expect(NEAR(rl.requests_energy_j, sum));
	cr_expect(NEAR(rl.requests_energy_j + rl.unattributed_energy_j, rl.total_energy_j));
	cr_expect(NEAR(rl.label_total_j[jp], ph[1][0] + ph[2][0] + ph[3][0] + ph[4][0]));
	/* the distribution: 4 values, p50 by GSL's rule = mean of the middle two */
	{
		double v[4] = { req[1], req[2], req[3], req[4] };

		qsort(v, 4, sizeof(double), cmp_d);
		cr_expect_eq(rl.energy.n, 4);
		cr_expect(NEAR(rl.energy.p50, 0.5 * (v[1] + v[2])));
		cr_expect(NEAR(rl.energy.p95, v[2] + 0.85 * (v[3] - v[2])));
	}
}

/* Without any request open the energy is unattributed; a phase with the ID of
 * no open request is in no request. */
Test(requests, orphans_and_no_power)
{
	cr_assert_eq(wl_dataset_marker(&ds, 1, 0, "begin prefill 9"), 0);
	cr_assert_eq(wl_dataset_marker(&ds, 2, 0, "end prefill 9"), 0);
	cr_assert_eq(wl_dataset_marker(&ds, 3, 0, "begin request 1"), 0);
	cr_assert_eq(wl_dataset_marker(&ds, 4, 0, "end request 1 tokens=10"), 0);
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 2);
	cr_assert_eq(wl_requests_compute(&ds, &pl, &rl, &err), 0, "%s", err.msg);
	cr_assert_eq(rl.n, 1);
	cr_expect_eq(rl.orphan_phases, 1);
	cr_expect_eq(rl.r[0].tokens_out, 10, "tokens stands for tokens_out");
	cr_expect(isnan(rl.r[0].energy_j), "no power: energy absent, not 0");
	cr_expect(isnan(rl.total_energy_j));
}

/* The same run twice: a trace with its markers inside, and an nvidia-smi CSV
 * (wall-clock rows, no zone: --tz UTC) with a request log beside it (epoch
 * and ISO times).  Both give the same requests.  t = 0 at epoch 1.7e9 s
 * (2023-11-14 22:13:20 UTC); power every 0.25 s. */
#define NS 41
static double pw(int i)
{
	return 60.0 + 7.0 * (i % 9) + (i > 20 ? 150.0 : 0.0);
}

static const struct {
	double t;
	const char *text;
} MK[] = {
	{ 0.500, "begin request a tokens_in=5" }, { 0.500, "begin prefill a" },
	{ 1.250, "end prefill a" },		  { 1.250, "begin decode a" },
	{ 2.000, "begin request b" },		  { 2.000, "begin prefill b" },
	{ 2.750, "end prefill b" },		  { 2.750, "begin decode b" },
	{ 6.125, "end decode a" },		  { 6.125, "end request a tokens_out=30" },
	{ 8.500, "end decode b" },		  { 8.500, "end request b tokens_out=12" },
};
#define NMK (sizeof(MK) / sizeof(MK[0]))

static void write_trace(const char *path)
{
	struct wl_kv kv[3] = { { "hostname", "box" }, { "start_monotonic_ns", "5000000000" },
			       { "start_realtime_ns", "1700000000000000000" } };
	struct wl_chan_info c;
	struct wl_writer *w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), i;
	size_t k;

	cr_assert(fd >= 0);
	w = wl_writer_open(fd, 0, &err);
	cr_assert(w, "%s", err.msg);
	cr_assert_eq(wl_writer_meta(w, kv, 3, &err), 0);
	memset(&c, 0, sizeof(c));
	c.id = 1;
	c.kind = WL_KIND_GAUGE;
	c.type = WL_TYPE_F64;
	c.scale = 1;
	strcpy(c.source, "nvml");
	strcpy(c.name, "power.draw");
	strcpy(c.unit, "W");
	strcpy(c.device, "gpu0");
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0, "%s", err.msg);
	for (i = 0; i < NS; i++) {
		uint16_t id = 1;
		union wl_value v = { .f = pw(i) };

		cr_assert_eq(wl_writer_sample(w, 5000000000ull + 250000000ull * (uint64_t)i, &id, &v,
					      1, &err), 0);
	}
	for (k = 0; k < NMK; k++)
		cr_assert_eq(wl_writer_marker(w, 5000000000ull + (uint64_t)(MK[k].t * 1e9 + 0.5), 0,
					      MK[k].text, strlen(MK[k].text), &err), 0);
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	wl_writer_free(w);
	close(fd);
}

static void write_csv_and_log(const char *csv, const char *log)
{
	FILE *f = fopen(csv, "w");
	size_t k;
	int i;

	cr_assert(f);
	fprintf(f, "timestamp, name, index, power.draw [W]\n");
	for (i = 0; i < NS; i++) {
		int ms = 250 * i;

		fprintf(f, "2023/11/14 22:13:%02d.%03d, NVIDIA H100, 0, %.2f W\n", 20 + ms / 1000,
			ms % 1000, pw(i));
	}
	fclose(f);
	f = fopen(log, "w");
	cr_assert(f);
	fprintf(f, "# request log of the same run\n\n");
	for (k = 0; k < NMK; k++) {
		if (k % 2) /* ISO with its zone */
			fprintf(f, "2023-11-14T22:13:%06.3fZ %s\n", 20 + MK[k].t, MK[k].text);
		else
			fprintf(f, "%.3f %s\n", 1700000000.0 + MK[k].t, MK[k].text);
	}
	fclose(f);
}

static void requests_of(const char *path, const struct wl_ingest_opts *o,
			struct wl_request_list *out)
{
	struct wl_dataset d;
	struct wl_phase_list w;

	wl_dataset_init(&d);
	wl_phase_list_init(&w);
	cr_assert_eq(wl_ingest(path, o, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_phases_markers(&d, &w, &err), (int)NMK / 2, "%s", err.msg);
	cr_assert_eq(w.nnotes, 0, "%s", w.nnotes ? w.notes[0] : "");
	cr_assert_eq(wl_requests_compute(&d, &w, out, &err), 0, "%s", err.msg);
	wl_phase_list_release(&w);
	wl_dataset_release(&d);
}

Test(requests, log_joined_to_nvsmi_csv_equals_trace_markers)
{
	char dir[] = "/tmp/wl-test-req.XXXXXX", tr[64], csv[64], log[64];
	struct wl_ingest_opts oc;
	struct wl_request_list a, b;
	size_t i, j;

	cr_assert(mkdtemp(dir));
	snprintf(tr, sizeof(tr), "%s/run.wlog", dir);
	snprintf(csv, sizeof(csv), "%s/gpu.csv", dir);
	snprintf(log, sizeof(log), "%s/req.log", dir);
	write_trace(tr);
	write_csv_and_log(csv, log);
	memset(&oc, 0, sizeof(oc));
	oc.format = "nvidia-smi";
	oc.tz = "UTC";
	oc.markers = log;
	wl_request_list_init(&a);
	wl_request_list_init(&b);
	requests_of(tr, NULL, &a);
	requests_of(csv, &oc, &b);
	cr_assert_eq(a.n, 2);
	cr_assert_eq(b.n, 2);
	cr_assert_eq(a.nlabels, b.nlabels);
	for (i = 0; i < 2; i++) {
		cr_expect_str_eq(a.r[i].id, b.r[i].id);
		cr_expect(fabs(a.r[i].start_s - b.r[i].start_s) < 1e-6);
		cr_expect(fabs(a.r[i].energy_j - b.r[i].energy_j) < 1e-6 * a.r[i].energy_j,
			  "%s: %.9f vs %.9f", a.r[i].id, a.r[i].energy_j, b.r[i].energy_j);
		cr_expect_eq(a.r[i].tokens_out, b.r[i].tokens_out);
		for (j = 0; j < a.nlabels; j++)
			cr_expect(fabs(a.phase_j[i * a.nlabels + j] - b.phase_j[i * b.nlabels + j]) <
				  1e-6 * a.r[i].energy_j);
	}
	/* request a alone on [0.5, 2]: the trapezoid of the samples there by hand */
	{
		double e = 0;
		int k;

		for (k = 2; k < 8; k++)
			e += 0.25 * (pw(k) + pw(k + 1)) / 2;
		cr_expect(a.r[0].energy_j > e, "a has its alone part and a share after");
	}
	cr_expect(fabs(a.total_energy_j - b.total_energy_j) < 1e-6 * a.total_energy_j);
	wl_request_list_release(&a);
	wl_request_list_release(&b);
	unlink(tr);
	unlink(csv);
	unlink(log);
	rmdir(dir);
}

/* A log line that is not TIME begin|end LABEL is an error naming file and line. */
Test(requests, bad_log_line)
{
	char path[] = "/tmp/wl-test-reqlog.XXXXXX";
	int fd = mkstemp(path);
	struct wl_ingest_opts o;

	cr_assert(fd >= 0);
	cr_assert(write(fd, "1700000000.5 begin request 1\nyesterday begin request 2\n", 56) == 56);
	close(fd);
	ds.t0_realtime = 1700000000.0;
	memset(&o, 0, sizeof(o));
	cr_expect_eq(wl_ingest_markers(path, &o, &ds, &err), -1);
	cr_expect(strstr(err.msg, "line 2: time 'yesterday' is neither ISO 8601 nor an epoch"),
		  "%s", err.msg);
	ds.t0_realtime = NAN;
	cr_expect_eq(wl_ingest_markers(path, &o, &ds, &err), -1);
	cr_expect(strstr(err.msg, "no wall-clock time"), "%s", err.msg);
	unlink(path);
}

/* Two RAPL packages in the cpu component, one of them never changing (a
 * counter "not updating": no power): the requests get the other's energy,
 * as the report counts it, not NaN; with no counter moving, unknown. */
Test(requests, counter_not_updating_adds_nothing)
{
	long a = wl_dataset_channel(&ds, "package-0", "uJ", "package-0", "rapl", WL_DS_COUNTER, 0);
	long b = wl_dataset_channel(&ds, "package-1", "uJ", "package-1", "rapl", WL_DS_COUNTER, 0);
	int i;

	cr_assert(a >= 0 && b >= 0);
	cr_assert_eq(wl_channel_component(&ds.ch[a], "cpu"), 0);
	cr_assert_eq(wl_channel_component(&ds.ch[b], "cpu"), 0);
	for (i = 0; i <= 10; i++) { /* package-0: 20 W (2e6 uJ per 0.1 s) */
		cr_assert_eq(wl_channel_push(&ds.ch[a], 0.1 * i, 1e6 + 2e6 * i), 0);
		cr_assert_eq(wl_channel_push(&ds.ch[b], 0.1 * i, 5e6), 0);
	}
	cr_assert_eq(wl_dataset_marker(&ds, 0.2, 0, "begin request 1"), 0);
	cr_assert_eq(wl_dataset_marker(&ds, 0.7, 0, "end request 1"), 0);
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 1);
	cr_assert_eq(wl_requests_compute(&ds, &pl, &rl, &err), 0, "%s", err.msg);
	cr_expect(NEAR(rl.r[0].energy_j, 20 * 0.5), "%f", rl.r[0].energy_j);
	cr_expect(NEAR(rl.total_energy_j, 20 * 1.0), "%f", rl.total_energy_j);
	wl_request_list_release(&rl);
	for (i = 0; i <= 10; i++) /* now package-0 stands still too */
		ds.ch[a].v[i] = 1e6;
	cr_assert_eq(wl_requests_compute(&ds, &pl, &rl, &err), 0, "%s", err.msg);
	cr_expect(isnan(rl.r[0].energy_j), "%f", rl.r[0].energy_j);
	cr_expect(isnan(rl.total_energy_j));
}

/* A marker of a merged job's node: text with the display suffix, node field. */
static void mk_node(double t, const char *text, const char *node)
{
	char txt[64];

	snprintf(txt, sizeof(txt), "%s @%s", text, node);
	cr_assert_eq(wl_dataset_marker(&ds, t, 0, txt), 0);
	cr_assert_eq(wl_marker_node(&ds.mk[ds.nmk - 1], node), 0);
}

/* Two nodes' requests of the same ID open at once: a phase belongs to the
 * request of its own node (the markers' node field).  60 W throughout;
 * request 1 on n1 over [1, 5], on n2 over [2, 6], a prefill of n1 over
 * [3, 4] while both are open.  By hand: n1's request 60 x 1 + 30 x 3 =
 * 150 J, of which its prefill 30 x 1 = 30 J; n2's request 30 x 3 + 60 x 1
 * = 150 J, no prefill. */
Test(requests, same_id_on_two_nodes_keeps_phases_on_their_node)
{
	long c = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	int i;

	cr_assert(c >= 0 && wl_channel_component(&ds.ch[c], "gpu0") == 0);
	for (i = 0; i <= 8; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[c], (double)i, 60), 0);
	mk_node(1, "begin request 1", "n1");
	mk_node(2, "begin request 1", "n2");
	mk_node(3, "begin prefill 1", "n1");
	mk_node(4, "end prefill 1", "n1");
	mk_node(5, "end request 1", "n1");
	mk_node(6, "end request 1", "n2");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 3, "%s", err.msg);
	cr_assert_eq(wl_requests_compute(&ds, &pl, &rl, &err), 0, "%s", err.msg);
	cr_assert_eq(rl.n, 2);
	cr_assert_eq(rl.nlabels, 1);
	cr_expect_str_eq(rl.label[0], "prefill");
	cr_expect_eq(rl.orphan_phases, 0);
	cr_expect(fabs(rl.r[0].start_s - 1) < 1e-12 && fabs(rl.r[1].start_s - 2) < 1e-12);
	cr_expect(fabs(rl.r[0].energy_j - 150) < 1e-9, "%f", rl.r[0].energy_j);
	cr_expect(fabs(rl.phase_j[0] - 30) < 1e-9, "%f", rl.phase_j[0]);
	cr_expect(fabs(rl.r[0].unphased_j - 120) < 1e-9, "%f", rl.r[0].unphased_j);
	cr_expect(fabs(rl.r[1].energy_j - 150) < 1e-9, "%f", rl.r[1].energy_j);
	cr_expect(isnan(rl.phase_j[1]), "n2's request has no prefill: %f", rl.phase_j[1]);
	cr_expect(fabs(rl.r[1].unphased_j - 150) < 1e-9, "%f", rl.r[1].unphased_j);
}
