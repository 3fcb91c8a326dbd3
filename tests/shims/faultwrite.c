/*
 * faultwrite.c - LD_PRELOAD shim for the fault-injection tests (t90): makes
 * write() to one file misbehave on its Nth call, as a full disk, a signal or
 * a pipe-like file would.  Built to $WL_BUILD/tests/faultwrite.so.
 *
 *   WL_FAULT_MATCH=SUFFIX  only fds whose /proc/self/fd link ends in SUFFIX
 *                          (e.g. ".wlog"); unset = every fd above 2
 *   WL_FAULT_N=N           the first faulty call is the Nth matching one (1-based)
 *   WL_FAULT_MODE=M        eintr   -1/EINTR, nothing written
 *                          short   writes half (at least 1 byte), returns that
 *                          enospc  -1/ENOSPC, nothing written
 *                          halfnospc  writes half, then every later call ENOSPC
 *                          eio     -1/EIO
 *   WL_FAULT_EVERY=K       fault again every K calls after the Nth (default:
 *                          only once, except halfnospc/enospc with K=1 = disk full)
 *
 * Faults counted so far are written, one line per fault, to WL_FAULT_LOG if
 * set (opened O_APPEND), so a test can check they happened.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long calls;
static int full; /* halfnospc: the disk is now full */

static ssize_t real_write(int fd, const void *buf, size_t n)
{
	return syscall(SYS_write, fd, buf, n);
}

static int matches(int fd)
{
	const char *suffix = getenv("WL_FAULT_MATCH");
	char link[64], target[4096];
	ssize_t n;
	size_t sl;

	if (fd <= 2)
		return 0;
	if (!suffix || !*suffix)
		return 1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = 0;
	sl = strlen(suffix);
	return (size_t)n >= sl && !strcmp(target + n - sl, suffix);
}

static void note(const char *what, long call)
{
	const char *log = getenv("WL_FAULT_LOG");
	char line[96];
	int fd, len;

	if (!log)
		return;
	fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s %ld\n", what, call);
	real_write(fd, line, (size_t)len);
	close(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	const char *mode = getenv("WL_FAULT_MODE");
	long first = getenv("WL_FAULT_N") ? atol(getenv("WL_FAULT_N")) : 0;
	long every = getenv("WL_FAULT_EVERY") ? atol(getenv("WL_FAULT_EVERY")) : 0;
	long k;
	ssize_t w;

	if (!mode || first <= 0 || !matches(fd))
		return real_write(fd, buf, n);
	k = ++calls;
	if (full) {
		note("enospc", k);
		errno = ENOSPC;
		return -1;
	}
	if (k < first || (k > first && (every <= 0 || (k - first) % every)))
		return real_write(fd, buf, n);
	if (!strcmp(mode, "eintr")) {
		note("eintr", k);
		errno = EINTR;
		return -1;
	}
	if (!strcmp(mode, "short") || !strcmp(mode, "halfnospc")) {
		w = real_write(fd, buf, n > 1 ? n / 2 : n);
		note(mode, k);
		if (!strcmp(mode, "halfnospc"))
			full = 1;
		return w;
	}
	note(mode, k);
	errno = !strcmp(mode, "eio") ? EIO : ENOSPC;
	return -1;
}
