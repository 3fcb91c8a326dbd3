/* list.c - `wattlog-record --list`: every source, its channels, or why it is
 * unavailable (see rec.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"

#define COST_CALLS 101

static const char *kind_name(uint8_t k)
{
	return k == WL_KIND_COUNTER ? "counter" : "gauge";
}

static const char *type_name(uint8_t t)
{
	return t == WL_TYPE_U64 ? "u64" : t == WL_TYPE_I64 ? "i64" : "f64";
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median cost of one sample() call in ns, or 0 when it failed. */
static uint64_t cost_ns(const struct wl_source_ops *ops, void *state, size_t n)
{
	union wl_value *vals = calloc(n ? n : 1, sizeof(*vals));
	unsigned char *present = calloc(n ? n : 1, 1);
	uint64_t d[COST_CALLS], t;
	struct wl_error err;
	size_t i;

	if (!vals || !present) {
		free(vals);
		free(present);
		return 0;
	}
	for (i = 0; i < COST_CALLS; i++) {
		memset(present, 0, n);
		t = wl_rec_mono_ns();
		if (ops->sample(state, t, vals, present, &err) < 0)
			break;
		d[i] = wl_rec_mono_ns() - t;
	}
	free(vals);
	free(present);
	if (i < COST_CALLS)
		return 0;
	qsort(d, COST_CALLS, sizeof(d[0]), cmp_u64);
	return d[COST_CALLS / 2];
}

/* Lists one source; returns 1 when it opened. */
static int list_one(const struct wl_source_ops *ops, const struct wl_source_opts *so, int verbose)
{
	const struct wl_source_desc *d;
	struct wl_rec_src src;
	struct wl_metrics *m;
	struct wl_error err;
	void *state = NULL;
	char metric[128];
	uint64_t c;
	size_t i;

	memset(&src, 0, sizeof(src));
	err.msg[0] = 0;
	if (ops->open(&state, so, &err) < 0) {
		printf("%s: unavailable: %s\n", ops->name, err.msg[0] ? err.msg : "no reason given");
		ops->close(state);
		return 0;
	}
	d = ops->describe(state);
	src.ops = ops;
	src.desc = d;
	if (wl_metrics_open(&m, &src, 1, "", 0, &err) < 0)
		m = NULL;
	printf("%s: %zu channel%s, default interval %llu us\n", ops->name, d->n,
	       d->n == 1 ? "" : "s", (unsigned long long)(ops->default_period_ns / 1000));
	for (i = 0; i < d->n; i++) {
		const struct wl_chan_info *ch = &d->chans[i];

		printf("  %-24s %-8s %-8s %s", ch->name, ch->unit[0] ? ch->unit : "-",
		       kind_name(ch->kind), ch->device[0] ? ch->device : "host");
		if (m)
			printf("  -> %s", wl_metrics_channel_metric(m, i, metric, sizeof(metric)));
		if (verbose) {
			printf("  type=%s scale=%g", type_name(ch->type), ch->scale);
			if (ch->wrap)
				printf(" wrap=%llu", (unsigned long long)ch->wrap);
		}
		printf("\n");
	}
	for (i = 0; i < d->nmeta; i++)
		printf("  meta %s=%s\n", d->meta[i].key, d->meta[i].value);
	if (verbose) {
		c = cost_ns(ops, state, d->n);
		if (c)
			printf("  cost per sample: %llu.%03llu us (median of %d)\n",
			       (unsigned long long)(c / 1000), (unsigned long long)(c % 1000),
			       COST_CALLS);
		else
			printf("  cost per sample: unknown (sample failed)\n");
	}
	wl_metrics_free(m);
	ops->close(state);
	return 1;
}

int wl_rec_list(const struct wl_source_opts *so, int verbose)
{
	const struct wl_source_ops *const *list;
	const char *opened[64], *by;
	size_t n, i, nopen = 0;

	n = wl_sources(&list);
	for (i = 0; i < n; i++) {
		by = wl_source_stands_down(list[i], opened, nopen);
		if (by)
			printf("%s: unavailable: %s records the same counters\n", list[i]->name, by);
		else if (list_one(list[i], so, verbose) && nopen < 64)
			opened[nopen++] = list[i]->name;
	}
	printf("metrics: with --metrics-listen ADDR:PORT, GET /metrics serves (OpenMetrics 1.0.0, or\n"
	       "Prometheus text 0.0.4 when asked) the metric after each channel's '->' and\n%s",
	       wl_metrics_fixed_families);
	if (fflush(stdout) != 0 || ferror(stdout))
		return -1;
	return 0;
}
