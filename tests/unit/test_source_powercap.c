/* test_source_powercap.c - the powercap source (src/record/source/powercap.c)
 * against fixtures/sysfs/two-pkg (written by scripts/mkfake-sysfs.sh). */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../../src/record/source/rapl_shared.h"
#include "source_fixture.h"
#include "wattlog/source.h"

struct run {
	void *st;
	const struct wl_source_desc *d;
	union wl_value v[64];
	unsigned char p[64];
	struct wl_error err;
};

static int try_open(struct run *r, const char *root)
{
	struct wl_source_opts o = {.sysfs_root = root, .procfs_root = "/proc"};

	memset(r, 0, sizeof(*r));
	if (wl_source_powercap.open(&r->st, &o, &r->err) < 0)
		return -1;
	r->d = wl_source_powercap.describe(r->st);
	cr_assert_leq(r->d->n, 64);
	return 0;
}

static void open_at(struct run *r, const char *root)
{
	cr_assert_eq(try_open(r, root), 0, "open: %s", r->err.msg);
}

static int sample(struct run *r)
{
	memset(r->v, 0, sizeof(r->v));
	memset(r->p, 0, sizeof(r->p));
	return wl_source_powercap.sample(r->st, 0, r->v, r->p, &r->err);
}

static int chan(const struct wl_source_desc *d, const char *name, const char *dev)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->chans[i].name, name) && !strcmp(d->chans[i].device, dev))
			return (int)i;
	return -1;
}

/* The fixture's zones as mkfake-sysfs.sh writes them. */
static const struct {
	const char *dir, *name, *dev;
	uint64_t uj, wrap;
} zones[] = {
	{"intel-rapl:0", "package-0", "package-0", 187412345678ull, 262143328850ull},
	{"intel-rapl:0:0", "core", "package-0", 93210987654ull, 262143328850ull},
	{"intel-rapl:0:1", "uncore", "package-0", 1234567890ull, 262143328850ull},
	{"intel-rapl:0:2", "dram", "package-0", 23456789012ull, 65712999613ull},
	{"intel-rapl:1", "package-1", "package-1", 176543210987ull, 262143328850ull},
	{"intel-rapl:1:0", "core", "package-1", 88765432109ull, 262143328850ull},
	{"intel-rapl:1:1", "uncore", "package-1", 1198765432ull, 262143328850ull},
	{"intel-rapl:1:2", "dram", "package-1", 22345678901ull, 65712999613ull},
};
#define NZ (sizeof(zones) / sizeof(zones[0]))

static const char *fixture(void)
{
	static char p[512];
	const char *root = getenv("WL_ROOT");

	snprintf(p, sizeof(p), "%s/fixtures/sysfs/two-pkg", root ? root : ".");
	return p;
}

Test(powercap, channels_and_first_values)
{
	struct run r;

	open_at(&r, fixture());
	cr_assert_eq(r.d->n, NZ, "the mmio duplicate of package-0 is not added");
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	for (size_t k = 0; k < NZ; k++) {
		int i = chan(r.d, zones[k].name, zones[k].dev);
		const struct wl_chan_info *c;

		cr_assert_geq(i, 0, "no channel %s/%s", zones[k].name, zones[k].dev);
		c = &r.d->chans[i];
		cr_assert_str_eq(c->source, "powercap");
		cr_assert_str_eq(c->unit, "uJ");
		cr_assert_eq(c->kind, WL_KIND_COUNTER);
		cr_assert_eq(c->type, WL_TYPE_U64);
		cr_assert_eq(c->scale, 1.0);
		cr_assert_eq(c->wrap, zones[k].wrap, "%s wrap", zones[k].dir);
		cr_assert(r.p[i]);
		cr_assert_eq(r.v[i].u, zones[k].uj, "%s value", zones[k].dir);
	}
	/* intel-rapl:0:2 has enabled = 0: recorded, and said so. */
	cr_assert_eq(r.d->nmeta, 1);
	cr_assert_str_eq(r.d->meta[0].key, "powercap.disabled");
	cr_assert_str_eq(r.d->meta[0].value, "intel-rapl:0:2 (package-0/dram)");
	wl_source_powercap.close(r.st);
}

Test(powercap, wrap_is_raw_and_a_zone_that_goes_is_absent)
{
	struct run r;
	char root[256];
	int pkg, core;

	fx_copy("sysfs/two-pkg", root, sizeof(root));
	open_at(&r, root);
	pkg = chan(r.d, "package-0", "package-0");
	core = chan(r.d, "core", "package-0");
	cr_assert_eq(sample(&r), 0);
	/* The counter wrapped: the raw, smaller value comes back as is. */
	fx_write(root, "class/powercap/intel-rapl:0/energy_uj", "1234\n");
	cr_assert_eq(sample(&r), 0);
	cr_assert(r.p[pkg]);
	cr_assert_eq(r.v[pkg].u, 1234);
	/* core stops reading (sysfs gives ENODEV; an empty read here). */
	fx_write(root, "class/powercap/intel-rapl:0:0/energy_uj", "");
	cr_assert_eq(sample(&r), 1);
	cr_assert(strstr(r.err.msg, "intel-rapl:0:0") && strstr(r.err.msg, "core"),
		  "%s", r.err.msg);
	cr_assert_eq(r.p[core], 0);
	cr_assert(r.p[pkg]);
	/* Absent from then on, even if the file comes back; no new message. */
	fx_write(root, "class/powercap/intel-rapl:0:0/energy_uj", "5\n");
	cr_assert_eq(sample(&r), 0);
	cr_assert_eq(r.p[core], 0);
	for (size_t k = 0; k < NZ; k++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "class/powercap/%s/energy_uj", zones[k].dir);
		fx_write(root, rel, "not a number\n");
	}
	cr_assert_eq(sample(&r), -1);
	cr_assert(strstr(r.err.msg, "every RAPL zone is gone"), "%s", r.err.msg);
	wl_source_powercap.close(r.st);
	fx_remove(root);
}

Test(powercap, mmio_alone_is_used)
{
	struct run r;
	char root[256], cmd[512];
	int i;

	fx_copy("sysfs/two-pkg", root, sizeof(root));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/class/powercap/intel-rapl:*", root);
	cr_assert_eq(system(cmd), 0);
	open_at(&r, root);
	cr_assert_eq(r.d->n, 1);
	i = chan(r.d, "package-0", "package-0");
	cr_assert_eq(i, 0);
	cr_assert_eq(sample(&r), 0);
	cr_assert_eq(r.v[0].u, 187412000000ull);
	wl_source_powercap.close(r.st);
	fx_remove(root);
}

Test(powercap, no_zones)
{
	struct run r;
	char root[256], want[512];

	fx_copy("sysfs/two-pkg", root, sizeof(root));
	snprintf(want, sizeof(want), "no RAPL zones under %s/class/powercap", root);
	cr_assert_eq(try_open(&r, "/nonexistent-wl"), -1);
	cr_assert_str_eq(r.err.msg, "no RAPL zones under /nonexistent-wl/class/powercap");
	cr_assert_null(r.st);
	wl_source_powercap.close(NULL);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/class/powercap/intel-rapl*:*", root);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(try_open(&r, root), -1);
	cr_assert_str_eq(r.err.msg, want);
	fx_remove(root);
}

Test(powercap, message_builder)
{
	struct wl_error e;

	cr_assert_eq(wl_rapl_open_error(&e, "/sys/class/powercap/intel-rapl:0/energy_uj", EACCES), -1);
	cr_assert_str_eq(e.msg, "/sys/class/powercap/intel-rapl:0/energy_uj: permission denied "
				"(root only since Linux 5.10)");
	wl_rapl_open_error(&e, "/x/energy_uj", EPERM);
	cr_assert_str_eq(e.msg, "/x/energy_uj: permission denied (root only since Linux 5.10)");
	wl_rapl_open_error(&e, "/x/energy_uj", ENODEV);
	cr_assert_str_eq(e.msg, "cannot read '/x/energy_uj': No such device");
}

/* energy_uj as a dangling symlink: open fails with ENOENT, named. */
Test(powercap, unreadable_zones_at_open)
{
	struct run r;
	char root[256], cmd[1024], want[512];

	fx_copy("sysfs/two-pkg", root, sizeof(root));
	snprintf(cmd, sizeof(cmd), "cd '%s'/class/powercap/intel-rapl:1:1 && rm energy_uj && "
		 "ln -s /nonexistent-wl energy_uj", root);
	cr_assert_eq(system(cmd), 0);
	open_at(&r, root);
	cr_assert_eq(r.d->n, NZ - 1);
	cr_assert_eq(chan(r.d, "uncore", "package-1"), -1);
	cr_assert_eq(sample(&r), 1, "the skipped zone is told once");
	cr_assert(strstr(r.err.msg, "intel-rapl:1:1") && strstr(r.err.msg, "No such file"),
		  "%s", r.err.msg);
	cr_assert_eq(sample(&r), 0);
	wl_source_powercap.close(r.st);

	snprintf(cmd, sizeof(cmd), "for f in '%s'/class/powercap/intel-rapl*:*/energy_uj; do "
		 "rm \"$f\" && ln -s /nonexistent-wl \"$f\"; done", root);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(try_open(&r, root), -1);
	snprintf(want, sizeof(want), "cannot read '%s/class/powercap/intel-rapl:0/energy_uj': "
		 "No such file or directory", root);
	cr_assert_str_eq(r.err.msg, want);
	fx_remove(root);
}

/* The real EACCES path, where chmod can deny (not as root). */
Test(powercap, permission_denied_not_root)
{
	struct run r;
	char root[256], cmd[1024], want[512];

	if (geteuid() == 0)
		cr_skip_test("running as root: chmod 000 does not deny (message_builder covers it)");
	fx_copy("sysfs/two-pkg", root, sizeof(root));
	snprintf(cmd, sizeof(cmd), "chmod 000 '%s'/class/powercap/intel-rapl*:*/energy_uj", root);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(try_open(&r, root), -1);
	snprintf(want, sizeof(want), "%s/class/powercap/intel-rapl:0/energy_uj: permission denied "
		 "(root only since Linux 5.10)", root);
	cr_assert_str_eq(r.err.msg, want);
	fx_remove(root);
}

/* The committed fixture is what scripts/mkfake-sysfs.sh writes. */
Test(powercap, fixture_matches_its_generator)
{
	const char *root = getenv("WL_ROOT");
	char tmpl[] = "/tmp/wl-src-test.XXXXXX", cmd[2048];

	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(cmd, sizeof(cmd), "cd '%s' && sh scripts/mkfake-sysfs.sh '%s/t' && "
		 "diff -r '%s/t' fixtures/sysfs/two-pkg >&2; rc=$?; rm -rf '%s'; exit $rc",
		 root ? root : ".", tmpl, tmpl, tmpl);
	cr_assert_eq(system(cmd), 0, "fixtures/sysfs/two-pkg differs from the generator's output");
}
