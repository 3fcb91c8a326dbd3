/*
 * sysread.h - small helpers the host sources share to read procfs and sysfs
 * text by hand: no stdio, no sscanf/strtod in a sampling path.  Libc only.
 */
#ifndef WATTLOG_SYSREAD_H
#define WATTLOG_SYSREAD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses a decimal unsigned number at p after skipping blanks (' ', '\t').
 * Returns the first byte after the digits and sets *v, or NULL (and *v = 0)
 * when no digit follows the blanks.  Overflow wraps (values read here are
 * kernel u64 counters printed in decimal, so they fit).
 */
static inline const char *wl_parse_u64(const char *p, uint64_t *v)
{
	uint64_t x = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if ((unsigned)(*p - '0') >= 10) {
		*v = 0;
		return NULL;
	}
	while ((unsigned)(*p - '0') < 10)
		x = x * 10 + (uint64_t)(*p++ - '0');
	*v = x;
	return p;
}

/*
 * Reads the file at path whole (up to cap - 1 bytes) into buf, NUL-terminated,
 * with open/read/close: for files read once (at open) or rarely.  Sets *len
 * when len is not NULL.  Returns 0, or -errno (-EFBIG when the file does not
 * fit, -ENODATA when it is empty).
 */
int wl_sysread_file(const char *path, char *buf, size_t cap, size_t *len);

/*
 * Reads a whole file into a malloc'ed, NUL-terminated buffer that grows as
 * needed (for /proc/stat, whose size depends on the CPU count).  Returns 0
 * with *buf (caller frees) and *len, or -errno.
 */
int wl_sysread_alloc(const char *path, char **buf, size_t *len);

/* Reads the file at path as one line (wl_sysread_file, then the trailing
 * newline and blanks cut): a sysfs attribute such as a name or a label.
 * 0, or -errno (-ENODATA when nothing is left). */
int wl_sysread_line(const char *path, char *buf, size_t cap);

/* pread of an opened attribute from offset 0 into buf (cap - 1 bytes at
 * most), NUL-terminated: the sampling path's read.  0, or -errno
 * (-ENODATA when empty). */
int wl_sysread_pread(int fd, char *buf, size_t cap);

/* Reads a whole file at path that holds one decimal number (e.g.
 * energy_uj, max_energy_range_uj, type).  0 or -errno (-EINVAL: no number). */
int wl_sysread_u64(const char *path, uint64_t *v);

#endif
