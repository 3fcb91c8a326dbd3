/* test_ingest_aimeter.c - AIMeter CSV (src/analyze/ingest/ingest_aimeter.c,
 * ingest_gpucsv.c): a hand-made two-GPU fixture and AIMeter's own 30 files. */
#include <dirent.h>
#include <math.h>
#include <time.h>

#include "ingest_testutil.h"

#define FX "fixtures/csv/"

/* Epoch of a UTC civil time, via libc's timegm (independent of the code
 * under test). */
static double utc(int y, int mo, int d, int h, int mi, double s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi };

	return (double)timegm(&tm) + s;
}

Test(aimeter, two_gpus_units_and_host_metrics)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	cr_assert_str_eq(wl_ingest_detect(FX "aimeter_2gpu.csv", NULL), "aimeter");
	ingest_ok(FX "aimeter_2gpu.csv", NULL, "UTC", &ds);
	cr_assert_str_eq(ds.format, "aimeter");
	cr_assert_float_eq(ds.t0_realtime, utc(2025, 5, 7, 14, 32, 0.1), 1e-6);
	cr_assert(has_assumption(&ds, WL_ASSUME_ZONE, "read in UTC (--tz)"));
	cr_assert(has_assumption(&ds, WL_ASSUME_UNIT, "'GB/s' in column 'pcie_rx_bytes' read as "
				 "GiB/s"));
	/* 13 columns - timestamp, task_name, name, index = 9 metrics; 7 are
	 * per GPU (x2) and cpu_power, dram_power, cpu_usage, dram_usage host. */
	cr_assert_eq(ds.nch, 5 * 2 + 4);
	c = chan(&ds, "power.draw", "gpu1");
	cr_assert_str_eq(c->unit, "W");
	cr_assert_str_eq(c->component, "gpu1");
	cr_assert_eq(c->n, 3);
	cr_assert_float_eq(c->v[0], 200.0, 1e-9);
	cr_assert_float_eq(c->v[2], 220.0, 1e-9);
	cr_assert_float_eq(c->t[1], 0.2, 1e-6);
	cr_assert_float_eq(c->t[2], 0.5, 1e-6);
	cr_assert_str_eq(chan(&ds, "power.draw", "gpu0")->component, "gpu0");
	c = chan(&ds, "temperature.gpu", "gpu0");
	cr_assert_str_eq(c->unit, "C");
	cr_assert_str_eq(c->component, "");
	cr_assert_float_eq(c->v[1], 51.0, 1e-9);
	c = chan(&ds, "pcie_rx_bytes", "gpu1");
	cr_assert_str_eq(c->unit, "GiB/s");
	cr_assert_eq(c->n, 2, "the empty cell is absent, not 0");
	cr_assert_float_eq(c->v[1], 0.11, 1e-12);
	cr_assert_str_eq(chan(&ds, "pcie.link.gen.current", "gpu0")->unit, "");
	cr_assert_str_eq(chan(&ds, "clocks.current.sm", "gpu1")->unit, "MHz");
	/* Host metrics appear once per sample although each GPU row repeats them. */
	c = chan(&ds, "cpu_power", "cpu");
	cr_assert_str_eq(c->component, "cpu");
	cr_assert_eq(c->n, 3);
	cr_assert_float_eq(c->v[2], 170.0, 1e-9);
	c = chan(&ds, "dram_power", "dram");
	cr_assert_str_eq(c->component, "dram");
	cr_assert_eq(c->n, 3);
	cr_assert_str_eq(chan(&ds, "cpu_usage", "cpu")->component, "");
	cr_assert_str_eq(chan(&ds, "cpu_usage", "cpu")->unit, "%");
	wl_dataset_release(&ds);
}

Test(aimeter, tz_option_moves_t0)
{
	struct wl_dataset ds;

	/* "+02:00" is two hours east of UTC: local 14:32 is 12:32 UTC. */
	ingest_ok(FX "aimeter_2gpu.csv", "aimeter", "+02:00", &ds);
	cr_assert_float_eq(ds.t0_realtime, utc(2025, 5, 7, 12, 32, 0.1), 1e-6);
	wl_dataset_release(&ds);
}

Test(aimeter, broken_inputs)
{
	ingest_fails(FX "aimeter_badnum.csv", NULL, "line 3", "bad number '12.5.3 W' in column 'power.draw [W]'");
	ingest_fails(FX "aimeter_nots.csv", "aimeter", "missing column 'timestamp'", NULL);
	ingest_fails(FX "empty.csv", "aimeter", "empty", NULL);
	ingest_fails(FX "binary.bin", "aimeter", "line 1", "binary");
}

/* Fields of the header line, counted with plain string code. */
static size_t header_fields(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[8192];
	size_t n = 1;

	cr_assert(f);
	cr_assert(fgets(buf, sizeof(buf), f));
	fclose(f);
	for (char *p = buf; *p; p++)
		n += *p == ',';
	return n;
}

Test(aimeter, real_a800_files)
{
	static const char *const dirs[] = { "prefill-decode", "idle", "short" };
	char root[4096], sub[64], path[8192];
	size_t files = 0;

	for (size_t k = 0; k < 3; k++) {
		struct dirent *e;
		DIR *d;

		snprintf(sub, sizeof(sub), "aimeter-a800/%s", dirs[k]);
		if (!real_traces(sub, root, sizeof(root)))
			cr_skip_test("real traces absent (set WL_SHARED or ../shared)");
		d = opendir(root);
		cr_assert(d);
		while ((e = readdir(d))) {
			struct wl_dataset ds;
			size_t rows;

			if (!strstr(e->d_name, ".csv"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
			rows = count_lines(path) - 1;
			ingest_ok(path, NULL, NULL, &ds);
			cr_assert_str_eq(ds.format, "aimeter", "%s", path);
			/* every column but timestamp, task_name, name, index */
			cr_assert_eq(ds.nch, header_fields(path) - 4, "%s", path);
			for (size_t i = 0; i < ds.nch; i++)
				cr_assert_eq(ds.ch[i].n, rows, "%s: %s has %zu of %zu rows", path,
					     ds.ch[i].name, ds.ch[i].n, rows);
			cr_assert_str_eq(chan(&ds, "power.draw", "gpu0")->unit, "W");
			cr_assert(!isnan(ds.t0_realtime));
			wl_dataset_release(&ds);
			files++;
		}
		closedir(d);
	}
	cr_assert_eq(files, 30);
}
