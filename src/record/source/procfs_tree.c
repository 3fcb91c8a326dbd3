/* procfs_tree.c - CPU time of a process tree from procfs (see procfs_tree.h).
 *
 * A read walks the tree from the root: each process's stat, then its
 * children.  The first PTREE_KEEP processes keep their stat and children
 * files open from one read to the next and read them with pread (two calls
 * each, not an open, read and close of each and a task directory listing):
 * an open /proc/PID file stays bound to its process, so once that process
 * is gone (its pid free for another) the read fails and the file is opened
 * again by path.  A process's own children file (task/PID/children) lists
 * them all when it has one thread; a process with more threads, or whose
 * stat gives no thread count, or a zombie leader, is read through its task
 * directory, each thread's children file.  At most 2 x PTREE_KEEP files stay
 * open, whatever the tree's size.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs_tree.h"
#include "sysread.h"
#include "wattlog/grow.h"

#define PTREE_MAX 65536 /* processes followed at most */
#define PTREE_KEEP 64    /* processes whose files stay open between reads */

/* A process's open files: stat and task/PID/children, -1 = not open. */
struct ent {
	pid_t pid;
	int fs, fc;
};

struct wl_ptree {
	char *root;
	size_t pathcap;
	char *path;
	pid_t pid;
	int scan;
	pid_t *q; /* the tree's pids, root first */
	size_t nq, capq;
	struct ent *keep, *prev; /* this read's open files, the last read's (PTREE_KEEP each) */
	size_t nkeep, nprev;
	struct pinfo {
		pid_t pid, ppid;
		uint64_t ticks;
	} *all; /* scan mode: every process */
	size_t nall, capall;
	char buf[65536];
};

static const char *skip_field(const char *p)
{
	while (*p == ' ')
		p++;
	while (*p && *p != ' ' && *p != '\n')
		p++;
	return p;
}

/* What a stat line gives. */
struct pstat {
	pid_t ppid;
	uint64_t ticks;
	char state;        /* R, S, Z, ... */
	uint64_t nthreads; /* 0 = not given */
};

/*
 * Parses a <pid>/stat line: "pid (comm) state ppid pgrp session tty_nr
 * tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
 * priority nice num_threads ...".  comm may hold spaces and ')' so fields
 * are counted after the last ')'.
 */
static int parse_stat(const char *b, struct pstat *ps)
{
	const char *p = strrchr(b, ')');
	uint64_t v, sum = 0;
	int i;

	if (!p)
		return -1;
	for (p++; *p == ' '; p++)
		;
	ps->state = *p;
	p = skip_field(p); /* 3: state */
	if (!(p = wl_parse_u64(p, &v)))
		return -1; /* 4: ppid */
	ps->ppid = (pid_t)v;
	for (i = 5; i <= 13; i++)
		p = skip_field(p);
	for (i = 14; i <= 17; i++) {
		if (!(p = wl_parse_u64(p, &v)))
			return -1;
		sum += v;
	}
	ps->ticks = sum;
	p = skip_field(skip_field(p)); /* 18, 19: priority, nice (may be < 0) */
	ps->nthreads = wl_parse_u64(p, &v) ? v : 0;
	return 0;
}

static int read_stat(struct wl_ptree *t, pid_t pid, struct pstat *ps)
{
	char b[1024];

	snprintf(t->path, t->pathcap, "%s/%d/stat", t->root, (int)pid);
	if (wl_sysread_file(t->path, b, sizeof(b), NULL) < 0)
		return -1;
	return parse_stat(b, ps);
}

/* pread of fd at offset 0 into b (cap bytes), NUL-terminated: length or -1. */
static long pread0(int fd, char *b, size_t cap)
{
	ssize_t n = pread(fd, b, cap - 1, 0);

	if (n < 0)
		return -1;
	b[n] = 0;
	return (long)n;
}

static void ent_close(struct ent *e)
{
	if (e->fs >= 0)
		close(e->fs);
	if (e->fc >= 0)
		close(e->fc);
	e->fs = e->fc = -1;
}

/* The stat of a process whose files stay open (e): through e->fs, opened
 * again by path when that fails (the process it was bound to is gone). */
static int kept_stat(struct wl_ptree *t, struct ent *e, struct pstat *ps)
{
	char b[1024];
	int again;

	for (again = 0; again < 2; again++) {
		if (e->fs < 0) {
			snprintf(t->path, t->pathcap, "%s/%d/stat", t->root, (int)e->pid);
			e->fs = open(t->path, O_RDONLY | O_CLOEXEC);
			if (e->fs < 0)
				return -1;
			again = 1; /* a fresh file: no third try */
		}
		if (pread0(e->fs, b, sizeof(b)) > 0 && parse_stat(b, ps) == 0)
			return 0;
		ent_close(e); /* its children file was the old process's too */
	}
	return -1;
}

static int is_pid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned)(*s - '0') >= 10)
			return 0;
	return 1;
}

static int push(struct wl_ptree *t, pid_t pid)
{
	if (t->nq >= PTREE_MAX || wl_grow((void **)&t->q, &t->capq, t->nq + 1, sizeof(*t->q)))
		return -1;
	t->q[t->nq++] = pid;
	return 0;
}

/* Appends the pids of buf (a children file). */
static void push_list(struct wl_ptree *t, const char *buf)
{
	const char *p;
	uint64_t v;

	for (p = buf; (p = wl_parse_u64(p, &v));)
		if (push(t, (pid_t)v) < 0)
			break;
}

/* Appends the children listed in <root>/<pid>/task/<tid>/children. */
static void add_children(struct wl_ptree *t, pid_t pid)
{
	struct dirent *e;
	DIR *d;

	snprintf(t->path, t->pathcap, "%s/%d/task", t->root, (int)pid);
	d = opendir(t->path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!is_pid(e->d_name))
			continue;
		snprintf(t->path, t->pathcap, "%s/%d/task/%s/children", t->root, (int)pid,
			 e->d_name);
		if (wl_sysread_file(t->path, t->buf, sizeof(t->buf), NULL) < 0)
			continue;
		push_list(t, t->buf);
	}
	closedir(d);
}

/* Appends the children of a one-thread process through e->fc; -1 when
 * the file cannot be read (the caller lists the task directory). */
static int kept_children(struct wl_ptree *t, struct ent *e)
{
	if (e->fc < 0) {
		snprintf(t->path, t->pathcap, "%s/%d/task/%d/children", t->root, (int)e->pid,
			 (int)e->pid);
		e->fc = open(t->path, O_RDONLY | O_CLOEXEC);
		if (e->fc < 0)
			return -1;
	}
	if (pread0(e->fc, t->buf, sizeof(t->buf)) < 0) {
		close(e->fc);
		e->fc = -1;
		return -1;
	}
	push_list(t, t->buf);
	return 0;
}

/* The open files of pid, the i-th process of this read: the last read's
 * (where pid was, most often at i), or none yet. */
static struct ent *take(struct wl_ptree *t, pid_t pid, size_t i)
{
	struct ent *e = &t->keep[t->nkeep++];

	e->pid = pid;
	e->fs = e->fc = -1;
	if (!(i < t->nprev && t->prev[i].pid == pid))
		for (i = 0; i < t->nprev && t->prev[i].pid != pid; i++)
			;
	if (i < t->nprev) {
		*e = t->prev[i];
		t->prev[i].pid = 0;
		t->prev[i].fs = t->prev[i].fc = -1;
	}
	return e;
}

static int in_tree(const struct wl_ptree *t, pid_t pid)
{
	size_t i;

	for (i = 0; i < t->nq; i++)
		if (t->q[i] == pid)
			return 1;
	return 0;
}

/* Scan mode: every process's (pid, ppid, ticks), then the tree by ppid. */
static uint64_t scan_tree(struct wl_ptree *t, uint64_t root_ticks)
{
	struct pstat ps;
	struct dirent *e;
	uint64_t sum = root_ticks;
	int changed = 1;
	size_t i;
	DIR *d;

	t->nall = 0;
	d = opendir(t->root);
	if (!d)
		return sum;
	while ((e = readdir(d))) {
		struct pinfo pi;

		if (!is_pid(e->d_name))
			continue;
		pi.pid = (pid_t)atoi(e->d_name);
		if (pi.pid == t->pid || read_stat(t, pi.pid, &ps) < 0)
			continue;
		pi.ppid = ps.ppid;
		pi.ticks = ps.ticks;
		if (wl_grow((void **)&t->all, &t->capall, t->nall + 1, sizeof(*t->all)))
			break;
		t->all[t->nall++] = pi;
	}
	closedir(d);
	while (changed) {
		changed = 0;
		for (i = 0; i < t->nall; i++) {
			if (t->all[i].pid == 0 || !in_tree(t, t->all[i].ppid))
				continue;
			if (push(t, t->all[i].pid) < 0)
				return sum;
			sum += t->all[i].ticks;
			t->all[i].pid = 0; /* taken */
			changed = 1;
		}
	}
	return sum;
}

struct wl_ptree *wl_ptree_open(const char *procfs_root, pid_t pid, struct wl_error *err)
{
	struct wl_ptree *t = calloc(1, sizeof(*t));
	struct pstat ps;

	if (!t || !(t->root = strdup(procfs_root))) {
		free(t);
		wl_error_set(err, "out of memory");
		return NULL;
	}
	t->pid = pid;
	t->pathcap = strlen(procfs_root) + 96;
	t->path = malloc(t->pathcap);
	t->keep = malloc(PTREE_KEEP * sizeof(*t->keep));
	t->prev = malloc(PTREE_KEEP * sizeof(*t->prev));
	if (!t->path || !t->keep || !t->prev) {
		wl_ptree_free(t);
		wl_error_set(err, "out of memory");
		return NULL;
	}
	if (read_stat(t, pid, &ps) < 0) {
		wl_error_set(err, "cannot read '%s/%d/stat': no such process or bad format",
			     procfs_root, (int)pid);
		wl_ptree_free(t);
		return NULL;
	}
	snprintf(t->path, t->pathcap, "%s/%d/task/%d/children", procfs_root, (int)pid, (int)pid);
	t->scan = access(t->path, R_OK) != 0;
	return t;
}

/* Closes the last read's files that this read did not take; this read's
 * become the last read's. */
static void keep_swap(struct wl_ptree *t)
{
	struct ent *x;
	size_t i;

	for (i = 0; i < t->nprev; i++)
		ent_close(&t->prev[i]);
	x = t->prev;
	t->prev = t->keep;
	t->nprev = t->nkeep;
	t->keep = x;
	t->nkeep = 0;
}

int wl_ptree_ticks(struct wl_ptree *t, uint64_t *ticks, struct wl_error *err)
{
	struct pstat ps;
	uint64_t sum = 0;
	size_t i;

	t->nq = 0;
	if (t->scan) {
		if (read_stat(t, t->pid, &ps) < 0)
			return wl_error_set(err, "process %d is gone: '%s' unreadable",
					    (int)t->pid, t->path);
		push(t, t->pid);
		*ticks = scan_tree(t, ps.ticks);
		return 0;
	}
	push(t, t->pid);
	for (i = 0; i < t->nq; i++) {
		struct ent *e = i < PTREE_KEEP ? take(t, t->q[i], i) : NULL;
		int rc = e ? kept_stat(t, e, &ps) : read_stat(t, t->q[i], &ps);

		if (rc < 0 && i == 0) {
			keep_swap(t);
			t->nq = 0;
			snprintf(t->path, t->pathcap, "%s/%d/stat", t->root, (int)t->pid);
			return wl_error_set(err, "process %d is gone: '%s' unreadable",
					    (int)t->pid, t->path);
		}
		if (rc < 0)
			continue; /* exited meanwhile: its time is in its parent's cutime */
		sum += ps.ticks;
		if (e && ps.nthreads == 1 && ps.state != 'Z' && ps.state != 'X' &&
		    kept_children(t, e) == 0)
			continue;
		add_children(t, t->q[i]);
	}
	keep_swap(t);
	*ticks = sum;
	return 0;
}

int wl_ptree_scanning(const struct wl_ptree *t)
{
	return t->scan;
}

size_t wl_ptree_count(const struct wl_ptree *t)
{
	return t->nq;
}

int wl_ptree_has(const struct wl_ptree *t, pid_t pid)
{
	for (size_t i = 0; t && i < t->nq; i++)
		if (t->q[i] == pid)
			return 1;
	return 0;
}

void wl_ptree_free(struct wl_ptree *t)
{
	if (!t)
		return;
	if (t->keep && t->prev)
		keep_swap(t); /* closes the last read's files */
	free(t->keep);
	free(t->prev);
	free(t->root);
	free(t->path);
	free(t->q);
	free(t->all);
	free(t);
}
