/*
 * ingest_gpucsv.c - the reader shared by AIMeter's CSV and nvidia-smi's
 * --query-gpu CSV: one row per GPU per sample, a wall-clock `timestamp`,
 * the GPU in `index` (else uuid / pci.bus_id), columns in any order, units
 * in the header ("power.draw [W]") and/or in the cells ("77.56 W").
 *
 * A column is numeric from its first number on; a column that starts with
 * text and has no unit in its header is a text column and is skipped (a
 * number in it after that is warned of, once).  A
 * cell that means "no value" ([N/A], [Not Supported], empty) is not stored.
 * With a sink (ingest.h: the streaming report) a row's kept values are
 * handed on together instead of stored.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/csvread.h"
#include "wattlog/energy_rule.h"
#include "wattlog/ingest.h"
#include "wattlog/units.h"

#define MAX_DEV 64

enum role { R_UNKNOWN, R_NUM, R_TEXT, R_TIME, R_INDEX, R_ID };

struct col {
	char hdr[128];  /* as written */
	char name[128]; /* without "[unit]" */
	char hunit[32]; /* unit from the header, "" */
	char unit[32];  /* unit of the stored values, fixed by the first number */
	enum role role;
	char lastu[64]; /* unit word of the last accepted cell, as written */
	size_t lastulen;
	int host;       /* host-wide column (AIMeter cpu_power, ...) */
	double hlast;   /* host: time of the last value kept, -inf none */
	const char *hdev, *hcomp;
	long ch[MAX_DEV]; /* channel index per GPU (host: slot 0), -1 = none */
	size_t textline;  /* text from its first cell (that line), not by name; 0 */
	char textcell[40];
	int told;         /* a number in it after that was warned of */
};

struct ctx {
	const char *path;
	const struct wl_gpucsv_cfg *cfg;
	struct wl_dataset *ds;
	struct wl_tzconv tz;
	struct col *cols;
	size_t ncols;
	long tcol, icol, idcol;
	char *ids[MAX_DEV];
	size_t nids;
	double last_t[MAX_DEV];
	int have_t0;
	struct wl_walltime t0; /* the first row's time: t = time - t0 */
	const struct wl_ingest_sink *sink; /* NULL: store in ds */
	uint32_t *rch;  /* with a sink: the row's kept samples, rn of them */
	double *rv;
	size_t rn;
};

/* Columns that hold names, not measurements. */
static int text_column(const char *name)
{
	static const char *const text[] = {
		"name", "task_name", "uuid", "pci.bus_id", "pci.bus", "driver_version",
		"serial", "vbios_version", "pstate", "compute_mode", "gpu_name",
		"gpu_bus_id", "gpu_serial", "gpu_uuid", "inforom.img",
	};
	size_t i;

	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (!strcmp(name, text[i]))
			return 1;
	return 0;
}

static int is_power(const char *name)
{
	return !strcmp(name, "power.draw") || !strcmp(name, "power.draw.instant") ||
	       !strcmp(name, "power.draw.average");
}

/* States that unit u as written (MB, GB/s) is read as binary. */
static int binary(struct ctx *c, const struct col *col, const char *u)
{
	return wl_assume(&c->ds->assume, WL_ASSUME_UNIT, "'%s': '%s' in column '%s' read as %s "
			 "(binary, as nvidia-smi writes it)", c->path, u, col->hdr,
			 wl_unit_canon_binary(u));
}

static int header(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	char unit[32];
	size_t i, k;

	c->cols = calloc(r->nf ? r->nf : 1, sizeof(*c->cols));
	c->rch = malloc((r->nf ? r->nf : 1) * sizeof(*c->rch));
	c->rv = malloc((r->nf ? r->nf : 1) * sizeof(*c->rv));
	if (!c->cols || !c->rch || !c->rv)
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	c->ncols = r->nf;
	c->tcol = c->icol = c->idcol = -1;
	for (i = 0; i < r->nf; i++) {
		struct col *col = &c->cols[i];

		snprintf(col->hdr, sizeof(col->hdr), "%s", r->f[i]);
		wl_unit_split_header(r->f[i], col->name, sizeof(col->name), unit, sizeof(unit));
		/* nvidia-smi's "MiB" is written "MB" by AIMeter */
		snprintf(col->hunit, sizeof(col->hunit), "%s", wl_unit_canon_binary(unit));
		if (strcmp(col->hunit, wl_unit_canon(unit)) && binary(c, col, unit))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		for (k = 0; k < MAX_DEV; k++)
			col->ch[k] = -1;
		col->hlast = -INFINITY;
		if (!strcmp(col->name, "timestamp") && c->tcol < 0) {
			col->role = R_TIME;
			c->tcol = (long)i;
		} else if (!strcmp(col->name, "index") && c->icol < 0) {
			col->role = R_INDEX;
			c->icol = (long)i;
		} else if ((!strcmp(col->name, "uuid") || !strcmp(col->name, "pci.bus_id")) &&
			   c->idcol < 0) {
			col->role = R_ID;
			c->idcol = (long)i;
		} else if (text_column(col->name)) {
			col->role = R_TEXT;
		} else if (c->cfg->host) {
			col->host = c->cfg->host(col->name, &col->hdev, &col->hcomp);
		}
	}
	if (c->tcol < 0)
		return wl_error_set(err, "'%s' line %zu: missing column 'timestamp'", c->path,
				    r->line);
	return 0;
}

/* The GPU number of a row: `index`, else the order of first appearance of
 * its uuid / pci.bus_id, else 0. */
static int gpu_of(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	size_t i;

	if (c->icol >= 0) {
		const char *s = r->f[c->icol];
		char *end;
		long v;

		if ((unsigned)(s[0] - '0') <= 9 && !s[1])
			return s[0] - '0'; /* fast path: one digit */
		v = strtol(s, &end, 10);
		if (end == s || *end || v < 0 || v >= MAX_DEV)
			return wl_error_set(err, "'%s' line %zu: bad gpu index '%s' in column '%s'",
					    c->path, r->line, s, c->cols[c->icol].hdr);
		return (int)v;
	}
	if (c->idcol < 0)
		return 0;
	for (i = 0; i < c->nids; i++)
		if (!strcmp(c->ids[i], r->f[c->idcol]))
			return (int)i;
	if (c->nids == MAX_DEV)
		return wl_error_set(err, "'%s' line %zu: more than %d gpus", c->path, r->line,
				    MAX_DEV);
	c->ids[c->nids] = strdup(r->f[c->idcol]);
	if (!c->ids[c->nids])
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	return (int)c->nids++;
}

/* Unit of a number-column whose header and cells name none. */
static const char *default_unit(const char *name)
{
	if (!strncmp(name, "temperature.", 12))
		return "C";
	return "";
}

/* The channel of column col for GPU gpu, made at its first value. */
/* Two metric columns of one name (their units aside) would be one channel
 * per GPU, read twice at each instant as one series: refused, naming both. */
static int shared(const struct ctx *c, const struct col *col, int slot,
		  const struct wl_csv_row *r, struct wl_error *err)
{
	size_t j;

	for (j = 0; j < c->ncols; j++) {
		const struct col *o = &c->cols[j];

		if (o != col && o->ch[slot] == col->ch[slot])
			return wl_error_set(err, "'%s' line %zu: columns %zu '%s' and %zu '%s' "
					    "are one metric '%s': rename or drop one", c->path,
					    r->line, j + 1, o->hdr, (size_t)(col - c->cols) + 1,
					    col->hdr, col->name);
	}
	return 0;
}

static int new_channel(struct ctx *c, struct col *col, int gpu, int slot,
		       const struct wl_csv_row *r, struct wl_error *err)
{
	const char *comp = "";
	char dev[16];

	snprintf(dev, sizeof(dev), "gpu%d", gpu);
	if (col->host)
		comp = col->hcomp;
	else if (is_power(col->name))
		comp = dev;
	col->ch[slot] = wl_dataset_channel(c->ds, col->name, col->unit, col->host ? col->hdev : dev,
					   c->cfg->source, WL_DS_GAUGE, 0);
	if (col->ch[slot] >= 0)
		c->ds->ch[col->ch[slot]].instant = wl_power_name_instant(col->name);
	if (col->ch[slot] < 0 || wl_channel_component(&c->ds->ch[col->ch[slot]], comp))
		return wl_error_set(err, "out of memory reading '%s' at line %zu", c->path, r->line);
	return shared(c, col, slot, r, err);
}

static inline int store(struct ctx *c, struct col *col, int gpu, double t, double v,
			const struct wl_csv_row *r, struct wl_error *err)
{
	int slot = col->host ? 0 : gpu;

	if (col->ch[slot] < 0 && new_channel(c, col, gpu, slot, r, err))
		return -1;
	/* A host-wide value is repeated on the row of every GPU: keep one. */
	if (col->host) {
		if (t <= col->hlast)
			return 0;
		col->hlast = t;
	}
	if (c->sink) { /* handed on with the row */
		c->rch[c->rn] = (uint32_t)col->ch[slot];
		c->rv[c->rn++] = v;
		return 0;
	}
	if (wl_channel_push(&c->ds->ch[col->ch[slot]], t, v))
		return wl_error_set(err, "out of memory reading '%s' at line %zu", c->path, r->line);
	return 0;
}

/* memcmp(a, b, n) == 0 for the few bytes of a unit word, without a call. */
static inline int same_word(const char *a, const char *b, size_t n)
{
	while (n && *a == *b) {
		a++;
		b++;
		n--;
	}
	return !n;
}

/* A cell of col whose unit word u[0..ulen) is not the one of the cell
 * before (or the column's first number): its unit checked and fixed. */
static int cell_unit(struct ctx *c, struct col *col, const char *s, const char *u, size_t ulen,
		     double v, int gpu, double t, const struct wl_csv_row *r, struct wl_error *err)
{
	char unit[32], word[64];

	memcpy(word, u, ulen);
	word[ulen] = 0;
	snprintf(unit, sizeof(unit), "%s", wl_unit_canon_binary(word));
	if (col->hunit[0] && unit[0] && strcmp(unit, col->hunit))
		return wl_error_set(err, "'%s' line %zu: unit '%s' of '%s' differs from '%s' in column '%s'",
				    c->path, r->line, unit, s, col->hunit, col->hdr);
	if (col->role == R_UNKNOWN) {
		col->role = R_NUM;
		snprintf(col->unit, sizeof(col->unit), "%s",
			 col->hunit[0] ? col->hunit : unit[0] ? unit : default_unit(col->name));
		if ((!col->hunit[0] && unit[0] && strcmp(unit, wl_unit_canon(word)) &&
		     binary(c, col, word)) ||
		    (!col->hunit[0] && !unit[0] && col->unit[0] &&
		     wl_assume(&c->ds->assume, WL_ASSUME_UNIT, "'%s': column '%s' has no unit: "
			       "read in %s (%s's unit for it)", c->path, col->hdr, col->unit,
			       c->cfg->source)))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
	} else if (!col->hunit[0] && unit[0] && strcmp(unit, col->unit)) {
		return wl_error_set(err, "'%s' line %zu: unit '%s' of '%s' differs from '%s' in column '%s'",
				    c->path, r->line, unit, s, col->unit, col->hdr);
	}
	memcpy(col->lastu, word, ulen + 1);
	col->lastulen = ulen;
	return store(c, col, gpu, t, v, r, err);
}


/* A number in a column taken as text by its first cell: not read, and said
 * once (a column of numbers whose first cell was "[N/A] W" lost them all
 * silently). */
static int text_number(struct ctx *c, struct col *col, const char *s,
		       const struct wl_csv_row *r, struct wl_error *err)
{
	col->told = 1;
	if (wl_dataset_warn(c->ds, "'%s' line %zu: column '%s' holds the number '%s' but was "
			    "read as text from its first cell ('%s', line %zu): its numbers "
			    "are not read", c->path, r->line, col->hdr, s, col->textcell,
			    col->textline))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	return 0;
}

/* Cell s of column col (n: s read as a number by the CSV reader). */
static inline int cell(struct ctx *c, struct col *col, const char *s, const struct wl_csv_num *n,
		       int gpu, double t, const struct wl_csv_row *r, struct wl_error *err)
{
	const char *u = s + n->uoff;
	size_t ulen = n->ulen;

	if (col->role == R_TEXT)
		return col->textline && n->ok && !col->told ? text_number(c, col, s, r, err) : 0;
	if (!n->ok) {
		if (wl_unit_is_absent(s))
			return 0;
		if (col->role == R_UNKNOWN && !col->hunit[0]) {
			col->role = R_TEXT;
			col->textline = r->line;
			snprintf(col->textcell, sizeof(col->textcell), "%s", s);
			return 0;
		}
		return wl_error_set(err, "'%s' line %zu: bad number '%s' in column '%s'", c->path,
				    r->line, s, col->hdr);
	}
	/* the same unit word as the last accepted cell passes the same checks */
	if (col->role == R_NUM && ulen == col->lastulen && same_word(u, col->lastu, ulen))
		return store(c, col, gpu, t, n->v, r, err);
	return cell_unit(c, col, s, u, ulen, n->v, gpu, t, r, err);
}

static int row(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct ctx *c = user;
	struct wl_walltime w;
	double t;
	size_t i;
	int gpu, zone;

	if (!c->cols)
		return header(c, r, err);
	if (r->nf != c->ncols)
		return wl_error_set(err, "'%s' line %zu: %zu fields where the header has %zu",
				    c->path, r->line, r->nf, c->ncols);
	if (wl_time_parse_iso_exact(r->f[c->tcol], &c->tz, &w, &zone))
		return wl_error_set(err, "'%s' line %zu: bad time '%s' in column '%s'", c->path,
				    r->line, r->f[c->tcol], c->cols[c->tcol].hdr);
	if (!c->have_t0) {
		char zn[200];

		if (!zone && wl_assume(&c->ds->assume, WL_ASSUME_ZONE, "'%s': times in column "
				       "'%s' carry no zone: read in %s", c->path,
				       c->cols[c->tcol].hdr,
				       wl_tzconv_describe(&c->tz, zn, sizeof(zn))))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		c->have_t0 = 1;
		c->t0 = w;
		c->ds->t0_realtime = (double)w.s + w.ns * 1e-9;
	}
	t = wl_walltime_diff(&c->t0, &w);
	gpu = gpu_of(c, r, err);
	if (gpu < 0)
		return -1;
	if (!wl_time_in_span(t))
		return wl_error_set(err, "'%s' line %zu: time '%s' lies more than 1e10 s (317 years) "
				    "from the first row's", c->path, r->line, r->f[c->tcol]);
	if (t < c->last_t[gpu])
		return wl_error_set(err, "'%s' line %zu: time '%s' goes backwards for gpu%d",
				    c->path, r->line, r->f[c->tcol], gpu);
	c->last_t[gpu] = t;
	c->rn = 0;
	for (i = 0; i < c->ncols; i++) {
		struct col *col = &c->cols[i];

		if (col->role == R_TIME || col->role == R_INDEX || col->role == R_ID)
			continue;
		if (cell(c, col, r->f[i], &r->num[i], gpu, t, r, err))
			return -1;
	}
	if (c->rn && c->sink->row(c->sink->user, t, c->rn, c->rch, c->rv))
		return wl_error_set(err, "out of memory reading '%s' at line %zu", c->path, r->line);
	return 0;
}

/* Times have ns resolution, so t is the double nearest k ns; while
 * |t| < 1e6 s its error is below 1e-10 s and k = round(t * 1e9) is exact:
 * t' = t - a in integer ns. */
double wl_origin_shift(double t, double a)
{
	if (fabs(t) < 1e6 && a > -1e6)
		return wl_time_ns_to_s(llround(t * 1e9) - llround(a * 1e9));
	return t - a;
}

int wl_ingest_streams(const char *format)
{
	return format && (!strcmp(format, "aimeter") || !strcmp(format, "nvidia-smi") ||
			  !strcmp(format, "nvsmi"));
}

/* GPUs interleave: a later GPU's first row may be older than the file's
 * first row.  Moves the origin to the earliest sample a so that t >= 0. */
static void shift_origin(struct wl_dataset *ds)
{
	double a, b, *t;
	size_t i, k;

	if (!wl_dataset_span(ds, &a, &b) || a >= 0)
		return;
	for (i = 0; i < ds->nch; i++) {
		t = ds->ch[i].t;
		for (k = 0; k < ds->ch[i].n; k++)
			t[k] = wl_origin_shift(t[k], a);
	}
	ds->t0_realtime += a;
}

int wl_gpucsv_read(const char *path, const struct wl_ingest_opts *o,
		   const struct wl_gpucsv_cfg *cfg, struct wl_dataset *ds, struct wl_error *err)
{
	/* numbers scanned in the CSV reader's thread */
	static const struct wl_csv_opts csvo = { 0, NULL, 1 };
	struct ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.cfg = cfg;
	c.ds = ds;
	c.sink = o ? o->sink : NULL;
	for (i = 0; i < MAX_DEV; i++)
		c.last_t[i] = -INFINITY;
	if (wl_tzconv_init(&c.tz, o ? o->tz : NULL, err))
		return -1;
	rc = wl_csv_read(path, &csvo, row, &c, err);
	if (!rc && !c.cols)
		rc = wl_error_set(err, "'%s' line 1: empty file, no header", path);
	else if (!rc && !c.have_t0)
		rc = wl_error_set(err, "'%s' line 2: no data rows after the header", path);
	if (!rc && !c.sink) /* a sink's caller moves the origin itself */
		shift_origin(ds);
	for (i = 0; i < c.nids; i++)
		free(c.ids[i]);
	free(c.cols);
	free(c.rch);
	free(c.rv);
	wl_tzconv_release(&c.tz);
	return rc;
}
