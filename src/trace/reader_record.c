/*
 * reader_record.c - decoding record bodies (trace_format.h section 6) into
 * struct wl_record.  Every field is bounds-checked against the body length;
 * a body too short for its kind is reported as damage and skipped.  Extra
 * bytes after the fields a kind defines are ignored (room for minor
 * versions).
 */
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "reader_int.h"
#include "wattlog/grow.h"

/* Reads a str16 at body[*at] (bounded by blen); its bytes and length. */
static int get_str16(const unsigned char *body, size_t blen, size_t *at, const char **s,
		     size_t *n)
{
	size_t len;

	if (blen - *at < 2)
		return -1;
	len = wl_get16(body + *at);
	if (blen - *at - 2 < len)
		return -1;
	*s = (const char *)body + *at + 2;
	*n = len;
	*at += 2 + len;
	return 0;
}

/* Copies n bytes to dst (size sz) as a NUL-terminated string, truncated. */
static void copy_str(char *dst, size_t sz, const char *s, size_t n)
{
	if (n >= sz)
		n = sz - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

static int decode_meta(struct wl_reader *r, const unsigned char *body, size_t blen,
		       struct wl_record *rec)
{
	const char *s;
	size_t n, i, at = 2, need = 0, len;
	char *t;

	if (blen < 2)
		return 0;
	n = wl_get16(body);
	/* First pass: check bounds and size the text buffer. */
	for (i = 0; i < 2 * n; i++) {
		if (get_str16(body, blen, &at, &s, &len))
			return 0;
		need += len + 1;
	}
	if (wl_grow((void **)&r->kv, &r->capkv, n ? n : 1, sizeof(*r->kv)) ||
	    wl_grow((void **)&r->text, &r->captext, need ? need : 1, 1))
		return -1;
	at = 2;
	t = r->text;
	for (i = 0; i < 2 * n; i++) {
		get_str16(body, blen, &at, &s, &len);
		memcpy(t, s, len);
		t[len] = 0;
		if (i % 2 == 0)
			r->kv[i / 2].key = t;
		else
			r->kv[i / 2].value = t;
		t += len + 1;
	}
	rec->u.meta.n = n;
	rec->u.meta.kv = r->kv;
	return 1;
}

/* 1 declared, 0 malformed (why set), -1 out of memory. */
static int decode_channel(struct wl_reader *r, const unsigned char *body, size_t blen,
			  struct wl_record *rec, const char **why)
{
	struct wl_chan_info *c = &r->rec_chan;
	const char *s[4];
	size_t n[4], at = 20, q;
	int i;

	*why = "channel record too short";
	if (blen < 20)
		return 0;
	for (i = 0; i < 4; i++)
		if (get_str16(body, blen, &at, &s[i], &n[i]))
			return 0;
	memset(c, 0, sizeof(*c));
	c->id = wl_get16(body);
	c->kind = body[2];
	c->type = body[3];
	c->wrap = wl_get64(body + 4);
	c->scale = wl_getf64(body + 12);
	copy_str(c->source, sizeof(c->source), s[0], n[0]);
	copy_str(c->name, sizeof(c->name), s[1], n[1]);
	copy_str(c->unit, sizeof(c->unit), s[2], n[2]);
	copy_str(c->device, sizeof(c->device), s[3], n[3]);
	/* version 1.1: quantity and component; a 1.0 record ends here, and a
	 * writer may leave them unstated: then the meaning is derived once,
	 * here (wl_chan_meaning) */
	q = at + 1;
	if (blen - at >= 3 && !get_str16(body, blen, &q, &s[0], &n[0])) {
		c->quantity = body[at];
		copy_str(c->component, sizeof(c->component), s[0], n[0]);
	}
	wl_chan_meaning(c); /* a stated quantity is kept; sets c->instant */
	if (c->id == WL_CHANNEL_ID_NONE) {
		*why = "channel record uses the reserved id 65535";
		return 0;
	}
	if (c->type > WL_TYPE_I64) {
		*why = "channel record with an unknown value type";
		return 0;
	}
	if (c->kind > WL_KIND_COUNTER) {
		*why = "channel record with an unknown kind";
		return 0;
	}
	if (!r->chan[c->id] && !(r->chan[c->id] = malloc(sizeof(*c))))
		return -1;
	*r->chan[c->id] = *c;
	rec->u.channel = r->chan[c->id];
	return 1;
}

static int decode_sample(struct wl_reader *r, const unsigned char *body, size_t blen,
			 uint64_t off, struct wl_record *rec)
{
	size_t n = (blen - 8) / WL_SAMPLE_ENTRY_SIZE, i, k = 0;
	const unsigned char *e = body + 8;
	uint16_t id;

	if (wl_grow((void **)&r->ids, &r->capsample, n ? n : 1, sizeof(*r->ids)))
		return -1;
	/* vals has the same capacity as ids. */
	if (!r->vals || r->capsample > r->capvals) {
		union wl_value *v = realloc(r->vals, r->capsample * sizeof(*v));

		if (!v)
			return -1;
		r->vals = v;
		r->capvals = r->capsample;
	}
	for (i = 0; i < n; i++, e += WL_SAMPLE_ENTRY_SIZE) {
		id = wl_get16(e);
		if (!r->chan[id]) {
			if (!(r->undeclared[id / 8] & (1u << (id % 8)))) {
				r->undeclared[id / 8] |= (unsigned char)(1u << (id % 8));
				if (wl_reader_add_damage(r, off, WL_RECORD_HEADER_SIZE + blen,
							 "sample lists undeclared channel %u "
							 "(its values are dropped)", id))
					return -1;
			}
			continue;
		}
		r->ids[k] = id;
		r->vals[k].u = wl_get64(e + 2);
		k++;
	}
	if (n && !k)
		return 0; /* nothing declared left: the damage entry says why */
	rec->t_ns = wl_get64(body);
	rec->u.sample.n = k;
	rec->u.sample.ids = r->ids;
	rec->u.sample.vals = r->vals;
	return 1;
}

/* MARKER and LOG: text after a fixed part of `fixed` bytes. */
static int copy_text(struct wl_reader *r, const unsigned char *body, size_t blen, size_t fixed,
		     const char **out)
{
	size_t n = blen - fixed;

	if (wl_grow((void **)&r->text, &r->captext, n + 1, 1))
		return -1;
	memcpy(r->text, body + fixed, n);
	r->text[n] = 0;
	*out = r->text;
	return 1;
}

int wl_reader_decode(struct wl_reader *r, uint16_t kind, const unsigned char *body,
		     size_t blen, uint64_t off, struct wl_record *rec, struct wl_error *err)
{
	const char *why = NULL;
	int rc = 0;

	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->offset = off;
	switch (kind) {
	case WL_REC_META:
		rc = decode_meta(r, body, blen, rec);
		why = "malformed meta record";
		break;
	case WL_REC_CHANNEL:
		rc = decode_channel(r, body, blen, rec, &why);
		break;
	case WL_REC_SAMPLE:
		why = "malformed sample record";
		if (blen >= 8 && (blen - 8) % WL_SAMPLE_ENTRY_SIZE == 0) {
			rc = decode_sample(r, body, blen, off, rec);
			if (rc == 0)
				return 0; /* every id undeclared: already reported */
		}
		break;
	case WL_REC_MARKER:
		why = "marker record too short";
		if (blen >= 12) {
			rec->t_ns = wl_get64(body);
			rec->u.marker.flags = wl_get32(body + 8);
			rc = copy_text(r, body, blen, 12, &rec->u.marker.text);
		}
		break;
	case WL_REC_SYNC:
		why = "sync record too short";
		if (blen >= 16) {
			rec->t_ns = wl_get64(body);
			rec->u.sync.real_ns = wl_get64(body + 8);
			rc = 1;
		}
		break;
	case WL_REC_LOG:
		why = "log record too short";
		if (blen >= 9) {
			rec->t_ns = wl_get64(body);
			rec->u.log.level = body[8];
			rc = copy_text(r, body, blen, 9, &rec->u.log.text);
		}
		break;
	default:
		return 0; /* unknown kind: skipped, as the format says */
	}
	if (rc < 0)
		return wl_error_set(err, "cannot read '%s': out of memory", r->path);
	if (rc == 0 && wl_reader_add_damage(r, off, WL_RECORD_HEADER_SIZE + blen, "%s", why))
		return wl_error_set(err, "cannot read '%s': out of memory", r->path);
	return rc;
}
