/* progress.c - progress lines on stderr (see progress.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/walk.h"
#include "progress.h"

void wl_progress_init(struct wl_progress *p, const char *cmd, int forced)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->tty = isatty(STDERR_FILENO);
	p->on = forced || p->tty;
	p->pct = -1;
}

static void line(struct wl_progress *p, const char *what, const char *more)
{
	/* "\033[K" erases what a longer earlier line left */
	if (p->total)
		fprintf(stderr, "%swattlog %s: [%zu/%zu] %s%s%s", p->tty ? "\r\033[K" : "", p->cmd,
			p->done, p->total, what, more, p->tty ? "" : "\n");
	else
		fprintf(stderr, "%swattlog %s: %s%s%s", p->tty ? "\r\033[K" : "", p->cmd, what,
			more, p->tty ? "" : "\n");
	if (p->tty)
		fflush(stderr);
	p->shown = 1;
}

void wl_progress_step(struct wl_progress *p, size_t done, size_t total, const char *what)
{
	if (!p || !p->on)
		return;
	p->done = done;
	p->total = total;
	p->path[0] = 0; /* a file read in this step starts at pass 1 */
	line(p, what, "");
}

/* The walk's hook: a new file, or the same file from its start again (a
 * second pass), or further into it. */
static void read_bytes(void *ctx, const char *path, uint64_t done, uint64_t total)
{
	struct wl_progress *p = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;
	char more[48];

	if (strcmp(p->path, path)) {
		snprintf(p->path, sizeof(p->path), "%s", path);
		p->pass = 1;
		p->pct = -1;
	} else if (done < p->last) {
		p->pass++;
		p->pct = -1;
	}
	p->last = done;
	if (pct == p->pct || (!p->tty && pct != 100 && p->pct >= 0 && pct / 10 == p->pct / 10))
		return;
	p->pct = pct;
	if (p->pass > 1)
		snprintf(more, sizeof(more), ": read %d %%, pass %d", pct, p->pass);
	else
		snprintf(more, sizeof(more), ": read %d %%", pct);
	line(p, path, more);
}

void wl_progress_reads(struct wl_progress *p)
{
	struct wl_walk_progress h = { read_bytes, p };

	if (p && p->on)
		wl_walk_progress_set(&h);
}

void wl_progress_clear(struct wl_progress *p)
{
	if (p && p->on && p->tty && p->shown)
		fprintf(stderr, "\r\033[K");
	if (p)
		p->shown = 0;
}

void wl_progress_end(struct wl_progress *p)
{
	wl_walk_progress_set(NULL);
	wl_progress_clear(p);
}
