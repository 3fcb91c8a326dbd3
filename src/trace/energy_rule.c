/*
 * energy_rule.c - the energy rule shared by the analyzer and the recorder's
 * live metrics (see energy_rule.h).  Libc only.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/energy_rule.h"
#include "wattlog/jetson_rails.h"

struct unit_factor {
	const char *unit;
	double f;
};

static const struct unit_factor power_units[] = {
	{ "W", 1.0 }, { "mW", 1e-3 }, { "uW", 1e-6 }, { "\xc2\xb5W", 1e-6 },
	{ "kW", 1e3 }, { "MW", 1e6 },
};

static const struct unit_factor energy_units[] = {
	{ "J", 1.0 }, { "mJ", 1e-3 }, { "uJ", 1e-6 }, { "\xc2\xb5J", 1e-6 },
	{ "nJ", 1e-9 }, { "kJ", 1e3 }, { "Wh", 3600.0 }, { "kWh", 3.6e6 },
	{ "MWh", 3.6e9 },
};

static int lookup(const struct unit_factor *t, size_t n, const char *unit, double *f)
{
	size_t i;

	for (i = 0; unit && i < n; i++) {
		if (!strcmp(t[i].unit, unit)) {
			*f = t[i].f;
			return 0;
		}
	}
	return -1;
}

int wl_unit_to_w(const char *unit, double *factor)
{
	return lookup(power_units, sizeof(power_units) / sizeof(power_units[0]), unit, factor);
}

int wl_unit_to_j(const char *unit, double *factor)
{
	return lookup(energy_units, sizeof(energy_units) / sizeof(energy_units[0]), unit,
		      factor);
}

/* dE = E1 - E0 (+ W when dE < 0 and W known); P = dE f / dt.  A reading
 * whose value equals the last kept one is dropped (merged into the next
 * interval); a NaN p marks an excluded, implausible interval, after which
 * the counter's new value is the baseline.  Shared with the streaming
 * report (stream.h), so that both paths apply the same rule. */
void wl_counter_norm_init(struct wl_counter_norm *s, double f, double wrap, double max_w)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->wrap = wrap;
	s->max_w = max_w;
	s->first_bad = s->bad_w = s->p_hi = NAN;
	s->first_reset = s->reset_from = s->reset_to = s->reset_w = NAN;
}

/* A negative step with a known wrap: a wrap (1) or a reset (0), by the
 * wrapped step's power p (WL_WRAP_REL). */
static int is_wrap(const struct wl_counter_norm *s, double p)
{
	return p <= s->max_w && (isnan(s->p_hi) || p <= WL_WRAP_REL * s->p_hi);
}

int wl_counter_norm_step(struct wl_counter_norm *s, double t, double v, double *p_out)
{
	double de, dt, p;

	s->nread++;
	s->t_last_read = t;
	if (s->nread == 1) {
		s->t_first_read = t;
		s->e_last = v;
		s->t_last = t;
		s->npoints = 1;
		*p_out = NAN;
		return 1;
	}
	de = v - s->e_last;
	dt = t - s->t_last;
	if (de == 0 || dt <= 0)
		return 0; /* unchanged read: merge with the next interval */
	if (de < 0 && s->wrap > 0) {
		p = (de + s->wrap) * s->f / dt;
		if (p <= s->max_w && !is_wrap(s, p)) { /* a reset: excluded */
			if (!s->nreset++) {
				s->first_reset = t;
				s->reset_from = s->e_last;
				s->reset_to = v;
				s->reset_w = p;
			}
			p = NAN;
			goto keep;
		}
		de += s->wrap;
	}
	p = de * s->f / dt;
	if (de < 0 || p > s->max_w) {
		if (!s->nbad++) {
			s->first_bad = t;
			s->bad_w = p;
		}
		p = NAN;
	} else if (isnan(s->p_hi) || p > s->p_hi) {
		s->p_hi = p;
	}
keep:
	s->e_last = v;
	s->t_last = t;
	s->npoints++;
	*p_out = p;
	return 1;
}

void wl_gauge_norm_init(struct wl_gauge_norm *g, double max_w)
{
	g->max_w = max_w;
	g->nbad = 0;
	g->first_bad = g->bad_w = NAN;
}

double wl_gauge_norm_step(struct wl_gauge_norm *g, double t, double p)
{
	if (!(p > g->max_w || p < -g->max_w))
		return p;
	if (!g->nbad++) {
		g->first_bad = t;
		g->bad_w = p;
	}
	return NAN;
}

void wl_energy_acc_init(struct wl_energy_acc *a, int from_counter, double max_gap_s,
			int keep_gaps_out, double t0, double t1)
{
	memset(a, 0, sizeof(*a));
	a->from_counter = from_counter;
	a->max_gap_s = max_gap_s;
	a->keep_gaps_out = keep_gaps_out;
	a->t0 = isnan(t0) ? -INFINITY : t0;
	a->t1 = isnan(t1) ? INFINITY : t1;
	a->ok_p = a->pmin = a->pmax = NAN;
}

/* |(x, y] n [t0, t1]| */
static double overlap(const struct wl_energy_acc *a, double x, double y)
{
	double lo = x > a->t0 ? x : a->t0, hi = y < a->t1 ? y : a->t1;

	return hi > lo ? hi - lo : 0;
}

/* Trapezoid on [x, y] n [t0, t1], p linear from px at x to py at y. */
static double trapezoid(const struct wl_energy_acc *a, double x, double y, double px,
			double py)
{
	double lo = x > a->t0 ? x : a->t0, hi = y < a->t1 ? y : a->t1, slope;

	if (hi <= lo)
		return 0;
	slope = (py - px) / (y - x);
	return (hi - lo) * 0.5 * (px + slope * (lo - x) + px + slope * (hi - x));
}

/* Counter: the excluded intervals from pend_a to x, at power p. */
static void bridge_excluded(struct wl_energy_acc *a, double x, double p)
{
	double d = overlap(a, a->pend_a, x);

	a->pending = 0;
	a->ex_s += d;
	if (a->keep_gaps_out || isnan(p))
		return;
	a->ex_j += p * d;
	a->energy_j += p * d;
}

static void counter_point(struct wl_energy_acc *a, double x, double t, double p)
{
	if (isnan(p)) {
		if (!a->pending) {
			a->pending = 1;
			a->pend_a = x;
			a->nex++;
		}
		return;
	}
	if (a->pending)
		bridge_excluded(a, x, isnan(a->ok_p) ? p : 0.5 * (a->ok_p + p));
	a->energy_j += p * overlap(a, x, t);
	if (a->cover_gap_s <= 0 || t - x <= a->cover_gap_s)
		a->cover_s += overlap(a, x, t);
	a->ok_p = p;
}

static void gauge_interval(struct wl_energy_acc *a, double x, double t, double p)
{
	double e = trapezoid(a, x, t, a->pt_p, p), d = overlap(a, x, t);

	if (a->cover_gap_s <= 0 || t - x <= a->cover_gap_s)
		a->cover_s += d;
	if (a->max_gap_s > 0 && t - x > a->max_gap_s && d > 0) {
		if (a->ngapw < WL_GAPS_LISTED) {
			a->gw_t[a->ngapw] = x;
			a->gw_d[a->ngapw] = t - x;
			a->gw_j[a->ngapw] = e;
		}
		a->ngapw++;
		a->ngaps++;
		a->gap_s += d;
		if (a->keep_gaps_out)
			return;
		a->gap_j += e;
	}
	a->energy_j += e;
}

void wl_energy_acc_point(struct wl_energy_acc *a, double t, double p)
{
	if (!a->from_counter && isnan(p)) {
		/* a missing reading: its neighbours are joined, or with
		 * keep_gaps_out the series breaks there (wl_series_clip's mark) */
		a->pending |= a->keep_gaps_out && a->npts;
		return;
	}
	if (a->pending && !a->from_counter) {
		a->pending = 0;
		a->ex_s += overlap(a, a->pt_t, t);
	} else if (a->npts) {
		if (a->from_counter)
			counter_point(a, a->pt_t, t, p);
		else
			gauge_interval(a, a->pt_t, t, p);
	} else {
		a->first_t = t;
	}
	if (!isnan(p) && (a->npts || !a->from_counter)) {
		a->nvalid++;
		if (t >= a->t0 && t <= a->t1) {
			if (isnan(a->pmin) || p < a->pmin)
				a->pmin = p;
			if (isnan(a->pmax) || p > a->pmax)
				a->pmax = p;
		}
	}
	a->last_t = a->pt_t = t;
	a->pt_p = p;
	a->npts++;
}

void wl_energy_acc_end(struct wl_energy_acc *a)
{
	if (a->pending && a->from_counter)
		bridge_excluded(a, a->pt_t, a->ok_p);
}

double wl_energy_acc_covered(const struct wl_energy_acc *a)
{
	double d;

	if (a->npts < 2)
		return 0;
	d = overlap(a, a->first_t, a->last_t);
	if (a->keep_gaps_out)
		d -= a->gap_s + a->ex_s;
	return d > 0 ? d : 0;
}

const char *wl_trace_chan_component(const struct wl_chan_info *c, char *buf, size_t sz)
{
	const char *n = c->name;

	if (!strcmp(c->source, "nvml") || !strcmp(c->source, "amdgpu")) {
		if (!strcmp(n, "power.draw") || !strcmp(n, "power.draw.instant") ||
		    !strcmp(n, "energy"))
			return c->device;
		return "";
	}
	if (!strcmp(c->source, "intel_gpu")) /* "energy.pkg" is a part of the card */
		return strcmp(n, "energy") ? "" : c->device;
	if (!strcmp(c->source, "ina3221")) /* a Jetson rail, as tegrastats' */
		return strcmp(n, "power") ? "" : c->device;
	if (!strcmp(c->source, "power_meter")) /* ACPI power meters: the node */
		return strcmp(n, "power.average") ? "" : "node";
	if (!strcmp(c->source, "powercap") || !strcmp(c->source, "rapl")) {
		if (!strncmp(n, "package-", 8))
			return "cpu";
		if (!strcmp(n, "dram"))
			return "dram";
		if (!strcmp(n, "psys"))
			return "psys";
		return "";
	}
	if (!strcmp(c->source, "pm_counters")) {
		if (!strcmp(n, "energy") || !strcmp(n, "power"))
			return "node";
		if (!strcmp(n, "cpu_energy") || !strcmp(n, "cpu_power"))
			return "cpu";
		if (!strncmp(n, "memory_", 7))
			return "dram";
		if (!strncmp(n, "accel", 5) && n[5] >= '0' && n[5] <= '9') {
			size_t k = 5;

			while (n[k] >= '0' && n[k] <= '9')
				k++;
			if (n[k] == '_' && k - 5 < sz - 4) {
				snprintf(buf, sz, "gpu%.*s", (int)(k - 5), n + 5);
				return buf;
			}
		}
	}
	return "";
}

int wl_power_name_instant(const char *name)
{
	return strstr(name, "instant") != NULL;
}

int wl_energy_class(int is_counter, int instant)
{
	if (is_counter)
		return WL_CLASS_COUNTER;
	return instant ? WL_CLASS_INSTANT : WL_CLASS_GAUGE;
}

const char *wl_component_base(const char *name, const char *node)
{
	size_t l = node ? strlen(node) : 0;

	return l && !strncmp(name, node, l) && name[l] == '/' ? name + l + 1 : name;
}

static int whole_machine(const char *base)
{
	return !strcmp(base, "psys") || !strcmp(base, "node");
}

void wl_total_scope_init(struct wl_total_scope *s)
{
	s->input_rail = NULL;
	s->parts = 0;
}

void wl_total_scope_add(struct wl_total_scope *s, const char *name, const char *node)
{
	const char *b = wl_component_base(name, node);

	if (!s->input_rail && wl_jetson_is_input_rail(b))
		s->input_rail = b;
	if (!whole_machine(b))
		s->parts = 1;
}

int wl_component_name_in_total(const char *name, const char *node,
			       const struct wl_total_scope *s)
{
	const char *b = wl_component_base(name, node);

	if (s->input_rail)
		return !strcmp(b, s->input_rail);
	if (!strcmp(b, "psys"))
		return 0;
	if (!strcmp(b, "node"))
		return !s->parts;
	return 1;
}

int wl_live_energy_init(struct wl_live_energy *l, const struct wl_chan_info *c)
{
	memset(l, 0, sizeof(*l));
	l->counter = c->kind == WL_KIND_COUNTER;
	if (l->counter ? wl_unit_to_j(c->unit, &l->f) : wl_unit_to_w(c->unit, &l->f))
		return -1;
	if (l->counter)
		wl_counter_norm_init(&l->cn, l->f, (double)c->wrap * c->scale,
				     WL_MAX_POWER_W_DEFAULT);
	else
		wl_gauge_norm_init(&l->gn, WL_MAX_POWER_W_DEFAULT);
	wl_energy_acc_init(&l->acc, l->counter, 0, 0, NAN, NAN);
	return 0;
}

double wl_live_energy_push(struct wl_live_energy *l, double t, double v)
{
	double before = l->acc.energy_j, p;

	if (l->counter) {
		if (!wl_counter_norm_step(&l->cn, t, v, &p))
			return 0; /* unchanged: merged with the next interval */
	} else {
		p = wl_gauge_norm_step(&l->gn, t, v * l->f);
	}
	wl_energy_acc_point(&l->acc, t, p);
	if (!isnan(p)) {
		l->power_w = p;
		l->have_power = 1;
	}
	return l->acc.energy_j - before;
}

int wl_live_energy_known(const struct wl_live_energy *l)
{
	return l->acc.nvalid > 0;
}
