/*
 * fuzz_ingest.h - the body of every log-ingester target: FUZZ_FORMAT names
 * the reader (wl_ingest with --format FUZZ_FORMAT; NULL = detection).
 * Property: either 0 and a dataset whose timestamps are finite and
 * non-decreasing per channel (fuzz_check_dataset), or -1 and a one-line
 * error naming the file and a position ("line N", "offset N") or one of
 * the whole-file problems listed in whole_file[].
 */
#include "fuzz_common.h"
#include "wattlog/ingest.h"

static void check_position(const struct wl_error *err)
{
	static const char *const whole_file[] = {
		"empty file", "no time column", "no timestamp column", "no numeric",
		"binary data", "unknown format", "no data", "no samples", "no column",
		"no rows", "no header", "out of memory",
		"unsupported trace version", /* the header's version field */
	};
	size_t i;

	if (strstr(err->msg, "line ") || strstr(err->msg, "offset "))
		return;
	for (i = 0; i < sizeof(whole_file) / sizeof(whole_file[0]); i++)
		if (strstr(err->msg, whole_file[i]))
			return;
	fuzz_fail("error without a position: %s (%g)", err->msg, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl_ingest_opts o = { .format = FUZZ_FORMAT, .tz = "UTC" };
	struct wl_dataset ds;
	struct wl_error err = { { 0 } };
	const char *path = fuzz_file(data, size);

	wl_dataset_init(&ds);
	if (wl_ingest(path, &o, &ds, &err) == 0) {
		fuzz_check_dataset(&ds);
	} else {
		fuzz_check_error(&err, path);
		check_position(&err);
	}
	wl_dataset_release(&ds);
	return 0;
}
