/*
 * stream_rows.c - a block of rows of one layout (stream_int.h's struct
 * wl_srows): the unit in which a GPU CSV log's readings go through pass 1,
 * the spill file and pass 2, a column at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

/* Grows *p to hold n items of size sz (room: what it holds now). */
static int room(void *p, size_t *have, size_t n, size_t sz)
{
	void *q;

	if (n <= *have)
		return 0;
	q = realloc(*(void **)p, n * sz);
	if (!q)
		return -1;
	*(void **)p = q;
	*have = n;
	return 0;
}

int wl_srows_layout(struct wl_srows *b, const uint32_t *ch, size_t ncol, size_t rows)
{
	if (!rows) {
		rows = ncol ? WL_SROWS_VALUES / ncol : WL_SROWS_ROWS;
		if (rows > WL_SROWS_ROWS)
			rows = WL_SROWS_ROWS;
		if (rows >= 16) /* 8 x odd: columns 64 x odd bytes apart, on
				   different cache sets as a row is written */
			rows = ((rows / 8 - 1) | 1) * 8;
		if (!rows)
			rows = 1;
	}
	if (room(&b->ch, &b->chroom, ncol ? ncol : 1, sizeof(*b->ch)) ||
	    room(&b->t, &b->troom, rows, sizeof(*b->t)) ||
	    room(&b->v, &b->vroom, (ncol ? ncol : 1) * rows, sizeof(*b->v)))
		return -1;
	if (ncol)
		memcpy(b->ch, ch, ncol * sizeof(*ch));
	b->ncol = ncol;
	b->cap = rows;
	b->n = 0;
	return 0;
}

int wl_srows_same(const struct wl_srows *b, const uint32_t *ch, size_t ncol)
{
	return b->ncol == ncol && (!ncol || !memcmp(b->ch, ch, ncol * sizeof(*ch)));
}

void wl_srows_release(struct wl_srows *b)
{
	free(b->ch);
	free(b->t);
	free(b->v);
	memset(b, 0, sizeof(*b));
}
