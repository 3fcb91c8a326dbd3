/*
 * reader_int.h - the reader's state, shared by reader.c (file header,
 * blocks), reader_record.c (record bodies) and reader_damage.c (the list of
 * damaged stretches).  Private to src/trace.
 */
#ifndef WATTLOG_TRACE_READER_INT_H
#define WATTLOG_TRACE_READER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/trace.h"

struct wl_reader {
	char *path;
	const unsigned char *data; /* the whole file (mmap or malloc) */
	size_t size;
	int mapped;
	size_t released;           /* mapped bytes [0, released) handed back */
	unsigned major, minor;

	size_t pos;                /* offset of the next block header */
	int in_block;
	size_t rp, bend;           /* next record and end of the current payload */
	uint32_t next_seq;         /* the sequence number expected next */
	int seen_block;            /* a good block was read */
	int damage_since_block;    /* damage reported since the last good block */
	int follow;                /* wl_reader_follow: a torn tail is waited for */
	size_t second;             /* offset of a second file header, 0 = none */

	struct wl_damage *dmg;
	size_t ndmg, capdmg;

	struct wl_chan_info **chan;   /* [65536], by id; NULL = undeclared */
	unsigned char *undeclared;    /* [65536 / 8]: undeclared id already reported */

	/* Buffers for the record handed out (valid until the next call). */
	struct wl_chan_info rec_chan;
	struct wl_kv *kv;
	size_t capkv;
	char *text;                /* META strings, MARKER and LOG text */
	size_t captext;
	uint16_t *ids;
	union wl_value *vals;
	size_t capsample, capvals;
};

/* Appends a damage entry (reader_damage.c); 0 or -1 (out of memory). */
int wl_reader_add_damage(struct wl_reader *r, uint64_t offset, uint64_t length,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Decodes the record of kind `kind` whose body is body[0..blen) at file
 * offset off into *rec.  1: rec filled; 0: skipped (unknown kind, or a
 * malformed body, which is reported as damage); -1: out of memory.
 */
int wl_reader_decode(struct wl_reader *r, uint16_t kind, const unsigned char *body,
		     size_t blen, uint64_t off, struct wl_record *rec, struct wl_error *err);

#endif
