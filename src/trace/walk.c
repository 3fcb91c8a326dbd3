/*
 * walk.c - the one walk over a trace's records (walk.h): the time origin,
 * raw to physical values and the realtime start, over wl_reader_next.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wattlog/grow.h"
#include "wattlog/walk.h"

struct wl_walk {
	struct wl_reader *r;
	double *v;
	size_t capv;
	int have_origin, have_sync, have_start, have_real;
	uint64_t origin, start_mono, start_real;
	double sync_t0;
	/* progress (wl_walk_progress_set): the file's size (0: none told),
	 * the offset at which to tell next, a hundredth of the size */
	char *path;
	uint64_t size, next, step;
};

static struct wl_walk_progress progress;

void wl_walk_progress_set(const struct wl_walk_progress *p)
{
	if (p)
		progress = *p;
	else
		memset(&progress, 0, sizeof(progress));
}

/* Tells the hook of the record read (rc 1) or of the end (rc 0). */
static void tell(struct wl_walk *w, int rc, uint64_t offset)
{
	if (!w->size || !progress.fn)
		return;
	if (rc == 1 && offset >= w->next) {
		progress.fn(progress.ctx, w->path, offset, w->size);
		w->next = offset + w->step;
	} else if (rc == 0) {
		progress.fn(progress.ctx, w->path, w->size, w->size);
		w->size = 0; /* told once */
	}
}

/* A decimal u64 that is the whole string: 1 and *v, else 0. */
static int whole_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	*v = strtoull(s, &end, 10);
	return !*end;
}

struct wl_walk *wl_walk_open(const char *path, struct wl_error *err)
{
	struct wl_walk *w = calloc(1, sizeof(*w));

	if (!w) {
		wl_error_set(err, "out of memory reading '%s'", path);
		return NULL;
	}
	w->r = wl_reader_open(path, err);
	if (!w->r) {
		free(w);
		return NULL;
	}
	if (progress.fn) {
		struct stat st;

		if (!stat(path, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
		    (w->path = strdup(path))) {
			w->size = (uint64_t)st.st_size;
			w->step = w->size / 100 ? w->size / 100 : 1;
		}
	}
	return w;
}

static void meta(struct wl_walk *w, const struct wl_record *rec)
{
	size_t k;

	for (k = 0; k < rec->u.meta.n; k++) {
		const char *key = rec->u.meta.kv[k].key, *val = rec->u.meta.kv[k].value;

		if (!strcmp(key, "start_monotonic_ns"))
			w->have_start = whole_u64(val, &w->start_mono);
		else if (!strcmp(key, "start_realtime_ns"))
			w->have_real = whole_u64(val, &w->start_real);
	}
}

int wl_walk_next(struct wl_walk *w, struct wl_step *s, struct wl_error *err)
{
	struct wl_record *rec = &s->rec;
	size_t k;
	int rc = wl_reader_next(w->r, rec, err);

	tell(w, rc, rec->offset);
	s->t = 0;
	s->v = NULL;
	if (rc != 1)
		return rc;
	if (rec->kind == WL_REC_META) {
		meta(w, rec);
		return 1;
	}
	if (rec->kind == WL_REC_CHANNEL)
		return 1;
	if (!w->have_origin) {
		w->origin = w->have_start ? w->start_mono : rec->t_ns;
		w->have_origin = 1;
	}
	s->t = wl_walk_secs(w, rec->t_ns);
	if (rec->kind == WL_REC_SYNC && !w->have_sync) {
		w->sync_t0 = (double)((int64_t)rec->u.sync.real_ns - (int64_t)(rec->t_ns - w->origin)) /
			     1e9;
		w->have_sync = 1;
	}
	if (rec->kind != WL_REC_SAMPLE)
		return 1;
	if (wl_grow((void **)&w->v, &w->capv, rec->u.sample.n ? rec->u.sample.n : 1,
		    sizeof(*w->v)))
		return wl_error_set(err, "out of memory reading a trace");
	for (k = 0; k < rec->u.sample.n; k++)
		w->v[k] = wl_value_physical(wl_reader_channel(w->r, rec->u.sample.ids[k]),
					    rec->u.sample.vals[k]);
	s->v = w->v;
	return 1;
}

struct wl_reader *wl_walk_reader(const struct wl_walk *w)
{
	return w->r;
}

int wl_walk_has_origin(const struct wl_walk *w)
{
	return w->have_origin;
}

double wl_walk_secs(const struct wl_walk *w, uint64_t t_ns)
{
	return (double)(int64_t)(t_ns - w->origin) / 1e9;
}

int wl_walk_t0_realtime(const struct wl_walk *w, double *t0)
{
	uint64_t sm;

	if (w->have_sync) {
		*t0 = w->sync_t0;
		return 1;
	}
	if (!w->have_real)
		return 0;
	sm = w->have_origin && w->have_start ? w->start_mono : w->origin;
	*t0 = (double)(int64_t)(w->start_real + (w->origin - sm)) / 1e9;
	return 1;
}

void wl_walk_free(struct wl_walk *w)
{
	if (!w)
		return;
	wl_reader_free(w->r);
	free(w->v);
	free(w->path);
	free(w);
}
