/*
 * walk.h - the one walk over a trace's records (src/trace/walk.c), used by
 * every reader of traces: ingest, the streaming report, info, export,
 * merge, figures, watch.  Libc only.
 *
 * On top of wl_reader_next it applies, in this one place:
 *   - the time origin: the start_monotonic_ns of the META records read
 *     before the first time-stamped record (SAMPLE, MARKER, SYNC, LOG),
 *     else that record's t_ns; a record's time is
 *     t = (int64_t)(t_ns - origin) / 1e9 s;
 *   - raw to physical: a sample value is the 8 raw bytes read as the
 *     channel's type says, times its scale (the declaration in force when
 *     the sample is read);
 *   - the trace's realtime start, t0_realtime (Unix seconds at t = 0): from
 *     the first SYNC record, realtime - (monotonic - origin); else the META
 *     start_realtime_ns + (origin - start_monotonic_ns) (start_monotonic_ns
 *     taken as the origin when absent).  META values are the last ones
 *     read, as in a dataset's metadata.
 */
#ifndef WATTLOG_WALK_H
#define WATTLOG_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/error.h"
#include "wattlog/trace.h"

/* One record of the walk.  Pointers stay valid until the next
 * wl_walk_next() call. */
struct wl_step {
	struct wl_record rec; /* as wl_reader_next hands it out */
	double t;             /* SAMPLE, MARKER, SYNC, LOG: seconds from the origin */
	const double *v;      /* SAMPLE: v[k], the physical value of rec.u.sample.ids[k] */
};

struct wl_walk;

/* Opens a trace (wl_reader_open); NULL with err set. */
struct wl_walk *wl_walk_open(const char *path, struct wl_error *err);

/* Next record: 1 and *s filled, 0 at the end, -1 with err set (an I/O
 * error or out of memory). */
int wl_walk_next(struct wl_walk *w, struct wl_step *s, struct wl_error *err);

/* The reader underneath: channels, damage, version, follow mode. */
struct wl_reader *wl_walk_reader(const struct wl_walk *w);

/* Whether the origin is known yet (a time-stamped record was read), and the
 * time in seconds of a monotonic stamp by it. */
int wl_walk_has_origin(const struct wl_walk *w);
double wl_walk_secs(const struct wl_walk *w, uint64_t t_ns);

/* t0_realtime by the rule above from what was read so far: 1 and *t0 set,
 * or 0 when the trace states no realtime (no SYNC, no start_realtime_ns). */
int wl_walk_t0_realtime(const struct wl_walk *w, double *t0);

/*
 * Progress of every walk over a regular file, for a command that prints it
 * (src/cmd/progress.c): once set, fn is told the path, the bytes read (the
 * offset of the record in hand) and the file's size each time another
 * hundredth of the file is read, and once at its end (done = total).  Every
 * reader of traces walks them here, so one hook reaches them all (ingest,
 * the streamed report's passes, export, merge, figures).  Process-wide:
 * set only by a command that reads traces in one thread; NULL clears it.
 */
struct wl_walk_progress {
	void (*fn)(void *ctx, const char *path, uint64_t done, uint64_t total);
	void *ctx;
};

void wl_walk_progress_set(const struct wl_walk_progress *p);

/* Frees the walk and its reader; NULL is a no-op. */
void wl_walk_free(struct wl_walk *w);

#endif
