/* metrics_render.c - the metrics as OpenMetrics 1.0.0 or Prometheus text
 * 0.0.4 (metrics.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "metrics_int.h"

struct out {
	char *buf;
	size_t cap, len;
	int om;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len = n < 0 ? o->len : (o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap);
}

/* A label value, escaped: backslash, double quote, newline. */
static void put_label(struct out *o, const char *key, const char *v, int first)
{
	put(o, "%s%s=\"", first ? "" : ",", key);
	for (; *v && o->len + 2 < o->cap; v++) {
		if (*v == '\\' || *v == '"')
			o->buf[o->len++] = '\\', o->buf[o->len++] = *v;
		else if (*v == '\n')
			o->buf[o->len++] = '\\', o->buf[o->len++] = 'n';
		else
			o->buf[o->len++] = *v;
	}
	put(o, "\"");
}

static void put_value(struct out *o, double v)
{
	if (isnan(v))
		put(o, " NaN\n");
	else if (isinf(v))
		put(o, v > 0 ? " +Inf\n" : " -Inf\n");
	else
		put(o, " %.17g\n", v);
}

/* # TYPE (and # UNIT, # HELP) of a family; counters: OpenMetrics names the
 * family without _total, the text format 0.0.4 with it. */
static void head(struct out *o, const char *name, const char *type, const char *unit,
		 const char *help)
{
	int total = !strcmp(type, "counter") && !o->om;

	put(o, "# HELP %s%s %s\n", name, total ? "_total" : "", help);
	put(o, "# TYPE %s%s %s\n", name, total ? "_total" : "", type);
	if (o->om && unit && *unit)
		put(o, "# UNIT %s %s\n", name, unit);
}

static void chan_labels(struct out *o, const struct wl_metrics *m, const struct mchan *c,
			int component)
{
	put(o, "{");
	if (component)
		put_label(o, "component", c->component, 1);
	put_label(o, "source", c->ci->source, !component);
	put_label(o, "channel", c->ci->name, 0);
	put_label(o, "device", c->ci->device, 0);
	put_label(o, "host", m->host, 0);
	put(o, "}");
}

static void render_energy(struct out *o, const struct wl_metrics *m)
{
	size_t i;

	head(o, "wattlog_energy_joules", "counter", "joules",
	     "Energy per component channel since the recording started (the analyzer's rule)");
	for (i = 0; i < m->nch; i++) {
		const struct mchan *c = &m->ch[i];

		if (c->role != WL_METRIC_ENERGY || !wl_live_energy_known(&c->acc))
			continue;
		put(o, "wattlog_energy_joules_total");
		chan_labels(o, m, c, 1);
		put_value(o, c->acc.acc.energy_j);
	}
	head(o, "wattlog_power_watts", "gauge", "watts",
	     "Power of the last interval per component channel");
	for (i = 0; i < m->nch; i++) {
		const struct mchan *c = &m->ch[i];

		if (c->role != WL_METRIC_ENERGY || !c->acc.have_power)
			continue;
		put(o, "wattlog_power_watts");
		chan_labels(o, m, c, 1);
		put_value(o, c->acc.power_w);
	}
}

static void render_channels(struct out *o, const struct wl_metrics *m)
{
	size_t f, i;
	char help[160];

	for (f = 0; f < m->nfam; f++) {
		const struct family *F = &m->fam[f];
		const struct mchan *c0 = NULL;

		for (i = 0; i < m->nch && !c0; i++)
			if (m->ch[i].role != WL_METRIC_ENERGY && m->ch[i].fam == f)
				c0 = &m->ch[i];
		if (!c0)
			continue;
		snprintf(help, sizeof(help), "Channel %s of source %s (recorded in %s)",
			 c0->ci->name, c0->ci->source, c0->ci->unit[0] ? c0->ci->unit : "no unit");
		head(o, F->name, F->counter ? "counter" : "gauge", F->unit, help);
		for (i = 0; i < m->nch; i++) {
			const struct mchan *c = &m->ch[i];
			int have = c->have_acc ? wl_live_energy_known(&c->acc) : c->have_value;

			if (c->role == WL_METRIC_ENERGY || c->fam != f || !have)
				continue;
			put(o, "%s%s", F->name, F->counter ? "_total" : "");
			chan_labels(o, m, c, 0);
			put_value(o, c->have_acc ? c->acc.acc.energy_j : c->value);
		}
	}
}

static void render_recorder(struct out *o, const struct wl_metrics *m)
{
	size_t i;

	head(o, "wattlog_samples", "counter", NULL, "Samples recorded per source");
	for (i = 0; i < m->nsrc; i++) {
		put(o, "wattlog_samples_total{");
		put_label(o, "source", m->src[i].ops->name, 1);
		put(o, "} %llu\n", (unsigned long long)m->src[i].samples);
	}
	head(o, "wattlog_sample_overruns", "counter", NULL,
	     "Sampling deadlines missed (the sample came late and the missed ones were skipped)");
	for (i = 0; i < m->nsrc; i++) {
		put(o, "wattlog_sample_overruns_total{");
		put_label(o, "source", m->src[i].ops->name, 1);
		put(o, "} %llu\n", (unsigned long long)m->src[i].overruns);
	}
	head(o, "wattlog_markers", "counter", NULL, "Markers recorded");
	put(o, "wattlog_markers_total %llu\n", (unsigned long long)m->markers);
}

static void render_requests(struct out *o, const struct wl_metrics *m)
{
	char le[32];
	size_t b;

	head(o, "wattlog_requests", "counter", NULL,
	     "Requests completed (a begin request ID marker, then end request ID)");
	put(o, "wattlog_requests_total %llu\n", (unsigned long long)m->completed);
	head(o, "wattlog_requests_open", "gauge", NULL, "Requests begun and not yet ended");
	put(o, "wattlog_requests_open %zu\n", m->nopen);
	head(o, "wattlog_request_markers_unmatched", "counter", NULL,
	     "End without begin, or begin of a request already open");
	put(o, "wattlog_request_markers_unmatched_total %llu\n",
	    (unsigned long long)(m->unmatched + m->dropped));
	head(o, "wattlog_request_input_tokens", "counter", NULL,
	     "tokens_in of completed requests");
	put(o, "wattlog_request_input_tokens_total");
	put_value(o, m->tokens_in);
	head(o, "wattlog_request_output_tokens", "counter", NULL,
	     "tokens_out of completed requests");
	put(o, "wattlog_request_output_tokens_total");
	put_value(o, m->tokens_out);
	head(o, "wattlog_unattributed_energy_joules", "counter", "joules",
	     "Energy of the total while no request was open");
	put(o, "wattlog_unattributed_energy_joules_total");
	put_value(o, m->unattributed_j);
	head(o, "wattlog_request_energy_joules", "histogram", "joules",
	     "Energy of completed requests: each interval's total split equally among the open requests");
	for (b = 0; b < WL_METRICS_NBOUNDS; b++) {
		/* canonical: 1.0, 0.5, 100000.0 */
		snprintf(le, sizeof(le), wl_metrics_bounds[b] == (double)(long)wl_metrics_bounds[b] ? "%.1f" : "%g",
			 wl_metrics_bounds[b]);
		put(o, "wattlog_request_energy_joules_bucket{le=\"%s\"} %llu\n", le,
		    (unsigned long long)m->req_bucket[b]);
	}
	put(o, "wattlog_request_energy_joules_bucket{le=\"+Inf\"} %llu\n",
	    (unsigned long long)m->completed);
	put(o, "wattlog_request_energy_joules_sum");
	put_value(o, m->req_sum_j);
	put(o, "wattlog_request_energy_joules_count %llu\n", (unsigned long long)m->completed);
}

size_t wl_metrics_render(const struct wl_metrics *m, int openmetrics, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, openmetrics };

	render_energy(&o, m);
	render_channels(&o, m);
	render_recorder(&o, m);
	render_requests(&o, m);
	if (openmetrics)
		put(&o, "# EOF\n");
	return o.len;
}
