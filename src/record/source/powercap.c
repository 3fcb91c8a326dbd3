/*
 * powercap.c - RAPL energy counters through the powercap class (source
 * "powercap"): <sysfs_root>/class/powercap/<ctl>:<id>[:<sub>]/energy_uj.
 *
 * Zones come from the control types intel-rapl, intel-rapl-tpmi and
 * intel-rapl-mmio, tried in that order; a top-level zone whose name (read
 * from its `name` file, never inferred from its index) is already present
 * from an earlier control type is a duplicate (intel-rapl-mmio repeats the
 * package zone) and is skipped with its subzones.
 *
 * One channel per zone: name = the zone's name ("package-0", "core",
 * "uncore", "dram", "psys"), device = the top-level zone it belongs to
 * ("package-0"; "psys" for psys), unit "uJ", u64 counter, scale 1,
 * wrap = max_energy_range_uj.  Values are raw: unwrapping is the analyzer's.
 * Zones with enabled = 0 are recorded too and listed in the meta key
 * "powercap.disabled".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rapl_shared.h"
#include "sysread.h"
#include "wattlog/source.h"

static const char *const ctl_types[] = {"intel-rapl", "intel-rapl-tpmi", "intel-rapl-mmio"};
#define NCTL (sizeof(ctl_types) / sizeof(ctl_types[0]))
#define MAXZONES 256
#define PC_MAX 4096                 /* <sysfs_root>/class/powercap */
#define PATH_CAP (PC_MAX + 160)     /* + /<zone dir>/<attribute> */
#define DISABLED_ENTRY 176 /* "<dir> (<device>/<name>), " at most */

struct zone {
	char dir[64];    /* "intel-rapl:0:1" */
	int ctl;         /* index in ctl_types */
	int top;         /* 1 for "<ctl>:<id>" */
	int keep;
	int fd;          /* energy_uj, -1 = closed (gone or never opened) */
	int enabled;
	uint64_t wrap;
	char name[64];
	char device[32];
};

struct powercap {
	struct wl_source_desc desc;
	struct wl_chan_info *chans;
	struct zone *z;      /* z[i] is channel i */
	size_t nz, nlive;
	struct wl_kv meta[1];
	char *disabled;      /* meta value */
	struct wl_error pending; /* zones skipped at open, told at the first sample */
	int has_pending;
};

int wl_rapl_open_error(struct wl_error *err, const char *path, int errnum)
{
	if (errnum == EACCES || errnum == EPERM)
		return wl_error_set(err, "%s: permission denied (root only since Linux 5.10)", path);
	return wl_error_set(err, "cannot read '%s': %s", path, strerror(errnum));
}

/* Control type index of a "<ctl>:<id>[:<sub>]" entry, or -1; sets *top. */
static int classify(const char *d, int *top)
{
	const char *c = strchr(d, ':');
	size_t i, l;

	if (!c)
		return -1;
	l = (size_t)(c - d);
	for (i = 0; i < NCTL; i++)
		if (strlen(ctl_types[i]) == l && !memcmp(d, ctl_types[i], l))
			break;
	if (i == NCTL || strlen(d) >= sizeof(((struct zone *)0)->dir))
		return -1;
	*top = !strchr(c + 1, ':');
	return (int)i;
}

static int cmp_zone(const void *a, const void *b)
{
	const struct zone *x = a, *y = b;

	if (x->ctl != y->ctl)
		return x->ctl - y->ctl;
	return strcmp(x->dir, y->dir);
}

/* Reads <pc>/<dir>/<leaf> into buf, one line, without the newline. */
static int read_attr(const char *pc, const char *dir, const char *leaf, char *buf, size_t cap)
{
	char path[PATH_CAP];

	snprintf(path, sizeof(path), "%s/%s/%s", pc, dir, leaf);
	return wl_sysread_line(path, buf, cap);
}

/* Lists the zones of the known control types, sorted, with their names. */
static int list_zones(const char *pc, struct zone **out, size_t *n, struct wl_error *err)
{
	struct zone *z = calloc(MAXZONES, sizeof(*z));
	struct dirent *e;
	size_t k = 0;
	int ctl, top;
	DIR *d;

	if (!z)
		return wl_error_set(err, "out of memory");
	d = opendir(pc);
	if (!d) {
		free(z);
		return wl_error_set(err, "no RAPL zones under %s", pc);
	}
	while ((e = readdir(d)) && k < MAXZONES) {
		if ((ctl = classify(e->d_name, &top)) < 0)
			continue;
		if (read_attr(pc, e->d_name, "name", z[k].name, sizeof(z[k].name)) < 0)
			continue; /* not a zone */
		snprintf(z[k].dir, sizeof(z[k].dir), "%s", e->d_name);
		z[k].ctl = ctl;
		z[k].top = top;
		z[k].fd = -1;
		k++;
	}
	closedir(d);
	qsort(z, k, sizeof(*z), cmp_zone);
	*out = z;
	*n = k;
	return 0;
}

static struct zone *find_dir(struct zone *z, size_t n, const char *dir, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(z[i].dir) == len && !memcmp(z[i].dir, dir, len))
			return &z[i];
	return NULL;
}

/* Keeps each top-level zone not already present by name from an earlier
 * control type, and the subzones of kept zones; sets devices. */
static void pick_zones(struct zone *z, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!z[i].top)
			continue;
		z[i].keep = 1;
		for (j = 0; j < i; j++)
			if (z[j].top && z[j].keep && z[j].ctl != z[i].ctl &&
			    !strcmp(z[j].name, z[i].name))
				z[i].keep = 0;
		snprintf(z[i].device, sizeof(z[i].device), "%.*s", (int)sizeof(z[i].device) - 1,
			 z[i].name);
	}
	for (i = 0; i < n; i++) {
		struct zone *p;

		if (z[i].top)
			continue;
		p = find_dir(z, n, z[i].dir, (size_t)(strrchr(z[i].dir, ':') - z[i].dir));
		z[i].keep = p && p->keep;
		if (p)
			snprintf(z[i].device, sizeof(z[i].device), "%.*s",
				 (int)sizeof(z[i].device) - 1, p->name);
	}
}

/* Opens a kept zone's energy_uj and checks one read; 0 or -errno. */
static int open_zone(const char *pc, struct zone *z, char *path, size_t cap)
{
	char b[64];
	uint64_t v;
	ssize_t r;

	snprintf(path, cap, "%s/%s/energy_uj", pc, z->dir);
	z->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (z->fd < 0)
		return -errno;
	r = pread(z->fd, b, sizeof(b) - 1, 0);
	if (r <= 0 || (b[r] = 0, !wl_parse_u64(b, &v))) {
		int e = r < 0 ? errno : ENODATA;

		close(z->fd);
		z->fd = -1;
		return -e;
	}
	snprintf(path, cap, "%s/%s/max_energy_range_uj", pc, z->dir);
	if (wl_sysread_u64(path, &z->wrap) < 0)
		z->wrap = 0;
	snprintf(path, cap, "%s/%s/enabled", pc, z->dir);
	z->enabled = !(wl_sysread_u64(path, &v) == 0 && v == 0);
	return 0;
}

static void powercap_close(void *state);

static int fail(struct powercap *s, struct wl_error *err, const struct wl_error *why)
{
	if (err && why != err)
		*err = *why;
	powercap_close(s);
	return -1;
}

static int setup(struct powercap *s, const char *pc, struct wl_error *err)
{
	struct wl_error first = {{0}};
	char path[PATH_CAP], skipped[256] = "";
	size_t i, k = 0, nd = 0;
	struct zone *all = NULL;
	int rc, nbad = 0;

	if (list_zones(pc, &all, &s->nz, err) < 0)
		return -1;
	pick_zones(all, s->nz);
	s->z = all;
	s->chans = calloc(s->nz ? s->nz : 1, sizeof(*s->chans));
	s->disabled = calloc(1, s->nz * DISABLED_ENTRY + 1);
	if (!s->chans || !s->disabled)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < s->nz; i++) {
		if (!all[i].keep)
			continue;
		if ((rc = open_zone(pc, &all[i], path, sizeof(path))) < 0) {
			if (!nbad++)
				wl_rapl_open_error(&first, path, -rc);
			snprintf(skipped + strlen(skipped), sizeof(skipped) - strlen(skipped),
				 "%s%s", *skipped ? ", " : "", all[i].dir);
			continue;
		}
		all[k++] = all[i]; /* compact: z[i] is channel i */
	}
	s->nz = s->nlive = k;
	if (k == 0 && nbad == 0)
		return wl_error_set(err, "no RAPL zones under %s", pc);
	if (k == 0)
		return wl_error_set(err, "%s", first.msg);
	if (nbad) {
		s->has_pending = 1;
		wl_error_set(&s->pending, "skipped %d zone(s) (%s): %s", nbad, skipped,
			     first.msg);
	}
	for (i = 0; i < k; i++) {
		struct wl_chan_info *c = &s->chans[i];

		c->kind = WL_KIND_COUNTER;
		c->type = WL_TYPE_U64;
		c->wrap = all[i].wrap;
		c->scale = 1.0;
		snprintf(c->source, sizeof(c->source), "powercap");
		snprintf(c->name, sizeof(c->name), "%s", all[i].name);
		snprintf(c->unit, sizeof(c->unit), "uJ");
		snprintf(c->device, sizeof(c->device), "%s", all[i].device);
		if (!all[i].enabled)
			nd += (size_t)snprintf(s->disabled + nd, DISABLED_ENTRY, "%s%s (%s/%s)",
					       nd ? ", " : "", all[i].dir, all[i].device, all[i].name);
	}
	s->desc.n = k;
	s->desc.chans = s->chans;
	if (nd) {
		s->meta[0].key = "powercap.disabled";
		s->meta[0].value = s->disabled;
		s->desc.nmeta = 1;
		s->desc.meta = s->meta;
	}
	return 0;
}

static int powercap_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	const char *root = o->sysfs_root ? o->sysfs_root : "/sys";
	struct powercap *s;
	char pc[PC_MAX];

	*state = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return wl_error_set(err, "out of memory");
	snprintf(pc, sizeof(pc), "%s/class/powercap", root);
	if (setup(s, pc, err) < 0)
		return fail(s, err, err);
	*state = s;
	return 0;
}

static const struct wl_source_desc *powercap_describe(void *state)
{
	return &((struct powercap *)state)->desc;
}

/* A zone that cannot be read any more (device gone: ENODEV, EIO, ...) is
 * closed and absent from then on. */
static int powercap_sample(void *state, uint64_t now_ns, union wl_value *vals,
			   unsigned char *present, struct wl_error *err)
{
	struct powercap *s = state;
	int rc = 0;
	char b[32];
	ssize_t r;

	(void)now_ns;
	if (s->has_pending) {
		s->has_pending = 0;
		*err = s->pending;
		rc = 1;
	}
	for (size_t i = 0; i < s->nz; i++) {
		struct zone *z = &s->z[i];

		if (z->fd < 0)
			continue;
		r = pread(z->fd, b, sizeof(b) - 1, 0);
		if (r > 0) {
			b[r] = 0;
			if (wl_parse_u64(b, &vals[i].u)) {
				present[i] = 1;
				continue;
			}
		}
		wl_error_set(err, "zone %s (%s/%s) is gone: %s", z->dir, z->device,
			     z->name, r < 0 ? strerror(errno) : "no number in energy_uj");
		close(z->fd);
		z->fd = -1;
		s->nlive--;
		rc = 1;
	}
	if (s->nlive == 0)
		return wl_error_set(err, "every RAPL zone is gone");
	return rc;
}

static void powercap_close(void *state)
{
	struct powercap *s = state;

	if (!s)
		return;
	for (size_t i = 0; s->z && i < s->nz; i++)
		if (s->z[i].fd >= 0)
			close(s->z[i].fd);
	free(s->z);
	free(s->chans);
	free(s->disabled);
	free(s);
}

const struct wl_source_ops wl_source_powercap = {
	.name = "powercap",
	.help =
		"`/sys/class/powercap` zones by their `name` file (intel-rapl, -tpmi; -mmio "
		"only when it is not a duplicate); stands down when `rapl` works",
	.default_period_ns = 1000000, /* RAPL energy status updates about every 1 ms */
	.stands_down_for = "rapl", /* the same counters, 64-bit through perf_event */
	.open = powercap_open,
	.describe = powercap_describe,
	.sample = powercap_sample,
	.next_due = NULL,
	.close = powercap_close,
};
