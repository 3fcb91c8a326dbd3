/*
 * ingest_generic.c - any CSV with a time column and numeric columns.
 *
 * Time column: the first header named (case-insensitive, "[unit]" aside)
 * time, timestamp, t, ts, time_s, datetime, date_time, epoch, elapsed or
 * seconds.  Its first value decides how all rows are read:
 *   "YYYY-MM-DD[ T]HH:MM:SS[.f][zone]" wall clock (no zone: opts->tz, else
 *       this machine's zone); t0_realtime = the first row
 *   a number with a header unit ("time [ms]"): seconds from start, scaled
 *   a number >= 1e8 (after 1973): epoch seconds; >= 1e11: epoch ms
 *   a smaller number: seconds from start (t0_realtime unknown, NaN)
 * t = time - first time.  Time going backwards is an error.
 *
 * Other columns: numeric from their first number (unit from "[unit]" in
 * the header, else from the cells, "12.5 W"); a column whose first value is
 * text is skipped with a warning.  Columns named in opts->counters are
 * WL_DS_COUNTER channels with the declared unit and wrap.
 *
 * Component (what the energy stage sums): a column in W/mW/kW/uW, or a
 * declared energy counter, measures the component its name says: "gpuN"
 * when the name holds gpu followed by digits, "cpu" when it holds cpu,
 * package or pkg, "dram" when it holds dram; otherwise the column name
 * itself (its own component, never merged with another).  Other columns
 * (%, MHz, undeclared J) have none.  Device is "" and source "csv".
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wattlog/csvread.h"
#include "wattlog/ingest.h"
#include "wattlog/units.h"

enum tmode { T_UNSET, T_WALL, T_EPOCH, T_REL };

struct col {
	char hdr[128], name[128], unit[32];
	char lastu[64]; /* unit word of the last accepted cell, as written */
	size_t lastulen;
	int numeric, text, counter;
	double wrap;
	long ch;
};

struct ctx {
	const char *path;
	const struct wl_ingest_opts *o;
	struct wl_dataset *ds;
	struct wl_tzconv tz;
	struct col *cols;
	size_t ncols;
	long tcol;
	double tscale; /* header unit of the time column, 0 = none */
	int texp;      /* tscale = 10^texp (s, ms, us, ns), else 1 */
	enum tmode mode;
	double first, last;
	/* the first time exactly (when `exact`): t = time - first in integer
	 * ns, converted once (wl_walltime_diff) */
	struct wl_walltime wfirst;
	int exact;
	size_t rows;
};

/* A time value: its double, and the exact instant when the text gave one. */
struct tval {
	double d;
	struct wl_walltime w;
	int exact;
};

static int time_name(const char *n)
{
	static const char *const names[] = {
		"time", "timestamp", "t", "ts", "time_s", "datetime", "date_time",
		"epoch", "elapsed", "seconds",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(n, names[i]))
			return 1;
	return 0;
}

/* The component a power or energy column measures (see the top comment). */
static void component_of(const char *name, char *out, size_t sz)
{
	char low[128];
	const char *g;
	size_t i;

	for (i = 0; name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = 0;
	g = strstr(low, "gpu");
	if (g && isdigit((unsigned char)g[3]))
		snprintf(out, sz, "gpu%ld", strtol(g + 3, NULL, 10));
	else if (strstr(low, "cpu") || strstr(low, "package") || strstr(low, "pkg"))
		snprintf(out, sz, "cpu");
	else if (strstr(low, "dram"))
		snprintf(out, sz, "dram");
	else
		snprintf(out, sz, "%s", name);
}

static int header(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	size_t i, k;
	char tu[32] = "";

	c->cols = calloc(r->nf ? r->nf : 1, sizeof(*c->cols));
	if (!c->cols)
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	c->ncols = r->nf;
	c->tcol = -1;
	for (i = 0; i < r->nf; i++) {
		struct col *col = &c->cols[i];

		snprintf(col->hdr, sizeof(col->hdr), "%s", r->f[i]);
		wl_unit_split_header(r->f[i], col->name, sizeof(col->name), col->unit,
				     sizeof(col->unit));
		col->ch = -1;
		if (c->tcol < 0 && time_name(col->name)) {
			c->tcol = (long)i;
			snprintf(tu, sizeof(tu), "%s", col->unit);
		}
	}
	if (c->tcol < 0)
		return wl_error_set(err, "'%s' line %zu: no time column (time, timestamp, t, ts, ...)",
				    c->path, r->line);
	if (tu[0] && !(c->tscale = wl_unit_time_scale(tu)))
		return wl_error_set(err, "'%s' line %zu: unit '%s' of column '%s' is no time unit",
				    c->path, r->line, tu, c->cols[c->tcol].hdr);
	c->texp = !tu[0] || !strcmp(tu, "s") ? 0 : !strcmp(tu, "ms") ? -3
		: !strcmp(tu, "us") ? -6 : !strcmp(tu, "ns") ? -9 : 1;
	for (k = 0; k < (c->o ? c->o->ncounters : 0); k++) {
		const struct wl_counter_decl *d = &c->o->counters[k];

		for (i = 0; i < c->ncols; i++) {
			struct col *col = &c->cols[i];

			if (strcmp(col->hdr, d->column) && strcmp(col->name, d->column))
				continue;
			col->counter = 1;
			col->wrap = d->wrap;
			snprintf(col->unit, sizeof(col->unit), "%s", wl_unit_canon(d->unit));
			break;
		}
		if (i == c->ncols)
			return wl_error_set(err, "'%s' line %zu: no column '%s' for --counter",
					    c->path, r->line, d->column);
	}
	return 0;
}

static void assume_zone(struct ctx *c)
{
	char zone[200];

	wl_assume(&c->ds->assume, WL_ASSUME_ZONE, "'%s': times in column '%s' carry no zone: "
		  "read in %s", c->path, c->cols[c->tcol].hdr,
		  wl_tzconv_describe(&c->tz, zone, sizeof(zone)));
}

static void assume_time(struct ctx *c, const char *how)
{
	wl_assume(&c->ds->assume, WL_ASSUME_TIME, "'%s': column '%s' read as %s", c->path,
		  c->cols[c->tcol].hdr, how);
}

static int parse_time(struct ctx *c, const char *s, struct tval *t)
{
	long long ns;
	char unit[32];
	double v;

	if (c->mode == T_UNSET || c->mode == T_WALL) {
		int zone;

		if (!wl_time_parse_iso_exact(s, &c->tz, &t->w, &zone)) {
			if (c->mode == T_UNSET && !zone)
				assume_zone(c);
			c->mode = T_WALL;
			t->exact = 1;
			t->d = (double)t->w.s + t->w.ns * 1e-9;
			return 0;
		}
		if (c->mode == T_WALL)
			return -1;
	}
	if (wl_unit_parse_value(s, &v, unit, sizeof(unit)) || unit[0])
		return -1;
	if (c->mode == T_UNSET) {
		if (c->tscale)
			c->mode = T_REL;
		else if (v >= 1e11) {
			c->mode = T_EPOCH;
			c->tscale = 1e-3;
			c->texp = -3;
			assume_time(c, "epoch milliseconds (its first value >= 1e11)");
		} else if (v >= 1e8) {
			c->mode = T_EPOCH;
			c->tscale = 1;
			assume_time(c, "epoch seconds (its first value >= 1e8)");
		} else {
			c->mode = T_REL;
			c->tscale = 1;
			assume_time(c, "seconds from the start (a small number, no unit)");
		}
	}
	t->d = v * c->tscale;
	t->exact = c->texp <= 0 && !wl_time_decimal_ns(s, c->texp, &ns);
	if (t->exact) { /* floor division: 0 <= ns < 1e9 */
		t->w.s = ns / 1000000000LL - (ns % 1000000000LL < 0);
		t->w.ns = (long)(ns - t->w.s * 1000000000LL);
	}
	return 0;
}

static int store(struct ctx *c, struct col *col, double t, double v,
		 const struct wl_csv_row *r, struct wl_error *err)
{
	if (col->ch < 0) {
		char comp[128] = "";

		if (col->counter || wl_unit_power_scale(col->unit))
			component_of(col->name, comp, sizeof(comp));
		else if (wl_unit_energy_scale(col->unit))
			wl_dataset_warn(c->ds, "'%s': column '%s' in %s is read as a gauge; "
					"declare it with --counter if it is cumulative",
					c->path, col->hdr, col->unit);
		col->ch = wl_dataset_channel(c->ds, col->name, col->unit, "", "csv",
					     col->counter ? WL_DS_COUNTER : WL_DS_GAUGE, col->wrap);
		if (col->ch < 0 || wl_channel_component(&c->ds->ch[col->ch], comp))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
	}
	if (wl_channel_push(&c->ds->ch[col->ch], t, v))
		return wl_error_set(err, "out of memory reading '%s' at line %zu", c->path, r->line);
	return 0;
}

static int cell(struct ctx *c, struct col *col, const char *s, double t,
		const struct wl_csv_row *r, struct wl_error *err)
{
	char unit[32], word[64];
	const char *u;
	size_t ulen;
	double v;

	if (col->text)
		return 0;
	if (wl_unit_scan(s, &v, &u, &ulen)) {
		if (wl_unit_is_absent(s))
			return 0;
		if (!col->numeric && !col->unit[0] && !col->counter) {
			col->text = 1;
			return wl_dataset_warn(c->ds, "'%s': column '%s' is not numeric ('%s' at line %zu): skipped",
					       c->path, col->hdr, s, r->line) ? -1 : 0;
		}
		return wl_error_set(err, "'%s' line %zu: bad number '%s' in column '%s'", c->path,
				    r->line, s, col->hdr);
	}
	/* the same unit word as the last accepted cell passes the same checks */
	if (col->numeric && ulen == col->lastulen && !memcmp(u, col->lastu, ulen))
		return store(c, col, t, v, r, err);
	memcpy(word, u, ulen);
	word[ulen] = 0;
	snprintf(unit, sizeof(unit), "%s", wl_unit_canon(word));
	if (!col->numeric && !col->unit[0])
		snprintf(col->unit, sizeof(col->unit), "%s", unit);
	else if (unit[0] && strcmp(unit, col->unit))
		return wl_error_set(err, "'%s' line %zu: unit '%s' of '%s' differs from '%s' in column '%s'",
				    c->path, r->line, unit, s, col->unit, col->hdr);
	col->numeric = 1;
	memcpy(col->lastu, word, ulen + 1);
	col->lastulen = ulen;
	return store(c, col, t, v, r, err);
}

static int row(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct ctx *c = user;
	struct tval tv;
	double t;
	size_t i;

	if (!c->cols)
		return header(c, r, err);
	if (r->nf != c->ncols)
		return wl_error_set(err, "'%s' line %zu: %zu fields where the header has %zu",
				    c->path, r->line, r->nf, c->ncols);
	if (parse_time(c, r->f[c->tcol], &tv))
		return wl_error_set(err, "'%s' line %zu: bad time '%s' in column '%s'", c->path,
				    r->line, r->f[c->tcol], c->cols[c->tcol].hdr);
	if (!c->rows++) {
		c->first = tv.d;
		c->wfirst = tv.w;
		c->exact = tv.exact;
		c->last = 0;
		if (c->mode != T_REL)
			c->ds->t0_realtime = tv.d;
	}
	t = c->exact && tv.exact ? wl_walltime_diff(&c->wfirst, &tv.w) : tv.d - c->first;
	if (t < c->last)
		return wl_error_set(err, "'%s' line %zu: time '%s' goes backwards in column '%s'",
				    c->path, r->line, r->f[c->tcol], c->cols[c->tcol].hdr);
	c->last = t;
	for (i = 0; i < c->ncols; i++)
		if ((long)i != c->tcol && cell(c, &c->cols[i], r->f[i], t, r, err))
			return -1;
	return 0;
}

int wl_ingest_generic(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err)
{
	struct ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.o = o;
	c.ds = ds;
	if (wl_tzconv_init(&c.tz, o ? o->tz : NULL, err))
		return -1;
	rc = wl_csv_read(path, NULL, row, &c, err);
	if (!rc && !c.cols)
		rc = wl_error_set(err, "'%s' line 1: empty file, no header", path);
	else if (!rc && !c.rows)
		rc = wl_error_set(err, "'%s' line 2: no data rows after the header", path);
	free(c.cols);
	wl_tzconv_release(&c.tz);
	return rc;
}
