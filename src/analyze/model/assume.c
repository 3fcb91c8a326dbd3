/* assume.c - the list of an analysis's assumptions (see assume.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/assume.h"
#include "wattlog/grow.h"

void wl_assumptions_init(struct wl_assumptions *l)
{
	memset(l, 0, sizeof(*l));
}

void wl_assumptions_release(struct wl_assumptions *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->a[i].text);
	free(l->a);
	wl_assumptions_init(l);
}

static int add(struct wl_assumptions *l, enum wl_assume_kind kind, const char *text)
{
	size_t i;
	char *s;

	for (i = 0; i < l->n; i++)
		if (l->a[i].kind == kind && !strcmp(l->a[i].text, text))
			return 0;
	if (wl_grow((void **)&l->a, &l->cap, l->n + 1, sizeof(*l->a)))
		return -1;
	s = strdup(text);
	if (!s)
		return -1;
	l->a[l->n].kind = kind;
	l->a[l->n].text = s;
	l->n++;
	return 0;
}

int wl_assume(struct wl_assumptions *l, enum wl_assume_kind kind, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return add(l, kind, buf);
}

int wl_assume_copy(struct wl_assumptions *dst, const struct wl_assumptions *src,
		   const char *prefix)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (wl_assume(dst, src->a[i].kind, "%s%s", prefix ? prefix : "", src->a[i].text))
			return -1;
	return 0;
}

const char *wl_assume_kind_name(enum wl_assume_kind kind)
{
	static const char *const names[] = {
		"unit", "time", "zone", "device", "total", "rail", "gap", "channel", "value",
		"other",
	};

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "other";
}
