/*
 * report_json.c - the report as JSON (json-c; the only writer using it).
 * Absent values are null (or the key left out), never 0.  Layout: see the
 * README section "report --format json".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "report_fmt.h"
#include "wattlog/jsonout.h"
#include "wattlog/requests.h"

static struct json_object *num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL; /* NULL = json null */
}

static void put(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

/* [lo, hi] of a bridged energy */
static struct json_object *bounds(double lo, double hi)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, num(lo));
	json_object_array_add(a, num(hi));
	return a;
}

static struct json_object *energy(const struct wl_report *r)
{
	struct json_object *e = json_object_new_object(), *comp = json_object_new_object();
	struct json_object *detail = json_object_new_object(), *chans = json_object_new_array();
	size_t i;

	put(e, "total", num(r->energy.total_j));
	put(e, "total_includes", json_object_new_string(r->energy.total_note));
	put(e, "total_partial", json_object_new_boolean(r->energy.partial));
	put(e, "total_covered_s", num(r->energy.duration_s));
	put(e, "total_avg_power_w", num(r->energy.total_j / r->energy.duration_s));
	put(e, "total_gap_bridged_j", num(r->energy.gap_j));
	put(e, "total_gap_bounds_j", bounds(r->energy.gap_lo_j, r->energy.gap_hi_j));
	for (i = 0; i < r->energy.n; i++) {
		const struct wl_component_energy *c = &r->energy.c[i];
		struct json_object *d = json_object_new_object();
		put(comp, c->name, num(c->energy_j));
		put(d, "energy_j", num(c->energy_j));
		put(d, "method", json_object_new_string(c->method));
		put(d, "counter_j", num(c->counter_j));
		put(d, "gauge_j", num(c->gauge_j));
		put(d, "diff_pct", num(c->diff_pct));
		put(d, "duration_s", num(c->duration_s));
		put(d, "avg_power_w", num(c->avg_power_w));
		put(d, "peak_power_w", num(c->peak_power_w));
		put(d, "gaps", json_object_new_int64((int64_t)c->ngaps));
		put(d, "gap_s", num(c->gap_s));
		put(d, "gap_bridged_j", num(c->gap_j));
		put(d, "gap_bounds_j", bounds(c->gap_lo_j, c->gap_hi_j));
		put(d, "excluded_intervals", json_object_new_int64((int64_t)c->nexcluded));
		put(d, "partial", json_object_new_boolean(c->partial));
		put(d, "in_total", json_object_new_boolean(c->in_total));
		put(detail, c->name, d);
	}
	for (i = 0; i < r->energy.nch; i++) {
		const struct wl_channel_energy *c = &r->energy.ch[i];
		struct json_object *d = json_object_new_object();
		put(d, "channel", json_object_new_string(c->name));
		put(d, "component", json_object_new_string(c->component));
		put(d, "method", json_object_new_string(c->from_counter ? "counter" : "trapezoid"));
		put(d, "energy_j", num(c->energy_j));
		json_object_array_add(chans, d);
	}
	put(e, "components", comp);
	put(e, "component_detail", detail);
	put(e, "channels", chans);
	return e;
}

static struct json_object *metrics(const struct wl_report *r)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < r->nmetrics; i++) {
		const struct wl_metric_stats *m = &r->metrics[i];
		struct json_object *o = json_object_new_object();
		put(o, "name", json_object_new_string(m->name));
		put(o, "unit", json_object_new_string(m->unit));
		put(o, "device", json_object_new_string(m->device));
		put(o, "source", json_object_new_string(m->source));
		put(o, "group", json_object_new_string(wl_report_group(m->name)));
		put(o, "n", json_object_new_int64((int64_t)m->n));
		put(o, "avg", num(m->avg));
		put(o, "twa", num(m->twa));
		put(o, "min", num(m->min));
		put(o, "max", num(m->max));
		put(o, "mode", num(m->mode));
		put(o, "resolution", num(m->resolution));
		put(o, "std", num(m->std));
		put(o, "p50", num(m->p50));
		put(o, "p95", num(m->p95));
		put(o, "p99", num(m->p99));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *pairs(const struct wl_correlation *c, const struct wl_pair *p,
				 size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		put(o, "a", json_object_new_string(c->metrics[p[i].a]));
		put(o, "b", json_object_new_string(c->metrics[p[i].b]));
		put(o, "r", num(p[i].r));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *correlation(const struct wl_report *r)
{
	const struct wl_correlation *c = &r->corr;
	struct json_object *o, *names, *mat, *ex;
	size_t i, j;

	if (!r->have_grid)
		return NULL;
	o = json_object_new_object();
	names = json_object_new_array();
	mat = json_object_new_array();
	ex = json_object_new_array();
	for (i = 0; i < c->n; i++) {
		struct json_object *row = json_object_new_array();
		json_object_array_add(names, json_object_new_string(c->metrics[i]));
		for (j = 0; j < c->n; j++)
			json_object_array_add(row, num(c->r[i * c->n + j]));
		json_object_array_add(mat, row);
	}
	for (i = 0; i < c->nexcluded; i++)
		json_object_array_add(ex, json_object_new_string(c->excluded[i]));
	put(o, "over", json_object_new_string(isnan(c->step_s) ? "rows" : "bins"));
	put(o, "grid_s", num(c->step_s));
	put(o, "bins", json_object_new_int64((int64_t)c->nbins));
	put(o, "metrics", names);
	put(o, "matrix", mat);
	put(o, "top_positive", pairs(c, c->top_pos, c->ntop_pos));
	put(o, "top_negative", pairs(c, c->top_neg, c->ntop_neg));
	put(o, "excluded", ex);
	return o;
}

static struct json_object *carbon(const struct wl_report *r)
{
	struct json_object *o = json_object_new_object();

	put(o, "g", num(r->carbon_g));
	put(o, "intensity_g_per_kwh", num(r->intensity_g_per_kwh));
	put(o, "pue", num(r->pue));
	put(o, "embodied_g", num(r->embodied_g));
	put(o, "energy_kwh", num(r->carbon_kwh));
	put(o, "source", r->carbon_source[0] ? json_object_new_string(r->carbon_source) : NULL);
	return o;
}

static struct json_object *efficiency(const struct wl_report *r)
{
	const struct wl_efficiency *e = &r->eff;
	struct json_object *o = json_object_new_object();

	put(o, "tokens", num(e->tokens));
	put(o, "input_tokens", num(r->work.input_tokens));
	put(o, "output_tokens", num(r->work.output_tokens));
	put(o, "requests", num(r->work.requests));
	put(o, "tokens_per_j", num(e->tokens_per_j));
	put(o, "j_per_token", num(e->j_per_token));
	put(o, "g_per_token", num(e->g_per_token));
	put(o, "tokens_per_s", num(e->tokens_per_s));
	put(o, "tokens_per_s_per_w", num(e->tokens_per_s_per_w));
	put(o, "j_per_request", num(e->j_per_request));
	put(o, "mfu", num(e->mfu));
	put(o, "source", r->work_source[0] ? json_object_new_string(r->work_source) : NULL);
	return o;
}

static struct json_object *phases(const struct wl_report *r)
{
	struct json_object *a;
	size_t i;

	if (!r->phases)
		return NULL;
	a = json_object_new_array();
	for (i = 0; i < r->phases->n; i++) {
		const struct wl_phase *p = &r->phases->p[i];
		struct json_object *o = json_object_new_object();
		put(o, "label", json_object_new_string(p->label));
		put(o, "start_s", num(p->start_s));
		put(o, "end_s", num(p->end_s));
		put(o, "energy_j", num(p->energy_j));
		put(o, "avg_power_w", num(p->avg_power_w));
		put(o, "peak_power_w", num(p->peak_power_w));
		put(o, "confidence", num(p->confidence));
		put(o, "source", json_object_new_string(p->source == WL_PHASE_MARKERS ? "markers" :
							p->source == WL_PHASE_TRUTH ? "truth" : "auto"));
		put(o, "duration_s", num(p->end_s - p->start_s));
		{
			struct json_object *c = json_object_new_object();
			size_t k;

			for (k = 0; k < r->phases->ncomp; k++)
				put(c, r->phases->comp[k], num(p->comp_energy_j[k]));
			put(o, "energy_by_component_j", c);
		}
		put(o, "depth", json_object_new_int(p->depth));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *dist(const struct wl_request_dist *d)
{
	struct json_object *o = json_object_new_object();

	put(o, "n", json_object_new_int64((int64_t)d->n));
	put(o, "mean", num(d->mean));
	put(o, "p50", num(d->p50));
	put(o, "p95", num(d->p95));
	put(o, "p99", num(d->p99));
	return o;
}

/* The requests section: as `wattlog requests --format json` (README,
 * Requests), the rows without their attributes. */
static struct json_object *requests(const struct wl_request_list *rl)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *t, *s;
	size_t i, j;

	put(o, "rule", json_object_new_string(wl_requests_rule()));
	put(o, "count", json_object_new_int64((int64_t)rl->n));
	s = json_object_new_object();
	put(s, "energy_j", dist(&rl->energy));
	put(s, "j_per_token", dist(&rl->j_per_token));
	put(s, "latency_s", dist(&rl->latency));
	put(o, "summary", s);
	t = json_object_new_object();
	for (j = 0; j < rl->nlabels; j++)
		put(t, rl->label[j], num(rl->label_total_j[j]));
	put(o, "label_totals_j", t);
	put(o, "unphased_energy_j", num(rl->unphased_total_j));
	put(o, "requests_energy_j", num(rl->requests_energy_j));
	put(o, "unattributed_energy_j", num(rl->unattributed_energy_j));
	put(o, "total_energy_j", num(rl->total_energy_j));
	for (i = 0; i < rl->n; i++) {
		const struct wl_request *q = &rl->r[i];
		struct json_object *e = json_object_new_object(), *ph = json_object_new_object();

		put(e, "id", json_object_new_string(q->id));
		put(e, "start_s", num(q->start_s));
		put(e, "end_s", num(q->end_s));
		put(e, "energy_j", num(q->energy_j));
		for (j = 0; j < rl->nlabels; j++)
			if (!isnan(rl->phase_j[i * rl->nlabels + j]))
				put(ph, rl->label[j], num(rl->phase_j[i * rl->nlabels + j]));
		put(e, "phases", ph);
		put(e, "tokens_in", num(q->tokens_in));
		put(e, "tokens_out", num(q->tokens_out));
		put(e, "j_per_token", num(q->j_per_token));
		json_object_array_add(a, e);
	}
	put(o, "requests", a);
	return o;
}

/* [{"kind": "unit", "text": "..."}, ...] in the order they were made */
static struct json_object *assumptions(const struct wl_assumptions *l)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object();

		put(o, "kind", json_object_new_string(wl_assume_kind_name(l->a[i].kind)));
		put(o, "text", json_object_new_string(l->a[i].text));
		json_object_array_add(a, o);
	}
	return a;
}

/* process_share: the command's energy beside the machine's total. */
static struct json_object *share(const struct wl_report *r)
{
	struct json_object *o = json_object_new_object(), *parts = json_object_new_array();
	const struct wl_share *s = &r->share;

	put(o, "command_j", num(s->command_j));
	put(o, "machine_total_j", num(r->energy.total_j));
	for (size_t i = 0; i < s->n; i++) {
		const struct wl_share_part *p = &s->p[i];
		struct json_object *d = json_object_new_object();

		put(d, "component", json_object_new_string(p->component));
		put(d, "command_j", num(p->command_j));
		put(d, "machine_j", num(p->machine_j));
		put(d, "share_pct", num(p->machine_j > 0 ? 100 * p->command_j / p->machine_j : NAN));
		put(d, "covered_s", num(p->covered_s));
		put(d, "rule", json_object_new_string(p->rule));
		json_object_array_add(parts, d);
	}
	put(o, "parts", parts);
	put(o, "why", s->n ? NULL : json_object_new_string(s->why));
	return o;
}

static struct json_object *one(const struct wl_report *r)
{
	struct json_object *o = json_object_new_object(), *w = json_object_new_array();
	size_t i;

	put(o, "file", json_object_new_string(r->ds->path ? r->ds->path : ""));
	put(o, "format", json_object_new_string(r->ds->format ? r->ds->format : ""));
	put(o, "t0_realtime", num(r->ds->t0_realtime));
	put(o, "window_s", json_object_new_array());
	json_object_array_add(json_object_object_get(o, "window_s"), num(r->t_from));
	json_object_array_add(json_object_object_get(o, "window_s"), num(r->t_to));
	put(o, "duration_s", num(r->duration_s));
	put(o, "energy_j", energy(r));
	put(o, "energy_wh", num(r->energy.total_j / WL_J_PER_WH));
	put(o, "energy_kwh", num(r->energy.total_j / WL_J_PER_KWH));
	put(o, "process_share", share(r));
	put(o, "metrics", metrics(r));
	put(o, "correlation", correlation(r));
	put(o, "carbon", carbon(r));
	put(o, "efficiency", efficiency(r));
	if (r->phases)
		put(o, "phases", phases(r));
	if (r->phases)
		put(o, "phases_method", json_object_new_string(r->phases->method));
	if (r->requests)
		put(o, "requests", requests(r->requests));
	put(o, "assumptions", assumptions(&r->ds->assume));
	for (i = 0; i < r->ds->nwarn; i++)
		json_object_array_add(w, json_object_new_string(r->ds->warn[i]));
	put(o, "warnings", w);
	return o;
}

int wl_report_json(FILE *f, const struct wl_report *r, size_t n, struct wl_error *err)
{
	struct json_object *root;
	size_t i;

	if (n == 1) {
		root = one(&r[0]);
	} else {
		root = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(root, one(&r[i]));
	}
	if (wl_json_text(f, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE))) {
		json_object_put(root);
		return wl_error_set(err, "cannot write the report: json-c could not render it "
				    "(more than 2 GiB of JSON, or out of memory); -F csv writes it");
	}
	fputc('\n', f);
	json_object_put(root);
	if (ferror(f))
		return wl_error_set(err, "cannot write the report");
	return 0;
}
