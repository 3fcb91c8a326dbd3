/*
 * test_phases_markers.c - phase windows from begin/end markers: pairs,
 * nesting, per-request windows, unmatched, overlapping and out-of-order
 * markers, truth markers, and the energy of each window.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/phases.h"
#include "wattlog/trace_format.h"

static struct wl_dataset ds;
static struct wl_phase_list pl;
static struct wl_error err;

static void setup(void)
{
	wl_dataset_init(&ds);
	wl_phase_list_init(&pl);
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	wl_phase_list_release(&pl);
	wl_dataset_release(&ds);
}

static void mk(double t, const char *text)
{
	cr_assert_eq(wl_dataset_marker(&ds, t, 0, text), 0);
}

static int has_note(const char *want)
{
	size_t i;

	for (i = 0; i < pl.nnotes; i++)
		if (strstr(pl.notes[i], want))
			return 1;
	return 0;
}

static void expect_win(size_t i, const char *label, double t0, double t1, int depth)
{
	cr_assert(i < pl.n, "window %zu missing (%zu windows)", i, pl.n);
	cr_expect_str_eq(pl.p[i].label, label);
	cr_expect_eq(pl.p[i].start_s, t0, "window %zu start %f", i, pl.p[i].start_s);
	cr_expect_eq(pl.p[i].end_s, t1, "window %zu end %f", i, pl.p[i].end_s);
	cr_expect_eq(pl.p[i].depth, depth, "window %zu depth %d", i, pl.p[i].depth);
	cr_expect_eq(pl.p[i].source, WL_PHASE_MARKERS);
	cr_expect_eq(pl.p[i].confidence, 1.0);
}

TestSuite(markers, .init = setup, .fini = teardown);

Test(markers, pairs_in_sequence)
{
	mk(1, "begin prefill");
	mk(3, "end prefill");
	mk(3, "begin decode");
	mk(7, "end decode");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 2);
	expect_win(0, "prefill", 1, 3, 0);
	expect_win(1, "decode", 3, 7, 0);
	cr_expect_eq(pl.nnotes, 0);
}

Test(markers, nested_request_with_phases)
{
	mk(0, "begin request 1");
	mk(0.5, "begin prefill");
	mk(2, "end prefill");
	mk(2, "begin decode");
	mk(5, "end decode");
	mk(5.5, "end request 1");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 3);
	expect_win(0, "request 1", 0, 5.5, 0);
	expect_win(1, "prefill", 0.5, 2, 1);
	expect_win(2, "decode", 2, 5, 1);
	cr_expect_eq(pl.nnotes, 0, "nesting is not overlap");
}

Test(markers, same_name_nests_last_in_first_out)
{
	mk(0, "begin step");
	mk(1, "begin step");
	mk(2, "end step");
	mk(3, "end step");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 2);
	expect_win(0, "step", 0, 3, 0);
	expect_win(1, "step", 1, 2, 1);
}

/* Concurrent requests are no overlap: each pairs on its own ID. */
Test(markers, concurrent_requests_pair_by_id)
{
	mk(0, "begin request 1");
	mk(0.5, "begin prefill 1");
	mk(1, "begin request 2");
	mk(1.5, "begin prefill 2");
	mk(2, "end prefill 1");
	mk(2.5, "end prefill 2");
	mk(3, "end request 1");
	mk(4, "end request 2");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 4);
	expect_win(0, "request 1", 0, 3, 0);
	expect_win(1, "prefill 1", 0.5, 2, 1);
	expect_win(2, "request 2", 1, 4, 2);
	expect_win(3, "prefill 2", 1.5, 2.5, 3);
	cr_expect_str_eq(pl.p[1].name, "prefill");
	cr_expect_str_eq(pl.p[1].id, "1");
	cr_expect_eq(pl.nnotes, 0, "%s", pl.nnotes ? pl.notes[0] : "");
}

/* Two windows of one ID (or both without an ID) that cross are reported. */
Test(markers, same_id_overlap_is_reported)
{
	mk(0, "begin prefill 7");
	mk(1, "begin decode 7");
	mk(3, "end prefill 7");
	mk(4, "end decode 7");
	mk(5, "begin a");
	mk(6, "begin b");
	mk(7, "end a");
	mk(8, "end b");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 4);
	cr_expect(has_note("2 windows end while a later window of the same ID"));
	cr_expect(has_note("the first: overlapping markers: 'prefill 7' [0.000, 3.000] s ends "
			   "while 'decode 7' begun at 1.000 s is open"));
}

/* key=value words of both ends are kept, numbers as numbers. */
Test(markers, attributes_of_both_ends)
{
	const char *txt;

	mk(0, "begin request 42 tokens_in=128 model=llama");
	mk(2, "end request 42 tokens_out=64 status=ok");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 1);
	expect_win(0, "request 42", 0, 2, 0);
	cr_assert_eq(pl.p[0].nattr, 4);
	cr_expect_eq(wl_phase_attr_num(&pl, &pl.p[0], "tokens_in", NULL), 128);
	cr_expect_eq(wl_phase_attr_num(&pl, &pl.p[0], "tokens_out", NULL), 64);
	cr_expect(isnan(wl_phase_attr_num(&pl, &pl.p[0], "model", &txt)));
	cr_expect_str_eq(txt, "llama");
	cr_expect(isnan(wl_phase_attr_num(&pl, &pl.p[0], "absent", &txt)));
	cr_expect_null(txt);
	cr_expect_eq(pl.nnotes, 0);
}

/* Many unmatched markers are one note with their count, not one each. */
Test(markers, unmatched_are_counted)
{
	char t[64];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(t, sizeof(t), "begin request %d", i);
		mk(i, t);
	}
	mk(2000, "end nothing 5");
	mk(2001, "end nothing 6");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 0);
	cr_expect_eq(pl.nnotes, 2);
	cr_expect(has_note("1000 begin markers were never ended; the first: unmatched marker "
			   "'begin request 0' at 0.000 s: never ended"));
	cr_expect(has_note("2 end markers have no open begin"));
}

Test(markers, unmatched_are_notes_not_windows)
{
	mk(1, "end prefill");
	mk(2, "begin decode");
	mk(3, "begin prefill");
	mk(4, "end prefill");
	mk(5, "checkpoint");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 1);
	expect_win(0, "prefill", 3, 4, 1);
	cr_expect(has_note("unmatched marker 'end prefill' at 1.000 s"));
	cr_expect(has_note("unmatched marker 'begin decode' at 2.000 s: never ended"));
	cr_expect(has_note("'checkpoint' at 5.000 s is neither"));
	cr_expect_eq(pl.nnotes, 3);
}

/* Sender-stamped markers can reach the file out of time order. */
Test(markers, out_of_order_matched_in_time_order)
{
	mk(3, "end prefill");
	mk(1, "begin prefill");
	mk(6, "end decode");
	mk(4, "begin decode");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 2);
	expect_win(0, "prefill", 1, 3, 0);
	expect_win(1, "decode", 4, 6, 0);
	cr_expect(has_note("out of time order"));
}

Test(markers, truth_markers_kept_apart)
{
	cr_assert_eq(wl_dataset_marker(&ds, 0, WL_MARKER_TRUTH, "begin idle"), 0);
	cr_assert_eq(wl_dataset_marker(&ds, 2, WL_MARKER_TRUTH, "end idle"), 0);
	mk(1, "begin x");
	mk(1.5, "end x");
	cr_assert_eq(wl_phases_markers(&ds, &pl, &err), 1);
	expect_win(0, "x", 1, 1.5, 0);
	wl_phase_list_release(&pl);
	cr_assert_eq(wl_phases_truth(&ds, &pl, &err), 1);
	cr_expect_str_eq(pl.p[0].label, "idle");
	cr_expect_eq(pl.p[0].end_s, 2.0);
	cr_expect_eq(pl.p[0].source, WL_PHASE_TRUTH);
}

/* A power gauge P(t) = 10 t W sampled every 0.5 s on [0, 10]: the trapezoid
 * rule is exact for a line, so the window [1, 3] holds 5 (3^2 - 1^2) = 40 J,
 * averages 20 W and peaks at 30 W; [2.25, 2.75] holds 5 (2.75^2 - 2.25^2)
 * = 12.5 J and peaks at its one sample inside, 25 W at 2.5 s; [2.6, 2.9]
 * holds no sample: 5 (2.9^2 - 2.6^2) = 8.25 J, peak 29 W (its end). */
Test(markers, window_energy_from_power)
{
	long c = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	struct wl_phase_opts o;
	int i;

	cr_assert(c >= 0);
	cr_assert_eq(wl_channel_component(&ds.ch[c], "gpu0"), 0);
	for (i = 0; i <= 20; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[c], 0.5 * i, 5.0 * i), 0);
	mk(1, "begin prefill");
	mk(3, "end prefill");
	mk(2.25, "begin decode");
	mk(2.75, "end decode");
	mk(2.6, "begin gap");
	mk(2.9, "end gap");
	wl_phase_opts_init(&o);
	cr_assert_eq(wl_phases_find(&ds, &o, &pl, &err), 0, "%s", err.msg);
	cr_assert_eq(pl.n, 3);
	cr_expect_str_eq(pl.method, "markers");
	cr_expect(fabs(pl.p[0].energy_j - 40) < 1e-9, "%f", pl.p[0].energy_j);
	cr_expect(fabs(pl.p[0].avg_power_w - 20) < 1e-9);
	cr_expect(fabs(pl.p[0].peak_power_w - 30) < 1e-9);
	cr_expect(fabs(pl.p[1].energy_j - 12.5) < 1e-9, "%f", pl.p[1].energy_j);
	cr_expect(fabs(pl.p[1].peak_power_w - 25) < 1e-9, "%f", pl.p[1].peak_power_w);
	cr_expect_str_eq(pl.p[2].label, "gap");
	cr_expect(fabs(pl.p[2].energy_j - 8.25) < 1e-9, "%f", pl.p[2].energy_j);
	cr_expect(fabs(pl.p[2].peak_power_w - 29) < 1e-9, "%f", pl.p[2].peak_power_w);
	cr_assert_eq(pl.ncomp, 1);
	cr_expect_str_eq(pl.comp[0], "gpu0");
	cr_expect(fabs(pl.p[0].comp_energy_j[0] - 40) < 1e-9);
	/* The whole trace: 5 * 10^2 = 500 J. */
	cr_expect(fabs(pl.total_energy_j - 500) < 1e-9, "%f", pl.total_energy_j);
}

/* A component of two counters (two RAPL packages of "cpu") whose samples
 * start and end apart: each window's energy is each counter's own over
 * it, as the report's total takes them (energy_window.c), so the windows
 * sum to wl_energy_compute's total.  By hand: package-0 reads 10 J every
 * 1 s over [0, 4] (10 W), package-1 5 J every 1 s over [0.5, 3.5] (5 W):
 * [0, 2] = 20 + 7.5 J (package-1 from 0.5), [2, 4] = 20 + 7.5 J
 * (package-1 to 3.5), total 55 J. */
Test(markers, two_counters_of_one_component)
{
	long a = wl_dataset_channel(&ds, "energy", "J", "package-0", "rapl", WL_DS_COUNTER, 0);
	long b = wl_dataset_channel(&ds, "energy", "J", "package-1", "rapl", WL_DS_COUNTER, 0);
	struct wl_phase_opts o;
	struct wl_energy e;
	int i;

	cr_assert(a >= 0 && b >= 0);
	cr_assert_eq(wl_channel_component(&ds.ch[a], "cpu"), 0);
	cr_assert_eq(wl_channel_component(&ds.ch[b], "cpu"), 0);
	for (i = 0; i <= 4; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[a], i, 10.0 * i), 0);
	for (i = 0; i <= 3; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[b], 0.5 + i, 5.0 * i), 0);
	mk(0, "begin one");
	mk(2, "end one");
	mk(2, "begin two");
	mk(4, "end two");
	wl_phase_opts_init(&o);
	cr_assert_eq(wl_phases_find(&ds, &o, &pl, &err), 0, "%s", err.msg);
	cr_assert_eq(pl.n, 2);
	cr_expect(fabs(pl.p[0].energy_j - 27.5) < 1e-9, "%.12f", pl.p[0].energy_j);
	cr_expect(fabs(pl.p[1].energy_j - 27.5) < 1e-9, "%.12f", pl.p[1].energy_j);
	cr_expect(fabs(pl.total_energy_j - 55) < 1e-9, "%.12f", pl.total_energy_j);
	cr_assert_eq(wl_energy_compute(&ds, NULL, NULL, &e, &err), 0, "%s", err.msg);
	cr_expect(fabs(e.total_j - 55) < 1e-9, "%.12f", e.total_j);
	wl_energy_release(&e);
}

/* --auto segments even when markers exist. */
Test(markers, force_auto_ignores_markers)
{
	long c = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	struct wl_phase_opts o;
	int i;

	cr_assert(c >= 0 && wl_channel_component(&ds.ch[c], "gpu0") == 0);
	for (i = 0; i < 100; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[c], 0.1 * i, i < 50 ? 50.0 : 300.0), 0);
	mk(1, "begin x");
	mk(2, "end x");
	wl_phase_opts_init(&o);
	o.force_auto = 1;
	cr_assert_eq(wl_phases_find(&ds, &o, &pl, &err), 0, "%s", err.msg);
	cr_assert_eq(pl.n, 2);
	cr_expect_eq(pl.p[0].source, WL_PHASE_AUTO);
	cr_expect_str_eq(pl.p[0].label, "idle");
	cr_expect_str_eq(pl.p[1].label, "active");
	/* The step lies between samples 49 (4.9 s) and 50 (5.0 s). */
	cr_expect(fabs(pl.p[1].start_s - 4.95) < 1e-9, "%f", pl.p[1].start_s);
}

/* Markers that pair into no window are reported, and the phases come from
 * the telemetry instead (not guessed from the lone markers). */
Test(markers, unmatched_only_falls_back_to_auto)
{
	long c = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	int i;

	cr_assert(c >= 0 && wl_channel_component(&ds.ch[c], "gpu0") == 0);
	for (i = 0; i < 100; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[c], 0.1 * i, i < 60 ? 300.0 : 50.0), 0);
	mk(1, "end prefill");
	cr_assert_eq(wl_phases_find(&ds, NULL, &pl, &err), 0, "%s", err.msg);
	cr_assert_eq(pl.n, 2);
	cr_expect_str_eq(pl.p[0].label, "active");
	cr_expect_str_eq(pl.p[1].label, "idle");
	cr_expect(has_note("unmatched marker 'end prefill'"));
	cr_expect(has_note("phases found from the telemetry instead"));
}

/* The words of a marker: a node comes from the marker's field, and only
 * then does the text's " @NODE" end the words. */
Test(markers, words_take_the_node_from_the_field)
{
	struct wl_marker_words w;

	cr_assert_eq(wl_marker_words("begin a 7 k=v @n1", "n1", &w), 0);
	cr_expect_eq(w.begin, 1);
	cr_expect_eq(w.label_len, 1);
	cr_expect(w.id_len == 1 && w.id[0] == '7');
	cr_expect(w.attrs_len == 3 && !strncmp(w.attrs, "k=v", 3));
	cr_expect_eq(w.nbad, 0);
	cr_expect_str_eq(w.node, "n1");
	cr_expect_eq(w.node_len, 2);
	/* the workload's own " @x": a word of its own, no node */
	cr_assert_eq(wl_marker_words("end a @x k=v", NULL, &w), 0);
	cr_expect_eq(w.begin, 0);
	cr_expect(w.id_len == 2 && !strncmp(w.id, "@x", 2));
	cr_expect(w.attrs_len == 3 && !strncmp(w.attrs, "k=v", 3));
	cr_expect_null(w.node);
	cr_expect_eq(w.node_len, 0);
	/* an "@x" after the attributes is a bad attribute word, not a node */
	cr_assert_eq(wl_marker_words("end a 7 k=v @x", NULL, &w), 0);
	cr_expect_eq(w.nbad, 1);
	cr_expect_null(w.node);
}

/* A node's channel at a constant power over [0, 4] s (samples every 0.5 s). */
static void node_power(const char *node, double watts)
{
	char dev[32], comp[32];
	long c;
	int i;

	snprintf(dev, sizeof(dev), "%s/gpu0", node);
	snprintf(comp, sizeof(comp), "%s/gpu0", node);
	c = wl_dataset_channel(&ds, "power.draw", "W", dev, "nvml", WL_DS_GAUGE, 0);
	cr_assert(c >= 0);
	cr_assert_eq(wl_channel_component(&ds.ch[c], comp), 0);
	cr_assert_eq(wl_channel_node(&ds.ch[c], node), 0);
	for (i = 0; i <= 8; i++)
		cr_assert_eq(wl_channel_push(&ds.ch[c], 0.5 * i, watts), 0);
}

static void mk_on(double t, const char *text, const char *node)
{
	mk(t, text);
	cr_assert_eq(wl_marker_node(&ds.mk[ds.nmk - 1], node), 0);
}

/* A window's node is its markers' field: a window of node n1 counts n1's
 * power only (100 W x 2 s = 200 J); a marker whose text ends in " @n2"
 * but has no node field is the whole run's, "@n2" its ID, and its window
 * counts both nodes ((100 + 10) W x 1 s = 110 J). */
Test(markers, window_node_is_the_markers_field)
{
	struct wl_phase_opts o;

	node_power("n1", 100);
	node_power("n2", 10);
	mk_on(1, "begin a @n1", "n1");
	mk_on(3, "end a @n1", "n1");
	mk(1, "begin b @n2");
	mk(2, "end b @n2");
	wl_phase_opts_init(&o);
	cr_assert_eq(wl_phases_find(&ds, &o, &pl, &err), 0, "%s", err.msg);
	cr_assert_eq(pl.n, 2);
	/* same start: the one that ends first comes first */
	expect_win(0, "b @n2", 1, 2, 0);
	cr_expect_str_eq(pl.p[0].node, "");
	cr_expect_str_eq(pl.p[0].id, "@n2");
	cr_expect(fabs(pl.p[0].energy_j - 110) < 1e-9, "%f", pl.p[0].energy_j);
	cr_expect(fabs(pl.p[0].peak_power_w - 110) < 1e-9, "%f", pl.p[0].peak_power_w);
	expect_win(1, "a @n1", 1, 3, 0);
	cr_expect_str_eq(pl.p[1].node, "n1");
	cr_expect_str_eq(pl.p[1].id, "");
	cr_expect(fabs(pl.p[1].energy_j - 200) < 1e-9, "%f", pl.p[1].energy_j);
	cr_expect(fabs(pl.p[1].peak_power_w - 100) < 1e-9, "%f", pl.p[1].peak_power_w);
}
