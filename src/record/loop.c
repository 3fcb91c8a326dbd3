/* loop.c - the sampling loop: absolute deadlines, markers, flushes (see rec.h).
 *
 * Each source has its own deadline on a fixed grid, due_k = start + k * period
 * (CLOCK_MONOTONIC), so the rate never drifts however long a sample takes;
 * a missed deadline is skipped, not made up in a burst.  The loop sleeps in
 * ppoll() until the earliest deadline (source, flush, sync, end) with SIGINT,
 * SIGTERM, SIGHUP and SIGCHLD unblocked only there, and wakes early when a
 * marker arrives, so a marker is stamped on receipt.  The hot path makes no
 * malloc and no stdio call.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rec.h"

#define MARKER_BUDGET (256u * 1024u) /* bytes of markers read per wake-up */
#define FREE_RUN_POLL_NS 1000000ull   /* -i 0: look at signals and markers every 1 ms */
#define MAX_INPUTS 4

uint64_t wl_rec_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

uint64_t wl_rec_real_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void wl_rec_hist_add(struct wl_rec_hist *h, uint64_t ns)
{
	size_t i;

	if (ns < 100000)
		i = (size_t)(ns / 100);
	else if (ns < 10000000)
		i = WL_HIST_FINE + (size_t)((ns - 100000) / 10000);
	else
		i = WL_HIST_FINE + WL_HIST_COARSE;
	h->b[i]++;
	h->n++;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

uint64_t wl_rec_hist_quantile(const struct wl_rec_hist *h, double q)
{
	uint64_t rank, seen = 0;
	size_t i;

	if (!h->n)
		return 0;
	rank = (uint64_t)(q * (double)(h->n - 1) + 0.5);
	for (i = 0; i <= WL_HIST_FINE + WL_HIST_COARSE; i++) {
		seen += h->b[i];
		if (seen > rank)
			break;
	}
	if (i < WL_HIST_FINE)
		return (uint64_t)i * 100 + 100;
	if (i < WL_HIST_FINE + WL_HIST_COARSE)
		return 100000 + (uint64_t)(i - WL_HIST_FINE) * 10000 + 10000;
	return h->max_ns;
}

void wl_rec_loop_fail(struct wl_rec_loop *L, const struct wl_error *err)
{
	int running = L->child && !L->child->exited;

	if (L->failed)
		return;
	L->failed = 1;
	fprintf(stderr, "wattlog-record: %s: recording stopped%s\n", err->msg,
		running ? ", the command runs on" : "");
}

void wl_rec_loop_blocks(struct wl_rec_loop *L, uint64_t samples_before)
{
	uint64_t b = wl_writer_blocks(L->w);
	char line[96];
	int n;

	if (b == L->stats_blocks)
		return;
	L->stats_blocks = b;
	L->samples_on_disk = samples_before;
	if (L->opts->stats_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "flushed blocks=%llu samples=%llu\n",
		     (unsigned long long)b, (unsigned long long)samples_before);
	if (write(L->opts->stats_fd, line, (size_t)n) < 0) {
		/* a side channel for tests: its loss never stops recording */
	}
}

static void rec_log(struct wl_rec_loop *L, uint8_t level, const char *text)
{
	struct wl_error err;
	uint64_t before = L->samples;

	if (L->failed)
		return;
	if (wl_writer_log(L->w, wl_rec_mono_ns(), level, text, &err) < 0)
		wl_rec_loop_fail(L, &err);
	else
		wl_rec_loop_blocks(L, before);
}

static int sink_marker(void *ctx, uint64_t t_ns, uint32_t flags, const char *text, size_t len)
{
	struct wl_rec_loop *L = ctx;
	struct wl_error err;
	uint64_t before = L->samples;

	if (L->failed || L->stopped)
		return 0; /* keep draining so the workload never fills the pipe */
	if (wl_writer_marker(L->w, t_ns, flags, text, len, &err) < 0) {
		wl_rec_loop_fail(L, &err);
		return 0;
	}
	L->markers++;
	wl_rec_loop_blocks(L, before);
	if (L->metrics)
		wl_metrics_marker(L->metrics, t_ns, text, len);
	return 0;
}

static void sink_log(void *ctx, const char *msg)
{
	struct wl_rec_loop *L = ctx;

	if (!L->opts->quiet)
		fprintf(stderr, "wattlog-record: %s\n", msg);
	rec_log(L, WL_LOG_WARN, msg);
}

/* Next deadline of s after it was sampled at t. */
static void schedule(struct wl_rec_src *s, uint64_t t)
{
	uint64_t nd;

	if (s->period_ns) {
		s->due_ns += s->period_ns;
		if (s->due_ns <= t) { /* overran: skip to the next grid point after t */
			s->due_ns += ((t - s->due_ns) / s->period_ns + 1) * s->period_ns;
			s->overruns++;
		}
	} else {
		s->due_ns = t;
	}
	if (s->ops->next_due) {
		nd = s->ops->next_due(s->state, t);
		if (nd > s->due_ns)
			s->due_ns = nd;
	}
}

static void stop_source(struct wl_rec_loop *L, struct wl_rec_src *s, const char *why)
{
	char line[WL_ERROR_MAX + 64];

	s->stopped = 1;
	snprintf(line, sizeof(line), "source %s stopped: %s", s->ops->name, why);
	fprintf(stderr, "wattlog-record: %s\n", line);
	rec_log(L, WL_LOG_ERROR, line);
}

/* Samples s now; returns 1 when it was sampled. */
static int sample_one(struct wl_rec_loop *L, struct wl_rec_src *s)
{
	struct wl_error err;
	size_t i, k = 0, n = s->desc->n;
	uint64_t t, before;
	int rc;

	memset(s->present, 0, n);
	err.msg[0] = 0;
	t = wl_rec_mono_ns();
	rc = s->ops->sample(s->state, t, s->vals, s->present, &err);
	if (rc < 0) {
		stop_source(L, s, err.msg[0] ? err.msg : "failed");
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!s->present[i])
			continue;
		s->out_ids[k] = (uint16_t)(s->first_id + i);
		s->out_vals[k] = s->vals[i];
		k++;
	}
	if (k) {
		before = L->samples;
		if (wl_writer_sample(L->w, t, s->out_ids, s->out_vals, k, &err) < 0) {
			wl_rec_loop_fail(L, &err);
			return 0;
		}
		L->samples++;
		s->samples++;
		wl_rec_loop_blocks(L, before);
		if (L->metrics)
			wl_metrics_sample(L->metrics, (size_t)(s - L->src), t, s->vals, s->present);
	}
	if (rc == 1) {
		char line[WL_ERROR_MAX + 32];

		snprintf(line, sizeof(line), "%s: %s", s->ops->name, err.msg);
		sink_log(L, line);
	}
	schedule(s, t);
	return 1;
}

/* The command has exited, not reaped yet: each source that reads something
 * of the command's processes at its own slower rate reads it now, in one
 * more sample (procfs: the tree's CPU time, complete at this instant). */
static void command_exited(struct wl_rec_loop *L)
{
	size_t i;

	for (i = 0; i < L->nsrc && !L->failed; i++) {
		struct wl_rec_src *s = &L->src[i];

		if (s->stopped || !s->ops->command_exited)
			continue;
		s->ops->command_exited(s->state);
		sample_one(L, s);
	}
}

/* Samples every source due at now; returns the earliest next deadline. */
static uint64_t tick(struct wl_rec_loop *L, uint64_t now)
{
	uint64_t t0 = 0, earliest = UINT64_MAX;
	int any = 0;
	size_t i;

	for (i = 0; i < L->nsrc && !L->failed; i++) {
		struct wl_rec_src *s = &L->src[i];

		if (s->stopped)
			continue;
		if (s->due_ns <= now) {
			if (!any)
				t0 = wl_rec_mono_ns();
			any |= sample_one(L, s);
		}
		if (!s->stopped && s->due_ns < earliest)
			earliest = s->due_ns;
	}
	if (any) {
		L->ticks++;
		wl_rec_hist_add(&L->hist, wl_rec_mono_ns() - t0);
	}
	return earliest;
}

static void drain_markers(struct wl_rec_loop *L, struct pollfd *pf, int all)
{
	struct wl_marker_sink sink = { L, sink_marker, sink_log };
	size_t i;
	int rc;

	for (i = 0; i < L->nin; i++) {
		if (pf[i].fd < 0 || (!all && !pf[i].revents))
			continue;
		if (pf[i].revents & POLLNVAL) {
			pf[i].fd = -1;
			continue;
		}
		/* at the end (all), read everything left; else a budget per wake-up */
		do
			rc = wl_marker_drain(&L->in[i], wl_rec_mono_ns(), MARKER_BUDGET, &sink);
		while (all && rc == 1);
		if (rc == -2 || (rc == 0 && (pf[i].revents & POLLERR)))
			pf[i].fd = -1; /* every writer closed: nothing more will come */
	}
}

static void write_sync(struct wl_rec_loop *L)
{
	struct wl_error err;
	uint64_t before = L->samples;

	if (wl_writer_sync(L->w, wl_rec_mono_ns(), wl_rec_real_ns(), &err) < 0)
		wl_rec_loop_fail(L, &err);
	else
		wl_rec_loop_blocks(L, before);
}

static void flush(struct wl_rec_loop *L)
{
	struct wl_error err;

	if (L->failed || !wl_writer_pending(L->w))
		return;
	if (wl_writer_flush(L->w, &err) < 0)
		wl_rec_loop_fail(L, &err);
	else
		wl_rec_loop_blocks(L, L->samples);
}

/* Sleeps until deadline (UINT64_MAX = until a signal or marker). */
static void wait_until(struct wl_rec_loop *L, struct pollfd *pf, uint64_t deadline, uint64_t now)
{
	struct timespec ts, *tp = NULL;
	uint64_t d, hd = UINT64_MAX;
	size_t nh = 0;
	int n;

	if (L->http) { /* the metrics server's sockets after the marker inputs */
		nh = wl_http_pollfds(L->http, pf + L->nin, &hd);
		if (hd < deadline)
			deadline = hd;
	}
	if (deadline != UINT64_MAX) {
		d = deadline > now ? deadline - now : 0;
		ts.tv_sec = (time_t)(d / 1000000000ull);
		ts.tv_nsec = (long)(d % 1000000000ull);
		tp = &ts;
	}
	n = ppoll(pf, L->nin + nh, tp, &L->waitmask);
	if (n > 0)
		drain_markers(L, pf, 0);
	if (L->http)
		wl_http_serve(L->http, pf + L->nin, n > 0 ? nh : 0, wl_rec_mono_ns());
}

/* The command exited: with --once-per-node and a FIFO still open, closes
 * the recorder's own writer and returns 1 (recording lingers); else 0. */
static int linger_start(struct wl_rec_loop *L, const struct pollfd *pf)
{
	if (!L->linger_fd || *L->linger_fd < 0 || L->linger_in >= L->nin ||
	    pf[L->linger_in].fd < 0)
		return 0;
	close(*L->linger_fd);
	*L->linger_fd = -1;
	return 1;
}

int wl_rec_loop_run(struct wl_rec_loop *L)
{
	const struct wl_rec_opts *o = L->opts;
	struct pollfd pf[MAX_INPUTS + WL_HTTP_NFDS];
	uint64_t now, end, next_flush, next_sync, next_poll, due, wake, linger_end = 0;
	uint64_t blocks = wl_writer_blocks(L->w);
	int recording = !L->failed;
	size_t i;

	if (L->nin > MAX_INPUTS)
		L->nin = MAX_INPUTS;
	for (i = 0; i < L->nin; i++) {
		pf[i].fd = L->in[i].fd;
		pf[i].events = POLLIN;
		pf[i].revents = 0;
	}
	now = L->start_ns;
	for (i = 0; i < L->nsrc; i++)
		L->src[i].due_ns = now;
	end = o->duration_ns ? now + o->duration_ns : UINT64_MAX;
	next_flush = now + o->flush_ns;
	next_sync = now + o->sync_ns;
	next_poll = now;
	for (;;) {
		if (wl_rec_got_chld) {
			wl_rec_got_chld = 0;
			if (recording && !L->failed && L->child && wl_child_ended(L->child))
				command_exited(L);
			if (L->child && wl_child_poll(L->child, 0)) {
				if (!linger_start(L, pf))
					break;
				linger_end = wl_rec_mono_ns() + L->linger_ns;
			}
		}
		if ((!L->child || linger_end) && wl_rec_got_signal)
			break;
		now = wl_rec_mono_ns();
		if (linger_end && (pf[L->linger_in].fd < 0 || now >= linger_end))
			break; /* every local rank closed the FIFO, or waited enough */
		if (recording && (L->failed || now >= end)) {
			recording = 0;
			flush(L);
			L->stopped = 1;
			if (!L->child)
				break;
		}
		if (!recording) {
			wait_until(L, pf, UINT64_MAX, now);
			continue;
		}
		due = tick(L, now);
		if (now >= next_sync) {
			write_sync(L);
			next_sync += o->sync_ns;
			if (next_sync <= now)
				next_sync = now + o->sync_ns;
		}
		if (wl_writer_blocks(L->w) != blocks) {
			blocks = wl_writer_blocks(L->w);
			next_flush = now + o->flush_ns;
		} else if (now >= next_flush) {
			flush(L);
			blocks = wl_writer_blocks(L->w);
			next_flush = now + o->flush_ns;
		}
		wake = due;
		if (next_flush < wake)
			wake = next_flush;
		if (next_sync < wake)
			wake = next_sync;
		if (end < wake)
			wake = end;
		if (linger_end && linger_end < wake)
			wake = linger_end;
		if (wake > now) {
			wait_until(L, pf, wake, wl_rec_mono_ns());
		} else if (now >= next_poll) {
			/* free-running: still take signals and markers, every 1 ms */
			wait_until(L, pf, now, now);
			next_poll = now + FREE_RUN_POLL_NS;
		}
	}
	drain_markers(L, pf, 1);
	flush(L);
	L->stopped = 1;
	if (L->child)
		wl_child_poll(L->child, 1);
	return L->failed ? -1 : 0;
}
