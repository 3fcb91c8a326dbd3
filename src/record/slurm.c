/* slurm.c - the recorder under Slurm (slurm.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "marker_fd.h"
#include "slurm.h"
#include "sudo.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int wl_slurm_active(void)
{
	return env("SLURM_JOB_ID") != NULL;
}

int wl_slurm_has_pattern(const char *s)
{
	return s && strchr(s, '%') != NULL;
}

struct buf {
	char *p;
	size_t n, cap;
};

static int put(struct buf *b, const char *s, size_t l)
{
	if (b->n + l + 1 > b->cap) {
		size_t cap = (b->n + l + 1) * 2;
		char *np = realloc(b->p, cap);

		if (!np)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, l);
	b->n += l;
	b->p[b->n] = 0;
	return 0;
}

/* The text of pattern letter c, in tmp when made; NULL with *var the
 * variable that is missing.  t: the time of %Y %m %d %H %M %S. */
static const char *value_of(char c, time_t t, char *tmp, size_t cap, const char **var)
{
	const char *j, *s;
	char *dot, fmt[3] = { '%', c, 0 };
	struct tm tm;

	*var = NULL;
	switch (c) {
	case 'Y': case 'm': case 'd': case 'H': case 'M': case 'S':
		if (!localtime_r(&t, &tm) || !strftime(tmp, cap, fmt, &tm))
			return NULL;
		return tmp;
	case 'p':
		snprintf(tmp, cap, "%ld", (long)getpid());
		return tmp;
	case 'j':
		return (*var = "SLURM_JOB_ID", env(*var));
	case 's':
		return env("SLURM_STEP_ID") ? env("SLURM_STEP_ID") : "batch";
	case 'J':
		j = env("SLURM_JOB_ID");
		s = env("SLURM_STEP_ID");
		*var = "SLURM_JOB_ID";
		if (!j)
			return NULL;
		snprintf(tmp, cap, "%s.%s", j, s ? s : "batch");
		return tmp;
	case 'N':
		return (*var = "SLURMD_NODENAME", env(*var));
	case 'n':
		return (*var = "SLURM_NODEID", env(*var));
	case 't':
		return (*var = "SLURM_PROCID", env(*var));
	case 'h':
		if (gethostname(tmp, cap - 1) < 0)
			return NULL;
		tmp[cap - 1] = 0;
		if ((dot = strchr(tmp, '.')))
			*dot = 0;
		return tmp;
	case 'u': /* under sudo, the user it runs for */
		return wl_sudo_user_name(tmp, cap);
	}
	return NULL;
}

/* A value holding '/' or "..": the name would leave the pattern's folder. */
static int refuse_value(const char *what, const char *pat, char c, const char *v,
			const char *var, struct wl_error *err)
{
	char shown[81];
	size_t i;

	for (i = 0; v[i] && i < sizeof(shown) - 1; i++) /* one printable line */
		shown[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
	shown[i] = 0;
	return wl_error_set(err, "%s '%s': %%%c is '%s'%s%s%s: a '/' or '..' in a value would "
			    "write outside the pattern's folder", what, pat, c, shown,
			    var ? " (" : "", var ? var : "", var ? ")" : "");
}

int wl_slurm_expand(const char *pat, const char *what, char **out, struct wl_error *err)
{
	static time_t t0; /* one instant for every name of this run */
	struct timespec now;

	/* not time(NULL): glibc reads the coarse clock there, up to a tick
	 * behind CLOCK_REALTIME, so a name could carry the second before
	 * the one date(1) printed just before the run */
	if (!t0 && clock_gettime(CLOCK_REALTIME, &now) == 0)
		t0 = now.tv_sec;
	return wl_slurm_expand_at(pat, what, t0, out, err);
}

int wl_slurm_expand_at(const char *pat, const char *what, time_t t, char **out,
		       struct wl_error *err)
{
	struct buf b = {0};
	const char *p, *v, *var;
	char tmp[256];

	if (put(&b, "", 0) < 0)
		return wl_error_set(err, "out of memory");
	for (p = pat; *p; p++) {
		if (*p != '%') {
			if (put(&b, p, 1) < 0)
				goto oom;
			continue;
		}
		if (p[1] == '%') {
			if (put(&b, "%", 1) < 0)
				goto oom;
			p++;
			continue;
		}
		if (!p[1] || !strchr("jJsNnthuYmdHMSp", p[1])) {
			free(b.p);
			return wl_error_set(err, "%s '%s': unknown pattern '%%%.1s' at byte %zu "
					    "(known: %%j %%J %%s %%N %%n %%t %%h %%u %%p %%Y %%m %%d %%H "
					    "%%M %%S %%%%)", what, pat, p + 1, (size_t)(p - pat));
		}
		if (strchr("jJsNnt", p[1]) && !wl_slurm_active()) {
			free(b.p);
			return wl_error_set(err, "%s '%s': %%%c needs Slurm (SLURM_JOB_ID is not set)",
					    what, pat, p[1]);
		}
		v = value_of(p[1], t, tmp, sizeof(tmp), &var);
		if (!v) {
			free(b.p);
			return wl_error_set(err, "%s '%s': %%%c: %s is not set", what, pat, p[1],
					    var ? var : "no value");
		}
		if (strchr(v, '/') || strstr(v, "..")) {
			free(b.p);
			return refuse_value(what, pat, p[1], v, var, err);
		}
		if (put(&b, v, strlen(v)) < 0)
			goto oom;
		p++;
	}
	*out = b.p;
	return 0;
oom:
	free(b.p);
	return wl_error_set(err, "out of memory");
}

int wl_slurm_mkdirs(const char *path, struct wl_error *err)
{
	char *d = strdup(path), *s;

	if (!d)
		return wl_error_set(err, "out of memory");
	for (s = d + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		if (mkdir(d, 0755) < 0 && errno != EEXIST) {
			int e = errno;

			wl_error_errno(err, e, "cannot create directory '%s' for '%s'", d, path);
			free(d);
			return -1;
		}
		*s = '/';
	}
	free(d);
	return 0;
}

size_t wl_slurm_meta(struct wl_kv *kv, size_t cap)
{
	static const char *const map[][3] = {
		{"slurm.job_id", "SLURM_JOB_ID", NULL},
		{"slurm.step_id", "SLURM_STEP_ID", NULL},
		{"slurm.node_name", "SLURMD_NODENAME", NULL},
		{"slurm.node_id", "SLURM_NODEID", NULL},
		{"slurm.proc_id", "SLURM_PROCID", NULL},
		{"slurm.local_id", "SLURM_LOCALID", NULL},
		{"slurm.job_num_nodes", "SLURM_JOB_NUM_NODES", "SLURM_NNODES"},
		{"slurm.job_nodelist", "SLURM_JOB_NODELIST", "SLURM_NODELIST"},
		{"slurm.cluster_name", "SLURM_CLUSTER_NAME", NULL},
	};
	size_t i, n = 0;
	const char *v;

	if (!wl_slurm_active())
		return 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]) && n < cap; i++) {
		v = env(map[i][1]);
		if (!v && map[i][2])
			v = env(map[i][2]);
		if (v)
			kv[n++] = (struct wl_kv){map[i][0], v};
	}
	return n;
}

long wl_slurm_local_rank(void)
{
	const char *v = wl_slurm_active() ? env("SLURM_LOCALID") : NULL;
	char *end;
	long r;

	if (!v)
		return -1;
	r = strtol(v, &end, 10);
	return *end || r < 0 ? -1 : r;
}

/* Opens the FIFO's write end once a reader has it; -1 after wait_ms. */
static int open_fifo(const char *fifo, long wait_ms)
{
	struct timespec ts = {0, 10000000}; /* 10 ms */
	long waited = 0;
	int fd;

	for (;;) {
		fd = open(fifo, O_WRONLY | O_NONBLOCK);
		if (fd >= 0 || (errno != ENXIO && errno != ENOENT) || waited >= wait_ms)
			return fd;
		nanosleep(&ts, NULL);
		waited += 10;
	}
}

int wl_slurm_exec_direct(char *const *cmd, const char *fifo, long wait_ms,
			 struct wl_error *err)
{
	char num[16];
	int fd, rw;

	if (fifo) {
		fd = open_fifo(fifo, wait_ms);
		if (fd < 0) {
			fprintf(stderr, "wattlog-record: local rank %ld: no marker FIFO '%s' after "
				"%ld ms: %s; running without markers\n", wl_slurm_local_rank(), fifo,
				wait_ms, strerror(errno));
			unsetenv("WATTLOG_MARKER_FD");
		} else {
			/* the FIFO's read side too: rank 0's recorder may exit first */
			rw = wl_marker_fd_open_fifo(fifo);
			if (rw >= 0) {
				close(fd);
				fd = rw;
			}
			fd = wl_marker_fd_place(fd, -1);
			snprintf(num, sizeof(num), "%d", fd);
			if (setenv("WATTLOG_MARKER_FD", num, 1) < 0)
				return wl_error_errno(err, errno, "cannot set WATTLOG_MARKER_FD");
		}
	} else {
		unsetenv("WATTLOG_MARKER_FD");
	}
	execvp(cmd[0], cmd);
	return wl_error_errno(err, errno, "cannot run '%s'", cmd[0]);
}
