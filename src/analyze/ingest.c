/*
 * ingest.c - picks the reader for a file from its content (or --format) and
 * runs it.  One reader per format in ingest_*.c.
 *
 * Detection, from the first 4 KiB, in this order:
 *   wattlog     the trace magic
 *   (refused)   a NUL byte: binary data that is no trace
 *   rapl-trace  first line starts "#timestamp,interval,socket"
 *   tegrastats  first line "MM-DD-YYYY HH:MM:SS " followed by "RAM " or a
 *               rail "NAME NmW/NmW"; or, without a date, "RAM " with
 *               " CPU [" or " SWAP "
 *   aimeter     a CSV header with the columns task_name and index
 *   nvidia-smi  a CSV header with `timestamp` and a --query-gpu field
 *               (power.draw, utilization.gpu, ...), or ", " separators
 *               with a "[unit]" header such as "power.draw [W]"
 *   csv         any other header of two or more comma-separated names
 * A directory is a job's folder of per-node traces: merged (merge.h).
 * "-" is standard input; it and pipes are read as input.h says.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "wattlog/input.h"
#include "wattlog/merge.h"
#include "wattlog/trace_format.h"
#include "wattlog/units.h"

/* 1 when the comma-separated header line has a field equal to name
 * (ignoring blanks and a trailing "[unit]"). */
static int has_field(const char *line, const char *name)
{
	const char *p = line;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char f[128], n[128], u[32];

		if (len < sizeof(f)) {
			memcpy(f, p, len);
			f[len] = 0;
			wl_unit_split_header(f, n, sizeof(n), u, sizeof(u));
			if (!strcmp(n, name))
				return 1;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int nvsmi_header(const char *line)
{
	static const char *const fields[] = {
		"power.draw", "power.draw.instant", "power.draw.average", "utilization.gpu",
		"temperature.gpu", "clocks.sm", "clocks.current.sm", "memory.used",
		"pci.bus_id", "uuid", "pstate", "enforced.power.limit",
	};
	size_t i;

	if (!has_field(line, "timestamp"))
		return 0;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (has_field(line, fields[i]))
			return 1;
	return strstr(line, ", ") && strchr(line, '[');
}

static int tegrastats_line(const char *line)
{
	struct wl_tzconv tz;
	double t;
	size_t len;

	if (!strncmp(line, "RAM ", 4)) /* no date: tegrastats --logfile on L4T R32 */
		return strstr(line, " CPU [") || strstr(line, " SWAP ");
	wl_tzconv_init(&tz, "UTC", NULL); /* a fixed offset: cannot fail */
	if (wl_time_parse_mdy(line, &tz, &t, &len) || line[len] != ' ')
		return 0;
	return !strncmp(line + len + 1, "RAM ", 4) || strstr(line, "mW/");
}

const char *wl_ingest_detect(const char *path, struct wl_error *err)
{
	char head[4096], *nl;
	ssize_t n;

	n = wl_input_peek(path, head, sizeof(head) - 1, err); /* a pipe keeps it (input.h) */
	if (n < 0)
		return NULL;
	head[n] = 0;
	if (n >= 4 && !memcmp(head, WL_FILE_MAGIC, 4))
		return "wattlog";
	if (n == 0) {
		wl_error_set(err, "'%s' line 1: empty file", path);
		return NULL;
	}
	if (memchr(head, 0, (size_t)n)) {
		wl_error_set(err, "unknown format: '%s': binary data that is no wattlog trace", path);
		return NULL;
	}
	nl = strpbrk(head, "\r\n");
	if (nl)
		*nl = 0;
	if (!strncmp(head, "#timestamp,interval,socket", 26))
		return "rapl-trace";
	if (tegrastats_line(head))
		return "tegrastats";
	if (has_field(head, "task_name") && has_field(head, "index") &&
	    has_field(head, "timestamp"))
		return "aimeter";
	if (nvsmi_header(head))
		return "nvidia-smi";
	if (strchr(head, ',') && isprint((unsigned char)head[0]))
		return "csv";
	wl_error_set(err, "unknown format: '%s': not a wattlog trace and no known log format", path);
	return NULL;
}

struct reader {
	const char *format; /* as --format names it */
	const char *name;   /* as ds->format records it */
	int (*fn)(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		  struct wl_error *err);
};

static const struct reader readers[] = {
	{ "wattlog", "wattlog", wl_ingest_trace },
	{ "aimeter", "aimeter", wl_ingest_aimeter },
	{ "nvidia-smi", "nvidia-smi", wl_ingest_nvsmi },
	{ "tegrastats", "tegrastats", wl_ingest_tegrastats },
	{ "rapl-trace", "rapl-trace", wl_ingest_rapltrace },
	{ "csv", "csv", wl_ingest_generic },
	{ "nvsmi", "nvidia-smi", wl_ingest_nvsmi },
	{ "rapl", "rapl-trace", wl_ingest_rapltrace },
	{ "generic", "csv", wl_ingest_generic },
};

static int ingest_file(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
	      struct wl_error *err)
{
	const char *fmt;
	size_t i;

	if (wl_merge_is_dir(path)) /* a job's folder of per-node traces (merge.h) */
		return wl_merge_paths(&path, 1, NULL, ds, err);
	fmt = o && o->format ? o->format : wl_ingest_detect(path, err);
	if (!fmt)
		return -1;
	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		if (strcmp(fmt, readers[i].format))
			continue;
		if (readers[i].fn(path, o, ds, err))
			return -1;
		if (!ds->path && !(ds->path = strdup(path)))
			return wl_error_set(err, "out of memory reading '%s'", path);
		if (!ds->format && !(ds->format = strdup(readers[i].name)))
			return wl_error_set(err, "out of memory reading '%s'", path);
		return 0;
	}
	return wl_error_set(err, "unknown format '%s' for '%s' (known: wattlog, aimeter, "
			    "nvidia-smi, tegrastats, rapl-trace, csv)", fmt, path);
}

int wl_ingest(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
	      struct wl_error *err)
{
	if (ingest_file(path, o, ds, err))
		return -1;
	return o && o->markers ? wl_ingest_markers(o->markers, o, ds, err) : 0;
}
