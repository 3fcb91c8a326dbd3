/* test_ingest_rapltrace.c - the RAPL tracer's long format
 * (src/analyze/ingest/ingest_rapltrace.c): counters built as running sums whose
 * difference equals the energy column's sum. */
#include <dirent.h>
#include <math.h>

#include "ingest_testutil.h"

#define FX "fixtures/csv/"

Test(rapltrace, small_trace)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	cr_assert_str_eq(wl_ingest_detect(FX "rapl_small.txt", NULL), "rapl-trace");
	ingest_ok(FX "rapl_small.txt", NULL, NULL, &ds);
	cr_assert_eq(ds.nch, 2);
	c = chan(&ds, "package", "socket0");
	cr_assert_eq(c->kind, WL_DS_COUNTER);
	cr_assert_str_eq(c->unit, "J");
	cr_assert_str_eq(c->component, "cpu");
	cr_assert_eq(c->n, 4, "3 rows + the synthetic zero");
	/* origin = earliest t - interval = 0.010 - 0.010 = 0 */
	cr_assert_float_eq(c->t[0], 0.0, 1e-12);
	cr_assert_float_eq(c->v[0], 0.0, 1e-12);
	cr_assert_float_eq(c->t[3], 0.030, 1e-12);
	cr_assert_float_eq(c->v[3] - c->v[0], 0.5 + 0.25 + 0.75, 1e-12);
	c = chan(&ds, "dram", "socket0");
	cr_assert_str_eq(c->component, "dram");
	cr_assert_float_eq(c->t[0], 0.001, 1e-12);
	cr_assert_float_eq(c->v[3] - c->v[0], 0.05 + 0.025 + 0.075, 1e-12);
	cr_assert(isnan(ds.t0_realtime));
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "rapl.timestamp"), "1693479212.4872582");
	cr_assert_geq(ds.nwarn, 1, "the unknown wall clock is said");
	wl_dataset_release(&ds);
}

Test(rapltrace, broken_inputs)
{
	ingest_fails(FX "generic_rel.csv", "rapl-trace", "line 1", "header");
	ingest_fails(FX "empty.csv", "rapl-trace", "empty", NULL);
	ingest_fails(FX "binary.bin", "rapl-trace", "line 1", "binary");
}

/* Sum of the energy column per socket (N0/N1) x domain (package/ram), by
 * plain string code. */
static void sums(const char *path, double s[2][2])
{
	char line[512];
	FILE *f = fopen(path, "r");

	cr_assert(f);
	memset(s, 0, sizeof(double) * 4);
	while (fgets(line, sizeof(line), f)) {
		char sock[16], dom[16];
		double t, dt, e, p;

		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%lf,%lf,%15[^,],%15[^,],%lf,%lf", &t, &dt, sock, dom,
				    &e, &p), 6, "%s", line);
		s[sock[1] == '1'][!strcmp(dom, "ram")] += e;
	}
	fclose(f);
}

Test(rapltrace, real_broadwell_energy_equals_column_sum)
{
	static const char *const files[] = { "compute_perf.txt", "idle_perf.txt" };
	char dir[4096], path[8192], dev[16];

	if (!real_traces("rapl-broadwell", dir, sizeof(dir)))
		cr_skip_test("real traces absent (set WL_SHARED or ../shared)");
	for (size_t k = 0; k < 2; k++) {
		struct wl_dataset ds;
		double s[2][2];

		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		sums(path, s);
		ingest_ok(path, NULL, NULL, &ds);
		cr_assert_eq(ds.nch, 4);
		for (int so = 0; so < 2; so++) {
			for (int dm = 0; dm < 2; dm++) {
				const struct wl_channel *c;
				double e;

				snprintf(dev, sizeof(dev), "socket%d", so);
				c = chan(&ds, dm ? "dram" : "package", dev);
				e = c->v[c->n - 1] - c->v[0];
				cr_assert(s[so][dm] > 1.0);
				cr_assert(fabs(e - s[so][dm]) <= 1e-3 * s[so][dm],
					  "%s %s %s: counter %.6f J, column sum %.6f J", files[k], dev,
					  c->name, e, s[so][dm]);
			}
		}
		wl_dataset_release(&ds);
	}
}
