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

static const struct wl_power_stream *sorting;

static int by_name(const void *a, const void *b)
{
	return wl_plot_name_cmp(sorting->name[*(const size_t *)a], sorting->name[*(const size_t *)b]);
}

int wl_fig_power_stream(const struct wl_power_stream *ps, const struct wl_plot_opts *o,
			const char *path, struct wl_error *err)
{
	struct wl_envelope env[WL_POWER_STREAM_MAXC];
	const char *names[WL_POWER_STREAM_MAXC];
	size_t order[WL_POWER_STREAM_MAXC], i;

	for (i = 0; i < ps->n; i++)
		order[i] = i;
	sorting = ps;
	qsort(order, ps->n, sizeof(*order), by_name);
	for (i = 0; i < ps->n; i++) {
		names[i] = ps->name[order[i]];
		env[i] = ps->env[order[i]]; /* a view: the result keeps the columns */
	}
	return wl_fig_power_env(names, env, ps->n, &ps->phases, ps->marks, o, path, err);
}
