/*
 * reader_damage.c - the reader's list of damaged stretches (trace.h,
 * wl_reader_damage): appended to by reader.c (blocks) and reader_record.c
 * (record bodies).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "reader_int.h"

int wl_reader_add_damage(struct wl_reader *r, uint64_t offset, uint64_t length,
			 const char *fmt, ...)
{
	struct wl_damage *d;
	va_list ap;

	if (r->ndmg == r->capdmg) {
		size_t ncap = r->capdmg ? r->capdmg * 2 : 8;

		d = realloc(r->dmg, ncap * sizeof(*d));
		if (!d)
			return -1;
		r->dmg = d;
		r->capdmg = ncap;
	}
	d = &r->dmg[r->ndmg++];
	d->offset = offset;
	d->length = length;
	va_start(ap, fmt);
	vsnprintf(d->what, sizeof(d->what), fmt, ap);
	va_end(ap);
	return 0;
}

size_t wl_reader_damage(const struct wl_reader *r, const struct wl_damage **list)
{
	*list = r->dmg;
	return r->ndmg;
}
