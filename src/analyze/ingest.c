/*
 * ingest.c - picks the reader for a file from its content (or --format) and
 * runs it.  One reader per format in ingest_*.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "wattlog/trace_format.h"

const char *wl_ingest_detect(const char *path, struct wl_error *err)
{
	char head[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		wl_error_errno(err, errno, "cannot open '%s'", path);
		return NULL;
	}
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < 0) {
		wl_error_errno(err, errno, "cannot read '%s'", path);
		return NULL;
	}
	head[n] = 0;
	if (n >= 4 && !memcmp(head, WL_FILE_MAGIC, 4))
		return "wattlog";
	wl_error_set(err, "unknown format: '%s': not a wattlog trace and no known log format", path);
	return NULL;
}

int wl_ingest(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
	      struct wl_error *err)
{
	const char *fmt = o && o->format ? o->format : wl_ingest_detect(path, err);

	if (!fmt)
		return -1;
	if (!strcmp(fmt, "wattlog"))
		return wl_ingest_trace(path, o, ds, err);
	return wl_error_set(err, "unknown format '%s' for '%s'", fmt, path);
}
