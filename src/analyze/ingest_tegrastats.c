/*
 * ingest_tegrastats.c - NVIDIA Jetson `tegrastats --logfile` lines:
 *   05-01-2024 16:38:16 RAM 7128/7620MB (lfb 14x2MB) SWAP 1012/20194MB
 *   (cached 4MB) CPU [8%@1510,35%@1510,off,...] GR3D_FREQ 99% cpu@51.687C
 *   ... VDD_IN 12713mW/9893mW VDD_CPU_GPU_CV 4511mW/3146mW ...
 * The date is month-day-year, local time of the Jetson (opts->tz, else this
 * machine's zone); t0_realtime is the first line's time.
 *
 * Channels (source "tegrastats", device "" unless said):
 *   NAME        rail NAME's instantaneous power, mW, component NAME
 *   NAME.avg    tegrastats' running average of that rail, mW, component ""
 *   ram.used, ram.total, swap.used, swap.total   MiB
 *   cpu.busy (%), cpu.freq (MHz)   device "cpuN"; an `off` core is absent
 *   gr3d_freq (%), gr3d.freq (MHz when printed as 99%@1300); same for EMC
 *   temp.NAME   C, from NAME@51.687C
 * Tokens it does not know (APE 150, NVENC ...) are ignored.  A line that
 * does not start with the date, a rail or RAM value that is no number, or
 * time going backwards is an error naming the line.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/ingest.h"
#include "wattlog/units.h"

struct ctx {
	const char *path;
	struct wl_dataset *ds;
	size_t line;
	double t;
};

static int put(struct ctx *c, const char *name, const char *unit, const char *dev,
	       const char *comp, double v, struct wl_error *err)
{
	long i = wl_dataset_channel(c->ds, name, unit, dev, "tegrastats", WL_DS_GAUGE, 0);

	if (i < 0 || (comp && wl_channel_component(&c->ds->ch[i], comp)) ||
	    wl_channel_push(&c->ds->ch[i], c->t, v))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	return 0;
}

/* "123" + suffix at *p: the number, advancing past the digits. */
static int num(const char **p, double *v)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -1;
	*v = strtod(*p, &end);
	*p = end;
	return isfinite(*v) ? 0 : -1; /* "7E620MB" overflows to inf */
}

static int bad(struct ctx *c, const char *tok, const char *what, struct wl_error *err)
{
	return wl_error_set(err, "'%s' line %zu: bad %s '%s'", c->path, c->line, what, tok);
}

/* "7128/7620MB" -> used, total. */
static int used_total(struct ctx *c, const char *tok, const char *what, struct wl_error *err)
{
	const char *p = tok;
	double u, t;
	char n1[32], n2[32];

	if (num(&p, &u) || *p++ != '/' || num(&p, &t) || strcmp(p, "MB"))
		return bad(c, tok, what, err);
	snprintf(n1, sizeof(n1), "%s.used", what);
	snprintf(n2, sizeof(n2), "%s.total", what);
	return put(c, n1, "MiB", "", NULL, u, err) || put(c, n2, "MiB", "", NULL, t, err);
}

/* "[8%@1510,35%@1510,off,...]" */
static int cpus(struct ctx *c, const char *tok, struct wl_error *err)
{
	const char *p = tok;
	char dev[16];
	int k = 0;
	double busy, f;

	if (*p++ != '[')
		return bad(c, tok, "CPU list", err);
	while (*p && *p != ']') {
		snprintf(dev, sizeof(dev), "cpu%d", k++);
		if (!strncmp(p, "off", 3)) {
			p += 3;
		} else {
			if (num(&p, &busy) || *p++ != '%')
				return bad(c, tok, "CPU list", err);
			if (put(c, "cpu.busy", "%", dev, NULL, busy, err))
				return -1;
			if (*p == '@') {
				p++;
				if (num(&p, &f))
					return bad(c, tok, "CPU list", err);
				if (put(c, "cpu.freq", "MHz", dev, NULL, f, err))
					return -1;
			}
		}
		if (*p == ',')
			p++;
		else if (*p != ']')
			return bad(c, tok, "CPU list", err);
	}
	return 0;
}

/* "99%" or "99%@1300" for GR3D_FREQ / EMC_FREQ. */
static int engine(struct ctx *c, const char *name, const char *tok, struct wl_error *err)
{
	const char *p = tok;
	char n[32], fname[32];
	double pct, f;
	size_t i;

	for (i = 0; name[i] && i < sizeof(n) - 1; i++)
		n[i] = (char)tolower((unsigned char)name[i]);
	n[i] = 0;
	if (num(&p, &pct) || *p++ != '%')
		return bad(c, tok, name, err);
	if (put(c, n, "%", "", NULL, pct, err))
		return -1;
	if (*p == '@') {
		p++;
		if (*p == '[')
			p++;
		if (num(&p, &f))
			return bad(c, tok, name, err);
		snprintf(fname, sizeof(fname), "%.*s.freq", (int)(strlen(n) - 5), n);
		return put(c, fname, "MHz", "", NULL, f, err);
	}
	return 0;
}

/* "12713mW/9893mW" (or "12713/9893" of older releases). */
static int rail(struct ctx *c, const char *name, const char *tok, struct wl_error *err)
{
	const char *p = tok;
	double inst, avg;
	char an[96];

	if (num(&p, &inst))
		return bad(c, tok, name, err);
	if (!strncmp(p, "mW", 2))
		p += 2;
	if (*p++ != '/' || num(&p, &avg) || (*p && strcmp(p, "mW")))
		return bad(c, tok, name, err);
	if (!*p && wl_assume(&c->ds->assume, WL_ASSUME_UNIT, "'%s': rail values written "
			     "without a unit ('%s %s', older L4T) read as mW", c->path, name, tok))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	snprintf(an, sizeof(an), "%s.avg", name);
	return put(c, name, "mW", "", name, inst, err) || put(c, an, "mW", "", "", avg, err);
}

static int is_rail_value(const char *tok)
{
	const char *s = strchr(tok, '/');

	return isdigit((unsigned char)tok[0]) && s && isdigit((unsigned char)s[1]) &&
	       (strstr(tok, "mW") || !strpbrk(tok, "%@MBC["));
}

static int line(struct ctx *c, char *s, struct wl_tzconv *tz, int *first, double *t0,
		struct wl_error *err)
{
	char *tok[256], *save = NULL, *at, *p;
	size_t n = 0, i, len;
	double epoch;

	if (wl_time_parse_mdy(s, tz, &epoch, &len) || (s[len] && s[len] != ' '))
		return wl_error_set(err, "'%s' line %zu: no tegrastats line (expected 'MM-DD-YYYY HH:MM:SS ...')",
				    c->path, c->line);
	if (*first) {
		char zone[200];

		*first = 0;
		*t0 = epoch;
		c->ds->t0_realtime = epoch;
		if (wl_assume(&c->ds->assume, WL_ASSUME_ZONE, "'%s': tegrastats writes its dates "
			      "without a zone: read in %s", c->path,
			      wl_tzconv_describe(tz, zone, sizeof(zone))))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
	} else if (epoch - *t0 < c->t) {
		return wl_error_set(err, "'%s' line %zu: time goes backwards", c->path, c->line);
	}
	c->t = epoch - *t0;
	for (p = strtok_r(s + len, " \t\r\n", &save); p && n < 256; p = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = p;
	for (i = 0; i < n; i++) {
		const char *next = i + 1 < n ? tok[i + 1] : "";
		int rc = 0;

		if (!strcmp(tok[i], "RAM") || !strcmp(tok[i], "SWAP")) {
			rc = used_total(c, next, !strcmp(tok[i], "RAM") ? "ram" : "swap", err);
			i++;
		} else if (!strcmp(tok[i], "CPU") && next[0] == '[') {
			rc = cpus(c, next, err);
			i++;
		} else if (!strcmp(tok[i], "GR3D_FREQ") || !strcmp(tok[i], "EMC_FREQ")) {
			rc = engine(c, tok[i], next, err);
			i++;
		} else if ((at = strchr(tok[i], '@')) && at != tok[i] &&
			   tok[i][strlen(tok[i]) - 1] == 'C' && isdigit((unsigned char)at[1])) {
			char name[80], *end;
			double v = strtod(at + 1, &end);

			if (*end != 'C' || end[1] || !isfinite(v))
				return bad(c, tok[i], "temperature", err);
			snprintf(name, sizeof(name), "temp.%.*s", (int)(at - tok[i]), tok[i]);
			rc = put(c, name, "C", "", NULL, v, err);
		} else if (isupper((unsigned char)tok[i][0]) && is_rail_value(next)) {
			rc = rail(c, tok[i], next, err);
			i++;
		}
		if (rc)
			return -1;
	}
	return 0;
}

/* Like getline(), but refuses a line longer than LINE_MAX_BYTES (-2), so a
 * file without newlines (a 10 GB line) fails at once instead of being read
 * whole into memory.  -1 at end of file or on a read error (see ferror), -3
 * out of memory. */
#define LINE_MAX_BYTES (1u << 20)
static ssize_t read_line(char **buf, size_t *cap, FILE *f)
{
	size_t len = 0;
	int ch;

	while ((ch = getc_unlocked(f)) != EOF) {
		if (len == LINE_MAX_BYTES)
			return -2;
		if (len + 2 > *cap) {
			size_t ncap = *cap ? *cap * 2 : 4096;
			char *nb = realloc(*buf, ncap);

			if (!nb)
				return -3;
			*buf = nb;
			*cap = ncap;
		}
		(*buf)[len++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (!len)
		return -1;
	(*buf)[len] = 0;
	return (ssize_t)len;
}

int wl_ingest_tegrastats(const char *path, const struct wl_ingest_opts *o,
			 struct wl_dataset *ds, struct wl_error *err)
{
	struct ctx c = { .path = path, .ds = ds };
	struct wl_tzconv tz;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = 0;
	int first = 1, rc = 0;
	double t0 = 0;
	FILE *f;

	if (wl_tzconv_init(&tz, o ? o->tz : NULL, err))
		return -1;
	f = fopen(path, "r");
	if (!f) {
		wl_tzconv_release(&tz);
		return wl_error_errno(err, errno, "cannot open '%s'", path);
	}
	while ((n = read_line(&buf, &cap, f)) >= 0) {
		c.line++;
		if (memchr(buf, 0, (size_t)n)) {
			rc = wl_error_set(err, "'%s' line %zu: binary data (NUL byte), not a text log",
					  path, c.line);
			break;
		}
		if (strspn(buf, " \t\r\n") == (size_t)n)
			continue;
		if ((rc = line(&c, buf, &tz, &first, &t0, err)))
			break;
	}
	if (!rc && n < -1)
		rc = n == -2 ? wl_error_set(err, "'%s' line %zu: line longer than %u bytes, not a "
					    "text log", path, c.line + 1, LINE_MAX_BYTES)
			     : wl_error_set(err, "out of memory reading '%s' at line %zu", path,
					    c.line + 1);
	if (!rc && ferror(f))
		rc = wl_error_errno(err, errno, "cannot read '%s'", path);
	if (!rc && first)
		rc = wl_error_set(err, "'%s' line 1: empty file, no tegrastats line", path);
	free(buf);
	fclose(f);
	wl_tzconv_release(&tz);
	return rc;
}
