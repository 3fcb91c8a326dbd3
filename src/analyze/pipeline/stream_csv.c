/*
 * stream_csv.c - the streaming report's two passes (stream.h) over a GPU
 * CSV log (AIMeter, nvidia-smi): the format's own reader (wl_ingest) runs
 * in pass 1 with a sink (ingest.h) that hands each kept sample to the pass
 * instead of storing it, and reads into ds what ingest gives (channels,
 * components, assumptions, warnings, t0_realtime).  Pass 1 also spills
 * each sample in binary to an unlinked temporary file ($TMPDIR, else /tmp;
 * 12 bytes a sample, 12 a row), and pass 2 replays it: the same samples in
 * the same order, without parsing the text again.  When no spill file can
 * be written, pass 2 reads the file again with the reader into a scratch
 * dataset, whose channels come in the same order.  The origin moves to
 * the earliest sample as the reader's own rule does (wl_origin_shift).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "stream_pass.h"

#define SPILL_BUF (1u << 20)
#define SPILL_REC 12u          /* uint32 tag, double */
#define SPILL_TIME UINT32_MAX  /* tag of a record giving the time of those after */

struct wl_spill {
	int fd;                /* the unlinked file, -1 when none (re-read) */
	unsigned char *buf;
	size_t len;
	double t;              /* time of the last time record */
	int have_t;
};

struct csvpass {
	struct wl_stream *s;
	struct wl_dataset *ds;
};

static void spill_free(struct wl_stream *s)
{
	if (!s->spill)
		return;
	if (s->spill->fd >= 0)
		close(s->spill->fd);
	free(s->spill->buf);
	free(s->spill);
	s->spill = NULL;
}

/* Gives up the spill: pass 2 reads the file again. */
static void spill_drop(struct wl_spill *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void spill_flush(struct wl_spill *sp)
{
	if (sp->fd >= 0 && sp->len && write_all(sp->fd, sp->buf, sp->len))
		spill_drop(sp);
	sp->len = 0;
}

static void spill_put(struct wl_spill *sp, uint32_t tag, double x)
{
	if (sp->len + SPILL_REC > SPILL_BUF)
		spill_flush(sp);
	memcpy(sp->buf + sp->len, &tag, 4);
	memcpy(sp->buf + sp->len + 4, &x, 8);
	sp->len += SPILL_REC;
}

/* The spill file, or none (s->spill->fd < 0). -1 out of memory. */
static int spill_open(struct wl_stream *s)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	struct wl_spill *sp = calloc(1, sizeof(*sp));

	if (!sp || !(sp->buf = malloc(SPILL_BUF))) {
		free(sp);
		return -1;
	}
	s->spill = sp;
	snprintf(path, sizeof(path), "%s/wattlog-spill.XXXXXX", dir && *dir ? dir : "/tmp");
	sp->fd = mkstemp(path);
	if (sp->fd >= 0)
		unlink(path);
	return 0;
}

static int sample1(void *user, size_t i, double t, double v)
{
	struct csvpass *p = user;
	struct wl_spill *sp = p->s->spill;

	if (i >= p->s->nch && wl_stream_chan_add(p->s, p->ds, i))
		return -1;
	if (sp->fd >= 0) {
		if (!sp->have_t || t != sp->t) {
			spill_put(sp, SPILL_TIME, t);
			sp->t = t;
			sp->have_t = 1;
		}
		spill_put(sp, (uint32_t)i, v);
	}
	return wl_stream_sample1(p->s, p->ds, i, t, v);
}

static int sample2(void *user, size_t i, double t, double v)
{
	struct csvpass *p = user;

	if (i >= p->s->nch)
		return 0; /* not in pass 1: cannot happen with the same file */
	if (p->s->shift < 0)
		t = wl_origin_shift(t, p->s->shift);
	return wl_stream_sample2(p->s, p->ds, i, t, v);
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

/* Pass 2 from the spill file: each record as it was spilled. */
static int replay(struct wl_stream *s, struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_spill *sp = s->spill;
	size_t have = 0, k;
	double t = 0;
	ssize_t n;

	if (lseek(sp->fd, 0, SEEK_SET) != 0)
		return wl_error_errno(err, errno, "cannot read back the spill file of '%s'",
				      s->path);
	for (;;) {
		n = read(sp->fd, sp->buf + have, SPILL_BUF - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return wl_error_errno(err, errno, "cannot read back the spill file of '%s'",
					      s->path);
		if (n == 0)
			break;
		have += (size_t)n;
		for (k = 0; k + SPILL_REC <= have; k += SPILL_REC) {
			uint32_t tag;
			double x;

			memcpy(&tag, sp->buf + k, 4);
			memcpy(&x, sp->buf + k + 4, 8);
			if (tag == SPILL_TIME)
				t = s->shift < 0 ? wl_origin_shift(x, s->shift) : x;
			else if (wl_stream_sample2(s, ds, tag, t, x))
				return wl_error_set(err, "out of memory analysing '%s'", s->path);
		}
		memmove(sp->buf, sp->buf + k, have - k);
		have -= k;
	}
	return 0;
}

static int csv_pass(struct wl_stream *s, struct wl_dataset *ds, int which, struct wl_error *err)
{
	struct wl_ingest_opts o = *s->csv;
	struct wl_ingest_sink sink;
	struct csvpass p = { s, ds };
	struct wl_dataset scratch;
	int rc;

	sink.sample = which == 1 ? sample1 : sample2;
	sink.user = &p;
	o.sink = &sink;
	o.markers = NULL;
	if (which == 1) {
		if (spill_open(s))
			return wl_error_set(err, "out of memory reading '%s'", s->path);
		if (wl_ingest(s->path, &o, ds, err))
			return -1;
		spill_flush(s->spill);
		shift_frame(s, ds);
		return 0;
	}
	if (s->spill && s->spill->fd >= 0)
		return replay(s, ds, err);
	wl_dataset_init(&scratch);
	rc = wl_ingest(s->path, &o, &scratch, err);
	wl_dataset_release(&scratch);
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
