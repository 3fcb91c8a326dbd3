/* test_formats.c - the registry of input formats (src/analyze/ingest/formats.c):
 * names and aliases, detection order on heads written here, and the error
 * of an unknown --input-format. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/ingest.h"
#include "wattlog/trace_format.h"

static const char *detect_bytes(const void *head, size_t n, struct wl_error *err)
{
	static char path[64];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/wl-test-formats.XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "wb");
	cr_assert(f);
	cr_assert_eq(fwrite(head, 1, n, f), n);
	fclose(f);
	{
		const char *fmt = wl_ingest_detect(path, err);

		unlink(path);
		return fmt;
	}
}

static const char *detect(const char *text)
{
	struct wl_error err = { { 0 } };
	const char *fmt = detect_bytes(text, strlen(text), &err);

	cr_assert(fmt, "'%s': %s", text, err.msg);
	return fmt;
}

Test(formats, names_and_aliases)
{
	const struct wl_format *const *f;
	size_t n = wl_formats(&f), i;
	char names[256];

	cr_assert_eq(n, 6);
	for (i = 0; i < n; i++) {
		cr_assert_eq(wl_format_find(f[i]->name), f[i]);
		cr_assert(f[i]->sniff && f[i]->read && f[i]->help && *f[i]->help, "%s", f[i]->name);
	}
	cr_assert_str_eq(wl_format_find("nvsmi")->name, "nvidia-smi");
	cr_assert_str_eq(wl_format_find("rapl")->name, "rapl-trace");
	cr_assert_str_eq(wl_format_find("generic")->name, "csv");
	cr_assert_null(wl_format_find("nvsm"));
	cr_assert_null(wl_format_find(""));
	wl_format_names(names, sizeof(names));
	cr_assert_str_eq(names, "wattlog, aimeter, nvidia-smi, tegrastats, rapl-trace, csv");
	wl_format_names(names, 10);
	cr_assert_str_eq(names, "wattlog, ");
}

/* Each rule on a first line written here; an AIMeter header holds
 * timestamp and power.draw too, so aimeter must be tried before
 * nvidia-smi, and csv is what any other CSV header is. */
Test(formats, detection_in_registry_order)
{
	struct wl_error err = { { 0 } };
	unsigned char trace[20] = { 0 };

	memcpy(trace, WL_FILE_MAGIC, 4);
	cr_assert_str_eq(detect_bytes(trace, sizeof(trace), &err), "wattlog", "%s", err.msg);
	cr_assert_str_eq(detect("timestamp,task_name,name,index,power.draw\n1,a,b,0,5 W\n"),
			 "aimeter");
	cr_assert_str_eq(detect("timestamp, index, power.draw [W]\n"), "nvidia-smi");
	cr_assert_str_eq(detect("timestamp,utilization.gpu\r\n"), "nvidia-smi");
	cr_assert_str_eq(detect("01-02-2024 10:00:00 RAM 100/200MB CPU [1%@2]\n"), "tegrastats");
	cr_assert_str_eq(detect("RAM 100/200MB SWAP 0/0MB CPU [1%@2]\n"), "tegrastats");
	cr_assert_str_eq(detect("#timestamp,interval,socket,domain,energy,power\n"), "rapl-trace");
	cr_assert_str_eq(detect("time,power\n0,1\n"), "csv");
	cr_assert_null(detect_bytes("ab\0cd", 5, &err));
	cr_assert(strstr(err.msg, "binary data"), "%s", err.msg);
	cr_assert_null(detect_bytes("just words\n", 11, &err));
	cr_assert(strstr(err.msg, "no known log format"), "%s", err.msg);
	cr_assert_null(detect_bytes("", 0, &err));
	cr_assert(strstr(err.msg, "empty file"), "%s", err.msg);
}

Test(formats, unknown_input_format_lists_the_known)
{
	struct wl_error err = { { 0 } };
	struct wl_dataset ds;

	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest_file("x.csv", "parquet", NULL, &ds, &err), -1);
	cr_assert_str_eq(err.msg, "unknown format 'parquet' for 'x.csv' (known: wattlog, aimeter, "
			 "nvidia-smi, tegrastats, rapl-trace, csv)");
	wl_dataset_release(&ds);
}
