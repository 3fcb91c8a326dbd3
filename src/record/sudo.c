/* sudo.c - the user sudo ran the recorder for (see sudo.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include "sudo.h"

static int id_of(const char *s, unsigned long *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end || errno || *v > 0x7fffffffUL ? -1 : 0;
}

void wl_sudo_init(struct wl_sudo *s)
{
	unsigned long u, g;
	struct passwd *pw;
	int n;

	memset(s, 0, sizeof(*s));
	if (geteuid() != 0 || id_of(getenv("SUDO_UID"), &u) < 0 ||
	    id_of(getenv("SUDO_GID"), &g) < 0 || u == 0)
		return;
	s->active = 1;
	s->uid = (uid_t)u;
	s->gid = (gid_t)g;
	pw = getpwuid(s->uid);
	if (pw)
		snprintf(s->name, sizeof(s->name), "%s", pw->pw_name);
	n = WL_SUDO_MAX_GROUPS;
	if (!pw || getgrouplist(pw->pw_name, s->gid, s->groups, &n) < 0) {
		s->groups[0] = s->gid;
		n = 1;
	}
	s->ngroups = n;
	n = getgroups(WL_SUDO_MAX_GROUPS, s->root_groups);
	s->nroot = n < 0 ? 0 : n;
}

int wl_sudo_enter(const struct wl_sudo *s, struct wl_error *err)
{
	if (!s->active)
		return 0;
	if (setgroups((size_t)s->ngroups, s->groups) < 0)
		return wl_error_errno(err, errno, "cannot take the groups of uid %ld",
				      (long)s->uid);
	setfsgid(s->gid);
	setfsuid(s->uid);
	/* setfsuid reports no error: an invalid id returns the current one */
	if ((uid_t)setfsuid((uid_t)-1) != s->uid || (gid_t)setfsgid((gid_t)-1) != s->gid) {
		wl_sudo_leave(s);
		return wl_error_set(err, "cannot act as uid %ld gid %ld", (long)s->uid,
				    (long)s->gid);
	}
	return 0;
}

void wl_sudo_leave(const struct wl_sudo *s)
{
	if (!s->active)
		return;
	setfsuid(geteuid());
	setfsgid(getegid());
	if (setgroups((size_t)s->nroot, s->root_groups) < 0) {
		/* as root this cannot fail; the groups then stay the user's */
	}
}

int wl_sudo_drop(const struct wl_sudo *s)
{
	if (!s->active)
		return 0;
	if (setgroups((size_t)s->ngroups, s->groups) < 0 || setgid(s->gid) < 0 ||
	    setuid(s->uid) < 0)
		return -1;
	if (setuid(0) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

void wl_sudo_note(const struct wl_sudo *s, struct wl_error *err)
{
	size_t n = strlen(err->msg);

	if (s->active && n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (as uid %ld '%s', for whom sudo ran wattlog-record)", (long)s->uid,
			 s->name);
}

const char *wl_sudo_user_name(char *buf, size_t cap)
{
	struct wl_sudo s;
	struct passwd *pw;

	wl_sudo_init(&s);
	if (s.active) {
		if (!s.name[0])
			return NULL;
		snprintf(buf, cap, "%s", s.name);
		return buf;
	}
	pw = getpwuid(getuid());
	if (!pw)
		return NULL;
	snprintf(buf, cap, "%s", pw->pw_name);
	return buf;
}
