/* test_source_pm_counters.c - the Cray pm_counters source
 * (src/record/source/pm_counters.c) against fixtures/sysfs/pm_counters,
 * whose values are restated here by hand (see its README). */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/source.h"
#include "source_fixture.h"

struct run {
	void *st;
	const struct wl_source_desc *d;
	union wl_value v[64];
	unsigned char p[64];
	struct wl_error err;
	char root[512];
};

static void open_copy(struct run *r)
{
	struct wl_source_opts o = {.procfs_root = "/proc"};

	memset(r, 0, sizeof(*r));
	fx_copy("sysfs/pm_counters", r->root, sizeof(r->root));
	o.sysfs_root = r->root;
	cr_assert_eq(wl_source_pm_counters.open(&r->st, &o, &r->err), 0, "open: %s", r->err.msg);
	r->d = wl_source_pm_counters.describe(r->st);
}

/* The firmware refreshes: freshness steps to v. */
static void refresh(struct run *r, const char *v)
{
	fx_write(r->root, "cray/pm_counters/freshness", v);
}

static void done(struct run *r)
{
	wl_source_pm_counters.close(r->st);
	fx_remove(r->root);
}

static int sample(struct run *r)
{
	memset(r->v, 0, sizeof(r->v));
	memset(r->p, 0, sizeof(r->p));
	r->err.msg[0] = 0;
	return wl_source_pm_counters.sample(r->st, 0, r->v, r->p, &r->err);
}

static int chan(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->d->n; i++)
		if (!strcmp(r->d->chans[i].name, name))
			return (int)i;
	return -1;
}

static const struct {
	const char *name, *unit;
	uint64_t v;
} files[] = {
	{"energy", "J", 123456789}, {"power", "W", 412},
	{"cpu_energy", "J", 54321000}, {"cpu_power", "W", 180},
	{"memory_energy", "J", 11223344}, {"memory_power", "W", 40},
	{"accel0_energy", "J", 22334455}, {"accel0_power", "W", 95},
	{"accel1_energy", "J", 33445566}, {"accel1_power", "W", 97},
	{"power_cap", "W", 0},
};
#define NF (sizeof(files) / sizeof(files[0]))

Test(pm_counters, channels_units_values)
{
	struct run r;

	open_copy(&r);
	cr_assert_eq(r.d->n, NF);
	refresh(&r, "84722\n");
	cr_assert_eq(sample(&r), 0, "%s", r.err.msg);
	for (size_t k = 0; k < NF; k++) {
		int i = chan(&r, files[k].name);

		cr_assert_geq(i, 0, "no channel %s", files[k].name);
		cr_assert_str_eq(r.d->chans[i].unit, files[k].unit);
		cr_assert_str_eq(r.d->chans[i].source, "pm_counters");
		cr_assert_str_eq(r.d->chans[i].device, "node");
		cr_assert_eq(r.d->chans[i].kind,
			     files[k].unit[0] == 'J' ? WL_KIND_COUNTER : WL_KIND_GAUGE);
		cr_assert_eq(r.d->chans[i].type, WL_TYPE_U64);
		cr_assert(r.p[i], "%s absent", files[k].name);
		cr_assert_eq(r.v[i].u, files[k].v, "%s: %llu", files[k].name,
			     (unsigned long long)r.v[i].u);
	}
	cr_assert_eq(r.d->nmeta, 1);
	cr_assert_str_eq(r.d->meta[0].key, "pm_counters.raw_scan_hz");
	cr_assert_str_eq(r.d->meta[0].value, "10");
	done(&r);
}

Test(pm_counters, stores_only_when_freshness_steps)
{
	struct run r;
	int e = -1;

	open_copy(&r);
	e = chan(&r, "energy");
	/* the values found at open may be one refresh old: not stored */
	cr_assert_eq(sample(&r), 0);
	cr_assert_eq(r.p[e], 0, "stale value at open stored");
	refresh(&r, "84722\n");
	cr_assert_eq(sample(&r), 0);
	cr_assert(r.p[e]);
	cr_assert_eq(r.v[e].u, 123456789);
	/* the firmware has not refreshed: nothing stored, even if a file changed */
	fx_write(r.root, "cray/pm_counters/energy", "123456999 J 1700000000223456 us\n");
	cr_assert_eq(sample(&r), 0);
	for (size_t i = 0; i < r.d->n; i++)
		cr_assert_eq(r.p[i], 0, "%s stored without a freshness step", r.d->chans[i].name);
	refresh(&r, "84723\n");
	cr_assert_eq(sample(&r), 0);
	cr_assert(r.p[e]);
	cr_assert_eq(r.v[e].u, 123456999);
	done(&r);
}

Test(pm_counters, no_freshness_file_stores_every_read)
{
	struct run r;
	char path[600];

	open_copy(&r);
	snprintf(path, sizeof(path), "%s/cray/pm_counters/freshness", r.root);
	cr_assert_eq(unlink(path), 0);
	/* the fd opened at open() still reads the old value: reopen */
	wl_source_pm_counters.close(r.st);
	{
		struct wl_source_opts o = {.sysfs_root = r.root, .procfs_root = "/proc"};

		cr_assert_eq(wl_source_pm_counters.open(&r.st, &o, &r.err), 0);
		r.d = wl_source_pm_counters.describe(r.st);
	}
	cr_assert_eq(sample(&r), 0);
	cr_assert_eq(sample(&r), 0);
	cr_assert(r.p[chan(&r, "power")]);
	cr_assert_eq(r.v[chan(&r, "power")].u, 412);
	done(&r);
}

Test(pm_counters, generation_change_is_logged_with_the_cap)
{
	struct run r;

	open_copy(&r);
	refresh(&r, "84722\n");
	cr_assert_eq(sample(&r), 0);
	fx_write(r.root, "cray/pm_counters/power_cap", "300 W 1700000001000000 us\n");
	fx_write(r.root, "cray/pm_counters/generation", "4\n");
	refresh(&r, "84723\n");
	cr_assert_eq(sample(&r), 1);
	cr_assert_str_eq(r.err.msg, "power cap changed: generation 3 -> 4, power_cap 300 W");
	cr_assert_eq(r.v[chan(&r, "power_cap")].u, 300);
	refresh(&r, "84724\n");
	cr_assert_eq(sample(&r), 0, "logged twice: %s", r.err.msg);
	done(&r);
}

Test(pm_counters, bad_file_dropped_rest_kept)
{
	struct run r;
	int c;

	open_copy(&r);
	fx_write(r.root, "cray/pm_counters/cpu_power", "garbage\n");
	refresh(&r, "84722\n");
	cr_assert_eq(sample(&r), 1);
	cr_assert_str_eq(r.err.msg, "pm_counters file cpu_power is gone: no number in it");
	c = chan(&r, "cpu_power");
	cr_assert_eq(r.p[c], 0);
	cr_assert(r.p[chan(&r, "power")]);
	refresh(&r, "84723\n");
	cr_assert_eq(sample(&r), 0);
	cr_assert_eq(r.p[c], 0, "a dropped file came back");
	done(&r);
}

Test(pm_counters, unit_mismatch_and_absent_tree)
{
	struct run r;
	struct wl_source_opts o = {.sysfs_root = "/nonexistent-wl", .procfs_root = "/proc"};
	void *st = NULL;
	struct wl_error err = {{0}};

	cr_assert_eq(wl_source_pm_counters.open(&st, &o, &err), -1);
	cr_assert(strstr(err.msg, "no Cray pm_counters at '/nonexistent-wl/cray/pm_counters'"),
		  "%s", err.msg);
	wl_source_pm_counters.close(st);
	/* an energy file in W is no energy: refused at open, channel absent */
	memset(&r, 0, sizeof(r));
	fx_copy("sysfs/pm_counters", r.root, sizeof(r.root));
	fx_write(r.root, "cray/pm_counters/energy", "5 W 1700000000123456 us\n");
	o.sysfs_root = r.root;
	cr_assert_eq(wl_source_pm_counters.open(&r.st, &o, &r.err), 0);
	r.d = wl_source_pm_counters.describe(r.st);
	cr_assert_eq(chan(&r, "energy"), -1);
	cr_assert_eq(r.d->n, NF - 1);
	done(&r);
}
