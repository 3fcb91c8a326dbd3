/*
 * strmap.h - a map from byte strings to long values (open addressing with
 * linear probing, FNV-1a hash), so that markers pair in time linear in
 * their number.  Libc only: both programs may use it.
 *
 * Keys are copied into the map; entries are never removed (a value can be
 * reset instead).  A pointer returned by wl_strmap_slot or wl_strmap_find
 * stays valid until the next wl_strmap_slot that inserts.
 */
#ifndef WATTLOG_STRMAP_H
#define WATTLOG_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct wl_strmap_ent {
	char *key;      /* NUL-terminated copy, NULL = empty slot */
	size_t len;
	uint64_t hash;
	long val;
};

struct wl_strmap {
	size_t n, cap;  /* cap: 0 or a power of two */
	struct wl_strmap_ent *e;
};

void wl_strmap_init(struct wl_strmap *m);
void wl_strmap_release(struct wl_strmap *m);

/* The value of key[0..len), inserted with value dflt when absent; NULL out
 * of memory (the map is unchanged). */
long *wl_strmap_slot(struct wl_strmap *m, const char *key, size_t len, long dflt);
/* The value of key[0..len), or NULL when absent. */
long *wl_strmap_find(const struct wl_strmap *m, const char *key, size_t len);

#endif
