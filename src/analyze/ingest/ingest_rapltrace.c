/*
 * ingest_rapltrace.c - the RAPL tracer's long format:
 *     #timestamp,interval,socket,domain,energy,power
 *     0.005173,0.005229,N0,package,0.1097,20.9754
 *     ...
 *     ### Timestamp 1693479212.4872582
 * timestamp: s since the tracer started (end of the interval); interval: s;
 * socket "N<k>"; domain package | ram | core | uncore | psys; energy: J
 * consumed during the interval; power = energy / interval (not stored).
 *
 * Per socket x domain this stores a WL_DS_COUNTER channel in J whose values
 * are the running sum of the energy column, starting with a synthetic
 * point of value 0 at t(first row) - interval(first row):
 *     E(t_k) = sum_{j<=k} energy_j,   E(t_0 - dt_0) = 0
 * so that last - first == the sum of the energy column, first interval
 * included.  t = tracer time - (earliest synthetic point), so t >= 0.
 * Names: "package" (component "cpu"), "dram" (from ram/dram, component
 * "dram"), core/uncore (component "": parts of package), psys ("psys");
 * device "socket<k>"; source "rapl-trace".
 *
 * The "### Timestamp E" comment is kept as metadata "rapl.timestamp"; the
 * tracer does not say whether E is its start or its end, so t0_realtime
 * stays unknown (NaN) and a warning says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/csvread.h"
#include "wattlog/ingest.h"
#include "wattlog/units.h"

struct ctx {
	const char *path;
	struct wl_dataset *ds;
	int have_header;
	long c_t, c_dt, c_sock, c_dom, c_e;
	size_t rows;
};

static const char *const domains[][3] = {
	/* file's name, channel name, component */
	{ "package", "package", "cpu" }, { "ram", "dram", "dram" }, { "dram", "dram", "dram" },
	{ "core", "core", "" },          { "uncore", "uncore", "" }, { "psys", "psys", "psys" },
};

static int header(struct ctx *c, const struct wl_csv_row *r, struct wl_error *err)
{
	struct wl_csv_row h = *r;
	const char *f[16];
	size_t i;

	if (r->nf > 16 || r->nf < 1 || r->f[0][0] != '#')
		return wl_error_set(err, "'%s' line %zu: expected the header "
				    "'#timestamp,interval,socket,domain,energy,power'", c->path, r->line);
	for (i = 0; i < r->nf; i++)
		f[i] = r->f[i];
	f[0]++; /* "#timestamp" */
	h.f = f;
	c->c_t = wl_csv_column(&h, "timestamp");
	c->c_dt = wl_csv_column(&h, "interval");
	c->c_sock = wl_csv_column(&h, "socket");
	c->c_dom = wl_csv_column(&h, "domain");
	c->c_e = wl_csv_column(&h, "energy");
	if (c->c_t < 0 || c->c_dt < 0 || c->c_sock < 0 || c->c_dom < 0 || c->c_e < 0)
		return wl_error_set(err, "'%s' line %zu: missing column (need timestamp, interval, "
				    "socket, domain, energy)", c->path, r->line);
	c->have_header = 1;
	return 0;
}

static int number(struct ctx *c, const struct wl_csv_row *r, long col, const char *name,
		  double *v, struct wl_error *err)
{
	char unit[8];

	if (wl_unit_parse_value(r->f[col], v, unit, sizeof(unit)) || unit[0])
		return wl_error_set(err, "'%s' line %zu: bad number '%s' in column '%s'", c->path,
				    r->line, r->f[col], name);
	return 0;
}

static int row(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct ctx *c = user;
	double t, dt, e;
	struct wl_channel *ch;
	const char *name = NULL, *comp = NULL, *s;
	char dev[32], *end;
	long sock, idx;
	size_t i;

	if (r->nf && !strncmp(r->f[0], "###", 3)) {
		if (!strncmp(r->f[0], "### Timestamp ", 14) &&
		    wl_dataset_meta(c->ds, "rapl.timestamp", r->f[0] + 14))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
		return 0;
	}
	if (!c->have_header)
		return header(c, r, err);
	if (r->nf < 5 || (long)r->nf <= c->c_t || (long)r->nf <= c->c_dt ||
	    (long)r->nf <= c->c_sock || (long)r->nf <= c->c_dom || (long)r->nf <= c->c_e)
		return wl_error_set(err, "'%s' line %zu: %zu fields, fewer than the header's columns",
				    c->path, r->line, r->nf);
	if (number(c, r, c->c_t, "timestamp", &t, err) || number(c, r, c->c_dt, "interval", &dt, err) ||
	    number(c, r, c->c_e, "energy", &e, err))
		return -1;
	if (!wl_time_in_span(t) || !wl_time_in_span(t - dt))
		return wl_error_set(err, "'%s' line %zu: time '%s' minus interval '%s' lies more "
				    "than 1e10 s (317 years) from the tracer's start", c->path,
				    r->line, r->f[c->c_t], r->f[c->c_dt]);
	if (dt < 0 || e < 0)
		return wl_error_set(err, "'%s' line %zu: negative %s", c->path, r->line,
				    dt < 0 ? "interval" : "energy");
	s = r->f[c->c_sock];
	sock = strtol(s + (*s == 'N' || *s == 'S'), &end, 10);
	if (end == s + (*s == 'N' || *s == 'S') || *end || sock < 0 || sock >= 64)
		return wl_error_set(err, "'%s' line %zu: bad socket '%s' in column 'socket'",
				    c->path, r->line, s);
	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		if (!strcmp(r->f[c->c_dom], domains[i][0])) {
			name = domains[i][1];
			comp = domains[i][2];
		}
	}
	if (!name)
		return wl_error_set(err, "'%s' line %zu: unknown domain '%s' in column 'domain'",
				    c->path, r->line, r->f[c->c_dom]);
	snprintf(dev, sizeof(dev), "socket%ld", sock);
	idx = wl_dataset_channel(c->ds, name, "J", dev, "rapl-trace", WL_DS_COUNTER, 0);
	if (idx < 0 || wl_channel_component(&c->ds->ch[idx], comp))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	ch = &c->ds->ch[idx];
	if (!ch->n) {
		if (wl_channel_push(ch, t - dt, 0))
			return wl_error_set(err, "out of memory reading '%s'", c->path);
	} else if (t < ch->t[ch->n - 1]) {
		return wl_error_set(err, "'%s' line %zu: time '%s' goes backwards for %s %s",
				    c->path, r->line, r->f[c->c_t], dev, name);
	}
	/* Running sum E_k = E_{k-1} + energy_k, from the channel's last value. */
	if (wl_channel_push(ch, t, ch->v[ch->n - 1] + e))
		return wl_error_set(err, "out of memory reading '%s'", c->path);
	c->rows++;
	return 0;
}

int wl_ingest_rapltrace(const char *path, const struct wl_ingest_opts *o,
			struct wl_dataset *ds, struct wl_error *err)
{
	struct ctx c;
	double origin = INFINITY;
	size_t i, k;

	(void)o;
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.ds = ds;
	if (wl_csv_read(path, NULL, row, &c, err))
		return -1;
	if (!c.have_header)
		return wl_error_set(err, "'%s' line 1: empty file, no header", path);
	if (!c.rows)
		return wl_error_set(err, "'%s' line 2: no data rows after the header", path);
	for (i = 0; i < ds->nch; i++)
		if (ds->ch[i].n && ds->ch[i].t[0] < origin)
			origin = ds->ch[i].t[0];
	for (i = 0; i < ds->nch; i++)
		for (k = 0; k < ds->ch[i].n; k++)
			ds->ch[i].t[k] -= origin;
	if (wl_dataset_meta_get(ds, "rapl.timestamp"))
		wl_dataset_warn(ds, "'%s': wall-clock time unknown: the tracer's '### Timestamp' "
				"is kept as metadata rapl.timestamp, not used", path);
	return 0;
}

/* The first line starts "#timestamp,interval,socket". */
static int sniff(const char *head, size_t n, const char *line1)
{
	(void)head;
	(void)n;
	return !strncmp(line1, "#timestamp,interval,socket", 26);
}

const struct wl_format wl_format_rapltrace = {
	.name = "rapl-trace",
	.aliases = "rapl",
	.binary = 0,
	.sniff = sniff,
	.read = wl_ingest_rapltrace,
	.help =
		"long-format RAPL energy logs "
		"(`#timestamp,interval,socket,domain,energy,power`)",
};
