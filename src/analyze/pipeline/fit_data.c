/*
 * fit_data.c - the rows a power model is fitted on: power and activity
 * metrics paired on the correlation's common grid (wl_resample: bin means,
 * NaN in an empty bin), a bin being a row only when every metric has a
 * value there (a gap is no row), optionally only the bins inside chosen
 * phases (wl_phases_find: the workload's markers, else segments found from
 * the telemetry).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/fit.h"
#include "fit_int.h"

void wl_fit_data_init(struct wl_fit_data *d, size_t nx)
{
	memset(d, 0, sizeof(*d));
	d->nx = nx;
}

void wl_fit_data_release(struct wl_fit_data *d)
{
	free(d->x);
	free(d->y);
	free(d->t);
	free(d->cont);
	wl_fit_data_init(d, d->nx);
}

static int reserve(struct wl_fit_data *d, size_t more)
{
	size_t cap = d->cap ? d->cap : 256;
	double *x, *y, *t;
	unsigned char *c;

	if (d->n + more <= d->cap)
		return 0;
	while (cap < d->n + more)
		cap *= 2;
	if (!(x = realloc(d->x, cap * (d->nx ? d->nx : 1) * sizeof(*x))))
		return -1;
	d->x = x;
	if (!(y = realloc(d->y, cap * sizeof(*y))))
		return -1;
	d->y = y;
	if (!(t = realloc(d->t, cap * sizeof(*t))))
		return -1;
	d->t = t;
	if (!(c = realloc(d->cont, cap)))
		return -1;
	d->cont = c;
	d->cap = cap;
	return 0;
}

int wl_fit_data_append(struct wl_fit_data *dst, const struct wl_fit_data *src)
{
	if (dst->nx != src->nx || reserve(dst, src->n) < 0)
		return -1;
	memcpy(dst->x + dst->n * dst->nx, src->x, src->n * src->nx * sizeof(*src->x));
	memcpy(dst->y + dst->n, src->y, src->n * sizeof(*src->y));
	memcpy(dst->t + dst->n, src->t, src->n * sizeof(*src->t));
	memcpy(dst->cont + dst->n, src->cont, src->n);
	if (src->n)
		dst->cont[dst->n] = 0; /* another file: not the next bin */
	if (!dst->step_s)
		dst->step_s = src->step_s;
	dst->n += src->n;
	return 0;
}

/* A note added once (the same assumption for every file is said once). */
static int note(struct wl_dataset *notes, const char *line)
{
	size_t i;

	if (!notes)
		return 0;
	for (i = 0; i < notes->nwarn; i++)
		if (!strcmp(notes->warn[i], line))
			return 0;
	return wl_dataset_warn(notes, "%s", line);
}

/* The grid column of a metric the user named: its grid name exactly
 * ("sm_active gpu0"), else the name on device dev ("sm_active" + " gpu0"),
 * else the name alone when a single column has it. */
static long find_col(const struct wl_grid *g, const char *want, const char *dev)
{
	char buf[160];
	size_t i, wl = strlen(want);
	long hit = -1;

	for (i = 0; i < g->ncols; i++)
		if (!strcmp(g->name[i], want))
			return (long)i;
	if (dev && *dev) {
		snprintf(buf, sizeof(buf), "%s %s", want, dev);
		for (i = 0; i < g->ncols; i++)
			if (!strcmp(g->name[i], buf))
				return (long)i;
	}
	for (i = 0; i < g->ncols; i++) {
		if (!strncmp(g->name[i], want, wl) && g->name[i][wl] == ' ' &&
		    !strchr(g->name[i] + wl + 1, ' ')) {
			if (hit >= 0)
				return -2; /* on several devices */
			hit = (long)i;
		}
	}
	return hit;
}

void wl_fit_grid_name(const struct wl_channel *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", c->name, c->kind == WL_DS_COUNTER ? " (power)" : "",
		 *c->device ? " " : "", c->device);
}

/* The GPU's power when --power is not given: the channels of components
 * "gpuN"; one GPU only; its "power.draw" gauge when it has one, else its
 * first power channel. */
static long gpu_power_col(const struct wl_dataset *ds, const struct wl_grid *g,
			  const char **dev, struct wl_error *err)
{
	const struct wl_channel *pick = NULL;
	char buf[160];
	size_t i;

	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		if (!c->component || strncmp(c->component, "gpu", 3) || !wl_channel_is_power(c))
			continue;
		if (pick && strcmp(pick->component, c->component))
			return wl_error_set(err, "'%s' has the power of several GPUs (%s, %s): "
					    "declare --power, e.g. 'power.draw %s'", ds->path,
					    pick->component, c->component, c->device);
		if (!pick || (strcmp(pick->name, "power.draw") && !strcmp(c->name, "power.draw")))
			pick = c;
	}
	if (!pick)
		return wl_error_set(err, "no GPU power in '%s': declare --power METRIC", ds->path);
	*dev = pick->device;
	wl_fit_grid_name(pick, buf, sizeof(buf));
	for (i = 0; i < g->ncols; i++)
		if (!strcmp(g->name[i], buf))
			return (long)i;
	return wl_error_set(err, "GPU power '%s' in '%s' has fewer than two samples", buf,
			    ds->path);
}

/* 1 when the bin centred at t lies in an outermost phase whose label is
 * one of the comma-separated list. */
static int in_phases(const struct wl_phase_list *pl, const char *list, double t)
{
	size_t i, len;
	const char *p;

	for (i = 0; i < pl->n; i++) {
		if (pl->p[i].depth || t < pl->p[i].start_s || t >= pl->p[i].end_s)
			continue;
		len = strlen(pl->p[i].label);
		for (p = list; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
			if (!strncmp(p, pl->p[i].label, len) && (p[len] == ',' || !p[len]))
				return 1;
	}
	return 0;
}

static int check_phases(const struct wl_phase_list *pl, const char *list, const char *path,
			struct wl_error *err)
{
	char found[256] = "";
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (in_phases(pl, list, 0.5 * (pl->p[i].start_s + pl->p[i].end_s)))
			return 0;
	for (i = 0; i < pl->n && strlen(found) < 200; i++)
		if (!pl->p[i].depth && !strstr(found, pl->p[i].label))
			snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s%s",
				 *found ? ", " : "", pl->p[i].label);
	return wl_error_set(err, "no phase '%s' in '%s' (phases by %s: %s)", list, path,
			    pl->method, *found ? found : "none");
}

/* Names, units and scales of the x columns into m (first file), or the
 * check that a later file's units agree. */
static int set_metrics(const struct wl_grid *g, const long *xc, const struct wl_fit_spec *spec,
		       struct wl_fit_model *m, struct wl_dataset *notes, const char *path,
		       struct wl_error *err)
{
	char line[256];
	size_t i;

	for (i = 0; i < spec->nx; i++) {
		const char *unit = g->unit[xc[i]];

		if (m->nx == spec->nx) {
			if (strcmp(m->x_unit[i], unit))
				return wl_error_set(err, "metric '%s' is in '%s' in '%s' but in '%s' "
						    "in the model", spec->x[i], unit, path,
						    m->x_unit[i]);
			continue;
		}
		snprintf(m->x[i], sizeof(m->x[i]), "%s", g->name[xc[i]]);
		snprintf(m->x_unit[i], sizeof(m->x_unit[i]), "%s", unit);
		m->x_scale[i] = 1;
		if (spec->kind == WL_FIT_POWER_LAW && !strcmp(unit, "%")) {
			m->x_scale[i] = 0.01;
			snprintf(line, sizeof(line), "'%s' is in %%: the power law takes it as a "
				 "ratio (x / 100) against x_sat %g", g->name[xc[i]], m->x_sat);
			if (note(notes, line) < 0)
				return wl_error_set(err, "out of memory");
		}
	}
	m->nx = spec->nx;
	return 0;
}

int wl_fit_data_from(const struct wl_dataset *ds, const struct wl_fit_spec *spec,
		     struct wl_fit_model *m, struct wl_dataset *notes, struct wl_fit_data *d,
		     struct wl_error *err)
{
	struct wl_analysis_opts o;
	struct wl_phase_list pl;
	struct wl_phase_opts po;
	struct wl_grid g;
	const char *dev = NULL, *path = ds->path ? ds->path : "";
	long pc, xc[WL_FIT_MAX_X];
	size_t i, k, last = (size_t)-1, before = d->n;
	char line[256];
	int rc = -1;

	wl_analysis_opts_init(&o);
	o.grid_s = spec->grid_s;
	wl_phase_list_init(&pl);
	if (spec->nx == 0 || spec->nx > WL_FIT_MAX_X)
		return wl_error_set(err, "a model takes 1 to %d metrics", WL_FIT_MAX_X);
	if (wl_resample(ds, &o, &g, err) < 0)
		return -1;
	if (spec->power) {
		if ((pc = find_col(&g, spec->power, NULL)) < 0) {
			wl_error_set(err, "no power metric '%s' in '%s'%s", spec->power, path,
				     pc == -2 ? " (on several devices: add the device)" : "");
			goto out;
		}
	} else {
		if ((pc = gpu_power_col(ds, &g, &dev, err)) < 0)
			goto out;
		snprintf(line, sizeof(line), "power: '%s', the GPU's power (--power chooses "
			 "another)", g.name[pc]);
		if (note(notes, line) < 0)
			goto oom;
	}
	if (!dev) { /* the device of --power: what follows its last space */
		const char *sp = strrchr(g.name[pc], ' ');
		dev = sp ? sp + 1 : "";
	}
	for (i = 0; i < spec->nx; i++) {
		xc[i] = find_col(&g, spec->x[i], dev);
		if (xc[i] < 0) {
			wl_error_set(err, "no metric '%s' in '%s'%s", spec->x[i], path,
				     xc[i] == -2 ? " (on several devices: add the device, "
				     "e.g. 'sm_active gpu0')" : "");
			goto out;
		}
	}
	if (!*m->power)
		snprintf(m->power, sizeof(m->power), "%s", g.name[pc]);
	if (!*m->gpu && !strncmp(dev, "gpu", 3)) {
		snprintf(line, sizeof(line), "%s.name", dev);
		if (wl_dataset_meta_get(ds, line))
			snprintf(m->gpu, sizeof(m->gpu), "%s", wl_dataset_meta_get(ds, line));
	}
	if (!m->grid_s)
		m->grid_s = g.step_s;
	if (set_metrics(&g, xc, spec, m, notes, path, err) < 0)
		goto out;
	if (spec->phases) {
		wl_phase_opts_init(&po);
		if (wl_phases_find(ds, &po, &pl, err) < 0 ||
		    check_phases(&pl, spec->phases, path, err) < 0)
			goto out;
	}
	d->step_s = d->step_s ? d->step_s : g.step_s;
	for (k = 0; k < g.nbins; k++) {
		double t = g.t0 + ((double)k + 0.5) * g.step_s, y = g.v[pc * g.nbins + k];

		if (isnan(y) || (spec->phases && !in_phases(&pl, spec->phases, t)))
			continue;
		for (i = 0; i < spec->nx && !isnan(g.v[xc[i] * g.nbins + k]); i++)
			;
		if (i < spec->nx)
			continue;
		if (reserve(d, 1) < 0)
			goto oom;
		for (i = 0; i < spec->nx; i++)
			d->x[d->n * d->nx + i] = g.v[xc[i] * g.nbins + k] * m->x_scale[i];
		d->y[d->n] = y;
		d->t[d->n] = t;
		d->cont[d->n] = d->n > before && k == last + 1;
		d->n++;
		last = k;
	}
	if (d->n == before) {
		wl_error_set(err, "no bin of '%s' has '%s' and every metric at once%s", path,
			     g.name[pc], spec->phases ? " in the phases chosen" : "");
		goto out;
	}
	rc = 0;
	goto out;
oom:
	wl_error_set(err, "out of memory pairing samples of '%s'", path);
out:
	wl_phase_list_release(&pl);
	wl_grid_release(&g);
	return rc;
}
