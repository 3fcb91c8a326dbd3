/*
 * nvml_fx.h - helpers shared by the NVML source's unit tests: open the
 * source against the fake library (build/tests/libfake-nvml.so, or
 * $WATTLOG_NVML_LIB) and a script in fixtures/nvml/, sample it at a chosen
 * time, find channels, values and metadata, and read the fake's own call
 * counts (fake_nvml_calls) to compute what each call answered.
 */
#ifndef WATTLOG_TEST_NVML_FX_H
#define WATTLOG_TEST_NVML_FX_H

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/source.h"

#define UNUSED __attribute__((unused))

#define MS 1000000ull
#define SEC 1000000000ull

struct fx {
	void *state;
	const struct wl_source_desc *d;
	unsigned (*calls)(unsigned, const char *);
	void *lib;
	union wl_value vals[256];
	unsigned char present[256];
	struct wl_error err;
};

UNUSED static const char *build_dir(void)
{
	const char *b = getenv("WL_BUILD");
	return b && *b ? b : "build";
}

UNUSED static void use_lib(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/%s", build_dir(), name);
	setenv("WATTLOG_NVML_LIB", path, 1);
}

UNUSED static void use_script(const char *name)
{
	const char *root = getenv("WL_ROOT");
	char path[512];

	snprintf(path, sizeof(path), "%s/fixtures/nvml/%s", root && *root ? root : ".", name);
	setenv("WATTLOG_FAKE_NVML", path, 1);
}

UNUSED static int try_open(struct fx *f, const char *script, const char *gpus, int verbose)
{
	struct wl_source_opts o = { .gpus = gpus, .verbose = verbose };

	memset(f, 0, sizeof(*f));
	if (!getenv("WATTLOG_NVML_LIB"))
		use_lib("libfake-nvml.so");
	use_script(script);
	if (wl_source_nvml.open(&f->state, &o, &f->err) < 0)
		return -1;
	f->d = wl_source_nvml.describe(f->state);
	cr_assert_leq(f->d->n, 256);
	/* the same library: its call counters */
	f->lib = dlopen(getenv("WATTLOG_NVML_LIB"), RTLD_NOW | RTLD_NOLOAD);
	cr_assert_not_null(f->lib);
	*(void **)&f->calls = dlsym(f->lib, "fake_nvml_calls");
	cr_assert_not_null(f->calls);
	return 0;
}

UNUSED static void open_fx(struct fx *f, const char *script, const char *gpus)
{
	if (try_open(f, script, gpus, 0) < 0)
		cr_assert_fail("open failed: %s", f->err.msg);
}

UNUSED static void close_fx(struct fx *f)
{
	wl_source_nvml.close(f->state);
	if (f->lib)
		dlclose(f->lib);
}

UNUSED static int sample(struct fx *f, uint64_t t)
{
	memset(f->vals, 0, sizeof(f->vals));
	memset(f->present, 0, sizeof(f->present));
	f->err.msg[0] = 0;
	return wl_source_nvml.sample(f->state, t, f->vals, f->present, &f->err);
}

UNUSED static int chan(const struct fx *f, const char *dev, const char *name)
{
	for (size_t i = 0; i < f->d->n; i++)
		if (!strcmp(f->d->chans[i].device, dev) && !strcmp(f->d->chans[i].name, name))
			return (int)i;
	return -1;
}

UNUSED static const char *meta(const struct fx *f, const char *key)
{
	for (size_t i = 0; i < f->d->nmeta; i++)
		if (!strcmp(f->d->meta[i].key, key))
			return f->d->meta[i].value;
	return NULL;
}

/* The channel's value in the last sample: asserts it is present. */
UNUSED static union wl_value value(const struct fx *f, const char *dev, const char *name)
{
	int i = chan(f, dev, name);

	cr_assert_geq(i, 0, "no channel %s/%s", dev, name);
	cr_assert(f->present[i], "%s/%s has no value", dev, name);
	return f->vals[i];
}

UNUSED static int has(const struct fx *f, const char *dev, const char *name)
{
	int i = chan(f, dev, name);
	return i >= 0 && f->present[i];
}

UNUSED static void expect_chan(const struct fx *f, const char *dev, const char *name, const char *unit,
			int kind, int type, double scale)
{
	int i = chan(f, dev, name);

	cr_assert_geq(i, 0, "%s/%s missing", dev, name);
	cr_expect_str_eq(f->d->chans[i].source, "nvml");
	cr_expect_str_eq(f->d->chans[i].unit, unit, "%s unit", name);
	cr_expect_eq(f->d->chans[i].kind, kind, "%s kind", name);
	cr_expect_eq(f->d->chans[i].type, type, "%s type", name);
	cr_expect_float_eq(f->d->chans[i].scale, scale, 1e-12, "%s scale", name);
	cr_expect_eq(f->d->chans[i].wrap, 0);
}

#define G WL_KIND_GAUGE
#define U WL_TYPE_U64
#define F WL_TYPE_F64

#endif
