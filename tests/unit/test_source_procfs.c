/* test_source_procfs.c - the procfs source (src/record/source/procfs.c)
 * against fixtures/procfs/basic, whose files it rewrites between samples. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "source_fixture.h"
#include "wattlog/source.h"

#define MS 1000000ull

struct run {
	void *st;
	const struct wl_source_desc *d;
	union wl_value v[64];
	unsigned char p[64];
	struct wl_error err;
};

static int chan(const struct wl_source_desc *d, const char *name, const char *dev)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->chans[i].name, name) && !strcmp(d->chans[i].device, dev))
			return (int)i;
	cr_assert_fail("no channel %s/%s", name, dev);
	return -1;
}

static void open_at(struct run *r, const char *root, pid_t child)
{
	struct wl_source_opts o = {.sysfs_root = "/nonexistent", .procfs_root = root, .child = child};

	memset(r, 0, sizeof(*r));
	cr_assert_eq(wl_source_procfs.open(&r->st, &o, &r->err), 0, "open: %s", r->err.msg);
	r->d = wl_source_procfs.describe(r->st);
	cr_assert_leq(r->d->n, 64);
}

static int sample(struct run *r, uint64_t t)
{
	memset(r->v, 0, sizeof(r->v));
	memset(r->p, 0, sizeof(r->p));
	return wl_source_procfs.sample(r->st, t, r->v, r->p, &r->err);
}

Test(procfs, channels)
{
	const char *dev[] = {"cpu", "cpu0", "cpu1", "cpu2", "cpu3"};
	struct run r;
	char root[256];
	long hz = sysconf(_SC_CLK_TCK);
	int i;

	fx_copy("procfs/basic", root, sizeof(root));
	open_at(&r, root, 1000);
	cr_assert_eq(r.d->n, 5 + 2 + 1);
	for (i = 0; i < 5; i++) {
		const struct wl_chan_info *c = &r.d->chans[chan(r.d, "cpu_busy", dev[i])];
		cr_assert_str_eq(c->unit, "%");
		cr_assert_str_eq(c->source, "procfs");
		cr_assert_eq(c->kind, WL_KIND_GAUGE);
		cr_assert_eq(c->type, WL_TYPE_F64);
	}
	cr_assert_str_eq(r.d->chans[chan(r.d, "mem_used", "")].unit, "%");
	cr_assert_str_eq(r.d->chans[chan(r.d, "mem_used_bytes", "")].unit, "B");
	i = chan(r.d, "tree_cpu_time", "");
	cr_assert_str_eq(r.d->chans[i].unit, "s");
	cr_assert_eq(r.d->chans[i].kind, WL_KIND_COUNTER);
	cr_assert_eq(r.d->chans[i].type, WL_TYPE_U64);
	cr_assert_float_eq(r.d->chans[i].scale, 1.0 / (double)hz, 1e-15);
	wl_source_procfs.close(r.st);

	/* No child: no tree channel. */
	open_at(&r, root, 0);
	cr_assert_eq(r.d->n, 5 + 2);
	wl_source_procfs.close(r.st);
	fx_remove(root);
}

Test(procfs, busy_percent_between_two_snapshots)
{
	struct run r;
	char root[256];
	int agg, c0, c1, c2, c3;

	fx_copy("procfs/basic", root, sizeof(root));
	open_at(&r, root, 0);
	agg = chan(r.d, "cpu_busy", "cpu");
	c0 = chan(r.d, "cpu_busy", "cpu0");
	c1 = chan(r.d, "cpu_busy", "cpu1");
	c2 = chan(r.d, "cpu_busy", "cpu2");
	c3 = chan(r.d, "cpu_busy", "cpu3");
	cr_assert_eq(sample(&r, 1 * MS), 0, "%s", r.err.msg);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(r.p[i], 0, "first sample has no busy value");
	/*
	 * Deltas written below:   user nice sys idle iowait irq softirq steal
	 *   cpu   +100 0 +50 +200 +20 0 0 0: total 370, busy 370-200-20 = 150
	 *   cpu0  +25  0 +25 +50  0   0 0 0: total 100, busy 50
	 *   cpu1  0    0 0   +100 0   0 0 0: total 100, busy 0
	 *   cpu2  +60  0 0   0    0  +20 +20 0: total 100, busy 100
	 *   cpu3  unchanged: no tick, no value
	 */
	fx_write(root, "stat",
		 "cpu  4100 100 2050 30200 520 50 40 10 0 0\n"
		 "cpu0 1025 25 525 7550 125 10 10 5 0 0\n"
		 "cpu1 1000 25 500 7600 125 20 10 0 0 0\n"
		 "cpu2 1060 25 500 7500 125 30 30 5 0 0\n"
		 "cpu3 1000 25 500 7500 125 10 10 0 0 0\n"
		 "intr 1 2 3\nctxt 5\n");
	cr_assert_eq(sample(&r, 20 * MS), 0, "%s", r.err.msg);
	cr_assert(r.p[agg] && r.p[c0] && r.p[c1] && r.p[c2]);
	cr_assert_eq(r.p[c3], 0);
	cr_assert_float_eq(r.v[agg].f, 150.0 / 370.0 * 100.0, 1e-9);
	cr_assert_float_eq(r.v[c0].f, 50.0, 1e-9);
	cr_assert_float_eq(r.v[c1].f, 0.0, 1e-9);
	cr_assert_float_eq(r.v[c2].f, 100.0, 1e-9);

	/* Unchanged file: no value anywhere (read faster than the tick). */
	cr_assert_eq(sample(&r, 30 * MS), 0);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(r.p[i], 0);

	/* cpu3 moves now: its delta is taken from the last base it had. */
	fx_write(root, "stat",
		 "cpu  4130 100 2050 30270 520 50 40 10 0 0\n"
		 "cpu0 1025 25 525 7550 125 10 10 5 0 0\n"
		 "cpu1 1000 25 500 7600 125 20 10 0 0 0\n"
		 "cpu2 1060 25 500 7500 125 30 30 5 0 0\n"
		 "cpu3 1030 25 500 7570 125 10 10 0 0 0\n");
	cr_assert_eq(sample(&r, 40 * MS), 0);
	cr_assert(r.p[c3] && r.p[agg]);
	cr_assert_float_eq(r.v[c3].f, 30.0, 1e-9);
	cr_assert_float_eq(r.v[agg].f, 30.0, 1e-9);
	cr_assert_eq(r.p[c0], 0);
	wl_source_procfs.close(r.st);
	fx_remove(root);
}

Test(procfs, memory)
{
	struct run r;
	char root[256];
	int m, b;

	fx_copy("procfs/basic", root, sizeof(root));
	open_at(&r, root, 0);
	m = chan(r.d, "mem_used", "");
	b = chan(r.d, "mem_used_bytes", "");
	cr_assert_eq(sample(&r, MS), 0);
	/* (16000000 - 12000000) / 16000000 = 25 %; 4000000 kB = 4096000000 B */
	cr_assert(r.p[m] && r.p[b]);
	cr_assert_float_eq(r.v[m].f, 25.0, 1e-12);
	cr_assert_float_eq(r.v[b].f, 4096000000.0, 1e-3);
	fx_write(root, "meminfo",
		 "MemTotal:       16000000 kB\nMemFree:          100000 kB\n"
		 "MemAvailable:    1000000 kB\nBuffers:            1000 kB\n");
	cr_assert_eq(sample(&r, 2 * MS), 0);
	/* 15000000 / 16000000 = 93.75 %; 15000000 * 1024 B */
	cr_assert_float_eq(r.v[m].f, 93.75, 1e-12);
	cr_assert_float_eq(r.v[b].f, 15360000000.0, 1e-3);
	/* MemAvailable gone: absent, one message, then quiet. */
	fx_write(root, "meminfo", "MemTotal:       16000000 kB\nMemFree:          100000 kB\n");
	cr_assert_eq(sample(&r, 3 * MS), 1);
	cr_assert(strstr(r.err.msg, "meminfo"), "%s", r.err.msg);
	cr_assert_eq(r.p[m] + r.p[b], 0);
	cr_assert_eq(sample(&r, 4 * MS), 0);
	wl_source_procfs.close(r.st);
	fx_remove(root);
}

/* Ticks of 1000 (150+50+30+10) + 1001 (1000+200) + 1002 (7+3) = 1450. */
static void check_tree(const char *root)
{
	struct run r;
	int t;

	open_at(&r, root, 1000);
	t = chan(r.d, "tree_cpu_time", "");
	cr_assert_eq(sample(&r, 1000 * MS), 0, "%s", r.err.msg);
	cr_assert(r.p[t]);
	cr_assert_eq(r.v[t].u, 1450);
	/* 1002 used 20 more ticks. */
	fx_write(root, "1002/stat", "1002 (worker) R 1001 1 1 0 -1 0 0 0 0 0 27 3 0 0 20 0\n");
	cr_assert_eq(sample(&r, 1050 * MS), 0);
	cr_assert_eq(r.p[t], 0, "read at most every second (the default)");
	cr_assert_eq(sample(&r, 3000 * MS), 0);
	cr_assert(r.p[t]);
	cr_assert_eq(r.v[t].u, 1470);
	/* 1002 vanishes without being waited for: the sum drops by 30 ticks,
	 * the counter holds; then 1001 gains 5 ticks and so does the counter. */
	fx_write(root, "1001/task/1001/children", "");
	fx_write(root, "1002/stat", "");
	cr_assert_eq(sample(&r, 5000 * MS), 0);
	cr_assert_eq(r.v[t].u, 1470);
	fx_write(root, "1001/stat", "1001 (py) S 1000 1 1 0 -1 0 0 0 0 0 1005 200 0 0 20 0\n");
	cr_assert_eq(sample(&r, 7000 * MS), 0);
	cr_assert_eq(r.v[t].u, 1475);
	/* The root is gone (the command ended): absent from then on, quietly. */
	fx_write(root, "1000/stat", "");
	cr_assert_eq(sample(&r, 9000 * MS), 0);
	cr_assert_eq(r.p[t], 0);
	fx_write(root, "1000/stat", "1000 (sh) S 1 1 1 0 -1 0 0 0 0 0 1 1 1 1 20 0\n");
	cr_assert_eq(sample(&r, 11000 * MS), 0);
	cr_assert_eq(r.p[t], 0);
	wl_source_procfs.close(r.st);
}

Test(procfs, process_tree_cpu_time_from_children_files)
{
	char root[256];

	fx_copy("procfs/basic", root, sizeof(root));
	check_tree(root);
	fx_remove(root);
}

Test(procfs, process_tree_cpu_time_by_scanning_ppid)
{
	char root[256], cmd[512];

	fx_copy("procfs/basic", root, sizeof(root));
	snprintf(cmd, sizeof(cmd), "rm -f '%s'/*/task/*/children", root);
	cr_assert_eq(system(cmd), 0);
	check_tree(root);
	fx_remove(root);
}

static const char *meta(const struct wl_source_desc *d, const char *key)
{
	for (size_t i = 0; i < d->nmeta; i++)
		if (!strcmp(d->meta[i].key, key))
			return d->meta[i].value;
	return NULL;
}

/*
 * --tree-interval 500ms: the tree is read at the first sample (t = 1 s),
 * then at the first sample at or after each step of 1 s + k x 0.5 s (25 ms
 * early counts: 1/20 of the period), and at the sample after
 * command_exited whenever it comes.  The trace says the period.  Ticks of
 * the fixture's tree: 1450 (check_tree); each read gets what the files hold
 * then.
 */
Test(procfs, tree_read_at_its_own_period_and_at_exit)
{
	struct wl_source_opts o = {.sysfs_root = "/nonexistent", .child = 1000,
				   .tree_period_ns = 500 * MS};
	struct run r;
	char root[256];
	int t;

	fx_copy("procfs/basic", root, sizeof(root));
	o.procfs_root = root;
	memset(&r, 0, sizeof(r));
	cr_assert_eq(wl_source_procfs.open(&r.st, &o, &r.err), 0, "open: %s", r.err.msg);
	r.d = wl_source_procfs.describe(r.st);
	cr_assert_str_eq(meta(r.d, "procfs.tree_interval_ns"), "500000000");
	t = chan(r.d, "tree_cpu_time", "");
	sample(&r, 1000 * MS);
	cr_assert(r.p[t], "read at the first sample");
	cr_assert_eq(r.v[t].u, 1450);
	fx_write(root, "1002/stat", "1002 (worker) R 1001 1 1 0 -1 0 0 0 0 0 8 3 0 0 20 0\n");
	sample(&r, 1200 * MS);
	cr_assert_not(r.p[t], "1.2 s: before the next step (1.5 s)");
	sample(&r, 1474 * MS);
	cr_assert_not(r.p[t], "1.474 s: 26 ms early is too early");
	sample(&r, 1476 * MS);
	cr_assert(r.p[t], "1.476 s: 24 ms early counts");
	cr_assert_eq(r.v[t].u, 1451);
	sample(&r, 1990 * MS);
	cr_assert(r.p[t], "1.99 s: the step at 2 s (not 1.976 + 0.5)");
	sample(&r, 2100 * MS);
	cr_assert_not(r.p[t]);
	/* a late sample skips the missed steps: 3.7 s, then the step at 4 s */
	sample(&r, 3700 * MS);
	cr_assert(r.p[t]);
	sample(&r, 3800 * MS);
	cr_assert_not(r.p[t]);
	/* the command exited (a zombie, not reaped): read at the next sample */
	fx_write(root, "1000/stat", "1000 (sh) Z 1 1000 1000 0 -1 0 0 0 0 0 150 50 40 10 20 0\n");
	wl_source_procfs.command_exited(r.st);
	sample(&r, 3810 * MS);
	cr_assert(r.p[t], "read at the command's exit");
	cr_assert_eq(r.v[t].u, 1461, "1000 waited for 10 more ticks");
	sample(&r, 3820 * MS);
	cr_assert_not(r.p[t], "then at its period again");
	wl_source_procfs.close(r.st);

	/* the default is 1 s */
	o.tree_period_ns = 0;
	cr_assert_eq(wl_source_procfs.open(&r.st, &o, &r.err), 0, "open: %s", r.err.msg);
	cr_assert_str_eq(meta(wl_source_procfs.describe(r.st), "procfs.tree_interval_ns"),
			 "1000000000");
	wl_source_procfs.close(r.st);
	/* without a command: no tree, no period in the trace */
	o.child = 0;
	cr_assert_eq(wl_source_procfs.open(&r.st, &o, &r.err), 0, "open: %s", r.err.msg);
	cr_assert_null(meta(wl_source_procfs.describe(r.st), "procfs.tree_interval_ns"));
	wl_source_procfs.command_exited(r.st);
	wl_source_procfs.close(r.st);
	fx_remove(root);
}

static int open_fds(void)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own */
}

/*
 * Between reads the tree's processes keep their stat and children files
 * open (two each), read again with pread: a change in place is seen; a
 * process that leaves the tree has its files closed; one whose stat cannot
 * be read any more (gone) is opened again by path, and is left out while
 * that fails.  Ticks by hand from the fixture: 1000 (150+50+30+10) + 1001
 * (1000+200) + 1002 (7+3) = 1450; every stat line there gives 1 thread.
 */
Test(procfs, tree_files_stay_open_between_reads)
{
	struct wl_source_opts o = {.sysfs_root = "/nonexistent", .child = 1000,
				   .tree_period_ns = 100 * MS};
	struct run r;
	char root[256];
	int t, fd0, fd1;

	fx_copy("procfs/basic", root, sizeof(root));
	o.procfs_root = root;
	memset(&r, 0, sizeof(r));
	cr_assert_eq(wl_source_procfs.open(&r.st, &o, &r.err), 0, "open: %s", r.err.msg);
	r.d = wl_source_procfs.describe(r.st);
	t = chan(r.d, "tree_cpu_time", "");
	fd0 = open_fds();
	sample(&r, 1000 * MS);
	cr_assert_eq(r.v[t].u, 1450);
	fd1 = open_fds();
	cr_assert_eq(fd1 - fd0, 6, "3 processes x (stat, children): %d files", fd1 - fd0);
	/* changes in place are read through the open files */
	fx_write(root, "1001/stat", "1001 (py) S 1000 1 1 0 -1 0 0 0 0 0 1100 200 0 0 20 0 1 0\n");
	sample(&r, 2000 * MS);
	cr_assert_eq(r.v[t].u, 1550);
	cr_assert_eq(open_fds(), fd1, "no file opened again");
	/* 1002 leaves the tree (1001 no longer lists it): its files close */
	fx_write(root, "1001/task/1001/children", "");
	sample(&r, 3000 * MS);
	cr_assert_eq(r.v[t].u, 1550, "1540, held at 1550 (the counter never goes back)");
	cr_assert_eq(open_fds(), fd1 - 2);
	/* listed again, its stat empty (gone): left out, nothing kept for it */
	fx_write(root, "1001/task/1001/children", "1002");
	fx_write(root, "1002/stat", "");
	sample(&r, 4000 * MS);
	cr_assert_eq(r.v[t].u, 1550);
	cr_assert_eq(open_fds(), fd1 - 2);
	/* a process at 1002 again (a new one, 5 ticks): opened by path */
	fx_write(root, "1002/stat", "1002 (new) S 1001 1 1 0 -1 0 0 0 0 0 4 1 0 0 20 0 1 0\n");
	sample(&r, 5000 * MS);
	cr_assert_eq(r.v[t].u, 1555, "1545 + the 10 held");
	cr_assert_eq(open_fds(), fd1);
	wl_source_procfs.close(r.st);
	cr_assert_eq(open_fds(), fd0 - 2, "close: the tree's files and /proc/stat, meminfo");
	fx_remove(root);
}

Test(procfs, open_failures_name_the_file)
{
	struct wl_source_opts o = {.procfs_root = "/nonexistent-wl"};
	struct wl_error err = {{0}};
	char root[256];
	void *st = (void *)1;

	cr_assert_eq(wl_source_procfs.open(&st, &o, &err), -1);
	cr_assert_null(st);
	cr_assert(strstr(err.msg, "/nonexistent-wl/stat"), "%s", err.msg);
	wl_source_procfs.close(NULL);

	fx_copy("procfs/basic", root, sizeof(root));
	o.procfs_root = root;
	/* A child the tree does not hold: host channels only, said once. */
	{
		struct run r;

		open_at(&r, root, 4242);
		cr_assert_eq(r.d->n, 5 + 2);
		cr_assert_eq(sample(&r, MS), 1);
		cr_assert(strstr(r.err.msg, "4242/stat"), "%s", r.err.msg);
		cr_assert(r.p[5] && r.p[6], "memory still read");
		cr_assert_eq(sample(&r, 2 * MS), 0);
		wl_source_procfs.close(r.st);
	}
	fx_write(root, "stat", "intr 1 2 3\n");
	cr_assert_eq(wl_source_procfs.open(&st, &o, &err), -1);
	cr_assert(strstr(err.msg, "no cpu lines"), "%s", err.msg);
	fx_remove(root);
}

/* The real /proc of this machine: values within their ranges. */
Test(procfs, real_proc)
{
	struct run r;
	volatile unsigned long x = 0;
	int agg, m;

	open_at(&r, "/proc", getpid());
	agg = chan(r.d, "cpu_busy", "cpu");
	m = chan(r.d, "mem_used", "");
	cr_assert_eq(sample(&r, 0), 0, "%s", r.err.msg);
	cr_assert(r.p[m]);
	cr_assert(r.v[m].f > 0 && r.v[m].f < 100);
	cr_assert(r.p[r.d->n - 1], "tree_cpu_time at the first sample");
	for (int k = 0; k < 50 && !r.p[agg]; k++) {
		for (unsigned long i = 0; i < 3000000; i++)
			x += i;
		sample(&r, (uint64_t)(k + 1) * 200 * MS);
	}
	cr_assert(r.p[agg], "no tick in 50 tries");
	cr_assert(r.v[agg].f >= 0 && r.v[agg].f <= 100);
	wl_source_procfs.close(r.st);
}

static double cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * A real tree: child A forks grandchild B, B burns 0.4 s of its own CPU
 * time (by its own clock), sends its pid, and waits alive.  The tree rooted at A
 * then holds at least B's 0.4 s (A itself does nothing).
 */
Test(procfs, real_process_tree)
{
	volatile unsigned long x = 0;
	int fds[2];
	pid_t a, b;
	struct run r;
	int t;
	double got, hz = (double)sysconf(_SC_CLK_TCK);

	cr_assert_eq(pipe(fds), 0);
	a = fork();
	cr_assert_geq(a, 0);
	if (a == 0) {
		pid_t g = fork();

		if (g == 0) {
			while (cpu_s() < 0.4)
				x++;
			g = getpid();
			if (write(fds[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
				_exit(1);
			pause();
			_exit(0);
		}
		pause();
		_exit(0);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &b, sizeof(b)), (ssize_t)sizeof(b));
	usleep(20000); /* let the last tick land in B's utime */
	open_at(&r, "/proc", a);
	t = chan(r.d, "tree_cpu_time", "");
	cr_assert_eq(sample(&r, 1), 0, "%s", r.err.msg);
	cr_assert(r.p[t]);
	got = (double)r.v[t].u / hz;
	wl_source_procfs.close(r.st);
	kill(b, SIGKILL);
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	close(fds[0]);
	/* B's clock counts exactly; procfs rounds to ticks: +-2 ticks. */
	cr_assert(got >= 0.4 - 2.0 / hz && got < 0.4 + 0.3, "tree cpu %.3f s, B used 0.4 s", got);
}
