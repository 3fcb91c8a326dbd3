/* hwmon.c - finding hwmon devices and reading their attributes (hwmon.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hwmon.h"
#include "sysread.h"

#define MAXDEV 256

/* "-12", "12\n": 1 and *v, or 0. */
static int parse_i64(const char *b, int64_t *v)
{
	uint64_t u;
	int neg = 0;

	while (*b == ' ' || *b == '\t')
		b++;
	if (*b == '-') {
		neg = 1;
		b++;
	}
	if (!wl_parse_u64(b, &u))
		return 0;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 1;
}

int wl_hwmon_read_str(const char *dir, const char *leaf, char *buf, size_t cap)
{
	char path[WL_HWMON_DIR + 80];

	snprintf(path, sizeof(path), "%s/%s", dir, leaf);
	return wl_sysread_line(path, buf, cap);
}

int wl_hwmon_read_i64(const char *dir, const char *leaf, int64_t *v)
{
	char b[64];
	int rc = wl_hwmon_read_str(dir, leaf, b, sizeof(b));

	if (rc < 0)
		return rc;
	return parse_i64(b, v) ? 0 : -EINVAL;
}

/* Basename of the target of <dir>/device ("" when there is none). */
static void bus_of(const char *dir, char *bus, size_t cap)
{
	char path[WL_HWMON_DIR + 16], real[PATH_MAX];
	const char *b;

	bus[0] = 0;
	snprintf(path, sizeof(path), "%s/device", dir);
	if (!realpath(path, real))
		return;
	b = strrchr(real, '/');
	snprintf(bus, cap, "%.63s", b ? b + 1 : real);
}

static int cmp_dev(const void *a, const void *b)
{
	const struct wl_hwmon_dev *x = a, *y = b;
	int c = strcmp(x->bus, y->bus);

	if (c)
		return c;
	return (x->num > y->num) - (x->num < y->num);
}

int wl_hwmon_find(const char *root, const char *const *names, size_t nnames,
		  struct wl_hwmon_dev **out, size_t *n, struct wl_error *err)
{
	char cls[WL_HWMON_CLS], name[32];
	struct wl_hwmon_dev *d;
	struct dirent *e;
	size_t k = 0, i;
	DIR *dp;

	*out = NULL;
	*n = 0;
	snprintf(cls, sizeof(cls), "%s/class/hwmon", root);
	dp = opendir(cls);
	if (!dp)
		return wl_error_errno(err, errno, "no hwmon class at '%s'", cls);
	d = calloc(MAXDEV, sizeof(*d));
	if (!d) {
		closedir(dp);
		return wl_error_set(err, "out of memory");
	}
	while ((e = readdir(dp)) && k < MAXDEV) {
		uint64_t num;
		const char *p;

		if (strncmp(e->d_name, "hwmon", 5) || !(p = wl_parse_u64(e->d_name + 5, &num)) || *p)
			continue;
		snprintf(d[k].dir, sizeof(d[k].dir), "%s/%s", cls, e->d_name);
		if (wl_hwmon_read_str(d[k].dir, "name", name, sizeof(name)) < 0)
			continue;
		for (i = 0; i < nnames && strcmp(name, names[i]); i++)
			;
		if (i == nnames)
			continue;
		snprintf(d[k].hwmon, sizeof(d[k].hwmon), "%.20s", e->d_name);
		snprintf(d[k].name, sizeof(d[k].name), "%s", name);
		d[k].num = (long)num;
		bus_of(d[k].dir, d[k].bus, sizeof(d[k].bus));
		k++;
	}
	closedir(dp);
	if (!k) {
		free(d);
		return 0;
	}
	qsort(d, k, sizeof(*d), cmp_dev);
	*out = d;
	*n = k;
	return 0;
}

/* NVIDIA display (0x0300) and 3D (0x0302) controllers on the PCI bus. */
static long count_nvidia(const char *root)
{
	char dir[WL_HWMON_CLS], sub[WL_HWMON_DIR], b[32];
	struct dirent *e;
	long n = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices", root);
	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (wl_hwmon_read_str(sub, "vendor", b, sizeof(b)) < 0 || strcmp(b, "0x10de"))
			continue;
		if (wl_hwmon_read_str(sub, "class", b, sizeof(b)) == 0 &&
		    (!strncmp(b, "0x0300", 6) || !strncmp(b, "0x0302", 6)))
			n++;
	}
	closedir(dp);
	return n;
}

long wl_hwmon_gpu_index(const char *root, const char *bus, long *nvidia)
{
	static const char *const gpus[] = {"amdgpu", "i915", "xe"};
	struct wl_hwmon_dev *d;
	size_t n, i;
	long k = 0;

	*nvidia = count_nvidia(root);
	if (wl_hwmon_find(root, gpus, 3, &d, &n, NULL) < 0)
		return *nvidia;
	for (i = 0; i < n; i++) {
		if (!strcmp(d[i].bus, bus))
			break;
		if (i == 0 || strcmp(d[i].bus, d[i - 1].bus))
			k++; /* one GPU per PCI device, whatever its hwmon count */
	}
	free(d);
	return *nvidia + k;
}

struct wl_hwmon_set *wl_hwmon_set_new(const char *src)
{
	struct wl_hwmon_set *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->source = src;
	s->desc.chans = s->chans;
	s->desc.meta = s->meta;
	return s;
}

static struct wl_chan_info *new_chan(struct wl_hwmon_set *s, const char *name, const char *unit,
				     const char *device)
{
	struct wl_chan_info *c;

	if (s->desc.n >= WL_HWMON_MAXCH)
		return NULL;
	c = &s->chans[s->desc.n];
	memset(c, 0, sizeof(*c));
	c->scale = 1.0;
	snprintf(c->source, sizeof(c->source), "%s", s->source);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->unit, sizeof(c->unit), "%s", unit);
	snprintf(c->device, sizeof(c->device), "%s", device);
	s->at[s->desc.n].a = s->at[s->desc.n].b = -1;
	s->at[s->desc.n].fd = -1;
	return c;
}

/* pread of one integer from offset 0; 0, or -errno / -EINVAL. */
static int read_fd(int fd, int64_t *v)
{
	char b[64];
	int rc = wl_sysread_pread(fd, b, sizeof(b));

	if (rc < 0)
		return rc;
	return parse_i64(b, v) ? 0 : -EINVAL;
}

int wl_hwmon_add(struct wl_hwmon_set *s, const struct wl_hwmon_dev *d, const char *leaf,
		 const char *name, const char *unit, double scale, const char *device,
		 uint8_t kind)
{
	char path[WL_HWMON_DIR + 80];
	struct wl_chan_info *c;
	int64_t v;
	int fd;

	if (s->desc.n >= WL_HWMON_MAXCH)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", d->dir, leaf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read_fd(fd, &v) < 0 || (kind == WL_KIND_COUNTER && v < 0)) {
		close(fd);
		return -1;
	}
	c = new_chan(s, name, unit, device);
	c->kind = kind;
	c->type = kind == WL_KIND_COUNTER ? WL_TYPE_U64 : WL_TYPE_I64;
	c->scale = scale;
	s->at[s->desc.n].fd = fd;
	snprintf(s->at[s->desc.n].what, sizeof(s->at[0].what), "%s/%s", d->hwmon, leaf);
	s->nlive++;
	return (int)s->desc.n++;
}

int wl_hwmon_add_product(struct wl_hwmon_set *s, int a, int b, double factor,
			 const char *name, const char *unit, const char *device)
{
	struct wl_chan_info *c;

	if (a < 0 || b < 0 || !(c = new_chan(s, name, unit, device)))
		return -1;
	c->kind = WL_KIND_GAUGE;
	c->type = WL_TYPE_F64;
	s->at[s->desc.n].a = a;
	s->at[s->desc.n].b = b;
	s->at[s->desc.n].factor = factor;
	return (int)s->desc.n++;
}

void wl_hwmon_meta(struct wl_hwmon_set *s, const char *key, const char *val)
{
	size_t i = s->desc.nmeta;

	if (i >= WL_HWMON_MAXMETA)
		return;
	snprintf(s->metakey[i], sizeof(s->metakey[i]), "%s", key);
	snprintf(s->metaval[i], sizeof(s->metaval[i]), "%s", val);
	s->meta[i].key = s->metakey[i];
	s->meta[i].value = s->metaval[i];
	s->desc.nmeta++;
}

const struct wl_source_desc *wl_hwmon_describe(void *state)
{
	return &((struct wl_hwmon_set *)state)->desc;
}

/* An attribute that stops reading (device gone: ENODEV, EIO, no number) is
 * closed and its channel absent from then on, said once. */
int wl_hwmon_sample(void *state, uint64_t now_ns, union wl_value *vals, unsigned char *present,
		    struct wl_error *err)
{
	struct wl_hwmon_set *s = state;
	int rc = 0, e;
	int64_t v;
	size_t i;

	(void)now_ns;
	if (s->has_pending) {
		s->has_pending = 0;
		*err = s->pending;
		rc = 1;
	}
	for (i = 0; i < s->desc.n; i++) {
		struct wl_hwmon_attr *a = &s->at[i];

		if (a->fd < 0)
			continue;
		if ((e = read_fd(a->fd, &v)) == 0) {
			if (s->chans[i].type == WL_TYPE_U64)
				vals[i].u = (uint64_t)v;
			else
				vals[i].i = v;
			present[i] = 1;
			continue;
		}
		wl_error_set(err, "%s: %s stopped reading: %s", s->source, a->what,
			     e == -EINVAL ? "no number in it" : strerror(-e));
		close(a->fd);
		a->fd = -1;
		s->nlive--;
		rc = 1;
	}
	for (i = 0; i < s->desc.n; i++) {
		const struct wl_hwmon_attr *a = &s->at[i];

		if (a->a < 0 || !present[a->a] || !present[a->b])
			continue;
		vals[i].f = wl_value_physical(&s->chans[a->a], vals[a->a]) *
			    wl_value_physical(&s->chans[a->b], vals[a->b]) * a->factor;
		present[i] = 1;
	}
	if (s->nlive == 0) {
		struct wl_error last = *err;

		return wl_error_set(err, "every hwmon file of the source stopped reading; last: %s",
				    last.msg);
	}
	return rc;
}

void wl_hwmon_close(void *state)
{
	struct wl_hwmon_set *s = state;

	if (!s)
		return;
	for (size_t i = 0; i < s->desc.n; i++)
		if (s->at[i].fd >= 0)
			close(s->at[i].fd);
	free(s);
}
