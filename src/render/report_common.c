/* report_common.c - the report struct's lifecycle and what every renderer
 * shares: metric groups, GPU devices, number formatting. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fmt.h"
#include "wattlog/requests.h"

void wl_report_init(struct wl_report *r)
{
	memset(r, 0, sizeof(*r));
	r->t_from = r->t_to = r->duration_s = NAN;
	r->carbon_g = r->intensity_g_per_kwh = r->pue = r->embodied_g = r->carbon_kwh = NAN;
	r->energy.total_j = NAN;
	r->share.command_j = NAN;
	wl_workload_init(&r->work);
	wl_efficiency_compute(&r->work, NAN, NAN, NAN, &r->eff);
}

void wl_report_release(struct wl_report *r)
{
	wl_energy_release(&r->energy);
	free(r->metrics);
	if (r->have_grid) {
		wl_grid_release(&r->grid);
		wl_correlation_release(&r->corr);
	}
	wl_report_init(r);
}

const char *wl_report_group(const char *m)
{
	static const char *const comm[] = { "pcie", "nvlink", NULL };
	static const char *const mem[] = { "memory", "mem", "dram", "fb", NULL };
	static const char *const comp[] = { "utilization.gpu", "sm", "tensor", "fp64", "fp32",
					    "fp16", "graphics", "gr3d", "util", NULL };
	static const char *const energy[] = { "power", "energy", "temperature", "temp", NULL };
	static const struct { const char *name; const char *const *keys; } g[] = {
		{ "Energy", energy }, { "Communication", comm }, { "Memory", mem },
		{ "Compute", comp },
	};
	size_t i, k;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		for (k = 0; g[i].keys[k]; k++)
			if (strstr(m, g[i].keys[k]))
				return g[i].name;
	return "Other";
}

const char *wl_fmt_num(char *buf, size_t n, double v)
{
	double a = fabs(v);

	if (isnan(v))
		snprintf(buf, n, "-");
	else if (isinf(v))
		snprintf(buf, n, v > 0 ? "inf" : "-inf");
	else if (a == 0)
		snprintf(buf, n, "0");
	else if (a >= 1e6 || a < 1e-3)
		snprintf(buf, n, "%.1e", v);
	else if (a >= 1e4)
		snprintf(buf, n, "%.0f", v);
	else if (a >= 1e3)
		snprintf(buf, n, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, n, "%.2f", v);
	else
		snprintf(buf, n, "%.3f", v);
	return buf;
}

const char *wl_fmt_energy(char *buf, size_t n, double j)
{
	static const char *const prefix[] = { "J", "kJ", "MJ", "GJ", "TJ" };
	double a = fabs(j);
	size_t k = 0;

	if (!isfinite(j)) {
		snprintf(buf, n, "%s", isnan(j) ? "-" : j > 0 ? "inf J" : "-inf J");
		return buf;
	}
	while (a >= 999.95 && k + 1 < sizeof(prefix) / sizeof(prefix[0])) {
		a /= 1000;
		j /= 1000;
		k++;
	}
	snprintf(buf, n, "%#.4g %s", j, prefix[k]);
	return buf;
}

const char *wl_fmt_wh(char *buf, size_t n, double j)
{
	if (!isfinite(j))
		snprintf(buf, n, "-");
	else if (fabs(j) < 3.6e6)
		snprintf(buf, n, "%#.4g Wh", j / 3600.0);
	else
		snprintf(buf, n, "%#.4g kWh", j / 3.6e6);
	return buf;
}

void wl_report_scaled(const struct wl_metric_stats *m, struct wl_metric_stats *o)
{
	static const char *const pre[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	const size_t np = sizeof(pre) / sizeof(pre[0]);
	double f = 1, top, *v[] = { &o->avg, &o->min, &o->max, &o->mode, &o->resolution,
				    &o->std, &o->p50, &o->p95, &o->p99, &o->twa };
	size_t k, from = np, len;
	const char *rate;

	*o = *m;
	for (k = 0; k < np && from == np; k++) {
		len = strlen(pre[k]);
		if (!strncmp(m->unit, pre[k], len) && (!m->unit[len] || !strcmp(m->unit + len, "/s")))
			from = k;
	}
	if (from == np)
		return;
	rate = m->unit + strlen(pre[from]);
	top = fmax(fabs(m->min), fabs(m->max)) * ldexp(1, 10 * (int)from);
	for (k = 0; k + 1 < np && top >= 1024; k++)
		top /= 1024;
	f = ldexp(1, 10 * ((int)k - (int)from)); /* new unit / old unit */
	if (!isfinite(top) || f == 1)
		return;
	for (len = 0; len < sizeof(v) / sizeof(v[0]); len++)
		*v[len] /= f;
	snprintf(o->unit, sizeof(o->unit), "%s%s", pre[k], rate);
}

int wl_report_is_gpu(const struct wl_metric_stats *m)
{
	const char *d = m->device;

	if (!strncmp(d, "gpu", 3))
		d += 3;
	if (!*d)
		return 0;
	for (; *d; d++)
		if (!isdigit((unsigned char)*d))
			return 0;
	return 1;
}

size_t wl_report_gpus(const struct wl_report *r, const char **dev, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nmetrics; i++) {
		if (!wl_report_is_gpu(&r->metrics[i]))
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(dev[j], r->metrics[i].device))
				break;
		if (j == n && n < max)
			dev[n++] = r->metrics[i].device;
	}
	return n;
}

void wl_report_request_dists(const struct wl_request_list *rl, const struct wl_request_dist *d[3],
			     const char *name[3])
{
	d[0] = &rl->energy;
	d[1] = &rl->j_per_token;
	d[2] = &rl->latency;
	name[0] = "energy [J]";
	name[1] = "J/token";
	name[2] = "latency [s]";
}
