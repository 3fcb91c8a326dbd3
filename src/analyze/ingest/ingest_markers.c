/*
 * ingest_markers.c - a request log joined to a run: lines
 * "TIME begin|end LABEL [ID] [key=value ...]" become markers of the dataset
 * at TIME - t0_realtime (see ingest.h, wl_ingest_markers).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "wattlog/phases.h"
#include "wattlog/units.h"

struct mlog {
	const char *path;
	size_t line;
	struct wl_tzconv tz;
	int no_zone;       /* an ISO time without its zone was read */
	int epoch_exp;     /* the epoch unit of the first epoch time: 0, -3, -6, -9 */
	int epoch_seen;
};

static int is_date(const char *s, size_t n)
{
	return n == 10 && isdigit((unsigned char)s[0]) && (s[4] == '-' || s[4] == '/') &&
	       (s[7] == '-' || s[7] == '/');
}

/* An epoch number's unit from its magnitude (the CSV rule, extended to us and ns). */
static int epoch_exp10(double v)
{
	return v >= 1e17 ? -9 : v >= 1e14 ? -6 : v >= 1e11 ? -3 : 0;
}

static const char *unit_name(int exp10)
{
	return exp10 == -9 ? "ns" : exp10 == -6 ? "us" : exp10 == -3 ? "ms" : "s";
}

/* TIME at the start of s: epoch seconds into *epoch_s (whole) and *frac_s,
 * *rest past it.  0, or -1 with err. */
static int parse_time(struct mlog *m, char *s, long long *sec, double *frac, char **rest,
		      struct wl_error *err)
{
	char *p = s, *e1, *e2, save;
	struct wl_walltime w;
	int had_zone = 1;
	long long ns;
	double v;

	while (*p && !isspace((unsigned char)*p))
		p++;
	e1 = p;
	if (is_date(s, (size_t)(e1 - s)) && *e1 == ' ' && isdigit((unsigned char)e1[1])) {
		for (e2 = e1 + 1; *e2 && !isspace((unsigned char)*e2); e2++)
			;
		p = e2;
	}
	save = *p;
	*p = 0;
	if (!wl_time_parse_iso_exact(s, &m->tz, &w, &had_zone)) {
		m->no_zone |= !had_zone;
		*sec = w.s;
		*frac = w.ns * 1e-9;
	} else {
		*p = save;
		p = e1;
		save = *p;
		*p = 0;
		v = strtod(s, &e2);
		if (e2 == s || *e2 || !(v >= 1e8) || !isfinite(v)) {
			wl_error_set(err, "'%s' line %zu: time '%s' is neither ISO 8601 nor an epoch "
				     "number (>= 1e8 s)", m->path, m->line, s);
			*p = save;
			return -1;
		}
		if (!m->epoch_seen) {
			m->epoch_seen = 1;
			m->epoch_exp = epoch_exp10(v);
		} else if (epoch_exp10(v) != m->epoch_exp) {
			wl_error_set(err, "'%s' line %zu: epoch time '%s' is in another unit than "
				     "the first (%s)", m->path, m->line, s, unit_name(m->epoch_exp));
			*p = save;
			return -1;
		}
		if (!wl_time_decimal_ns(s, m->epoch_exp, &ns)) {
			*sec = ns / 1000000000LL;
			*frac = (double)(ns % 1000000000LL) * 1e-9;
		} else {
			v *= pow(10, m->epoch_exp);
			*sec = (long long)floor(v);
			*frac = v - floor(v);
		}
	}
	*p = save;
	while (isspace((unsigned char)*p))
		p++;
	*rest = p;
	return 0;
}

static int one_line(struct mlog *m, char *s, struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_marker_words w;
	long long sec;
	double frac, t;
	char *rest, *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	if (!*s || *s == '#')
		return 0;
	if (parse_time(m, s, &sec, &frac, &rest, err) < 0)
		return -1;
	if (wl_marker_words(rest, NULL, &w) < 0)
		return wl_error_set(err, "'%s' line %zu: '%s' is not 'begin|end LABEL [ID] "
				    "[key=value ...]'", m->path, m->line, rest);
	/* exact whole seconds first, then the fraction */
	t = ((double)sec - ds->t0_realtime) + frac;
	if (wl_dataset_marker(ds, t, 0, rest) < 0)
		return wl_error_set(err, "out of memory reading '%s'", m->path);
	return 0;
}

int wl_ingest_markers(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err)
{
	struct mlog m;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int rc = 0;

	if (!isfinite(ds->t0_realtime))
		return wl_error_set(err, "cannot place the markers of '%s' on '%s': it has no "
				    "wall-clock time (its times count from its start)", path,
				    ds->path ? ds->path : "the input");
	memset(&m, 0, sizeof(m));
	m.path = path;
	if (wl_tzconv_init(&m.tz, o ? o->tz : NULL, err))
		return -1;
	if (!(f = fopen(path, "r"))) {
		wl_tzconv_release(&m.tz);
		return wl_error_errno(err, errno, "cannot open '%s'", path);
	}
	while (getline(&line, &cap, f) >= 0) {
		m.line++;
		if ((rc = one_line(&m, line, ds, err)) < 0)
			break;
	}
	if (!rc && ferror(f))
		rc = wl_error_errno(err, errno, "cannot read '%s'", path);
	free(line);
	fclose(f);
	if (!rc && m.no_zone) {
		char zone[200];

		wl_assume(&ds->assume, WL_ASSUME_ZONE, "markers of '%s': times without a zone "
			  "read in %s", path, wl_tzconv_describe(&m.tz, zone, sizeof(zone)));
	}
	wl_tzconv_release(&m.tz);
	if (rc)
		return rc;
	if (m.epoch_seen)
		wl_assume(&ds->assume, WL_ASSUME_TIME, "markers of '%s': epoch times read in %s, "
			  "from their magnitude", path, unit_name(m.epoch_exp));
	return 0;
}
