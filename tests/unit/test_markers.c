/* test_markers.c - marker lines: parsing, line assembly across reads,
 * over-long lines, a flood through a real pipe (src/record/markers.c). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace_format.h"
#include "../../src/record/markers.h"

#define NOW 5000000000ull /* receipt time used throughout: 5 s */

static int parse(const char *s, uint64_t *t, uint32_t *flags, char *text, struct wl_error *err)
{
	char buf[256];
	const char *p;
	size_t n;
	int rc;

	snprintf(buf, sizeof(buf), "%s", s);
	rc = wl_marker_parse(buf, strlen(buf), NOW, t, flags, &p, &n, err);
	if (rc == 0) {
		memcpy(text, p, n);
		text[n] = 0;
	}
	return rc;
}

Test(markers, plain_lines_take_receipt_time)
{
	struct wl_error err;
	uint32_t flags = 99;
	uint64_t t = 0;
	char text[256];

	cr_assert_eq(parse("begin prefill", &t, &flags, text, &err), 0, "%s", err.msg);
	cr_assert_str_eq(text, "begin prefill");
	cr_assert_eq(t, NOW);
	cr_assert_eq(flags, 0);
	/* surrounding blanks and a CR (from a CRLF sender) go */
	cr_assert_eq(parse("  end request 42 \r", &t, &flags, text, &err), 0, "%s", err.msg);
	cr_assert_str_eq(text, "end request 42");
}

Test(markers, sender_time_prefix)
{
	struct wl_error err;
	uint32_t flags = 0;
	uint64_t t = 0;
	char text[256];

	cr_assert_eq(parse("@4999999123 begin prefill", &t, &flags, text, &err), 0, "%s", err.msg);
	cr_assert_eq(t, 4999999123ull);
	cr_assert_eq(flags, WL_MARKER_SENDER_TIME);
	cr_assert_str_eq(text, "begin prefill");
	/* up to 1 s after receipt is tolerated (clock read before the send) */
	cr_assert_eq(parse("@6000000000 x", &t, &flags, text, &err), 0, "%s", err.msg);
	cr_assert_eq(t, 6000000000ull);
}

Test(markers, bad_lines)
{
	static const char *cases[][2] = {
		{ "@12x go", "timestamp is not a number" },
		{ "@ go", "timestamp is not a number" },
		{ "@123", "no text after the timestamp" },
		{ "@123   ", "no text after the timestamp" },
		/* realtime by mistake: 1.7e18 ns is far after the 5 s receipt */
		{ "@1700000000000000000 begin x", "after the receipt time" },
		{ "@6000000001 late", "after the receipt time" },
		{ "@99999999999999999999999 x", "timestamp too large" },
	};
	struct wl_error err;
	uint32_t flags;
	uint64_t t;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err.msg[0] = 0;
		cr_assert_eq(parse(cases[i][0], &t, &flags, text, &err), -1, "'%s' accepted",
			     cases[i][0]);
		cr_assert(strstr(err.msg, cases[i][1]), "'%s': '%s' lacks '%s'", cases[i][0],
			  err.msg, cases[i][1]);
	}
}

Test(markers, blank_and_control_characters)
{
	struct wl_error err;
	uint32_t flags;
	uint64_t t;
	char text[256];

	cr_assert_eq(parse("", &t, &flags, text, &err), 1);
	cr_assert_eq(parse(" \t\r", &t, &flags, text, &err), 1);
	cr_assert_eq(parse("begin a\033[1mb\x7f", &t, &flags, text, &err), 0);
	cr_assert_str_eq(text, "begin a?[1mb?");
}

/* A sink that keeps what it gets. */
struct got {
	int n, nlog;
	uint64_t t[64];
	uint32_t flags[64];
	size_t len[64];
	char text[64][80];
	char log[8][160];
};

static int got_marker(void *ctx, uint64_t t_ns, uint32_t flags, const char *text, size_t len)
{
	struct got *g = ctx;

	if (g->n < 64) {
		g->t[g->n] = t_ns;
		g->flags[g->n] = flags;
		g->len[g->n] = len;
		snprintf(g->text[g->n], sizeof(g->text[0]), "%.*s", (int)len, text);
	}
	g->n++;
	return 0;
}

static void got_log(void *ctx, const char *msg)
{
	struct got *g = ctx;

	if (g->nlog < 8)
		snprintf(g->log[g->nlog], sizeof(g->log[0]), "%s", msg);
	g->nlog++;
}

Test(markers, lines_split_across_reads)
{
	static struct wl_marker_in in;
	static struct got g;
	struct wl_marker_sink sink = { &g, got_marker, got_log };

	wl_marker_in_init(&in, -1, "test");
	cr_assert_eq(wl_marker_feed(&in, "begin pre", 9, 100, &sink), 0);
	cr_assert_eq(g.n, 0); /* no newline yet: nothing */
	cr_assert_eq(wl_marker_feed(&in, "fill\nend pre", 12, 200, &sink), 0);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.text[0], "begin prefill");
	cr_assert_eq(g.t[0], 200); /* stamped when the line was complete */
	cr_assert_eq(wl_marker_feed(&in, "fill\n\n@150 x\n", 13, 300, &sink), 0);
	cr_assert_eq(g.n, 3);
	cr_assert_str_eq(g.text[1], "end prefill");
	cr_assert_eq(g.t[1], 300);
	cr_assert_str_eq(g.text[2], "x");
	cr_assert_eq(g.t[2], 150);
	cr_assert_eq(g.flags[2], WL_MARKER_SENDER_TIME);
	cr_assert_eq(in.markers, 3);
}

Test(markers, overlong_line_truncated_and_logged)
{
	static struct wl_marker_in in;
	static struct got g;
	static char big[3 * WL_MARKER_LINE_MAX];
	struct wl_marker_sink sink = { &g, got_marker, got_log };
	size_t n = sizeof(big);

	/* a line of 3 * 4096 'a' then "\nbegin next\n", fed in two pieces */
	memset(big, 'a', n);
	wl_marker_in_init(&in, -1, "test");
	cr_assert_eq(wl_marker_feed(&in, big, n / 2, 1, &sink), 0);
	cr_assert_eq(wl_marker_feed(&in, big + n / 2, n - n / 2, 1, &sink), 0);
	cr_assert_eq(wl_marker_feed(&in, "\nbegin next\n", 12, 1, &sink), 0);
	cr_assert_eq(g.n, 2);
	cr_assert_eq(g.len[0], WL_MARKER_LINE_MAX); /* the first 4096 bytes kept */
	cr_assert_str_eq(g.text[1], "begin next");
	cr_assert_eq(in.truncated, 1);
	cr_assert_eq(g.nlog, 1);
	cr_assert(strstr(g.log[0], "truncated"), "%s", g.log[0]);
	cr_assert(in.len < WL_MARKER_LINE_MAX);
}

Test(markers, problems_logged_up_to_a_limit)
{
	static struct wl_marker_in in;
	static struct got g;
	struct wl_marker_sink sink = { &g, got_marker, got_log };
	int i;

	wl_marker_in_init(&in, -1, "test");
	for (i = 0; i < WL_MARKER_MAX_LOGS + 50; i++)
		cr_assert_eq(wl_marker_feed(&in, "@x\n", 3, 1, &sink), 0);
	/* WL_MARKER_MAX_LOGS lines, then one saying no more are logged */
	cr_assert_eq(g.nlog, WL_MARKER_MAX_LOGS + 1);
	cr_assert_eq(in.bad, WL_MARKER_MAX_LOGS + 50);
	cr_assert_eq(g.n, 0);
}

static int count_marker(void *ctx, uint64_t t_ns, uint32_t flags, const char *text, size_t len)
{
	(void)t_ns;
	(void)flags;
	(void)text;
	(void)len;
	(*(int *)ctx)++;
	return 0;
}

Test(markers, drain_pipe_within_budget)
{
	static struct wl_marker_in in;
	struct wl_marker_sink sink;
	int fds[2], n = 0, rounds = 0, rc, i;
	char line[32];

	/* 1000 lines of "begin request NNNN\n" (19 bytes) = 19 000 bytes */
	cr_assert_eq(pipe2(fds, O_NONBLOCK), 0);
	fcntl(fds[0], F_SETPIPE_SZ, 65536);
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "begin request %04d\n", i);
		cr_assert_eq(write(fds[1], line, 19), 19);
	}
	sink.ctx = &n;
	sink.marker = count_marker;
	sink.log = NULL;
	wl_marker_in_init(&in, fds[0], "pipe");
	/* a budget of 8192 bytes: ceil(19000 / 8192) = 3 rounds, the last drains */
	do {
		rc = wl_marker_drain(&in, 1, 8192, &sink);
		rounds++;
	} while (rc == 1 && rounds < 10);
	cr_assert_eq(rc, 0);
	cr_assert_eq(rounds, 3);
	cr_assert_eq(n, 1000);
	close(fds[1]);
	cr_assert_eq(wl_marker_drain(&in, 1, 8192, &sink), -2); /* every writer gone */
	close(fds[0]);
}
