/*
 * cmdline.c - getopt_long with the project's messages and the option table
 * listing (see wattlog/cmdline.h).
 */
#include <stdio.h>
#include <string.h>

#include "wattlog/cmdline.h"

/* The option letter val stands for in shortopts, if it is one. */
static int is_short(const char *shortopts, int val)
{
	return val > 0 && val < 128 && val != ':' && val != '+' && val != '-' &&
	       strchr(shortopts, val);
}

/* The entry of longopts that the long option arg ("--name[=value]") names
 * exactly or as its only abbreviation; NULL when none or several. */
static const struct option *long_named(const struct option *longopts, const char *arg,
				       size_t *nmatch)
{
	size_t len = strcspn(arg + 2, "="), i;
	const struct option *hit = NULL;

	*nmatch = 0;
	for (i = 0; longopts[i].name; i++) {
		if (strncmp(longopts[i].name, arg + 2, len))
			continue;
		if (strlen(longopts[i].name) == len) {
			*nmatch = 1;
			return &longopts[i];
		}
		hit = &longopts[i];
		++*nmatch;
	}
	return *nmatch == 1 ? hit : NULL;
}

void wl_getopt_problem(int ch, char **argv, const struct option *longopts, char *msg,
		       size_t n)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	int is_long = arg && arg[0] == '-' && arg[1] == '-' && arg[2];
	int len = is_long ? (int)strcspn(arg, "=") : 0;
	const struct option *o = NULL;
	size_t nmatch = 0;

	if (is_long)
		o = long_named(longopts, arg, &nmatch);
	if (ch == ':' && is_long)
		snprintf(msg, n, "option '%.*s' needs an argument", len, arg);
	else if (ch == ':')
		snprintf(msg, n, "option '-%c' needs an argument", optopt);
	else if (optopt && is_long && o && o->val == optopt && arg[len] == '=')
		snprintf(msg, n, "option '%.*s' takes no argument", len, arg);
	else if (optopt)
		snprintf(msg, n, "unrecognized option '-%c'", optopt);
	else if (is_long && nmatch > 1)
		snprintf(msg, n, "ambiguous option '%.*s'", len, arg);
	else
		snprintf(msg, n, "unrecognized option '%.*s'", len, is_long ? arg : "?");
}

void wl_usage_short(const struct wl_cmdline *c)
{
	fprintf(stderr, "usage: %s%s%s\nsee '%s --help'\n", c->prog, *c->synopsis ? " " : "",
		c->synopsis, c->prog);
}

void wl_usage_error(const struct wl_cmdline *c, const char *what)
{
	fprintf(stderr, "%s: %s\n", c->prog, what);
	wl_usage_short(c);
}

int wl_getopt(const struct wl_cmdline *c, int argc, char **argv)
{
	char opts[128], msg[256];
	const char *s = c->shortopts;
	size_t k = 0;
	int ch;

	/* '+' or '-' first, then ':' so a missing argument returns ':' */
	if (*s == '+' || *s == '-')
		opts[k++] = *s++;
	opts[k++] = ':';
	if (*s == ':')
		s++;
	snprintf(opts + k, sizeof(opts) - k, "%s", s);
	opterr = 0;
	ch = getopt_long(argc, argv, opts, c->longopts, NULL);
	if (ch == '?' || ch == ':') {
		wl_getopt_problem(ch, argv, c->longopts, msg, sizeof(msg));
		wl_usage_error(c, msg);
		return '?';
	}
	return ch;
}

int wl_cmdline_print(const struct wl_cmdline *c, const char *prefix, FILE *f)
{
	const struct option *o;
	int rc = 0;

	for (o = c->longopts; o->name && rc >= 0; o++) {
		if (prefix)
			fprintf(f, "%s ", prefix);
		if (is_short(c->shortopts, o->val))
			rc = fprintf(f, "-%c --%s\n", o->val, o->name);
		else
			rc = fprintf(f, "--%s\n", o->name);
	}
	return rc;
}
