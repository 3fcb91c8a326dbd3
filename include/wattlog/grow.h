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

#endif
