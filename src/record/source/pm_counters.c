/*
 * pm_counters.c - HPE/Cray node power counters (source "pm_counters"):
 * <sysfs_root>/cray/pm_counters/<file>.
 *
 * Files read, each one line "N W" / "N J" followed by a timestamp in us
 * ("350 W 1700000000123456 us"); the value alone ("350") is accepted too:
 *     energy, power                       the whole node (board, fans,
 *                                         network included: what RAPL and
 *                                         NVML miss), component "node"
 *     cpu_energy, cpu_power               the CPU sockets
 *     memory_energy, memory_power         the memory
 *     accelN_energy, accelN_power         accelerator N
 *     power_cap                           the node's cap, W (0 = none)
 * One channel per file present: name = the file name, device "node",
 * energies u64 counters in J (wrap unknown: 0), powers u64 gauges in W.
 *
 *     freshness    a counter the firmware steps at about raw_scan_hz each
 *                  time it refreshes the values: a sample is stored only
 *                  when freshness changed since the last stored one (reading
 *                  faster than the firmware updates adds nothing), and the
 *                  first one only once it changed from its value at open, so
 *                  that no stored value is older than one read interval
 *                  (the values present at open may be 1/raw_scan_hz old);
 *                  without the file every read is stored.
 *     generation   changes when the power cap changes: reported once as a
 *                  log line (sample() returns 1) with the new cap.
 *     raw_scan_hz  recorded as the meta key "pm_counters.raw_scan_hz".
 *
 * Files are opened once at open() and read with pread.  A file that stops
 * reading (gone, no number) is closed and its channel absent from then on.
 * Libc only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysread.h"
#include "wattlog/source.h"

#define PM_MAXACCEL 16
#define PM_MAXCH (7 + 2 * PM_MAXACCEL)
#define PM_DIR_MAX 4096

struct pm_file {
	char name[32];
	int fd;        /* -1 = closed */
};

struct pm {
	struct wl_source_desc desc;
	struct wl_chan_info chans[PM_MAXCH];
	struct pm_file f[PM_MAXCH]; /* f[i] is channel i */
	size_t nlive;
	int fresh_fd, gen_fd;       /* -1 = absent */
	int have_fresh, have_gen;
	uint64_t fresh, gen;
	int cap_idx;                /* channel of power_cap, -1 */
	struct wl_kv meta[1];
	char scan_hz[24];
};

/*
 * Parses "N", "N W", "N J", "N W 1700000000123456 us" (trailing newline or
 * blanks allowed); unit, when not NULL and present, must match.  1 and *v, or 0.
 */
static int parse_value(const char *b, char unit, uint64_t *v)
{
	const char *p = wl_parse_u64(b, v);

	if (!p)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == 0 || *p == '\n')
		return 1;
	if (*p != unit || (p[1] != ' ' && p[1] != '\t' && p[1] != '\n' && p[1] != 0))
		return 0;
	return 1;
}

/* Reads fd from offset 0 as a value with unit u; 0, or -errno / -EINVAL. */
static int read_value(int fd, char u, uint64_t *v)
{
	char b[96];
	int rc = wl_sysread_pread(fd, b, sizeof(b));

	if (rc < 0)
		return rc;
	return parse_value(b, u, v) ? 0 : -EINVAL;
}

static char unit_of(const char *name)
{
	size_t n = strlen(name);

	return n >= 6 && !strcmp(name + n - 6, "energy") ? 'J' : 'W';
}

static int open_value(const char *dir, const char *name, char u, uint64_t *first)
{
	char path[PM_DIR_MAX + 48];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read_value(fd, u, first) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void add_file(struct pm *s, const char *dir, const char *name)
{
	size_t i = s->desc.n;
	struct wl_chan_info *c = &s->chans[i];
	char u = unit_of(name);
	uint64_t v;
	int fd;

	if (i >= PM_MAXCH || (fd = open_value(dir, name, u, &v)) < 0)
		return;
	snprintf(s->f[i].name, sizeof(s->f[i].name), "%s", name);
	s->f[i].fd = fd;
	c->kind = u == 'J' ? WL_KIND_COUNTER : WL_KIND_GAUGE;
	c->type = WL_TYPE_U64;
	c->wrap = 0;
	c->scale = 1.0;
	snprintf(c->source, sizeof(c->source), "pm_counters");
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->unit, sizeof(c->unit), "%s", u == 'J' ? "J" : "W");
	snprintf(c->device, sizeof(c->device), "node");
	if (!strcmp(name, "power_cap"))
		s->cap_idx = (int)i;
	s->desc.n++;
	s->nlive++;
}

static void pm_close(void *state);

static int pm_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	static const char *const base[] = {
		"energy", "power", "cpu_energy", "cpu_power", "memory_energy", "memory_power",
	};
	const char *root = o->sysfs_root ? o->sysfs_root : "/sys";
	char dir[PM_DIR_MAX], name[32], path[PM_DIR_MAX + 48];
	struct pm *s;
	uint64_t hz;
	size_t i;

	*state = NULL;
	snprintf(dir, sizeof(dir), "%s/cray/pm_counters", root);
	if (access(dir, F_OK) < 0)
		return wl_error_errno(err, errno, "no Cray pm_counters at '%s'", dir);
	s = calloc(1, sizeof(*s));
	if (!s)
		return wl_error_set(err, "out of memory");
	s->cap_idx = -1;
	s->fresh_fd = s->gen_fd = -1;
	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		add_file(s, dir, base[i]);
	for (i = 0; i < PM_MAXACCEL; i++) {
		snprintf(name, sizeof(name), "accel%zu_energy", i);
		add_file(s, dir, name);
		snprintf(name, sizeof(name), "accel%zu_power", i);
		add_file(s, dir, name);
	}
	add_file(s, dir, "power_cap");
	if (s->desc.n == (s->cap_idx >= 0 ? 1u : 0u)) { /* power_cap alone is no reading */
		pm_close(s);
		return wl_error_set(err, "no readable energy or power file in '%s'", dir);
	}
	s->fresh_fd = open_value(dir, "freshness", 0, &s->fresh);
	s->have_fresh = s->fresh_fd >= 0;
	s->gen_fd = open_value(dir, "generation", 0, &s->gen);
	s->have_gen = s->gen_fd >= 0;
	snprintf(path, sizeof(path), "%s/raw_scan_hz", dir);
	if (wl_sysread_u64(path, &hz) == 0) {
		snprintf(s->scan_hz, sizeof(s->scan_hz), "%llu", (unsigned long long)hz);
		s->meta[0].key = "pm_counters.raw_scan_hz";
		s->meta[0].value = s->scan_hz;
		s->desc.nmeta = 1;
		s->desc.meta = s->meta;
	}
	s->desc.chans = s->chans;
	*state = s;
	return 0;
}

static const struct wl_source_desc *pm_describe(void *state)
{
	return &((struct pm *)state)->desc;
}

/* 1 when a new refresh is there to store (or freshness is unknown). */
static int fresh_step(struct pm *s)
{
	uint64_t v;

	if (s->fresh_fd < 0)
		return 1;
	if (read_value(s->fresh_fd, 0, &v) < 0) {
		close(s->fresh_fd); /* store every read from now on */
		s->fresh_fd = -1;
		return 1;
	}
	if (s->have_fresh && v == s->fresh)
		return 0;
	s->fresh = v;
	s->have_fresh = 1;
	return 1;
}

/* 1 with err set when generation changed since the last look. */
static int gen_step(struct pm *s, const union wl_value *vals, const unsigned char *present,
		    struct wl_error *err)
{
	uint64_t v, old = s->gen;

	if (s->gen_fd < 0 || read_value(s->gen_fd, 0, &v) < 0 || v == s->gen)
		return 0;
	s->gen = v;
	if (s->cap_idx >= 0 && present[s->cap_idx])
		wl_error_set(err, "power cap changed: generation %llu -> %llu, power_cap %llu W",
			     (unsigned long long)old, (unsigned long long)v,
			     (unsigned long long)vals[s->cap_idx].u);
	else
		wl_error_set(err, "power cap changed: generation %llu -> %llu",
			     (unsigned long long)old, (unsigned long long)v);
	return 1;
}

static int pm_sample(void *state, uint64_t now_ns, union wl_value *vals, unsigned char *present,
		     struct wl_error *err)
{
	struct pm *s = state;
	int rc = 0, e;

	(void)now_ns;
	if (!fresh_step(s))
		return 0;
	for (size_t i = 0; i < s->desc.n; i++) {
		struct pm_file *f = &s->f[i];

		if (f->fd < 0)
			continue;
		e = read_value(f->fd, s->chans[i].unit[0], &vals[i].u);
		if (e == 0) {
			present[i] = 1;
			continue;
		}
		wl_error_set(err, "pm_counters file %s is gone: %s", f->name,
			     e == -EINVAL ? "no number in it" : strerror(-e));
		close(f->fd);
		f->fd = -1;
		s->nlive--;
		rc = 1;
	}
	if (s->nlive == 0)
		return wl_error_set(err, "every pm_counters file is gone");
	if (rc == 0)
		rc = gen_step(s, vals, present, err);
	return rc;
}

static void pm_close(void *state)
{
	struct pm *s = state;

	if (!s)
		return;
	for (size_t i = 0; i < s->desc.n; i++)
		if (s->f[i].fd >= 0)
			close(s->f[i].fd);
	if (s->fresh_fd >= 0)
		close(s->fresh_fd);
	if (s->gen_fd >= 0)
		close(s->gen_fd);
	free(s);
}

const struct wl_source_ops wl_source_pm_counters = {
	.name = "pm_counters",
	.help =
		"HPE Cray `/sys/cray/pm_counters`",
	.default_period_ns = 100000000, /* firmware refresh at raw_scan_hz, 10 Hz typical */
	.open = pm_open,
	.describe = pm_describe,
	.sample = pm_sample,
	.next_due = NULL,
	.close = pm_close,
};
