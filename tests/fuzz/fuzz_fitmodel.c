/*
 * fuzz_fitmodel.c - libFuzzer target for the model file of `wattlog fit`
 * (src/analyze/pipeline/fit_model.c): any bytes give either 0 and a model the
 * predictor can use (power law: one metric, x_sat > 0, 3 parameters;
 * linear: 1..8 metrics, one parameter more; every value finite), or -1 and
 * a one-line error naming the file.  Built by tests/fuzz/run.sh.
 */
#include <fcntl.h>

#include "fuzz_common.h"
#include "wattlog/fit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const double zero[WL_FIT_MAX_X];
	struct wl_fit_model m;
	struct wl_error err = { { 0 } };
	size_t i;
	int fd;

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/wl-fuzz-model.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	fd = open(path, O_WRONLY | O_TRUNC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
	wl_fit_model_init(&m);
	if (wl_fit_model_read(path, &m, &err)) {
		fuzz_check_error(&err, path);
		wl_fit_model_release(&m);
		return 0;
	}
	if (m.kind == WL_FIT_POWER_LAW ? m.nx != 1 || !(m.x_sat > 0) || m.np != 3
				       : m.nx < 1 || m.nx > WL_FIT_MAX_X || m.np != m.nx + 1)
		fuzz_fail("%smodel read with nx %g", "", (double)m.nx);
	for (i = 0; i < m.np; i++)
		if (!isfinite(m.p[i].value))
			fuzz_fail("%sparameter value %g", "", m.p[i].value);
	(void)wl_fit_eval(&m, zero);
	wl_fit_model_release(&m);
	return 0;
}
