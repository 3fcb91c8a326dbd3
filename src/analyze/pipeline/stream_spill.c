/*
 * stream_spill.c - the spill file of a streamed CSV log (stream_spill.h):
 * pass 1's samples in a compact binary form that pass 2 reads back.
 *
 * A record is a header byte, kind << 6 | tag (tag 63: the channel's
 * number in the 4 bytes after), then by kind:
 *   SP_REPEAT  nothing: the channel's value before, again (the same bits);
 *   SP_DOUBLE  8 bytes: the value;
 *   SP_TIME    8 bytes: the time of the samples after (tag 0).
 * A metric often repeats its value (68 % of the samples of the AIMeter
 * log of `make bench`): its rows take 91 bytes, not the 288 of records of
 * a tag and a double each, so pass 1 writes and pass 2 reads a third.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream_spill.h"

#define SP_REPEAT 0u
#define SP_DOUBLE 1u
#define SP_TIME 2u
#define SP_WIDE 63u      /* the tag follows in 4 bytes */
#define SP_MAXREC 13u    /* header, wide tag, 8 bytes */

/* Makes room for the state of channel i (n > i).  0 or -1 (out of
 * memory). */
static int chan_grow(struct wl_spill_chans *c, uint32_t i)
{
	size_t n = c->n ? c->n : 32;
	uint64_t *last;
	unsigned char *have;

	while (n <= i)
		n *= 2;
	if (!(last = realloc(c->last, n * sizeof(*c->last))))
		return -1;
	c->last = last;
	if (!(have = realloc(c->have, n)))
		return -1;
	c->have = have;
	memset(c->have + c->n, 0, n - c->n);
	c->n = n;
	return 0;
}

static inline int chan(struct wl_spill_chans *c, uint32_t i)
{
	return i < c->n ? 0 : chan_grow(c, i);
}

static void chans_free(struct wl_spill_chans *c)
{
	free(c->last);
	free(c->have);
	memset(c, 0, sizeof(*c));
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

void wl_spill_drop(struct wl_spill *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
}

void wl_spill_flush(struct wl_spill *sp)
{
	if (sp->fd >= 0 && sp->len && write_all(sp->fd, sp->buf, sp->len))
		wl_spill_drop(sp);
	sp->len = 0;
}

static unsigned char *room(struct wl_spill *sp)
{
	if (sp->len + SP_MAXREC > WL_SPILL_BUF)
		wl_spill_flush(sp);
	return sp->buf + sp->len;
}

/* The header (and wide tag) of a record; its end. */
static unsigned char *header(unsigned char *p, unsigned kind, uint32_t tag)
{
	*p++ = (unsigned char)(kind << 6 | (tag < SP_WIDE ? tag : SP_WIDE));
	if (tag >= SP_WIDE) {
		memcpy(p, &tag, 4);
		p += 4;
	}
	return p;
}

void wl_spill_put(struct wl_spill *sp, uint32_t tag, double t, double x)
{
	unsigned char *p, *q;
	uint64_t bits;

	if (sp->fd < 0)
		return;
	if (chan(&sp->ch, tag)) {
		wl_spill_drop(sp); /* pass 2 reads the log again */
		return;
	}
	if (!sp->have_t || t != sp->t) {
		p = room(sp);
		*p = SP_TIME << 6;
		memcpy(p + 1, &t, 8);
		sp->len += 9;
		sp->t = t;
		sp->have_t = 1;
	}
	memcpy(&bits, &x, 8);
	p = room(sp);
	if (sp->ch.have[tag] && sp->ch.last[tag] == bits) {
		q = header(p, SP_REPEAT, tag);
	} else {
		q = header(p, SP_DOUBLE, tag);
		memcpy(q, &x, 8);
		q += 8;
		sp->ch.have[tag] = 1;
		sp->ch.last[tag] = bits;
	}
	sp->len += (size_t)(q - p);
}

int wl_spill_open(struct wl_spill *sp)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	if (!(sp->buf = malloc(WL_SPILL_BUF)))
		return -1;
	snprintf(path, sizeof(path), "%s/wattlog-spill.XXXXXX", dir && *dir ? dir : "/tmp");
	sp->fd = mkstemp(path);
	if (sp->fd >= 0)
		unlink(path);
	return 0;
}

void wl_spill_free(struct wl_spill *sp)
{
	wl_spill_drop(sp);
	free(sp->buf);
	chans_free(&sp->ch);
}

int wl_spill_read(const struct wl_spill *sp, unsigned char *buf, const unsigned char *want,
		  wl_spill_fn fn, void *user)
{
	struct wl_spill_chans ch = { 0 };
	size_t have = 0, k = 0;
	off_t at = 0;
	double t = 0;
	ssize_t n = 1;
	int rc = 0;

	while (!rc) {
		n = pread(sp->fd, buf + have, WL_SPILL_BUF - have, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -2;
			break;
		}
		at += n;
		have += (size_t)n;
		for (k = 0; k < have && !rc;) {
			unsigned kind = buf[k] >> 6;
			uint32_t tag = buf[k] & SP_WIDE;
			size_t len = kind == SP_REPEAT ? 1 : 9;
			const unsigned char *p = buf + k + 1;
			double x;

			if (tag == SP_WIDE && kind != SP_TIME)
				len += 4;
			if (k + len > have)
				break;
			k += len;
			if (kind == SP_TIME) {
				memcpy(&t, p, 8);
				continue;
			}
			if (tag == SP_WIDE) {
				memcpy(&tag, p, 4);
				p += 4;
			}
			if (tag >= sp->ch.n || !want[tag])
				continue; /* not this reader's */
			if (chan(&ch, tag)) {
				rc = -1;
				break;
			}
			if (kind == SP_REPEAT) {
				memcpy(&x, &ch.last[tag], 8);
			} else {
				memcpy(&x, p, 8);
				memcpy(&ch.last[tag], p, 8);
			}
			rc = fn(user, tag, t, x);
		}
		memmove(buf, buf + k, have - k);
		have -= k;
		if (n == 0)
			break;
	}
	chans_free(&ch);
	if (!rc && have) {
		errno = EIO; /* a record cut off: the file is not what was written */
		rc = -2;
	}
	return rc;
}
