/* perf_power_scan.c - the perf "power" PMU's sysfs description, read for the
 * rapl source (see wl_perf_power_scan in rapl_shared.h).  Open time only. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rapl_shared.h"
#include "sysread.h"

#define MAXCPUS 64   /* packages (dies) in the PMU's cpumask */
#define MAXEVENTS 16 /* energy-* events */
#define EVLEN 47     /* longest event name kept (struct wl_perf_event.event) */

/* Event names in the order their channels are listed; others follow. */
static const struct {
	const char *event, *name;
} known[] = {
	{"energy-pkg", NULL}, /* named after its package */
	{"energy-cores", "core"},
	{"energy-gpu", "gpu-igpu"},
	{"energy-ram", "dram"},
	{"energy-psys", "psys"},
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

static size_t rank(const char *ev)
{
	size_t i;

	for (i = 0; i < NKNOWN; i++)
		if (!strcmp(ev, known[i].event))
			return i;
	return NKNOWN;
}

static int cmp_event(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t rx = rank(x), ry = rank(y);

	return rx != ry ? (rx < ry ? -1 : 1) : strcmp(x, y);
}

/* Parses a cpulist "0,2" or "0-3,8"; returns the count (at most max). */
static size_t parse_cpulist(const char *s, int *cpu, size_t max)
{
	uint64_t a, b;
	size_t n = 0;

	while (n < max && (s = wl_parse_u64(s, &a))) {
		b = a;
		if (*s == '-' && !(s = wl_parse_u64(s + 1, &b)))
			break;
		for (; a <= b && n < max; a++)
			cpu[n++] = (int)a;
		if (*s != ',')
			break;
		s++;
	}
	return n;
}

/* Reads one line of <dir>/<leaf> without its newline. 0 or -errno. */
static int read_line(const char *dir, const char *leaf, char *buf, size_t cap)
{
	char path[4096];
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, leaf);
	if ((rc = wl_sysread_file(path, buf, cap, &len)) < 0)
		return rc;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	return 0;
}

/* Names the packages of the mask CPUs: "package-N", or "package-N-die-M"
 * when two mask CPUs sit in the same package. */
static void name_packages(const char *root, const int *cpu, size_t n, char (*dev)[32])
{
	uint64_t pkg[MAXCPUS], die[MAXCPUS];
	char dir[4096], b[32];
	size_t i, j;
	int multi = 0;

	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "%s/devices/system/cpu/cpu%d/topology", root, cpu[i]);
		if (read_line(dir, "physical_package_id", b, sizeof(b)) < 0 || !wl_parse_u64(b, &pkg[i]))
			pkg[i] = i;
		if (read_line(dir, "die_id", b, sizeof(b)) < 0 || !wl_parse_u64(b, &die[i]))
			die[i] = i;
		for (j = 0; j < i; j++)
			multi |= pkg[j] == pkg[i];
	}
	for (i = 0; i < n; i++) {
		if (multi)
			snprintf(dev[i], sizeof(dev[i]), "package-%llu-die-%llu",
				 (unsigned long long)pkg[i], (unsigned long long)die[i]);
		else
			snprintf(dev[i], sizeof(dev[i]), "package-%llu", (unsigned long long)pkg[i]);
	}
}

/* Fills config, scale and unit of one event; -1 when they do not parse. */
static int read_event(const char *evdir, const char *ev, struct wl_perf_event *e)
{
	char b[128], leaf[128], *end;
	const char *p;

	if (read_line(evdir, ev, b, sizeof(b)) < 0 || !(p = strstr(b, "event=")))
		return -1;
	errno = 0;
	e->config = strtoull(p + 6, &end, 0);
	if (errno || end == p + 6)
		return -1;
	snprintf(leaf, sizeof(leaf), "%.*s.scale", EVLEN, ev);
	if (read_line(evdir, leaf, b, sizeof(b)) < 0)
		return -1;
	e->scale = strtod(b, &end);
	if (end == b || !(e->scale > 0))
		return -1;
	snprintf(leaf, sizeof(leaf), "%.*s.unit", EVLEN, ev);
	if (read_line(evdir, leaf, b, sizeof(b)) < 0 || !strcmp(b, "Joules"))
		snprintf(b, sizeof(b), "J");
	snprintf(e->unit, sizeof(e->unit), "%.*s", (int)sizeof(e->unit) - 1, b);
	snprintf(e->event, sizeof(e->event), "%.*s", EVLEN, ev);
	return 0;
}

/* Lists events/energy-* (not the .scale/.unit files), in channel order. */
static size_t list_events(const char *evdir, char (*names)[48])
{
	char *ptr[MAXEVENTS], tmp[MAXEVENTS][48];
	struct dirent *e;
	size_t n = 0, i;
	DIR *d = opendir(evdir);

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < MAXEVENTS) {
		if (strncmp(e->d_name, "energy-", 7) || strchr(e->d_name, '.') ||
		    strlen(e->d_name) >= sizeof(tmp[0]))
			continue;
		snprintf(tmp[n], sizeof(tmp[n]), "%s", e->d_name);
		ptr[n] = tmp[n];
		n++;
	}
	closedir(d);
	qsort(ptr, n, sizeof(ptr[0]), cmp_event);
	for (i = 0; i < n; i++)
		snprintf(names[i], sizeof(names[i]), "%s", ptr[i]);
	return n;
}

int wl_perf_power_scan(const char *sysfs_root, uint32_t *type, struct wl_perf_event **ev,
		       size_t *n, struct wl_error *err)
{
	char pmu[4096], evdir[4200], b[4096], names[MAXEVENTS][48], dev[MAXCPUS][32];
	int cpu[MAXCPUS];
	size_t ncpu, nev, i, j, k = 0;
	struct wl_perf_event *out, e;
	uint64_t t;

	snprintf(pmu, sizeof(pmu), "%s/bus/event_source/devices/power", sysfs_root);
	if (read_line(pmu, "type", b, sizeof(b)) < 0 || !wl_parse_u64(b, &t))
		return wl_error_set(err, "no power PMU under %s/bus/event_source/devices", sysfs_root);
	*type = (uint32_t)t;
	if (read_line(pmu, "cpumask", b, sizeof(b)) < 0 || !(ncpu = parse_cpulist(b, cpu, MAXCPUS)))
		return wl_error_set(err, "power PMU: no cpu in '%s/cpumask'", pmu);
	name_packages(sysfs_root, cpu, ncpu, dev);
	snprintf(evdir, sizeof(evdir), "%s/events", pmu);
	nev = list_events(evdir, names);
	out = calloc(nev * ncpu + 1, sizeof(*out));
	if (!out)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < ncpu; i++) {
		for (j = 0; j < nev; j++) {
			size_t r = rank(names[j]);
			int psys = r < NKNOWN && !strcmp(known[r].event, "energy-psys");

			if ((psys && i > 0) || read_event(evdir, names[j], &e) < 0)
				continue;
			e.cpu = cpu[i];
			if (r < NKNOWN && known[r].name)
				snprintf(e.name, sizeof(e.name), "%s", known[r].name);
			else if (r < NKNOWN)
				snprintf(e.name, sizeof(e.name), "%s", dev[i]);
			else
				snprintf(e.name, sizeof(e.name), "%s", names[j] + 7);
			snprintf(e.device, sizeof(e.device), "%s", psys ? "psys" : dev[i]);
			out[k++] = e;
		}
	}
	if (k == 0) {
		free(out);
		return wl_error_set(err, "power PMU: no readable energy-* event under '%s'", evdir);
	}
	*ev = out;
	*n = k;
	return 0;
}
