/* marker_fd.c - the workload's marker descriptor (see marker_fd.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "marker_fd.h"

#define FIRST_FD 3
#define LAST_FD 9 /* dash: one digit */

int wl_marker_fd_reopen(int wr_fd)
{
	char path[48];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", wr_fd);
	return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

int wl_marker_fd_open_fifo(const char *path)
{
	return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

int wl_marker_fd_place(int fd, int keep)
{
	int n, flags;

	for (n = FIRST_FD; n <= LAST_FD; n++) {
		if (n == keep)
			continue;
		if (n == fd)
			break;
		flags = fcntl(n, F_GETFD);
		if (flags < 0 ? errno == EBADF : (flags & FD_CLOEXEC) != 0)
			break;
	}
	if (n > LAST_FD || n == fd) {
		fcntl(fd, F_SETFD, 0);
		return fd;
	}
	if (dup2(fd, n) < 0) { /* dup2 clears close-on-exec on n */
		fcntl(fd, F_SETFD, 0);
		return fd;
	}
	close(fd);
	return n;
}
