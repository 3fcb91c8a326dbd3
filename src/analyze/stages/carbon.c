/*
 * carbon.c - energy to carbon over a power series (see carbon.h).
 *
 * For each interval (t[i-1], t[i]] of the series, split at every step
 * boundary of the intensity, each part [x, y] contributes
 *     E = (p(x) + p(y)) / 2 * (y - x)            [J]  (trapezoid rule;
 *         p linear between gauge readings, constant p[i] for a counter)
 *     g = E / 3.6e6 [kWh] * I(t0 + x) [g/kWh] * PUE
 * so the total equals the trapezoid energy of the whole series, each part
 * weighted by the intensity in force while it was spent.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "wattlog/carbon.h"

static void iso(double epoch, char *buf, size_t sz)
{
	time_t t = (time_t)floor(epoch);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int coverage(const struct wl_series *s, double t0, const struct wl_intensity *in,
		    struct wl_error *err)
{
	double a = t0 + s->t[0], b = t0 + s->t[s->n - 1];
	double lo = in->t[0], hi = in->t[in->n - 1] + in->last_step;
	char sa[32], sb[32], sl[32], sh[32];

	if (a >= lo && b <= hi)
		return 0;
	iso(a, sa, sizeof(sa));
	iso(b, sb, sizeof(sb));
	iso(lo, sl, sizeof(sl));
	iso(hi, sh, sizeof(sh));
	return wl_error_set(err, "run from %s to %s is outside the intensity %s, which covers %s to %s",
			    sa, sb, in->label, sl, sh);
}

/* Adds the part [x, y] of interval [a, b] (power pa at a, pb at b). */
static void part(struct wl_carbon *c, double a, double b, double pa, double pb, double x,
		 double y, double intensity, double pue)
{
	double px = pa + (pb - pa) * (x - a) / (b - a);
	double py = pa + (pb - pa) * (y - a) / (b - a);
	double kwh = (px + py) / 2 * (y - x) / 3.6e6;

	c->energy_kwh += kwh;
	c->operational_g += kwh * intensity * pue;
	if (intensity < c->intensity_min)
		c->intensity_min = intensity;
	if (intensity > c->intensity_max)
		c->intensity_max = intensity;
}

static int interval(struct wl_carbon *c, double t0, const struct wl_intensity *in, double a,
		    double b, double pa, double pb, double pue, struct wl_error *err)
{
	double x = a, y, end, I;
	int guard = 0;

	while (x < b) {
		I = wl_intensity_at(in, t0 + x);
		end = wl_intensity_step_end(in, t0 + x);
		if (isnan(I) || isnan(end))
			return wl_error_set(err, "no intensity at %.3f s of the run (%s)", x,
					    in->label);
		y = end - t0 < b ? end - t0 : b;
		if (y <= x) { /* rounding put x on a boundary: take the next step */
			if (++guard > 2)
				return wl_error_set(err, "cannot split interval at %.6f s", x);
			I = wl_intensity_at(in, end);
			if (isnan(I))
				return wl_error_set(err, "no intensity at %.3f s of the run (%s)", x,
						    in->label);
			end = wl_intensity_step_end(in, end);
			y = end - t0 < b ? end - t0 : b;
			if (y <= x)
				continue;
		}
		guard = 0;
		part(c, a, b, pa, pb, x, y, I, pue);
		x = y;
	}
	return 0;
}

double wl_carbon_of_energy(const struct wl_carbon *c, double energy_j)
{
	if (energy_j == 0)
		return 0;
	if (!(c->energy_kwh > 0))
		return NAN;
	return c->operational_g * (energy_j / 3.6e6) / c->energy_kwh;
}

int wl_carbon_compute(const struct wl_series *total, double t0_realtime,
		      const struct wl_intensity *in, double pue, double embodied_g_per_h,
		      struct wl_carbon *out, struct wl_error *err)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->intensity_min = INFINITY;
	out->intensity_max = -INFINITY;
	if (!isfinite(pue) || pue < 1)
		return wl_error_set(err, "bad PUE %g: must be a number >= 1", pue);
	if (!isfinite(embodied_g_per_h) || embodied_g_per_h < 0)
		return wl_error_set(err, "bad embodied carbon %g g/h: must be a number >= 0",
				    embodied_g_per_h);
	if (in->n && isnan(t0_realtime))
		return wl_error_set(err, "an intensity trace needs the run's wall-clock time, "
				    "and '%s' has none", total->name);
	if (in->n && total->n && coverage(total, in->n ? t0_realtime : 0, in, err))
		return -1;
	if (!in->n)
		t0_realtime = 0;
	for (i = 1; i < total->n; i++) {
		double a = total->t[i - 1], b = total->t[i];
		double pa = total->from_counter ? total->p[i] : total->p[i - 1], pb = total->p[i];

		if (!(b > a) || isnan(pa) || isnan(pb))
			continue;
		if (interval(out, t0_realtime, in, a, b, pa, pb, pue, err))
			return -1;
	}
	if (total->n)
		out->duration_s = total->t[total->n - 1] - total->t[0];
	out->facility_kwh = out->energy_kwh * pue;
	out->embodied_g = embodied_g_per_h * out->duration_s / 3600;
	out->total_g = out->operational_g + out->embodied_g;
	out->intensity_avg = out->facility_kwh > 0 ? out->operational_g / out->facility_kwh : NAN;
	if (out->intensity_min > out->intensity_max)
		out->intensity_min = out->intensity_max = NAN;
	return 0;
}
