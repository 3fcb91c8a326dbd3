/* marker_demo.c - a workload using include/wattlog/marker.h, for the
 * recorder's end-to-end tests (t26):
 *
 *     marker_demo N     sends "begin prefill", "end prefill", then
 *                       "begin request I" / "end request I" for I < N,
 *                       sleeping 20 ms between phases; prints on stdout
 *                       how many wl_marker() calls returned 0
 */
#include "wattlog/marker.h" /* first: it makes clock_gettime visible */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void nap(void)
{
	struct timespec ts = { 0, 20000000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2, sent = 0, i;

	sent += wl_marker("begin prefill") == 0;
	nap();
	sent += wl_marker("end prefill") == 0;
	for (i = 0; i < n; i++) {
		sent += wl_marker("begin request %d", i) == 0;
		nap();
		sent += wl_marker("end request %d", i) == 0;
	}
	printf("sent %d\n", sent);
	return 0;
}
