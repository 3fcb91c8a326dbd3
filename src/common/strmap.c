/* strmap.c - a map from byte strings to long values (see strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "wattlog/strmap.h"

void wl_strmap_init(struct wl_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void wl_strmap_release(struct wl_strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	wl_strmap_init(m);
}

/* FNV-1a, 64 bits (Fowler, Noll, Vo). */
static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct wl_strmap_ent *probe(const struct wl_strmap *m, const char *key, size_t len,
				   uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->e[i].key && (m->e[i].hash != h || m->e[i].len != len ||
			       memcmp(m->e[i].key, key, len)))
		i = (i + 1) & (m->cap - 1);
	return &m->e[i];
}

long *wl_strmap_find(const struct wl_strmap *m, const char *key, size_t len)
{
	struct wl_strmap_ent *e;

	if (!m->cap)
		return NULL;
	e = probe(m, key, len, fnv1a(key, len));
	return e->key ? &e->val : NULL;
}

/* Doubles the table (load stays at most 1/2). */
static int grow(struct wl_strmap *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64, i;
	struct wl_strmap old = *m;

	m->e = calloc(cap, sizeof(*m->e));
	if (!m->e) {
		*m = old;
		return -1;
	}
	m->cap = cap;
	for (i = 0; i < old.cap; i++)
		if (old.e[i].key)
			*probe(m, old.e[i].key, old.e[i].len, old.e[i].hash) = old.e[i];
	free(old.e);
	return 0;
}

long *wl_strmap_slot(struct wl_strmap *m, const char *key, size_t len, long dflt)
{
	uint64_t h = fnv1a(key, len);
	struct wl_strmap_ent *e;
	char *k;

	if (m->cap) {
		e = probe(m, key, len, h);
		if (e->key)
			return &e->val;
	}
	if (2 * (m->n + 1) > m->cap && grow(m) < 0)
		return NULL;
	if (!(k = malloc(len + 1)))
		return NULL;
	memcpy(k, key, len);
	k[len] = 0;
	e = probe(m, key, len, h);
	e->key = k;
	e->len = len;
	e->hash = h;
	e->val = dflt;
	m->n++;
	return &e->val;
}
