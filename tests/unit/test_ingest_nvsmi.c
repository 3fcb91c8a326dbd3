/* test_ingest_nvsmi.c - nvidia-smi --query-gpu CSV (src/analyze/ingest/ingest_nvsmi.c,
 * ingest_gpucsv.c): units in cells and headers, [N/A] cells, GPUs told apart
 * by index or uuid, and the powertrace-sim A100 log against its manifest. */
#include <json-c/json.h>
#include <math.h>
#include <time.h>

#include "ingest_testutil.h"

#define FX "fixtures/csv/"

static double utc(int y, int mo, int d, int h, int mi, double s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi };

	return (double)timegm(&tm) + s;
}

Test(nvsmi, units_na_and_two_gpus_by_index)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	cr_assert_str_eq(wl_ingest_detect(FX "nvsmi_units.csv", NULL), "nvidia-smi");
	ingest_ok(FX "nvsmi_units.csv", NULL, "UTC", &ds);
	cr_assert_str_eq(ds.format, "nvidia-smi");
	cr_assert_float_eq(ds.t0_realtime, utc(2024, 1, 2, 3, 4, 5.25), 1e-6);
	c = chan(&ds, "power.draw", "gpu0");
	cr_assert_str_eq(c->unit, "W");
	cr_assert_str_eq(c->source, "nvidia-smi");
	cr_assert_str_eq(c->component, "gpu0");
	cr_assert_eq(c->n, 2);
	cr_assert_float_eq(c->t[1], 0.5, 1e-6);
	cr_assert_float_eq(c->v[1], 300.0, 1e-9);
	c = chan(&ds, "power.draw", "gpu1");
	cr_assert_eq(c->n, 1, "[N/A] is absent, never 0");
	cr_assert_float_eq(c->v[0], 80.25, 1e-9);
	cr_assert_float_eq(c->t[0], 0.01, 1e-6);
	cr_assert_eq(c->instant, 0, "power.draw: averaged by the driver");
	c = chan(&ds, "power.draw.instant", "gpu0");
	cr_assert_eq(c->n, 1);
	cr_assert_str_eq(c->component, "gpu0");
	cr_assert_eq(c->instant, 1, "power.draw.instant: read at an instant");
	cr_assert_eq(wl_dataset_find(&ds, "power.draw.instant", "gpu1"), -1,
		     "[Not Supported] everywhere: no channel");
	cr_assert_str_eq(chan(&ds, "temperature.gpu", "gpu1")->unit, "C");
	cr_assert_str_eq(chan(&ds, "memory.used", "gpu1")->unit, "MiB");
	cr_assert_float_eq(chan(&ds, "memory.used", "gpu1")->v[1], 400.0, 1e-9);
	cr_assert_str_eq(chan(&ds, "utilization.gpu", "gpu0")->unit, "%");
	cr_assert_eq(wl_dataset_find(&ds, "name", NULL), -1);
	cr_assert_eq(wl_dataset_find(&ds, "pstate", NULL), -1);
	/* 6 numeric columns on 2 GPUs, less power.draw.instant on gpu1 */
	cr_assert_eq(ds.nch, 6 * 2 - 1);
	wl_dataset_release(&ds);
}

Test(nvsmi, nounits_gpus_by_uuid_order)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	cr_assert_str_eq(wl_ingest_detect(FX "nvsmi_nounits_uuid.csv", NULL), "nvidia-smi");
	ingest_ok(FX "nvsmi_nounits_uuid.csv", NULL, "UTC", &ds);
	/* GPU-zzzz appears first: gpu0, whatever its name sorts like. */
	c = chan(&ds, "power.draw", "gpu0");
	cr_assert_eq(c->n, 2);
	cr_assert_float_eq(c->v[0], 50.0, 1e-9);
	cr_assert_float_eq(c->v[1], 55.0, 1e-9);
	c = chan(&ds, "power.draw", "gpu1");
	cr_assert_eq(c->n, 2);
	cr_assert_float_eq(c->v[1], 65.0, 1e-9);
	cr_assert_float_eq(c->t[1], 0.51, 1e-6);
	cr_assert_eq(chan(&ds, "clocks.sm", "gpu0")->n, 3);
	cr_assert_str_eq(chan(&ds, "clocks.sm", "gpu0")->unit, "MHz");
	wl_dataset_release(&ds);
}

Test(nvsmi, broken_inputs)
{
	ingest_fails(FX "nvsmi_badnum.csv", NULL, "line 4",
		     "bad number '12,5x W' in column 'power.draw [W]'");
	ingest_fails(FX "empty.csv", "nvidia-smi", "empty", NULL);
	ingest_fails(FX "aimeter_nots.csv", "nvidia-smi", "missing column 'timestamp'", NULL);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, k, &v), "manifest lacks %s", k);
	return v;
}

Test(nvsmi, real_powertrace_a100_against_manifest)
{
	char dir[4096], path[8192], tz[64];
	struct wl_dataset ds;
	json_object *m, *clock, *window;
	double off, start, end, first;
	int y, mo, d, h, mi;
	double s;
	const char *ft;
	size_t rows;

	if (!real_traces("powertrace-sim-a100/validate_qwen3-8b_tp1", dir, sizeof(dir)))
		cr_skip_test("real traces absent (set WL_SHARED or ../shared)");
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = json_object_from_file(path);
	cr_assert(m);
	clock = get(m, "clock");
	off = json_object_get_double(get(clock, "local_utc_offset_s"));
	ft = json_object_get_string(get(clock, "power_first_timestamp"));
	window = get(get(m, "probe"), "window");
	start = json_object_get_double(get(window, "start_epoch"));
	end = json_object_get_double(get(window, "end_epoch"));
	cr_assert_eq(sscanf(ft, "%d/%d/%d %d:%d:%lf", &y, &mo, &d, &h, &mi, &s), 6);
	first = utc(y, mo, d, h, mi, s) - off;
	/* the writer's offset, -25200 s, as "-07:00" */
	snprintf(tz, sizeof(tz), "%c%02d:%02d", off < 0 ? '-' : '+', (int)(fabs(off) / 3600),
		 (int)fmod(fabs(off) / 60, 60));

	snprintf(path, sizeof(path), "%s/power.csv", dir);
	rows = count_lines(path) - 1;
	ingest_ok(path, NULL, tz, &ds);
	cr_assert_str_eq(ds.format, "nvidia-smi");
	cr_assert_eq(chan(&ds, "power.draw", "gpu0")->n, rows);
	cr_assert_eq(chan(&ds, "power.draw", "gpu0")->n,
		     (size_t)json_object_get_int(get(get(get(m, "instrumentation"), "power"), "samples")));
	cr_assert_float_eq(ds.t0_realtime, first, 1e-3);
	cr_assert(ds.t0_realtime >= start && ds.t0_realtime <= end,
		  "t0 %.3f outside the run window [%.3f, %.3f]", ds.t0_realtime, start, end);
	json_object_put(m);
	wl_dataset_release(&ds);
}

Test(nvsmi, interleaved_gpu_older_than_first_row)
{
	struct wl_dataset ds;
	const struct wl_channel *c;

	/* gpu1's first row (05.400) is older than the file's first (05.500):
	 * the origin moves to 05.400 and no time goes backwards. */
	ingest_ok(FX "nvsmi_early_gpu1.csv", NULL, "UTC", &ds);
	cr_assert_float_eq(ds.t0_realtime, utc(2024, 1, 2, 3, 4, 5.4), 1e-6);
	c = chan(&ds, "power.draw", "gpu1");
	cr_assert_float_eq(c->t[0], 0.0, 1e-6);
	cr_assert_float_eq(c->t[1], 1.0, 1e-6);
	c = chan(&ds, "power.draw", "gpu0");
	cr_assert_float_eq(c->t[0], 0.1, 1e-6);
	wl_dataset_release(&ds);
}
