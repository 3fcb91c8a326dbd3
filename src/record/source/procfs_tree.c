/* procfs_tree.c - CPU time of a process tree from procfs (see procfs_tree.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs_tree.h"
#include "sysread.h"
#include "wattlog/grow.h"

#define PTREE_MAX 65536 /* processes followed at most */

struct wl_ptree {
	char *root;
	size_t pathcap;
	char *path;
	pid_t pid;
	int scan;
	pid_t *q; /* the tree's pids, root first */
	size_t nq, capq;
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

/*
 * Parses a <pid>/stat line: "pid (comm) state ppid pgrp session tty_nr
 * tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...".
 * comm may hold spaces and ')' so fields are counted after the last ')'.
 */
static int parse_stat(const char *b, pid_t *ppid, uint64_t *ticks)
{
	const char *p = strrchr(b, ')');
	uint64_t v, sum = 0;
	int i;

	if (!p)
		return -1;
	p = skip_field(p + 1); /* 3: state */
	if (!(p = wl_parse_u64(p, &v)))
		return -1; /* 4: ppid */
	*ppid = (pid_t)v;
	for (i = 5; i <= 13; i++)
		p = skip_field(p);
	for (i = 14; i <= 17; i++) {
		if (!(p = wl_parse_u64(p, &v)))
			return -1;
		sum += v;
	}
	*ticks = sum;
	return 0;
}

static int read_stat(struct wl_ptree *t, pid_t pid, pid_t *ppid, uint64_t *ticks)
{
	char b[1024];

	snprintf(t->path, t->pathcap, "%s/%d/stat", t->root, (int)pid);
	if (wl_sysread_file(t->path, b, sizeof(b), NULL) < 0)
		return -1;
	return parse_stat(b, ppid, ticks);
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

/* Appends the children listed in <root>/<pid>/task/<tid>/children. */
static void add_children(struct wl_ptree *t, pid_t pid)
{
	struct dirent *e;
	const char *p;
	uint64_t v;
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
		for (p = t->buf; (p = wl_parse_u64(p, &v));)
			if (push(t, (pid_t)v) < 0)
				break;
	}
	closedir(d);
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
		if (pi.pid == t->pid || read_stat(t, pi.pid, &pi.ppid, &pi.ticks) < 0)
			continue;
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
	uint64_t ticks;
	pid_t ppid;

	if (!t || !(t->root = strdup(procfs_root))) {
		free(t);
		wl_error_set(err, "out of memory");
		return NULL;
	}
	t->pid = pid;
	t->pathcap = strlen(procfs_root) + 96;
	t->path = malloc(t->pathcap);
	if (!t->path) {
		wl_ptree_free(t);
		wl_error_set(err, "out of memory");
		return NULL;
	}
	if (read_stat(t, pid, &ppid, &ticks) < 0) {
		wl_error_set(err, "cannot read '%s/%d/stat': no such process or bad format",
			     procfs_root, (int)pid);
		wl_ptree_free(t);
		return NULL;
	}
	snprintf(t->path, t->pathcap, "%s/%d/task/%d/children", procfs_root, (int)pid, (int)pid);
	t->scan = access(t->path, R_OK) != 0;
	return t;
}

int wl_ptree_ticks(struct wl_ptree *t, uint64_t *ticks, struct wl_error *err)
{
	uint64_t sum, v;
	pid_t ppid;
	size_t i;

	t->nq = 0;
	if (read_stat(t, t->pid, &ppid, &sum) < 0)
		return wl_error_set(err, "process %d is gone: '%s' unreadable",
				    (int)t->pid, t->path);
	push(t, t->pid);
	if (t->scan) {
		*ticks = scan_tree(t, sum);
		return 0;
	}
	add_children(t, t->pid);
	for (i = 1; i < t->nq; i++) {
		if (read_stat(t, t->q[i], &ppid, &v) < 0)
			continue; /* exited meanwhile: its time is in its parent's cutime */
		sum += v;
		add_children(t, t->q[i]);
	}
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
	free(t->root);
	free(t->path);
	free(t->q);
	free(t->all);
	free(t);
}
