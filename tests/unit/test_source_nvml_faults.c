/*
 * test_source_nvml_faults.c - the NVML source when things go wrong: a GPU
 * lost mid-run or before open, a call that starts failing, MIG mode, no
 * library, no GPU, an old or partial library (the fake's variants, skipped
 * when not built).
 */
#include "nvml_fx.h"

Test(nvml, lost_gpu_stops_alone_then_all_lost)
{
	struct fx f;
	int good1 = 0, good0 = 0, r, told = 0;
	unsigned probe;

	open_fx(&f, "lost.txt", NULL);
	probe = f.calls(1, "power"); /* reads made by open */
	for (int i = 1; i <= 20; i++) {
		r = sample(&f, i * SEC);
		if (r == -1) {
			cr_expect(strstr(f.err.msg, "every gpu is lost"), "%s", f.err.msg);
			cr_expect(strstr(f.err.msg, "gpu0"), "%s", f.err.msg);
			break;
		}
		if (r == 1) {
			cr_expect(strstr(f.err.msg, "gpu1"), "%s", f.err.msg);
			cr_expect(strstr(f.err.msg, "GPU is lost"), "%s", f.err.msg);
			cr_expect_not(strstr(f.err.msg, "gpu0"), "%s", f.err.msg);
			told++;
		}
		if (has(&f, "gpu1", "power.draw")) {
			cr_expect(r == 0 && !told, "gpu1 has a value after it was lost");
			good1++;
		}
		cr_expect_eq(has(&f, "gpu1", "energy"), has(&f, "gpu1", "power.draw"));
		if (has(&f, "gpu0", "power.draw"))
			good0++;
	}
	cr_expect_eq(r, -1);
	cr_expect_eq(told, 1, "the loss of gpu1 is said once");
	/* lost_after 4 and 7 power reads, including open's */
	cr_expect_eq(good1, 4 - (int)probe);
	cr_expect_eq(good0, 7 - (int)probe);
	close_fx(&f);
}

Test(nvml, failing_call_stops_its_channel)
{
	struct fx f;
	int said = 0, sm = 0, nvl = 0;

	open_fx(&f, "failing.txt", NULL);
	for (int i = 1; i <= 10; i++) {
		int r = sample(&f, i * SEC);
		cr_assert_neq(r, -1, "%s", f.err.msg);
		if (r == 1) {
			said++;
			/* three failures in a row: clocks.sm at samples 2-4, NVLink
			 * (4 links, one call) at samples 3-5 */
			if (i == 4)
				cr_expect(strstr(f.err.msg, "gpu0: nvmlDeviceGetClockInfo failed 3 times "
						  "in a row (Unknown Error): stopped clocks.sm"), "%s", f.err.msg);
			else if (i == 5)
				cr_expect(strstr(f.err.msg, "failed 3 times in a row (Unknown Error): stopped nvlink.tx"),
					  "%s", f.err.msg);
			else
				cr_expect_fail("sample %d said: %s", i, f.err.msg);
		}
		sm += has(&f, "gpu0", "clocks.sm");
		nvl += has(&f, "gpu0", "nvlink.tx");
		cr_expect(has(&f, "gpu0", "clocks.gr"));
		cr_expect(has(&f, "gpu0", "power.draw"));
	}
	cr_expect_eq(said, 2);
	cr_expect_eq(sm, 1, "one good read after open's");
	cr_expect_eq(nvl, 1, "one rate after the baseline");
	close_fx(&f);
}

Test(nvml, mig_mode_is_said)
{
	struct fx f;

	open_fx(&f, "mig.txt", NULL);
	cr_expect_str_eq(meta(&f, "gpu0.mig_mode"), "enabled");
	cr_expect_not_null(meta(&f, "gpu0.mig_note"));
	cr_expect_lt(chan(&f, "gpu0", "utilization.gpu"), 0);
	cr_expect_eq(sample(&f, SEC), 1);
	cr_expect(strstr(f.err.msg, "MIG"), "%s", f.err.msg);
	cr_expect_eq(value(&f, "gpu0", "power.draw").u, 90000);
	cr_expect_eq(sample(&f, 2 * SEC), 0, "said once");
	close_fx(&f);
}

Test(nvml, unavailable_with_a_reason)
{
	struct fx f;

	setenv("WATTLOG_NVML_LIB", "/nonexistent/libnvidia-ml.so.1", 1);
	cr_expect_eq(try_open(&f, "h100x2.txt", NULL, 0), -1);
	cr_expect(strstr(f.err.msg, "cannot load '/nonexistent/libnvidia-ml.so.1'"), "%s", f.err.msg);
	wl_source_nvml.close(NULL);

	use_lib("libfake-nvml.so");
	cr_expect_eq(try_open(&f, "none.txt", NULL, 0), -1);
	cr_expect(strstr(f.err.msg, "no gpu found"), "%s", f.err.msg);

	cr_expect_eq(try_open(&f, "does-not-exist.txt", NULL, 0), -1);
	cr_expect(strstr(f.err.msg, "nvmlInit_v2 failed: Driver Not Loaded"), "%s", f.err.msg);
}

Test(nvml, missing_entry_point_only_drops_its_metrics)
{
	struct fx f;
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/libfake-nvml-nofields.so", build_dir());
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not built", path);
	setenv("WATTLOG_NVML_LIB", path, 1);
	open_fx(&f, "h100x2.txt", "0");
	cr_expect_lt(chan(&f, "gpu0", "power.draw.instant"), 0);
	cr_expect_lt(chan(&f, "gpu0", "temperature.memory"), 0);
	cr_expect_lt(chan(&f, "gpu0", "nvlink.tx"), 0);
	cr_expect_lt(chan(&f, "gpu0", "pcie.tx"), 0, "no fields and no pcie_tx_kbs in the script");
	cr_expect_geq(chan(&f, "gpu0", "power.draw"), 0);
	cr_expect_geq(chan(&f, "gpu0", "sm_active"), 0);
	cr_expect_eq(f.d->n, 28 - 6);
	close_fx(&f);
}

Test(nvml, gpu_lost_before_open)
{
	struct fx f;

	open_fx(&f, "dead.txt", NULL);
	cr_expect_eq(f.d->n, 2, "gpu1's power and energy only");
	cr_expect_lt(chan(&f, "gpu0", "power.draw"), 0);
	cr_expect_str_eq(meta(&f, "gpu0.error"), "answers no metric");
	cr_assert_eq(sample(&f, SEC), 0, "%s", f.err.msg);
	cr_expect_eq(value(&f, "gpu1", "power.draw").u, 50000 + 10 * (f.calls(1, "power") - 1));
	close_fx(&f);

	cr_expect_eq(try_open(&f, "alldead.txt", NULL, 0), -1);
	cr_expect(strstr(f.err.msg, "no gpu answers any metric (1 found)"), "%s", f.err.msg);
}

Test(nvml, old_abi_is_refused)
{
	struct fx f;
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/libfake-nvml-old.so", build_dir());
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not built", path);
	setenv("WATTLOG_NVML_LIB", path, 1);
	cr_expect_eq(try_open(&f, "h100x2.txt", NULL, 0), -1);
	cr_expect(strstr(f.err.msg, "lacks nvmlInit_v2"), "%s", f.err.msg);
}
