/*
 * stream_csv.c - the streaming report's two passes (stream.h) over a GPU
 * CSV log (AIMeter, nvidia-smi): the format's own reader (wl_ingest) runs
 * in pass 1 with a sink (ingest.h) that hands each row's kept samples to
 * the pass instead of storing them, and reads into ds what ingest gives
 * (channels, components, assumptions, warnings, t0_realtime).  The rows
 * go in blocks of one layout (struct wl_srows), a column at a time.  Pass
 * 1 also spills each block in binary to an unlinked temporary file
 * (stream_spill.c), and pass 2 replays it: the same samples in the same
 * order, without parsing the text again; in two threads when it can
 * (stream_pass.h's lanes: each reads the file and does the work of its
 * channels).  When no spill file can be written, pass 2 reads the file
 * again with the reader into a scratch dataset, whose channels come in
 * the same order.  The origin moves to
 * the earliest sample as the reader's own rule does (wl_origin_shift).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "stream_pass.h"
#include "stream_spill.h"

/* A pass's reading of the log: its rows gathered into blocks of one
 * layout (wl_srows), each block into pass 1 (and the spill file) or pass 2
 * (every channel in one lane, when the spill file could not be written). */
struct csvpass {
	struct wl_stream *s;
	struct wl_dataset *ds;
	int which;
	struct wl_srows b;
	unsigned char *what; /* pass 2: 1 for a channel of pass 1, else 0 */
	size_t nwhat;
};

static void spill_free(struct wl_stream *s)
{
	if (!s->spill)
		return;
	wl_spill_free(s->spill);
	free(s->spill);
	s->spill = NULL;
}

/* The rows gathered into their pass. */
static int flush(struct csvpass *p)
{
	struct wl_srows *b = &p->b;
	size_t k;

	if (!b->n)
		return 0;
	if (p->which == 1) {
		wl_spill_put(p->s->spill, b);
		for (k = 0; k < b->ncol; k++)
			if (wl_stream_sample1(p->s, p->ds, b->ch[k], b->t, b->v + k * b->cap, b->n))
				return -1;
	} else if (wl_stream_rows2(p->s, p->ds, b, 0, p->what)) {
		return -1;
	}
	b->n = 0;
	return 0;
}

/* A new layout ch[0..n): in pass 1 its new channels join the stream; in
 * pass 2 a channel pass 1 did not see (cannot happen with the same file)
 * is left out. */
static int layout(struct csvpass *p, const uint32_t *ch, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (p->which == 1) {
			if (ch[k] >= p->s->nch && wl_stream_chan_add(p->s, p->ds, ch[k]))
				return -1;
			continue;
		}
		if (ch[k] >= p->nwhat) {
			size_t m = ch[k] + 1, i;
			unsigned char *w = realloc(p->what, m);

			if (!w)
				return -1;
			for (i = p->nwhat; i < m; i++)
				w[i] = i < p->s->nch;
			p->what = w;
			p->nwhat = m;
		}
	}
	return wl_srows_layout(&p->b, ch, n, 0);
}

/* The reader's row sink (ingest.h). */
static int row(void *user, double t, size_t n, const uint32_t *ch, const double *v)
{
	struct csvpass *p = user;

	if (!wl_srows_same(&p->b, ch, n) && (flush(p) || layout(p, ch, n)))
		return -1;
	if (p->which == 2 && p->s->shift < 0)
		t = wl_origin_shift(t, p->s->shift);
	if (wl_srows_add(&p->b, t, v) && (flush(p) || wl_srows_add(&p->b, t, v)))
		return -1;
	return 0;
}

/* After pass 1: the earliest sample becomes t = 0 (as the reader's
 * shift_origin), for the frame kept in ds and the pass-1 state. */
static void shift_frame(struct wl_stream *s, struct wl_dataset *ds)
{
	double a = INFINITY;
	size_t i, k;

	for (i = 0; i < s->nch; i++)
		if (s->ch[i].nraw && s->ch[i].t_first < a)
			a = s->ch[i].t_first;
	if (!(a < 0))
		return;
	s->shift = a;
	for (i = 0; i < s->nch; i++) {
		struct wl_schan *c = &s->ch[i];

		c->t_first = wl_origin_shift(c->t_first, a);
		c->t_last = wl_origin_shift(c->t_last, a);
		for (k = 0; k < ds->ch[i].n; k++)
			ds->ch[i].t[k] = wl_origin_shift(ds->ch[i].t[k], a);
		for (k = 0; k < c->ntmed; k++)
			c->tmed[k] = wl_origin_shift(c->tmed[k], a);
	}
	ds->t0_realtime += a;
}

/* A lane of pass 2 over the spill file (stream_pass.h): what it does with
 * the readings of channel i, what[i]: 1 all, 2 the row correlation's part
 * (wl_stream_rows2), 0 nothing.  Each lane's state on cache lines of its
 * own, and what the other lane writes not read. */
struct lane_run {
	_Alignas(64) struct wl_stream *s;
	struct wl_dataset *ds;
	unsigned char *buf, *what;
	int lane;
	double shift; /* s->shift */
	int rc, eno;  /* wl_spill_read's, and its errno */
	struct wl_srows b;
};

static int lane_rows(void *user, struct wl_srows *b)
{
	struct lane_run *lr = user;
	size_t r;

	if (lr->shift < 0)
		for (r = 0; r < b->n; r++)
			b->t[r] = wl_origin_shift(b->t[r], lr->shift);
	return wl_stream_rows2(lr->s, lr->ds, b, lr->lane, lr->what) ? -1 : 0;
}

static void *replay_lane(void *arg)
{
	struct lane_run *lr = arg;

	lr->rc = wl_spill_read(lr->s->spill, lr->buf, lr->what, &lr->b, lane_rows, lr);
	lr->eno = errno;
	wl_srows_release(&lr->b);
	return NULL;
}

/* Pass 2 from the spill file, in two lanes (a second thread) when it
 * can, else in one. */
static int replay(struct wl_stream *s, struct wl_dataset *ds, struct wl_error *err)
{
	struct lane_run lr[WL_STREAM_LANES];
	size_t nw = (s->nch > s->spill->ch.n ? s->nch : s->spill->ch.n) + 1; /* want[]'s */
	unsigned char *what = calloc(WL_STREAM_LANES * nw, 1);
	pthread_t th[WL_STREAM_LANES];
	size_t i, l, nth = 1;
	int rc = 0;

	if (!what)
		return wl_error_set(err, "out of memory analysing '%s'", s->path);
	memset(lr, 0, sizeof(lr));
	for (l = 0; l < WL_STREAM_LANES; l++) {
		lr[l].s = s;
		lr[l].ds = ds;
		lr[l].what = what + l * nw;
		lr[l].lane = (int)l;
		lr[l].shift = s->shift;
	}
	lr[0].buf = s->spill->buf;
	if (wl_stream_lanes(s, ds, 1)) {
		for (l = 1; l < WL_STREAM_LANES; l++)
			if (!(lr[l].buf = malloc(WL_SPILL_BUF)))
				break;
		nth = l;
	}
	if (nth < WL_STREAM_LANES) {
		nth = 1;
		wl_stream_lanes(s, ds, 0);
	}
	for (i = 0; i < s->nch; i++) {
		l = s->lanes ? (size_t)s->ch[i].lane % WL_STREAM_LANES : 0; /* < LANES already */
		what[l * nw + i] = 1;
		if (l && s->ch[i].gridded)
			what[i] = 2; /* lane 0's */
	}
	for (l = 1; l < nth; l++)
		if (pthread_create(&th[l], NULL, replay_lane, &lr[l]))
			break;
	for (i = l; i < nth; i++) /* no thread: its lane after */
		replay_lane(&lr[i]);
	replay_lane(&lr[0]);
	for (i = 1; i < l; i++)
		pthread_join(th[i], NULL);
	for (l = 0; l < WL_STREAM_LANES && !rc; l++)
		if (lr[l].rc == -2)
			rc = wl_error_errno(err, lr[l].eno, "cannot read back the spill file of '%s'",
					    s->path);
		else if (lr[l].rc)
			rc = wl_error_set(err, "out of memory analysing '%s'", s->path);
	for (l = 1; l < WL_STREAM_LANES; l++)
		free(lr[l].buf);
	free(what);
	return rc;
}

static int csv_pass(struct wl_stream *s, struct wl_dataset *ds, int which, struct wl_error *err)
{
	struct wl_ingest_opts o = *s->csv;
	struct wl_ingest_sink sink;
	struct csvpass p;
	struct wl_dataset scratch;
	int rc;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.ds = ds;
	p.which = which;
	sink.row = row;
	sink.user = &p;
	o.sink = &sink;
	o.markers = NULL;
	if (which == 1) {
		if (!(s->spill = calloc(1, sizeof(*s->spill))) || wl_spill_open(s->spill))
			return wl_error_set(err, "out of memory reading '%s'", s->path);
		rc = wl_ingest(s->path, &o, ds, err);
		if (!rc && flush(&p))
			rc = wl_error_set(err, "out of memory reading '%s'", s->path);
		wl_srows_release(&p.b);
		if (rc)
			return -1;
		wl_spill_flush(s->spill);
		shift_frame(s, ds);
		return 0;
	}
	if (s->spill && s->spill->fd >= 0)
		return replay(s, ds, err);
	wl_dataset_init(&scratch);
	rc = wl_ingest(s->path, &o, &scratch, err);
	if (!rc && flush(&p))
		rc = wl_error_set(err, "out of memory analysing '%s'", s->path);
	wl_dataset_release(&scratch);
	wl_srows_release(&p.b);
	free(p.what);
	return rc;
}

struct wl_stream *wl_stream_open_csv(const char *path, const struct wl_ingest_opts *o,
				      double max_power_w, struct wl_dataset *ds,
				      struct wl_error *err)
{
	return wl_stream_open_any(path, o, csv_pass, spill_free, max_power_w, ds, err);
}

int wl_stream_csv_wanted(const char *path, const struct wl_ingest_opts *o, int force)
{
	struct wl_error err;
	struct stat st;
	const char *fmt;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	if (!force && (unsigned long long)st.st_size <= WL_STREAM_CSV_AUTO_BYTES)
		return 0;
	if (o->markers || o->sink)
		return 0;
	fmt = o->format ? o->format : wl_ingest_detect(path, &err);
	return wl_ingest_streams(fmt);
}
