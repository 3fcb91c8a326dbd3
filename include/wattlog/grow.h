/* grow.h - growing a malloc'd array geometrically.  Libc only: both programs. */
#ifndef WATTLOG_GROW_H
#define WATTLOG_GROW_H

#include <stddef.h>

/*
 * Makes *p (an array of *cap elements of size sz, or NULL with *cap 0) hold
 * at least `need` elements, doubling from 16.  On success *p and *cap are
 * updated and 0 returned; on failure (out of memory, or a size that would
 * overflow size_t) nothing changes and -1 is returned.
 */
int wl_grow(void **p, size_t *cap, size_t need, size_t sz);

/*
 * calloc(n, size) whose pages are each written once now, in the calling
 * thread.  A fresh page read first maps the shared zero page, and its first
 * write then copies it and flushes the TLB of every CPU running a thread of
 * the process (an interrupt to each): a table that threads will
 * read-modify-write is allocated with this before they start.  Free it with
 * free().  NULL: out of memory, or n x size overflows.
 */
void *wl_calloc_touched(size_t n, size_t size);

#endif
