/*
 * compare_pool.c - the folders of `wattlog compare`, ingested in parallel:
 * N pthreads take the next folder index from a shared atomic counter (a
 * work queue over folders: a slow folder holds one thread, not a batch).
 * Each worker writes only its own struct wl_cmp_folder.  The stages it
 * calls keep no mutable static state except GSL's error handler (turned
 * off here once, before the threads start); time zones are read per reader
 * (tzone.h), never through the process's TZ.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/compare.h"

struct pool {
	const char *const *dirs;
	size_t n;
	const struct wl_cmp_opts *o;
	struct wl_cmp_folder *f;
	atomic_size_t next, done;
	atomic_long failed;
};

static void base_name(const char *dir, char *buf, size_t len)
{
	size_t end = strlen(dir), start;

	while (end > 1 && dir[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), dir + start);
}

#ifdef WL_METAJSON_KEYS
static int key_cb(void *ctx, const char *key, const char *value)
{
	struct wl_cmp_folder *f = ctx;

	return wl_cmp_kv_set(f->kv, WL_CMP_MAX_KV, &f->nkv, key, value);
}
#endif

/* meta.json: the workload (wl_metajson_read: tokens, input_tokens,
 * output_tokens, requests, flops, peak_flops) into w, and the folder's
 * keys: every scalar key where the metajson module offers
 * wl_metajson_keys (WL_METAJSON_KEYS defined), else the workload keys. */
static int meta(struct wl_cmp_folder *f, struct wl_workload *w, struct wl_error *err)
{
	static const char *const names[] = { "tokens", "input_tokens", "output_tokens",
					     "requests", "flops", "peak_flops" };
	const double *v[] = { &w->tokens, &w->input_tokens, &w->output_tokens, &w->requests,
			      &w->flops, &w->peak_flops };
	char path[4096], num[64];
	size_t i;
	int found;

	wl_workload_init(w);
	snprintf(path, sizeof(path), "%s/meta.json", f->dir);
	if (wl_metajson_read(path, w, &found, err))
		return -1;
#ifdef WL_METAJSON_KEYS
	if (wl_metajson_keys(f->dir, key_cb, f, &found, err))
		return -1;
#endif
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!isnan(*v[i]) && !wl_cmp_kv_get(f->kv, f->nkv, names[i])) {
			snprintf(num, sizeof(num), "%.17g", *v[i]);
			wl_cmp_kv_set(f->kv, WL_CMP_MAX_KV, &f->nkv, names[i], num);
		}
	return 0;
}

static void do_folder(const struct wl_cmp_opts *o, struct wl_cmp_folder *f)
{
	struct wl_workload w;
	struct wl_error err;
	char **files = NULL, name[256];
	size_t nfiles = 0, i;

	base_name(f->dir, name, sizeof(name));
	if (!(f->name = strdup(name))) {
		snprintf(f->err, sizeof(f->err), "out of memory");
		return;
	}
	if (o->name_pattern &&
	    wl_cmp_name_keys(o->name_pattern, name, f->kv, WL_CMP_MAX_KV, &f->nkv, &err) < 0)
		goto fail;
	if (meta(f, &w, &err) || wl_cmp_scan(f->dir, &files, &nfiles, &err))
		goto fail;
	f->run = calloc(nfiles, sizeof(*f->run));
	if (!f->run) {
		wl_error_set(&err, "out of memory");
		goto fail;
	}
	for (i = 0; i < nfiles; i++) {
		if (wl_cmp_run_file(files[i], o, &w, &f->run[i], &err)) {
			wl_cmp_run_release(&f->run[i]);
			goto fail;
		}
		f->nrun++;
	}
	goto out;
fail:
	snprintf(f->err, sizeof(f->err), "%s", err.msg);
	while (f->nrun)
		wl_cmp_run_release(&f->run[--f->nrun]);
	free(f->run);
	f->run = NULL;
out:
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
		do_folder(p->o, &p->f[i]);
		if (p->f[i].err[0])
			atomic_fetch_add(&p->failed, 1);
		if (p->o->progress)
			p->o->progress(p->o->progress_ctx, atomic_fetch_add(&p->done, 1) + 1, p->n,
				       &p->f[i]);
	}
	return NULL;
}

long wl_cmp_run_folders(const char *const *dirs, size_t n, const struct wl_cmp_opts *o,
			struct wl_cmp_folder *f, struct wl_error *err)
{
	struct pool p;
	pthread_t *th;
	size_t i, nth = o->jobs;
	long started = 0;

	for (i = 0; i < n; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].dir = strdup(dirs[i]);
		if (!f[i].dir)
			return wl_error_set(err, "out of memory");
	}
	wl_gsl_init();
	p.dirs = dirs;
	p.n = n;
	p.o = o;
	p.f = f;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.failed, 0);
	if (!nth) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		nth = c > 0 ? (size_t)c : 1;
	}
	if (nth > n)
		nth = n;
	if (nth <= 1) {
		worker(&p);
		return atomic_load(&p.failed);
	}
	th = calloc(nth, sizeof(*th));
	if (!th)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[started], NULL, worker, &p) == 0)
			started++;
	if (!started)
		worker(&p); /* no thread could start: do the work here */
	for (i = 0; i < (size_t)started; i++)
		pthread_join(th[i], NULL);
	free(th);
	return atomic_load(&p.failed);
}

void wl_cmp_folder_release(struct wl_cmp_folder *f)
{
	while (f->nrun)
		wl_cmp_run_release(&f->run[--f->nrun]);
	free(f->run);
	free(f->dir);
	free(f->name);
	memset(f, 0, sizeof(f[0]));
}
