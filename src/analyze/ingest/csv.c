/*
 * csv.c - the one place libcsv is used (see csvread.h).
 *
 * Reading: read(2) in chunks of CHUNK bytes, each cut at its newlines
 * (memchr) and handed to csv_parse one physical line at a time, so that
 * every record knows its line number and binary data is caught where it
 * starts.  A line longer than the buffer is fed to libcsv in pieces (libcsv
 * keeps its state across calls); a physical line longer than LINE_MAX_BYTES
 * is refused.  Fields are copied once, into batches of
 * records that are reused: no allocation per row.  With opts.numbers each
 * field is also scanned as a number with its unit (wl_unit_scan_n) as it
 * is copied, so that the scan runs in the reading thread.
 *
 * Tokenizing and handling rows overlap: for a file of more than PIPE_MIN
 * bytes a second thread reads and tokenizes into batches while the caller's
 * thread runs the row callback over finished batches, in file order.
 * NBATCH batches circulate (a bounded ring), so memory stays bounded.  The
 * reader's error travels after the rows before it, so the first error in
 * file order is the one reported, as in a sequential read.  Smaller files,
 * or a failed pthread_create, run the same code in the caller's thread.
 */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
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

struct reader {
	struct csv_parser p;
	const char *path;
	const struct wl_csv_opts *o;
	size_t skiplen;
	struct wl_input *in;
	size_t line;
	size_t pend;   /* fields of the record being read */
	int midline;   /* the last piece fed ended inside a line */
	size_t linelen; /* bytes of the current physical line fed so far */
	int failed;    /* out of memory, or the consumer stopped */
	struct ring *q;
	size_t cur;    /* the batch being filled */
	struct batch *b;
	struct wl_error err;
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

/* Runs the callback over a batch's records.  0 or -1 (err set). */
static int consume(struct ring *q, struct batch *b)
{
	struct wl_csv_row row;
	size_t i, k;

	for (i = 0; i < b->nrec; i++) {
		const struct rec *r = &b->rec[i];

		if (r->nf > q->capf) {
			void *nf = grow((void *)q->f, &q->capf, r->nf, sizeof(*q->f), 32);

			if (!nf)
				return wl_error_set(q->err, "out of memory reading '%s' at line %zu",
						    q->path, r->line);
			q->f = nf;
		}
		for (k = 0; k < r->nf; k++)
			q->f[k] = b->buf + b->off[r->first + k];
		row.line = r->line;
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

/* Hands the filled batch to the caller's thread and takes the next free
 * one.  0, or -1 when the consumer has stopped. */
static int hand_off(struct reader *r)
{
	struct ring *q = r->q;
	struct batch *b;
	int stop;

	if (!q->threaded) {
		if (!q->failed && consume(q, r->b))
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
		r->failed = 1;
	return stop ? -1 : 0;
}

static void oom(struct reader *r)
{
	if (!r->failed)
		wl_error_set(&r->err, "out of memory reading '%s' at line %zu", r->path, r->line);
	r->failed = 1;
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	struct batch *b = r->b;
	void *np;

	if (r->failed)
		return;
	if (b->noff == b->capoff) {
		np = grow(b->off, &b->capoff, b->noff + 1, sizeof(*b->off), 4096);
		if (!np) {
			oom(r);
			return;
		}
		b->off = np;
	}
	if (b->len + len + 1 > b->cap) {
		np = grow(b->buf, &b->cap, b->len + len + 1, 1, BATCH_BYTES + 4096);
		if (!np) {
			oom(r);
			return;
		}
		b->buf = np;
	}
	if (r->o && r->o->numbers) { /* scanned here, in the reading thread */
		struct wl_csv_num *n;
		const char *u;
		size_t ulen;

		if (b->noff >= b->capnum) {
			np = grow(b->num, &b->capnum, b->noff + 1, sizeof(*b->num), 4096);
			if (!np) {
				oom(r);
				return;
			}
			b->num = np;
		}
		n = &b->num[b->noff];
		n->ok = !wl_unit_scan_n(s, len, &n->v, &u, &ulen);
		n->uoff = n->ok ? (unsigned)(u - (const char *)s) : 0;
		n->ulen = n->ok ? (unsigned)ulen : 0;
	}
	memcpy(b->buf + b->len, s, len);
	b->buf[b->len + len] = 0;
	b->off[b->noff++] = b->len;
	b->len += len + 1;
	r->pend++;
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
	if (b->len >= BATCH_BYTES || b->nrec >= BATCH_RECS)
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

/* Reads and tokenizes the whole file; 0 or -1 with r->err. */
static int read_all(struct reader *r, char *buf)
{
	size_t have = 0;
	long used;
	ssize_t n = 1;
	int skipping = 0;
	char *z;

	while (n > 0) {
		n = wl_input_read(r->in, buf + have, CHUNK - have);
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
		rc = consume(q, b);
		pthread_mutex_lock(&q->mu);
		q->filled--;
		q->stop = rc != 0;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		q->failed = rc != 0;
		k = (k + 1) % NBATCH;
	} while (!end && !rc);
}

int wl_csv_read(const char *path, const struct wl_csv_opts *o, wl_csv_row_fn fn, void *user,
		struct wl_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	struct ring *q = calloc(1, sizeof(*q));
	pthread_t th;
	size_t i;
	int rc;

	if (!r || !q) {
		free(r);
		free(q);
		return wl_error_set(err, "out of memory reading '%s'", path);
	}
	r->path = path;
	r->o = o;
	r->skiplen = o && o->skip_prefix ? strlen(o->skip_prefix) : 0;
	r->q = q;
	r->b = &q->b[0];
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
	rc = q->failed ? -1 : 0;
	for (i = 0; i < NBATCH; i++) {
		free(q->b[i].buf);
		free(q->b[i].off);
		free(q->b[i].num);
		free(q->b[i].rec);
	}
	free(q->f);
	csv_free(&r->p);
	wl_input_close(r->in);
	free(r);
	free(q);
	return rc;
}
