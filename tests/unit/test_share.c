/* test_share.c - the command's share of the CPU energy (src/analyze/stages/share.c)
 * from the real procfs source reading a fake procfs (a copy of
 * fixtures/procfs/basic: the command is pid 1000, its tree 1000 -> 1001 ->
 * 1002) whose CPU times the test steps by known amounts, beside a RAPL
 * package counter; the share is computed here by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "source_fixture.h"
#include "wattlog/ingest.h"
#include "wattlog/share.h"
#include "wattlog/source.h"

static void put(struct wl_dataset *ds, const struct wl_chan_info *c, double t, double v)
{
	long i = wl_trace_channel_add(ds, c);

	cr_assert_geq(i, 0);
	cr_assert_eq(wl_channel_push(&ds->ch[i], t, v), 0);
}

/* /proc/stat with the aggregate line at busy, idle ticks (4 CPUs). */
static void write_stat(const char *root, long busy, long idle)
{
	char b[512];

	snprintf(b, sizeof(b), "cpu  %ld 0 0 %ld 0 0 0 0 0 0\n"
		 "cpu0 %ld 0 0 %ld 0 0 0 0 0 0\ncpu1 %ld 0 0 %ld 0 0 0 0 0 0\n"
		 "cpu2 %ld 0 0 %ld 0 0 0 0 0 0\ncpu3 %ld 0 0 %ld 0 0 0 0 0 0\n"
		 "intr 1\nctxt 1\nbtime 1700000000\n", busy, idle, busy / 4, idle / 4,
		 busy / 4, idle / 4, busy / 4, idle / 4, busy / 4, idle / 4);
	fx_write(root, "stat", b);
}

/*
 * Three 1 s intervals; C = ticks per second, 4 CPUs = 4C ticks a second:
 *   busy CPU time  2 s, 3 s, 1 s        (host busy 50 %, 75 %, 25 %)
 *   tree CPU time  0.5 s, 1.5 s, 1.0 s  (pid 1002 steps by C/2, 3C/2, C)
 *   package-0      40 J, 60 J, 20 J
 * shares 0.25, 0.5, 1.0: the command's 0.25 x 40 + 0.5 x 60 + 1.0 x 20 = 60 J
 * of the machine's 120 J.
 */
Test(share, cpu_share_from_a_fake_procfs)
{
	const long C = sysconf(_SC_CLK_TCK);
	const long dbusy[] = {2 * C, 3 * C, 1 * C}, dtree[] = {C / 2, 3 * C / 2, C};
	const double e_j[] = {0, 40, 100, 120};
	struct wl_source_opts o = {.sysfs_root = "/nonexistent", .child = 1000};
	const struct wl_source_desc *d;
	struct wl_chan_info pkg;
	union wl_value v[128];
	unsigned char p[128];
	struct wl_dataset ds;
	struct wl_share s;
	struct wl_error err;
	long busy = 1000, idle = 10000, utime = 7;
	char root[512], b[256];
	void *st;

	cr_assert_eq(C % 2, 0);
	fx_copy("procfs/basic", root, sizeof(root));
	o.procfs_root = root;
	write_stat(root, busy, idle);
	cr_assert_eq(wl_source_procfs.open(&st, &o, &err), 0, "%s", err.msg);
	d = wl_source_procfs.describe(st);
	cr_assert_leq(d->n, 128);
	memset(&pkg, 0, sizeof(pkg));
	pkg.kind = WL_KIND_COUNTER;
	pkg.type = WL_TYPE_U64;
	pkg.scale = 1;
	snprintf(pkg.source, sizeof(pkg.source), "powercap");
	snprintf(pkg.name, sizeof(pkg.name), "package-0");
	snprintf(pkg.unit, sizeof(pkg.unit), "uJ");
	snprintf(pkg.device, sizeof(pkg.device), "package-0");
	wl_dataset_init(&ds);
	for (int k = 0; k <= 3; k++) {
		if (k) {
			busy += dbusy[k - 1];
			idle += 4 * C - dbusy[k - 1];
			utime += dtree[k - 1];
			write_stat(root, busy, idle);
			snprintf(b, sizeof(b), "1002 (worker) R 1001 1 1 0 -1 0 0 0 0 0 %ld 3 0 0 20 0\n",
				 utime);
			fx_write(root, "1002/stat", b);
		}
		memset(p, 0, sizeof(p));
		cr_assert_geq(wl_source_procfs.sample(st, (uint64_t)(k + 1) * 1000000000u, v, p,
						      &err), 0, "%s", err.msg);
		for (size_t i = 0; i < d->n; i++)
			if (p[i])
				put(&ds, &d->chans[i], k, wl_value_physical(&d->chans[i], v[i]));
		put(&ds, &pkg, k, e_j[k] * 1e6);
	}
	wl_source_procfs.close(st);
	cr_assert_eq(wl_share_compute(&ds, NULL, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 1, "why: %s", s.why);
	cr_assert_str_eq(s.p[0].component, "cpu");
	cr_assert_float_eq(s.p[0].machine_j, 120.0, 1e-9);
	cr_assert_float_eq(s.p[0].command_j, 0.25 * 40 + 0.5 * 60 + 1.0 * 20, 1e-9,
			   "command %.12g J", s.p[0].command_j);
	cr_assert_float_eq(s.command_j, 60.0, 1e-9);
	cr_assert_float_eq(s.p[0].covered_s, 3.0, 1e-12);
	/* a window over the last two intervals only: 0.5 x 60 + 1.0 x 20 */
	{
		struct wl_analysis_opts an;

		wl_analysis_opts_init(&an);
		an.t_from = 1;
		an.t_to = 3;
		cr_assert_eq(wl_share_compute(&ds, &an, &s, &err), 0, "%s", err.msg);
		cr_assert_float_eq(s.command_j, 50.0, 1e-9, "%g", s.command_j);
		cr_assert_float_eq(s.p[0].machine_j, 80.0, 1e-9);
	}
	wl_dataset_release(&ds);
	fx_remove(root);
}

/* Without the command's CPU time there is no share, and it says why. */
Test(share, none_without_a_tree)
{
	const double t[] = {0, 1, 2}, e[] = {0, 1e6, 2e6};
	struct wl_dataset ds;
	struct wl_share s;
	struct wl_error err;
	long i;

	wl_dataset_init(&ds);
	i = wl_dataset_channel(&ds, "package-0", "uJ", "package-0", "powercap", WL_DS_COUNTER, 0);
	cr_assert_eq(wl_channel_component(&ds.ch[i], "cpu"), 0);
	for (int k = 0; k < 3; k++)
		cr_assert_eq(wl_channel_push(&ds.ch[i], t[k], e[k]), 0);
	cr_assert_eq(wl_share_compute(&ds, NULL, &s, &err), 0);
	cr_assert_eq(s.n, 0);
	cr_assert(isnan(s.command_j));
	cr_assert_not_null(strstr(s.why, "tree_cpu_time"), "%s", s.why);
	wl_dataset_release(&ds);
}

/* GPU: NVML's per-process SM utilization of the tree over all processes'.
 * gpu0 power 100 W flat on [0, 2]; tree/all = 30/60 on (0, 1], 40/40 on
 * (1, 2]: 0.5 x 100 + 1.0 x 100 = 150 J of 200 J. */
Test(share, gpu_share_from_process_utilization)
{
	const double t[] = {0, 1, 2}, pw[] = {100, 100, 100};
	const double tree[] = {0, 30, 40}, all[] = {0, 60, 40};
	struct wl_dataset ds;
	struct wl_share s;
	struct wl_error err;
	long a, b, c;

	wl_dataset_init(&ds);
	a = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	b = wl_dataset_channel(&ds, "tree_sm_util", "%", "gpu0", "nvml", WL_DS_GAUGE, 0);
	c = wl_dataset_channel(&ds, "all_sm_util", "%", "gpu0", "nvml", WL_DS_GAUGE, 0);
	cr_assert_eq(wl_channel_component(&ds.ch[a], "gpu0"), 0);
	for (int k = 0; k < 3; k++) {
		cr_assert_eq(wl_channel_push(&ds.ch[a], t[k], pw[k]), 0);
		cr_assert_eq(wl_channel_push(&ds.ch[b], t[k], tree[k]), 0);
		cr_assert_eq(wl_channel_push(&ds.ch[c], t[k], all[k]), 0);
	}
	cr_assert_eq(wl_share_compute(&ds, NULL, &s, &err), 0);
	cr_assert_eq(s.n, 1, "%s", s.why);
	cr_assert_str_eq(s.p[0].component, "gpu0");
	cr_assert_float_eq(s.p[0].machine_j, 200.0, 1e-9);
	cr_assert_float_eq(s.p[0].command_j, 150.0, 1e-9, "%g", s.p[0].command_j);
	wl_dataset_release(&ds);
}
