/*
 * phases_auto.c - automatic phases: builds the feature matrix from the
 * channels a trace has (GPU power first; SM, tensor and DRAM activity, SM
 * occupancy, SM clock, GPU utilization when present: utilization.gpu,
 * GR3D_FREQ, else any % column named *util* or *busy*, case and '_'/'.'
 * aside), segments it
 * (phases_segment.c) and labels the segments (phases_label.c).
 *
 * Method and its assumptions:
 *  1. Reference grid: the timestamps of the GPU power series (one sample per
 *     reading); every other channel is read at its nearest sample in time.
 *  2. Each feature is passed through a running median of 5 samples (more
 *     above 50 Hz: about 0.1 s), which removes the kernel-to-kernel
 *     alternation a sampler sees (tensor activity 91/70/4 % inside one
 *     prefill) but keeps steps where they are.
 *  3. Standardization: z = (x - median) / sigma, sigma the noise level
 *     estimated from the data: 1.4826 median|x[i+1] - x[i]| / sqrt 2 (MAD of
 *     first differences, robust to the few steps), floored at 2% of the
 *     feature's robust range p99 - p1 so a flat channel does not make its
 *     smallest wiggle a change.  Constant features are dropped.
 *  4. PELT with the L2 cost and penalty pen = 3 d ln n (d features, n
 *     samples; BIC's d ln n, tripled because the filtered noise is not
 *     independent), segments of at least max(3 samples, 0.2 s) (or
 *     opts->min_seg_s): a shorter phase is not resolved.  Above 2000 samples PELT
 *     runs on block means and each boundary is refined at full resolution
 *     (phases_segment.c), which keeps the cost about linear.
 *  5. Labels from each segment's medians of the raw (unfiltered) channels
 *     (phases_label.c); a short, weakly labelled segment between two of one
 *     label takes theirs; adjacent segments with one label are merged
 *     (confidence weighted by samples).
 * Limits: continuous batching interleaves prefill and decode iterations
 * within milliseconds, far faster than 10 Hz telemetry can see: such a run
 * reads as one busy phase whose label follows the dominant mix.  Power lags
 * activity by up to a sample or two.  Multi-GPU traces are segmented on the
 * GPU that used the most energy.  Labels are relative to the trace's own
 * levels: with power alone, a trace that never leaves one power level is
 * labelled idle throughout (power cannot tell a steadily busy GPU from an
 * idle one), and prefill/decode need tensor or DRAM activity.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/analysis.h"
#include "wattlog/phases.h"
#include "wattlog/trace_format.h"
#include "phases_int.h"

enum { F_POWER, F_SM, F_TENSOR, F_DRAM, F_OCC, F_CLOCK, F_UTIL, NFEAT };

static const char *const feat_names[NFEAT][3] = {
	{ "power.draw", NULL, NULL },
	{ "sm_active", NULL, NULL },
	{ "tensor_active", NULL, NULL },
	{ "dram_active", NULL, NULL },
	{ "sm_occupancy", NULL, NULL },
	{ "clocks.sm", "clocks.current.sm", NULL },
	{ "utilization.gpu", "gr3d.freq", "gpu.util" }, /* Jetson: GR3D_FREQ % */
};

/* Name without a trailing " [unit]" equals want, ignoring case and taking
 * '_' for '.' (a generic CSV's "utilization_gpu [%]", "GR3D_FREQ [%]"). */
static int name_is(const char *name, const char *want)
{
	const char *br = strstr(name, " [");
	size_t n = strlen(want), i;

	if ((br ? (size_t)(br - name) : strlen(name)) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char a = (char)tolower((unsigned char)name[i]), b = want[i];

		if (a != b && !(a == '_' && b == '.'))
			return 0;
	}
	return 1;
}

/* Any other utilization or busy column of any format (a % gauge whose name
 * holds "util" or "busy", case aside) serves as activity. */
static int util_like(const struct wl_channel *c)
{
	char low[128];
	size_t i;

	if (strcmp(c->unit, "%"))
		return 0;
	for (i = 0; c->name[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)c->name[i]);
	low[i] = 0;
	return strstr(low, "util") || strstr(low, "busy");
}

static long find_feature(const struct wl_dataset *ds, int f, const char *device)
{
	long best = -1, loose = -1;
	size_t i, k;

	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *c = &ds->ch[i];

		if (c->kind != WL_DS_GAUGE || c->n == 0)
			continue;
		if (f == F_UTIL && loose < 0 && util_like(c))
			loose = (long)i;
		for (k = 0; k < 3 && feat_names[f][k]; k++) {
			if (!name_is(c->name, feat_names[f][k]))
				continue;
			if (device && !strcmp(c->device, device))
				return (long)i;
			if (best < 0)
				best = (long)i;
		}
	}
	return best >= 0 ? best : loose;
}

/* Factor to % (activities) or MHz (clock). */
static double feature_scale(const struct wl_channel *c, int f)
{
	size_t i;
	double mx = 0;

	if (f == F_CLOCK)
		return !strcmp(c->unit, "GHz") ? 1e3 : !strcmp(c->unit, "Hz") ? 1e-6 : 1.0;
	if (!strcmp(c->unit, "%"))
		return 1.0;
	for (i = 0; i < c->n; i++)
		mx = fmax(mx, c->v[i]);
	return mx <= 1.0 ? 100.0 : 1.0; /* a ratio 0..1 */
}

/* The k-th smallest (0-based) of c[0..n), n > 0, by Wirth's selection
 * (Hoare's partition with the pivot c[k]).  c is reordered so that
 * c[0..k) <= c[k] <= c[k+1..n). */
static double select_k(double *c, size_t n, size_t k)
{
	long l = 0, m = (long)n - 1, kk = (long)k;

	while (l < m) {
		double x = c[kk];
		long i = l, j = m;

		do {
			while (c[i] < x)
				i++;
			while (x < c[j])
				j--;
			if (i <= j) {
				double tmp = c[i];

				c[i] = c[j];
				c[j] = tmp;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return c[k];
}

/* q-quantile (0..1) of x[0..n), the order statistic nearest q (n - 1);
 * NaN if n == 0. */
static double quantile(const double *x, size_t n, double q)
{
	double *c, v;

	if (!n || !(c = malloc(n * sizeof(*c))))
		return NAN;
	memcpy(c, x, n * sizeof(*c));
	v = select_k(c, n, (size_t)floor(q * (double)(n - 1) + 0.5));
	free(c);
	return v;
}

/* Column j of a row-major n x d matrix, into col. */
static void column(const double *m, size_t n, size_t d, size_t j, double *col)
{
	size_t i;

	for (i = 0; i < n; i++)
		col[i] = m[i * d + j];
}

struct grid {
	size_t n;
	double *t;
	double *raw;    /* n x NFEAT, NaN where absent */
	int has[NFEAT];
};

/* Nearest sample of c to each t (c->t sorted). */
static void sample_nearest(const struct wl_channel *c, double scale, const double *t, size_t n,
			   double *dst, size_t stride)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		while (k + 1 < c->n && fabs(c->t[k + 1] - t[i]) <= fabs(c->t[k] - t[i]))
			k++;
		dst[i * stride] = c->v[k] * scale;
	}
}

/* The reference power series: the gpu* component with most energy, else the
 * component with most energy; index or -1. */
static long pick_power(const struct wl_series *s, size_t n)
{
	long best = -1, bestgpu = -1;
	double e = -1, egpu = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		double ei = s[i].n ? wl_series_energy(&s[i], s[i].t[0], s[i].t[s[i].n - 1]) : -1;

		if (!strncmp(s[i].name, "gpu", 3) && ei > egpu) {
			egpu = ei;
			bestgpu = (long)i;
		}
		if (ei > e) {
			e = ei;
			best = (long)i;
		}
	}
	return bestgpu >= 0 ? bestgpu : best;
}

static int build_grid(const struct wl_dataset *ds, const struct wl_comp_power *pw,
		      const struct wl_phase_opts *o, struct grid *g, char *method, size_t msz,
		      struct wl_error *err)
{
	const struct wl_series *comps = pw->sum;
	size_t ncomp = pw->n, i;
	long ref = -1, chan[NFEAT];
	const char *dev = NULL;
	int f;

	memset(g, 0, sizeof(*g));
	ref = pick_power(comps, ncomp);
	if (ref >= 0)
		dev = comps[ref].name;
	for (f = F_SM; f < NFEAT; f++)
		chan[f] = o->power_only ? -1 : find_feature(ds, f, dev);
	if (ref >= 0) {
		const struct wl_series *s = &comps[ref];

		g->t = malloc((s->n + 1) * sizeof(*g->t));
		g->raw = malloc((s->n + 1) * NFEAT * sizeof(*g->raw));
		if (!g->t || !g->raw)
			goto nomem;
		for (i = 0; i < s->n; i++) {
			if (isnan(s->p[i]))
				continue;
			g->t[g->n] = s->t[i];
			g->raw[g->n * NFEAT + F_POWER] = s->p[i];
			g->n++;
		}
		g->has[F_POWER] = 1;
		snprintf(method, msz, "auto: %s power", s->name);
	} else {
		const struct wl_channel *c = NULL;

		for (f = F_SM; f < NFEAT && !c; f++)
			if (chan[f] >= 0)
				c = &ds->ch[chan[f]];
		if (!c) {
			return wl_error_set(err, "cannot find phases in '%s': no power and no "
					    "activity channel", ds->path ? ds->path : "");
		}
		g->t = malloc(c->n * sizeof(*g->t));
		g->raw = malloc(c->n * NFEAT * sizeof(*g->raw));
		if (!g->t || !g->raw)
			goto nomem;
		memcpy(g->t, c->t, c->n * sizeof(*g->t));
		g->n = c->n;
		for (i = 0; i < g->n; i++)
			g->raw[i * NFEAT + F_POWER] = NAN;
		snprintf(method, msz, "auto: no power");
	}
	for (f = F_SM; f < NFEAT; f++) {
		if (chan[f] < 0 || !g->n) {
			for (i = 0; i < g->n; i++)
				g->raw[i * NFEAT + f] = NAN;
			continue;
		}
		sample_nearest(&ds->ch[chan[f]], feature_scale(&ds->ch[chan[f]], f), g->t, g->n,
			       g->raw + f, NFEAT);
		g->has[f] = 1;
		strncat(method, "+", msz - strlen(method) - 1);
		strncat(method, feat_names[f][0], msz - strlen(method) - 1);
	}
	return 0;
nomem:
	free(g->t);
	free(g->raw);
	return wl_error_set(err, "out of memory finding phases");
}

/* Filtered, standardized features of g: *z is n x *d. */
static int standardize(const struct grid *g, size_t win, double **z, size_t *d)
{
	double *col = malloc(g->n * sizeof(*col)), *flt = malloc(g->n * sizeof(*flt));
	double *dif = malloc(g->n * sizeof(*dif));
	size_t i, j = 0;
	int f;

	*z = malloc(g->n * NFEAT * sizeof(**z) + 1);
	if (!col || !flt || !dif || !*z) {
		free(col), free(flt), free(dif), free(*z);
		*z = NULL; /* the caller frees z on its way out */
		return -1;
	}
	for (f = 0; f < NFEAT; f++) {
		double med, range, sigma;

		if (!g->has[f])
			continue;
		column(g->raw, g->n, NFEAT, (size_t)f, col);
		wl_phases_median_filter(col, g->n, win, flt);
		range = quantile(flt, g->n, 0.99) - quantile(flt, g->n, 0.01);
		if (!(range > 0))
			continue;
		med = quantile(flt, g->n, 0.5);
		for (i = 0; i + 1 < g->n; i++)
			dif[i] = fabs(flt[i + 1] - flt[i]);
		sigma = 1.4826 * quantile(dif, g->n - 1, 0.5) / sqrt(2.0);
		sigma = fmax(sigma, 0.02 * range);
		for (i = 0; i < g->n; i++)
			(*z)[i * NFEAT + j] = (flt[i] - med) / sigma;
		j++;
	}
	/* Compact rows from stride NFEAT to stride j. */
	for (i = 0; i < g->n; i++)
		memmove(*z + i * j, *z + i * NFEAT, j * sizeof(**z));
	*d = j;
	free(col), free(flt), free(dif);
	return 0;
}

/* Median of feature f over samples [a, b): robust to the sample or two of
 * the neighbouring phase a boundary leaves inside (power lags activity). */
static double median_col(const struct grid *g, int f, size_t a, size_t b, double *tmp)
{
	size_t i, m = b - a;
	double hi;

	if (!g->has[f])
		return NAN;
	for (i = a; i < b; i++)
		tmp[i - a] = g->raw[i * NFEAT + f];
	hi = select_k(tmp, m, m / 2);
	if (m % 2)
		return hi;
	/* Even count: the mean of the two middle values; the lower one is the
	 * largest of the elements before m / 2 after selection. */
	{
		double lo = tmp[0];

		for (i = 1; i < m / 2; i++)
			if (tmp[i] > lo)
				lo = tmp[i];
		return 0.5 * (lo + hi);
	}
}

/* Segment [a, e)'s label and confidence, from its medians. */
static const char *label_of(const struct grid *g, const struct wl_phase_levels *lv, size_t a,
			    size_t e, double *tmp, double *conf)
{
	struct wl_phase_sig s;

	s.power_w = median_col(g, F_POWER, a, e, tmp);
	s.sm_active = median_col(g, F_SM, a, e, tmp);
	s.tensor_active = median_col(g, F_TENSOR, a, e, tmp);
	s.dram_active = median_col(g, F_DRAM, a, e, tmp);
	s.util = median_col(g, F_UTIL, a, e, tmp);
	s.clock_mhz = median_col(g, F_CLOCK, a, e, tmp);
	s.dur_s = g->t[e - 1] - g->t[a];
	return wl_phases_label(&s, lv, conf);
}

/* The trace's own power levels: the 5th and 95th percentiles, widened to
 * the lowest and highest segment median, so that a long run at 290 W
 * between short 33 W stretches (less than 5 % of the samples) still shows
 * its low level. */
static void levels(const struct grid *g, const size_t *b, size_t nb,
		   struct wl_phase_levels *lv, double *col)
{
	size_t k;

	memset(lv, 0, sizeof(*lv));
	column(g->raw, g->n, NFEAT, F_POWER, col);
	lv->p_lo = g->has[F_POWER] ? quantile(col, g->n, 0.05) : NAN;
	lv->p_hi = g->has[F_POWER] ? quantile(col, g->n, 0.95) : NAN;
	for (k = 0; g->has[F_POWER] && k <= nb; k++) {
		double m = median_col(g, F_POWER, k ? b[k - 1] : 0, k < nb ? b[k] : g->n, col);

		lv->p_lo = m < lv->p_lo ? m : lv->p_lo;
		lv->p_hi = m > lv->p_hi ? m : lv->p_hi;
	}
	column(g->raw, g->n, NFEAT, F_CLOCK, col);
	lv->clock_max = g->has[F_CLOCK] ? quantile(col, g->n, 0.99) : NAN;
	lv->has_activity = g->has[F_SM] || g->has[F_UTIL];
	lv->has_mix = g->has[F_TENSOR] || g->has[F_DRAM];
}

/*
 * Labels the nb + 1 segments, then: a short segment (fewer than 2 min_len
 * samples) with a weak label (confidence < 0.7) between two segments of one
 * label takes their label (a burst of attention kernels inside a prefill);
 * then adjacent segments with one label merge.
 */
static int emit(const struct wl_dataset *ds, const struct grid *g, const size_t *b, size_t nb,
		size_t min_len, struct wl_phase_list *out, struct wl_error *err)
{
	struct wl_phase_levels lv;
	double first, last, *col = malloc(g->n * sizeof(double));
	double *cf = malloc((nb + 1) * sizeof(double));
	const char **lab = malloc((nb + 1) * sizeof(*lab));
	size_t k;
	int rc = -1;

	if (!col || !cf || !lab) {
		wl_error_set(err, "out of memory finding phases");
		goto out;
	}
	if (wl_dataset_span(ds, &first, &last) < 0 || !(last >= first)) {
		first = g->t[0];
		last = g->t[g->n - 1];
	}
	levels(g, b, nb, &lv, col);
	for (k = 0; k <= nb; k++)
		lab[k] = label_of(g, &lv, k ? b[k - 1] : 0, k < nb ? b[k] : g->n, col, &cf[k]);
	for (k = 1; k < nb; k++) {
		size_t len = b[k] - b[k - 1];

		if (len < 2 * min_len && cf[k] < 0.7 && !strcmp(lab[k - 1], lab[k + 1]) &&
		    strcmp(lab[k], lab[k - 1])) {
			lab[k] = lab[k - 1];
			cf[k] = 0.5;
		}
	}
	for (k = 0; k <= nb; k++) {
		size_t a = k ? b[k - 1] : 0, e = k < nb ? b[k] : g->n;
		struct wl_phase ph, *prev = out->n ? &out->p[out->n - 1] : NULL;

		if (prev && prev->source == WL_PHASE_AUTO && !strcmp(prev->label, lab[k])) {
			prev->confidence = (prev->confidence * (double)prev->nsamples +
					    cf[k] * (double)(e - a)) / (double)(prev->nsamples + e - a);
			prev->nsamples += e - a;
			prev->end_s = e < g->n ? 0.5 * (g->t[e - 1] + g->t[e]) : fmax(last, g->t[e - 1]);
			continue;
		}
		memset(&ph, 0, sizeof(ph));
		snprintf(ph.label, sizeof(ph.label), "%s", lab[k]);
		snprintf(ph.name, sizeof(ph.name), "%s", lab[k]);
		ph.start_s = a ? 0.5 * (g->t[a - 1] + g->t[a]) : fmin(first, g->t[0]);
		ph.end_s = e < g->n ? 0.5 * (g->t[e - 1] + g->t[e]) : fmax(last, g->t[g->n - 1]);
		ph.energy_j = ph.avg_power_w = ph.peak_power_w = NAN;
		ph.confidence = cf[k];
		ph.source = WL_PHASE_AUTO;
		ph.nsamples = e - a;
		if (wl_phase_list_push(out, &ph) < 0) {
			wl_error_set(err, "out of memory finding phases");
			goto out;
		}
	}
	rc = 0;
out:
	free(col);
	free(cf);
	free(lab);
	return rc;
}

int wl_phases_auto(const struct wl_dataset *ds, const struct wl_phase_opts *o,
		   struct wl_phase_list *out, struct wl_error *err)
{
	struct wl_comp_power pw;
	int rc;

	if (wl_phases_power(ds, &pw, err))
		return -1;
	rc = wl_phases_auto_with(ds, &pw, o, out, err);
	wl_comp_power_release(&pw);
	return rc;
}

/* the segmentation's defaults: every field 0 means "the rule's own" */
void wl_phase_opts_init(struct wl_phase_opts *o)
{
	memset(o, 0, sizeof(*o));
}

int wl_phases_auto_with(const struct wl_dataset *ds, const struct wl_comp_power *pw,
			const struct wl_phase_opts *o, struct wl_phase_list *out,
			struct wl_error *err)
{
	struct wl_phase_opts dflt;
	struct grid g;
	double *z = NULL, dt, pen;
	size_t d = 0, *b = NULL, min_len, win = 5;
	long nb;
	int rc = -1;

	if (!o) {
		wl_phase_opts_init(&dflt);
		o = &dflt;
	}
	if (build_grid(ds, pw, o, &g, out->method, sizeof(out->method), err) < 0)
		return -1;
	if (g.n < 4) {
		wl_error_set(err, "cannot find phases in '%s': %zu samples, need at least 4",
			     ds->path ? ds->path : "", g.n);
		goto out;
	}
	/* Resolution: a phase lasts at least max(3 periods, 0.2 s); the running
	 * median spans max(5 samples, about 0.1 s). */
	dt = wl_series_median_dt(g.t, g.n);
	min_len = 3;
	if (dt > 0)
		min_len = (size_t)ceil((o->min_seg_s > 0 ? o->min_seg_s : fmax(3 * dt, 0.2)) / dt -
				       1e-9);
	if (min_len < 2)
		min_len = 2;
	if (dt > 0 && 0.05 / dt > 2)
		win = 2 * (size_t)fmin(floor(0.05 / dt), 31) + 1;
	if (standardize(&g, win, &z, &d) < 0) {
		wl_error_set(err, "out of memory finding phases");
		goto out;
	}
	pen = o->penalty > 0 ? o->penalty : 3.0 * (double)(d ? d : 1) * log((double)g.n);
	nb = d ? wl_phases_segment(z, g.n, d, min_len, pen, &b) : 0;
	if (nb < 0) {
		wl_error_set(err, "out of memory finding phases");
		goto out;
	}
	rc = emit(ds, &g, b, (size_t)nb, min_len, out, err);
out:
	free(b);
	free(z);
	free(g.t);
	free(g.raw);
	return rc;
}
