/*
 * fuzz_intensity.c - libFuzzer target for the carbon-intensity CSV reader
 * (src/analyze/stages/intensity.c).  Properties: either 0 with >= 2 rows, times
 * finite and strictly increasing, values finite and >= 0, a finite positive
 * last step, and wl_intensity_at agreeing with the rows; or -1 and a
 * one-line error naming the file.  Built by tests/fuzz/run.sh.
 */
#include "fuzz_common.h"
#include "wattlog/carbon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const units[] = { "g/kWh", "kg/kWh", "lb/MWh", "t/MWh" };
	struct wl_intensity in;
	struct wl_error err = { { 0 } };
	const char *path = fuzz_file(data, size);
	const char *unit = units[size % 4];
	size_t i;

	if (wl_intensity_load(&in, path, unit, "UTC", &err)) {
		fuzz_check_error(&err, path);
		if (in.n || in.t || in.g_per_kwh)
			fuzz_fail("%sfailed load left %g rows allocated", "", (double)in.n);
		return 0;
	}
	if (in.n < 2)
		fuzz_fail("%sloaded a trace of %g rows", "", (double)in.n);
	for (i = 0; i < in.n; i++) {
		if (!isfinite(in.t[i]) || !isfinite(in.g_per_kwh[i]) || in.g_per_kwh[i] < 0)
			fuzz_fail("%sbad row %g", "", (double)i);
		if (i && !(in.t[i] > in.t[i - 1]))
			fuzz_fail("%stime does not increase at row %g", "", (double)i);
		if (wl_intensity_at(&in, in.t[i]) != in.g_per_kwh[i])
			fuzz_fail("%sintensity_at disagrees with row %g", "", (double)i);
	}
	if (!isfinite(in.last_step) || !(in.last_step > 0))
		fuzz_fail("%sbad last step %g", "", in.last_step);
	if (!isnan(wl_intensity_at(&in, in.t[0] - 1)))
		fuzz_fail("%sintensity before the trace is %g, not NaN", "",
			  wl_intensity_at(&in, in.t[0] - 1));
	wl_intensity_release(&in);
	return 0;
}
