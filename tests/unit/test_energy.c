/* test_energy.c - energy per component and total (src/analyze/stages/energy*.c,
 * components.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/energy_rule.h"

static long add(struct wl_dataset *ds, const char *name, const char *unit, const char *dev,
		const char *comp, enum wl_ds_kind kind, const double *t, const double *v,
		size_t n)
{
	long i = wl_dataset_channel(ds, name, unit, dev, "test", kind, 0);

	cr_assert_geq(i, 0);
	cr_assert_eq(wl_channel_component(&ds->ch[i], comp), 0);
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(wl_channel_push(&ds->ch[i], t[k], v[k]), 0);
	return i;
}

static struct wl_series gauge(double *t, double *p, size_t n, double gap)
{
	struct wl_series s;

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.p = p;
	s.n = n;
	s.max_gap_s = gap;
	return s;
}

Test(energy, trapezoid_irregular_intervals)
{
	/* [0,1]: (10+20)/2 = 15; [1,3]: 20*2 = 40; [3,3.5]: (20+40)/2*0.5 = 15. */
	double t[] = { 0, 1, 3, 3.5 }, p[] = { 10, 20, 20, 40 };
	struct wl_series s = gauge(t, p, 4, 0);

	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 70.0, 1e-12);
	/* Window [0.5, 2]: p(0.5) = 15 -> (15+20)/2*0.5 = 8.75, + 20*1 = 28.75. */
	cr_assert_float_eq(wl_series_energy(&s, 0.5, 2), 28.75, 1e-12);
	cr_assert_eq(wl_series_energy(&s, 10, 20), 0.0);
}

Test(energy, gaps_are_bridged_and_counted)
{
	/* dt 1 s except one 10 s hole; bound 5 s: bridged, 14 s x 10 W, the
	 * gap counted; kept out (--no-bridge): 4 intervals of 10 W x 1 s. */
	double t[] = { 0, 1, 2, 3, 13, 14 }, p[] = { 10, 10, 10, 10, 10, 10 };
	struct wl_series s = gauge(t, p, 6, 5 * wl_series_median_dt(t, 6));
	size_t ng;
	double gs;

	cr_assert_float_eq(wl_series_energy_gaps(&s, -INFINITY, INFINITY, &ng, &gs), 140.0,
			   1e-12);
	cr_assert_eq(ng, 1);
	cr_assert_float_eq(gs, 10.0, 1e-12);
	s.keep_gaps_out = 1;
	cr_assert_float_eq(wl_series_energy_gaps(&s, -INFINITY, INFINITY, &ng, &gs), 40.0,
			   1e-12);
	cr_assert_eq(ng, 1);
	s.max_gap_s = 0; /* no bound: no gap to keep out */
	cr_assert_float_eq(wl_series_energy(&s, -INFINITY, INFINITY), 140.0, 1e-12);
}

Test(energy, counter_partial_window)
{
	double t[] = { 0, 2, 4 }, p[] = { NAN, 5, 7 };
	struct wl_series s;

	memset(&s, 0, sizeof(s));
	s.from_counter = 1;
	s.t = t;
	s.p = p;
	s.n = 3;
	/* [0.5,1] of 5 W = 2.5; [1,3]: 5*1 + 7*1 = 12 */
	cr_assert_float_eq(wl_series_energy(&s, 0.5, 1), 2.5, 1e-12);
	cr_assert_float_eq(wl_series_energy(&s, 1, 3), 12.0, 1e-12);
}

Test(energy, components_and_total)
{
	/* package-0: 0..30 J over 3 s; package-1 0..60 J; cpu = 90 J.
	 * dram counter mJ: 0..15000 mJ = 15 J.  gpu0: a counter (J) 0..300 J
	 * and a gauge of 90, 110, 100, 100 W -> trapezoid 100+105+100 = 305 J:
	 * diff = +5/300 = 1.6667 %.  psys: 0..500 J kept apart.
	 * Total = 90 + 15 + 300 = 405 J. */
	double t[] = { 0, 1, 2, 3 };
	double p0[] = { 0, 10, 20, 30 }, p1[] = { 0, 20, 40, 60 };
	double dr[] = { 0, 5000, 10000, 15000 }, ge[] = { 0, 100, 200, 300 };
	double gw[] = { 90, 110, 100, 100 }, ps[] = { 0, 100, 300, 500 };
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_error err;

	wl_dataset_init(&ds);
	add(&ds, "energy", "J", "package-0", "cpu", WL_DS_COUNTER, t, p0, 4);
	add(&ds, "energy", "J", "package-1", "cpu", WL_DS_COUNTER, t, p1, 4);
	add(&ds, "energy", "J", "core-0", "", WL_DS_COUNTER, t, p0, 4);
	add(&ds, "energy", "mJ", "dram", "dram", WL_DS_COUNTER, t, dr, 4);
	add(&ds, "power.draw", "W", "gpu0", "gpu0", WL_DS_GAUGE, t, gw, 4);
	add(&ds, "energy", "J", "gpu0", "gpu0", WL_DS_COUNTER, t, ge, 4);
	add(&ds, "energy", "J", "psys", "psys", WL_DS_COUNTER, t, ps, 4);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &ds, &e, &err), 0, "%s", err.msg);
	cr_assert_eq(e.n, 4);
	cr_assert_str_eq(e.c[0].name, "cpu");
	cr_assert_float_eq(e.c[0].energy_j, 90.0, 1e-9);
	cr_assert_float_eq(e.c[0].peak_power_w, 30.0, 1e-9);
	cr_assert_float_eq(e.c[0].avg_power_w, 30.0, 1e-9);
	cr_assert_str_eq(e.c[1].name, "dram");
	cr_assert_float_eq(e.c[1].energy_j, 15.0, 1e-9);
	cr_assert_str_eq(e.c[2].name, "gpu0");
	cr_assert_str_eq(e.c[2].method, "counter");
	cr_assert_float_eq(e.c[2].energy_j, 300.0, 1e-9);
	cr_assert_float_eq(e.c[2].counter_j, 300.0, 1e-9);
	cr_assert_float_eq(e.c[2].gauge_j, 305.0, 1e-9);
	cr_assert_float_eq(e.c[2].diff_pct, 100.0 * 5 / 300, 1e-9);
	cr_assert_str_eq(e.c[3].name, "psys");
	cr_assert_eq(e.c[3].in_total, 0);
	cr_assert_float_eq(e.total_j, 405.0, 1e-9);
	cr_assert_str_eq(e.total_note, "cpu + dram + gpu0");
	/* per-channel: core-0 is counted alone, in no component */
	int seen = 0;
	for (size_t i = 0; i < e.nch; i++)
		if (!strcmp(e.ch[i].name, "energy core-0")) {
			cr_assert_float_eq(e.ch[i].energy_j, 30.0, 1e-9);
			cr_assert_str_eq(e.ch[i].component, "");
			seen = 1;
		}
	cr_assert(seen);
	wl_energy_release(&e);

	/* A window [1, 2.5]: cpu 30 + 30 = 60 J (half of (2,3] of 20+40 W... ):
	 * (1,2]: 10 + 20 W -> 30 J; (2,2.5]: 30 W x 0.5 = 15 J -> 45 J. */
	struct wl_analysis_opts o;
	wl_analysis_opts_init(&o);
	o.t_from = 1;
	o.t_to = 2.5;
	cr_assert_eq(wl_energy_compute(&ds, &o, NULL, &e, &err), 0);
	cr_assert_float_eq(e.c[0].energy_j, 45.0, 1e-9);
	wl_energy_release(&e);

	/* wl_power_components: cpu = sum of packages, 30 W each interval. */
	struct wl_series *s;
	size_t n;
	cr_assert_eq(wl_power_components(&ds, &s, &n, &err), 0);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(s[0].name, "cpu");
	cr_assert_eq(s[0].from_counter, 1);
	cr_assert(isnan(s[0].p[0]));
	for (size_t i = 1; i < s[0].n; i++)
		cr_assert_float_eq(s[0].p[i], 30.0, 1e-9);
	cr_assert_float_eq(wl_series_energy(&s[2], 0, 3), 300.0, 1e-9);
	struct wl_series tot;
	cr_assert_eq(wl_power_total(s, n, &tot, &err), 0);
	/* per interval: cpu 30 + dram 5 + gpu 100 = 135 W; psys excluded */
	for (size_t i = 1; i < tot.n; i++)
		cr_assert_float_eq(tot.p[i], 135.0, 1e-9);
	cr_assert_float_eq(wl_series_energy(&tot, 0, 3), 405.0, 1e-9);
	wl_series_release(&tot);
	for (size_t i = 0; i < n; i++)
		wl_series_release(&s[i]);
	free(s);
	wl_dataset_release(&ds);
}

Test(energy, jetson_total_is_vdd_in)
{
	/* mW rails; VDD_IN 10 W flat for 4 s = 40 J; sub-rails are inside it. */
	double t[] = { 0, 1, 2, 3, 4 };
	double in[] = { 10000, 10000, 10000, 10000, 10000 }, cpu[] = { 3000, 3000, 3000, 3000, 3000 };
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_error err;

	wl_dataset_init(&ds);
	add(&ds, "VDD_CPU_GPU_CV", "mW", "VDD_CPU_GPU_CV", "VDD_CPU_GPU_CV", WL_DS_GAUGE, t, cpu, 5);
	add(&ds, "VDD_IN", "mW", "VDD_IN", "VDD_IN", WL_DS_GAUGE, t, in, 5);
	cr_assert_eq(wl_energy_compute(&ds, NULL, NULL, &e, &err), 0);
	cr_assert_float_eq(e.c[0].energy_j, 12.0, 1e-9);
	cr_assert_eq(e.c[0].in_total, 0);
	cr_assert_float_eq(e.total_j, 40.0, 1e-9);
	cr_assert_str_eq(e.total_note, "VDD_IN");
	wl_energy_release(&e);
	wl_dataset_release(&ds);
}

Test(energy, gauge_gap_warned_with_duration)
{
	double t[] = { 0, 1, 2, 3, 13, 14 }, p[] = { 10, 10, 10, 10, 10, 10 };
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_error err;

	wl_dataset_init(&ds);
	add(&ds, "power.draw", "W", "gpu0", "gpu0", WL_DS_GAUGE, t, p, 6);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &ds, &e, &err), 0);
	cr_assert_float_eq(e.c[0].energy_j, 140.0, 1e-9);
	cr_assert_eq(e.c[0].ngaps, 1);
	cr_assert_float_eq(e.c[0].gap_j, 100.0, 1e-9);
	cr_assert_float_eq(e.c[0].duration_s, 14.0, 1e-9);
	cr_assert_float_eq(e.c[0].avg_power_w, 10.0, 1e-9);
	cr_assert_eq(e.partial, 0);
	/* the flat 10 W is also "not updating" (wl_gauge_stuck: a warning, and
	 * its value taken as held is an assumption), then the gap */
	cr_assert_eq(ds.nwarn, 2);
	cr_assert(strstr(ds.warn[0], "not updating"), "%s", ds.warn[0]);
	cr_assert(strstr(ds.warn[1], "gap of 10.000 s at t=3.000 s bridged"), "%s", ds.warn[1]);
	/* the bridged gap is an assumption: 100 J, bounds 10 W x 10 s both */
	cr_assert_eq(ds.assume.n, 2);
	cr_assert_eq(ds.assume.a[0].kind, WL_ASSUME_VALUE);
	cr_assert_eq(ds.assume.a[1].kind, WL_ASSUME_GAP);
	cr_assert(strstr(ds.assume.a[1].text, "1 gap longer than 5.000 s (10.000 s in all) "
			 "bridged by the trapezoid: 100 J = 71.4 % of its energy (bounds 100..100 J"),
		  "%s", ds.assume.a[1].text);
	wl_energy_release(&e);
	wl_dataset_release(&ds);
	/* --no-bridge: the gap left out, the energy partial, the average over
	 * the 4 s covered */
	struct wl_analysis_opts o;
	wl_analysis_opts_init(&o);
	o.no_bridge = 1;
	wl_dataset_init(&ds);
	add(&ds, "power.draw", "W", "gpu0", "gpu0", WL_DS_GAUGE, t, p, 6);
	cr_assert_eq(wl_energy_compute(&ds, &o, &ds, &e, &err), 0);
	cr_assert_float_eq(e.c[0].energy_j, 40.0, 1e-9);
	cr_assert_float_eq(e.c[0].duration_s, 4.0, 1e-9);
	cr_assert_float_eq(e.c[0].avg_power_w, 10.0, 1e-9);
	cr_assert_eq(e.partial, 1);
	cr_assert(strstr(ds.warn[1], "not bridged"), "%s", ds.warn[1]);
	cr_assert(strstr(ds.assume.a[1].text, "left out (--no-bridge)"), "%s", ds.assume.a[1].text);
	wl_energy_release(&e);
	wl_dataset_release(&ds);
}

Test(energy, clip_keeps_the_window_energy_and_the_gaps)
{
	double t[] = { 0, 1, 2, 3, 13, 14 }, p[] = { 10, 20, 10, 10, 10, 30 };
	double ct[] = { 0, 2, 4 }, cp[] = { NAN, 5, 7 };
	struct wl_series s = gauge(t, p, 6, 5), c, w;
	struct wl_error err;

	s.keep_gaps_out = 1; /* --no-bridge: clipping keeps the gap out too */
	double win[][2] = { { 0.5, 13.5 }, { 2.5, 3.5 }, { -1, 20 }, { 1.25, 1.75 } };

	for (size_t k = 0; k < 4; k++) {
		cr_assert_eq(wl_series_clip(&s, win[k][0], win[k][1], &w, &err), 0);
		double want = wl_series_energy(&s, win[k][0], win[k][1]);
		cr_assert_float_eq(wl_series_energy(&w, -INFINITY, INFINITY), want, 1e-12);
		w.max_gap_s = 0; /* a reader that does not know the bound */
		cr_assert_float_eq(wl_series_energy(&w, -INFINITY, INFINITY), want, 1e-12,
				   "window %zu: the gap was bridged", k);
		wl_series_release(&w);
	}
	/* by hand: [0.5, 13.5] = (15+20)/2*0.5 + 15 + 10 + 0 (gap) + (10+20)/2*0.5 */
	cr_assert_float_eq(wl_series_energy(&s, 0.5, 13.5), 8.75 + 15 + 10 + 7.5, 1e-12);
	memset(&c, 0, sizeof(c));
	c.from_counter = 1;
	c.t = ct;
	c.p = cp;
	c.n = 3;
	cr_assert_eq(wl_series_clip(&c, 1, 3, &w, &err), 0);
	cr_assert_float_eq(wl_series_energy(&w, -INFINITY, INFINITY), 5 + 7, 1e-12);
	wl_series_release(&w);
}

/* A component's node is the channel's field, never a '/' in its name: on
 * no node, "rack/node" (a CSV column's name) is a component of its own and
 * adds to the total; the same readings on node "x" are "x/node", the whole
 * node, left out beside x's parts.  Counters over 3 s: 300 J and 150 J. */
Test(energy, node_is_the_field_not_the_name)
{
	double t[] = { 0, 1, 2, 3 }, nd[] = { 0, 100, 200, 300 }, g[] = { 0, 50, 100, 150 };
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_error err;
	long a, b;

	cr_assert_str_eq(wl_component_base("rack/node", ""), "rack/node");
	cr_assert_str_eq(wl_component_base("rack/node", NULL), "rack/node");
	cr_assert_str_eq(wl_component_base("n1/node", "n1"), "node");
	cr_assert_str_eq(wl_component_base("n10/node", "n1"), "n10/node");
	wl_dataset_init(&ds);
	add(&ds, "energy", "J", "rack", "rack/node", WL_DS_COUNTER, t, nd, 4);
	add(&ds, "energy", "J", "gpu0", "gpu0", WL_DS_COUNTER, t, g, 4);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &ds, &e, &err), 0, "%s", err.msg);
	cr_assert_eq(e.n, 2);
	cr_assert_str_eq(e.c[1].name, "rack/node");
	cr_assert_str_eq(e.c[1].node, "");
	cr_assert_eq(e.c[1].in_total, 1);
	cr_assert_float_eq(e.total_j, 300.0 + 150.0, 1e-9);
	wl_energy_release(&e);
	wl_dataset_release(&ds);

	wl_dataset_init(&ds);
	a = add(&ds, "energy", "J", "x/node", "x/node", WL_DS_COUNTER, t, nd, 4);
	b = add(&ds, "energy", "J", "x/gpu0", "x/gpu0", WL_DS_COUNTER, t, g, 4);
	cr_assert_eq(wl_channel_node(&ds.ch[a], "x"), 0);
	cr_assert_eq(wl_channel_node(&ds.ch[b], "x"), 0);
	cr_assert_eq(wl_energy_compute(&ds, NULL, &ds, &e, &err), 0, "%s", err.msg);
	cr_assert_eq(e.n, 2);
	for (size_t i = 0; i < e.n; i++) {
		cr_assert_str_eq(e.c[i].node, "x");
		cr_assert_eq(e.c[i].in_total, !strcmp(e.c[i].name, "x/gpu0"), "%s", e.c[i].name);
	}
	cr_assert_float_eq(e.total_j, 150.0, 1e-9);
	wl_energy_release(&e);
	/* the power series (figures, phases, carbon) carry the node too */
	struct wl_series *s;
	size_t n;

	cr_assert_eq(wl_power_components(&ds, &s, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(s[i].node, "x");
		cr_assert_eq(wl_component_in_total(&s[i], s, n), !strcmp(s[i].name, "x/gpu0"));
		wl_series_release(&s[i]);
	}
	free(s);
	wl_dataset_release(&ds);
}
