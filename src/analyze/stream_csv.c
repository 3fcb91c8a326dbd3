/*
 * stream_csv.c - the streaming report's two passes (stream.h) over a GPU
 * CSV log (AIMeter, nvidia-smi): the format's own reader (wl_ingest) runs
 * once per pass with a sink (ingest.h) that hands each kept sample to the
 * passes instead of storing it.  Pass 1 reads into ds what ingest gives
 * (channels, components, assumptions, warnings, t0_realtime); pass 2 reads
 * the file again into a scratch dataset, whose channels come in the same
 * order, and drops what it says.  The origin moves to the earliest sample
 * as the reader's own rule does (wl_origin_shift).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "stream_pass.h"

struct csvpass {
	struct wl_stream *s;
	struct wl_dataset *ds;
};

static int sample1(void *user, size_t i, double t, double v)
{
	struct csvpass *p = user;

	if (i >= p->s->nch && wl_stream_chan_add(p->s, p->ds, i))
		return -1;
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

int wl_stream_csv_pass(struct wl_stream *s, struct wl_dataset *ds, int which,
		       struct wl_error *err)
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
		if (wl_ingest(s->path, &o, ds, err))
			return -1;
		shift_frame(s, ds);
		return 0;
	}
	wl_dataset_init(&scratch);
	rc = wl_ingest(s->path, &o, &scratch, err);
	wl_dataset_release(&scratch);
	return rc;
}
