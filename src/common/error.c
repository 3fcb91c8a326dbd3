/* error.c - filling struct wl_error (see error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/error.h"

/* Keeps the message one line whatever it quotes (a CSV field spanning lines,
 * a library's message ending in '\n'): a trailing newline is dropped, every
 * other control character becomes '?'. */
static void one_line(char *msg)
{
	size_t len = strlen(msg);
	char *p;

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = 0;
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

int wl_error_set(struct wl_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	one_line(err->msg);
	return -1;
}

int wl_error_errno(struct wl_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
	one_line(err->msg);
	return -1;
}
