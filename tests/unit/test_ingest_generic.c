/* test_ingest_generic.c - the generic CSV reader (src/analyze/ingest/ingest_generic.c)
 * and the --counter spec (src/analyze/ingest/counter_decl.c). */
#include <math.h>
#include <time.h>
#include <unistd.h>

#include "ingest_testutil.h"
#include "wattlog/analysis.h"

#define FX "fixtures/csv/"

static double utc(int y, int mo, int d, int h, int mi, double s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi };

	return (double)timegm(&tm) + s;
}

Test(counter_spec, parses_and_rejects)
{
	struct wl_counter_decl d;
	struct wl_error err = { { 0 } };

	cr_assert_eq(wl_counter_parse("energy_uj:uJ:wrap=262143328850", &d, &err), 0, "%s", err.msg);
	cr_assert_str_eq(d.column, "energy_uj");
	cr_assert_str_eq(d.unit, "uJ");
	cr_assert_float_eq(d.wrap, 262143328850.0, 1e-3);
	wl_counter_release(&d);
	cr_assert_eq(wl_counter_parse("e:J", &d, &err), 0, "%s", err.msg);
	cr_assert_eq(d.wrap, 0.0);
	wl_counter_release(&d);
	cr_assert_eq(wl_counter_parse("e", &d, &err), -1);
	cr_assert(strstr(err.msg, "'e'"));
	cr_assert_eq(wl_counter_parse(":uJ", &d, &err), -1);
	cr_assert_eq(wl_counter_parse("e:", &d, &err), -1);
	cr_assert_eq(wl_counter_parse("e:uJ:wrap=abc", &d, &err), -1);
	cr_assert(strstr(err.msg, "abc"), "%s", err.msg);
	cr_assert_eq(wl_counter_parse("e:uJ:wrap=-5", &d, &err), -1);
	cr_assert_eq(wl_counter_parse("e:W", &d, &err), -1);
	cr_assert(strstr(err.msg, "energy unit"), "%s", err.msg);
	cr_assert_eq(wl_counter_parse("e:uJ:size=3", &d, &err), -1);
}

Test(generic, iso_times_units_components_counter)
{
	struct wl_counter_decl d;
	struct wl_ingest_opts o = { 0 };
	struct wl_error err = { { 0 } };
	struct wl_dataset ds;
	const struct wl_channel *c;

	cr_assert_str_eq(wl_ingest_detect(FX "generic_iso.csv", NULL), "csv");
	cr_assert_eq(wl_counter_parse("energy_uj:uJ:wrap=262143328850", &d, &err), 0);
	o.counters = &d;
	o.ncounters = 1;
	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest(FX "generic_iso.csv", &o, &ds, &err), 0, "%s", err.msg);
	cr_assert_float_eq(ds.t0_realtime, utc(2024, 3, 10, 12, 0, 0), 1e-6);
	cr_assert_eq(ds.assume.n, 0, "every time carries its zone: nothing assumed");
	c = chan(&ds, "gpu0_power", NULL);
	cr_assert_str_eq(c->unit, "W");
	cr_assert_str_eq(c->component, "gpu0");
	cr_assert_eq(c->n, 3);
	cr_assert_float_eq(c->t[1], 1.5, 1e-6);
	/* 14:00:03+02:00 is 12:00:03 UTC */
	cr_assert_float_eq(c->t[2], 3.0, 1e-6);
	c = chan(&ds, "cpu_package_power", NULL);
	cr_assert_str_eq(c->unit, "W", "unit taken from the cells");
	cr_assert_str_eq(c->component, "cpu");
	cr_assert_float_eq(c->v[2], 70.0, 1e-9);
	c = chan(&ds, "util", NULL);
	cr_assert_str_eq(c->unit, "%");
	cr_assert_str_eq(c->component, "");
	cr_assert_eq(wl_dataset_find(&ds, "host", NULL), -1, "text column skipped");
	cr_assert_geq(ds.nwarn, 1);
	c = chan(&ds, "energy_uj", NULL);
	cr_assert_eq(c->kind, WL_DS_COUNTER);
	cr_assert_str_eq(c->unit, "uJ");
	cr_assert_float_eq(c->wrap, 262143328850.0, 1e-3);
	cr_assert_str_eq(c->component, "energy_uj");
	cr_assert_float_eq(c->v[2], 500.0, 1e-9);
	cr_assert_eq(ds.nch, 4);
	wl_dataset_release(&ds);
	wl_counter_release(&d);
}

Test(generic, relative_seconds_and_milliwatts)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	ingest_ok(FX "generic_rel.csv", NULL, NULL, &ds);
	cr_assert(isnan(ds.t0_realtime), "seconds from start: wall clock unknown");
	cr_assert(has_assumption(&ds, WL_ASSUME_TIME, "seconds from the start"));
	c = chan(&ds, "board", NULL);
	cr_assert_str_eq(c->unit, "mW");
	cr_assert_str_eq(c->component, "board");
	cr_assert_float_eq(c->t[2], 1.0, 1e-12);
	c = chan(&ds, "dram_power", NULL);
	cr_assert_eq(c->n, 2, "empty cell absent");
	cr_assert_str_eq(c->component, "dram");
	wl_dataset_release(&ds);
}

Test(generic, epoch_seconds)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	ingest_ok(FX "generic_epoch.csv", NULL, NULL, &ds);
	cr_assert_float_eq(ds.t0_realtime, 1700000000.25, 1e-6);
	cr_assert(has_assumption(&ds, WL_ASSUME_TIME, "epoch s (by magnitude"));
	c = chan(&ds, "node_power", NULL);
	cr_assert_str_eq(c->unit, "kW");
	cr_assert_float_eq(c->t[1], 1.0, 1e-6);
	cr_assert_float_eq(c->v[1], 2.5, 1e-12);
	wl_dataset_release(&ds);
}

/* A power column named "...instant..." is taken as instantaneous power
 * (preferred to an averaged one of its component), and the reader says so. */
Test(generic, instant_power_from_name_stated)
{
	char path[] = "/tmp/wl-gen-inst.XXXXXX";
	struct wl_dataset ds;
	FILE *f;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs("time_s,gpu0_power_W,gpu0_power_instant_W\n0,100,90\n1,110,120\n", f);
	fclose(f);
	ingest_ok(path, NULL, NULL, &ds);
	cr_assert_eq(chan(&ds, "gpu0_power_instant_W", NULL)->instant, 1);
	cr_assert_eq(chan(&ds, "gpu0_power_W", NULL)->instant, 0);
	cr_assert(has_assumption(&ds, WL_ASSUME_CHANNEL,
				 "'gpu0_power_instant_W' read as instantaneous power"));
	cr_assert(!has_assumption(&ds, WL_ASSUME_CHANNEL, "'gpu0_power_W'"));
	wl_dataset_release(&ds);
	unlink(path);
}

/* Writes text to a temporary CSV and ingests it into ds; path keeps its name. */
static void ingest_text(char *path, const char *text, struct wl_dataset *ds)
{
	FILE *f;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	ingest_ok(path, NULL, NULL, ds);
}

/* The node of a component is a field: a device of several power columns in
 * rows is their node ("a/psys" of node "a": its psys, kept out of the
 * total beside its GPU), while a column whose own name holds a '/'
 * ("rack/node") is a component of its own, no node, and adds to the total.
 * By hand, 2 s of constant power: 50 x 2 + 40 x 2 = 180 J; 100 x 2 + 50 x 2
 * = 300 J. */
Test(generic, node_of_a_component_is_a_field)
{
	char p1[] = "/tmp/wl-gen-node.XXXXXX", p2[] = "/tmp/wl-gen-node.XXXXXX";
	struct wl_dataset ds;
	struct wl_energy e;
	struct wl_error err = { { 0 } };

	ingest_text(p1, "time_s,hostname,psys [W],gpu0 [W]\n0,a,100,50\n0,b,80,40\n"
			"1,a,100,50\n1,b,80,40\n2,a,100,50\n2,b,80,40\n", &ds);
	cr_assert_str_eq(chan(&ds, "psys", "a")->node, "a");
	cr_assert_str_eq(chan(&ds, "psys", "a")->component, "a/psys");
	cr_assert_str_eq(chan(&ds, "gpu0", "b")->node, "b");
	cr_assert_eq(wl_energy_compute(&ds, NULL, &ds, &e, &err), 0, "%s", err.msg);
	cr_assert_float_eq(e.total_j, 180.0, 1e-9);
	wl_energy_release(&e);
	wl_dataset_release(&ds);
	unlink(p1);
	ingest_text(p2, "time_s,rack/node [W],gpu0 [W]\n0,100,50\n1,100,50\n2,100,50\n", &ds);
	cr_assert_str_eq(chan(&ds, "rack/node", NULL)->node, "");
	cr_assert_str_eq(chan(&ds, "rack/node", NULL)->component, "rack/node");
	cr_assert_eq(wl_energy_compute(&ds, NULL, &ds, &e, &err), 0, "%s", err.msg);
	cr_assert_float_eq(e.total_j, 300.0, 1e-9);
	wl_energy_release(&e);
	wl_dataset_release(&ds);
	unlink(p2);
}

Test(generic, broken_inputs)
{
	struct wl_error err = { { 0 } };

	ingest_fails(FX "generic_backwards.csv", NULL, "line 4", "backwards");
	ingest_fails(FX "generic_notime.csv", NULL, "line 1", "no time column");
	ingest_fails(FX "generic_openquote.csv", NULL, "line 3", "unterminated quoted field");
	ingest_fails(FX "generic_badquote.csv", NULL, "line 3", "misplaced quote");
	ingest_fails(FX "empty.csv", "csv", "empty", NULL);
	ingest_fails(FX "binary.bin", "csv", "line 1", "binary");
	cr_assert_null(wl_ingest_detect(FX "binary.bin", &err));
	cr_assert(strstr(err.msg, "binary"), "%s", err.msg);
	cr_assert_null(wl_ingest_detect(FX "empty.csv", &err));
	cr_assert_null(wl_ingest_detect(FX "no-such-file.csv", &err));
	cr_assert(strstr(err.msg, "no-such-file.csv"), "%s", err.msg);
	{
		struct wl_counter_decl d = { "nope", "uJ", 0 };
		struct wl_ingest_opts o = { .counters = &d, .ncounters = 1 };
		struct wl_dataset ds;

		wl_dataset_init(&ds);
		cr_assert_eq(wl_ingest(FX "generic_rel.csv", &o, &ds, &err), -1);
		cr_assert(strstr(err.msg, "'nope'"), "%s", err.msg);
		wl_dataset_release(&ds);
	}
}

/* Writes text to a fresh temporary file; its path (static, per call site). */
static const char *tmp_csv(char *path, const char *text)
{
	FILE *f;

	strcpy(path, "/tmp/wl-test-span.XXXXXX");
	cr_assert_geq(mkstemp(path), 0);
	f = fopen(path, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	return path;
}

Test(generic, absurd_time_spans_refused)
{
	/* 1e308 - -1e308 overflows to inf: once read as t = inf, it sized the
	 * correlation grid from NaN (issue 17, item 8).  A span beyond 1e10 s
	 * (317 years) is no power log. */
	char p1[64], p2[64], p3[64], p4[64];
	struct wl_dataset ds;

	ingest_fails(tmp_csv(p1, "time,power [W]\n-1e308,100\n1e308,100\n"), NULL, "line 3",
		     "more than 1e10 s");
	ingest_fails(tmp_csv(p2, "time,power [W]\n0,100\n2e10,100\n"), NULL, "line 3",
		     "more than 1e10 s");
	ingest_fails(tmp_csv(p3, "time,power [W]\n-1e300,100\n1e300,100\n"), NULL, "line 3",
		     "more than 1e10 s");
	/* 9e9 s apart is within the bound: read, and t is exact */
	ingest_ok(tmp_csv(p4, "time,power [W]\n0,100\n9e9,100\n"), NULL, NULL, &ds);
	cr_assert_eq(chan(&ds, "power", NULL)->t[1], 9e9);
	wl_dataset_release(&ds);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	unlink(p4);
}
