/*
 * source_fixture.h - helpers the host-source tests share: a private copy of
 * a fixture tree in a temp dir, and small file writers.
 */
#ifndef WATTLOG_TEST_SOURCE_FIXTURE_H
#define WATTLOG_TEST_SOURCE_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies <repo>/fixtures/<rel> (or $WL_ROOT/fixtures/<rel>) to <tmp>/t and
 * puts that path in out; fx_remove(out) deletes <tmp>. */
static inline void fx_copy(const char *rel, char *out, size_t cap)
{
	const char *root = getenv("WL_ROOT");
	char cmd[1024], tmpl[] = "/tmp/wl-src-test.XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(out, cap, "%s/t", tmpl);
	snprintf(cmd, sizeof(cmd), "cp -r '%s/fixtures/%s' '%s'", root ? root : ".", rel, out);
	cr_assert_eq(system(cmd), 0, "cannot copy fixture %s (run from the repo root)", rel);
}

static inline void fx_remove(const char *dir)
{
	char cmd[600];
	size_t n = strlen(dir);

	cr_assert(n > 2 && !strcmp(dir + n - 2, "/t"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)(n - 2), dir);
	cr_assert_eq(system(cmd), 0);
}

static inline void fx_write(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

#endif
