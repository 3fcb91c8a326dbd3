/*
 * fuzz_cli.c - libFuzzer target for the command-line parsers: the recorder's
 * durations, --source-interval lists and whole argument vectors
 * (src/record/cli.c), the analyzer's --counter specs (counter_decl.c), cells
 * with units and ISO times (units.c, timeparse.c).  The first byte picks the
 * parser; the rest is the text (NUL-separated arguments for argv).
 * Properties: a duration accepted equals the number times its unit computed
 * independently (long double, to 1 ns); every refusal is a one-line message;
 * accepted options keep their documented invariants.
 */
#include <getopt.h>

#include "fuzz_common.h"
#include "wattlog/ingest.h"
#include "wattlog/units.h"
#include "../../src/record/cli.h"

static void one_line(const struct wl_error *err, const char *prefix)
{
	if (!err->msg[0] || strchr(err->msg, '\n') || strncmp(err->msg, prefix, strlen(prefix)))
		fuzz_fail("bad message: %s (%g)", err->msg, 0);
}

static void duration(const char *s)
{
	static const struct { const char *u; long double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3L }, { "ms", 1e6L }, { "s", 1e9L }, { "m", 6e10L },
		{ "h", 3.6e12L },
	};
	struct wl_error err = { { 0 } };
	uint64_t ns;
	const char *p = s;
	char *end;
	long double num, want;
	size_t i;

	if (wl_rec_parse_duration(s, "interval", &ns, &err)) {
		one_line(&err, "bad interval '");
		return;
	}
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (p == s)
		fuzz_fail("accepted a duration without a number: '%s' (%g)", s, 0);
	num = strtold(s, &end);
	if (end != p)
		fuzz_fail("accepted a malformed number: '%s' (%g)", s, 0);
	if (!*p) {
		if (num != 0)
			fuzz_fail("accepted a bare number: '%s' (%g)", s, (double)num);
		want = 0;
	} else {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(p, units[i].u))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			fuzz_fail("accepted an unknown unit: '%s' (%g)", s, 0);
		want = num * units[i].ns;
	}
	if (fabsl((long double)ns - want) > 1 + want * 1e-18L)
		fuzz_fail("duration '%s' parsed %g ns off", s, (double)((long double)ns - want));
}

static void source_intervals(const char *s)
{
	struct wl_rec_opts o;
	struct wl_error err = { { 0 } };
	size_t i;

	memset(&o, 0, sizeof(o));
	if (wl_rec_parse_source_intervals(s, &o, &err)) {
		one_line(&err, "bad ");
		return;
	}
	if (o.nsrc == 0 || o.nsrc > WL_REC_MAX_SRC_INTERVALS)
		fuzz_fail("'%s': %g entries", s, (double)o.nsrc);
	for (i = 0; i < o.nsrc; i++)
		if (!o.src[i].name[0] || !memchr(o.src[i].name, 0, sizeof(o.src[i].name)) ||
		    !strstr(s, o.src[i].name))
			fuzz_fail("'%s': bad name in entry %g", s, (double)i);
}

static void args(const uint8_t *d, size_t n)
{
	static char prog[] = "wattlog-record", x[] = "x";
	char *argv[66], *buf = malloc(n + 1), *reset[] = { x, NULL };
	struct wl_rec_opts o;
	struct wl_error err = { { 0 } };
	int argc = 1;
	size_t i;

	if (!buf)
		abort();
	memcpy(buf, d, n);
	buf[n] = 0;
	argv[0] = prog;
	for (i = 0; i <= n && argc < 65; i++)
		if (i == 0 || buf[i - 1] == 0)
			argv[argc++] = buf + i;
	argv[argc] = NULL;
	/* glibc keeps getopt's position inside a cluster ("-fZ") across calls:
	 * start over (cli.c does the same with optind = 0). */
	optind = 0;
	getopt(1, reset, "");
	if (wl_rec_parse_args(argc, argv, &o, &err)) {
		one_line(&err, "");
	} else {
		if (!o.flush_ns || !o.sync_ns || o.nsrc > WL_REC_MAX_SRC_INTERVALS || !*o.output)
			fuzz_fail("%sbad options accepted (%g)", "", 0);
		if (o.cmd && (o.cmd < argv + 1 || o.cmd + o.ncmd != argv + argc))
			fuzz_fail("%scommand outside argv (%g)", "", 0);
	}
	free(buf);
}

static void counter(const char *s)
{
	struct wl_counter_decl d;
	struct wl_error err = { { 0 } };

	if (wl_counter_parse(s, &d, &err)) {
		one_line(&err, "bad --counter");
		return;
	}
	if (!d.column[0] || !d.unit[0] || !isfinite(d.wrap) || d.wrap < 0 ||
	    wl_unit_energy_scale(wl_unit_canon(d.unit)) == 0)
		fuzz_fail("accepted a bad counter '%s' (%g)", s, d.wrap);
	wl_counter_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, unit[8];
	double v;
	struct wl_tzconv tz;

	if (size < 1)
		return 0;
	if (data[0] % 6 == 2) {
		args(data + 1, size - 1);
		return 0;
	}
	s = malloc(size);
	if (!s)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	switch (data[0] % 6) {
	case 0:
		duration(s);
		break;
	case 1:
		source_intervals(s);
		break;
	case 3:
		counter(s);
		break;
	case 4:
		if (!wl_unit_parse_value(s, &v, unit, sizeof(unit)) &&
		    (!isfinite(v) || !memchr(unit, 0, sizeof(unit))))
			fuzz_fail("cell '%s' parsed as %g", s, v);
		break;
	default:
		wl_tzconv_init(&tz, "UTC", NULL);
		if (!wl_time_parse_iso(s, &tz, &v, NULL) && !isfinite(v))
			fuzz_fail("time '%s' parsed as %g", s, v);
		if (!wl_tzconv_init(&tz, s, NULL))
			wl_tzconv_release(&tz); /* any zone name: never a crash */
		break;
	}
	free(s);
	return 0;
}
