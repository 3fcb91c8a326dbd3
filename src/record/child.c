/* child.c - the recorded command: spawn, signals, exit status, sudo (see rec.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "marker_fd.h"
#include "rec.h"

#define MARKER_PIPE_BYTES (1 << 20)

volatile sig_atomic_t wl_rec_got_signal;
volatile sig_atomic_t wl_rec_got_chld;
static volatile pid_t fwd_pid; /* 0 once reaped: never signal a recycled pid */

/* The dispositions the recorder started with, restored in the command (an
 * ignored SIGINT, as under nohup or `cmd &`, stays ignored there). */
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGXFSZ, SIGPIPE };
#define NHANDLED (sizeof(handled) / sizeof(handled[0]))
static struct sigaction orig_sa[NHANDLED];

static void on_term(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	wl_rec_got_signal = sig;
	/* A signal from the terminal already went to the whole process group,
	 * the command included: forward only those sent by a process. */
	if (fwd_pid > 0 && (!si || si->si_code != SI_KERNEL))
		kill(fwd_pid, sig);
}

static void on_chld(int sig)
{
	(void)sig;
	wl_rec_got_chld = 1;
}

int wl_rec_signals_init(sigset_t *waitmask, sigset_t *origmask, struct wl_error *err)
{
	static const int term[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	for (i = 0; i < NHANDLED; i++)
		sigaction(handled[i], NULL, &orig_sa[i]);
	sigemptyset(&block);
	for (i = 0; i < 3; i++)
		sigaddset(&block, term[i]);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, origmask) < 0)
		return wl_error_errno(err, errno, "cannot block signals");
	*waitmask = *origmask;
	for (i = 0; i < 3; i++)
		sigdelset(waitmask, term[i]);
	sigdelset(waitmask, SIGCHLD);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_term;
	for (i = 0; i < 3; i++) {
		/* ignored at start (nohup, a background job): stays ignored, as
		 * the caller meant; orig_sa[i] holds term[i]'s disposition */
		if (orig_sa[i].sa_handler == SIG_IGN)
			continue;
		if (sigaction(term[i], &sa, NULL) < 0)
			return wl_error_errno(err, errno, "cannot handle signal %d", term[i]);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		return wl_error_errno(err, errno, "cannot handle SIGCHLD");
	/* a write past `ulimit -f` must fail with EFBIG, not kill the recorder */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* What the child reports through the exec-error pipe. */
struct child_fail {
	int stage; /* 1 dropping privileges, 2 exec */
	int err;
};

static void child_fail(int fd, int stage, int e)
{
	struct child_fail f = { stage, e };

	if (write(fd, &f, sizeof(f)) < 0) {
		/* nothing left to tell it to */
	}
	_exit(127);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

int wl_child_spawn(struct wl_child *c, char *const *cmd, const sigset_t *origmask,
		   const struct wl_sudo *sudo, struct wl_error *err)
{
	int go[2] = { -1, -1 }, ep[2] = { -1, -1 }, mp[2] = { -1, -1 };
	int e, fd;
	size_t i;
	char num[16];
	pid_t pid;
	char b;

	memset(c, 0, sizeof(*c));
	c->go_fd = c->err_fd = c->marker_rd = -1;
	c->uid = sudo->active ? sudo->uid : (uid_t)-1;
	c->gid = sudo->active ? sudo->gid : (gid_t)-1;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0 || pipe2(mp, O_CLOEXEC) < 0) {
		e = errno;
		close_pair(go);
		close_pair(ep);
		close_pair(mp);
		return wl_error_errno(err, e, "cannot create pipes for the command");
	}
	/* large and non-blocking both ways: the workload never waits on us */
	if (fcntl(mp[0], F_SETPIPE_SZ, MARKER_PIPE_BYTES) < 0)
		fcntl(mp[0], F_SETPIPE_SZ, 65536);
	fcntl(mp[0], F_SETFL, O_NONBLOCK);
	fcntl(mp[1], F_SETFL, O_WRONLY | O_NONBLOCK);
	/* the command's end also reads: its write never raises SIGPIPE (marker_fd.h) */
	fd = wl_marker_fd_reopen(mp[1]);
	if (fd >= 0) {
		close(mp[1]);
		mp[1] = fd;
	} else {
		fprintf(stderr, "wattlog-record: cannot reopen the marker pipe through /proc: %s; "
			"a marker sent after the recorder is gone will raise SIGPIPE\n",
			strerror(errno));
	}

	pid = fork();
	if (pid < 0) {
		e = errno;
		close_pair(go);
		close_pair(ep);
		close_pair(mp);
		return wl_error_errno(err, e, "cannot fork to run '%s'", cmd[0]);
	}
	if (pid == 0) {
		close(go[1]);
		close(ep[0]);
		close(mp[0]);
		for (i = 0; i < NHANDLED; i++) {
			if (orig_sa[i].sa_handler == SIG_IGN)
				signal(handled[i], SIG_IGN);
			else
				signal(handled[i], SIG_DFL);
		}
		if (wl_sudo_drop(sudo) < 0)
			child_fail(ep[1], 1, errno);
		if (read(go[0], &b, 1) != 1)
			_exit(127); /* the recorder gave up before starting */
		close(go[0]);
		fd = wl_marker_fd_place(mp[1], ep[1]);
		if (fd > 9)
			fprintf(stderr, "wattlog-record: descriptors 3-9 are all inherited: "
				"WATTLOG_MARKER_FD is %d, which dash's >&N cannot use\n", fd);
		snprintf(num, sizeof(num), "%d", fd);
		setenv("WATTLOG_MARKER_FD", num, 1);
		sigprocmask(SIG_SETMASK, origmask, NULL);
		execvp(cmd[0], cmd);
		child_fail(ep[1], 2, errno);
	}
	close(go[0]);
	close(ep[1]);
	close(mp[1]);
	c->pid = pid;
	fwd_pid = pid;
	c->go_fd = go[1];
	c->err_fd = ep[0];
	c->marker_rd = mp[0];
	return 0;
}

int wl_child_release(struct wl_child *c, char *const *cmd, struct wl_error *err)
{
	struct child_fail f;
	ssize_t n;

	if (write(c->go_fd, "g", 1) != 1) {
		/* the child is gone already: its status tells */
	}
	close(c->go_fd);
	c->go_fd = -1;
	do
		n = read(c->err_fd, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	if (n != (ssize_t)sizeof(f))
		return 0;
	if (f.stage == 1)
		return wl_error_errno(err, f.err, "cannot run '%s' as uid %ld gid %ld", cmd[0],
				      (long)c->uid, (long)c->gid);
	return wl_error_errno(err, f.err, "cannot run '%s'", cmd[0]);
}

int wl_child_poll(struct wl_child *c, int block)
{
	pid_t r;
	int st;

	if (!c->pid || c->exited)
		return 1;
	do
		r = waitpid(c->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == c->pid) {
		fwd_pid = 0;
		c->exited = 1;
		c->status = st;
		return 1;
	}
	if (r < 0) { /* not our child any more (cannot happen): treat as gone */
		fwd_pid = 0;
		c->exited = 1;
		c->status = 127 << 8;
		return 1;
	}
	return 0;
}

int wl_child_ended(const struct wl_child *c)
{
	siginfo_t si;

	if (!c->pid || c->exited)
		return 0;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return 0;
	return si.si_pid == c->pid;
}

void wl_child_signal(struct wl_child *c, int sig)
{
	if (c->pid && !c->exited)
		kill(c->pid, sig);
}

int wl_child_exit_code(const struct wl_child *c)
{
	if (WIFEXITED(c->status))
		return WEXITSTATUS(c->status);
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return 1;
}

void wl_child_close(struct wl_child *c)
{
	if (c->go_fd >= 0)
		close(c->go_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	if (c->marker_rd >= 0)
		close(c->marker_rd);
	c->go_fd = c->err_fd = c->marker_rd = -1;
}
