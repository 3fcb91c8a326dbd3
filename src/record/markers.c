/* markers.c - marker lines from the workload (see markers.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace_format.h"
#include "markers.h"

#define FUTURE_SLACK_NS 1000000000ull

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int wl_marker_parse(char *line, size_t len, uint64_t now_ns, uint64_t *t_ns, uint32_t *flags,
		    const char **text, size_t *tlen, struct wl_error *err)
{
	char *p = line, *end = line + len;
	uint64_t t = 0;
	size_t nd = 0, i;

	while (p < end && blank(*p))
		p++;
	while (end > p && blank(end[-1]))
		end--;
	for (i = 0; p + i < end; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			p[i] = '?';
	if (p == end)
		return 1;
	*flags = 0;
	*t_ns = now_ns;
	if (*p == '@') {
		char *q = p + 1;

		for (; q < end && *q >= '0' && *q <= '9'; q++, nd++) {
			if (t > (UINT64_MAX - 9) / 10)
				return wl_error_set(err, "bad marker '%.*s': timestamp too large",
						    (int)(end - p > 80 ? 80 : end - p), p);
			t = t * 10 + (uint64_t)(*q - '0');
		}
		if (!nd || (q < end && !blank(*q)))
			return wl_error_set(err, "bad marker '%.*s': timestamp is not a number",
					    (int)(end - p > 80 ? 80 : end - p), p);
		while (q < end && blank(*q))
			q++;
		if (q == end)
			return wl_error_set(err, "bad marker '%.*s': no text after the timestamp",
					    (int)(end - p > 80 ? 80 : end - p), p);
		if (t > now_ns + FUTURE_SLACK_NS)
			return wl_error_set(err, "bad marker '%.*s': timestamp %llu ns is after the "
					    "receipt time %llu ns (not CLOCK_MONOTONIC?)",
					    (int)(end - p > 80 ? 80 : end - p), p,
					    (unsigned long long)t, (unsigned long long)now_ns);
		*t_ns = t;
		*flags = WL_MARKER_SENDER_TIME;
		p = q;
	}
	*text = p;
	*tlen = (size_t)(end - p);
	return 0;
}

void wl_marker_in_init(struct wl_marker_in *in, int fd, const char *name)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->name = name;
}

static void problem(struct wl_marker_in *in, const struct wl_marker_sink *sink, const char *msg)
{
	char line[WL_ERROR_MAX + 64];

	if (in->nlogs > WL_MARKER_MAX_LOGS)
		return;
	if (in->nlogs++ == WL_MARKER_MAX_LOGS)
		snprintf(line, sizeof(line), "%s: more than %d marker problems, no longer logged",
			 in->name, WL_MARKER_MAX_LOGS);
	else
		snprintf(line, sizeof(line), "%s: %s", in->name, msg);
	if (sink->log)
		sink->log(sink->ctx, line);
}

/* One complete (or truncated) line in in->buf[0..len). */
static int line_done(struct wl_marker_in *in, size_t len, uint64_t now_ns,
		     const struct wl_marker_sink *sink)
{
	struct wl_error err;
	const char *text;
	size_t tlen;
	uint64_t t;
	uint32_t flags;
	int rc;

	rc = wl_marker_parse(in->buf, len, now_ns, &t, &flags, &text, &tlen, &err);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		in->bad++;
		problem(in, sink, err.msg);
		return 0;
	}
	in->markers++;
	return sink->marker(sink->ctx, t, flags, text, tlen);
}

int wl_marker_feed(struct wl_marker_in *in, const char *data, size_t n, uint64_t now_ns,
		   const struct wl_marker_sink *sink)
{
	const char *p = data, *end = data + n, *nl;
	size_t take;
	char msg[128];

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (in->discarding) {
			if (!nl)
				return 0;
			in->discarding = 0;
			p = nl + 1;
			continue;
		}
		take = (size_t)((nl ? nl : end) - p);
		if (take > WL_MARKER_LINE_MAX - in->len)
			take = WL_MARKER_LINE_MAX - in->len;
		memcpy(in->buf + in->len, p, take);
		in->len += take;
		p += take;
		if (nl && p == nl) {
			p++;
			take = in->len;
			in->len = 0;
			if (line_done(in, take, now_ns, sink) < 0)
				return -1;
		} else if (in->len == WL_MARKER_LINE_MAX) {
			/* over-long: keep its first WL_MARKER_LINE_MAX bytes, drop the rest */
			in->truncated++;
			in->len = 0;
			snprintf(msg, sizeof(msg), "marker line longer than %d bytes, truncated",
				 WL_MARKER_LINE_MAX);
			problem(in, sink, msg);
			if (line_done(in, WL_MARKER_LINE_MAX, now_ns, sink) < 0)
				return -1;
			in->discarding = 1;
		}
	}
	return 0;
}

int wl_marker_drain(struct wl_marker_in *in, uint64_t now_ns, size_t budget,
		    const struct wl_marker_sink *sink)
{
	char chunk[8192];
	size_t used = 0;
	ssize_t n;

	if (in->fd < 0)
		return 0;
	while (used < budget) {
		n = read(in->fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 0; /* EAGAIN: drained (other errors: try again later) */
		}
		if (n == 0)
			return -2;
		used += (size_t)n;
		if (wl_marker_feed(in, chunk, (size_t)n, now_ns, sink) < 0)
			return -1;
		if ((size_t)n < sizeof(chunk))
			return 0;
	}
	return 1;
}
