/* sysread.c - reading small procfs/sysfs files whole (see sysread.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "sysread.h"

/* Reads fd until end of file or cap - 1 bytes; returns the length or -errno. */
static long read_fd(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < cap) {
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = 0;
	return (long)len;
}

int wl_sysread_file(const char *path, char *buf, size_t cap, size_t *len)
{
	int fd, e;
	long n;
	char extra;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read_fd(fd, buf, cap);
	if (n >= 0 && (size_t)n + 1 == cap && read(fd, &extra, 1) == 1)
		n = -EFBIG;
	e = errno;
	close(fd);
	errno = e;
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENODATA;
	if (len)
		*len = (size_t)n;
	return 0;
}

int wl_sysread_alloc(const char *path, char **buf, size_t *len)
{
	size_t cap = 16384;
	char *b = NULL, *nb;
	int rc;

	for (;;) {
		nb = realloc(b, cap);
		if (!nb) {
			free(b);
			return -ENOMEM;
		}
		b = nb;
		rc = wl_sysread_file(path, b, cap, len);
		if (rc != -EFBIG)
			break;
		if (cap >= (64u << 20))
			break;
		cap *= 4;
	}
	if (rc < 0) {
		free(b);
		return rc;
	}
	*buf = b;
	return 0;
}

int wl_sysread_u64(const char *path, uint64_t *v)
{
	char b[64];
	int rc;

	rc = wl_sysread_file(path, b, sizeof(b), NULL);
	if (rc < 0)
		return rc;
	if (!wl_parse_u64(b, v))
		return -EINVAL;
	return 0;
}

int wl_sysread_line(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	int rc = wl_sysread_file(path, buf, cap, &len);

	if (rc < 0)
		return rc;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	return len ? 0 : -ENODATA;
}

int wl_sysread_pread(int fd, char *buf, size_t cap)
{
	ssize_t r = pread(fd, buf, cap - 1, 0);

	if (r < 0)
		return -errno;
	if (r == 0)
		return -ENODATA;
	buf[r] = 0;
	return 0;
}
