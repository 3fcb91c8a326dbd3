/*
 * figures.c - the standard set of figures for `report --plots DIR`: power,
 * panels, heatmap and energy, each in PNG (screen) and PDF (paper, single
 * column).  A figure the data cannot make is skipped with a note on
 * stderr, not an error; a file that cannot be written is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "plot_int.h"

static const struct {
	const char *name;
	wl_fig_fn fn;
} standard[] = {
	{ "power", wl_fig_power },
	{ "panels", wl_fig_panels },
	{ "heatmap", wl_fig_heatmap },
	{ "energy", wl_fig_energy },
};

/* 1 when err names a write failure (the disk, the directory), which must
 * not be skipped quietly. */
static int is_io(const struct wl_error *err)
{
	return !strncmp(err->msg, "cannot write", 12) || !strncmp(err->msg, "cannot create", 13);
}

int wl_fig_of_run(wl_fig_fn fn, const struct wl_dataset *ds, const struct wl_phase_list *ph,
		  const struct wl_report *r, const struct wl_plot_opts *o, const char *path,
		  struct wl_error *err)
{
	if (r && fn == wl_fig_energy)
		return wl_fig_energy_of(&r->energy, ph, o, path, err);
	if (r && fn == wl_fig_heatmap && r->have_grid)
		return wl_fig_heatmap_corr(&r->corr, o, path, err);
	return fn(ds, ph, o, path, err);
}

int wl_plots_standard(const struct wl_dataset *ds, const struct wl_phase_list *phases,
		      const struct wl_report *r, const struct wl_fig_look *look,
		      const char *dir, struct wl_error *err)
{
	struct wl_plot_opts o;
	struct wl_error e;
	char path[4096];
	size_t i, f;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return wl_error_errno(err, errno, "cannot create directory '%s'", dir);
	for (i = 0; i < sizeof(standard) / sizeof(standard[0]); i++)
		for (f = 0; f < 2; f++) {
			wl_plot_opts_init(&o);
			o.format = f ? WL_PLOT_PDF : WL_PLOT_PNG;
			wl_fig_look_apply(look, f, &o);
			snprintf(path, sizeof(path), "%s/%s.%s", dir, standard[i].name,
				 wl_plot_format_ext(o.format));
			e.msg[0] = 0;
			if (wl_fig_of_run(standard[i].fn, ds, phases, r, &o, path, &e) == 0)
				continue;
			if (is_io(&e))
				return wl_error_set(err, "%s", e.msg);
			fprintf(stderr, "wattlog: figure %s skipped: %s\n", standard[i].name, e.msg);
			break;
		}
	return 0;
}

int wl_plots_requests(const struct wl_phase_list *win, const struct wl_request_list *rl,
		      const struct wl_fig_look *look, const char *dir, struct wl_error *err)
{
	static const char *const name[2] = { "requests", "jpt" };
	struct wl_plot_opts o;
	struct wl_error e;
	char path[4096];
	size_t i, f;
	int rc;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return wl_error_errno(err, errno, "cannot create directory '%s'", dir);
	for (i = 0; i < 2; i++)
		for (f = 0; f < 2; f++) {
			wl_plot_opts_init(&o);
			o.format = f ? WL_PLOT_PDF : WL_PLOT_PNG;
			wl_fig_look_apply(look, f, &o);
			snprintf(path, sizeof(path), "%s/%s.%s", dir, name[i],
				 wl_plot_format_ext(o.format));
			e.msg[0] = 0;
			rc = i ? wl_fig_jpt_hist(rl, &o, path, &e) : wl_fig_requests(win, rl, &o, path, &e);
			if (rc == 0)
				continue;
			if (is_io(&e))
				return wl_error_set(err, "%s", e.msg);
			fprintf(stderr, "wattlog: figure %s skipped: %s\n", name[i], e.msg);
			break;
		}
	return 0;
}
