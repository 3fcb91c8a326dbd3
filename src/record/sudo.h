/*
 * sudo.h - the user sudo ran the recorder for.  Under sudo (euid 0,
 * SUDO_UID and SUDO_GID set, SUDO_UID not 0) the recorder keeps root's
 * rights only to read its sources: what it does with files for the user
 * (the trace, its folders, the marker FIFO) it does with the user's
 * file-system credentials (setfsuid, setfsgid and the user's groups), so
 * the kernel checks the user's rights, and creations belong to the user;
 * the command runs as the user.  Nothing is chowned after the fact.
 * Outside sudo every call here does nothing.  Libc only.
 */
#ifndef WATTLOG_RECORD_SUDO_H
#define WATTLOG_RECORD_SUDO_H

#include <stddef.h>
#include <sys/types.h>

#include "wattlog/error.h"

#define WL_SUDO_MAX_GROUPS 256

struct wl_sudo {
	int active;                              /* 0: not under sudo */
	uid_t uid;                               /* SUDO_UID */
	gid_t gid;                               /* SUDO_GID */
	int ngroups;                             /* the user's groups (getgrouplist) */
	gid_t groups[WL_SUDO_MAX_GROUPS];
	int nroot;                               /* the recorder's own groups */
	gid_t root_groups[WL_SUDO_MAX_GROUPS];
	char name[64];                           /* the user's name, "" if unknown */
};

/* Fills s from the environment and the user database. */
void wl_sudo_init(struct wl_sudo *s);

/*
 * Acts as the user for the file system (the user's groups, fsgid, fsuid;
 * the kernel then drops the file capabilities too), until wl_sudo_leave.
 * Returns 0, or -1 with err set (nothing changed).
 */
int wl_sudo_enter(const struct wl_sudo *s, struct wl_error *err);

/* Back to the recorder's own file-system credentials and groups. */
void wl_sudo_leave(const struct wl_sudo *s);

/*
 * Becomes the user for good (groups, gid, uid), before exec; checks that
 * root cannot be taken back.  Returns 0, or -1 with errno set.
 * Async-signal-safe (for a forked child).
 */
int wl_sudo_drop(const struct wl_sudo *s);

/* Appends to err's message who acted, under sudo:
 * " (as uid 1001 'ann', for whom sudo ran wattlog-record)". */
void wl_sudo_note(const struct wl_sudo *s, struct wl_error *err);

/* The name of the user the recorder works for: the sudo user, else the
 * real uid's; NULL when the user database has none. */
const char *wl_sudo_user_name(char *buf, size_t cap);

#endif
