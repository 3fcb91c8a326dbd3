/* test_record_cli.c - wattlog-record's option parsing: durations, intervals,
 * per-source intervals, the command tail (src/record/cli.c). */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/record/cli.h"

static uint64_t dur(const char *s)
{
	struct wl_error err;
	uint64_t ns = 12345;

	cr_assert_eq(wl_rec_parse_duration(s, "interval", &ns, &err), 0, "'%s': %s", s, err.msg);
	return ns;
}

static void bad_dur(const char *s, const char *why)
{
	struct wl_error err;
	uint64_t ns = 777;

	err.msg[0] = 0;
	cr_assert_eq(wl_rec_parse_duration(s, "interval", &ns, &err), -1, "'%s' accepted", s);
	cr_assert_eq(ns, 777, "'%s': output written on error", s);
	cr_assert(strstr(err.msg, why), "'%s': message '%s' lacks '%s'", s, err.msg, why);
	cr_assert(strstr(err.msg, "interval"), "'%s': message '%s' lacks the option", s, err.msg);
}

Test(record_cli, duration_units)
{
	/* each unit by hand: 1 us = 1e3 ns, 1 ms = 1e6, 1 s = 1e9, 1 m = 60e9, 1 h = 3600e9 */
	cr_assert_eq(dur("0"), 0);
	cr_assert_eq(dur("0ms"), 0);
	cr_assert_eq(dur("7ns"), 7);
	cr_assert_eq(dur("250us"), 250000ull);
	cr_assert_eq(dur("10ms"), 10000000ull);
	cr_assert_eq(dur("1s"), 1000000000ull);
	cr_assert_eq(dur("1m"), 60000000000ull);
	cr_assert_eq(dur("2h"), 7200000000000ull);
}

Test(record_cli, duration_fractions)
{
	/* 2.5 s = 2 s + 5/10 s = 2 500 000 000 ns; 0.1 ms = 100 000 ns */
	cr_assert_eq(dur("2.5s"), 2500000000ull);
	cr_assert_eq(dur("0.1ms"), 100000ull);
	cr_assert_eq(dur(".5s"), 500000000ull);
	cr_assert_eq(dur("1.5us"), 1500ull);
	/* 1.000000001 s: the 9th decimal is 1 ns */
	cr_assert_eq(dur("1.000000001s"), 1000000001ull);
	/* 0.25 h = 15 min = 900 s */
	cr_assert_eq(dur("0.25h"), 900000000000ull);
	/* "1." is 1 with an empty fraction */
	cr_assert_eq(dur("3.ms"), 3000000ull);
}

Test(record_cli, duration_errors)
{
	bad_dur("", "empty");
	bad_dur("10", "missing unit");
	bad_dur("1.5", "missing unit");
	bad_dur("ms", "not a number");
	bad_dur("-1s", "not a number");
	bad_dur("10x", "unknown unit 'x'");
	bad_dur("10 ms", "unknown unit");
	bad_dur("1.5ns", "finer than 1 ns");
	bad_dur("0.0001us", "finer than 1 ns");
	bad_dur("1.0000000001s", "more than 9 decimals");
	/* 2^64 ns is about 584.9 years = 5 124 095 h: 6 000 000 h cannot fit */
	bad_dur("6000000h", "too large");
	bad_dur("99999999999999999999999ns", "too large");
	/* the message quotes the text as one printable line */
	bad_dur("1\nms", "bad interval '1?ms': unknown unit '?ms'");
}

Test(record_cli, source_intervals)
{
	struct wl_rec_opts o;
	struct wl_error err;

	memset(&o, 0, sizeof(o));
	cr_assert_eq(wl_rec_parse_source_intervals("rapl=1ms,nvml=20ms", &o, &err), 0, "%s", err.msg);
	cr_assert_eq(o.nsrc, 2);
	cr_assert_str_eq(o.src[0].name, "rapl");
	cr_assert_eq(o.src[0].period_ns, 1000000ull);
	cr_assert_str_eq(o.src[1].name, "nvml");
	cr_assert_eq(o.src[1].period_ns, 20000000ull);
	/* a name given again keeps the last value, no new entry */
	cr_assert_eq(wl_rec_parse_source_intervals("rapl=500us", &o, &err), 0, "%s", err.msg);
	cr_assert_eq(o.nsrc, 2);
	cr_assert_eq(o.src[0].period_ns, 500000ull);
}

Test(record_cli, source_interval_errors)
{
	static const char *bad[][2] = {
		{ "rapl", "expected NAME=DURATION" },
		{ "=1ms", "bad source name" },
		{ "rapl=1ms,", "trailing comma" },
		{ "rapl=fast", "not a number" },
		{ "rapl=10", "missing unit" },
		{ "", "empty" },
	};
	struct wl_rec_opts o;
	struct wl_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&o, 0, sizeof(o));
		err.msg[0] = 0;
		cr_assert_eq(wl_rec_parse_source_intervals(bad[i][0], &o, &err), -1,
			     "'%s' accepted", bad[i][0]);
		cr_assert(strstr(err.msg, bad[i][1]), "'%s': '%s' lacks '%s'", bad[i][0],
			  err.msg, bad[i][1]);
	}
}

static int parse(struct wl_rec_opts *o, struct wl_error *err, int argc, ...)
{
	static char *argv[32];
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	return wl_rec_parse_args(argc, argv, o, err);
}

Test(record_cli, defaults)
{
	struct wl_rec_opts o;
	struct wl_error err;

	unsetenv("WATTLOG_STATS_FD");
	cr_assert_eq(parse(&o, &err, 1, "wattlog-record"), 0, "%s", err.msg);
	cr_assert_str_eq(o.output, "wattlog.wlog");
	cr_assert_eq(o.interval_ns, 10000000ull); /* 10 ms */
	cr_assert_eq(o.flush_ns, 1000000000ull);  /* 1 s */
	cr_assert_eq(o.duration_ns, 0);
	cr_assert_eq(o.force, 0);
	cr_assert_eq(o.stats_fd, -1);
	cr_assert_str_eq(o.sysfs_root, "/sys");
	cr_assert_str_eq(o.procfs_root, "/proc");
	cr_assert_null(o.cmd);
}

Test(record_cli, options_and_command)
{
	struct wl_rec_opts o;
	struct wl_error err;

	unsetenv("WATTLOG_STATS_FD");
	cr_assert_eq(parse(&o, &err, 14, "wattlog-record", "-o", "run.wlog", "-f", "-i", "0",
			   "--source-interval", "procfs=100ms", "--stats-fd", "5", "--",
			   "python3", "-i", "serve.py"), 0, "%s", err.msg);
	cr_assert_str_eq(o.output, "run.wlog");
	cr_assert_eq(o.force, 1);
	cr_assert_eq(o.interval_ns, 0);
	cr_assert_eq(o.nsrc, 1);
	cr_assert_eq(o.src[0].period_ns, 100000000ull);
	cr_assert_eq(o.stats_fd, 5);
	/* everything after "--" is the command, its own "-i" included */
	cr_assert_eq(o.ncmd, 3);
	cr_assert_str_eq(o.cmd[0], "python3");
	cr_assert_str_eq(o.cmd[1], "-i");
	cr_assert_str_eq(o.cmd[2], "serve.py");
}

Test(record_cli, command_without_dashes)
{
	struct wl_rec_opts o;
	struct wl_error err;

	/* parsing stops at the first non-option: the command's options stay its own */
	cr_assert_eq(parse(&o, &err, 5, "wattlog-record", "-q", "sleep", "-x", "1"), 0, "%s",
		     err.msg);
	cr_assert_eq(o.quiet, 1);
	cr_assert_eq(o.ncmd, 3);
	cr_assert_str_eq(o.cmd[1], "-x");
}

Test(record_cli, stats_fd_from_env)
{
	struct wl_rec_opts o;
	struct wl_error err;

	setenv("WATTLOG_STATS_FD", "9", 1);
	cr_assert_eq(parse(&o, &err, 1, "wattlog-record"), 0, "%s", err.msg);
	cr_assert_eq(o.stats_fd, 9);
	/* the option wins over the environment */
	cr_assert_eq(parse(&o, &err, 3, "wattlog-record", "--stats-fd", "4"), 0, "%s", err.msg);
	cr_assert_eq(o.stats_fd, 4);
	setenv("WATTLOG_STATS_FD", "x", 1);
	cr_assert_eq(parse(&o, &err, 1, "wattlog-record"), -1);
	cr_assert(strstr(err.msg, "WATTLOG_STATS_FD"), "%s", err.msg);
	unsetenv("WATTLOG_STATS_FD");
}

Test(record_cli, usage_errors)
{
	static const char *cases[][3] = {
		{ "--bogus", NULL, "unrecognized option '--bogus'" },
		{ "-Z", NULL, "unrecognized option '-Z'" },
		{ "-o", NULL, "needs an argument" },
		{ "-i", "10", "bad interval '10': missing unit" },
		{ "--duration", "0s", "must be > 0" },
		{ "--flush-interval", "0", "must be > 0" },
		{ "--stats-fd", "-3", "not a file descriptor" },
	};
	struct wl_rec_opts o;
	struct wl_error err;
	size_t i;

	unsetenv("WATTLOG_STATS_FD");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = cases[i][1] ? parse(&o, &err, 3, "wattlog-record", cases[i][0], cases[i][1])
				     : parse(&o, &err, 2, "wattlog-record", cases[i][0]);

		cr_assert_eq(rc, -1, "'%s' accepted", cases[i][0]);
		cr_assert(strstr(err.msg, cases[i][2]), "'%s': '%s' lacks '%s'", cases[i][0],
			  err.msg, cases[i][2]);
	}
}
