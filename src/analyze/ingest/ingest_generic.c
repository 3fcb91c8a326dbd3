/*
 * ingest_generic.c - any CSV with a time column and numeric columns.
 *
 * Time column: the first header whose name (its unit aside, see below) is
 * time, timestamp, t, ts, time_s, datetime, date_time, epoch, unix_time,
 * elapsed or seconds ("Timestamp (ns)", "time_ms" included).
 * Its first value decides how all rows are read:
 *   "YYYY-MM-DD[ T]HH:MM:SS[.f][zone]" wall clock (no zone: opts->tz, else
 *       this machine's zone, stated as an assumption); t0_realtime = row 1
 *   a number in a known unit (--time-unit, else the column's name: "[ms]",
 *       "(ns)", "_us"): epoch when it is >= 1e8 s (after 1973), else time
 *       from the start
 *   a number without a unit: < 1e8 seconds from the start; else epoch in
 *       whichever of s, ms, us, ns puts it between 1990 and 2100 (stated)
 * An epoch outside 1990-2100 is an error naming the column.  t = time -
 * first time (exact in integer ns where the text allows).  Time going
 * backwards is an error, and so is a time more than WL_SPAN_MAX_S from the
 * first (dataset.h: -1e308 then 1e308 overflowed to inf).
 *
 * Units: --unit COLUMN=UNIT (COLUMN a glob) first, then the name: "[W]"
 * (stated), "(W)" or a suffix "_W", "_watts", "_mW", "_uj" (assumed, and
 * said so), then the cells ("12.5 W").  Decimal units stay decimal (MB is
 * 10^6 B).  Columns named in opts->counters are WL_DS_COUNTER channels with
 * the declared unit and wrap.  A column whose first value is text is
 * skipped with a warning.  A file with no power or energy column but with
 * numeric columns of no unit is an error naming them and --unit.
 *
 * Devices in rows: a device column (opts->device_column, else the first of
 * index, gpu, gpu_index, gpu_id, device, uuid, pci.bus_id, hostname, node)
 * splits the rows into devices: numbers in index, gpu* and device columns
 * are "gpuN", uuids and PCI ids "gpuN" by first appearance, other values
 * (host names) themselves.  Without one, a time that repeats on
 * more than 1 % of the rows is an error saying to declare --device-column.
 *
 * Component (what the energy stage sums): a column in W/mW/kW/uW, or a
 * declared energy counter, measures the component its name says: "gpuN"
 * when the name holds gpu followed by digits, "cpu" when it holds cpu,
 * package or pkg, "dram" when it holds dram; otherwise the column name
 * itself.  With devices, the device ("gpu3") when the file has one power
 * column, else "DEVICE/that".  Columns matching opts->exclude, and a
 * column found to be the total of the others (ingest_totals.c), have none.
 * Other columns (%, MHz, undeclared J) have none.  Source "csv".
 */
#include <ctype.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wattlog/csvread.h"
#include "wattlog/energy_rule.h"
#include "wattlog/grow.h"
#include "wattlog/ingest.h"
#include "wattlog/units.h"

enum tmode { T_UNSET, T_WALL, T_EPOCH, T_REL };
enum dkind { D_NONE, D_GPU, D_ID, D_NAME };

/* Epochs accepted: 1990-01-01 .. 2100-01-01 UTC. */
#define EPOCH_MIN 631152000.0
#define EPOCH_MAX 4102444800.0

struct col {
	char hdr[128], name[128], base[128], unit[32];
	enum wl_unit_from from;
	char lastu[64]; /* unit word of the last accepted cell, as written */
	size_t lastulen;
	int numeric, text, counter, excluded;
	double wrap;
	long *ch;       /* channel per device, -1 = none yet */
	size_t nch;
};

struct ctx {
	const char *path;
	const struct wl_ingest_opts *o;
	struct wl_dataset *ds;
	struct wl_tzconv tz;
	struct col *cols;
	size_t ncols;
	long tcol, dcol;
	enum dkind dkind;
	struct dev {
		char *name; /* "gpu3", "node-a", "" without a device column */
		char *key;  /* the cell it came from */
	} *dev;        /* in order of first appearance */
	size_t ndev, capdev;
	double tscale; /* unit of a numeric time column in s, 0 = none */
	int texp;      /* tscale = 10^texp (s, ms, us, ns), else 1 */
	enum wl_unit_from tfrom;
	enum tmode mode;
	double first, last;
	/* the first time exactly (when `exact`): t = time - first in integer
	 * ns, converted once (wl_walltime_diff) */
	struct wl_walltime wfirst;
	int exact;
	size_t rows, repeats, repeat_line;
	size_t first_ch; /* the dataset's channels from here on are this file's */
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
		"time", "timestamp", "t", "ts", "time_s", "datetime", "date_time", "epoch",
		"unix_time", "unixtime", "elapsed", "seconds",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(n, names[i]))
			return 1;
	return 0;
}

static enum dkind device_name(const char *n)
{
	static const struct {
		const char *name;
		enum dkind kind;
	} names[] = {
		{ "index", D_GPU },   { "gpu", D_GPU },     { "gpu_index", D_GPU },
		{ "gpu_id", D_GPU },  { "device", D_GPU },  { "uuid", D_ID },
		{ "pci.bus_id", D_ID }, { "hostname", D_NAME }, { "node", D_NAME },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(n, names[i].name))
			return names[i].kind;
	return D_NONE;
}

static int matches(const char *glob, const struct col *col)
{
	return !fnmatch(glob, col->hdr, 0) || !fnmatch(glob, col->name, 0);
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

static const char *from_word(enum wl_unit_from f)
{
	return f == WL_UNIT_PARENS ? "parenthesis" : "suffix";
}

/* The unit of column col: --unit, else its name (assumed unless in
 * brackets).  0 or -1 (out of memory). */
static int unit_of(struct ctx *c, struct col *col)
{
	size_t k;

	if (col->counter)
		return 0; /* --counter declared it */
	for (k = 0; c->o && k < c->o->nunits; k++) {
		if (!matches(c->o->units[k].column, col))
			continue;
		snprintf(col->unit, sizeof(col->unit), "%s", wl_unit_canon(c->o->units[k].unit));
		col->from = WL_UNIT_DECLARED;
		return 0;
	}
	if (col->from == WL_UNIT_PARENS || col->from == WL_UNIT_SUFFIX)
		return wl_assume(&c->ds->assume, WL_ASSUME_UNIT, "'%s': column '%s' read in %s "
				 "(from the %s of its name)", c->path, col->hdr, col->unit,
				 from_word(col->from));
	return 0;
}

static int time_column(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	const char *tu = c->o && c->o->time_unit ? c->o->time_unit : c->cols[c->tcol].unit;
	struct col *col = &c->cols[c->tcol];

	c->tfrom = c->o && c->o->time_unit ? WL_UNIT_DECLARED : col->from;
	if (tu[0] && !(c->tscale = wl_unit_time_scale(tu)))
		return wl_error_set(err, "'%s' line %zu: unit '%s' of column '%s' is no time unit",
				    c->path, r->line, tu, col->hdr);
	c->texp = !tu[0] || !strcmp(tu, "s") ? 0 : !strcmp(tu, "ms") ? -3
		: !strcmp(tu, "us") ? -6 : !strcmp(tu, "ns") ? -9 : 1;
	return 0;
}

static int header(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	size_t i, k;

	c->cols = calloc(r->nf ? r->nf : 1, sizeof(*c->cols));
	if (!c->cols)
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	c->ncols = r->nf;
	c->tcol = c->dcol = -1;
	for (i = 0; i < r->nf; i++) {
		struct col *col = &c->cols[i];

		snprintf(col->hdr, sizeof(col->hdr), "%s", r->f[i]);
		col->from = wl_unit_from_name(r->f[i], col->name, sizeof(col->name), col->unit,
					      sizeof(col->unit), col->base, sizeof(col->base));
		if (c->tcol < 0 && (time_name(col->name) || time_name(col->base)))
			c->tcol = (long)i;
		else if (c->o && c->o->device_column ? matches(c->o->device_column, col)
						      : c->dcol < 0 && device_name(col->name))
			c->dcol = c->dcol < 0 ? (long)i : c->dcol;
	}
	if (c->tcol < 0)
		return wl_error_set(err, "'%s' line %zu: no time column (time, timestamp, t, ts, ...)",
				    c->path, r->line);
	if (c->o && c->o->device_column && c->dcol < 0)
		return wl_error_set(err, "'%s' line %zu: no column '%s' for --device-column",
				    c->path, r->line, c->o->device_column);
	if (c->dcol >= 0)
		c->dkind = device_name(c->cols[c->dcol].name) ? device_name(c->cols[c->dcol].name)
							       : D_NAME;
	if (time_column(c, r, err))
		return -1;
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
	for (i = 0; i < c->ncols; i++) {
		struct col *col = &c->cols[i];

		if ((long)i == c->tcol || (long)i == c->dcol)
			continue;
		if (unit_of(c, col))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		for (k = 0; c->o && k < c->o->nexclude; k++)
			col->excluded |= matches(c->o->exclude[k], col);
	}
	return 0;
}

static void assume_time(struct ctx *c, const char *how)
{
	wl_assume(&c->ds->assume, WL_ASSUME_TIME, "'%s': column '%s' read as %s", c->path,
		  c->cols[c->tcol].hdr, how);
}

/* The unit that puts epoch value v (no unit given) between 1990 and 2100:
 * its exponent (0, -3, -6, -9), or 1 when none does. */
static int epoch_exp(double v)
{
	static const int e[] = { 0, -3, -6, -9 };
	size_t i;

	for (i = 0; i < 4; i++) {
		double s = v * pow(10, e[i]);

		if (s >= EPOCH_MIN && s < EPOCH_MAX)
			return e[i];
	}
	return 1;
}

static int decide(struct ctx *c, double v, const struct wl_csv_row *r, struct wl_error *err)
{
	static const char *const unit[] = { "s", "ms", "us", "ns" };
	char how[160];

	if (c->tscale) {
		c->mode = v * c->tscale >= 1e8 ? T_EPOCH : T_REL;
		if (c->tfrom == WL_UNIT_PARENS || c->tfrom == WL_UNIT_SUFFIX)
			snprintf(how, sizeof(how), "%s in %s (from the %s of its name)",
				 c->mode == T_EPOCH ? "epoch time" : "time from the start",
				 c->cols[c->tcol].unit, from_word(c->tfrom));
		else
			how[0] = 0;
		if (how[0])
			assume_time(c, how);
		return 0;
	}
	if (v < 1e8) {
		c->mode = T_REL;
		c->tscale = 1;
		assume_time(c, "seconds from the start (numbers below 1e8 without a unit; "
			       "--time-unit declares another)");
		return 0;
	}
	c->texp = epoch_exp(v);
	if (c->texp > 0)
		return wl_error_set(err, "'%s' line %zu: time '%s' in column '%s' is no epoch "
				    "between 1990 and 2100 in s, ms, us or ns: declare its unit "
				    "with --time-unit", c->path, r->line, r->f[c->tcol],
				    c->cols[c->tcol].hdr);
	c->mode = T_EPOCH;
	c->tscale = pow(10, c->texp);
	snprintf(how, sizeof(how), "epoch %s (by magnitude: the only unit that puts '%s' "
		 "between 1990 and 2100; --time-unit declares another)", unit[-c->texp / 3],
		 r->f[c->tcol]);
	assume_time(c, how);
	return 0;
}

static int parse_time(struct ctx *c, const char *s, struct tval *t, const struct wl_csv_row *r,
		      struct wl_error *err)
{
	long long ns;
	char unit[32];
	double v;

	if (c->mode == T_UNSET || c->mode == T_WALL) {
		int zone;

		if (!wl_time_parse_iso_exact(s, &c->tz, &t->w, &zone)) {
			if (c->mode == T_UNSET && !zone) {
				char zn[200];

				wl_assume(&c->ds->assume, WL_ASSUME_ZONE, "'%s': times in column "
					  "'%s' carry no zone: read in %s", c->path,
					  c->cols[c->tcol].hdr,
					  wl_tzconv_describe(&c->tz, zn, sizeof(zn)));
			}
			c->mode = T_WALL;
			t->exact = 1;
			t->d = (double)t->w.s + t->w.ns * 1e-9;
			return 0;
		}
		if (c->mode == T_WALL)
			goto bad;
	}
	if (wl_unit_parse_value(s, &v, unit, sizeof(unit)) || unit[0])
		goto bad;
	if (c->mode == T_UNSET && decide(c, v, r, err))
		return -1;
	t->d = v * c->tscale;
	if (c->mode == T_EPOCH && !(t->d >= EPOCH_MIN && t->d < EPOCH_MAX))
		return wl_error_set(err, "'%s' line %zu: time '%s' in column '%s' is outside "
				    "1990-2100 as epoch %s: declare its unit with --time-unit",
				    c->path, r->line, s, c->cols[c->tcol].hdr,
				    c->texp == 0 ? "s" : c->texp == -3 ? "ms" : c->texp == -6 ? "us"
				    : c->texp == -9 ? "ns" : c->cols[c->tcol].unit);
	t->exact = c->texp <= 0 && !wl_time_decimal_ns(s, c->texp, &ns);
	if (t->exact) { /* floor division: 0 <= ns < 1e9 */
		t->w.s = ns / 1000000000LL - (ns % 1000000000LL < 0);
		t->w.ns = (long)(ns - t->w.s * 1000000000LL);
	}
	return 0;
bad:
	return wl_error_set(err, "'%s' line %zu: bad time '%s' in column '%s'", c->path, r->line,
			    s, c->cols[c->tcol].hdr);
}

/* The device index of a row (0 without a device column).  -1 on error. */
static long device_of(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	const char *s = c->dcol >= 0 ? r->f[c->dcol] : "";
	char name[128], *end;
	size_t i;
	long k;

	for (i = 0; i < c->ndev; i++)
		if (!strcmp(c->dev[i].key, s))
			return (long)i;
	if (c->dcol >= 0 && !*s)
		return wl_error_set(err, "'%s' line %zu: no device in column '%s'", c->path,
				    r->line, c->cols[c->dcol].hdr);
	k = strtol(s, &end, 10);
	if (c->dcol < 0)
		name[0] = 0;
	else if (c->dkind == D_ID)
		snprintf(name, sizeof(name), "gpu%zu", c->ndev);
	else if (c->dkind == D_GPU && !*end && end != s && k >= 0)
		snprintf(name, sizeof(name), "gpu%ld", k);
	else
		snprintf(name, sizeof(name), "%s", s);
	if (wl_grow((void **)&c->dev, &c->capdev, c->ndev + 1, sizeof(*c->dev)))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	c->dev[c->ndev].name = strdup(name);
	c->dev[c->ndev].key = strdup(s);
	if (!c->dev[c->ndev].name || !c->dev[c->ndev].key) {
		free(c->dev[c->ndev].name);
		free(c->dev[c->ndev].key);
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	}
	return (long)c->ndev++;
}

static size_t power_columns(const struct ctx *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->ncols; i++)
		n += (long)i != c->tcol && (long)i != c->dcol && !c->cols[i].excluded &&
		     (c->cols[i].counter || wl_unit_power_scale(c->cols[i].unit));
	return n;
}

/* Two columns of one name (their units aside) would be one channel, read
 * twice at each instant as one series: refused, naming both. */
static int shared(const struct ctx *c, const struct col *col, long dev, long ch,
		  const struct wl_csv_row *r, struct wl_error *err)
{
	size_t j;

	for (j = 0; j < c->ncols; j++) {
		const struct col *o = &c->cols[j];

		if (o != col && (size_t)dev < o->nch && o->ch[dev] == ch)
			return wl_error_set(err, "'%s' line %zu: columns %zu '%s' and %zu '%s' "
					    "are one metric '%s': rename or drop one", c->path,
					    r->line, j + 1, o->hdr, (size_t)(col - c->cols) + 1,
					    col->hdr, col->name);
	}
	return 0;
}

static int store(struct ctx *c, struct col *col, long dev, double t, double v,
		 const struct wl_csv_row *r, struct wl_error *err)
{
	if ((size_t)dev >= col->nch) {
		long *n = realloc(col->ch, (size_t)(dev + 1) * sizeof(*n));

		if (!n)
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		while (col->nch <= (size_t)dev)
			n[col->nch++] = -1;
		col->ch = n;
	}
	if (col->ch[dev] < 0) {
		char comp[128] = "", full[300];
		const char *d = c->dev[dev].name;
		long i;

		if (col->excluded)
			comp[0] = 0;
		else if (col->counter || wl_unit_power_scale(col->unit))
			component_of(col->name, comp, sizeof(comp));
		else if (wl_unit_energy_scale(col->unit))
			wl_dataset_warn(c->ds, "'%s': column '%s' in %s is read as a gauge; "
					"declare it with --counter if it is cumulative",
					c->path, col->hdr, col->unit);
		if (*d && comp[0] && power_columns(c) == 1)
			snprintf(full, sizeof(full), "%s", d);
		else if (*d && comp[0])
			snprintf(full, sizeof(full), "%s/%s", d, comp);
		else
			snprintf(full, sizeof(full), "%s", comp);
		i = wl_dataset_channel(c->ds, col->name, col->unit, d, "csv",
				       col->counter ? WL_DS_COUNTER : WL_DS_GAUGE, col->wrap);
		if (i >= 0 && comp[0] && !col->counter && wl_power_name_instant(col->name)) {
			/* a guess from the name: stated */
			c->ds->ch[i].instant = 1;
			if (wl_assume(&c->ds->assume, WL_ASSUME_CHANNEL, "'%s': column '%s' "
				      "read as instantaneous power (its name), preferred to "
				      "an averaged power of its component", c->path, col->hdr))
				return wl_error_set(err, "out of memory reading '%s'", c->path);
		}
		/* "node-a/rail1": the device's own components, the device their node */
		if (i < 0 || wl_channel_component(&c->ds->ch[i], full) ||
		    wl_channel_node(&c->ds->ch[i], *d && comp[0] && strcmp(full, d) ? d : ""))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		if (shared(c, col, dev, i, r, err))
			return -1;
		col->ch[dev] = i;
	}
	if (wl_channel_push(&c->ds->ch[col->ch[dev]], t, v))
		return wl_error_set(err, "out of memory reading '%s' at line %zu", c->path, r->line);
	return 0;
}

static int cell(struct ctx *c, struct col *col, long dev, const char *s, double t,
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
		return store(c, col, dev, t, v, r, err);
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
	return store(c, col, dev, t, v, r, err);
}

static int row(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct ctx *c = user;
	struct tval tv = {0}; /* parse_time() sets it whenever it returns 0 */
	double t;
	long dev;
	size_t i;

	if (!c->cols)
		return header(c, r, err);
	if (r->nf != c->ncols)
		return wl_error_set(err, "'%s' line %zu: %zu fields where the header has %zu",
				    c->path, r->line, r->nf, c->ncols);
	memset(&tv, 0, sizeof(tv));
	if (parse_time(c, r->f[c->tcol], &tv, r, err))
		return -1;
	if (!c->rows++) {
		c->first = tv.d;
		c->wfirst = tv.w;
		c->exact = tv.exact;
		c->last = 0;
		if (c->mode != T_REL)
			c->ds->t0_realtime = tv.d;
	}
	t = c->exact && tv.exact ? wl_walltime_diff(&c->wfirst, &tv.w) : tv.d - c->first;
	if (!wl_time_in_span(t))
		return wl_error_set(err, "'%s' line %zu: time '%s' lies more than 1e10 s (317 "
				    "years) from the first row's in column '%s'", c->path, r->line,
				    r->f[c->tcol], c->cols[c->tcol].hdr);
	if (t < c->last)
		return wl_error_set(err, "'%s' line %zu: time '%s' goes backwards in column '%s'",
				    c->path, r->line, r->f[c->tcol], c->cols[c->tcol].hdr);
	if (c->rows > 1 && t == c->last && !c->repeats++)
		c->repeat_line = r->line;
	c->last = t;
	dev = device_of(c, r, err);
	if (dev < 0)
		return -1;
	for (i = 0; i < c->ncols; i++)
		if ((long)i != c->tcol && (long)i != c->dcol &&
		    cell(c, &c->cols[i], dev, r->f[i], t, r, err))
			return -1;
	return 0;
}

/* After the last row: the checks that need the whole file. */
static int finish(struct ctx *c, struct wl_error *err)
{
	char names[256] = "";
	size_t i, have_energy = 0, len = 0;

	if (c->dcol < 0 && c->repeats && c->repeats * 100 > c->rows)
		return wl_error_set(err, "'%s' line %zu: times repeat on %zu of %zu rows: rows of "
				    "several devices? declare the column that names the device "
				    "with --device-column NAME", c->path, c->repeat_line,
				    c->repeats, c->rows);
	if (c->dcol >= 0 && wl_assume(&c->ds->assume, WL_ASSUME_DEVICE, "'%s': rows split into "
				      "%zu devices by column '%s' (%s%s%s)", c->path, c->ndev,
				      c->cols[c->dcol].hdr, c->dev[0].name, c->ndev > 1 ? " .. " : "",
				      c->ndev > 1 ? c->dev[c->ndev - 1].name : ""))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	for (i = c->first_ch; i < c->ds->nch; i++)
		have_energy |= c->ds->ch[i].kind == WL_DS_COUNTER ||
			       wl_unit_power_scale(c->ds->ch[i].unit) ||
			       wl_unit_energy_scale(c->ds->ch[i].unit);
	for (i = 0; i < c->ncols; i++) {
		const struct col *col = &c->cols[i];

		if ((long)i == c->tcol || (long)i == c->dcol || !col->numeric || col->unit[0])
			continue;
		if (len < sizeof(names) - 1)
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s'%s'",
						len ? ", " : "", col->hdr);
	}
	if (!have_energy && len)
		return wl_error_set(err, "'%s': no column says it holds power or energy (%s have no "
				    "unit): declare one with --unit 'COLUMN=W'", c->path, names);
	if (len && wl_assume(&c->ds->assume, WL_ASSUME_UNIT, "'%s': %s without a unit read as "
			     "unitless values, not power (--unit declares one)", c->path, names))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	return wl_ingest_totals(c->ds, c->first_ch, c->path, err);
}

int wl_ingest_generic(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err)
{
	struct ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.o = o;
	c.ds = ds;
	c.first_ch = ds->nch;
	if (wl_tzconv_init(&c.tz, o ? o->tz : NULL, err))
		return -1;
	rc = wl_csv_read(path, NULL, row, &c, err);
	if (!rc && !c.cols) {
		wl_error_set(err, "'%s' line 1: empty file, no header", path);
		rc = -1; /* finish() needs the columns */
	} else if (!rc && !c.rows)
		rc = wl_error_set(err, "'%s' line 2: no data rows after the header", path);
	if (!rc)
		rc = finish(&c, err);
	for (i = 0; c.cols && i < c.ncols; i++) /* ncols is set once cols is */
		free(c.cols[i].ch);
	for (i = 0; i < c.ndev; i++) {
		free(c.dev[i].name);
		free(c.dev[i].key);
	}
	free(c.dev);
	free(c.cols);
	wl_tzconv_release(&c.tz);
	return rc;
}

/* Any other header of two or more comma-separated names. */
static int sniff(const char *head, size_t n, const char *line1)
{
	(void)head;
	(void)n;
	return strchr(line1, ',') && isprint((unsigned char)line1[0]);
}

const struct wl_format wl_format_generic = {
	.name = "csv",
	.aliases = "generic",
	.binary = 0,
	.sniff = sniff,
	.read = wl_ingest_generic,
	.help =
		"any CSV with a time column (ISO 8601, epoch s/ms/µs/ns or time from start) and "
		"numeric columns, units in the header (`[W]`, `(W)`, `_watts`), the cells or "
		"`--unit`; devices in rows split by a device column; a total column kept out of "
		"the sum; `--counter 'energy_uj:uJ:wrap=262143328850'` declares a cumulative "
		"counter",
};
