/*
 * fuzz_metajson.c - libFuzzer target for meta.json (src/analyze/ingest/metajson.c):
 * any bytes as DIR/meta.json give either 0 with every figure NaN (absent) or
 * finite and >= 0, or -1 and a one-line error naming the file.  Built by
 * tests/fuzz/run.sh.
 */
#include <fcntl.h>

#include "fuzz_common.h"
#include "wattlog/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64], trace[96], meta[96];
	struct wl_workload w;
	struct wl_error err = { { 0 } };
	double f[6];
	int fd, found = -1;
	size_t i;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/wl-fuzz-meta.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(trace, sizeof(trace), "%s/run.wlog", dir);
		snprintf(meta, sizeof(meta), "%s/meta.json", dir);
	}
	fd = open(meta, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
	wl_workload_init(&w);
	if (wl_metajson_read(trace, &w, &found, &err)) {
		fuzz_check_error(&err, meta);
		return 0;
	}
	if (found != 1)
		fuzz_fail("%smeta.json read but found = %g", "", (double)found);
	f[0] = w.tokens, f[1] = w.input_tokens, f[2] = w.output_tokens;
	f[3] = w.requests, f[4] = w.flops, f[5] = w.peak_flops;
	for (i = 0; i < 6; i++)
		if (!isnan(f[i]) && !(isfinite(f[i]) && f[i] >= 0))
			fuzz_fail("%sbad figure %g", "", f[i]);
	return 0;
}
