/* metrics.c - the recorder's live metrics: channels, roles, energy (metrics.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_int.h"

static double secs(const struct wl_metrics *m, uint64_t t_ns)
{
	return (double)(int64_t)(t_ns - m->origin_ns) / 1e9;
}

static size_t family_of(struct wl_metrics *m, const char *name, const char *unit, int counter)
{
	size_t i;

	for (i = 0; i < m->nfam; i++)
		if (!strcmp(m->fam[i].name, name))
			return m->fam[i].counter == counter ? i : (size_t)-1;
	snprintf(m->fam[i].name, sizeof(m->fam[i].name), "%s", name);
	m->fam[i].unit = unit;
	m->fam[i].counter = counter;
	m->nfam++;
	return i;
}

/* Roles: per component, the channels of the lowest class are its energy. */
static void assign_roles(struct wl_metrics *m)
{
	int best[64];
	char names[64][32];
	size_t nc = 0, i, j;
	struct wl_total_scope scope;

	for (i = 0; i < m->nch; i++) {
		struct mchan *c = &m->ch[i];
		struct wl_chan_info ci;
		double f;

		if (!c->ci)
			continue;
		ci = *c->ci;
		wl_chan_meaning(&ci); /* as the trace states it */
		c->is_counter = c->ci->kind == WL_KIND_COUNTER;
		c->instant = ci.instant;
		c->is_energy = !wl_unit_to_j(c->ci->unit, &f);
		snprintf(c->component, sizeof(c->component), "%s", ci.component);
		c->role = c->is_counter ? WL_METRIC_COUNTER : WL_METRIC_GAUGE;
		if (!c->component[0] || (c->is_counter ? !c->is_energy : wl_unit_to_w(c->ci->unit, &f)))
			c->component[0] = 0; /* not a power channel: no component */
		if (!c->component[0])
			continue;
		for (j = 0; j < nc && strcmp(names[j], c->component); j++)
			;
		if (j == nc) {
			if (nc == sizeof(best) / sizeof(best[0]))
				continue;
			snprintf(names[nc], sizeof(names[nc]), "%s", c->component);
			best[nc++] = WL_NCLASS;
		}
		if (wl_energy_class(c->is_counter, c->instant) < best[j])
			best[j] = wl_energy_class(c->is_counter, c->instant);
	}
	wl_total_scope_init(&scope);
	for (j = 0; j < nc; j++)
		wl_total_scope_add(&scope, names[j], ""); /* one machine: no node */
	for (i = 0; i < m->nch; i++) {
		struct mchan *c = &m->ch[i];

		if (!c->component[0])
			continue;
		for (j = 0; j < nc && strcmp(names[j], c->component); j++)
			;
		if (j < nc && wl_energy_class(c->is_counter, c->instant) == best[j]) {
			c->role = WL_METRIC_ENERGY;
			c->in_total = wl_component_name_in_total(c->component, "", &scope);
		}
	}
}

int wl_metrics_open(struct wl_metrics **out, const struct wl_rec_src *src, size_t nsrc,
		    const char *host, uint64_t origin_ns, struct wl_error *err)
{
	struct wl_metrics *m = calloc(1, sizeof(*m));
	size_t si, i, k = 0, n = 0;

	*out = NULL;
	if (!m)
		return wl_error_set(err, "out of memory for the metrics");
	for (si = 0; si < nsrc; si++)
		n += src[si].desc->n;
	m->src = src;
	m->nsrc = nsrc;
	m->origin_ns = origin_ns;
	snprintf(m->host, sizeof(m->host), "%s", host);
	m->ch = calloc(n ? n : 1, sizeof(*m->ch));
	m->fam = calloc(n ? n : 1, sizeof(*m->fam));
	m->first = calloc(nsrc ? nsrc : 1, sizeof(*m->first));
	if (!m->ch || !m->fam || !m->first) {
		wl_metrics_free(m);
		return wl_error_set(err, "out of memory for the metrics");
	}
	for (si = 0; si < nsrc; si++) {
		m->first[si] = k;
		for (i = 0; i < src[si].desc->n; i++)
			m->ch[k++].ci = &src[si].desc->chans[i];
	}
	m->nch = k; /* = n */
	assign_roles(m);
	for (i = 0; i < n; i++) {
		struct mchan *c = &m->ch[i];
		char name[FAMILY_MAX];
		const char *unit;
		double f;

		wl_metric_family(c->ci, c->role, name, sizeof(name), &c->factor, &unit);
		if ((c->is_counter && c->is_energy) || c->role == WL_METRIC_ENERGY)
			c->have_acc = wl_live_energy_init(&c->acc, c->ci) == 0;
		if (c->role == WL_METRIC_ENERGY)
			continue;
		/* a gauge in J would read as an energy counter: leave it unconverted */
		if (!c->is_counter && c->is_energy && !wl_unit_to_j(c->ci->unit, &f))
			c->factor = f;
		c->fam = family_of(m, name, unit, c->is_counter);
	}
	/* per channel: up to 3 lines of about 300 bytes; per family: 3 heads */
	m->max_bytes = 4096 + n * 3 * (2 * FAMILY_MAX + 512) + m->nfam * 3 * (FAMILY_MAX + 64) +
		       (WL_METRICS_NBOUNDS + 4) * 128 + nsrc * 2 * 160;
	*out = m;
	return 0;
}

void wl_metrics_free(struct wl_metrics *m)
{
	if (!m)
		return;
	free(m->ch);
	free(m->fam);
	free(m->first);
	free(m);
}

size_t wl_metrics_max_bytes(const struct wl_metrics *m)
{
	return m->max_bytes;
}

/* Energy dE (J) of the total arrived: split among the open requests. */
void wl_metrics_attribute(struct wl_metrics *m, double de)
{
	if (m->nopen)
		m->g += de / (double)m->nopen;
	else
		m->unattributed_j += de;
}

void wl_metrics_sample(struct wl_metrics *m, size_t si, uint64_t t_ns, const union wl_value *vals,
		       const unsigned char *present)
{
	const struct wl_rec_src *s = &m->src[si];
	double t = secs(m, t_ns);
	size_t i;

	m->version++;
	for (i = 0; i < s->desc->n; i++) {
		struct mchan *c = &m->ch[m->first[si] + i];
		double v;

		if (!present[i])
			continue;
		v = wl_value_physical(c->ci, vals[i]);
		if (c->have_acc) {
			double de = wl_live_energy_push(&c->acc, t, v);

			if (c->role == WL_METRIC_ENERGY && c->in_total)
				wl_metrics_attribute(m, de);
		} else if (c->is_counter) {
			double d = v - c->last_raw;

			if (c->have_raw && d < 0 && c->ci->wrap)
				d += (double)c->ci->wrap * c->ci->scale;
			if (c->have_raw && d >= 0)
				c->value += d * c->factor;
			c->last_raw = v;
			c->have_raw = c->have_value = 1;
		} else {
			c->value = v * c->factor;
			c->have_value = 1;
		}
	}
}

uint64_t wl_metrics_version(const struct wl_metrics *m)
{
	return m->version;
}

double wl_metrics_component_j(const struct wl_metrics *m, const char *comp)
{
	double e = NAN;
	size_t i;

	for (i = 0; i < m->nch; i++) {
		const struct mchan *c = &m->ch[i];

		if (c->role != WL_METRIC_ENERGY || strcmp(c->component, comp) ||
		    !wl_live_energy_known(&c->acc))
			continue;
		e = isnan(e) ? c->acc.acc.energy_j : e + c->acc.acc.energy_j;
	}
	return e;
}

size_t wl_metrics_counter_components(const struct wl_metrics *m, const char **comp, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->nch && n < max; i++) {
		const struct mchan *c = &m->ch[i];

		if (c->role != WL_METRIC_ENERGY || !c->is_counter || !c->component[0])
			continue;
		for (j = 0; j < n && strcmp(comp[j], c->component); j++)
			;
		if (j == n)
			comp[n++] = c->component;
	}
	return n;
}

const char *wl_metrics_channel_metric(const struct wl_metrics *m, size_t k, char *buf, size_t sz)
{
	const struct mchan *c = &m->ch[k];

	if (c->role == WL_METRIC_ENERGY)
		snprintf(buf, sz, "wattlog_energy_joules_total, wattlog_power_watts");
	else
		snprintf(buf, sz, "%s%s", m->fam[c->fam].name, m->fam[c->fam].counter ? "_total" : "");
	return buf;
}

const char wl_metrics_fixed_families[] =
	"  wattlog_energy_joules_total{component,source,channel,device,host}  energy so far, J\n"
	"  wattlog_power_watts{component,source,channel,device,host}  last interval's power, W\n"
	"  wattlog_<source>_<channel>_<unit>{source,channel,device,host}  every other channel\n"
	"  wattlog_samples_total{source}, wattlog_sample_overruns_total{source}, wattlog_markers_total\n"
	"  wattlog_requests_total, wattlog_requests_open, wattlog_request_markers_unmatched_total\n"
	"  wattlog_request_energy_joules (histogram), wattlog_unattributed_energy_joules_total\n"
	"  wattlog_request_input_tokens_total, wattlog_request_output_tokens_total\n";
