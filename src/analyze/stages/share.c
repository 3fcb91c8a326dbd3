/*
 * share.c - the recorded command's share of the machine's energy (the
 * rules are in share.h): per interval of the tree's CPU time (and, per GPU,
 * of NVML's per-process SM utilization), the command's part of the
 * component's energy in that interval, wl_series_energy giving the energy.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/components.h"
#include "wattlog/share.h"

static const char cpu_rule[] =
	"cpu energy x (command tree's CPU time / all busy CPU time) per tree_cpu_time "
	"interval (procfs), at most 1";
static const char gpu_rule[] =
	"gpu energy x (command tree's SM utilization / all processes' SM utilization) "
	"per NVML process-utilization read, at most 1";

static long find(const struct wl_dataset *ds, const char *source, const char *name,
		 const char *device)
{
	for (size_t i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		if (!strcmp(c->source, source) && !strcmp(c->name, name) &&
		    !strcmp(c->device, device) && c->n)
			return (long)i;
	}
	return -1;
}

/* CPUs: the per-CPU cpu_busy channels ("cpu0", "cpu1", ...). */
static int count_cpus(const struct wl_dataset *ds)
{
	int n = 0;

	for (size_t i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		if (!strcmp(c->source, "procfs") && !strcmp(c->name, "cpu_busy") &&
		    !strncmp(c->device, "cpu", 3) && c->device[3] >= '0' && c->device[3] <= '9')
			n++;
	}
	return n;
}

/* Integral over (a, b] of v/100 x k dt, v[j] holding on (t[j-1], t[j]]
 * and v[0] on (t0, t[0]] (t0: the procfs sample before the first busy value,
 * NaN when unknown); NaN unless (a, b] lies inside what the values cover. */
static double step_integral(const struct wl_channel *c, double t0, double k, double a,
			    double b)
{
	double sum = 0;
	size_t j;

	if (!c->n || b > c->t[c->n - 1] || a < (isnan(t0) ? c->t[0] : t0))
		return NAN;
	for (j = 0; j < c->n && (j == 0 || c->t[j - 1] < b); j++) {
		double from = j ? c->t[j - 1] : t0;
		double lo = from > a ? from : a;
		double hi = c->t[j] < b ? c->t[j] : b;

		if (!isnan(from) && hi > lo)
			sum += c->v[j] / 100.0 * k * (hi - lo);
	}
	return sum;
}

/* procfs gives no busy value at its first sample: the first one covers the
 * time since that sample, which read the tree too.  The tree read just
 * before the first busy value, or NaN. */
static double busy_start(const struct wl_channel *busy, const struct wl_channel *tree)
{
	double t0 = NAN;

	for (size_t i = 0; i < tree->n && tree->t[i] < busy->t[0]; i++)
		t0 = tree->t[i];
	return t0;
}

/* A component's power as the energy stage takes it (wl_comp_load: the
 * class of channels that covers the window best), less the channels that
 * give no power at all (not updating). */
struct comp {
	struct wl_series *s;
	size_t n;
};

static void comp_release(struct comp *c)
{
	for (size_t j = 0; j < c->n; j++)
		wl_series_release(&c->s[j]);
	free(c->s);
	memset(c, 0, sizeof(*c));
}

static int comp_load(const struct wl_dataset *ds, const struct wl_comp_plan *p,
		     const struct wl_analysis_opts *o, struct comp *c, struct wl_error *err)
{
	double a = o && !isnan(o->t_from) ? o->t_from : -INFINITY;
	double b = o && !isnan(o->t_to) ? o->t_to : INFINITY;
	struct wl_series *all = calloc(ds->nch ? ds->nch : 1, sizeof(*all));
	struct wl_energy_acc *acc = calloc(ds->nch ? ds->nch : 1, sizeof(*acc));
	double cov[WL_NCLASS];
	int k = WL_NCLASS, rc = -1;

	memset(c, 0, sizeof(*c));
	if (!all || !acc || !(c->s = calloc(ds->nch ? ds->nch : 1, sizeof(*c->s)))) {
		wl_error_set(err, "out of memory");
		goto out;
	}
	if (wl_comp_load(ds, p, o, a, b, NULL, all, acc, cov, &k, err))
		goto out;
	for (int kk = 0; kk < WL_NCLASS; kk++)
		for (size_t j = 0; j < p->nch[kk]; j++) {
			size_t i = p->ch[kk][j];

			if (kk == k && acc[i].nvalid) /* moved, not copied */
				c->s[c->n++] = all[i];
			else
				wl_series_release(&all[i]);
		}
	rc = 0;
out:
	if (rc) {
		free(c->s);
		c->s = NULL;
	}
	free(all);
	free(acc);
	return rc;
}

/* Energy of the component in (a, b]; NaN when it has no power. */
static double comp_energy(const struct comp *c, double a, double b)
{
	double e = 0;

	if (!c->n)
		return NAN;
	for (size_t j = 0; j < c->n; j++)
		e += wl_series_energy(&c->s[j], a, b);
	return e;
}

static const struct wl_comp_plan *plan_of(const struct wl_comp_plan *p, size_t n,
					  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(p[i].name, name))
			return &p[i];
	return NULL;
}

static int in_window(double t, double a, double b)
{
	return (isnan(a) || t >= a) && (isnan(b) || t <= b);
}

/* The CPU part: intervals of tree_cpu_time, shares of busy CPU time. */
static void cpu_part(const struct wl_dataset *ds, const struct comp *cpu, double a,
		     double b, struct wl_share *s)
{
	long it = find(ds, "procfs", "tree_cpu_time", ""), ib = find(ds, "procfs", "cpu_busy", "cpu");
	int ncpu = count_cpus(ds);
	struct wl_share_part *p = &s->p[s->n];
	const struct wl_channel *tree, *busy;
	double start;
	size_t i;

	if (it < 0 || ib < 0 || !ncpu || !cpu->n) {
		snprintf(s->why, sizeof(s->why), "%s",
			 it < 0 ? "no tree_cpu_time channel (record with a command, procfs source)" :
			 ib < 0 || !ncpu ? "no per-CPU busy channels (procfs cpu_busy)" :
					   "no cpu energy component (RAPL)");
		return;
	}
	tree = &ds->ch[it];
	busy = &ds->ch[ib];
	memset(p, 0, sizeof(*p));
	snprintf(p->component, sizeof(p->component), "cpu");
	p->rule = cpu_rule;
	start = busy_start(busy, tree);
	for (i = 1; i < tree->n; i++) {
		double t0 = tree->t[i - 1], t1 = tree->t[i], dt, bs, e, sh;

		if (!(t1 > t0) || !in_window(t0, a, b) || !in_window(t1, a, b))
			continue;
		dt = tree->v[i] - tree->v[i - 1];
		bs = step_integral(busy, start, ncpu, t0, t1);
		e = comp_energy(cpu, t0, t1);
		if (isnan(bs) || isnan(e) || dt < 0)
			continue;
		sh = bs > 0 ? dt / bs : dt > 0 ? 1.0 : 0.0;
		if (sh > 1)
			sh = 1;
		p->machine_j += e;
		p->command_j += sh * e;
		p->covered_s += t1 - t0;
	}
	if (p->covered_s > 0)
		s->n++;
	else
		snprintf(s->why, sizeof(s->why), "no interval of the command's CPU time inside "
			 "the window has busy CPU data and cpu energy");
}

/* The GPU parts: intervals of NVML's per-process SM utilization. */
static int gpu_parts(const struct wl_dataset *ds, const struct wl_comp_plan *plan, size_t np,
		     const struct wl_analysis_opts *o, double a, double b, struct wl_share *s,
		     struct wl_error *err)
{
	for (size_t k = 0; k < ds->nch && s->n < WL_SHARE_MAX; k++) {
		const struct wl_channel *tree = &ds->ch[k], *all;
		const struct wl_comp_plan *pg;
		struct wl_share_part *p = &s->p[s->n];
		struct comp g;
		long ia;

		if (strcmp(tree->source, "nvml") || strcmp(tree->name, "tree_sm_util") ||
		    (ia = find(ds, "nvml", "all_sm_util", tree->device)) < 0 ||
		    !(pg = plan_of(plan, np, tree->device)))
			continue;
		if (comp_load(ds, pg, o, &g, err))
			return -1;
		all = &ds->ch[ia];
		memset(p, 0, sizeof(*p));
		snprintf(p->component, sizeof(p->component), "%s", tree->device);
		p->rule = gpu_rule;
		for (size_t i = 1; i < tree->n && i < all->n; i++) {
			double t0 = tree->t[i - 1], t1 = tree->t[i], e, sh;

			if (!(t1 > t0) || all->t[i] != t1 || !in_window(t0, a, b) ||
			    !in_window(t1, a, b))
				continue;
			e = comp_energy(&g, t0, t1);
			if (isnan(e))
				continue;
			sh = all->v[i] > 0 ? tree->v[i] / all->v[i] : 0;
			if (sh > 1)
				sh = 1;
			p->machine_j += e;
			p->command_j += sh * e;
			p->covered_s += t1 - t0;
		}
		comp_release(&g);
		if (p->covered_s > 0)
			s->n++;
	}
	return 0;
}

int wl_share_compute(const struct wl_dataset *ds, const struct wl_analysis_opts *o,
		     struct wl_share *s, struct wl_error *err)
{
	double a = o ? o->t_from : NAN, b = o ? o->t_to : NAN;
	const struct wl_comp_plan *pc;
	struct wl_comp_plan *plan;
	struct comp cpu = {0};
	size_t np, i;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->command_j = NAN;
	if (wl_comp_plan_build(ds, &plan, &np))
		return wl_error_set(err, "out of memory");
	if ((pc = plan_of(plan, np, "cpu")) && comp_load(ds, pc, o, &cpu, err))
		rc = -1;
	if (!rc) {
		cpu_part(ds, &cpu, a, b, s);
		rc = gpu_parts(ds, plan, np, o, a, b, s, err);
	}
	comp_release(&cpu);
	wl_comp_plan_free(plan, np);
	for (i = 0; i < s->n; i++)
		s->command_j = i ? s->command_j + s->p[i].command_j : s->p[i].command_j;
	if (s->n)
		s->why[0] = 0;
	return rc;
}
