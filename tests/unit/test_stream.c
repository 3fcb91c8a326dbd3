/*
 * test_stream.c - the streaming report (stream.h) against the in-memory
 * stages on traces whose truth is known by construction: a RAPL counter
 * that wraps and repeats a read, a GPU power gauge with a 3 s gap, a GPU
 * energy counter, an integer utilization, a noisy temperature; load is a
 * square wave (phases).  Equal to 1e-9 relative: energy per component,
 * channel and total, avg/min/max/std/twa, correlation r; percentiles within
 * the histogram's bound; phases within one decimation bin.  Counters that
 * are not energy (bytes, packets): their statistics are of their rate, by
 * hand in both paths.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/analysis.h"
#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/report.h"
#include "wattlog/stream.h"
#include "wattlog/trace.h"

#define SECS 120
#define RATE 100 /* Hz */
#define GAP_FROM 50.0
#define GAP_TO 53.0
#define WRAP (1ull << 32)

static double truth_pkg_j; /* energy put into the package counter, J */
static int spoil; /* the fixture holds a 1e308 W power read and a package reset */

static double load_at(double t)
{
	return fmod(t, 20.0) < 12.0 ? 1.0 : 0.0;
}

/* A channel record: a counter as u64, a gauge as f64, scale 1. */
static void add_chan(struct wl_writer *w, uint16_t id, const char *src, const char *name,
		     const char *unit, const char *dev, int kind, uint64_t wrap)
{
	struct wl_chan_info c;
	struct wl_error err;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.kind = (uint8_t)kind;
	c.type = kind == WL_KIND_COUNTER ? WL_TYPE_U64 : WL_TYPE_F64;
	c.wrap = wrap;
	c.scale = 1.0;
	snprintf(c.source, sizeof(c.source), "%s", src);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.unit, sizeof(c.unit), "%s", unit);
	snprintf(c.device, sizeof(c.device), "%s", dev);
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0, "%s", err.msg);
}

/* Writes the fixture trace; returns its path (static buffer). */
static const char *fixture(void)
{
	static char path[64];
	static const struct wl_kv meta[] = {
		{ "start_monotonic_ns", "1000000000" },
		{ "start_realtime_ns", "1700000000000000000" },
	};
	static const struct { const char *src, *name, *unit, *dev; int kind; } chans[] = {
		{ "rapl", "package-0", "uJ", "package-0", WL_KIND_COUNTER },
		{ "nvml", "power.draw", "W", "gpu0", WL_KIND_GAUGE },
		{ "nvml", "energy", "mJ", "gpu0", WL_KIND_COUNTER },
		{ "nvml", "utilization.gpu", "%", "gpu0", WL_KIND_GAUGE },
		{ "nvml", "temperature.gpu", "C", "gpu0", WL_KIND_GAUGE },
	};
	struct wl_error err;
	struct wl_writer *w;
	uint64_t pkg = WRAP - 2000000000ull, gpu = 0; /* the package wraps after ~14 s */
	unsigned x = 7;
	size_t i, k;
	int fd;

	strcpy(path, "/tmp/wl-test-stream.XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	w = wl_writer_open(fd, 4096, &err);
	cr_assert(w);
	cr_assert_eq(wl_writer_meta(w, meta, 2, &err), 0);
	for (i = 0; i < 5; i++)
		add_chan(w, (uint16_t)(i + 1), chans[i].src, chans[i].name, chans[i].unit,
			 chans[i].dev, chans[i].kind, i == 0 ? WRAP : 0);
	truth_pkg_j = 0;
	for (k = 0; k <= SECS * RATE; k++) {
		double t = (double)k / RATE, load = load_at(t), noise;
		uint16_t ids[5] = { 1, 2, 3, 4, 5 };
		union wl_value v[5];
		uint64_t t_ns = 1000000000ull + (uint64_t)k * (1000000000ull / RATE);
		uint64_t inc;

		x = x * 1103515245u + 12345u;
		noise = (double)(x >> 8) / (1 << 24) - 0.5;
		/* package: +(60 + 80 load) W over 1/RATE s, except one repeated
		 * read at k = 500 (merged, never a zero) */
		inc = k && k != 500 ? (uint64_t)((60 + 80 * load + 5 * noise) * 1e6 / RATE) : 0;
		if (k == 501)
			inc += (uint64_t)((60 + 80 * load) * 1e6 / RATE);
		pkg = (pkg + inc) % WRAP;
		truth_pkg_j += (double)inc * 1e-6;
		v[0].u = pkg;
		v[1].f = 80 + 220 * load + 10 * noise;
		gpu += k ? (uint64_t)(v[1].f * 1e3 / RATE) : 0;
		if (spoil && k == 3000)
			v[1].f = 1e308;
		if (spoil && k == 6000)
			v[0].u = pkg = 1000; /* restarted near zero */
		v[2].u = gpu;
		v[3].f = rint(100 * load + 3 * noise);
		v[4].f = 40 + 25 * load + noise;
		if (t > GAP_FROM && t < GAP_TO) /* the GPU power gauge is silent */
			cr_assert_eq(wl_writer_sample(w, t_ns, ids, v, 1, &err), 0);
		else
			cr_assert_eq(wl_writer_sample(w, t_ns, ids, v, 5, &err), 0);
	}
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	wl_writer_free(w);
	close(fd);
	return path;
}

static void near(double a, double b, double rel, const char *what)
{
	if (isnan(a) || isnan(b)) {
		cr_expect(isnan(a) && isnan(b), "%s: %.17g vs %.17g", what, a, b);
		return;
	}
	cr_expect(fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-300,
		  "%s: in memory %.17g, streamed %.17g", what, a, b);
}

struct both {
	struct wl_dataset mem, dec;
	struct wl_report rs;
	struct wl_energy em;
	struct wl_metric_stats *sm;
	size_t nsm;
	struct wl_grid gm;
	struct wl_correlation cm;
};

static void run_both(const char *path, const struct wl_analysis_opts *o, struct both *b)
{
	struct wl_ingest_opts io;
	struct wl_error err;
	struct wl_stream *s;
	double a, z;

	memset(&io, 0, sizeof(io));
	memset(b, 0, sizeof(*b));
	wl_dataset_init(&b->mem);
	wl_dataset_init(&b->dec);
	wl_report_init(&b->rs);
	cr_assert_eq(wl_ingest(path, &io, &b->mem, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_energy_compute(&b->mem, o, NULL, &b->em, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_stats_dataset(&b->mem, o, &b->sm, &b->nsm, &b->mem.assume, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(wl_resample(&b->mem, o, &b->gm, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_correlation_compute(&b->gm, o, &b->cm, &err), 0, "%s", err.msg);

	s = wl_stream_open(path, o->max_power_w, &b->dec, &err);
	cr_assert(s, "%s", err.msg);
	cr_assert(wl_dataset_span(&b->dec, &a, &z));
	b->rs.t_from = a;
	b->rs.t_to = z;
	b->rs.ds = &b->dec;
	cr_assert_eq(wl_stream_analyse(s, o, &b->dec, &b->rs, &err), 0, "%s", err.msg);
	wl_stream_free(s);
}

static void release_both(struct both *b)
{
	wl_energy_release(&b->em);
	free(b->sm);
	wl_grid_release(&b->gm);
	wl_correlation_release(&b->cm);
	wl_report_release(&b->rs);
	wl_dataset_release(&b->mem);
	wl_dataset_release(&b->dec);
}

/* Energy per component, channel and total alike in both paths. */
static void compare_energy(const struct both *b)
{
	const struct wl_energy *es = &b->rs.energy;
	size_t i;

	cr_assert_eq(es->n, b->em.n);
	for (i = 0; i < es->n; i++) {
		const struct wl_component_energy *m = &b->em.c[i], *s = &es->c[i];

		cr_expect_str_eq(s->name, m->name);
		cr_expect_str_eq(s->method, m->method);
		near(m->energy_j, s->energy_j, 1e-9, m->name);
		near(m->counter_j, s->counter_j, 1e-9, "counter_j");
		near(m->gauge_j, s->gauge_j, 1e-9, "gauge_j");
		near(m->duration_s, s->duration_s, 1e-9, "duration");
		near(m->peak_power_w, s->peak_power_w, 1e-9, "peak");
		near(m->gap_s, s->gap_s, 1e-9, "gap_s");
		near(m->gap_j, s->gap_j, 1e-9, "gap_j");
		near(m->gap_lo_j, s->gap_lo_j, 1e-9, "gap_lo_j");
		near(m->gap_hi_j, s->gap_hi_j, 1e-9, "gap_hi_j");
		near(m->avg_power_w, s->avg_power_w, 1e-9, "avg_power_w");
		cr_expect_eq(s->partial, m->partial);
		cr_expect_eq(s->ngaps, m->ngaps, "%s gaps", m->name);
		cr_expect_eq(s->in_total, m->in_total);
	}
	near(b->em.total_j, es->total_j, 1e-9, "total");
	near(b->em.duration_s, es->duration_s, 1e-9, "total duration");
	near(b->em.gap_j, es->gap_j, 1e-9, "total gap_j");
	cr_assert_eq(es->nch, b->em.nch);
	for (i = 0; i < es->nch; i++)
		near(b->em.ch[i].energy_j, es->ch[i].energy_j, 1e-9, b->em.ch[i].name);
}

static void compare(const struct both *b)
{
	size_t i, j;

	compare_energy(b);
	cr_assert_eq(b->rs.nmetrics, b->nsm);
	for (i = 0; i < b->nsm; i++) {
		const struct wl_metric_stats *m = &b->sm[i], *s = &b->rs.metrics[i];
		/* the histogram's bin over the whole trace's range of the metric */
		double bound = (m->max - m->min) / WL_STREAM_BINS * 1.000001 + 1e-12;

		cr_expect_str_eq(s->name, m->name);
		cr_expect_eq(s->n, m->n, "%s n", m->name);
		near(m->avg, s->avg, 1e-9, "avg");
		near(m->min, s->min, 1e-9, "min");
		near(m->max, s->max, 1e-9, "max");
		near(m->std, s->std, 1e-9, "std");
		near(m->twa, s->twa, 1e-9, "twa");
		near(m->resolution, s->resolution, 0, "resolution");
		near(m->mode, s->mode, 1e-12, "mode");
		cr_expect(fabs(m->p50 - s->p50) <= bound, "%s p50 %.17g vs %.17g (bound %g)",
			  m->name, m->p50, s->p50, bound);
		cr_expect(fabs(m->p95 - s->p95) <= bound, "%s p95 %.17g vs %.17g", m->name, m->p95,
			  s->p95);
		cr_expect(fabs(m->p99 - s->p99) <= bound, "%s p99 %.17g vs %.17g", m->name, m->p99,
			  s->p99);
	}
	cr_assert(b->rs.have_grid);
	cr_assert_eq(b->rs.grid.nbins, b->gm.nbins);
	near(b->gm.step_s, b->rs.grid.step_s, 0, "grid step");
	cr_assert_eq(b->rs.corr.n, b->cm.n);
	for (i = 0; i < b->cm.n; i++)
		for (j = 0; j < b->cm.n; j++) {
			double rm = b->cm.r[i * b->cm.n + j], rs = b->rs.corr.r[i * b->cm.n + j];
			cr_expect(fabs(rm - rs) <= 1e-9 || (isnan(rm) && isnan(rs)),
				  "r[%zu][%zu] %.17g vs %.17g", i, j, rm, rs);
		}
}

Test(stream, equals_in_memory_with_wrap_repeat_and_gap)
{
	const char *path = fixture();
	struct wl_analysis_opts o;
	struct both b;
	size_t pk;

	wl_analysis_opts_init(&o);
	run_both(path, &o, &b);
	compare(&b);
	/* the truths by construction: the package energy through the wrap
	 * and the repeated read; the 3 s gap of the GPU gauge */
	pk = 0;
	cr_assert_str_eq(b.rs.energy.c[pk].name, "cpu");
	near(truth_pkg_j, b.rs.energy.c[pk].energy_j, 1e-9, "package truth");
	cr_expect_eq(b.rs.energy.c[1].ngaps, 0); /* gpu0: the counter wins */
	for (size_t i = 0; i < b.rs.energy.nch; i++)
		if (!strcmp(b.rs.energy.ch[i].name, "power.draw gpu0"))
			cr_expect(b.rs.energy.ch[i].energy_j > 0);
	{
		int gapwarn = 0;
		for (size_t i = 0; i < b.dec.nwarn; i++)
			gapwarn |= strstr(b.dec.warn[i], "power.draw gpu0: gap of") != NULL;
		cr_expect(!gapwarn, "the gauge is not the best class of gpu0: no gap warning");
	}
	release_both(&b);
	unlink(path);
}

Test(stream, equals_in_memory_in_a_window)
{
	const char *path = fixture();
	struct wl_analysis_opts o;
	struct both b;

	wl_analysis_opts_init(&o);
	o.t_from = 33.333;
	o.t_to = 77.777;
	o.grid_s = 0.05;
	run_both(path, &o, &b);
	compare(&b);
	release_both(&b);
	unlink(path);
}

/* The gauge alone makes a component whose best class has a gap: counted
 * and measured as in memory, with the same warnings. */
Test(stream, gauge_gap_counted)
{
	const char *path = fixture();
	struct wl_analysis_opts o;
	struct both b;
	size_t i, gm = 0, gs = 0;

	wl_analysis_opts_init(&o);
	o.max_gap_s = 1.0;
	run_both(path, &o, &b);
	compare(&b);
	/* gpu0's gauge (not chosen: the counter covers gpu0) bridges its
	 * 3 s gap; left out with --no-bridge, in both paths alike */
	double bridged = b.em.c[1].gauge_j;
	cr_assert_str_eq(b.em.c[1].name, "gpu0");
	release_both(&b);
	o.no_bridge = 1;
	run_both(path, &o, &b);
	compare(&b);
	cr_expect_lt(b.em.c[1].gauge_j, bridged - 100, "the 3 s gap of a >100 W gauge left out");
	for (i = 0; i < b.rs.energy.nch; i++)
		if (!strcmp(b.rs.energy.ch[i].name, "power.draw gpu0"))
			break;
	cr_assert(i < b.rs.energy.nch);
	for (i = 0; i < b.mem.nwarn; i++)
		gm += strstr(b.mem.warn[i], "gap of") != NULL;
	for (i = 0; i < b.dec.nwarn; i++)
		gs += strstr(b.dec.warn[i], "gap of") != NULL;
	cr_expect_eq(gs, gm);
	release_both(&b);
	unlink(path);
}

/* Implausible values (a 1e308 W power read, a package counter that
 * restarts near zero) are excluded and named alike in both paths, and the
 * energies agree. */
Test(stream, implausible_values_alike)
{
	const char *path;
	struct wl_analysis_opts o;
	struct both b;
	size_t i, vm = 0, vs = 0;

	spoil = 1;
	path = fixture();
	spoil = 0;
	wl_analysis_opts_init(&o);
	run_both(path, &o, &b);
	compare_energy(&b); /* statistics keep the 1e308 reading: not compared */
	{
		struct wl_energy e;
		struct wl_error err;

		cr_assert_eq(wl_energy_compute(&b.mem, &o, &b.mem, &e, &err), 0, "%s", err.msg);
		wl_energy_release(&e);
	}
	for (i = 0; i < b.mem.assume.n; i++)
		vm += b.mem.assume.a[i].kind == WL_ASSUME_VALUE;
	for (i = 0; i < b.dec.assume.n; i++)
		vs += b.dec.assume.a[i].kind == WL_ASSUME_VALUE;
	cr_expect_eq(vm, 2, "the 1e308 W read and the reset named in memory (%zu)", vm);
	cr_expect_eq(vs, vm, "and as many in the streamed report");
	release_both(&b);
	unlink(path);
}

Test(stream, phases_within_one_bin)
{
	const char *path = fixture();
	struct wl_analysis_opts o;
	struct wl_phase_opts po;
	struct wl_phase_list pm, ps;
	struct wl_error err;
	struct both b;
	size_t i;

	wl_analysis_opts_init(&o);
	run_both(path, &o, &b);
	wl_phase_opts_init(&po);
	wl_phase_list_init(&pm);
	wl_phase_list_init(&ps);
	cr_assert_eq(wl_phases_find(&b.mem, &po, &pm, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_phases_find(&b.dec, &po, &ps, &err), 0, "%s", err.msg);
	cr_assert_eq(ps.n, pm.n, "%zu phases streamed, %zu in memory", ps.n, pm.n);
	cr_assert(pm.n >= 10, "the square wave of period 20 s over 120 s gives 12 phases");
	for (i = 0; i < pm.n; i++) {
		cr_expect_str_eq(ps.p[i].label, pm.p[i].label);
		/* one decimation bin plus one sample period */
		cr_expect(fabs(ps.p[i].start_s - pm.p[i].start_s) <= WL_STREAM_DECIM_S + 1.0 / RATE,
			  "phase %zu starts at %.3f vs %.3f", i, ps.p[i].start_s, pm.p[i].start_s);
		cr_expect(fabs(ps.p[i].end_s - pm.p[i].end_s) <= WL_STREAM_DECIM_S + 1.0 / RATE);
	}
	/* the phases tile the trace: their energy sums to the total */
	near(b.rs.energy.total_j, ps.total_energy_j, 1e-6, "phase total");
	wl_phase_list_release(&pm);
	wl_phase_list_release(&ps);
	release_both(&b);
	unlink(path);
}

/* Counters that are not energy, at 8 Hz (times exact in binary) over
 * 100 s: rx (B, no wrap declared) grows 12500 B a read (100000 B/s) to
 * t = 50 s, then 37500 B a read (300000 B/s); its read at t = 20 s repeats
 * the one before (merged: the next interval is 0.25 s of 100000 B/s), and
 * at t = 70 s it restarts at 0 (a decrease: left out).  pkts (wrap
 * 1000000) grows 6250 a read from 900000: 50000 /s throughout, through its
 * wraps.  A load gauge gives the grid. */
static const char *rate_fixture(void)
{
	static char path[64];
	static const struct wl_kv meta[] = { { "start_monotonic_ns", "1000000000" } };
	static const struct { const char *src, *name, *unit; int kind; uint64_t wrap; } chans[] = {
		{ "procfs", "rx", "B", WL_KIND_COUNTER, 0 },
		{ "procfs", "pkts", "packets", WL_KIND_COUNTER, 1000000 },
		{ "procfs", "cpu_busy", "%", WL_KIND_GAUGE, 0 },
	};
	struct wl_error err;
	struct wl_writer *w;
	uint64_t rx = 0, pk = 900000;
	size_t i, k;
	int fd;

	strcpy(path, "/tmp/wl-test-rate.XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	w = wl_writer_open(fd, 4096, &err);
	cr_assert(w);
	cr_assert_eq(wl_writer_meta(w, meta, 1, &err), 0);
	for (i = 0; i < 3; i++)
		add_chan(w, (uint16_t)(i + 1), chans[i].src, chans[i].name, chans[i].unit, "",
			 chans[i].kind, chans[i].wrap);
	for (k = 0; k <= 800; k++) {
		uint16_t ids[3] = { 1, 2, 3 };
		union wl_value v[3];

		if (k && k != 160)
			rx += (k <= 400 ? 12500 : 37500) * (k == 161 ? 2 : 1);
		if (k == 560)
			rx = 0;
		pk = k ? (pk + 6250) % 1000000 : pk;
		v[0].u = rx;
		v[1].u = pk;
		v[2].f = load_at((double)k / 8) * 90 + 5;
		cr_assert_eq(wl_writer_sample(w, 1000000000ull + k * 125000000ull, ids, v, 3, &err),
			     0);
	}
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	wl_writer_free(w);
	close(fd);
	return path;
}

static const struct wl_metric_stats *metric(const struct wl_metric_stats *m, size_t n,
					    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	cr_assert_fail("no metric '%s'", name);
	return NULL;
}

/* A counter's statistics are of its rate, in both paths alike, equal to
 * the rates put in; the rule is stated, the same in both. */
Test(stream, counter_rates_by_hand)
{
	const char *path = rate_fixture();
	struct wl_analysis_opts o;
	const struct wl_metric_stats *x;
	struct both b;
	size_t i, pass;

	wl_analysis_opts_init(&o);
	run_both(path, &o, &b);
	compare(&b);
	for (pass = 0; pass < 2; pass++) {
		const struct wl_metric_stats *m = pass ? b.rs.metrics : b.sm;
		size_t n = pass ? b.rs.nmetrics : b.nsm;

		/* rx: 399 intervals of 100000 B/s (400 less the merged one), 399
		 * of 300000 B/s (400 less the restart); twa = growth / time:
		 * (100000 x 50 + 300000 x 49.875) / 99.875 */
		x = metric(m, n, "rx (rate)");
		cr_expect_str_eq(x->unit, "B/s");
		cr_expect_eq(x->n, 798);
		near(x->avg, 200000, 1e-9, "rx avg");
		near(x->min, 100000, 1e-9, "rx min");
		near(x->max, 300000, 1e-9, "rx max");
		near(x->p50, 200000, 1e-9, "rx p50"); /* between x(398) and x(399) */
		near(x->twa, (100000 * 50.0 + 300000 * 49.875) / 99.875, 1e-9, "rx twa");
		x = metric(m, n, "pkts (rate)");
		cr_expect_str_eq(x->unit, "packets/s");
		cr_expect_eq(x->n, 800);
		near(x->min, 50000, 1e-9, "pkts min");
		near(x->max, 50000, 1e-9, "pkts max");
		near(x->twa, 50000, 1e-9, "pkts twa");
		x = metric(m, n, "cpu_busy");
		cr_expect_str_eq(x->unit, "%");
	}
	cr_assert_eq(b.dec.assume.n, b.mem.assume.n);
	for (i = 0; i < b.mem.assume.n; i++)
		cr_expect_str_eq(b.dec.assume.a[i].text, b.mem.assume.a[i].text);
	{
		int rx = 0, pk = 0;

		for (i = 0; i < b.mem.assume.n; i++) {
			const char *t = b.mem.assume.a[i].text;

			rx |= !strncmp(t, "rx: a counter; its statistics are of its rate in B/s", 52) &&
			      strstr(t, "no wrap declared: a decrease is a restart, left out (1, "
					"the first at t=70.000 s)");
			pk |= !strncmp(t, "pkts:", 5) &&
			      strstr(t, "a decrease adds its declared wrap of 1000000 packets");
		}
		cr_expect(rx, "the rx rule stated");
		cr_expect(pk, "the pkts rule stated");
	}
	release_both(&b);
	unlink(path);
}

Test(stream, wanted_by_magic_and_size)
{
	const char *path = fixture();
	char other[] = "/tmp/wl-test-stream-csv.XXXXXX";
	int fd = mkstemp(other);

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "t,power\n0,1\n", 12), 12);
	close(fd);
	cr_expect_eq(wl_stream_wanted(path, 1), 1);
	cr_expect_eq(wl_stream_wanted(path, 0), 0); /* far below the threshold */
	cr_expect_eq(wl_stream_wanted(other, 1), 0);
	cr_expect_eq(wl_stream_wanted("/nonexistent/x.wlog", 1), 0);
	unlink(other);
	unlink(path);
}

/* Pass 1 gives every channel the component wl_ingest_trace gives it (the
 * rule is wl_trace_channel_add in both paths), and the same
 * metadata, markers, origin and wall clock. */
Test(stream, pass1_frame_equals_ingest)
{
	static const struct { const char *src, *name, *dev; } chans[] = {
		{ "nvml", "power.draw.instant", "gpu1" }, { "nvml", "clocks.sm", "gpu1" },
		{ "powercap", "psys", "psys" }, { "powercap", "core", "package-0" },
		{ "rapl", "package-1", "package-1" }, { "pm_counters", "accel12_energy", "" },
		{ "pm_counters", "memory_power", "" }, { "pm_counters", "energy", "" },
		{ "pm_counters", "cpu_power", "" }, { "procfs", "cpu_busy", "" },
	};
	static const struct wl_kv meta[] = { { "start_monotonic_ns", "5000000000" },
					     { "hostname", "h" } };
	char path[] = "/tmp/wl-test-stream-frame.XXXXXX";
	struct wl_dataset a, b;
	struct wl_ingest_opts io;
	struct wl_error err;
	struct wl_writer *w;
	struct wl_stream *s;
	size_t i, k;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	w = wl_writer_open(fd, 0, &err);
	cr_assert(w);
	cr_assert_eq(wl_writer_meta(w, meta, 2, &err), 0);
	for (i = 0; i < sizeof(chans) / sizeof(chans[0]); i++) {
		struct wl_chan_info c;

		memset(&c, 0, sizeof(c));
		c.id = (uint16_t)(10 + i);
		c.scale = 1;
		snprintf(c.source, sizeof(c.source), "%s", chans[i].src);
		snprintf(c.name, sizeof(c.name), "%s", chans[i].name);
		snprintf(c.unit, sizeof(c.unit), "W");
		snprintf(c.device, sizeof(c.device), "%s", chans[i].dev);
		cr_assert_eq(wl_writer_channel(w, &c, &err), 0);
	}
	cr_assert_eq(wl_writer_sync(w, 5000000000ull, 1700000000000000000ull, &err), 0);
	for (k = 0; k < 3; k++) {
		uint16_t ids[10];
		union wl_value v[10];

		for (i = 0; i < 10; i++) {
			ids[i] = (uint16_t)(10 + i);
			v[i].f = (double)(k + i);
		}
		cr_assert_eq(wl_writer_sample(w, 6000000000ull + k * 1000000000ull, ids, v, 10,
					      &err), 0);
	}
	cr_assert_eq(wl_writer_marker(w, 6500000000ull, 0, "begin x", 7, &err), 0);
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	wl_writer_free(w);
	close(fd);
	memset(&io, 0, sizeof(io));
	wl_dataset_init(&a);
	wl_dataset_init(&b);
	cr_assert_eq(wl_ingest(path, &io, &a, &err), 0, "%s", err.msg);
	s = wl_stream_open(path, 0, &b, &err);
	cr_assert(s, "%s", err.msg);
	cr_assert_eq(b.nch, a.nch);
	for (i = 0; i < a.nch; i++) {
		cr_expect_str_eq(b.ch[i].component, a.ch[i].component, "%s %s", a.ch[i].source,
				 a.ch[i].name);
		cr_expect_str_eq(b.ch[i].name, a.ch[i].name);
		cr_expect_eq(b.ch[i].kind, a.ch[i].kind);
		/* pass 1 keeps the first and last samples: the span */
		cr_assert_eq(b.ch[i].n, 2);
		cr_expect_eq(b.ch[i].t[0], a.ch[i].t[0]);
		cr_expect_eq(b.ch[i].t[1], a.ch[i].t[a.ch[i].n - 1]);
		cr_expect_eq(b.ch[i].v[1], a.ch[i].v[a.ch[i].n - 1]);
	}
	cr_expect_str_eq(a.ch[5].component, "gpu12"); /* checked by hand too */
	cr_expect_eq(b.t0_realtime, a.t0_realtime);
	cr_expect_eq(b.t0_realtime, 1700000000.0);
	cr_assert_eq(b.nmk, 1);
	cr_expect_eq(b.mk[0].t, a.mk[0].t);
	cr_expect_eq(b.mk[0].t, 1.5);
	cr_expect_str_eq(wl_dataset_meta_get(&b, "hostname"), "h");
	wl_stream_free(s);
	wl_dataset_release(&a);
	wl_dataset_release(&b);
	unlink(path);
}
