/*
 * compare_scan.c - what a compare folder holds: its run files, and the keys
 * its name gives through a --name-pattern such as "bs{batch_size}".
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wattlog/compare.h"
#include "wattlog/merge.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int wl_cmp_scan(const char *dir, char ***files, size_t *n, struct wl_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, **nv;
	size_t cap = 0;
	struct stat sb;
	char job[64];

	*files = NULL;
	*n = 0;
	if (d && wl_merge_job_dir(dir, job, sizeof(job))) { /* a Slurm job: one run */
		closedir(d);
		if (!(v = malloc(sizeof(*v))) || !(v[0] = strdup(dir))) {
			free(v);
			return wl_error_set(err, "out of memory reading folder '%s'", dir);
		}
		*files = v;
		*n = 1;
		return 0;
	}
	if (!d)
		return wl_error_errno(err, errno, "cannot open folder '%s'", dir);
	while ((e = readdir(d))) {
		struct wl_error derr;
		char *path;
		const char *fmt;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "meta.json"))
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			goto oom;
		if (stat(path, &sb) || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		fmt = wl_ingest_detect(path, &derr);
		if (!fmt) {
			free(path);
			continue;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(path);
				goto oom;
			}
			v = nv;
		}
		v[(*n)++] = path;
	}
	closedir(d);
	if (!*n) {
		free(v);
		return wl_error_set(err, "no run in folder '%s': no trace or log wattlog reads",
				    dir);
	}
	qsort(v, *n, sizeof(*v), by_name);
	*files = v;
	return 0;
oom:
	closedir(d);
	while (*n)
		free(v[--*n]);
	free(v);
	return wl_error_set(err, "out of memory reading folder '%s'", dir);
}

int wl_cmp_kv_set(struct wl_cmp_kv *kv, size_t cap, size_t *n, const char *key,
		  const char *value)
{
	size_t i;

	for (i = 0; i < *n && strcmp(kv[i].key, key); i++)
		;
	if (i == *n) {
		if (*n >= cap)
			return -1;
		(*n)++;
	}
	snprintf(kv[i].key, sizeof(kv[i].key), "%s", key);
	snprintf(kv[i].value, sizeof(kv[i].value), "%s", value);
	return 0;
}

const char *wl_cmp_kv_get(const struct wl_cmp_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

/* The literal of the pattern at p (up to '{' or the end): its length. */
static size_t literal_len(const char *p)
{
	const char *b = strchr(p, '{');

	return b ? (size_t)(b - p) : strlen(p);
}

int wl_cmp_name_keys(const char *pattern, const char *name, struct wl_cmp_kv *kv, size_t cap,
		     size_t *n, struct wl_error *err)
{
	struct wl_cmp_kv got[WL_CMP_MAX_KV];
	const char *p = pattern, *s = name;
	size_t ng = 0, i, len;

	while (*p) {
		char key[64], lit[256], val[128];
		const char *close, *at;

		len = literal_len(p);
		if (len) { /* literal text: must match exactly */
			if (strncmp(s, p, len))
				return 0;
			s += len;
			p += len;
			continue;
		}
		close = strchr(p, '}');
		if (!close || close == p + 1 || (size_t)(close - p - 1) >= sizeof(key) ||
		    memchr(p + 1, '{', (size_t)(close - p - 1)))
			return wl_error_set(err, "bad --name-pattern '%s': expected {KEY} at "
					    "position %zu", pattern, (size_t)(p - pattern) + 1);
		snprintf(key, sizeof(key), "%.*s", (int)(close - p - 1), p + 1);
		p = close + 1;
		if (*p == '{')
			return wl_error_set(err, "bad --name-pattern '%s': two keys with no text "
					    "between them at position %zu", pattern,
					    (size_t)(p - pattern) + 1);
		len = literal_len(p);
		if (len >= sizeof(lit))
			return wl_error_set(err, "bad --name-pattern '%s': text too long", pattern);
		memcpy(lit, p, len);
		lit[len] = 0;
		/* shortest value: up to the first occurrence of the next literal;
		 * the last key takes the rest of the name */
		at = len ? strstr(s, lit) : s + strlen(s);
		if (!at || at == s || (size_t)(at - s) >= sizeof(val))
			return 0;
		snprintf(val, sizeof(val), "%.*s", (int)(at - s), s);
		if (ng < WL_CMP_MAX_KV) {
			snprintf(got[ng].key, sizeof(got[ng].key), "%s", key);
			snprintf(got[ng].value, sizeof(got[ng].value), "%s", val);
			ng++;
		}
		s = at;
	}
	if (*s)
		return 0;
	for (i = 0; i < ng; i++)
		if (wl_cmp_kv_set(kv, cap, n, got[i].key, got[i].value))
			return wl_error_set(err, "too many keys for folder '%s'", name);
	return 1;
}
