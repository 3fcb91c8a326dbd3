/* metrics_request.c - request markers into request counts and energy
 * (metrics.h: the attribution rule). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_int.h"

/* 1-2-5 steps from 0.1 J to 100 kJ. */
const double wl_metrics_bounds[WL_METRICS_NBOUNDS] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100,
						       200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4,
						       1e5 };

/* The next blank-separated word of [*p, end); 0 when none. */
static int word(const char **p, const char *end, const char **w, size_t *len)
{
	const char *q = *p;

	while (q < end && *q == ' ')
		q++;
	*w = q;
	while (q < end && *q != ' ')
		q++;
	*len = (size_t)(q - *w);
	*p = q;
	return *len > 0;
}

static int is_word(const char *w, size_t len, const char *s)
{
	return len == strlen(s) && !memcmp(w, s, len);
}

/* key=value attributes: tokens_in and tokens_out as numbers. */
static void attrs(const char *p, const char *end, double *tin, double *tout)
{
	const char *w;
	size_t len;
	char num[32];

	while (word(&p, end, &w, &len)) {
		double *dst = NULL;
		size_t k = 0;
		char *e;
		double v;

		if (len > 10 && !memcmp(w, "tokens_in=", 10))
			dst = tin, k = 10;
		else if (len > 11 && !memcmp(w, "tokens_out=", 11))
			dst = tout, k = 11;
		if (!dst || len - k >= sizeof(num))
			continue;
		memcpy(num, w + k, len - k);
		num[len - k] = 0;
		v = strtod(num, &e);
		if (!*e && v >= 0 && !isnan(v) && !isinf(v))
			*dst = v;
	}
}

void wl_metrics_marker(struct wl_metrics *m, uint64_t t_ns, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *w, *id = "";
	double tin = NAN, tout = NAN;
	size_t wl, idlen = 0, i;
	int begin;

	(void)t_ns;
	m->markers++;
	m->version++;
	if (!word(&p, end, &w, &wl) || !(is_word(w, wl, "begin") || is_word(w, wl, "end")))
		return;
	begin = is_word(w, wl, "begin");
	if (!word(&p, end, &w, &wl) || !is_word(w, wl, "request"))
		return;
	{
		const char *save = p;

		if (word(&p, end, &w, &wl) && !memchr(w, '=', wl)) {
			id = w;
			idlen = wl < WL_METRICS_ID_MAX - 1 ? wl : WL_METRICS_ID_MAX - 1;
		} else {
			p = save;
		}
	}
	attrs(p, end, &tin, &tout);
	for (i = 0; i < m->nopen; i++)
		if (strlen(m->open[i].id) == idlen && !memcmp(m->open[i].id, id, idlen))
			break;
	if (begin) {
		if (i < m->nopen) {
			m->unmatched++; /* begun twice: the first begin holds */
			return;
		}
		if (m->nopen == WL_METRICS_MAX_OPEN) {
			m->dropped++;
			return;
		}
		memcpy(m->open[i].id, id, idlen);
		m->open[i].id[idlen] = 0;
		m->open[i].g_begin = m->g;
		m->open[i].tokens_in = tin;
		m->open[i].tokens_out = tout;
		m->nopen++;
		return;
	}
	if (i == m->nopen) {
		m->unmatched++;
		return;
	}
	{
		struct request *r = &m->open[i];
		double e = m->g - r->g_begin;
		size_t b;

		if (isnan(tin))
			tin = r->tokens_in;
		if (isnan(tout))
			tout = r->tokens_out;
		if (!isnan(tin))
			m->tokens_in += tin;
		if (!isnan(tout))
			m->tokens_out += tout;
		m->completed++;
		m->req_sum_j += e;
		for (b = 0; b < WL_METRICS_NBOUNDS; b++)
			if (e <= wl_metrics_bounds[b])
				m->req_bucket[b]++;
		*r = m->open[--m->nopen];
	}
}
