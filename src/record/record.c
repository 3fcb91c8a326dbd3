/* record.c - wattlog-record's main flow (see record.h): options, output,
 * command, sources, trace header, loop, exit status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/record.h"
#include "wattlog/version.h"
#include "rec.h"
#include "slurm.h"

#define MAX_SOURCES 16
#define MAX_CHANNELS 65535

struct recorder {
	struct wl_rec_opts o;
	struct wl_source_opts so;
	struct wl_rec_loop L;
	struct wl_rec_src src[MAX_SOURCES];
	char why[MAX_SOURCES][WL_ERROR_MAX]; /* unavailable sources' reasons */
	const struct wl_source_ops *down[MAX_SOURCES];
	size_t ndown;
	struct wl_child child;
	struct wl_marker_in in[2];
	int fd;
	int fifo_fd, fifo_wr, fifo_made;
	struct wl_sudo sudo;
	struct rusage loop_ru; /* CPU used before the loop (--stats) */
};

static int known_source(const char *name)
{
	const struct wl_source_ops *const *list;
	size_t n, i;

	if (!strcmp(name, "rapl"))
		return 1;
	n = wl_sources(&list);
	for (i = 0; i < n; i++)
		if (!strcmp(list[i]->name, name))
			return 1;
	return 0;
}

/* The period of source ops: its --source-interval ("rapl" covers both RAPL
 * sources), else -i. */
static uint64_t period_of(const struct wl_rec_opts *o, const struct wl_source_ops *ops)
{
	int rapl = !strcmp(ops->name, "rapl") || !strcmp(ops->name, "perf_power") ||
		   !strcmp(ops->name, "powercap");
	uint64_t p = o->interval_ns;
	size_t i;

	for (i = 0; i < o->nsrc; i++)
		if (!strcmp(o->src[i].name, ops->name) || (rapl && !strcmp(o->src[i].name, "rapl")))
			p = o->src[i].period_ns;
	return p;
}

static int open_fifo(struct recorder *r, struct wl_error *err)
{
	const char *path = r->o.marker_fifo;
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return wl_error_errno(err, errno, "cannot use marker FIFO '%s'", path);
		if (mkfifo(path, 0600) < 0)
			return wl_error_errno(err, errno, "cannot create marker FIFO '%s'", path);
		r->fifo_made = 1;
	} else if (!S_ISFIFO(st.st_mode)) {
		return wl_error_set(err, "cannot use marker FIFO '%s': it exists and is not a FIFO",
				    path);
	}
	r->fifo_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (r->fifo_fd < 0)
		return wl_error_errno(err, errno, "cannot open marker FIFO '%s'", path);
	if (fstat(r->fifo_fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return wl_error_set(err, "cannot use marker FIFO '%s': not a FIFO", path);
	/* our own writer keeps the FIFO from reading end-of-file between senders */
	r->fifo_wr = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fifo_wr < 0)
		return wl_error_errno(err, errno, "cannot open marker FIFO '%s'", path);
	return 0;
}

static int open_sources(struct recorder *r, struct wl_error *err)
{
	const struct wl_source_ops *const *list;
	size_t n, i, nch = 0, cap;
	struct wl_rec_src *s;
	struct wl_error e;
	void *state;

	n = wl_sources(&list);
	for (i = 0; i < n && i < MAX_SOURCES; i++) {
		const char *opened[MAX_SOURCES], *by;
		size_t k;

		for (k = 0; k < r->L.nsrc; k++)
			opened[k] = r->src[k].ops->name;
		by = wl_source_stands_down(list[i], opened, r->L.nsrc);
		if (by) {
			snprintf(r->why[r->ndown], sizeof(r->why[0]),
				 "%s unavailable: %s records the same counters", list[i]->name, by);
			r->down[r->ndown++] = list[i];
			continue;
		}
		state = NULL;
		e.msg[0] = 0;
		if (list[i]->open(&state, &r->so, &e) < 0) {
			list[i]->close(state);
			snprintf(r->why[r->ndown], sizeof(r->why[0]), "%s unavailable: %s",
				 list[i]->name, e.msg[0] ? e.msg : "no reason given");
			r->down[r->ndown++] = list[i];
			continue;
		}
		s = &r->src[r->L.nsrc++];
		s->ops = list[i];
		s->state = state;
		s->desc = list[i]->describe(state);
		s->period_ns = period_of(&r->o, list[i]);
		if (nch + s->desc->n > MAX_CHANNELS)
			return wl_error_set(err, "too many channels: more than %d", MAX_CHANNELS);
		s->first_id = (uint16_t)nch;
		nch += s->desc->n;
		cap = s->desc->n ? s->desc->n : 1;
		s->vals = calloc(cap, sizeof(*s->vals));
		s->out_vals = calloc(cap, sizeof(*s->out_vals));
		s->out_ids = calloc(cap, sizeof(*s->out_ids));
		s->present = calloc(cap, 1);
		if (!s->vals || !s->out_vals || !s->out_ids || !s->present)
			return wl_error_set(err, "out of memory for source '%s'", list[i]->name);
	}
	return 0;
}

/* The period procfs reads the command's tree at (its META
 * procfs.tree_interval_ns), 0 = no tree. */
static uint64_t tree_period(const struct recorder *r)
{
	size_t i, j;

	for (i = 0; i < r->L.nsrc; i++)
		for (j = 0; j < r->src[i].desc->nmeta; j++)
			if (!strcmp(r->src[i].desc->meta[j].key, "procfs.tree_interval_ns"))
				return strtoull(r->src[i].desc->meta[j].value, NULL, 10);
	return 0;
}

static void close_sources(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->L.nsrc; i++) {
		struct wl_rec_src *s = &r->src[i];

		s->ops->close(s->state);
		free(s->vals);
		free(s->out_vals);
		free(s->out_ids);
		free(s->present);
	}
	r->L.nsrc = 0;
}

/* META, CHANNEL, LOG (unavailable sources), SYNC; then the first block. */
static int write_header(struct recorder *r, const struct wl_hostmeta *hm, struct wl_error *err)
{
	struct wl_writer *w = r->L.w;
	struct wl_chan_info ch;
	struct wl_kv kv[64];
	char keys[MAX_SOURCES][48], vals[MAX_SOURCES][24];
	size_t i, j, k;
	uint64_t now;

	if (wl_writer_meta(w, hm->kv, hm->n, err) < 0)
		return -1;
	k = wl_slurm_meta(kv, WL_SLURM_META_MAX); /* slurm.job_id, ... (slurm.h) */
	if (k && wl_writer_meta(w, kv, k, err) < 0)
		return -1;
	for (i = 0; i < r->L.nsrc; i++) {
		const struct wl_rec_src *s = &r->src[i];

		k = 0;
		snprintf(keys[i], sizeof(keys[i]), "%s.interval_ns", s->ops->name);
		snprintf(vals[i], sizeof(vals[i]), "%llu", (unsigned long long)s->period_ns);
		kv[k].key = keys[i];
		kv[k++].value = vals[i];
		for (j = 0; j < s->desc->nmeta; j++) {
			if (k == sizeof(kv) / sizeof(kv[0])) {
				if (wl_writer_meta(w, kv, k, err) < 0)
					return -1;
				k = 0;
			}
			kv[k++] = s->desc->meta[j];
		}
		if (wl_writer_meta(w, kv, k, err) < 0)
			return -1;
	}
	for (i = 0; i < r->L.nsrc; i++) {
		const struct wl_rec_src *s = &r->src[i];

		for (j = 0; j < s->desc->n; j++) {
			ch = s->desc->chans[j];
			ch.id = (uint16_t)(s->first_id + j);
			wl_chan_meaning(&ch); /* what the source left unstated */
			if (wl_writer_channel(w, &ch, err) < 0)
				return -1;
		}
	}
	now = wl_rec_mono_ns();
	for (i = 0; i < r->ndown; i++)
		if (wl_writer_log(w, now, WL_LOG_INFO, r->why[i], err) < 0)
			return -1;
	if (wl_writer_sync(w, wl_rec_mono_ns(), wl_rec_real_ns(), err) < 0)
		return -1;
	return wl_writer_flush(w, err);
}

/* The end record of a clean stop: META end_monotonic_ns, end_realtime_ns,
 * exit_status.  A trace without it was cut off (recorder killed): merge
 * names such a node.  Errors are the loop's (L.failed), not told twice. */
static void write_end(struct recorder *r, int status)
{
	char mono[24], real[24], st[16];
	struct wl_kv kv[3];
	struct wl_error err;

	if (r->L.failed || !r->L.w)
		return;
	snprintf(mono, sizeof(mono), "%llu", (unsigned long long)wl_rec_mono_ns());
	snprintf(real, sizeof(real), "%llu", (unsigned long long)wl_rec_real_ns());
	snprintf(st, sizeof(st), "%d", status);
	kv[0] = (struct wl_kv){"end_monotonic_ns", mono};
	kv[1] = (struct wl_kv){"end_realtime_ns", real};
	kv[2] = (struct wl_kv){"exit_status", st};
	if (wl_writer_meta(r->L.w, kv, 3, &err) == 0)
		wl_writer_flush(r->L.w, &err);
}

static double cpu_s(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/* --stats: the sampling work per tick, and CPU time: the whole process
 * (cpu_user_s, cpu_sys_s), the sampling loop alone (loop_cpu_s, from its
 * start to the end of recording: what a floor measures over its sampling
 * window), and the command's (cpu_children_s, reaped). */
static void print_stats(const struct recorder *r, uint64_t wall_ns)
{
	const struct wl_rec_hist *h = &r->L.hist;
	struct rusage ru, rc;
	uint64_t med, p99, cpu_us;

	getrusage(RUSAGE_SELF, &ru);
	getrusage(RUSAGE_CHILDREN, &rc); /* the command, reaped by now */
	med = wl_rec_hist_quantile(h, 0.5);
	p99 = wl_rec_hist_quantile(h, 0.99);
	cpu_us = (uint64_t)ru.ru_utime.tv_sec * 1000000 + (uint64_t)ru.ru_utime.tv_usec +
		 (uint64_t)ru.ru_stime.tv_sec * 1000000 + (uint64_t)ru.ru_stime.tv_usec;
	fprintf(stderr,
		"wattlog-record: stats: ticks=%llu samples=%llu markers=%llu work_median_us=%.1f "
		"work_p99_us=%.1f work_max_us=%.1f wall_s=%.3f cpu_user_s=%.3f cpu_sys_s=%.3f "
		"cpu_pct=%.3f ticks_per_s=%.1f maxrss_kb=%ld loop_cpu_s=%.6f cpu_children_s=%.6f\n",
		(unsigned long long)r->L.ticks, (unsigned long long)r->L.samples,
		(unsigned long long)r->L.markers, (double)med / 1e3, (double)p99 / 1e3,
		(double)h->max_ns / 1e3, (double)wall_ns / 1e9,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
		wall_ns ? 100.0 * (double)cpu_us * 1e3 / (double)wall_ns : 0.0,
		wall_ns ? (double)r->L.ticks * 1e9 / (double)wall_ns : 0.0, ru.ru_maxrss,
		cpu_s(&ru) - cpu_s(&r->loop_ru), cpu_s(&rc));
}

/* --metrics-listen: the metrics of the opened sources, served from now on
 * (metrics.h); the address goes to stderr. */
static int serve_metrics(struct recorder *r, const char *host, uint64_t origin_ns,
			 struct wl_error *err)
{
	if (wl_metrics_open(&r->L.metrics, r->src, r->L.nsrc, host, origin_ns, err) < 0 ||
	    wl_http_attach(r->L.http, r->L.metrics, err) < 0)
		return -1;
	if (!r->o.quiet)
		fprintf(stderr, "wattlog-record: serving metrics on http://%s/metrics\n",
			wl_http_address(r->L.http));
	return 0;
}

/* Everything after option parsing; returns the exit status. */
static int record(struct recorder *r)
{
	struct wl_hostmeta hm;
	struct wl_error err;
	sigset_t origmask;
	uint64_t real0, mono0;
	int rc = 0, have_child = r->o.cmd != NULL;
	size_t i;

	for (i = 0; i < r->o.nsrc; i++)
		if (!known_source(r->o.src[i].name)) {
			fprintf(stderr, "wattlog-record: bad source interval: unknown source '%s' "
				"(see --list)\n", r->o.src[i].name);
			return 2;
		}
	if (wl_rec_signals_init(&r->L.waitmask, &origmask, &err) < 0)
		goto fail_early;
	/* under sudo, the trace and the FIFO are the user's doing (sudo.h) */
	if (wl_sudo_enter(&r->sudo, &err) < 0)
		goto fail_early;
	r->fd = wl_rec_output_open(r->o.output, r->o.force, &err);
	rc = r->fd < 0 ? -1 : r->o.marker_fifo ? open_fifo(r, &err) : 0;
	wl_sudo_leave(&r->sudo);
	if (rc < 0) {
		wl_sudo_note(&r->sudo, &err);
		goto fail_early;
	}
	if (have_child) {
		if (wl_child_spawn(&r->child, r->o.cmd, &origmask, &r->sudo, &err) < 0)
			goto fail_early;
		r->so.child = r->child.pid;
		r->L.child = &r->child;
		wl_marker_in_init(&r->in[r->L.nin++], r->child.marker_rd, "marker pipe");
	}
	if (r->fifo_fd >= 0) {
		if (r->o.once_per_node && wl_slurm_local_rank() == 0) {
			r->L.linger_fd = &r->fifo_wr; /* the other local ranks' markers */
			r->L.linger_in = r->L.nin;
			r->L.linger_ns = 30000000000ull;
		}
		wl_marker_in_init(&r->in[r->L.nin++], r->fifo_fd, r->o.marker_fifo);
	}
	/* after the command's pipes, which keep their low numbers (dash's >&N) */
	if (r->o.metrics_listen &&
	    wl_http_open(&r->L.http, r->o.metrics_listen, !r->sudo.active, &err) < 0)
		goto fail;
	r->L.in = r->in;
	r->L.src = r->src;
	if (open_sources(r, &err) < 0)
		goto fail;
	r->L.tree_ns = tree_period(r);
	if (!r->o.quiet)
		for (i = 0; i < r->ndown; i++)
			fprintf(stderr, "wattlog-record: %s\n", r->why[i]);
	r->L.w = wl_writer_open_named(r->fd, r->o.output, 0, &err);
	if (!r->L.w)
		goto fail;
	real0 = wl_rec_real_ns();
	mono0 = wl_rec_mono_ns();
	if (wl_hostmeta_init(&hm, r->o.procfs_root, r->o.cmd, r->o.ncmd, real0, mono0,
			     r->o.interval_ns, &err) < 0)
		goto fail;
	rc = write_header(r, &hm, &err);
	if (rc == 0 && r->L.http)
		rc = serve_metrics(r, hm.hostname, mono0, &err);
	else if (rc == 0 && !r->o.quiet &&
		 wl_metrics_open(&r->L.metrics, r->src, r->L.nsrc, hm.hostname, mono0, &err) < 0)
		r->L.metrics = NULL; /* the summary's energy only: not worth failing for */
	wl_hostmeta_release(&hm);
	if (rc < 0)
		goto fail;
	r->L.stats_blocks = wl_writer_blocks(r->L.w);
	if (!r->o.quiet) {
		size_t nch = 0;

		for (i = 0; i < r->L.nsrc; i++)
			nch += r->src[i].desc->n;
		fprintf(stderr, "wattlog-record: recording %zu channel%s from %zu source%s to '%s'\n",
			nch, nch == 1 ? "" : "s", r->L.nsrc, r->L.nsrc == 1 ? "" : "s",
			r->o.output);
	}
	if (have_child && wl_child_release(&r->child, r->o.cmd, &err) < 0) {
		fprintf(stderr, "wattlog-record: %s\n", err.msg);
		if (wl_writer_log(r->L.w, wl_rec_mono_ns(), WL_LOG_ERROR, err.msg, &err) < 0)
			wl_rec_loop_fail(&r->L, &err);
	}
	getrusage(RUSAGE_SELF, &r->loop_ru);
	r->L.start_ns = wl_rec_mono_ns();
	wl_rec_loop_run(&r->L);
	if (r->o.stats)
		print_stats(r, wl_rec_mono_ns() - r->L.start_ns);
	if (!r->o.quiet)
		wl_rec_summary(&r->L, wl_rec_mono_ns() - r->L.start_ns, stderr);
	rc = have_child ? wl_child_exit_code(&r->child) : (r->L.failed ? 1 : 0);
	write_end(r, rc);
	goto out;
fail:
	fprintf(stderr, "wattlog-record: %s\n", err.msg);
	rc = 1;
	if (have_child && r->child.pid) {
		wl_child_close(&r->child); /* closing "go" makes the child exit 127 */
		wl_child_poll(&r->child, 1);
	}
	goto out;
fail_early:
	fprintf(stderr, "wattlog-record: %s\n", err.msg);
	rc = 1;
out:
	wl_http_close(r->L.http);
	r->L.http = NULL;
	wl_metrics_free(r->L.metrics);
	r->L.metrics = NULL;
	close_sources(r);
	if (r->L.w) {
		wl_writer_free(r->L.w);
		r->L.w = NULL;
	}
	if (r->fd >= 0 && close(r->fd) < 0 && !r->L.failed && rc == 0) {
		fprintf(stderr, "wattlog-record: cannot close '%s': %s\n", r->o.output,
			strerror(errno));
		rc = 1;
	}
	wl_child_close(&r->child);
	if (r->fifo_fd >= 0)
		close(r->fifo_fd);
	if (r->fifo_wr >= 0)
		close(r->fifo_wr);
	if (r->fifo_made && wl_sudo_enter(&r->sudo, &err) == 0) {
		unlink(r->o.marker_fifo);
		wl_sudo_leave(&r->sudo);
	}
	return rc;
}

/* Under sudo, as the user (sudo.h): mkdir -p of path's folder. */
static int mkdirs_as_user(const char *path, const struct wl_sudo *sudo, struct wl_error *err)
{
	int rc;

	if (wl_sudo_enter(sudo, err) < 0)
		return -1;
	rc = wl_slurm_mkdirs(path, err);
	wl_sudo_leave(sudo);
	if (rc < 0)
		wl_sudo_note(sudo, err);
	return rc;
}

/*
 * Under Slurm: expands the patterns of -o and --marker-fifo (slurm.h) and
 * creates their directories (as the user under sudo); with --once-per-node,
 * a local rank other than 0 becomes the command itself, as the user under
 * sudo (returns only on failure: -2, exit 127), or
 * without a command returns 1 (exit 0: local rank 0 records the node).  Outside Slurm nothing changes, except that a Slurm
 * pattern is an error.  The expanded names live until exit.
 */
static int slurm_setup(struct wl_rec_opts *o, const struct wl_sudo *sudo, struct wl_error *err)
{
	static char *out, *fifo;

	if (o->marker_fifo && wl_slurm_has_pattern(o->marker_fifo)) {
		if (wl_slurm_expand(o->marker_fifo, "--marker-fifo", &fifo, err) < 0)
			return -1;
		o->marker_fifo = fifo;
	}
	if (o->once_per_node && wl_slurm_local_rank() > 0) {
		if (!o->cmd)
			return 1; /* nothing to run, and local rank 0 records */
		if (wl_sudo_drop(sudo) < 0) {
			wl_error_errno(err, errno, "cannot run '%s' as uid %ld gid %ld", o->cmd[0],
				       (long)sudo->uid, (long)sudo->gid);
			return -2;
		}
		wl_slurm_exec_direct(o->cmd, o->marker_fifo, 10000, err);
		return -2;
	}
	if (wl_slurm_has_pattern(o->output)) {
		if (wl_slurm_expand(o->output, "-o", &out, err) < 0)
			return -1;
		o->output = out;
	}
	if (wl_slurm_active() && strchr(o->output, '/') &&
	    mkdirs_as_user(o->output, sudo, err) < 0)
		return -1;
	if (wl_slurm_active() && o->marker_fifo && strchr(o->marker_fifo, '/') &&
	    mkdirs_as_user(o->marker_fifo, sudo, err) < 0)
		return -1;
	return 0;
}

int wl_record_main(int argc, char **argv)
{
	static struct recorder r; /* large (marker buffers): not on the stack */
	struct wl_error err;
	int rc;

	memset(&r, 0, sizeof(r));
	r.fd = r.fifo_fd = r.fifo_wr = -1;
	r.child.go_fd = r.child.err_fd = r.child.marker_rd = -1;
	if (argc == 2 && !strcmp(argv[1], "--options")) /* the option table (t17) */
		return wl_cmdline_print(&wl_rec_cmdline, NULL, stdout) < 0 || fflush(stdout) ? 1 : 0;
	if (wl_rec_parse_args(argc, argv, &r.o, &err) < 0) {
		wl_usage_error(&wl_rec_cmdline, err.msg);
		return 2;
	}
	if (r.o.help) {
		fputs(wl_rec_usage, stdout);
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
	}
	if (r.o.version) {
		printf("wattlog-record %s\n", WL_VERSION);
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
	}
	wl_sudo_init(&r.sudo);
	/* under sudo, no library the environment names is loaded as root */
	r.so.nvml_lib = r.o.nvml_lib;
	r.so.no_env_libs = r.sudo.active;
	if (r.sudo.active && !r.o.nvml_lib && getenv("WATTLOG_NVML_LIB") && !r.o.quiet)
		fprintf(stderr, "wattlog-record: WATTLOG_NVML_LIB ignored under sudo "
			"(name the library with --nvml-lib)\n");
	r.so.sysfs_root = r.o.sysfs_root;
	r.so.procfs_root = r.o.procfs_root;
	r.so.gpus = r.o.gpus;
	/* the tree at --tree-interval, never faster than procfs samples */
	r.so.tree_period_ns = r.o.tree_ns;
	if (period_of(&r.o, &wl_source_procfs) > r.so.tree_period_ns)
		r.so.tree_period_ns = period_of(&r.o, &wl_source_procfs);
	r.so.verbose = r.o.list && r.o.verbose; /* sources time their calls */
	r.L.opts = &r.o;
	if (!r.o.list && (rc = slurm_setup(&r.o, &r.sudo, &err)) != 0) {
		if (rc > 0)
			return 0;
		fprintf(stderr, "wattlog-record: %s\n", err.msg);
		return rc == -2 ? 127 : 2;
	}
	r.L.path = r.o.output; /* its patterns expanded */
	if (r.o.list) {
		if (wl_rec_list(&r.so, r.o.verbose) < 0) {
			fprintf(stderr, "wattlog-record: cannot write the list: %s\n",
				strerror(errno));
			return 1;
		}
		return 0;
	}
	return record(&r);
}
