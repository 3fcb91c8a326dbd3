/* test_source_nvml_procs.c - the NVML source's per-process channels
 * (tree_sm_util, all_sm_util) through the fake library and
 * fixtures/nvml/procs.txt: the recorded command is this test process (its
 * tree under the real /proc), whose samples the fake stamps with our pid;
 * pid 1 is never in the tree. */
#include "nvml_fx.h"

static void open_procs(struct fx *f, pid_t child)
{
	struct wl_source_opts o = { .procfs_root = "/proc", .child = child };

	memset(f, 0, sizeof(*f));
	if (!getenv("WATTLOG_NVML_LIB"))
		use_lib("libfake-nvml.so");
	use_script("procs.txt");
	cr_assert_eq(wl_source_nvml.open(&f->state, &o, &f->err), 0, "%s", f->err.msg);
	f->d = wl_source_nvml.describe(f->state);
}

/* Script (self, other) per call: (30, 30), (40, 0), (-, 20), (10, -):
 * tree_sm_util = self, all_sm_util = self + other. */
Test(nvml_procs, tree_and_all_sm_util)
{
	const unsigned tree[] = {30, 40, 0, 10}, all[] = {60, 40, 20, 10};
	struct fx f;

	open_procs(&f, getpid());
	expect_chan(&f, "gpu0", "tree_sm_util", "%", WL_KIND_GAUGE, WL_TYPE_U64, 1);
	expect_chan(&f, "gpu0", "all_sm_util", "%", WL_KIND_GAUGE, WL_TYPE_U64, 1);
	cr_assert_lt(chan(&f, "gpu1", "tree_sm_util"), 0, "gpu1 gives no per-process data");
	for (int k = 0; k < 4; k++) {
		cr_assert_geq(sample(&f, (uint64_t)k * 100 * MS), 0, "%s", f.err.msg);
		cr_assert_eq(value(&f, "gpu0", "tree_sm_util").u, tree[k], "read %d", k);
		cr_assert_eq(value(&f, "gpu0", "all_sm_util").u, all[k], "read %d", k);
	}
	wl_source_nvml.close(f.state);
}

/* Without a recorded command (or when its tree cannot be read) there are
 * no per-process channels: absent, never 0. */
Test(nvml_procs, none_without_a_command)
{
	struct fx f;

	open_procs(&f, 0);
	cr_assert_lt(chan(&f, "gpu0", "tree_sm_util"), 0);
	cr_assert_geq(chan(&f, "gpu0", "power.draw"), 0);
	wl_source_nvml.close(f.state);
	open_procs(&f, 999999999);
	cr_assert_lt(chan(&f, "gpu0", "all_sm_util"), 0);
	wl_source_nvml.close(f.state);
}
