/* test_ingest_tegrastats.c - Jetson tegrastats logs
 * (src/analyze/ingest/ingest_tegrastats.c): a hand-made log, broken lines, and the
 * real Orin logs against the running averages on their own last line. */
#include <dirent.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

#include "ingest_testutil.h"

#define FX "fixtures/csv/"

Test(tegrastats, small_log)
{
	struct tm tm = { .tm_year = 124, .tm_mon = 4, .tm_mday = 1, .tm_hour = 16,
			 .tm_min = 38, .tm_sec = 15 };
	struct wl_dataset ds;
	const struct wl_channel *c;

	cr_assert_str_eq(wl_ingest_detect(FX "tegrastats_small.log", NULL), "tegrastats");
	ingest_ok(FX "tegrastats_small.log", NULL, "UTC", &ds);
	cr_assert_float_eq(ds.t0_realtime, (double)timegm(&tm), 1e-6, "month-day-year");
	c = chan(&ds, "VDD_IN", NULL);
	cr_assert_str_eq(c->unit, "mW");
	cr_assert_str_eq(c->component, "VDD_IN");
	cr_assert_eq(c->n, 3);
	cr_assert_float_eq(c->v[1], 13000.0, 1e-9);
	cr_assert_float_eq(c->t[2], 3.0, 1e-9);
	c = chan(&ds, "VDD_IN.avg", NULL);
	cr_assert_str_eq(c->component, "");
	cr_assert_float_eq(c->v[2], 10333.0, 1e-9);
	cr_assert_float_eq(chan(&ds, "VDD_SOC", NULL)->v[2], 2000.0, 1e-9);
	c = chan(&ds, "cpu.busy", "cpu0");
	cr_assert_str_eq(c->unit, "%");
	cr_assert_float_eq(c->v[1], 8.0, 1e-9);
	cr_assert_eq(chan(&ds, "cpu.busy", "cpu2")->n, 1, "off cores are absent");
	cr_assert_eq(chan(&ds, "cpu.busy", "cpu3")->n, 2);
	cr_assert_float_eq(chan(&ds, "cpu.freq", "cpu3")->v[0], 729.0, 1e-9);
	cr_assert_str_eq(chan(&ds, "cpu.freq", "cpu3")->unit, "MHz");
	cr_assert_float_eq(chan(&ds, "gr3d_freq", NULL)->v[2], 50.0, 1e-9);
	c = chan(&ds, "temp.cpu", NULL);
	cr_assert_str_eq(c->unit, "C");
	cr_assert_float_eq(c->v[1], 51.687, 1e-9);
	c = chan(&ds, "ram.used", NULL);
	cr_assert_str_eq(c->unit, "MiB");
	cr_assert_float_eq(c->v[2], 7130.0, 1e-9);
	cr_assert_float_eq(chan(&ds, "ram.total", NULL)->v[0], 7620.0, 1e-9);
	wl_dataset_release(&ds);
}

Test(tegrastats, broken_inputs)
{
	ingest_fails(FX "tegrastats_bad.log", NULL, "line 2", "13x00mW/10000mW");
	ingest_fails(FX "empty.csv", "tegrastats", "empty", NULL);
	ingest_fails(FX "generic_rel.csv", "tegrastats", "line 1", "no tegrastats line");
	ingest_fails(FX "binary.bin", "tegrastats", "line 1", "binary");
}

struct rail {
	char name[64];
	double avg;
};

/* Rails "NAME <n>mW/<avg>mW" of the last non-blank line, by plain string
 * code.  Returns the number of rails. */
static size_t last_line_rails(const char *path, struct rail *r, size_t max)
{
	static char line[65536], last[65536];
	FILE *f = fopen(path, "r");
	char *save = NULL, *prev = NULL, *tok;
	size_t n = 0;

	cr_assert(f);
	last[0] = 0;
	while (fgets(line, sizeof(line), f))
		if (strspn(line, " \r\n") != strlen(line))
			strcpy(last, line);
	fclose(f);
	for (tok = strtok_r(last, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		char *slash = strchr(tok, '/');
		size_t len = strlen(tok);

		if (prev && slash && len > 2 && !strcmp(tok + len - 2, "mW") && n < max &&
		    !strncmp(slash - 2, "mW", 2)) {
			snprintf(r[n].name, sizeof(r[n].name), "%s", prev);
			r[n].avg = atof(slash + 1);
			n++;
		}
		prev = tok;
	}
	return n;
}

Test(tegrastats, real_orin_running_average)
{
	char dir[4096], path[8192];
	struct dirent *e;
	size_t logs = 0;
	DIR *d;

	if (!real_traces("jetson-orin", dir, sizeof(dir)))
		cr_skip_test("real traces absent (set WL_SHARED or ../shared)");
	d = opendir(dir);
	cr_assert(d);
	while ((e = readdir(d))) {
		struct rail rails[16];
		struct wl_dataset ds;
		size_t nr, lines;

		if (!strstr(e->d_name, ".log"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		nr = last_line_rails(path, rails, 16);
		cr_assert_geq(nr, 3, "%s: rails on the last line", path);
		lines = count_lines(path);
		ingest_ok(path, NULL, NULL, &ds);
		cr_assert_str_eq(ds.format, "tegrastats");
		for (size_t k = 0; k < nr; k++) {
			const struct wl_channel *c = chan(&ds, rails[k].name, NULL);
			double sum = 0;

			cr_assert_eq(c->n, lines, "%s %s", path, rails[k].name);
			for (size_t i = 0; i < c->n; i++)
				sum += c->v[i];
			cr_assert(fabs(sum / (double)c->n - rails[k].avg) <= 1.0,
				  "%s %s: mean %.3f mW, log's running average %.0f mW", path,
				  rails[k].name, sum / (double)c->n, rails[k].avg);
		}
		wl_dataset_release(&ds);
		logs++;
	}
	closedir(d);
	cr_assert_eq(logs, 3);
}

/* Writes text to a temporary file; returns its path in buf. */
static const char *tmpfile_with(char *buf, size_t sz, const char *text)
{
	FILE *f;
	int fd;

	snprintf(buf, sz, "/tmp/wl-tegra-XXXXXX");
	fd = mkstemp(buf);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return buf;
}

Test(tegrastats, nano_without_dates_or_mw)
{
	static const char log[] =
		"RAM 2350/3956MB (lfb 3x4MB) SWAP 0/1978MB (cached 0MB) CPU [1%@102,off] "
		"EMC_FREQ 0% GR3D_FREQ 0% PLL@23C POM_5V_IN 920/920 POM_5V_GPU 0/0 POM_5V_CPU 123/123\n"
		"RAM 2350/3956MB (lfb 3x4MB) SWAP 0/1978MB (cached 0MB) CPU [3%@102,off] "
		"EMC_FREQ 0% GR3D_FREQ 0% PLL@23C POM_5V_IN 1840/1380 POM_5V_GPU 0/0 POM_5V_CPU 400/261\n";
	struct wl_ingest_opts o = { .interval_s = 0.25 };
	struct wl_error err = { { 0 } };
	struct wl_dataset ds;
	const struct wl_channel *c;
	char path[64];

	tmpfile_with(path, sizeof(path), log);
	cr_assert_str_eq(wl_ingest_detect(path, NULL), "tegrastats");
	ingest_fails(path, NULL, "--interval", "without a date");
	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest(path, &o, &ds, &err), 0, "%s", err.msg);
	cr_assert(isnan(ds.t0_realtime), "no date: wall clock unknown");
	c = chan(&ds, "POM_5V_IN", NULL);
	cr_assert_str_eq(c->unit, "mW");
	cr_assert_eq(c->n, 2);
	cr_assert_float_eq(c->t[1], 0.25, 1e-12);
	cr_assert_float_eq(c->v[1], 1840.0, 1e-12);
	cr_assert(has_assumption(&ds, WL_ASSUME_UNIT, "read as mW"));
	cr_assert(has_assumption(&ds, WL_ASSUME_TIME, "--interval"));
	cr_assert(has_assumption(&ds, WL_ASSUME_RAIL, "POM_5V_IN is the module input of Jetson Nano"));
	wl_dataset_release(&ds);
	unlink(path);
}

Test(tegrastats, agx_orin_has_no_input_rail)
{
	static const char log[] =
		"05-01-2024 16:38:15 RAM 7128/30536MB CPU [8%@729] GR3D_FREQ 0% "
		"VDD_GPU_SOC 3000mW/3000mW VDD_CPU_CV 1000mW/1000mW VIN_SYS_5V0 2000mW/2000mW\n";
	struct wl_dataset ds;

	char path[64];

	tmpfile_with(path, sizeof(path), log);
	ingest_ok(path, NULL, "UTC", &ds);
	cr_assert(has_assumption(&ds, WL_ASSUME_RAIL, "Jetson AGX Orin has no module-input rail: "
				 "the total is the sum of the rails"));
	cr_assert_str_eq(chan(&ds, "VIN_SYS_5V0", NULL)->component, "VIN_SYS_5V0");
	wl_dataset_release(&ds);
	unlink(path);
}
