/*
 * hostlist.c - Slurm hostlist expansion (merge.h): "n[1-3,7],gpu[01-02]"
 * -> n1 n2 n3 n7 gpu01 gpu02.  One bracket group per name, as
 * SLURM_JOB_NODELIST writes it; a range keeps the zero padding of its
 * first bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/merge.h"

#define HL_MAX 65536 /* names at most */

struct hl {
	char **v;
	size_t n, cap;
};

static int push(struct hl *h, const char *pre, size_t lp, const char *num, const char *post,
		size_t lpost)
{
	char **nv;
	char *s;
	size_t ln = strlen(num);

	if (h->n >= HL_MAX)
		return -1;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		nv = realloc(h->v, h->cap * sizeof(*nv));
		if (!nv)
			return -1;
		h->v = nv;
	}
	s = malloc(lp + ln + lpost + 1);
	if (!s)
		return -1;
	memcpy(s, pre, lp);
	memcpy(s + lp, num, ln);
	memcpy(s + lp + ln, post, lpost);
	s[lp + ln + lpost] = 0;
	h->v[h->n++] = s;
	return 0;
}

/* Expands "a-b" or "a" (digits) inside the brackets of pre[...]post. */
static int range(struct hl *h, const char *pre, size_t lp, const char *r, size_t lr,
		 const char *post, size_t lpost)
{
	char a[24], b[24], num[48];
	const char *dash = memchr(r, '-', lr);
	size_t la = dash ? (size_t)(dash - r) : lr, lb = dash ? lr - la - 1 : 0, i;
	unsigned long lo, hi, k;
	char *end;

	if (la == 0 || la >= sizeof(a) || lb >= sizeof(b) || (dash && lb == 0))
		return -1;
	memcpy(a, r, la);
	a[la] = 0;
	for (i = 0; i < la; i++)
		if (a[i] < '0' || a[i] > '9')
			return -1;
	lo = strtoul(a, &end, 10);
	hi = lo;
	if (dash) {
		memcpy(b, dash + 1, lb);
		b[lb] = 0;
		for (i = 0; i < lb; i++)
			if (b[i] < '0' || b[i] > '9')
				return -1;
		hi = strtoul(b, &end, 10);
	}
	if (hi < lo || hi - lo >= HL_MAX)
		return -1;
	for (k = lo; k <= hi; k++) {
		snprintf(num, sizeof(num), "%0*lu", (int)la, k);
		if (push(h, pre, lp, num, post, lpost) < 0)
			return -1;
	}
	return 0;
}

/* One comma-free-at-depth-0 item "pre[ranges]post" or a plain name. */
static int item(struct hl *h, const char *s, size_t len)
{
	const char *lb = memchr(s, '[', len), *rb, *p;
	size_t lp, lpost;

	if (!lb)
		return len ? push(h, s, len, "", "", 0) : -1;
	rb = memchr(lb, ']', len - (size_t)(lb - s));
	if (!rb || memchr(rb + 1, '[', len - (size_t)(rb + 1 - s)))
		return -1;
	lp = (size_t)(lb - s);
	lpost = len - (size_t)(rb + 1 - s);
	for (p = lb + 1; p < rb;) {
		const char *c = memchr(p, ',', (size_t)(rb - p));
		const char *e = c ? c : rb;

		if (range(h, s, lp, p, (size_t)(e - p), rb + 1, lpost) < 0)
			return -1;
		p = e + 1;
	}
	return 0;
}

int wl_hostlist_expand(const char *list, char ***names, size_t *n, struct wl_error *err)
{
	struct hl h = {0};
	const char *p = list, *s = list;
	int depth = 0;

	for (;; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if ((*p == ',' && depth == 0) || *p == 0) {
			if (depth != 0 || item(&h, s, (size_t)(p - s)) < 0) {
				for (size_t i = 0; i < h.n; i++)
					free(h.v[i]);
				free(h.v);
				return wl_error_set(err, "bad Slurm node list '%s' at byte %zu",
						    list, (size_t)(s - list));
			}
			if (*p == 0)
				break;
			s = p + 1;
		}
	}
	*names = h.v;
	*n = h.n;
	return 0;
}
