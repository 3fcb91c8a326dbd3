/* ingest_testutil.h - helpers shared by the ingest/carbon unit tests: where
 * the real traces are, counting a file's lines independently of the code
 * under test, and ingesting with an expected error. */
#ifndef WL_INGEST_TESTUTIL_H
#define WL_INGEST_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wattlog/ingest.h"

/* $WL_SHARED/real-traces/<sub> or ../shared/real-traces/<sub>; NULL when
 * absent (the caller skips). */
static inline const char *real_traces(const char *sub, char *buf, size_t sz)
{
	const char *root = getenv("WL_SHARED");
	struct stat st;

	snprintf(buf, sz, "%s/real-traces/%s", root && *root ? root : "../shared", sub);
	if (stat(buf, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	return buf;
}

/* Number of non-blank lines of a file (plain stdio). */
static inline size_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n = 0;

	cr_assert(f, "cannot open %s", path);
	while (fgets(buf, sizeof(buf), f))
		if (strspn(buf, " \t\r\n") != strlen(buf))
			n++;
	fclose(f);
	return n;
}

/* 1 when ds states an assumption of that kind whose text holds needle. */
static inline int has_assumption(const struct wl_dataset *ds, enum wl_assume_kind kind,
				 const char *needle)
{
	size_t i;

	for (i = 0; i < ds->assume.n; i++)
		if (ds->assume.a[i].kind == kind && strstr(ds->assume.a[i].text, needle))
			return 1;
	return 0;
}

/* Ingests path (format NULL = detect; tz may be NULL); asserts success. */
static inline void ingest_ok(const char *path, const char *format, const char *tz,
			     struct wl_dataset *ds)
{
	struct wl_ingest_opts o = { .format = format, .tz = tz };
	struct wl_error err = { { 0 } };

	wl_dataset_init(ds);
	cr_assert_eq(wl_ingest(path, &o, ds, &err), 0, "%s: %s", path, err.msg);
}

/* Ingests path and asserts failure with a message containing each of the
 * NULL-terminated needles. */
static inline void ingest_fails(const char *path, const char *format, const char *needle1,
				const char *needle2)
{
	struct wl_ingest_opts o = { .format = format };
	struct wl_error err = { { 0 } };
	struct wl_dataset ds;

	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest(path, &o, &ds, &err), -1, "%s ingested but should fail", path);
	cr_assert(strstr(err.msg, path), "error does not name the file: %s", err.msg);
	if (needle1)
		cr_assert(strstr(err.msg, needle1), "error '%s' lacks '%s'", err.msg, needle1);
	if (needle2)
		cr_assert(strstr(err.msg, needle2), "error '%s' lacks '%s'", err.msg, needle2);
	cr_assert_eq(strchr(err.msg, '\n'), NULL, "error is not one line: %s", err.msg);
	wl_dataset_release(&ds);
}

static inline const struct wl_channel *chan(const struct wl_dataset *ds, const char *name,
					    const char *device)
{
	long i = wl_dataset_find(ds, name, device);

	cr_assert_geq(i, 0, "no channel %s on %s", name, device ? device : "any");
	return &ds->ch[i];
}

#endif
