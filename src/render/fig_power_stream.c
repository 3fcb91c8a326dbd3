/*
 * fig_power_stream.c - the power figure of a trace read record by record:
 * draws the envelopes of wl_power_stream_read (power_stream.h), in the
 * legend order of plot_data.c, with the same drawing as the in-memory
 * figure (wl_fig_power_env).  It reads nothing and computes no number.
 */
#include <stdlib.h>

#include "plot_int.h"
#include "wattlog/plot.h"
#include "wattlog/power_stream.h"

struct item {
	const char *name;
	size_t i; /* in the result */
};

static int by_name(const void *a, const void *b)
{
	return wl_plot_name_cmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}

int wl_fig_power_stream(const struct wl_power_stream *ps, const struct wl_plot_opts *o,
			const char *path, struct wl_error *err)
{
	struct wl_envelope env[WL_POWER_STREAM_MAXC];
	const char *names[WL_POWER_STREAM_MAXC];
	struct item it[WL_POWER_STREAM_MAXC];
	size_t i;

	for (i = 0; i < ps->n; i++) {
		it[i].name = ps->name[i];
		it[i].i = i;
	}
	qsort(it, ps->n, sizeof(*it), by_name);
	for (i = 0; i < ps->n; i++) {
		names[i] = it[i].name;
		env[i] = ps->env[it[i].i]; /* a view: the result keeps the columns */
	}
	return wl_fig_power_env(names, env, ps->n, &ps->phases, ps->marks, o, path, err);
}
