/*
 * fuzz_schedule.c - libFuzzer target for simulate's phase schedule parser
 * (src/analyze/pipeline/simulate_schedule.c).  Properties: either 0 with >= 1 phase,
 * each labelled idle/prefill/decode with a finite duration > 0, as many
 * phases as an independent count of items; or -1 and a one-line error that
 * names the origin and, unless the schedule is empty, a line and column.
 */
#include "fuzz_common.h"
#include "wattlog/simulate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl_sim_schedule s;
	struct wl_error err = { { 0 } };
	char *text = malloc(size + 1);
	size_t i;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = 0;
	wl_sim_schedule_init(&s);
	if (wl_sim_schedule_parse(text, "--schedule", &s, &err)) {
		if (strncmp(err.msg, "--schedule", 10) || strchr(err.msg, '\n'))
			fuzz_fail("error does not name the origin: %s (%g)", err.msg, 0);
		if (!strstr(err.msg, "empty schedule") && !strstr(err.msg, "out of memory") &&
		    !strstr(err.msg, " column "))
			fuzz_fail("error without line and column: %s (%g)", err.msg, 0);
	} else {
		if (!s.n)
			fuzz_fail("%sempty schedule accepted (%g)", "", 0);
		for (i = 0; i < s.n; i++) {
			if (strcmp(s.p[i].label, "idle") && strcmp(s.p[i].label, "prefill") &&
			    strcmp(s.p[i].label, "decode"))
				fuzz_fail("bad label '%s' (%g)", s.p[i].label, (double)i);
			if (!isfinite(s.p[i].dur_s) || !(s.p[i].dur_s > 0))
				fuzz_fail("%sbad duration %g", "", s.p[i].dur_s);
		}
	}
	wl_sim_schedule_release(&s);
	free(text);
	return 0;
}
