/* input_opts.c - the input options every command reading logs shares
 * (see input_opts.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_opts.h"
#include "wattlog/tzone.h"
#include "wattlog/units.h"

void wl_input_args_init(struct wl_input_args *a)
{
	memset(a, 0, sizeof(*a));
}

void wl_input_args_release(struct wl_input_args *a)
{
	size_t i;

	for (i = 0; i < a->ncounters; i++)
		wl_counter_release(&a->counters[i]);
	free(a->counters);
	for (i = 0; i < a->nunits; i++)
		wl_unit_decl_release(&a->units[i]);
	free(a->units);
	free(a->exclude);
	wl_input_args_init(a);
}

/* Points a->in at the arrays (they move when they grow). */
static void relink(struct wl_input_args *a)
{
	a->in.counters = a->counters;
	a->in.ncounters = a->ncounters;
	a->in.units = a->units;
	a->in.nunits = a->nunits;
	a->in.exclude = a->exclude;
	a->in.nexclude = a->nexclude;
}

static int grow(void **p, size_t n, size_t sz, const char *cmd)
{
	void *q = realloc(*p, (n + 1) * sz);

	if (!q) {
		fprintf(stderr, "wattlog %s: out of memory\n", cmd);
		return -1;
	}
	*p = q;
	return 0;
}

/* "250ms", "0.25s", "1min": a duration with its unit, in s. */
static int duration(const char *s, double *out)
{
	char unit[32];
	double v, f;

	if (wl_unit_parse_value(s, &v, unit, sizeof(unit)) || !unit[0] ||
	    !(f = wl_unit_time_scale(unit)) || !(v > 0))
		return -1;
	*out = v * f;
	return 0;
}

int wl_input_option(struct wl_input_args *a, int c, const char *arg, const char *cmd)
{
	struct wl_error err;
	struct wl_tzconv tz;

	switch (c) {
	case WL_IOPT_FORMAT:
		a->in.format = arg;
		break;
	case WL_IOPT_TZ:
		if (wl_tzconv_init(&tz, arg, &err)) {
			fprintf(stderr, "wattlog %s: bad --tz: %s\n", cmd, err.msg);
			return -1;
		}
		wl_tzconv_release(&tz);
		a->in.tz = arg;
		break;
	case WL_IOPT_COUNTER:
		if (grow((void **)&a->counters, a->ncounters, sizeof(*a->counters), cmd))
			return -1;
		if (wl_counter_parse(arg, &a->counters[a->ncounters], &err)) {
			fprintf(stderr, "wattlog %s: %s\n", cmd, err.msg);
			return -1;
		}
		a->ncounters++;
		break;
	case WL_IOPT_UNIT:
		if (grow((void **)&a->units, a->nunits, sizeof(*a->units), cmd))
			return -1;
		if (wl_unit_decl_parse(arg, &a->units[a->nunits], &err)) {
			fprintf(stderr, "wattlog %s: %s\n", cmd, err.msg);
			return -1;
		}
		a->nunits++;
		break;
	case WL_IOPT_TIME_UNIT:
		if (strcmp(arg, "s") && strcmp(arg, "ms") && strcmp(arg, "us") &&
		    strcmp(arg, "ns")) {
			fprintf(stderr, "wattlog %s: bad --time-unit '%s': s, ms, us or ns\n", cmd,
				arg);
			return -1;
		}
		a->in.time_unit = arg;
		break;
	case WL_IOPT_DEVICE_COLUMN:
		a->in.device_column = arg;
		break;
	case WL_IOPT_EXCLUDE:
		if (grow((void **)&a->exclude, a->nexclude, sizeof(*a->exclude), cmd))
			return -1;
		a->exclude[a->nexclude++] = arg;
		break;
	case WL_IOPT_MARKERS:
		a->in.markers = arg;
		break;
	case WL_IOPT_INTERVAL:
		if (duration(arg, &a->in.interval_s)) {
			fprintf(stderr, "wattlog %s: bad --interval '%s': a duration with its unit "
				"(250ms, 1s)\n", cmd, arg);
			return -1;
		}
		break;
	default:
		return 0;
	}
	relink(a);
	return 1;
}

int wl_input_run(int argc, char **argv,
		 int (*main_fn)(int argc, char **argv, struct wl_input_args *a))
{
	struct wl_input_args a;
	int rc;

	wl_input_args_init(&a);
	rc = main_fn(argc, argv, &a);
	wl_input_args_release(&a);
	return rc;
}

/* The text of --input-format: the registry's names (formats.c), wrapped
 * at 80 columns under the option's description column. */
void wl_input_format_usage(FILE *f, const char *option, size_t col)
{
	char names[256], *w, *save = NULL;
	size_t at;

	wl_format_names(names, sizeof(names));
	at = (size_t)fprintf(f, "%-*s", (int)col, option);
	for (w = strtok_r(names, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (at > col && at + 1 + strlen(w) > 80)
			at = (size_t)fprintf(f, "\n%*s", (int)col, "") - 1;
		at += (size_t)fprintf(f, "%s%s", at > col ? " " : "", w);
	}
	if (at + 17 > 80)
		fprintf(f, "\n%*s", (int)col, "");
	else
		fputc(' ', f);
	fprintf(f, "(default: detect)\n");
}

void wl_input_usage(FILE *f)
{
	fprintf(f, "input (see the README's \"What wattlog assumes\"):\n");
	wl_input_format_usage(f, "  -I, --input-format FMT", 28);
	fprintf(f,
		"      --tz ZONE             zone of time stamps written without one: an IANA\n"
		"                            name (Europe/Berlin) or an offset (-07:00, UTC-7)\n"
		"      --unit COLUMN=UNIT    a CSV column's unit (W, mW, J, uJ, %%, ...); COLUMN\n"
		"                            may be a glob ('gpu*=W'); repeatable\n"
		"      --time-unit U         a numeric time column counts s, ms, us or ns\n"
		"      --device-column NAME  the CSV column naming the device of each row\n"
		"      --exclude COLUMN      keep a power column (glob) out of the energy sum\n"
		"      --counter SPEC        a CSV column is a counter: COLUMN:UNIT[:wrap=N]\n"
		"      --interval DUR        tegrastats lines without a date are DUR apart\n"
		"                            (tegrastats --interval 250 is 250ms)\n"
		"      --markers LOG         add markers from LOG: lines 'TIME begin|end LABEL\n"
		"                            [ID] [key=value ...]', TIME ISO 8601 or epoch\n");
}
