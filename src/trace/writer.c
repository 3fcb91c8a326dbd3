/*
 * writer.c - the trace writer (trace.h; format: trace_format.h).
 *
 * Records are encoded straight into one in-memory block (16-byte header
 * room, then payload).  A full block is sealed (length, sequence, CRC32C)
 * and written with one write() loop; nothing is ever patched.  The hot path
 * (wl_writer_sample) neither allocates nor uses stdio.  The first write
 * error sticks: its message is kept and every later call returns it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "le.h"
#include "wattlog/trace.h"

#define DEFAULT_BLOCK (64u << 10)

struct wl_writer {
	int fd;
	char name[256];
	size_t block_bytes;  /* payload size that ends a block by itself */
	unsigned char *buf;  /* WL_BLOCK_HEADER_SIZE + cap bytes */
	size_t cap;          /* payload capacity of buf */
	size_t len;          /* payload bytes in the current block */
	uint32_t seq;        /* sequence number of the current block */
	uint64_t blocks;     /* blocks written */
	int failed;
	char errmsg[WL_ERROR_MAX];
};

/* write() all of buf, retrying EINTR and short writes; 0 or an errno. */
static int write_all(int fd, const unsigned char *buf, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(fd, buf, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (k == 0)
			return EIO;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

static int fail(struct wl_writer *w, struct wl_error *err)
{
	return wl_error_set(err, "%s", w->errmsg);
}

static int stick(struct wl_writer *w, struct wl_error *err, const char *fmt, unsigned long long a,
		 const char *why)
{
	char what[128];

	snprintf(what, sizeof(what), fmt, a);
	snprintf(w->errmsg, sizeof(w->errmsg), "%s of '%s': %s", what, w->name, why);
	w->failed = 1;
	return fail(w, err);
}

struct wl_writer *wl_writer_open_named(int fd, const char *name, size_t block_bytes,
				       struct wl_error *err)
{
	unsigned char hdr[WL_FILE_HEADER_SIZE];
	struct wl_writer *w;
	int e;

	if (block_bytes == 0)
		block_bytes = DEFAULT_BLOCK;
	if (block_bytes > WL_BLOCK_MAX_PAYLOAD)
		block_bytes = WL_BLOCK_MAX_PAYLOAD;
	w = calloc(1, sizeof(*w));
	if (!w) {
		wl_error_set(err, "cannot start trace: out of memory");
		return NULL;
	}
	w->fd = fd;
	if (name)
		snprintf(w->name, sizeof(w->name), "%s", name);
	else
		snprintf(w->name, sizeof(w->name), "fd %d", fd);
	w->block_bytes = block_bytes;
	w->cap = block_bytes;
	w->buf = malloc(WL_BLOCK_HEADER_SIZE + w->cap);
	if (!w->buf) {
		wl_error_set(err, "cannot start trace '%s': out of memory", w->name);
		free(w);
		return NULL;
	}
	memcpy(hdr, WL_FILE_MAGIC, 4);
	wl_put32(hdr + 4, WL_FILE_BOM);
	wl_put16(hdr + 8, WL_VERSION_MAJOR);
	wl_put16(hdr + 10, WL_VERSION_MINOR);
	wl_put32(hdr + 12, 0);
	e = write_all(fd, hdr, sizeof(hdr));
	if (e) {
		wl_error_set(err, "cannot write file header of '%s': %s", w->name, strerror(e));
		free(w->buf);
		free(w);
		return NULL;
	}
	return w;
}

struct wl_writer *wl_writer_open(int fd, size_t block_bytes, struct wl_error *err)
{
	return wl_writer_open_named(fd, NULL, block_bytes, err);
}

int wl_writer_flush(struct wl_writer *w, struct wl_error *err)
{
	unsigned char *h = w->buf;
	uint32_t crc;
	int e;

	if (w->failed)
		return fail(w, err);
	if (w->len == 0)
		return 0;
	memcpy(h, WL_BLOCK_MAGIC, 4);
	wl_put32(h + 4, (uint32_t)w->len);
	wl_put32(h + 8, w->seq);
	crc = wl_crc32c(0, h, 12);
	crc = wl_crc32c(crc, h + WL_BLOCK_HEADER_SIZE, w->len);
	wl_put32(h + 12, crc);
	e = write_all(w->fd, h, WL_BLOCK_HEADER_SIZE + w->len);
	if (e)
		return stick(w, err, "cannot write block %llu", w->seq, strerror(e));
	w->seq++;
	w->blocks++;
	w->len = 0;
	return 0;
}

/*
 * Room for a record of body length body: returns where its header goes in
 * the current block, ending the block first when it does not fit.  A record
 * bigger than block_bytes grows the buffer (rare: a large META record).
 */
static unsigned char *reserve(struct wl_writer *w, uint16_t kind, size_t body,
			      struct wl_error *err)
{
	size_t need = WL_RECORD_HEADER_SIZE + body;
	unsigned char *p;

	if (w->failed) {
		fail(w, err);
		return NULL;
	}
	if (need > WL_BLOCK_MAX_PAYLOAD) {
		wl_error_set(err, "cannot write record of %zu bytes to '%s': larger than a block",
			     need, w->name);
		return NULL;
	}
	if (w->len + need > w->block_bytes && w->len && wl_writer_flush(w, err))
		return NULL;
	if (w->len + need > w->cap) {
		p = realloc(w->buf, WL_BLOCK_HEADER_SIZE + w->len + need);
		if (!p) {
			wl_error_set(err, "cannot write record to '%s': out of memory", w->name);
			return NULL;
		}
		w->buf = p;
		w->cap = w->len + need;
	}
	p = w->buf + WL_BLOCK_HEADER_SIZE + w->len;
	wl_put16(p, kind);
	wl_put16(p + 2, 0);
	wl_put32(p + 4, (uint32_t)body);
	w->len += need;
	return p + WL_RECORD_HEADER_SIZE;
}

/* Ends the block when it reached block_bytes. */
static int done(struct wl_writer *w, struct wl_error *err)
{
	if (w->len >= w->block_bytes)
		return wl_writer_flush(w, err);
	return 0;
}

static unsigned char *put_str16(unsigned char *p, const char *s, size_t n)
{
	wl_put16(p, (uint16_t)n);
	memcpy(p + 2, s, n);
	return p + 2 + n;
}

static size_t str16_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0xFFFF ? 0xFFFF : n;
}

int wl_writer_meta(struct wl_writer *w, const struct wl_kv *kv, size_t n, struct wl_error *err)
{
	size_t i, body = 2;
	unsigned char *p;

	if (n > 0xFFFF)
		return wl_error_set(err, "cannot write meta record to '%s': %zu keys (max 65535)",
				    w->name, n);
	for (i = 0; i < n; i++)
		body += 4 + str16_len(kv[i].key) + str16_len(kv[i].value);
	p = reserve(w, WL_REC_META, body, err);
	if (!p)
		return -1;
	wl_put16(p, (uint16_t)n);
	p += 2;
	for (i = 0; i < n; i++) {
		p = put_str16(p, kv[i].key ? kv[i].key : "", str16_len(kv[i].key));
		p = put_str16(p, kv[i].value ? kv[i].value : "", str16_len(kv[i].value));
	}
	return done(w, err);
}

int wl_writer_channel(struct wl_writer *w, const struct wl_chan_info *ch, struct wl_error *err)
{
	size_t ls = strnlen(ch->source, sizeof(ch->source));
	size_t ln = strnlen(ch->name, sizeof(ch->name));
	size_t lu = strnlen(ch->unit, sizeof(ch->unit));
	size_t ld = strnlen(ch->device, sizeof(ch->device));
	size_t lc = strnlen(ch->component, sizeof(ch->component));
	unsigned char *p;

	if (ch->id == WL_CHANNEL_ID_NONE)
		return wl_error_set(err, "cannot declare channel '%.64s' in '%s': id 65535 is reserved",
				    ch->name, w->name);
	p = reserve(w, WL_REC_CHANNEL, 20 + 8 + ls + ln + lu + ld + 1 + 2 + lc, err);
	if (!p)
		return -1;
	wl_put16(p, ch->id);
	p[2] = ch->kind;
	p[3] = ch->type;
	wl_put64(p + 4, ch->wrap);
	wl_putf64(p + 12, ch->scale);
	p = put_str16(p + 20, ch->source, ls);
	p = put_str16(p, ch->name, ln);
	p = put_str16(p, ch->unit, lu);
	p = put_str16(p, ch->device, ld);
	*p++ = ch->quantity; /* version 1.1 */
	put_str16(p, ch->component, lc);
	return done(w, err);
}

int wl_writer_sample(struct wl_writer *w, uint64_t t_ns, const uint16_t *ids,
		     const union wl_value *vals, size_t n, struct wl_error *err)
{
	unsigned char *p;
	size_t i;

	p = reserve(w, WL_REC_SAMPLE, 8 + n * WL_SAMPLE_ENTRY_SIZE, err);
	if (!p)
		return -1;
	wl_put64(p, t_ns);
	p += 8;
	for (i = 0; i < n; i++, p += WL_SAMPLE_ENTRY_SIZE) {
		wl_put16(p, ids[i]);
		wl_put64(p + 2, vals[i].u);
	}
	return done(w, err);
}

int wl_writer_marker(struct wl_writer *w, uint64_t t_ns, uint32_t flags,
		     const char *text, size_t len, struct wl_error *err)
{
	unsigned char *p;

	p = reserve(w, WL_REC_MARKER, 12 + len, err);
	if (!p)
		return -1;
	wl_put64(p, t_ns);
	wl_put32(p + 8, flags);
	if (len)
		memcpy(p + 12, text, len);
	return done(w, err);
}

int wl_writer_sync(struct wl_writer *w, uint64_t mono_ns, uint64_t real_ns, struct wl_error *err)
{
	unsigned char *p;

	p = reserve(w, WL_REC_SYNC, 16, err);
	if (!p)
		return -1;
	wl_put64(p, mono_ns);
	wl_put64(p + 8, real_ns);
	return done(w, err);
}

int wl_writer_log(struct wl_writer *w, uint64_t t_ns, uint8_t level, const char *text,
		  struct wl_error *err)
{
	size_t len = text ? strlen(text) : 0;
	unsigned char *p;

	p = reserve(w, WL_REC_LOG, 9 + len, err);
	if (!p)
		return -1;
	wl_put64(p, t_ns);
	p[8] = level;
	if (len)
		memcpy(p + 9, text, len);
	return done(w, err);
}

uint64_t wl_writer_blocks(const struct wl_writer *w)
{
	return w->blocks;
}

size_t wl_writer_pending(const struct wl_writer *w)
{
	return w->len;
}

void wl_writer_free(struct wl_writer *w)
{
	if (!w)
		return;
	wl_writer_flush(w, NULL);
	free(w->buf);
	free(w);
}
