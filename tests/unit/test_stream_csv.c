/*
 * test_stream_csv.c - the streaming report over a GPU CSV log
 * (stream_csv.c, stream.h) on an AIMeter file whose truth is known by
 * construction: two GPUs whose rows interleave, gpu1's first row 50 ms
 * before the file's first row (the origin moves to it), power values with
 * a 0.01 W resolution and a known mode, a host-wide cpu_power (kept from
 * the rows that do not go back in time: gpu0's).  Energy by
 * the trapezoid rule, n/min/max/avg, p50/p95/p99 (GSL's definition, from
 * the sorted values) and the mode are computed here from the generating
 * formula, and compared with what the stream gives.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/analysis.h"
#include "wattlog/ingest.h"
#include "wattlog/report.h"
#include "wattlog/stream.h"

#define N 600 /* rows per GPU, 0.1 s apart */

/* GPU g's power at its k-th row: 100 W three tenths of the time (the
 * mode), else 100 + 2.5 (k mod 10) + 50 g. */
static double power(int g, int k)
{
	return 100 + 50 * g + (k % 10 < 3 ? 0 : 2.5 * (k % 10));
}

/* cpu_power on the j-th row of the file in time order (row j at 0.05 j s
 * after the moved origin; gpu0's rows are the odd ones). */
static double cpu(int j)
{
	return 20 + (j % 4) * 0.25;
}

/* gpu1's rows at 0.1 k s, gpu0's at 0.1 k + 0.05 s (from 10:00:00 UTC),
 * written gpu0 first: the file's first row is not its earliest. */
static const char *fixture(void)
{
	static char path[64];
	FILE *f;
	int fd, k, g;

	strcpy(path, "/tmp/wl-test-stream-csv.XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fprintf(f, "timestamp,task_name,name,index,power.draw [W],cpu_power,utilization.gpu [%%]\n");
	for (k = 0; k < N; k++)
		for (g = 0; g < 2; g++) {
			int cs = k * 10 + (g ? 0 : 5); /* centiseconds */

			fprintf(f, "2025-05-07 10:%02d:%02d.%02d,run,A800,%d,%.2f W,%.2f W,%d.00 %%\n",
				cs / 6000, cs / 100 % 60, cs % 100, g, power(g, k),
				cpu(2 * k + (g ? 0 : 1)), (k * 7) % 101);
		}
	cr_assert_eq(fclose(f), 0);
	return path;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* gsl_stats_quantile_from_sorted_data: (n - 1) f, interpolated. */
static double quantile(const double *s, size_t n, double f)
{
	double idx = (double)(n - 1) * f, d = idx - floor(idx);
	size_t lo = (size_t)floor(idx);

	return lo + 1 < n ? (1 - d) * s[lo] + d * s[lo + 1] : s[lo];
}

static const struct wl_metric_stats *metric(const struct wl_report *r, const char *name,
					    const char *dev)
{
	size_t i;

	for (i = 0; i < r->nmetrics; i++)
		if (!strcmp(r->metrics[i].name, name) && !strcmp(r->metrics[i].device, dev))
			return &r->metrics[i];
	cr_assert_fail("no metric %s %s", name, dev);
	return NULL;
}

static double energy_of(const struct wl_report *r, const char *comp)
{
	size_t i;

	for (i = 0; i < r->energy.n; i++)
		if (!strcmp(r->energy.c[i].name, comp))
			return r->energy.c[i].energy_j;
	cr_assert_fail("no component %s", comp);
	return NAN;
}

/* The streamed report of the AIMeter log at path (zone UTC) with the
 * options o into ds and r (initialised here; the caller releases them);
 * *a, *z: the span pass 1 found. */
static void streamed(const char *path, const struct wl_analysis_opts *o, struct wl_dataset *ds,
		     struct wl_report *r, double *a, double *z)
{
	struct wl_ingest_opts io;
	struct wl_stream *s;
	struct wl_error err;

	memset(&io, 0, sizeof(io));
	io.tz = "UTC";
	wl_dataset_init(ds);
	wl_report_init(r);
	s = wl_stream_open_csv(path, &io, 0, ds, &err);
	cr_assert(s, "%s", err.msg);
	cr_assert(wl_dataset_span(ds, a, z));
	r->t_from = *a;
	r->t_to = *z;
	r->ds = ds;
	cr_assert_eq(wl_stream_analyse(s, o, ds, r, &err), 0, "%s", err.msg);
	wl_stream_free(s);
}

/* The truths, with pass 2 from the spill file (tmpdir NULL) or, when the
 * spill cannot be written (TMPDIR a missing folder), from the file. */
static void truths(const char *tmpdir)
{
	const char *path = fixture();
	struct wl_ingest_opts io;
	struct wl_analysis_opts o;
	struct wl_dataset ds;
	struct wl_report r;
	double a, z, e0 = 0, e1 = 0, ec = 0, v[N], sum = 0;
	const struct wl_metric_stats *m;
	int k, g;

	if (tmpdir)
		setenv("TMPDIR", tmpdir, 1);
	else
		unsetenv("TMPDIR");
	memset(&io, 0, sizeof(io));
	cr_assert_eq(wl_stream_csv_wanted(path, &io, 0), 0, "a small file is loaded");
	cr_assert_eq(wl_stream_csv_wanted(path, &io, 1), 1, "--stream streams it");
	wl_analysis_opts_init(&o);
	streamed(path, &o, &ds, &r, &a, &z);
	cr_assert_str_eq(ds.format, "aimeter");
	/* the origin is gpu1's first row, 10:00:00.00 UTC */
	cr_expect_float_eq(ds.t0_realtime, 1746612000.0, 1e-6, "t0 %.6f", ds.t0_realtime);
	cr_expect_float_eq(a, 0.0, 1e-12);
	cr_expect_float_eq(z, 0.1 * (N - 1) + 0.05, 1e-9);

	/* trapezoid energy by hand: every series 0.1 s apart; cpu_power from
	 * gpu0's rows (gpu1's each go back 50 ms: their host value is dropped) */
	for (k = 0; k + 1 < N; k++) {
		e0 += 0.1 * (power(0, k) + power(0, k + 1)) / 2;
		e1 += 0.1 * (power(1, k) + power(1, k + 1)) / 2;
		ec += 0.1 * (cpu(2 * k + 1) + cpu(2 * k + 3)) / 2;
	}
	cr_expect_float_eq(energy_of(&r, "gpu0"), e0, 1e-9 * e0);
	cr_expect_float_eq(energy_of(&r, "gpu1"), e1, 1e-9 * e1);
	cr_expect_float_eq(energy_of(&r, "cpu"), ec, 1e-9 * ec);

	for (g = 0; g < 2; g++) {
		m = metric(&r, "power.draw", g ? "gpu1" : "gpu0");
		sum = 0;
		for (k = 0; k < N; k++)
			sum += v[k] = power(g, k);
		qsort(v, N, sizeof(v[0]), cmp);
		cr_expect_eq(m->n, (size_t)N);
		cr_expect_float_eq(m->min, 100.0 + 50 * g, 1e-12);
		cr_expect_float_eq(m->max, 122.5 + 50 * g, 1e-12);
		cr_expect_float_eq(m->avg, sum / N, 1e-9);
		cr_expect_float_eq(m->mode, 100.0 + 50 * g, 1e-12);
		cr_expect_float_eq(m->p50, quantile(v, N, 0.50), 1e-9, "p50 %.17g", m->p50);
		cr_expect_float_eq(m->p95, quantile(v, N, 0.95), 1e-9, "p95 %.17g", m->p95);
		cr_expect_float_eq(m->p99, quantile(v, N, 0.99), 1e-9, "p99 %.17g", m->p99);
	}
	m = metric(&r, "cpu_power", "cpu");
	cr_expect_eq(m->n, (size_t)N, "one host value per row forward in time");
	wl_report_release(&r);
	wl_dataset_release(&ds);
	unlink(path);
}

Test(stream_csv, aimeter_truths)
{
	truths(NULL);
}

Test(stream_csv, aimeter_truths_without_spill)
{
	truths("/nonexistent-wattlog-test-dir");
}

/* Only the GPU CSV readers stream: a generic CSV is loaded. */
Test(stream_csv, only_gpu_csv_streams)
{
	struct wl_ingest_opts io;
	char path[] = "/tmp/wl-test-stream-csv.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "time,power [W]\n0,1\n1,2\n");
	fclose(f);
	memset(&io, 0, sizeof(io));
	cr_expect_eq(wl_stream_csv_wanted(path, &io, 1), 0);
	io.format = "aimeter";
	cr_expect_eq(wl_stream_csv_wanted(path, &io, 1), 1, "a declared format is taken");
	io.markers = "m.log";
	cr_expect_eq(wl_stream_csv_wanted(path, &io, 1), 0, "markers load the file");
	unlink(path);
}

/* An AIMeter log at path (mkstemp's template) of one GPU: 2000 rows 0.1 s
 * apart, power p[k] and utilization u[k] on row k. */
static void one_gpu(char *path, const double *p, const double *u)
{
	int fd = mkstemp(path), k;
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fprintf(f, "timestamp,task_name,name,index,power.draw [W],utilization.gpu [%%]\n");
	for (k = 0; k < 2000; k++)
		fprintf(f, "2025-05-07 10:%02d:%02d.%d,run,A800,0,%.2f W,%.2f %%\n", k / 600,
			k / 10 % 60, k % 10, p[k], u[k]);
	cr_assert_eq(fclose(f), 0);
}

/* One GPU: every metric on every row (single-rate).  r over the rows,
 * whatever the grid (an explicit 1 s grid holds 10 rows a bin), streamed
 * and loaded alike: equal to the textbook two-pass Pearson computed here. */
Test(stream_csv, single_rate_r_over_rows)
{
	char path[] = "/tmp/wl-test-stream-csv.XXXXXX";
	static double p[2000], u[2000];
	struct wl_analysis_opts o;
	struct wl_dataset ds;
	struct wl_report r;
	double a, z, mp = 0, mu = 0, sxy = 0, sxx = 0, syy = 0, want;
	int k;

	for (k = 0; k < 2000; k++) {
		p[k] = 80 + (k * 37 % 101) * 0.5 + (k % 50 < 25 ? 200 : 0);
		u[k] = (k * 13 % 97) + (k % 50 < 25 ? 60 : 0);
	}
	one_gpu(path, p, u);
	for (k = 0; k < 2000; k++) {
		mp += p[k] / 2000;
		mu += u[k] / 2000;
	}
	for (k = 0; k < 2000; k++) {
		sxy += (p[k] - mp) * (u[k] - mu);
		sxx += (p[k] - mp) * (p[k] - mp);
		syy += (u[k] - mu) * (u[k] - mu);
	}
	want = sxy / sqrt(sxx * syy);

	wl_analysis_opts_init(&o);
	o.grid_s = 1.0;
	streamed(path, &o, &ds, &r, &a, &z);
	cr_assert(r.have_grid);
	cr_expect_float_eq(r.grid.step_s, 1.0, 1e-12, "the table keeps the grid asked");
	cr_assert_eq(r.corr.n, 2);
	cr_expect_eq(r.corr.nbins, 2000, "every row");
	cr_expect_float_eq(r.corr.r[1], want, 1e-12, "r %.17g, want %.17g", r.corr.r[1], want);
	cr_expect(isnan(r.corr.step_s), "r over the rows: no grid step");
	wl_report_release(&r);
	wl_dataset_release(&ds);
	/* loaded, the same rule (wl_correlate): r over the same rows */
	{
		struct wl_ingest_opts io;
		struct wl_grid g;
		struct wl_correlation c;
		struct wl_error err;

		memset(&io, 0, sizeof(io));
		io.tz = "UTC";
		wl_dataset_init(&ds);
		cr_assert_eq(wl_ingest(path, &io, &ds, &err), 0, "%s", err.msg);
		cr_assert_eq(wl_correlate(&ds, &o, &g, &c, &err), 0, "%s", err.msg);
		cr_expect_eq(c.nbins, 2000, "every row, loaded");
		cr_expect_float_eq(c.r[1], want, 1e-12, "loaded r %.17g, want %.17g", c.r[1], want);
		wl_correlation_release(&c);
		wl_grid_release(&g);
		wl_dataset_release(&ds);
	}
	unlink(path);
}

/* One GPU, a window whose ends fall inside the blocks of rows pass 2 takes
 * at once (up to 248 rows): only the rows in [from, to] count.  n, min,
 * max, mean, the time-weighted average (trapezoids of 0.1 s) and p50/p95
 * (exact: values on a 0.01 grid) by hand from the generating formula;
 * the power takes more distinct values than the counts kept pending. */
Test(stream_csv, window_inside_blocks)
{
	char path[] = "/tmp/wl-test-stream-csv.XXXXXX";
	static double p[2000], u[2000], w[2000];
	struct wl_analysis_opts o;
	struct wl_dataset ds;
	struct wl_report r;
	const struct wl_metric_stats *m;
	double a, z, sum = 0, e = 0, span = 0, lo = INFINITY, hi = -INFINITY;
	int k, n = 0;

	for (k = 0; k < 2000; k++) {
		p[k] = 80 + (k * 37 % 101) * 0.25 + (k % 7 < 3 ? 0 : 100);
		u[k] = k % 3;
	}
	one_gpu(path, p, u);
	for (k = 334; k <= 1500; k++) { /* 0.1 k in [33.35, 150.05] */
		w[n++] = p[k];
		sum += p[k];
		lo = fmin(lo, p[k]);
		hi = fmax(hi, p[k]);
		if (k > 334) {
			e += 0.1 * (p[k - 1] + p[k]) / 2;
			span += 0.1;
		}
	}
	qsort(w, (size_t)n, sizeof(w[0]), cmp);
	wl_analysis_opts_init(&o);
	o.t_from = 33.35;
	o.t_to = 150.05;
	streamed(path, &o, &ds, &r, &a, &z);
	m = metric(&r, "power.draw", "gpu0");
	cr_expect_eq(m->n, (size_t)n);
	cr_expect_float_eq(m->min, lo, 1e-12);
	cr_expect_float_eq(m->max, hi, 1e-12);
	cr_expect_float_eq(m->avg, sum / n, 1e-9);
	cr_expect_float_eq(m->twa, e / span, 1e-9, "twa %.17g, want %.17g", m->twa, e / span);
	cr_expect_float_eq(m->p50, quantile(w, (size_t)n, 0.50), 1e-9, "p50 %.17g", m->p50);
	cr_expect_float_eq(m->p95, quantile(w, (size_t)n, 0.95), 1e-9, "p95 %.17g", m->p95);
	wl_report_release(&r);
	wl_dataset_release(&ds);
	unlink(path);
}
