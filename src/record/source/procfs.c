/*
 * procfs.c - host CPU and memory use, and the recorded command's CPU time
 * (source "procfs"), from <procfs_root>/stat, /meminfo and /<pid>/stat.
 *
 * Channels (all from one sample() call):
 *   cpu_busy       "%" device "cpu"   whole host  } f64 gauges, busy share of
 *   cpu_busy       "%" device "cpuN"  each CPU    } the interval since the
 *                                                   previous sample (none at
 *                                                   the first sample)
 *   mem_used       "%" device ""      (MemTotal - MemAvailable) / MemTotal * 100
 *   mem_used_bytes "B" device ""      (MemTotal - MemAvailable) * 1024
 *   tree_cpu_time  "s" device ""      u64 counter in clock ticks, scale
 *                                     1/_SC_CLK_TCK: utime+stime of the child
 *                                     and its descendants (procfs_tree.h);
 *                                     absent when the child's stat cannot be
 *                                     read at open (said at the first sample)
 *
 * The tree is read at the first sample, then at the first sample at or after
 * each step of its own grid, first + k x tree period (opts tree_period_ns,
 * default 1 s; a sample up to 1/20 of that period early counts, so that
 * jitter never pushes a read to the next sample), and once more when the
 * command exits (command_exited: the root is then a zombie whose stat holds
 * its own time and that of every child it waited for).  The period is in the
 * trace as META procfs.tree_interval_ns.  Why not every sample: a read walks
 * /proc (a stat and a children file per process, and a task directory per
 * process), several times a sample's own cost at 10 Hz; and the counter
 * moves in whole clock ticks (10 ms), so over 100 ms a read's rounding is up
 * to a tenth of a CPU, over 1 s a hundredth.  The command's share of the
 * energy (share.h) is taken per interval between two tree reads: exact at the
 * period written in the trace.
 *
 * /proc/stat and /proc/meminfo are opened once and read with pread at offset
 * 0; only the leading part that holds the wanted lines is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs_tree.h"
#include "sysread.h"
#include "wattlog/source.h"

#define TREE_PERIOD_NS 1000000000ull      /* default tree period */
#define TREE_SCAN_PERIOD_NS 1000000000ull /* at least this when scanning all of /proc */

struct cpu_slot {
	uint64_t busy, total; /* jiffies at the previous sample */
	int have;
};

struct procfs {
	struct wl_source_desc desc;
	struct wl_chan_info *chans;
	int fd_stat, fd_mem;
	char *sbuf, *mbuf;
	size_t sread, mread;  /* bytes pread each sample */
	size_t ncpu;          /* cpu_busy channels: "cpu" + one per CPU line */
	int *map;             /* CPU number -> channel index, -1 = none */
	size_t nmap;
	struct cpu_slot *slot; /* per channel index < ncpu */
	long ch_mem;          /* index of mem_used (mem_used_bytes = +1), -1 */
	long ch_tree;         /* index of tree_cpu_time, -1 */
	struct wl_ptree *tree;
	uint64_t tree_due, tree_period, tree_last, tree_off;
	int tree_have, tree_gone, tree_final, stat_bad, mem_bad;
	struct wl_kv meta;
	char meta_val[24];
	struct wl_error pending; /* why there is no tree channel (has_pending) */
	int has_pending;
	char *stat_path, *mem_path;
};

static void set_chan(struct wl_chan_info *c, const char *name, const char *unit,
		     const char *device)
{
	memset(c, 0, sizeof(*c));
	c->kind = WL_KIND_GAUGE;
	c->type = WL_TYPE_F64;
	c->scale = 1.0;
	snprintf(c->source, sizeof(c->source), "procfs");
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->unit, sizeof(c->unit), "%s", unit);
	snprintf(c->device, sizeof(c->device), "%s", device);
}

static char *join(const char *root, const char *leaf)
{
	size_t n = strlen(root) + strlen(leaf) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", root, leaf);
	return p;
}

/*
 * Parses the "cpu" lines at the start of /proc/stat:
 *   cpu[N] user nice system idle iowait irq softirq steal guest guest_nice
 * total = user+nice+system+idle+iowait+irq+softirq+steal (guest time is
 * already in user/nice), busy = total - idle - iowait.  Calls fn for each
 * whole line with cpu = -1 for the aggregate.  Returns the bytes the cpu
 * lines span, or 0 when the buffer does not start with one.
 */
typedef void (*cpu_fn)(void *ctx, long cpu, uint64_t busy, uint64_t total);

static size_t parse_cpu_lines(const char *b, cpu_fn fn, void *ctx)
{
	const char *p = b, *q;
	uint64_t v[8], n;
	long cpu;
	int nf;

	while (p[0] == 'c' && p[1] == 'p' && p[2] == 'u') {
		q = p + 3;
		cpu = -1;
		if (*q != ' ') {
			if (!(q = wl_parse_u64(q, &n)))
				break;
			cpu = (long)n;
		}
		nf = 0;
		memset(v, 0, sizeof(v));
		while (*q == ' ') {
			if (!(q = wl_parse_u64(q, &n)))
				break;
			if (nf < 8)
				v[nf] = n;
			nf++;
		}
		if (!q || *q != '\n' || nf < 4)
			break; /* malformed, or cut off by the read size */
		n = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		fn(ctx, cpu, n - v[3] - v[4], n);
		p = q + 1;
	}
	return (size_t)(p - b);
}

static void count_cpu(void *ctx, long cpu, uint64_t busy, uint64_t total)
{
	long *mx = ctx;

	(void)busy;
	(void)total;
	mx[0]++;
	if (cpu > mx[1])
		mx[1] = cpu;
}

struct stat_ctx {
	struct procfs *s;
	union wl_value *vals;
	unsigned char *present;
};

/* busy% = (busy1 - busy0) / (total1 - total0) * 100 over one interval. */
static void take_cpu(void *ctx, long cpu, uint64_t busy, uint64_t total)
{
	struct stat_ctx *c = ctx;
	struct procfs *s = c->s;
	struct cpu_slot *sl;
	long i = 0;

	if (cpu >= 0) {
		if ((size_t)cpu >= s->nmap || (i = s->map[cpu]) < 0)
			return; /* a CPU that came online after open */
	}
	sl = &s->slot[i];
	if (sl->have && total > sl->total && busy >= sl->busy && busy - sl->busy <= total - sl->total) {
		c->vals[i].f = (double)(busy - sl->busy) / (double)(total - sl->total) * 100.0;
		c->present[i] = 1;
	} else if (sl->have && total == sl->total) {
		return; /* no tick since the last read: no value, keep the base */
	}
	sl->busy = busy;
	sl->total = total;
	sl->have = 1;
}

/* Second pass at open: channel k for the k-th CPU line (from 1). */
static void name_cpu(void *ctx, long cpu, uint64_t busy, uint64_t total)
{
	struct procfs *s = ctx;
	char dev[32];

	(void)busy;
	(void)total;
	if (cpu < 0 || (size_t)cpu >= s->nmap || s->map[cpu] >= 0 || s->ncpu >= s->desc.n)
		return;
	snprintf(dev, sizeof(dev), "cpu%ld", cpu);
	set_chan(&s->chans[s->ncpu], "cpu_busy", "%", dev);
	s->map[cpu] = (int)s->ncpu++;
}

static int setup_stat(struct procfs *s, struct wl_error *err)
{
	long mx[2] = {0, -1};
	char *b = NULL;
	size_t len, span, i;
	int rc;

	rc = wl_sysread_alloc(s->stat_path, &b, &len);
	if (rc < 0)
		return wl_error_errno(err, -rc, "cannot read '%s'", s->stat_path);
	span = parse_cpu_lines(b, count_cpu, mx);
	free(b);
	if (mx[0] < 1)
		return wl_error_set(err, "no cpu lines at the start of '%s'", s->stat_path);
	s->desc.n = (size_t)mx[0]; /* the most channels name_cpu may add */
	s->nmap = (size_t)(mx[1] + 1);
	/* Counters grow digits over a run: read twice the span the lines take. */
	s->sread = 2 * span + 256;
	s->sbuf = malloc(s->sread + 1);
	s->map = malloc((s->nmap ? s->nmap : 1) * sizeof(*s->map));
	s->slot = calloc(s->desc.n, sizeof(*s->slot));
	s->chans = calloc(s->desc.n + 3, sizeof(*s->chans));
	if (!s->sbuf || !s->map || !s->slot || !s->chans)
		return wl_error_set(err, "out of memory");
	for (i = 0; i < s->nmap; i++)
		s->map[i] = -1;
	/* Channel 0 is the aggregate, then the CPUs in the order listed. */
	set_chan(&s->chans[0], "cpu_busy", "%", "cpu");
	s->fd_stat = open(s->stat_path, O_RDONLY | O_CLOEXEC);
	if (s->fd_stat < 0)
		return wl_error_errno(err, errno, "cannot open '%s'", s->stat_path);
	rc = (int)pread(s->fd_stat, s->sbuf, s->sread, 0);
	if (rc <= 0)
		return wl_error_errno(err, rc < 0 ? errno : EIO, "cannot read '%s'",
				      s->stat_path);
	s->sbuf[rc] = 0;
	s->ncpu = 1;
	parse_cpu_lines(s->sbuf, name_cpu, s);
	s->desc.n = s->ncpu;
	return 0;
}

static const char *mem_line(const char *b, const char *key, uint64_t *kb)
{
	size_t kl = strlen(key);
	const char *p;

	for (p = b; *p; p++) {
		if (!memcmp(p, key, kl))
			return wl_parse_u64(p + kl, kb);
		if (!(p = strchr(p, '\n')))
			break;
	}
	return NULL;
}

static int setup_mem(struct procfs *s, struct wl_error *err)
{
	char b[16384];
	const char *end;
	uint64_t v;
	size_t len;
	int rc;

	rc = wl_sysread_file(s->mem_path, b, sizeof(b), &len);
	if (rc < 0)
		return wl_error_errno(err, -rc, "cannot read '%s'", s->mem_path);
	if (!mem_line(b, "MemTotal:", &v) || !(end = mem_line(b, "MemAvailable:", &v)))
		return 0; /* before Linux 3.14: no memory channels */
	s->mread = 2 * (size_t)(end - b) + 64;
	if (s->mread > len + 256)
		s->mread = len + 256;
	s->mbuf = malloc(s->mread + 1);
	if (!s->mbuf)
		return wl_error_set(err, "out of memory");
	s->fd_mem = open(s->mem_path, O_RDONLY | O_CLOEXEC);
	if (s->fd_mem < 0)
		return wl_error_errno(err, errno, "cannot open '%s'", s->mem_path);
	s->ch_mem = (long)s->desc.n;
	set_chan(&s->chans[s->desc.n++], "mem_used", "%", "");
	set_chan(&s->chans[s->desc.n++], "mem_used_bytes", "B", "");
	return 0;
}

static void procfs_close(void *state);

static int procfs_open(void **state, const struct wl_source_opts *o, struct wl_error *err)
{
	const char *root = o->procfs_root ? o->procfs_root : "/proc";
	struct procfs *s = calloc(1, sizeof(*s));
	long hz;

	*state = NULL;
	if (!s)
		return wl_error_set(err, "out of memory");
	s->fd_stat = s->fd_mem = -1;
	s->ch_mem = s->ch_tree = -1;
	s->stat_path = join(root, "stat");
	s->mem_path = join(root, "meminfo");
	if (!s->stat_path || !s->mem_path) {
		procfs_close(s);
		return wl_error_set(err, "out of memory");
	}
	if (setup_stat(s, err) < 0 || setup_mem(s, err) < 0) {
		procfs_close(s);
		return -1;
	}
	if (o->child > 0) {
		s->tree = wl_ptree_open(root, o->child, &s->pending);
		s->has_pending = !s->tree; /* host channels still work: told at sample 1 */
	}
	if (s->tree) {
		hz = sysconf(_SC_CLK_TCK);
		s->ch_tree = (long)s->desc.n;
		set_chan(&s->chans[s->desc.n], "tree_cpu_time", "s", "");
		s->chans[s->desc.n].kind = WL_KIND_COUNTER;
		s->chans[s->desc.n].type = WL_TYPE_U64;
		s->chans[s->desc.n].scale = 1.0 / (double)(hz > 0 ? hz : 100);
		s->desc.n++;
		s->tree_period = o->tree_period_ns ? o->tree_period_ns : TREE_PERIOD_NS;
		if (wl_ptree_scanning(s->tree) && s->tree_period < TREE_SCAN_PERIOD_NS)
			s->tree_period = TREE_SCAN_PERIOD_NS;
		snprintf(s->meta_val, sizeof(s->meta_val), "%llu",
			 (unsigned long long)s->tree_period);
		s->meta.key = "procfs.tree_interval_ns";
		s->meta.value = s->meta_val;
		s->desc.meta = &s->meta;
		s->desc.nmeta = 1;
	}
	s->desc.chans = s->chans;
	*state = s;
	return 0;
}

static const struct wl_source_desc *procfs_describe(void *state)
{
	return &((struct procfs *)state)->desc;
}

/* Reads the tree's CPU time when due (see the top of the file); absent for
 * good once the root process is gone (reaped).  The sum may drop when a
 * descendant exits unwaited (its time leaves the tree); the drop is added to
 * an offset so the counter never goes back: reported = T + offset. */
static void sample_tree(struct procfs *s, uint64_t now_ns, union wl_value *vals,
			unsigned char *present)
{
	uint64_t t, slack = s->tree_period / 20;

	if (s->tree_gone)
		return;
	if (!s->tree_final && s->tree_have && now_ns + slack < s->tree_due)
		return;
	s->tree_final = 0;
	if (!s->tree_have)
		s->tree_due = now_ns;
	while (s->tree_due <= now_ns + slack) /* the next grid step ahead */
		s->tree_due += s->tree_period;
	if (wl_ptree_ticks(s->tree, &t, NULL) < 0) {
		s->tree_gone = 1; /* the command ended and was reaped: not news */
		return;
	}
	if (s->tree_have && t + s->tree_off < s->tree_last)
		s->tree_off = s->tree_last - t;
	s->tree_last = t + s->tree_off;
	s->tree_have = 1;
	vals[s->ch_tree].u = s->tree_last;
	present[s->ch_tree] = 1;
}

/* Reads fd into buf (cap bytes) at offset 0; returns the length, or -1. */
static long read_at0(int fd, char *buf, size_t cap)
{
	ssize_t n = pread(fd, buf, cap, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	return (long)n;
}

static int procfs_sample(void *state, uint64_t now_ns, union wl_value *vals,
			 unsigned char *present, struct wl_error *err)
{
	struct procfs *s = state;
	struct stat_ctx c = {s, vals, present};
	uint64_t total, avail;
	int rc = 0;

	if (s->has_pending) {
		s->has_pending = 0;
		*err = s->pending;
		rc = 1;
	}

	if (read_at0(s->fd_stat, s->sbuf, s->sread) < 0 ||
	    parse_cpu_lines(s->sbuf, take_cpu, &c) == 0) {
		if (!s->stat_bad)
			wl_error_set(err, "cannot read cpu lines from '%s'", s->stat_path);
		rc = !s->stat_bad;
		s->stat_bad = 1;
	} else {
		s->stat_bad = 0;
	}
	if (s->ch_mem >= 0) {
		if (read_at0(s->fd_mem, s->mbuf, s->mread) >= 0 &&
		    mem_line(s->mbuf, "MemTotal:", &total) &&
		    mem_line(s->mbuf, "MemAvailable:", &avail) && total > 0 && avail <= total) {
			/* used% = (MemTotal - MemAvailable) / MemTotal * 100, kB */
			vals[s->ch_mem].f = (double)(total - avail) / (double)total * 100.0;
			vals[s->ch_mem + 1].f = (double)(total - avail) * 1024.0;
			present[s->ch_mem] = present[s->ch_mem + 1] = 1;
			s->mem_bad = 0;
		} else {
			if (!s->mem_bad) {
				wl_error_set(err, "cannot read MemTotal/MemAvailable from '%s'",
					     s->mem_path);
				rc = 1;
			}
			s->mem_bad = 1;
		}
	}
	if (s->tree)
		sample_tree(s, now_ns, vals, present);
	return rc;
}

static void procfs_command_exited(void *state)
{
	struct procfs *s = state;

	if (s && s->tree)
		s->tree_final = 1;
}

static void procfs_close(void *state)
{
	struct procfs *s = state;

	if (!s)
		return;
	if (s->fd_stat >= 0)
		close(s->fd_stat);
	if (s->fd_mem >= 0)
		close(s->fd_mem);
	wl_ptree_free(s->tree);
	free(s->sbuf);
	free(s->mbuf);
	free(s->map);
	free(s->slot);
	free(s->chans);
	free(s->stat_path);
	free(s->mem_path);
	free(s);
}

const struct wl_source_ops wl_source_procfs = {
	.name = "procfs",
	.help =
		"`/proc/stat`, `/proc/meminfo`, the recorded command's process tree",
	.default_period_ns = 10000000, /* USER_HZ = 100: jiffies move every 10 ms */
	.open = procfs_open,
	.describe = procfs_describe,
	.sample = procfs_sample,
	.next_due = NULL,
	.command_exited = procfs_command_exited,
	.close = procfs_close,
};
