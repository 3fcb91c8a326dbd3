/*
 * ingest_tegrastats.c - NVIDIA Jetson `tegrastats --logfile` lines:
 *   05-01-2024 16:38:16 RAM 7128/7620MB (lfb 14x2MB) SWAP 1012/20194MB
 *   (cached 4MB) CPU [8%@1510,35%@1510,off,...] GR3D_FREQ 99% cpu@51.687C
 *   ... VDD_IN 12713mW/9893mW VDD_CPU_GPU_CV 4511mW/3146mW ...
 * The date is month-day-year, local time of the Jetson (opts->tz, else this
 * machine's zone, stated); t0_realtime is the first line's time.  Lines
 * without a date (`tegrastats --interval 250 --logfile`, L4T R32) start
 * with "RAM " and are opts->interval_s apart (line k at k x interval,
 * stated; t0_realtime unknown); without --interval they are an error that
 * says to give it.  Rail values without "mW" (L4T R32: "POM_5V_IN
 * 920/920") are mW, stated.  Which rail is the module's input, whose
 * sub-rails are inside it, is stated after the last line
 * (jetson_rails.c).
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
#include "wattlog/input.h"
#include "wattlog/units.h"

struct ctx {
	const char *path;
	struct wl_dataset *ds;
	size_t line;
	double t;
	double interval;  /* --interval, s; 0 = none */
	int dated;        /* -1 unknown yet, 0 lines without dates, 1 with */
	size_t nlines;    /* tegrastats lines read */
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

/* A line without a date: at nlines x interval. */
static int undated(struct ctx *c, struct wl_error *err)
{
	if (c->dated == 1)
		return wl_error_set(err, "'%s' line %zu: a line without a date among dated lines",
				    c->path, c->line);
	if (!(c->interval > 0))
		return wl_error_set(err, "'%s' line %zu: tegrastats lines without a date: give the "
				    "interval they were written at with --interval DUR (tegrastats "
				    "--interval 250 is --interval 250ms)", c->path, c->line);
	if (c->dated < 0 &&
	    wl_assume(&c->ds->assume, WL_ASSUME_TIME, "'%s': lines carry no date: line k read at "
		      "k x %g s (--interval), as if tegrastats never drifted; wall-clock time "
		      "unknown", c->path, c->interval))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	c->dated = 0;
	c->t = (double)c->nlines * c->interval;
	return 0;
}

/* After the last line: which rail is the module input (jetson_rails.c). */
static int rails(struct ctx *c, struct wl_error *err)
{
	const char *name[64], *input, *module;
	char list[512] = "";
	size_t i, n = 0, len = 0;
	int rc;

	for (i = 0; i < c->ds->nch && n < 64; i++) {
		const struct wl_channel *ch = &c->ds->ch[i];

		if (!strcmp(ch->source, "tegrastats") && *ch->component) {
			name[n++] = ch->name;
			if (len < sizeof(list) - 1)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
							len ? ", " : "", ch->name);
		}
	}
	if (!n)
		return 0;
	module = wl_jetson_module(name, n, &input);
	if (input)
		rc = wl_assume(&c->ds->assume, WL_ASSUME_RAIL, "'%s': %s is the module input "
			       "of %s (NVIDIA Jetson Linux developer guide): the total is %s "
			       "alone, the other rails (%s) are parts of it", c->path, input,
			       module, input, list);
	else if (module)
		rc = wl_assume(&c->ds->assume, WL_ASSUME_RAIL, "'%s': %s has no module-input "
			       "rail: the total is the sum of the rails %s", c->path, module, list);
	else
		rc = wl_assume(&c->ds->assume, WL_ASSUME_RAIL, "'%s': no known Jetson module-input "
			       "rail: the total is the sum of the rails %s", c->path, list);
	return rc ? wl_error_set(err, "out of memory reading '%s'", c->path) : 0;
}

static int line(struct ctx *c, char *s, struct wl_tzconv *tz, int *first, double *t0,
		struct wl_error *err)
{
	char *tok[256], *save = NULL, *at, *p;
	size_t n = 0, i, len;
	double epoch;

	if (wl_time_parse_mdy(s, tz, &epoch, &len) || (s[len] && s[len] != ' ')) {
		if (strncmp(s, "RAM ", 4))
			return wl_error_set(err, "'%s' line %zu: no tegrastats line (expected "
					    "'MM-DD-YYYY HH:MM:SS ...' or 'RAM ...')", c->path, c->line);
		if (undated(c, err))
			return -1;
		len = 0;
	} else if (c->dated == 0) {
		return wl_error_set(err, "'%s' line %zu: a dated line among lines without dates",
				    c->path, c->line);
	} else if ((c->dated = 1) && *first) {
		char zone[200];

		*first = 0;
		*t0 = epoch;
		c->ds->t0_realtime = epoch;
		if (wl_assume(&c->ds->assume, WL_ASSUME_ZONE, "'%s': tegrastats writes its dates "
			      "without a zone: read in %s", c->path,
			      wl_tzconv_describe(tz, zone, sizeof(zone))))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		c->t = 0;
	} else if (epoch - *t0 < c->t) {
		return wl_error_set(err, "'%s' line %zu: time goes backwards", c->path, c->line);
	} else if (!wl_time_in_span(epoch - *t0)) {
		return wl_error_set(err, "'%s' line %zu: time lies more than 1e10 s (317 years) "
				    "from the first line's", c->path, c->line);
	} else {
		c->t = epoch - *t0;
	}
	c->nlines++;
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
	struct ctx c = { .path = path, .ds = ds, .dated = -1 };
	struct wl_tzconv tz;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = 0;
	int first = 1, rc = 0;
	double t0 = 0;
	FILE *f;

	if (wl_tzconv_init(&tz, o ? o->tz : NULL, err))
		return -1;
	c.interval = o ? o->interval_s : 0;
	f = wl_input_fopen(path, err);
	if (!f) {
		wl_tzconv_release(&tz);
		return -1;
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
	if (!rc && !c.nlines)
		rc = wl_error_set(err, "'%s' line 1: empty file, no tegrastats line", path);
	if (!rc)
		rc = rails(&c, err);
	free(buf);
	fclose(f);
	wl_tzconv_release(&tz);
	return rc;
}

/* A first line "MM-DD-YYYY HH:MM:SS " followed by "RAM " or a rail
 * "NAME NmW/NmW"; or, without a date, "RAM " with " CPU [" or " SWAP ". */
static int sniff(const char *head, size_t n, const char *line1)
{
	struct wl_tzconv tz;
	double t;
	size_t len;

	(void)head;
	(void)n;
	if (!strncmp(line1, "RAM ", 4)) /* no date: tegrastats --logfile on L4T R32 */
		return strstr(line1, " CPU [") || strstr(line1, " SWAP ");
	wl_tzconv_init(&tz, "UTC", NULL); /* a fixed offset: cannot fail */
	if (wl_time_parse_mdy(line1, &tz, &t, &len) || line1[len] != ' ')
		return 0;
	return !strncmp(line1 + len + 1, "RAM ", 4) || strstr(line1, "mW/");
}

const struct wl_format wl_format_tegrastats = {
	.name = "tegrastats",
	.binary = 0,
	.sniff = sniff,
	.read = wl_ingest_tegrastats,
	.help =
		"Jetson `tegrastats` logs: rails (the module input per Jetson module), "
		"GR3D_FREQ, temperatures, RAM, per-core load; lines without a date with "
		"`--interval`",
};
