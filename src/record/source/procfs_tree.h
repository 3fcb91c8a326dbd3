/*
 * procfs_tree.h - the CPU time of a process and its descendants, read from
 * <procfs_root>/<pid>/stat (part of the procfs source).  Libc only.
 */
#ifndef WATTLOG_PROCFS_TREE_H
#define WATTLOG_PROCFS_TREE_H

#include <stdint.h>
#include <sys/types.h>

#include "wattlog/error.h"

struct wl_ptree;

/*
 * Prepares to follow the tree rooted at pid under procfs_root.  Descendants
 * are found through <root>/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN);
 * when the root process has no such file, by scanning every <root>/<n>/stat
 * for its parent pid instead (slower: wl_ptree_scanning() says so).
 * Returns NULL with err set when <root>/<pid>/stat cannot be read.
 */
struct wl_ptree *wl_ptree_open(const char *procfs_root, pid_t pid, struct wl_error *err);

/*
 * Sums utime + stime + cutime + cstime, in clock ticks (sysconf
 * _SC_CLK_TCK), over the root and every live descendant:
 *     T = sum over p in tree of (utime_p + stime_p + cutime_p + cstime_p)
 * A descendant that exits and is waited for by its parent moves its time
 * into the parent's cutime/cstime, so T stays continuous.  Returns 0 and
 * *ticks, or -1 with err set when the root process is gone.
 */
int wl_ptree_ticks(struct wl_ptree *t, uint64_t *ticks, struct wl_error *err);

/* 1 when descendants are found by scanning all of <root>/<n>/stat. */
int wl_ptree_scanning(const struct wl_ptree *t);

/* Processes in the tree at the last wl_ptree_ticks() call. */
size_t wl_ptree_count(const struct wl_ptree *t);

/* 1 when pid was in the tree at the last wl_ptree_ticks() call. */
int wl_ptree_has(const struct wl_ptree *t, pid_t pid);

void wl_ptree_free(struct wl_ptree *t);

#endif
