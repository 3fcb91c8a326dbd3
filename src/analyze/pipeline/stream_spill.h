/*
 * stream_spill.h - private to src/analyze/stream*.c: the spill file of a
 * streamed CSV log (stream_spill.c): pass 1 writes each sample, pass 2
 * reads them back in the same order, the same bits.
 */
#ifndef WATTLOG_ANALYZE_STREAM_SPILL_H
#define WATTLOG_ANALYZE_STREAM_SPILL_H

#include <stddef.h>
#include <stdint.h>

#define WL_SPILL_BUF (1u << 20)

/* Each channel's value before (the writer's and each reader's own). */
struct wl_spill_chans {
	uint64_t *last;      /* its bits */
	unsigned char *have; /* last[i] holds a value */
	size_t n;
};

struct wl_spill {
	int fd;                /* the unlinked file, -1 when none (pass 2 re-reads) */
	unsigned char *buf;    /* WL_SPILL_BUF bytes not yet written */
	size_t len;
	double t;              /* the time of the last time record */
	int have_t;
	struct wl_spill_chans ch;
};

/* An unlinked file in $TMPDIR (else /tmp), or none (fd -1).  0, or -1
 * out of memory. */
int wl_spill_open(struct wl_spill *sp);
/* Sample x of channel tag at time t (nothing once the file is dropped). */
void wl_spill_put(struct wl_spill *sp, uint32_t tag, double t, double x);
/* Writes what is buffered; a failed write drops the file. */
void wl_spill_flush(struct wl_spill *sp);
/* Gives the file up: pass 2 reads the log again. */
void wl_spill_drop(struct wl_spill *sp);
void wl_spill_free(struct wl_spill *sp);

/* Called with each sample in order: 0 to go on, else that value is
 * wl_spill_read's. */
typedef int (*wl_spill_fn)(void *user, uint32_t tag, double t, double x);
/* Reads the file (after wl_spill_flush) into buf (WL_SPILL_BUF bytes; one
 * per thread: several may read at once), the samples of the channels i
 * with want[i] (one byte a channel that the file holds).  0, the
 * callback's value, -1 out of memory, or -2 a read error (errno set). */
int wl_spill_read(const struct wl_spill *sp, unsigned char *buf, const unsigned char *want,
		  wl_spill_fn fn, void *user);

#endif
