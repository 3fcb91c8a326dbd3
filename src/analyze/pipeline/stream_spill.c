/*
 * stream_spill.c - the spill file of a streamed CSV log (stream_spill.h):
 * pass 1's blocks of rows (struct wl_srows) in a compact binary form that
 * pass 2 reads back.
 *
 * A record is a kind byte and its length in bytes (4, the record's whole),
 * then by kind:
 *   SP_LAYOUT  a slot (1 byte), ncol (4) and the ncol channels (4 each):
 *              the layout the blocks after that name this slot have;
 *   SP_ROWS    a slot (1 byte), the rows n (2), their times (8 each), then
 *              by column: how many values follow (2), n bits (bit r of
 *              byte r / 8 set: row r repeats the channel's value before,
 *              the same bits) and the values that are not repeats (8 each).
 * A metric often repeats its value (68 % of the samples of the AIMeter
 * log of `make bench`): a row of its 23 channels takes about 70 bytes, not
 * the 192 of its values, and the times are written once a row.  Numbers
 * in the machine's byte order: the file lives only while the report runs.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream_spill.h"

#define SP_LAYOUT 1u
#define SP_ROWS 2u
#define SP_HEAD 5u /* kind, length */

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

/* Room for n bytes at the buffer's end (n <= WL_SPILL_BUF). */
static unsigned char *room(struct wl_spill *sp, size_t n)
{
	if (sp->len + n > WL_SPILL_BUF)
		wl_spill_flush(sp);
	return sp->buf + sp->len;
}

static void put_head(unsigned char *p, unsigned kind, size_t len)
{
	uint32_t n = (uint32_t)len;

	p[0] = (unsigned char)kind;
	memcpy(p + 1, &n, 4);
}

/* The slot holding b's layout, written to the file when no slot holds it
 * (in the one used longest ago); -1 when the file is dropped. */
static int slot_of(struct wl_spill *sp, const struct wl_srows *b)
{
	struct wl_spill_slots *sl = &sp->slot;
	size_t len = SP_HEAD + 5 + 4 * b->ncol;
	unsigned i, old = 0;
	unsigned char *p;
	uint32_t *ch;

	if (sl->used[sl->last] && sl->n[sl->last] == b->ncol &&
	    !memcmp(sl->ch[sl->last], b->ch, b->ncol * sizeof(*b->ch)))
		return (int)sl->last;
	for (i = 0; i < WL_SPILL_SLOTS; i++) {
		if (sl->used[i] && sl->n[i] == b->ncol &&
		    !memcmp(sl->ch[i], b->ch, b->ncol * sizeof(*b->ch)))
			break;
		if (sl->used[i] < sl->used[old])
			old = i;
	}
	if (i == WL_SPILL_SLOTS) {
		uint32_t n = (uint32_t)b->ncol;

		if (len > WL_SPILL_BUF || !(ch = realloc(sl->ch[old], len)))
			return -1;
		sl->ch[old] = ch;
		memcpy(ch, b->ch, b->ncol * sizeof(*b->ch));
		sl->n[old] = b->ncol;
		p = room(sp, len);
		put_head(p, SP_LAYOUT, len);
		p[SP_HEAD] = (unsigned char)old;
		memcpy(p + SP_HEAD + 1, &n, 4);
		memcpy(p + SP_HEAD + 5, b->ch, b->ncol * sizeof(*b->ch));
		sp->len += len;
		i = old;
	}
	sl->used[i] = ++sl->clock;
	sl->last = i;
	return (int)i;
}

void wl_spill_put(struct wl_spill *sp, const struct wl_srows *b)
{
	size_t nb = (b->n + 7) / 8, bound = SP_HEAD + 3 + 8 * b->n + b->ncol * (2 + nb + 8 * b->n);
	unsigned char *p, *q;
	uint16_t n16 = (uint16_t)b->n;
	size_t k, r;
	int slot;

	if (sp->fd < 0 || !b->n)
		return;
	for (k = 0; k < b->ncol; k++)
		if (chan(&sp->ch, b->ch[k]))
			break;
	if (k < b->ncol || b->n > UINT16_MAX || bound > WL_SPILL_BUF || (slot = slot_of(sp, b)) < 0) {
		wl_spill_drop(sp); /* pass 2 reads the log again */
		return;
	}
	p = room(sp, bound);
	p[SP_HEAD] = (unsigned char)slot;
	memcpy(p + SP_HEAD + 1, &n16, 2);
	q = p + SP_HEAD + 3;
	memcpy(q, b->t, 8 * b->n);
	q += 8 * b->n;
	for (k = 0; k < b->ncol; k++) {
		const double *v = b->v + k * b->cap;
		uint32_t i = b->ch[k];
		unsigned char *cnt = q, *bits = q + 2;
		uint64_t last = sp->ch.last[i];
		int have = sp->ch.have[i];
		uint16_t m = 0;

		q = bits + nb;
		memset(bits, 0, nb);
		for (r = 0; r < b->n; r++) {
			uint64_t x;

			memcpy(&x, &v[r], 8);
			if (have && x == last) {
				bits[r / 8] |= (unsigned char)(1u << (r % 8));
				continue;
			}
			memcpy(q, &x, 8);
			q += 8;
			m++;
			last = x;
			have = 1;
		}
		memcpy(cnt, &m, 2);
		sp->ch.last[i] = last;
		sp->ch.have[i] = (unsigned char)have;
	}
	put_head(p, SP_ROWS, (size_t)(q - p));
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

static void slots_free(struct wl_spill_slots *sl)
{
	unsigned i;

	for (i = 0; i < WL_SPILL_SLOTS; i++)
		free(sl->ch[i]);
	memset(sl, 0, sizeof(*sl));
}

void wl_spill_free(struct wl_spill *sp)
{
	wl_spill_drop(sp);
	free(sp->buf);
	chans_free(&sp->ch);
	slots_free(&sp->slot);
}

/* One record p[0..len) into the reader's state (ch, sl) or b and fn.
 * 0, fn's value, -1 out of memory, -3 a record not as written. */
static int record(const struct wl_spill *sp, const unsigned char *p, size_t len,
		  const unsigned char *want, struct wl_spill_chans *ch,
		  struct wl_spill_slots *sl, struct wl_srows *b, wl_spill_fn fn, void *user)
{
	const unsigned char *q = p + SP_HEAD + 3, *end = p + len;
	unsigned slot = p[SP_HEAD];
	size_t k, r, nb;
	uint16_t n;

	if (len < SP_HEAD + 3 || slot >= WL_SPILL_SLOTS)
		return -3;
	if (p[0] == SP_LAYOUT) {
		uint32_t m, *c;

		memcpy(&m, p + SP_HEAD + 1, 4);
		if (len != SP_HEAD + 5 + 4 * (size_t)m)
			return -3;
		if (!(c = realloc(sl->ch[slot], 4 * (size_t)m + 4)))
			return -1;
		sl->ch[slot] = c;
		memcpy(c, p + SP_HEAD + 5, 4 * (size_t)m);
		sl->n[slot] = m;
		sl->used[slot] = 1;
		return 0;
	}
	if (p[0] != SP_ROWS || !sl->used[slot])
		return -3;
	memcpy(&n, p + SP_HEAD + 1, 2);
	nb = (n + 7u) / 8;
	if (wl_srows_layout(b, sl->ch[slot], sl->n[slot], n ? n : 1))
		return -1;
	if ((size_t)(end - q) < 8u * n)
		return -3;
	memcpy(b->t, q, 8u * n);
	q += 8u * n;
	for (k = 0; k < b->ncol; k++) {
		uint32_t i = b->ch[k];
		const unsigned char *bits = q + 2, *x;
		double *v = b->v + k * b->cap;
		uint16_t m;

		if ((size_t)(end - q) < 2 + nb)
			return -3;
		memcpy(&m, q, 2);
		x = bits + nb;
		if ((size_t)(end - x) < 8u * m)
			return -3;
		q = x + 8u * m;
		if (i >= sp->ch.n || !want[i])
			continue; /* not this reader's */
		if (chan(ch, i))
			return -1;
		for (r = 0; r < n; r++) {
			if (bits[r / 8] >> (r % 8) & 1) {
				memcpy(&v[r], &ch->last[i], 8);
				continue;
			}
			if (x == q)
				return -3;
			memcpy(&v[r], x, 8);
			memcpy(&ch->last[i], x, 8);
			x += 8;
		}
	}
	b->n = n;
	return q == end ? fn(user, b) : -3;
}

int wl_spill_read(const struct wl_spill *sp, unsigned char *buf, const unsigned char *want,
		  struct wl_srows *b, wl_spill_fn fn, void *user)
{
	struct wl_spill_chans ch = { 0 };
	struct wl_spill_slots sl;
	size_t have = 0, k = 0;
	off_t at = 0;
	ssize_t n = 1;
	int rc = 0;

	memset(&sl, 0, sizeof(sl));
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
		for (k = 0; have - k >= SP_HEAD && !rc;) {
			uint32_t len;

			memcpy(&len, buf + k + 1, 4);
			if (len < SP_HEAD || len > WL_SPILL_BUF) {
				rc = -3;
				break;
			}
			if (k + len > have)
				break;
			rc = record(sp, buf + k, len, want, &ch, &sl, b, fn, user);
			k += len;
		}
		memmove(buf, buf + k, have - k);
		have -= k;
		if (n == 0)
			break;
	}
	chans_free(&ch);
	slots_free(&sl);
	if (rc == -3 || (!rc && have)) {
		errno = EIO; /* a record cut off or not as written: the file is not what was written */
		rc = -2;
	}
	return rc;
}
