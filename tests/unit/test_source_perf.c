/* test_source_perf.c - the rapl source through the perf power PMU
 * (src/record/source/perf_power.c, perf_power_scan.c): its sysfs parsing
 * against fixtures/sysfs/two-pkg, and why it is unavailable there. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/record/source/rapl_shared.h"
#include "source_fixture.h"
#include "wattlog/source.h"

static const char *fixture(const char *rel)
{
	static char p[2][512];
	static int k;
	const char *root = getenv("WL_ROOT");

	k ^= 1;
	snprintf(p[k], sizeof(p[k]), "%s/fixtures/%s", root ? root : ".", rel);
	return p[k];
}

/* 2^-32 J per count, as the fixture's .scale files say. */
#define SCALE 2.3283064365386962890625e-10

Test(perf, scan_two_packages)
{
	static const struct {
		const char *event, *name, *device;
		int cpu;
		uint64_t config;
	} want[] = {
		{"energy-pkg", "package-0", "package-0", 0, 2},
		{"energy-cores", "core", "package-0", 0, 1},
		{"energy-gpu", "gpu-igpu", "package-0", 0, 4},
		{"energy-ram", "dram", "package-0", 0, 3},
		{"energy-psys", "psys", "psys", 0, 5},
		{"energy-pkg", "package-1", "package-1", 2, 2},
		{"energy-cores", "core", "package-1", 2, 1},
		{"energy-gpu", "gpu-igpu", "package-1", 2, 4},
		{"energy-ram", "dram", "package-1", 2, 3},
	};
	struct wl_perf_event *ev;
	struct wl_error err;
	uint32_t type;
	size_t n;

	cr_assert_eq(wl_perf_power_scan(fixture("sysfs/two-pkg"), &type, &ev, &n, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(type, 4242);
	cr_assert_eq(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(ev[i].event, want[i].event, "event %zu", i);
		cr_assert_str_eq(ev[i].name, want[i].name, "event %zu", i);
		cr_assert_str_eq(ev[i].device, want[i].device, "event %zu", i);
		cr_assert_eq(ev[i].cpu, want[i].cpu, "event %zu", i);
		cr_assert_eq(ev[i].config, want[i].config, "event %zu", i);
		cr_assert_eq(ev[i].scale, SCALE);
		cr_assert_str_eq(ev[i].unit, "J");
	}
	free(ev);
}

Test(perf, scan_dies_ranges_unknown_and_broken_events)
{
	struct wl_perf_event *ev;
	struct wl_error err;
	char root[256];
	uint32_t type;
	size_t n;

	fx_copy("sysfs/two-pkg", root, sizeof(root));
	/* cpus 0-1 in the mask, both in package 0: dies 0 and 1. */
	fx_write(root, "bus/event_source/devices/power/cpumask", "0-1\n");
	fx_write(root, "devices/system/cpu/cpu1/topology/die_id", "1\n");
	/* energy-ram loses its scale: left out, never a guess. */
	fx_write(root, "bus/event_source/devices/power/events/energy-ram.scale", "\n");
	fx_write(root, "bus/event_source/devices/power/events/energy-foo", "event=0x1f\n");
	fx_write(root, "bus/event_source/devices/power/events/energy-foo.scale", "0.5\n");
	cr_assert_eq(wl_perf_power_scan(root, &type, &ev, &n, &err), 0, "%s", err.msg);
	/* per die: pkg, cores, gpu, foo (+ psys on the first) */
	cr_assert_eq(n, 4 + 1 + 4);
	cr_assert_str_eq(ev[0].name, "package-0-die-0");
	cr_assert_str_eq(ev[4].name, "foo");
	cr_assert_eq(ev[4].config, 0x1f);
	cr_assert_eq(ev[4].scale, 0.5);
	cr_assert_str_eq(ev[4].unit, "J", "no .unit file: joules");
	cr_assert_str_eq(ev[4].device, "package-0-die-0");
	cr_assert_str_eq(ev[3].name, "psys");
	cr_assert_str_eq(ev[5].name, "package-0-die-1");
	cr_assert_str_eq(ev[5].device, "package-0-die-1");
	cr_assert_eq(ev[5].cpu, 1);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_neq(ev[i].name, "dram");
	free(ev);
	fx_remove(root);
}

Test(perf, no_pmu)
{
	struct wl_source_opts o = {.sysfs_root = "/nonexistent-wl", .procfs_root = "/proc"};
	struct wl_perf_event *ev;
	struct wl_error err;
	uint32_t type;
	size_t n;
	void *st;

	cr_assert_eq(wl_perf_power_scan("/nonexistent-wl", &type, &ev, &n, &err), -1);
	cr_assert_str_eq(err.msg, "no power PMU under /nonexistent-wl/bus/event_source/devices");
	cr_assert_eq(wl_source_perf_power.open(&st, &o, &err), -1);
	cr_assert_null(st);
	cr_assert_str_eq(err.msg, "no power PMU under /nonexistent-wl/bus/event_source/devices");
	wl_source_perf_power.close(NULL);
	cr_assert_str_eq(wl_source_perf_power.name, "rapl");
}

/* The fixture's PMU type 4242 exists in no kernel: perf_event_open fails
 * (ENOENT, or EACCES/EPERM/ENOSYS where perf is locked down). */
Test(perf, open_fails_with_a_reason)
{
	struct wl_source_opts o = {.sysfs_root = fixture("sysfs/two-pkg"),
				   .procfs_root = fixture("procfs/basic")};
	const char *pre = "perf_event_open power/energy-pkg/: ", *post = " (perf_event_paranoid=2)";
	struct wl_error err;
	void *st;
	size_t l;

	cr_assert_eq(wl_source_perf_power.open(&st, &o, &err), -1);
	cr_assert_null(st);
	l = strlen(err.msg);
	cr_assert(!strncmp(err.msg, pre, strlen(pre)), "%s", err.msg);
	cr_assert(l > strlen(post) && !strcmp(err.msg + l - strlen(post), post), "%s", err.msg);
}

/* powercap stands down while rapl is open, and only then: the registry
 * decides from the sources' own table entries (no source knows another). */
Test(perf, powercap_stands_down_for_rapl)
{
	const char *rapl[] = { "procfs", "rapl" }, *none[] = { "procfs", "nvml" };

	cr_assert_str_eq(wl_source_stands_down(&wl_source_powercap, rapl, 2), "rapl");
	cr_assert_null(wl_source_stands_down(&wl_source_powercap, none, 2));
	cr_assert_null(wl_source_stands_down(&wl_source_powercap, rapl, 0));
	cr_assert_null(wl_source_stands_down(&wl_source_perf_power, rapl, 2));
	cr_assert_null(wl_source_stands_down(&wl_source_procfs, rapl, 2));
}

/* Where this machine's perf power PMU works, it reads. */
Test(perf, reads_where_the_pmu_works)
{
	struct wl_source_opts o = {.sysfs_root = "/sys", .procfs_root = "/proc"};
	const struct wl_source_desc *d;
	union wl_value v[64];
	unsigned char p[64] = {0};
	struct wl_error err;
	void *st;

	if (wl_source_perf_power.open(&st, &o, &err) < 0)
		cr_skip_test("no usable RAPL perf PMU here: %s", err.msg);
	d = wl_source_perf_power.describe(st);
	cr_assert(d->n > 0 && d->n <= 64);
	cr_assert_eq(wl_source_perf_power.sample(st, 0, v, p, &err), 0, "%s", err.msg);
	cr_assert(p[0]);
	wl_source_perf_power.close(st);
}
