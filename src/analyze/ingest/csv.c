/*
 * csv.c - the one place libcsv is used (see csvread.h).
 *
 * Tokenizing: bytes read are cut at their newlines (memchr) and handed to
 * csv_parse one physical line at a time, so that every record knows its
 * line number and binary data is caught where it starts (csv_parse's own
 * loop is the cost: feeding it 1 MiB pieces instead costs the same).  A
 * line longer than the buffer is fed to libcsv in pieces (libcsv keeps its
 * state across calls); a physical line longer than LINE_MAX_BYTES is
 * refused.  Fields are copied once, into batches of records that are
 * reused: no allocation per row.  With opts.numbers each field is also
 * scanned as a number with its unit (wl_unit_scan_n) as it is copied, so
 * that the scan runs in a tokenizing thread; a field whose bytes are those
 * of the same column's field before (a log often repeats a reading) takes
 * that field's result instead of a scan (the scan is a function of the
 * bytes alone).  That case is on_field's whole work per field: one
 * capacity test, the bytes compared with a few word loads (fields are a
 * few bytes; a call to memcmp cost more than the compare) and copied the
 * same way; the scan and every growth are out of line.
 *
 * The callback always runs in the caller's thread, once per record, in file
 * order; tokenizing runs beside it, in one of two ways:
 *  - in blocks (a regular file of more than PIPE_MIN bytes): NWORK threads
 *    tokenize the file's blocks of BLOCK bytes, block k in thread k % NWORK
 *    with its own parser, and the caller takes the finished blocks in
 *    order.  A block runs from the first line start at or after k x BLOCK
 *    to the first at or after (k + 1) x BLOCK (its thread reads LOOK bytes
 *    past the block, then more only while that line runs on); its thread
 *    counts its lines and the caller adds those of the blocks before.
 *    That is right only where every newline ends a record, so a block that
 *    holds a quote (a quoted field may hold a newline), a NUL byte, a line
 *    running more than SLACK bytes past the block, or anything libcsv
 *    refuses is not used: from its start on, the file is read in order as
 *    below, and errors and their line numbers are those of a read in order;
 *  - in order (otherwise, or from such a block on): a second thread reads
 *    and tokenizes into batches while the caller's thread runs the callback
 *    over finished batches.  Smaller files, or a failed pthread_create, run
 *    the same code in the caller's thread.
 * A few batches circulate in each ring, so memory stays bounded.  The
 * reader's error travels after the rows before it, so the first error in
 * file order is the one reported, as in a sequential read.
 */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/csvread.h"
#include "wattlog/input.h"
#include "wattlog/units.h"

#define CHUNK (1u << 20)
#define LINE_MAX_BYTES (1u << 20) /* longer physical lines are refused */
#ifndef PIPE_MIN
#define PIPE_MIN (4u << 20)
#endif
#define BATCH_BYTES (256u << 10)
#define BATCH_RECS 8192
#define NBATCH 4
#ifndef BLOCK
#define BLOCK (256u << 10)  /* bytes of a block */
#endif
#define SLACK (64u << 10)   /* how far past its block a block's last line may run */
#define LOOK (4u << 10)     /* bytes read past a block to find its last line's end */
#ifndef NWORK
#define NWORK 2             /* threads tokenizing blocks */
#endif
#define NBLOCKB 3           /* finished blocks a thread may hold */

struct rec {
	size_t line, first, nf; /* fields off[first .. first + nf - 1] */
};

struct batch {
	char *buf;          /* the fields, each NUL-terminated */
	size_t len, cap;
	size_t *off;        /* field k starts at buf + off[k] */
	size_t noff, capoff;
	struct wl_csv_num *num; /* with opts.numbers: field k as a number */
	size_t capnum;
	struct rec *rec;
	size_t nrec, caprec;
	int end;            /* the reader's last batch: rc and err are its result */
	int rc;
	struct wl_error err;
	/* in blocks: a batch is the block [start, stop) of `lines` lines (its
	 * records' lines count from its start); odd: read it in order; eof:
	 * the file ended before this block */
	long long start, stop;
	size_t lines;
	int odd, eof;
};

/* The ring between the reader and the caller's thread: the reader fills
 * b[p % NBATCH], the caller consumes b[q % NBATCH], filled = p - q. */
struct ring {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t filled;
	int stop;     /* the callback failed: the reader stops */
	int threaded;
	struct batch b[NBATCH];
	const char *path;
	wl_csv_row_fn fn;
	void *user;
	struct wl_error *err;
	const char **f; /* pointers handed to the callback */
	size_t capf;
	int failed;     /* the callback (or its row's allocation) failed */
};

#define NCACHE 64    /* columns whose last field is kept */
#define CACHE_BYTES 31 /* longer fields are always scanned */

/* The last field of a column read as a number: its bytes and result. */
struct numcache {
	unsigned char len1; /* its length + 1; 0: none yet */
	char s[CACHE_BYTES];
	struct wl_csv_num num;
	char pad[64 - 1 - CACHE_BYTES - sizeof(struct wl_csv_num)]; /* a power of 2 */
};

struct reader {
	struct csv_parser p;
	const char *path;
	const struct wl_csv_opts *o;
	int numbers;   /* o->numbers */
	size_t ncache; /* fields 0 .. ncache - 1 may take a kept result: NCACHE
			* with numbers, 0 without or once failed */
	size_t skiplen;
	struct wl_input *in;
	long long at;  /* the next byte to read (pread), -1: read on (wl_input_read) */
	size_t line;
	size_t pend;   /* fields of the record being read */
	int midline;   /* the last piece fed ended inside a line */
	size_t linelen; /* bytes of the current physical line fed so far */
	int failed;    /* out of memory, or the consumer stopped */
	struct ring *q; /* NULL: tokenizing one block into r->b */
	size_t cur;    /* the batch being filled */
	struct batch *b;
	struct wl_error err;
	struct numcache nc[NCACHE]; /* by field number in the record */
};

struct blocks;

/* A thread tokenizing blocks id, id + NWORK, ...: it has handed over
 * `made` blocks (b[i % NBLOCKB]), the caller has taken `taken`. */
struct worker {
	struct reader r;
	struct batch b[NBLOCKB];
	unsigned long long made, taken;
	char *buf;           /* BLOCK + SLACK + 1 bytes read */
	struct blocks *bl;
	unsigned id;
	pthread_t th;
};

struct blocks {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;            /* the caller needs no more blocks */
	long long size;
	struct wl_input *in;
	struct worker w[NWORK];
};

/* Array p of *cap elements of `size` bytes, grown to hold `need` (first
 * allocation: `first` elements, then doubling).  The new array, or NULL
 * with p untouched. */
static void *grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t ncap = *cap ? *cap : first;

	while (ncap < need)
		ncap *= 2;
	p = realloc(p, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

static void batch_free(struct batch *b)
{
	free(b->buf);
	free(b->off);
	free(b->num);
	free(b->rec);
}

/* Runs the callback over a batch's records, whose lines count from
 * line0 + 1.  0 or -1 (err set). */
static int consume(struct ring *q, struct batch *b, size_t line0)
{
	struct wl_csv_row row;
	size_t i, k;

	for (i = 0; i < b->nrec; i++) {
		const struct rec *r = &b->rec[i];

		if (r->nf > q->capf) {
			void *nf = grow((void *)q->f, &q->capf, r->nf, sizeof(*q->f), 32);

			if (!nf)
				return wl_error_set(q->err, "out of memory reading '%s' at line %zu",
						    q->path, line0 + r->line);
			q->f = nf;
		}
		for (k = 0; k < r->nf; k++)
			q->f[k] = b->buf + b->off[r->first + k];
		row.line = line0 + r->line;
		row.nf = r->nf;
		row.f = q->f;
		row.num = b->num ? b->num + r->first : NULL;
		if (q->fn(&row, q->user, q->err))
			return -1;
	}
	if (b->end && b->rc) {
		*q->err = b->err;
		return -1;
	}
	return 0;
}

/* No more fields are kept (on_field's usual case is off, field() sees it). */
static void fail(struct reader *r)
{
	r->failed = 1;
	r->ncache = 0;
}

/* Hands the filled batch to the caller's thread and takes the next free
 * one.  0, or -1 when the consumer has stopped. */
static int hand_off(struct reader *r)
{
	struct ring *q = r->q;
	struct batch *b;
	int stop;

	if (!q->threaded) {
		if (!q->failed && consume(q, r->b, 0))
			q->failed = 1;
		stop = q->failed;
	} else {
		pthread_mutex_lock(&q->mu);
		q->filled++;
		pthread_cond_broadcast(&q->cv);
		r->cur = (r->cur + 1) % NBATCH;
		while (q->filled == NBATCH && !q->stop && !r->b->end)
			pthread_cond_wait(&q->cv, &q->mu);
		stop = q->stop;
		pthread_mutex_unlock(&q->mu);
	}
	b = &q->b[r->cur];
	if (!r->b->end) {
		r->b = b;
		b->len = b->noff = b->nrec = 0;
	}
	if (stop)
		fail(r);
	return stop ? -1 : 0;
}

static void oom(struct reader *r)
{
	if (!r->failed)
		wl_error_set(&r->err, "out of memory reading '%s' at line %zu", r->path, r->line);
	fail(r);
}

/* 8, 4 or 1 bytes at p, as a number to compare (memcpy: any alignment). */
static inline uint64_t load8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}

static inline uint32_t load4(const char *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return x;
}

/* Whether a[0 .. n) and b[0 .. n) hold the same bytes, n <= CACHE_BYTES:
 * a few loads that may overlap, instead of a call to memcmp (fields are a
 * few bytes long and the call was most of the cost). */
static inline int same_short(const char *a, const char *b, size_t n)
{
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			if (load8(a + i) != load8(b + i))
				return 0;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	if (n >= 4)
		return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
	return !n || (a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1]);
}

static inline void store8(char *p, uint64_t x)
{
	memcpy(p, &x, 8);
}

/* d[0 .. n) = s[0 .. n): for the few bytes of most fields, loads and
 * stores that may overlap instead of a call to memcpy. */
static inline void copy_short(char *d, const char *s, size_t n)
{
	if (n > 16) {
		memcpy(d, s, n);
	} else if (n >= 8) {
		uint64_t a = load8(s), z = load8(s + n - 8);

		store8(d, a);
		store8(d + n - 8, z);
	} else if (n >= 4) {
		uint32_t a = load4(s), z = load4(s + n - 4);

		memcpy(d, &a, 4);
		memcpy(d + n - 4, &z, 4);
	} else if (n) {
		char a = s[0], m = s[n >> 1], z = s[n - 1];

		d[0] = a;
		d[n >> 1] = m;
		d[n - 1] = z;
	}
}

/* Room in r's batch for one more field of len bytes (and its NUL), in
 * every array: 0, or -1 out of memory (r->failed). */
static __attribute__((noinline)) int room(struct reader *r, size_t len)
{
	struct batch *b = r->b;
	void *np;

	if (b->noff == b->capoff) {
		np = grow(b->off, &b->capoff, b->noff + 1, sizeof(*b->off), 4096);
		if (!np)
			goto fail;
		b->off = np;
	}
	if (r->numbers && b->capnum < b->capoff) {
		size_t cap = b->capnum;

		np = grow(b->num, &cap, b->capoff, sizeof(*b->num), b->capoff);
		if (!np)
			goto fail;
		b->num = np;
		b->capnum = cap;
	}
	if (b->len + len + 1 > b->cap) {
		np = grow(b->buf, &b->cap, b->len + len + 1, 1, BATCH_BYTES + 4096);
		if (!np)
			goto fail;
		b->buf = np;
	}
	return 0;
fail:
	oom(r);
	return -1;
}

/* Appends the field s[0 .. len) and its NUL (CSV_APPEND_NULL put one at
 * s[len]) to b, which has room for them. */
static inline void put(struct batch *b, const char *s, size_t len)
{
	copy_short(b->buf + b->len, s, len + 1);
	b->off[b->noff++] = b->len;
	b->len += len + 1;
}

/* on_field's every other case: room to make, no numbers, a column past
 * NCACHE, or bytes unlike the column's field before: the field is scanned
 * (wl_unit_scan_n) and, when short enough, kept in the column's cache.
 * Out of line, so that the usual case needs no stack frame. */
static __attribute__((noinline)) void field(struct reader *r, const char *s, size_t len)
{
	struct batch *b;

	if (r->failed)
		return;
	if ((r->b->noff == r->b->capoff || r->b->len + len + 1 > r->b->cap) && room(r, len))
		return;
	b = r->b;
	if (r->numbers) { /* scanned here, in the tokenizing thread */
		struct wl_csv_num *n = &b->num[b->noff];
		struct numcache *c = r->pend < NCACHE ? &r->nc[r->pend] : NULL;
		const char *u;
		size_t ulen;

		n->ok = !wl_unit_scan_n(s, len, &n->v, &u, &ulen);
		n->uoff = n->ok ? (unsigned)(u - s) : 0;
		n->ulen = n->ok ? (unsigned char)ulen : 0;
		if (c && len <= CACHE_BYTES) {
			c->len1 = (unsigned char)(len + 1);
			copy_short(c->s, s, len);
			c->num = *n;
		}
	}
	put(b, s, len);
	r->pend++;
}

/* libcsv's field callback.  The usual case inline: a field the cache may
 * serve (ncache), room in every array (room keeps capnum >= capoff with
 * numbers) and the same bytes as the column's field before, whose scan is
 * taken (the scan is a function of the bytes alone). */
static void on_field(void *sv, size_t len, void *data)
{
	struct reader *r = data;
	struct batch *b = r->b;
	const char *s = sv;
	const struct numcache *c;

	if (r->pend >= r->ncache || b->noff == b->capoff || b->len + len + 1 > b->cap)
		goto other;
	c = &r->nc[r->pend];
	if (c->len1 != len + 1 || !same_short(c->s, s, len))
		goto other;
	b->num[b->noff] = c->num;
	put(b, s, len);
	r->pend++;
	return;
other:
	field(r, s, len);
}

static void on_record(int term, void *data)
{
	struct reader *r = data;
	struct batch *b = r->b;

	(void)term;
	if (r->failed)
		return;
	if (b->nrec == b->caprec) {
		void *np = grow(b->rec, &b->caprec, b->nrec + 1, sizeof(*b->rec), 1024);

		if (!np) {
			oom(r);
			return;
		}
		b->rec = np;
	}
	b->rec[b->nrec].line = r->line;
	b->rec[b->nrec].first = b->noff - r->pend;
	b->rec[b->nrec].nf = r->pend;
	b->nrec++;
	r->pend = 0;
	if (r->q && (b->len >= BATCH_BYTES || b->nrec >= BATCH_RECS))
		hand_off(r);
}

long wl_csv_column(const struct wl_csv_row *hdr, const char *name)
{
	size_t i;

	for (i = 0; i < hdr->nf; i++)
		if (!strcmp(hdr->f[i], name))
			return (long)i;
	return -1;
}

/* Feeds one piece of a line (with its '\n' when eol).  0, 1 for a skipped
 * comment line, or -1 with r->err (or r->failed). */
static int feed(struct reader *r, const char *s, size_t n, int eol)
{
	if (!r->midline) {
		r->line++;
		if (r->skiplen && !r->pend && n >= r->skiplen &&
		    !memcmp(s, r->o->skip_prefix, r->skiplen)) {
			r->midline = !eol; /* a comment: its rest is skipped too */
			return 1;
		}
	}
	/* A bounded line: a file without newlines (or a 10 GB line) fails at
	 * once instead of growing one field to the size of the file. */
	r->linelen = (r->midline ? r->linelen : 0) + n;
	if (r->linelen > LINE_MAX_BYTES)
		return wl_error_set(&r->err, "'%s' line %zu: line longer than %u bytes, not a "
				    "text log", r->path, r->line, LINE_MAX_BYTES);
	r->midline = !eol;
	if (csv_parse(&r->p, s, n, on_field, on_record, r) != n && !r->failed)
		return wl_error_set(&r->err, "'%s' line %zu: %s", r->path, r->line,
				    csv_error(&r->p) == CSV_EPARSE
					    ? "misplaced quote"
					    : csv_strerror(csv_error(&r->p)));
	return r->failed ? -1 : 0;
}

/* Cuts buf[0..n) at its newlines and feeds the lines; the unfinished last
 * line stays unfed unless `all`.  Returns the bytes consumed, or -1. */
static long feed_lines(struct reader *r, const char *buf, size_t n, int all, int *skipping)
{
	const char *p = buf, *end = buf + n, *nl;
	int rc;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !all)
			break;
		if (*skipping) { /* rest of a comment line longer than the buffer */
			*skipping = !nl;
			r->midline = !nl;
			p = nl ? nl + 1 : end;
			continue;
		}
		rc = feed(r, p, nl ? (size_t)(nl + 1 - p) : (size_t)(end - p), nl != NULL);
		if (rc < 0)
			return -1;
		if (rc > 0)
			*skipping = !nl;
		p = nl ? nl + 1 : end;
	}
	return (long)(p - buf);
}

/* A NUL byte in the line after the last one fed (or in its rest). */
static int nul_error(struct reader *r)
{
	return wl_error_set(&r->err, "'%s' line %zu: binary data (NUL byte), not a text log",
			    r->path, r->line + !r->midline);
}

/* Up to n bytes of the input at r->at (then moved past them), or read on
 * when r->at < 0. */
static ssize_t input_read(struct reader *r, char *buf, size_t n)
{
	ssize_t k;

	if (r->at < 0)
		return wl_input_read(r->in, buf, n);
	k = wl_input_pread(r->in, buf, n, r->at);
	if (k > 0)
		r->at += k;
	return k;
}

/* Reads and tokenizes the rest of the file; 0 or -1 with r->err. */
static int read_all(struct reader *r, char *buf)
{
	size_t have = 0;
	long used;
	ssize_t n = 1;
	int skipping = 0;
	char *z;

	while (n > 0) {
		n = input_read(r, buf + have, CHUNK - have);
		if (n < 0 && errno == EINTR) {
			n = 1;
			continue;
		}
		if (n < 0)
			return wl_error_errno(&r->err, errno, "cannot read '%s'", r->path);
		z = memchr(buf + have, 0, (size_t)n);
		if (z) { /* the complete lines before the NUL first */
			if (feed_lines(r, buf, (size_t)(z - buf), 0, &skipping) < 0)
				return -1;
			return nul_error(r);
		}
		have += (size_t)n;
		used = feed_lines(r, buf, have, n == 0, &skipping);
		if (used == 0 && have == CHUNK) /* a line longer than the buffer */
			used = feed_lines(r, buf, have, 1, &skipping);
		if (used < 0)
			return -1;
		have -= (size_t)used;
		memmove(buf, buf + used, have);
	}
	if (csv_fini(&r->p, on_field, on_record, r) && !r->failed)
		return wl_error_set(&r->err, "'%s' line %zu: unterminated quoted field", r->path,
				    r->line);
	return r->failed ? -1 : 0;
}

/* The reader's whole work; its result goes out in its last batch. */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	char *buf = malloc(CHUNK);
	int rc;

	if (!buf) {
		oom(r);
		rc = -1;
	} else {
		rc = read_all(r, buf);
	}
	free(buf);
	r->b->end = 1;
	r->b->rc = rc;
	r->b->err = r->err;
	hand_off(r);
	return NULL;
}

/* The caller's side of a threaded read: consumes batches until the last
 * one, or until the callback fails; then the reader is told to stop and
 * no batch is looked at again. */
static void consume_all(struct ring *q)
{
	size_t k = 0;
	int end, rc;

	do {
		struct batch *b = &q->b[k];

		pthread_mutex_lock(&q->mu);
		while (!q->filled)
			pthread_cond_wait(&q->cv, &q->mu);
		pthread_mutex_unlock(&q->mu);
		end = b->end;
		rc = consume(q, b, 0);
		pthread_mutex_lock(&q->mu);
		q->filled--;
		q->stop = rc != 0;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		q->failed = rc != 0;
		k = (k + 1) % NBATCH;
	} while (!end && !rc);
}

/* ---- in blocks ------------------------------------------------------------ */

/* The first line start at or after byte `from` of a file of `size` bytes,
 * from its bytes buf[0 .. n) read at offset base (base = from - 1 when
 * from > 0); -1 when it lies past them and they end before the file. */
static long long line_start(const char *buf, long long base, size_t n, long long from,
			    long long size)
{
	const char *nl;

	if (from == 0 || from >= size)
		return from < size ? 0 : size;
	nl = memchr(buf + (from - 1 - base), '\n', n - (size_t)(from - 1 - base));
	if (nl)
		return base + (nl - buf) + 1;
	return base + (long long)n == size ? size : -1;
}

/* Tokenizes block k into b (its records, lines, bounds), or marks it eof
 * or odd (see the top of the file). */
static void block(struct worker *w, unsigned long long k, struct batch *b)
{
	struct reader *r = &w->r;
	long long size = w->bl->size, lo = (long long)(k * BLOCK), hi = lo + BLOCK, base;
	long long start, stop, end, lim;
	size_t n = 0, len;
	const char *s;
	int skipping = 0;

	b->len = b->noff = b->nrec = b->lines = 0;
	b->odd = b->eof = 0;
	if (lo >= size) {
		b->eof = 1;
		return;
	}
	/* Bytes from lo - 1 to a little past hi, then more (up to SLACK past
	 * hi) only while the lines at lo or hi have not ended. */
	base = lo ? lo - 1 : 0;
	lim = hi + SLACK < size ? hi + SLACK : size;
	end = hi + LOOK < lim ? hi + LOOK : lim;
	for (;;) {
		while (n < (size_t)(end - base)) {
			ssize_t got = wl_input_pread(w->bl->in, w->buf + n, (size_t)(end - base) - n,
						     base + (long long)n);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) { /* read in order, it gives the error */
				b->odd = 1;
				return;
			}
			n += (size_t)got;
		}
		start = line_start(w->buf, base, n, lo, size);
		stop = line_start(w->buf, base, n, hi, size);
		if ((start >= 0 && stop >= 0) || end == lim)
			break;
		end = end + (end - hi) < lim ? end + (end - hi) : lim;
	}
	if (start < 0 || stop < 0) {
		b->odd = 1;
		return;
	}
	b->start = start;
	b->stop = stop;
	s = w->buf + (start - base);
	len = (size_t)(stop - start);
	if (memchr(s, '"', len) || memchr(s, 0, len)) {
		b->odd = 1;
		return;
	}
	r->b = b;
	r->line = r->pend = r->linelen = 0;
	r->midline = 0;
	if (feed_lines(r, s, len, 1, &skipping) < 0 ||
	    csv_fini(&r->p, on_field, on_record, r) || r->failed) {
		b->odd = 1;
		return;
	}
	b->lines = r->line;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct blocks *bl = w->bl;
	unsigned long long k;
	int stop = 0;

	for (k = w->id; !stop; k += NWORK) {
		struct batch *b;

		pthread_mutex_lock(&bl->mu);
		while (w->made - w->taken == NBLOCKB && !bl->stop)
			pthread_cond_wait(&bl->cv, &bl->mu);
		stop = bl->stop;
		pthread_mutex_unlock(&bl->mu);
		if (stop)
			break;
		b = &w->b[w->made % NBLOCKB];
		block(w, k, b);
		stop = b->eof || b->odd;
		pthread_mutex_lock(&bl->mu);
		w->made++;
		pthread_cond_broadcast(&bl->cv);
		pthread_mutex_unlock(&bl->mu);
	}
	return NULL;
}

/* The callback over the blocks in order.  0 at the end of the file, 1 when
 * the file must be read in order from byte *at (line *line + 1 there), -1
 * when the callback failed. */
static int consume_blocks(struct blocks *bl, struct ring *q, long long *at, size_t *line)
{
	unsigned long long k;

	for (k = 0;; k++) {
		struct worker *w = &bl->w[k % NWORK];
		struct batch *b;
		int rc;

		pthread_mutex_lock(&bl->mu);
		while (w->made == w->taken)
			pthread_cond_wait(&bl->cv, &bl->mu);
		pthread_mutex_unlock(&bl->mu);
		b = &w->b[w->taken % NBLOCKB];
		if (b->eof || b->odd)
			return b->odd;
		rc = consume(q, b, *line);
		*line += b->lines;
		*at = b->stop;
		pthread_mutex_lock(&bl->mu); /* b is the worker's again */
		w->taken++;
		pthread_cond_broadcast(&bl->cv);
		pthread_mutex_unlock(&bl->mu);
		if (rc)
			return -1;
	}
}

/* A worker's parser as the reader's (options, delimiter).  0 or -1. */
static int worker_init(struct worker *w, const struct reader *r, struct blocks *bl, unsigned id)
{
	memset(w, 0, sizeof(*w));
	w->bl = bl;
	w->id = id;
	w->r.path = r->path;
	w->r.o = r->o;
	w->r.numbers = r->numbers;
	w->r.ncache = r->ncache;
	w->r.skiplen = r->skiplen;
	w->r.in = r->in;
	w->r.at = -1;
	w->buf = malloc(BLOCK + SLACK + 1);
	if (!w->buf || csv_init(&w->r.p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI)) {
		free(w->buf);
		return -1;
	}
	if (r->o && r->o->delim)
		csv_set_delim(&w->r.p, (unsigned char)r->o->delim);
	return 0;
}

static void worker_free(struct worker *w)
{
	size_t i;

	for (i = 0; i < NBLOCKB; i++)
		batch_free(&w->b[i]);
	free(w->buf);
	csv_free(&w->r.p);
}

/* Reads r's file in blocks (top of the file).  0 at its end, -1 when the
 * callback failed, 1 to read on in order from *at (line *line + 1 there):
 * from a block that cannot be read alone, or from the start (*at = 0)
 * when the threads cannot be had. */
static int read_blocks(struct reader *r, struct ring *q, long long *at, size_t *line)
{
	struct blocks *bl = calloc(1, sizeof(*bl));
	unsigned i, nw = 0, ni = 0;
	int rc = 1;

	*at = 0;
	*line = 0;
	if (!bl)
		return 1;
	bl->size = wl_input_size(r->in);
	bl->in = r->in;
	if (pthread_mutex_init(&bl->mu, NULL)) {
		free(bl);
		return 1;
	}
	if (pthread_cond_init(&bl->cv, NULL)) {
		pthread_mutex_destroy(&bl->mu);
		free(bl);
		return 1;
	}
	while (ni < NWORK && !worker_init(&bl->w[ni], r, bl, ni))
		ni++;
	while (ni == NWORK && nw < NWORK && !pthread_create(&bl->w[nw].th, NULL, worker_main,
							       &bl->w[nw]))
		nw++;
	if (nw == NWORK)
		rc = consume_blocks(bl, q, at, line);
	pthread_mutex_lock(&bl->mu);
	bl->stop = 1;
	pthread_cond_broadcast(&bl->cv);
	pthread_mutex_unlock(&bl->mu);
	for (i = 0; i < nw; i++)
		pthread_join(bl->w[i].th, NULL);
	for (i = 0; i < ni; i++)
		worker_free(&bl->w[i]);
	pthread_cond_destroy(&bl->cv);
	pthread_mutex_destroy(&bl->mu);
	free(bl);
	if (rc < 0)
		q->failed = 1;
	return rc;
}

/* ---- in order ------------------------------------------------------------- */

/* Reads the rest of the file in order (top of the file); q->failed set on
 * failure. */
static void read_in_order(struct reader *r, struct ring *q)
{
	pthread_t th;

	q->threaded = wl_input_size(r->in) > (long long)PIPE_MIN &&
		      !pthread_mutex_init(&q->mu, NULL);
	if (q->threaded && pthread_cond_init(&q->cv, NULL)) {
		pthread_mutex_destroy(&q->mu);
		q->threaded = 0;
	}
	if (q->threaded && pthread_create(&th, NULL, reader_main, r)) {
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
		q->threaded = 0;
	}
	if (q->threaded) {
		consume_all(q);
		pthread_join(th, NULL);
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
	} else {
		reader_main(r);
	}
}

int wl_csv_read(const char *path, const struct wl_csv_opts *o, wl_csv_row_fn fn, void *user,
		struct wl_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	struct ring *q = calloc(1, sizeof(*q));
	size_t i;
	int rc;

	if (!r || !q) {
		free(r);
		free(q);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	r->path = path;
	r->o = o;
	r->numbers = o && o->numbers;
	r->ncache = r->numbers ? NCACHE : 0;
	r->skiplen = o && o->skip_prefix ? strlen(o->skip_prefix) : 0;
	r->q = q;
	r->b = &q->b[0];
	r->at = -1;
	q->path = path;
	q->fn = fn;
	q->user = user;
	q->err = err;
	r->in = wl_input_open(path, err);
	if (!r->in) {
		free(r);
		free(q);
		return -1;
	}
	if (csv_init(&r->p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI)) {
		wl_input_close(r->in);
		free(r);
		free(q);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	if (o && o->delim)
		csv_set_delim(&r->p, (unsigned char)o->delim);
	rc = 1;
	if (wl_input_size(r->in) > (long long)PIPE_MIN) { /* a regular file */
		long long at;

		rc = read_blocks(r, q, &at, &r->line);
		if (rc > 0 && at > 0)
			r->at = at;
	}
	if (rc > 0)
		read_in_order(r, q);
	rc = q->failed ? -1 : 0;
	for (i = 0; i < NBATCH; i++)
		batch_free(&q->b[i]);
	free(q->f);
	csv_free(&r->p);
	wl_input_close(r->in);
	free(r);
	free(q);
	return rc;
}
