/*
 * test_source_nvml.c - the NVML source driven through its ops table against
 * the fake library (build/tests/libfake-nvml.so) and the scripts in
 * fixtures/nvml/: channels, metadata, values, polling groups, --gpus.
 * Every expected value comes from the fixture's script: the fake answers
 * BASE + k * STEP on its k-th call of a key, and the test reads k from the
 * fake itself (fake_nvml_calls) before each sample.  Faults:
 * test_source_nvml_faults.c.
 */
#include "nvml_fx.h"

Test(nvml, every_channel_with_unit_and_kind)
{
	struct fx f;

	open_fx(&f, "h100x2.txt", NULL);
	expect_chan(&f, "gpu0", "power.draw", "W", G, U, 0.001);
	expect_chan(&f, "gpu0", "power.draw.instant", "W", G, U, 0.001);
	expect_chan(&f, "gpu0", "energy", "J", WL_KIND_COUNTER, U, 0.001);
	expect_chan(&f, "gpu0", "temperature.gpu", "C", G, U, 1);
	expect_chan(&f, "gpu0", "temperature.memory", "C", G, U, 1);
	expect_chan(&f, "gpu0", "utilization.gpu", "%", G, U, 1);
	expect_chan(&f, "gpu0", "utilization.memory", "%", G, U, 1);
	expect_chan(&f, "gpu0", "clocks.gr", "MHz", G, U, 1);
	expect_chan(&f, "gpu0", "clocks.sm", "MHz", G, U, 1);
	expect_chan(&f, "gpu0", "clocks.mem", "MHz", G, U, 1);
	expect_chan(&f, "gpu0", "memory.used", "B", G, U, 1);
	expect_chan(&f, "gpu0", "memory.total", "B", G, U, 1);
	expect_chan(&f, "gpu0", "memory.usage", "%", G, F, 1);
	expect_chan(&f, "gpu0", "pcie.link.gen.current", "", G, U, 1);
	expect_chan(&f, "gpu0", "pcie.link.width.current", "lanes", G, U, 1);
	expect_chan(&f, "gpu0", "pcie.tx", "B/s", G, F, 1);
	expect_chan(&f, "gpu0", "pcie.rx", "B/s", G, F, 1);
	expect_chan(&f, "gpu0", "nvlink.tx", "B/s", G, F, 1);
	expect_chan(&f, "gpu0", "nvlink.rx", "B/s", G, F, 1);
	expect_chan(&f, "gpu0", "sm_active", "%", G, F, 1);
	expect_chan(&f, "gpu0", "sm_occupancy", "%", G, F, 1);
	expect_chan(&f, "gpu0", "tensor_active", "%", G, F, 1);
	expect_chan(&f, "gpu0", "fp16_active", "%", G, F, 1);
	expect_chan(&f, "gpu0", "fp32_active", "%", G, F, 1);
	expect_chan(&f, "gpu0", "fp64_active", "%", G, F, 1);
	expect_chan(&f, "gpu0", "dram_active", "%", G, F, 1);
	expect_chan(&f, "gpu0", "clocks_event_reasons", "", G, U, 1);
	expect_chan(&f, "gpu0", "power.limit", "W", G, U, 0.001);
	/* 28 metrics on gpu0; gpu1 lacks memory temperature, NVLink (2) and GPM (7) */
	cr_expect_eq(f.d->n, 28 + 28 - 10);
	close_fx(&f);
}

Test(nvml, metadata)
{
	struct fx f;

	open_fx(&f, "h100x2.txt", NULL);
	cr_expect_str_eq(meta(&f, "gpu0.name"), "NVIDIA H100 80GB HBM3");
	cr_expect_str_eq(meta(&f, "gpu0.uuid"), "GPU-11111111-2222-3333-4444-555555555555");
	cr_expect_str_eq(meta(&f, "gpu0.pci_bus_id"), "00000000:19:00.0");
	cr_expect_str_eq(meta(&f, "gpu0.driver"), "550.54.15");
	cr_expect_str_eq(meta(&f, "nvml_version"), "12.550.54.15");
	cr_expect_str_eq(meta(&f, "gpu0.max_clock_sm"), "1980");
	cr_expect_str_eq(meta(&f, "gpu0.max_clock_mem"), "2619");
	cr_expect_str_eq(meta(&f, "gpu0.max_clock_graphics"), "1980");
	cr_expect_str_eq(meta(&f, "gpu0.power_limit_min"), "200.000"); /* 200000 mW */
	cr_expect_str_eq(meta(&f, "gpu0.power_limit_max"), "700.000");
	cr_expect_str_eq(meta(&f, "gpu0.power_limit_default"), "700.000");
	cr_expect_str_eq(meta(&f, "gpu0.mig_mode"), "disabled");
	cr_expect_str_eq(meta(&f, "gpu0.persistence_mode"), "enabled");
	cr_expect_str_eq(meta(&f, "gpu1.name"), "NVIDIA A100-SXM4-40GB");
	cr_expect_str_eq(meta(&f, "gpu1.persistence_mode"), "disabled");
	cr_expect_null(meta(&f, "nvml.cost.power_usage_us"));
	close_fx(&f);
}

Test(nvml, values_follow_the_script)
{
	struct fx f;
	unsigned kp, ke, kt, ktx, knv, kpi;
	double dt = 1.0; /* s between samples: every group is due each time */

	open_fx(&f, "h100x2.txt", NULL);
	cr_assert_eq(sample(&f, 1 * SEC), 0, "%s", f.err.msg);
	/* first pass: counters only set their baseline, GPM its first sample */
	cr_expect_not(has(&f, "gpu0", "pcie.tx"));
	cr_expect_not(has(&f, "gpu0", "nvlink.tx"));
	cr_expect_not(has(&f, "gpu0", "sm_active"));
	cr_expect_eq(value(&f, "gpu0", "temperature.memory").u, 50);
	cr_expect_eq(value(&f, "gpu0", "utilization.gpu").u, 60);
	cr_expect_eq(value(&f, "gpu0", "utilization.memory").u, 30);
	cr_expect_eq(value(&f, "gpu0", "clocks.gr").u, 1755);
	cr_expect_eq(value(&f, "gpu0", "clocks.sm").u, 1980);
	cr_expect_eq(value(&f, "gpu0", "clocks.mem").u, 2619);
	cr_expect_eq(value(&f, "gpu0", "memory.total").u, 85899345920ull);
	cr_expect_eq(value(&f, "gpu0", "memory.used").u, 21474836480ull);
	/* 20 GiB of 80 GiB = 25 % */
	cr_expect_float_eq(value(&f, "gpu0", "memory.usage").f, 25.0, 1e-12);
	cr_expect_eq(value(&f, "gpu0", "pcie.link.gen.current").u, 5);
	cr_expect_eq(value(&f, "gpu0", "pcie.link.width.current").u, 16);
	cr_expect_eq(value(&f, "gpu0", "clocks_event_reasons").u, 4);
	cr_expect_eq(value(&f, "gpu0", "power.limit").u, 700000);
	/* gpu1's PCIe through nvmlDeviceGetPcieThroughput: KB/s * 1024 */
	cr_expect_float_eq(value(&f, "gpu1", "pcie.tx").f, 300 * 1024.0, 1e-9);
	cr_expect_float_eq(value(&f, "gpu1", "pcie.rx").f, 700 * 1024.0, 1e-9);

	for (int i = 2; i <= 4; i++) {
		kp = f.calls(0, "power");
		ke = f.calls(0, "energy");
		kt = f.calls(0, "temp_gpu");
		ktx = f.calls(0, "pcie_tx_bytes");
		knv = f.calls(0, "nvlink_tx");
		kpi = f.calls(0, "power_instant");
		cr_assert_eq(sample(&f, i * SEC), 0, "%s", f.err.msg);
		cr_expect_eq(value(&f, "gpu0", "power.draw").u, 100000 + 1000 * kp);
		cr_expect_eq(value(&f, "gpu0", "energy").u, 5000000 + 2000ull * ke);
		cr_expect_eq(value(&f, "gpu0", "temperature.gpu").u, 40 + kt);
		/* list 150000 250000 350000, the last repeating */
		cr_expect_eq(value(&f, "gpu0", "power.draw.instant").u,
			     kpi == 0 ? 150000 : kpi == 1 ? 250000 : 350000);
		/* PCIe bytes: +4e6 per read, 1 s apart -> 4e6 B/s; +8e6 for RX */
		cr_expect_float_eq(value(&f, "gpu0", "pcie.tx").f, 4000000.0 / dt, 1e-6);
		cr_expect_float_eq(value(&f, "gpu0", "pcie.rx").f, 8000000.0 / dt, 1e-6);
		/* NVLink: 4 links, +1000 KiB each per read -> 4 * 1000 * 1024 B/s */
		cr_expect_float_eq(value(&f, "gpu0", "nvlink.tx").f, 4 * 1000 * 1024.0 / dt, 1e-6);
		cr_expect_float_eq(value(&f, "gpu0", "nvlink.rx").f, 4 * 500 * 1024.0 / dt, 1e-6);
		cr_expect_eq(f.calls(0, "pcie_tx_bytes"), ktx + 1);
		cr_expect_eq(f.calls(0, "nvlink_tx"), knv + 1, "one count per call, not per link");
		/* GPM: the k-th nvmlGpmMetricsGet answers 80 + k for SM activity */
		cr_expect_float_eq(value(&f, "gpu0", "sm_active").f, 80.0 + f.calls(0, "gpm_sm_active") - 1, 1e-9);
		cr_expect_float_eq(value(&f, "gpu0", "sm_occupancy").f, 40.0, 1e-9);
		cr_expect_float_eq(value(&f, "gpu0", "tensor_active").f, 55.5, 1e-9);
		cr_expect_float_eq(value(&f, "gpu0", "fp16_active").f, 10.0, 1e-9);
		cr_expect_float_eq(value(&f, "gpu0", "fp32_active").f, 20.0, 1e-9);
		cr_expect_float_eq(value(&f, "gpu0", "fp64_active").f, 0.5, 1e-9);
		cr_expect_float_eq(value(&f, "gpu0", "dram_active").f, 33.25, 1e-9);
	}
	cr_expect_eq(f.calls(0, "gpm_sm_active"), 3, "three GPM intervals after the baseline");
	close_fx(&f);
}

Test(nvml, not_supported_is_absent)
{
	struct fx f;
	const char *gone[] = { "temperature.memory", "sm_active", "sm_occupancy", "tensor_active",
			       "fp16_active", "fp32_active", "fp64_active", "dram_active",
			       "nvlink.tx", "nvlink.rx" };

	open_fx(&f, "h100x2.txt", NULL);
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		cr_expect_lt(chan(&f, "gpu1", gone[i]), 0, "gpu1 has %s", gone[i]);
		cr_expect_geq(chan(&f, "gpu0", gone[i]), 0, "gpu0 lacks %s", gone[i]);
	}
	for (int i = 1; i <= 3; i++)
		cr_assert_eq(sample(&f, i * SEC), 0);
	cr_expect_eq(value(&f, "gpu1", "power.draw.instant").u, 61000);
	cr_expect_eq(f.calls(1, "temp_mem"), 0, "never asked again after NOT_SUPPORTED");
	close_fx(&f);
}

Test(nvml, energy_counter_is_monotonic)
{
	struct fx f;
	uint64_t last = 0;

	open_fx(&f, "h100x2.txt", NULL);
	for (int i = 1; i <= 50; i++) {
		cr_assert_eq(sample(&f, i * 25 * MS), 0);
		for (int g = 0; g < 2; g++) {
			const char *dev = g ? "gpu1" : "gpu0";
			uint64_t e = value(&f, dev, "energy").u;
			if (g == 0) {
				cr_expect_gt(e, last, "energy went from %lu to %lu", (unsigned long)last,
					     (unsigned long)e);
				last = e;
			}
		}
	}
	/* 1 probe + 50 reads: 5000000 + 2000 * 50 mJ */
	cr_expect_eq(last, 5000000 + 2000 * 50);
	close_fx(&f);
}

Test(nvml, groups_run_at_their_own_period)
{
	struct fx f;
	uint64_t t0 = 10 * SEC;

	open_fx(&f, "h100x2.txt", "0");
	cr_assert_eq(sample(&f, t0), 0);
	cr_expect(has(&f, "gpu0", "power.draw"));
	cr_expect(has(&f, "gpu0", "temperature.gpu"));
	/* fast group every 20 ms, medium every 100 ms, slow every 1 s */
	cr_expect_eq(wl_source_nvml.next_due(f.state, t0), t0 + 20 * MS);
	cr_assert_eq(sample(&f, t0 + 5 * MS), 0);
	cr_expect_not(has(&f, "gpu0", "power.draw"), "power read 5 ms after the last");
	cr_assert_eq(sample(&f, t0 + 20 * MS), 0);
	cr_expect(has(&f, "gpu0", "power.draw"));
	cr_expect(has(&f, "gpu0", "energy"));
	cr_expect_not(has(&f, "gpu0", "temperature.gpu"));
	cr_expect_not(has(&f, "gpu0", "pcie.link.gen.current"));
	cr_expect_eq(wl_source_nvml.next_due(f.state, t0 + 20 * MS), t0 + 40 * MS);
	cr_assert_eq(sample(&f, t0 + 100 * MS), 0);
	cr_expect(has(&f, "gpu0", "temperature.gpu"));
	cr_expect(has(&f, "gpu0", "sm_active"), "GPM 100 ms after its first sample");
	cr_expect_not(has(&f, "gpu0", "power.limit"));
	cr_assert_eq(sample(&f, t0 + 1000 * MS), 0);
	cr_expect(has(&f, "gpu0", "power.limit"));
	close_fx(&f);
}

Test(nvml, gpu_selection)
{
	struct fx f;

	open_fx(&f, "h100x2.txt", "1");
	cr_expect_lt(chan(&f, "gpu0", "power.draw"), 0);
	cr_expect_geq(chan(&f, "gpu1", "power.draw"), 0);
	cr_expect_null(meta(&f, "gpu0.name"));
	cr_expect_eq(f.d->n, 18);
	close_fx(&f);

	open_fx(&f, "h100x2.txt", "0,1");
	cr_expect_eq(f.d->n, 28 + 18);
	close_fx(&f);

	cr_expect_eq(try_open(&f, "h100x2.txt", "2", 0), -1);
	cr_expect(strstr(f.err.msg, "no gpu 2 (2 found)"), "%s", f.err.msg);
	cr_expect_eq(try_open(&f, "h100x2.txt", "0;1", 0), -1);
	cr_expect(strstr(f.err.msg, "position 2"), "%s", f.err.msg);
}

Test(nvml, verbose_measures_cost)
{
	struct fx f;
	char *end;

	cr_assert_eq(try_open(&f, "h100x2.txt", NULL, 1), 0, "%s", f.err.msg);
	const char *c = meta(&f, "nvml.cost.power_usage_us");
	cr_assert_not_null(c);
	cr_expect_geq(strtod(c, &end), 0);
	cr_expect_eq(*end, 0);
	cr_expect_not_null(meta(&f, "nvml.cost.field_values_us"));
	cr_expect_not_null(meta(&f, "nvml.cost.gpm_sample_get_us"));
	close_fx(&f);
}

Test(nvml, gpm_samples_at_least_100ms_apart)
{
	struct fx f;
	uint64_t t0 = 5 * SEC;
	int n = 0;

	open_fx(&f, "h100x2.txt", "0");
	/* every 50 ms for 1 s: GPM metrics every other call at most */
	for (int i = 0; i <= 20; i++) {
		cr_assert_eq(sample(&f, t0 + i * 50 * MS), 0);
		n += has(&f, "gpu0", "sm_active");
	}
	cr_expect_eq(n, 10, "1 s of 100 ms intervals after the baseline at t0");
	cr_expect_eq(f.calls(0, "gpm_sm_active"), 10);
	close_fx(&f);

	/* woken 0.3 ms early: no GPM sample inside the floor, and the loop is
	 * asked back at the floor, not a whole period later */
	open_fx(&f, "h100x2.txt", "0");
	cr_assert_eq(sample(&f, t0), 0);
	cr_assert_eq(sample(&f, t0 + 100 * MS - 300000), 0);
	cr_expect_not(has(&f, "gpu0", "sm_active"));
	cr_expect(has(&f, "gpu0", "temperature.gpu"), "the medium group runs within its slack");
	cr_expect_eq(wl_source_nvml.next_due(f.state, t0 + 100 * MS - 300000), t0 + 100 * MS);
	cr_assert_eq(sample(&f, t0 + 100 * MS), 0);
	cr_expect(has(&f, "gpu0", "sm_active"));
	close_fx(&f);
}
