/* grow.c - growing a malloc'd array geometrically (see grow.h). */
#include <stdint.h>
#include <stdlib.h>

#include "wattlog/grow.h"

int wl_grow(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (sz && ncap > SIZE_MAX / sz)
		return -1;
	np = realloc(*p, ncap * sz);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

void *wl_calloc_touched(size_t n, size_t size)
{
	volatile unsigned char *p; /* volatile: each store made */
	size_t i, len;

	if (size && n > SIZE_MAX / size)
		return NULL;
	len = n * size;
	p = calloc(n, size);
	if (p)
		for (i = 0; i < len; i += 4096)
			p[i] = 0;
	return (void *)(uintptr_t)p;
}
