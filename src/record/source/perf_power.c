/*
 * perf_power.c - RAPL energy through the perf_event "power" PMU (source
 * "rapl"): one perf_event_open(type, config, cpu) per event and package, as
 * listed by wl_perf_power_scan (perf_power_scan.c).  read() gives the
 * kernel's 64-bit accumulated count, so channels are u64 counters with
 * wrap 0, scale from events/<event>.scale (J per count), unit "J".
 *
 * While it is open the powercap source, tried after this one, stands down
 * (powercap's stands_down_for; the registry decides).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rapl_shared.h"
#include "sysread.h"
#include "wattlog/source.h"

struct perf_power {
	struct wl_source_desc desc;
	struct wl_chan_info *chans;
	struct wl_perf_event *ev;
	int *fd;
	size_t n, nlive;
};

static void perf_power_close(void *state)
{
	struct perf_power *s = state;

	if (!s)
		return;
	for (size_t i = 0; s->fd && i < s->n; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
	free(s->fd);
	free(s->ev);
	free(s->chans);
	free(s);
}

/* "perf_event_open power/energy-pkg/: Permission denied (perf_event_paranoid=2)" */
static int open_error(struct wl_error *err, const char *procfs_root, const char *event, int e)
{
	char path[4096], b[32] = "?";
	size_t len;

	snprintf(path, sizeof(path), "%s/sys/kernel/perf_event_paranoid", procfs_root);
	if (wl_sysread_file(path, b, sizeof(b), &len) == 0 && len && b[len - 1] == '\n')
		b[len - 1] = 0;
	return wl_error_set(err, "perf_event_open power/%s/: %s (perf_event_paranoid=%s)", event,
			    strerror(e), b);
}

static int open_events(struct perf_power *s, uint32_t type, const char *procfs_root,
		       struct wl_error *err)
{
	struct perf_event_attr a;
	size_t i;

	for (i = 0; i < s->n; i++)
		s->fd[i] = -1;
	for (i = 0; i < s->n; i++) {
		memset(&a, 0, sizeof(a));
		a.type = type;
		a.size = sizeof(a);
		a.config = s->ev[i].config;
		s->fd[i] = (int)syscall(SYS_perf_event_open, &a, -1, s->ev[i].cpu, -1,
					PERF_FLAG_FD_CLOEXEC);
		if (s->fd[i] < 0)
			return open_error(err, procfs_root, s->ev[i].event, errno);
	}
	return 0;
}

static int perf_power_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	const char *sys = o->sysfs_root ? o->sysfs_root : "/sys";
	const char *proc = o->procfs_root ? o->procfs_root : "/proc";
	struct perf_power *s = calloc(1, sizeof(*s));
	uint32_t type;
	size_t i;

	*state = NULL;
	if (!s)
		return wl_error_set(err, "out of memory");
	if (wl_perf_power_scan(sys, &type, &s->ev, &s->n, err) < 0) {
		perf_power_close(s);
		return -1;
	}
	s->fd = calloc(s->n, sizeof(*s->fd));
	s->chans = calloc(s->n, sizeof(*s->chans));
	if (!s->fd || !s->chans) {
		perf_power_close(s);
		return wl_error_set(err, "out of memory");
	}
	if (open_events(s, type, proc, err) < 0) {
		perf_power_close(s);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		struct wl_chan_info *c = &s->chans[i];

		c->kind = WL_KIND_COUNTER;
		c->type = WL_TYPE_U64;
		c->wrap = 0;
		c->scale = s->ev[i].scale;
		snprintf(c->source, sizeof(c->source), "rapl");
		snprintf(c->name, sizeof(c->name), "%s", s->ev[i].name);
		snprintf(c->unit, sizeof(c->unit), "%s", s->ev[i].unit);
		snprintf(c->device, sizeof(c->device), "%s", s->ev[i].device);
	}
	s->desc.n = s->n;
	s->desc.chans = s->chans;
	s->nlive = s->n;
	*state = s;
	return 0;
}

static const struct wl_source_desc *perf_power_describe(void *state)
{
	return &((struct perf_power *)state)->desc;
}

static int perf_power_sample(void *state, uint64_t now_ns, union wl_value *vals,
			     unsigned char *present, struct wl_error *err)
{
	struct perf_power *s = state;
	int rc = 0;
	ssize_t r;

	(void)now_ns;
	for (size_t i = 0; i < s->n; i++) {
		if (s->fd[i] < 0)
			continue;
		r = read(s->fd[i], &vals[i].u, sizeof(vals[i].u));
		if (r == (ssize_t)sizeof(vals[i].u)) {
			present[i] = 1;
			continue;
		}
		wl_error_set(err, "power/%s/ on cpu %d stopped: %s", s->ev[i].event,
			     s->ev[i].cpu, r < 0 ? strerror(errno) : "short read");
		close(s->fd[i]);
		s->fd[i] = -1;
		rc = 1;
		if (--s->nlive == 0)
			return wl_error_set(err, "every power/energy-* event has stopped");
	}
	return rc;
}

const struct wl_source_ops wl_source_perf_power = {
	.name = "rapl",
	.help =
		"RAPL through the perf_event `power` PMU (64-bit counts, no wrap), one CPU "
		"per package",
	.default_period_ns = 1000000, /* RAPL energy status updates about every 1 ms */
	.open = perf_power_open,
	.describe = perf_power_describe,
	.sample = perf_power_sample,
	.next_due = NULL,
	.close = perf_power_close,
};
