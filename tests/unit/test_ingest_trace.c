/* test_ingest_trace.c - a wattlog trace into a struct wl_dataset
 * (src/analyze/ingest/ingest_trace.c): origin, values, counters, components,
 * wall clock, markers, damage as warnings.  Traces are written here with the
 * writer; every expected number is worked out by hand in the comments. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "wattlog/trace.h"

static struct wl_error err;

static void chan(struct wl_writer *w, uint16_t id, uint8_t kind, uint8_t type, uint64_t wrap,
		 double scale, const char *src, const char *name, const char *unit, const char *dev)
{
	struct wl_chan_info c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.kind = kind;
	c.type = type;
	c.wrap = wrap;
	c.scale = scale;
	strcpy(c.source, src);
	strcpy(c.name, name);
	strcpy(c.unit, unit);
	strcpy(c.device, dev);
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0, "%s", err.msg);
}

static void sample1(struct wl_writer *w, uint64_t t, uint16_t id, union wl_value v)
{
	cr_assert_eq(wl_writer_sample(w, t, &id, &v, 1, &err), 0, "%s", err.msg);
}

static char path[64];

/* A trace with start_monotonic_ns = 5e9 and start_realtime_ns = 1.7e18. */
static struct wl_writer *start(int *fd, int with_start)
{
	struct wl_kv kv[3] = { { "hostname", "box" }, { "start_monotonic_ns", "5000000000" },
			       { "start_realtime_ns", "1700000000000000000" } };
	struct wl_writer *w;

	strcpy(path, "/tmp/wl-test-ingest.XXXXXX");
	*fd = mkstemp(path);
	cr_assert(*fd >= 0);
	w = wl_writer_open(*fd, 200, &err);
	cr_assert(w, "%s", err.msg);
	cr_assert_eq(wl_writer_meta(w, with_start ? kv : kv, with_start ? 3 : 1, &err), 0);
	return w;
}

static void finish(struct wl_writer *w, int fd)
{
	cr_assert_eq(wl_writer_flush(w, &err), 0, "%s", err.msg);
	wl_writer_free(w);
	close(fd);
}

Test(ingest_trace, values_origin_counters_components)
{
	struct wl_dataset ds;
	struct wl_writer *w;
	int fd;
	long i;

	w = start(&fd, 1);
	chan(w, 1, WL_KIND_COUNTER, WL_TYPE_U64, 262143328850ull, 1.0, "powercap", "package-0",
	     "uJ", "package-0");
	chan(w, 2, WL_KIND_GAUGE, WL_TYPE_U64, 0, 1.0, "powercap", "core", "uJ", "package-0");
	chan(w, 3, WL_KIND_GAUGE, WL_TYPE_F64, 0, 1e-3, "nvml", "power.draw", "W", "gpu1");
	chan(w, 4, WL_KIND_GAUGE, WL_TYPE_I64, 0, 0.25, "nvml", "temperature.gpu", "C", "gpu1");
	chan(w, 5, WL_KIND_COUNTER, WL_TYPE_U64, 1000, 0.001, "pm_counters", "accel12_energy",
	     "J", "");
	chan(w, 6, WL_KIND_GAUGE, WL_TYPE_F64, 0, 1, "pm_counters", "memory_power", "W", "");
	chan(w, 7, WL_KIND_GAUGE, WL_TYPE_F64, 0, 1, "rapl", "dram", "W", "dram");
	/* t = 5.5e9 ns -> 0.5 s after the start; 4.5e9 -> -0.5 s. */
	sample1(w, 5500000000ull, 1, (union wl_value){ .u = 262143328849ull });
	sample1(w, 6000000000ull, 1, (union wl_value){ .u = 5 });
	sample1(w, 4500000000ull, 3, (union wl_value){ .f = 250500.0 });
	sample1(w, 5000000000ull, 4, (union wl_value){ .i = -8 });
	cr_assert_eq(wl_writer_marker(w, 5250000000ull, WL_MARKER_TRUTH, "begin decode", 12, &err), 0);
	finish(w, fd);

	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest_trace(path, NULL, &ds, &err), 0, "%s", err.msg);
	cr_assert_eq(ds.nch, 7);
	i = wl_dataset_find(&ds, "package-0", "package-0");
	cr_assert_eq(ds.ch[i].kind, WL_DS_COUNTER);
	cr_assert_eq(ds.ch[i].wrap, 262143328850.0);
	cr_assert_str_eq(ds.ch[i].component, "cpu");
	cr_assert_str_eq(ds.ch[i].source, "powercap");
	cr_assert_eq(ds.ch[i].n, 2);
	cr_assert_eq(ds.ch[i].t[0], 0.5);
	cr_assert_eq(ds.ch[i].t[1], 1.0);
	cr_assert_eq(ds.ch[i].v[0], 262143328849.0);
	cr_assert_eq(ds.ch[i].v[1], 5.0);
	cr_assert_str_eq(ds.ch[wl_dataset_find(&ds, "core", NULL)].component, "");
	i = wl_dataset_find(&ds, "power.draw", "gpu1");
	cr_assert_str_eq(ds.ch[i].component, "gpu1");
	cr_assert_eq(ds.ch[i].t[0], -0.5);
	cr_assert_float_eq(ds.ch[i].v[0], 250.5, 1e-12); /* 250500 mW * 1e-3 */
	i = wl_dataset_find(&ds, "temperature.gpu", "gpu1");
	cr_assert_str_eq(ds.ch[i].component, "");
	cr_assert_eq(ds.ch[i].v[0], -2.0); /* -8 * 0.25 */
	cr_assert_eq(ds.ch[i].t[0], 0.0);
	i = wl_dataset_find(&ds, "accel12_energy", NULL);
	cr_assert_str_eq(ds.ch[i].component, "gpu12");
	cr_assert_float_eq(ds.ch[i].wrap, 1.0, 1e-15); /* 1000 raw * 0.001 J */
	cr_assert_eq(ds.ch[i].n, 0);
	cr_assert_str_eq(ds.ch[wl_dataset_find(&ds, "memory_power", NULL)].component, "dram");
	cr_assert_str_eq(ds.ch[wl_dataset_find(&ds, "dram", NULL)].component, "dram");
	cr_assert_eq(ds.nmk, 1);
	cr_assert_eq(ds.mk[0].t, 0.25);
	cr_assert_eq(ds.mk[0].flags, WL_MARKER_TRUTH);
	cr_assert_str_eq(ds.mk[0].text, "begin decode");
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "hostname"), "box");
	/* No SYNC: t0 = start_realtime_ns, the origin being start_monotonic_ns. */
	cr_assert_float_eq(ds.t0_realtime, 1.7e9, 1e-6);
	cr_assert_eq(ds.nwarn, 0);
	wl_dataset_release(&ds);
	unlink(path);
}

Test(ingest_trace, sync_origin_without_start_and_damage)
{
	struct wl_dataset ds;
	struct wl_writer *w;
	int fd;

	w = start(&fd, 0);
	chan(w, 1, WL_KIND_GAUGE, WL_TYPE_F64, 0, 1, "nvml", "power.draw.instant", "W", "gpu0");
	/* No start_monotonic_ns: the first time-stamped record, a LOG at 1e9
	 * ns, is t = 0.  The SYNC pairs monotonic 2e9 with realtime 1.7e18 + 5e9,
	 * so t0 = 1.7e9 + 5 - (2 - 1) = 1700000004 s. */
	cr_assert_eq(wl_writer_log(w, 1000000000ull, WL_LOG_INFO, "started", &err), 0);
	cr_assert_eq(wl_writer_sync(w, 2000000000ull, 1700000000000000000ull + 5000000000ull, &err), 0);
	cr_assert_eq(wl_writer_log(w, 2000000000ull, WL_LOG_ERROR, "disk full", &err), 0);
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	for (int k = 0; k < 40; k++)
		sample1(w, 2000000000ull + 1000000ull * (uint64_t)k, 1, (union wl_value){ .f = k });
	finish(w, fd);

	/* Flip a byte in the last block's payload: its samples are lost and a
	 * warning names the file and the block's offset. */
	FILE *f = fopen(path, "r+b");
	long size;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size - 3, SEEK_SET);
	fputc(0x55 ^ 0xFF, f);
	fclose(f);

	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest_trace(path, NULL, &ds, &err), 0, "%s", err.msg);
	cr_assert_float_eq(ds.t0_realtime, 1700000004.0, 1e-6);
	cr_assert_str_eq(ds.ch[0].component, "gpu0");
	cr_assert_eq(ds.ch[0].instant, 1, "power.draw.instant is read at an instant");
	cr_assert(ds.ch[0].n > 0 && ds.ch[0].n < 40, "%zu", ds.ch[0].n);
	for (size_t k = 0; k < ds.ch[0].n; k++) {
		cr_assert_float_eq(ds.ch[0].t[k], 1 + 0.001 * (double)k, 1e-12);
		cr_assert_eq(ds.ch[0].v[k], (double)k);
	}
	/* The ERROR log record (info is not a warning), then the damage. */
	cr_assert_eq(ds.nwarn, 2);
	cr_assert(strstr(ds.warn[0], "disk full"), "%s", ds.warn[0]);
	cr_assert(strstr(ds.warn[1], path) && strstr(ds.warn[1], "checksum"), "%s", ds.warn[1]);
	cr_assert(strstr(ds.warn[0], path) && strstr(ds.warn[0], "offset"), "%s", ds.warn[0]);
	wl_dataset_release(&ds);
	unlink(path);
}
