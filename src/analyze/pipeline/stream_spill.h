/*
 * stream_spill.h - private to src/analyze/stream*.c: the spill file of a
 * streamed CSV log (stream_spill.c): pass 1 writes its blocks of rows
 * (stream_int.h's struct wl_srows), pass 2 reads them back in the same
 * order, the same bits.
 */
#ifndef WATTLOG_ANALYZE_STREAM_SPILL_H
#define WATTLOG_ANALYZE_STREAM_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "stream_int.h"

#define WL_SPILL_BUF (1u << 20)
#define WL_SPILL_SLOTS 16 /* layouts the file refers to by number */

/* Each channel's value before (the writer's and each reader's own). */
struct wl_spill_chans {
	uint64_t *last;      /* its bits */
	unsigned char *have; /* last[i] holds a value */
	size_t n;
};

/* The layouts (channel lists) of the slots. */
struct wl_spill_slots {
	uint32_t *ch[WL_SPILL_SLOTS];
	size_t n[WL_SPILL_SLOTS];
	unsigned long long used[WL_SPILL_SLOTS]; /* the writer's: when last used, 0 never */
	unsigned long long clock;
	unsigned last;                           /* the writer's: the slot used last */
};

struct wl_spill {
	int fd;                /* the unlinked file, -1 when none (pass 2 re-reads) */
	unsigned char *buf;    /* WL_SPILL_BUF bytes not yet written */
	size_t len;
	struct wl_spill_chans ch;
	struct wl_spill_slots slot;
};

/* An unlinked file in $TMPDIR (else /tmp), or none (fd -1).  0, or -1
 * out of memory. */
int wl_spill_open(struct wl_spill *sp);
/* The rows of b (nothing once the file is dropped; a block too large for
 * the buffer, or out of memory, drops it). */
void wl_spill_put(struct wl_spill *sp, const struct wl_srows *b);
/* Writes what is buffered; a failed write drops the file. */
void wl_spill_flush(struct wl_spill *sp);
/* Gives the file up: pass 2 reads the log again. */
void wl_spill_drop(struct wl_spill *sp);
void wl_spill_free(struct wl_spill *sp);

/* Called with each block in order: 0 to go on, else that value is
 * wl_spill_read's. */
typedef int (*wl_spill_fn)(void *user, struct wl_srows *b);
/* Reads the file (after wl_spill_flush) into buf (WL_SPILL_BUF bytes; one
 * per thread: several may read at once), each block into b (the caller's,
 * released with wl_srows_release): its layout and times, and the values
 * of the channels i with want[i] (one byte a channel that the file holds;
 * the other columns' values are not set).  0, the callback's value, -1
 * out of memory, or -2 a read error (errno set). */
int wl_spill_read(const struct wl_spill *sp, unsigned char *buf, const unsigned char *want,
		  struct wl_srows *b, wl_spill_fn fn, void *user);

#endif
