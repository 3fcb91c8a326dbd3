/*
 * markers_bench.c - the time to pair N markers (wl_phases_markers) and to
 * split the energy among their requests (wl_requests_compute), for
 * scripts/bench/requests.sh.  The run: 1 hour of power at 10 Hz; N/6
 * requests of 3 windows each (request, prefill, decode), 8 open at a time,
 * markers in time order.  Prints CPU and wall seconds of each step; with
 * --check, exits 1 when pairing takes 2 s of CPU or more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wattlog/phases.h"
#include "wattlog/requests.h"

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int add(struct wl_dataset *ds, double t, const char *fmt, long r)
{
	char buf[96];

	snprintf(buf, sizeof(buf), fmt, r);
	return wl_dataset_marker(ds, t, 0, buf);
}

int main(int argc, char **argv)
{
	long n = 1000000, nreq, r, i;
	int check = 0;
	struct wl_dataset ds;
	struct wl_phase_list pl;
	struct wl_request_list rl;
	struct wl_error err;
	double c0, w0, c1, w1, c2, w2, span = 3590, dur;
	long ch;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = 1;
		else
			n = atol(argv[i]);
	}
	nreq = n / 6;
	dur = span * 8 / (double)nreq;
	wl_dataset_init(&ds);
	ch = wl_dataset_channel(&ds, "power.draw", "W", "gpu0", "nvml", WL_DS_GAUGE, 0);
	if (ch < 0 || wl_channel_component(&ds.ch[ch], "gpu0"))
		return 2;
	for (i = 0; i < 36000; i++)
		if (wl_channel_push(&ds.ch[ch], (double)i / 10, 100 + (double)((i * 37) % 200)))
			return 2;
	/* in time order: a request's begin markers, then (dur / 4 later) its
	 * prefill end and decode begin, then its ends; 8 requests overlap */
	for (r = 0; r < nreq + 8; r++) {
		double a = 1 + (double)r * span / (double)nreq;
		long q = r - 8; /* the request that ends now */

		if (q >= 0 && (add(&ds, a, "end decode %ld", q) ||
			       add(&ds, a, "end request %ld tokens_out=128", q)))
			return 2;
		if (r < nreq && (add(&ds, a, "begin request %ld tokens_in=64", r) ||
				 add(&ds, a, "begin prefill %ld", r) ||
				 add(&ds, a + dur / 4, "end prefill %ld", r) ||
				 add(&ds, a + dur / 4, "begin decode %ld", r)))
			return 2;
	}
	wl_phase_list_init(&pl);
	wl_request_list_init(&rl);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	w0 = now(CLOCK_MONOTONIC);
	if (wl_phases_markers(&ds, &pl, &err) < 0) {
		fprintf(stderr, "markers_bench: %s\n", err.msg);
		return 2;
	}
	c1 = now(CLOCK_PROCESS_CPUTIME_ID);
	w1 = now(CLOCK_MONOTONIC);
	if (wl_requests_compute(&ds, &pl, &rl, &err) < 0) {
		fprintf(stderr, "markers_bench: %s\n", err.msg);
		return 2;
	}
	c2 = now(CLOCK_PROCESS_CPUTIME_ID);
	w2 = now(CLOCK_MONOTONIC);
	printf("%zu markers -> %zu windows, %zu requests, %zu notes\n", ds.nmk, pl.n, rl.n,
	       pl.nnotes);
	printf("pair (wl_phases_markers):   %.3f s CPU, %.3f s wall\n", c1 - c0, w1 - w0);
	printf("split (wl_requests_compute): %.3f s CPU, %.3f s wall\n", c2 - c1, w2 - w1);
	printf("requests %.1f J + unattributed %.1f J = total %.1f J\n", rl.requests_energy_j,
	       rl.unattributed_energy_j, rl.total_energy_j);
	r = check && c1 - c0 >= 2.0;
	wl_request_list_release(&rl);
	wl_phase_list_release(&pl);
	wl_dataset_release(&ds);
	return (int)r;
}
