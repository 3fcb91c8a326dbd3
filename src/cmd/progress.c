/* progress.c - progress lines on stderr (see progress.h). */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

void wl_progress_init(struct wl_progress *p, const char *cmd, int forced)
{
	p->cmd = cmd;
	p->tty = isatty(STDERR_FILENO);
	p->on = forced || p->tty;
	p->shown = 0;
}

void wl_progress_step(struct wl_progress *p, size_t done, size_t total, const char *what)
{
	if (!p || !p->on)
		return;
	/* "\033[K" erases what a longer earlier line left */
	fprintf(stderr, "%swattlog %s: [%zu/%zu] %s%s", p->tty ? "\r\033[K" : "", p->cmd, done,
		total, what, p->tty ? "" : "\n");
	if (p->tty)
		fflush(stderr);
	p->shown = 1;
}

void wl_progress_end(struct wl_progress *p)
{
	if (p && p->on && p->tty && p->shown)
		fprintf(stderr, "\r\033[K");
	if (p)
		p->shown = 0;
}
