/*
 * simulate_schedule.c - the phase schedule of `wattlog simulate`:
 * "idle 2s, prefill 8s, idle 15s, decode 17s" (see simulate.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/simulate.h"

static const char *const phase_names[] = { "idle", "prefill", "decode" };

void wl_sim_schedule_init(struct wl_sim_schedule *s)
{
	memset(s, 0, sizeof(*s));
}

void wl_sim_schedule_release(struct wl_sim_schedule *s)
{
	free(s->p);
	wl_sim_schedule_init(s);
}

struct pos {
	const char *text, *origin;
};

/* Line and column (1-based) of p in the text. */
static int perr(const struct pos *ps, const char *p, struct wl_error *err, const char *what,
		size_t len, const char *tail)
{
	const char *q;
	unsigned line = 1, col = 1;

	for (q = ps->text; q < p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return wl_error_set(err, "%s line %u column %u: %s '%.*s'%s", ps->origin, line, col, what,
			    (int)len, p, tail);
}

static int push(struct wl_sim_schedule *s, const char *label, size_t len, double dur)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct wl_sim_phase *p = realloc(s->p, cap * sizeof(*p));

		if (!p)
			return -1;
		s->p = p;
		s->cap = cap;
	}
	memset(&s->p[s->n], 0, sizeof(s->p[0]));
	memcpy(s->p[s->n].label, label, len);
	s->p[s->n].dur_s = dur;
	s->n++;
	return 0;
}

static int is_sep(char c)
{
	return c == ',' || c == ';' || c == '\n' || c == 0 || c == '#';
}

int wl_sim_schedule_parse(const char *text, const char *origin, struct wl_sim_schedule *out,
			  struct wl_error *err)
{
	struct pos ps = { text, origin };
	const char *p = text;
	size_t before = out->n;

	for (;;) {
		const char *w, *num, *unit;
		size_t wl, ul, k;
		double v, f;
		char *end;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == ',' || *p == ';' ||
		       *p == '\n')
			p++;
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (!*p)
			break;
		w = p;
		while (isalpha((unsigned char)*p))
			p++;
		wl = (size_t)(p - w);
		for (k = 0; k < 3; k++)
			if (wl == strlen(phase_names[k]) && !strncmp(w, phase_names[k], wl))
				break;
		if (k == 3) {
			while (*p && !isspace((unsigned char)*p) && !is_sep(*p))
				p++;
			return perr(&ps, w, err, "unknown phase", (size_t)(p - w) ? (size_t)(p - w) : 1,
				    " (idle, prefill, decode)");
		}
		while (*p == ' ' || *p == '\t')
			p++;
		num = p;
		v = strtod(num, &end);
		if (end == num || !isfinite(v) || v <= 0) {
			const char *e = p;

			while (*e && !is_sep(*e))
				e++;
			return perr(&ps, num, err, "bad duration", (size_t)(e - num),
				    " (a positive number with a unit: 500ms, 2s, 1min)");
		}
		unit = p = end;
		while (isalpha((unsigned char)*p))
			p++;
		ul = (size_t)(p - unit);
		if (ul == 1 && *unit == 's')
			f = 1;
		else if (ul == 2 && !strncmp(unit, "ms", 2))
			f = 1e-3;
		else if (ul == 3 && !strncmp(unit, "min", 3))
			f = 60;
		else
			return perr(&ps, num, err, "duration needs a unit (ms, s, min)",
				    (size_t)(p - num), "");
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!is_sep(*p)) {
			const char *e = p;

			while (*e && !is_sep(*e))
				e++;
			return perr(&ps, p, err, "expected ',' or end after a phase, found",
				    (size_t)(e - p), "");
		}
		if (push(out, w, wl, v * f) < 0)
			return wl_error_set(err, "out of memory reading the schedule");
	}
	if (out->n == before)
		return wl_error_set(err, "%s: empty schedule", origin);
	return 0;
}
