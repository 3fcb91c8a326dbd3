/* output.c - opening the trace file safely (see rec.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rec.h"

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

int wl_rec_output_open(const char *path, int force, struct wl_error *err)
{
	struct stat st;
	int fd, flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;

	/* lstat only for a clear message; the open's flags are the real check */
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return wl_error_set(err, "refusing to write '%s': it is %s", path,
					    kind_of(st.st_mode));
		if (!force)
			return wl_error_set(err, "refusing to overwrite '%s': it exists (use -f)",
					    path);
	}
	if (!force)
		flags |= O_EXCL;
	fd = open(path, flags, 0644);
	if (fd < 0) {
		if (errno == ELOOP)
			return wl_error_set(err, "refusing to write '%s': it is a symbolic link",
					    path);
		if (errno == EEXIST)
			return wl_error_set(err, "refusing to overwrite '%s': it exists (use -f)",
					    path);
		if (errno == ENXIO)
			return wl_error_set(err, "refusing to write '%s': it is a FIFO", path);
		if (errno == EISDIR)
			return wl_error_set(err, "refusing to write '%s': it is a directory", path);
		return wl_error_errno(err, errno, "cannot create '%s'", path);
	}
	if (fstat(fd, &st) < 0) {
		wl_error_errno(err, errno, "cannot stat '%s'", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		wl_error_set(err, "refusing to write '%s': it is %s", path, kind_of(st.st_mode));
		close(fd);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
		wl_error_set(err, "refusing to write '%s': another wattlog-record is writing it",
			     path);
		close(fd);
		return -1;
	}
	if (ftruncate(fd, 0) < 0 || fcntl(fd, F_SETFL, O_WRONLY) < 0) {
		wl_error_errno(err, errno, "cannot truncate '%s'", path);
		close(fd);
		return -1;
	}
	return fd;
}
