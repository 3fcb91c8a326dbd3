/* merge_files.c - the files of a job (merge.h, merge_int.h): a job folder's
 * *.wlog traces, the node a file names, and whether a folder is one job. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "merge_int.h"
#include "wattlog/trace.h"
#include "wattlog/walk.h"

int wl_merge_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int wl_merge_add_part(struct parts *p, const char *path)
{
	struct part *nv;

	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		nv = realloc(p->v, p->cap * sizeof(*nv));
		if (!nv)
			return -1;
		p->v = nv;
	}
	memset(&p->v[p->n], 0, sizeof(p->v[0]));
	wl_dataset_init(&p->v[p->n].ds);
	if (!(p->v[p->n].path = strdup(path)))
		return -1;
	p->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.wlog files of dir, sorted. */
int wl_merge_add_dir(struct parts *p, const char *dir, struct wl_error *err)
{
	char **names = NULL, **nn, path[4096];
	size_t n = 0, cap = 0, i, l;
	struct dirent *e;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return wl_error_errno(err, errno, "cannot read job folder '%s'", dir);
	while ((e = readdir(d))) {
		l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".wlog"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(nn = realloc(names, cap * sizeof(*nn)))) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (rc == 0 && wl_merge_add_part(p, path) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	if (rc < 0)
		return wl_error_set(err, "out of memory reading job folder '%s'", dir);
	if (n == 0)
		return wl_error_set(err, "no *.wlog trace in job folder '%s'", dir);
	return 0;
}

/* File name without folder and .wlog. */
void wl_merge_stem(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	size_t l;

	b = b ? b + 1 : path;
	l = strlen(b);
	if (l > 5 && !strcmp(b + l - 5, ".wlog"))
		l -= 5;
	snprintf(out, cap, "%.*s", (int)(l < cap ? l : cap - 1), b);
}

/* slurm.job_id of the trace at path from its first META records, "" if
 * none; -1 when it is no readable trace. */
static int trace_job_id(const char *path, char *id, size_t cap)
{
	struct wl_error e;
	struct wl_step st;
	struct wl_walk *w = wl_walk_open(path, &e);

	*id = 0;
	if (!w)
		return -1;
	while (wl_walk_next(w, &st, &e) == 1 && st.rec.kind == WL_REC_META)
		for (size_t i = 0; i < st.rec.u.meta.n; i++)
			if (!strcmp(st.rec.u.meta.kv[i].key, "slurm.job_id"))
				snprintf(id, cap, "%s", st.rec.u.meta.kv[i].value);
	wl_walk_free(w);
	return 0;
}

int wl_merge_job_dir(const char *dir, char *id, size_t cap)
{
	struct wl_error e;
	struct parts p = {0};
	char first[64] = "", cur[64];
	size_t i, k = 0;
	int job = 1;

	if (!wl_merge_is_dir(dir) || wl_merge_add_dir(&p, dir, &e) < 0)
		job = 0;
	for (i = 0; job && i < p.n; i++) {
		if (trace_job_id(p.v[i].path, cur, sizeof(cur)) < 0 || !*cur)
			continue; /* unreadable or a merged trace: merge names it */
		if (k++ == 0)
			snprintf(first, sizeof(first), "%s", cur);
		else if (strcmp(first, cur))
			job = 0;
	}
	for (i = 0; i < p.n; i++) {
		wl_dataset_release(&p.v[i].ds);
		free(p.v[i].path);
	}
	free(p.v);
	if (!job || k == 0)
		return 0;
	if (id)
		snprintf(id, cap, "%s", first);
	return 1;
}
