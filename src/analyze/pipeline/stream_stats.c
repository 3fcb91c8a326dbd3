/*
 * stream_stats.c - statistics of one metric in two passes and bounded
 * memory (stream.h gives what equals wl_stats_compute and what is bounded):
 *   pass 1: count, min, max, mean (Neumaier's compensated sum), resolution;
 *   pass 2: mean and std by the two-pass formula shifted by the pass-1 mean
 *     c (min, max and mean pass 1's when pass 2 sees the same values in
 *     the same order: from1):  var = (sum (v-c)^2 - (sum (v-c))^2 / n) / (n - 1),
 *     a histogram of WL_STREAM_BINS counts over [min1, max1] and the mode
 *     table (percentiles: order_stats below).
 */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "wattlog/grow.h"
#include "wattlog/stream.h"
#include "stream_int.h"

void wl_sstat_init(struct wl_sstat *s)
{
	unsigned k;

	memset(s, 0, sizeof(*s));
	s->min1 = s->min = INFINITY;
	s->max1 = s->max = -INFINITY;
	s->res_ok[0] = s->res_ok[1] = s->res_ok[2] = s->res_ok[3] = 1;
	s->strict[0] = s->strict[1] = s->strict[2] = s->strict[3] = 1;
	s->res = NAN;
	for (k = 0; k < (1u << WL_SSTAT_SEEN_LOG2); k++)
		s->seen[k] = WL_SSTAT_NOT_SEEN;
}

void wl_sstat_release(struct wl_sstat *s)
{
	free(s->h);
	free(s->mcnt);
	s->h = NULL;
	s->mcnt = NULL;
}

/* Neumaier: sum += v with the lost low-order part kept in *comp (both
 * corrections computed and one chosen: no branch to mispredict). */
static inline void ksum(double *sum, double *comp, double v)
{
	double t = *sum + v, big = (*sum - t) + v, small = (v - t) + *sum;

	*comp += fabs(*sum) >= fabs(v) ? big : small;
	*sum = t;
}

/* The resolution rule (wl_res_off) on a value not checked just before;
 * strict: within 1e-9, the mode table's counts then exact values.  A value
 * within 1e-9 is within WL_RES_TOL (the larger bound): only one off by
 * more than 1e-9 is checked against WL_RES_TOL. */
static void res_check(struct wl_sstat *s, double x)
{
	int d;

	for (d = 0; d < 4; d++) {
		if (!s->res_ok[d] || !wl_res_off(x, d, 1e-9))
			continue;
		s->strict[d] = 0;
		if (wl_res_off(x, d, WL_RES_TOL))
			s->res_ok[d] = 0;
	}
}

void wl_sstat_p1(struct wl_sstat *s, const double *v, size_t n)
{
	double min = s->min1, max = s->max1, sum = s->sum1, comp = s->comp1, last = s->last1;
	double fresh[64]; /* the values of a stretch that differ from the one before */
	size_t k, j, m, cnt = s->n1;
	int have = s->have1;

	for (k = 0; k < n;) {
		for (m = 0; k < n && m < 64; k++) {
			double x = v[k];

			if (isnan(x))
				continue;
			cnt++;
			min = x < min ? x : min;
			max = x > max ? x : max;
			ksum(&sum, &comp, x);
			fresh[m] = x; /* kept when not a repeat: no branch on it */
			m += (size_t)((have ^ 1) | (x != last));
			have = 1;
			last = x;
		}
		for (j = 0; j < m; j++) {
			uint64_t b;
			unsigned h;

			memcpy(&b, &fresh[j], 8);
			h = (unsigned)((b * 0x9e3779b97f4a7c15ull) >> (64 - WL_SSTAT_SEEN_LOG2));
			if (s->seen[h] == b)
				continue; /* checked before: the same outcome */
			s->seen[h] = b;
			res_check(s, fresh[j]);
		}
	}
	s->n1 = cnt;
	s->min1 = min;
	s->max1 = max;
	s->sum1 = sum;
	s->comp1 = comp;
	s->have1 = have;
	s->last1 = last;
}

int wl_sstat_begin(struct wl_sstat *s)
{
	int d;

	s->res = 0.01;
	for (d = 0; d < 4; d++)
		if (s->res_ok[d]) {
			s->exact = s->strict[d];
			s->res = 1.0 / (d == 0 ? 1 : d == 1 ? 10 : d == 2 ? 100 : 1000);
			break;
		}
	if (!s->n1)
		return 0;
	s->c = (s->sum1 + s->comp1) / (double)s->n1;
	if (s->from1) { /* the values pass 1 saw, in its order: its sums */
		s->min = s->min1;
		s->max = s->max1;
		s->sum = s->sum1;
		s->comp = s->comp1;
	}
	s->hw = (s->max1 - s->min1) / WL_STREAM_BINS;
	s->h = wl_calloc_touched(WL_STREAM_BINS, sizeof(*s->h));
	if (!s->h)
		return -1;
	if (wl_mode_table(s->min1, s->max1, s->res, &s->mcells, &s->mbase)) {
		s->mcnt = wl_calloc_touched(s->mcells, sizeof(*s->mcnt));
		if (!s->mcnt)
			return -1;
	}
	return 0;
}

static size_t bin_of(const struct wl_sstat *s, double v)
{
	double x;

	if (!(s->hw > 0))
		return 0;
	x = (v - s->min1) / s->hw;
	if (!(x > 0))
		return 0;
	return x >= WL_STREAM_BINS ? WL_STREAM_BINS - 1 : (size_t)x;
}

/* The run of the value before (its cells, `run` times) joins the runs
 * whose counts are pending; the oldest is added when they are
 * WL_SSTAT_PEND: its lines, prefetched when its value came, are in cache
 * by then. */
static void pend(struct wl_sstat *s, unsigned *hp, unsigned *mp, size_t run)
{
	unsigned j;

	if (!run)
		return;
	if (s->npend == WL_SSTAT_PEND) {
		j = s->pend0;
		*s->ph[j] += (unsigned)s->pr[j];
		if (s->pm[j])
			*s->pm[j] += (unsigned)s->pr[j];
		s->pend0 = (j + 1) % WL_SSTAT_PEND;
		s->npend--;
	}
	j = (s->pend0 + s->npend) % WL_SSTAT_PEND;
	s->ph[j] = hp;
	s->pm[j] = mp;
	s->pr[j] = run;
	s->npend++;
}

/* wl_sstat_p2's loop; all 0 (s->from1): min, max and the sum left as
 * pass 1 made them. */
static inline void p2_loop(struct wl_sstat *s, const double *v, size_t n,
			   const unsigned char *in, int all)
{
	double min = s->min, max = s->max, sum = s->sum, comp = s->comp, s1 = s->s1, s2 = s->s2;
	double c = s->c, last = s->last2;
	unsigned *hp = s->hp, *mp = s->mp;
	size_t k, cnt = s->n, run = s->run;
	int have = s->have2;

	for (k = 0; k < n; k++) {
		double x = v[k], d = x - c;

		if (isnan(x) || (in && !in[k]))
			continue;
		cnt++;
		if (all) {
			min = x < min ? x : min;
			max = x > max ? x : max;
			ksum(&sum, &comp, x);
		}
		s1 += d;
		s2 += d * d;
		if (have && x == last) { /* the same cells as the value before */
			run++;
			continue;
		}
		pend(s, hp, mp, run);
		hp = &s->h[bin_of(s, x)];
		__builtin_prefetch(hp, 1);
		mp = NULL;
		if (s->mcnt) {
			long long m = llrint(x / s->res) - s->mbase;
			if (m >= 0 && (size_t)m < s->mcells) {
				mp = &s->mcnt[m];
				__builtin_prefetch(mp, 1);
			}
		}
		run = 1;
		have = 1;
		last = x;
	}
	s->n = cnt;
	s->min = min;
	s->max = max;
	s->sum = sum;
	s->comp = comp;
	s->s1 = s1;
	s->s2 = s2;
	s->hp = hp;
	s->mp = mp;
	s->run = run;
	s->have2 = have;
	s->last2 = last;
}

void wl_sstat_p2(struct wl_sstat *s, const double *v, size_t n, const unsigned char *in)
{
	if (s->from1)
		p2_loop(s, v, n, NULL, 0);
	else
		p2_loop(s, v, n, in, 1);
}

void wl_sstat_flush(struct wl_sstat *s)
{
	unsigned j;

	for (; s->npend; s->npend--) {
		j = s->pend0;
		*s->ph[j] += (unsigned)s->pr[j];
		if (s->pm[j])
			*s->pm[j] += (unsigned)s->pr[j];
		s->pend0 = (j + 1) % WL_SSTAT_PEND;
	}
	if (s->run) {
		*s->hp += (unsigned)s->run;
		if (s->mp)
			*s->mp += (unsigned)s->run;
	}
	s->run = 0;
}

/*
 * The k[0] <= k[1] <= ... (nk of them, each < n) smallest values in one
 * scan: from the mode table when the metric has a true resolution (every
 * value a multiple of it: exact), else from the histogram, linear inside
 * the bin holding the order statistic: x = min1 + w (b + (j + 1/2) / m) for
 * the j-th of the m values in bin b (error < w = (max1 - min1) / BINS).
 */
static void order_stats(const struct wl_sstat *s, const size_t *k, size_t nk, double *x)
{
	size_t b = 0, cum = 0, q;
	int table = s->exact && s->mcnt;
	size_t nb = table ? s->mcells : WL_STREAM_BINS;

	for (q = 0; q < nk; q++) {
		for (; b < nb; b++) {
			size_t m = table ? s->mcnt[b] : s->h[b];
			if (cum + m > k[q])
				break;
			cum += m;
		}
		if (b == nb)
			x[q] = s->max;
		else if (table)
			x[q] = (double)(s->mbase + (long long)b) * s->res;
		else
			x[q] = s->min1 + s->hw * ((double)b + ((double)(k[q] - cum) + 0.5) /
							   (double)s->h[b]);
		if (x[q] < s->min)
			x[q] = s->min;
		if (x[q] > s->max)
			x[q] = s->max;
	}
}

/* GSL's definition: i + d = f (n - 1), q = (1 - d) x(i) + d x(i+1), for
 * f = 0.50, 0.95, 0.99. */
static void quantiles(const struct wl_sstat *s, double *p50, double *p95, double *p99)
{
	static const double f[3] = { 0.50, 0.95, 0.99 };
	double *out[3] = { p50, p95, p99 }, x[6], d[3];
	size_t k[6];
	int q;

	for (q = 0; q < 3; q++) {
		double idx = f[q] * (double)(s->n - 1);
		k[2 * q] = (size_t)idx;
		d[q] = idx - (double)k[2 * q];
		k[2 * q + 1] = k[2 * q] + 1 < s->n ? k[2 * q] + 1 : k[2 * q];
	}
	order_stats(s, k, 6, x);
	for (q = 0; q < 3; q++)
		*out[q] = d[q] == 0 ? x[2 * q] : (1 - d[q]) * x[2 * q] + d[q] * x[2 * q + 1];
}

static double mode_of(const struct wl_sstat *s)
{
	size_t i, bi = 0;

	if (s->mcnt) {
		for (i = 1; i < s->mcells; i++) /* first maximum: smallest on a tie */
			if (s->mcnt[i] > s->mcnt[bi])
				bi = i;
		return s->mcnt[bi] ? (double)(s->mbase + (long long)bi) * s->res : NAN;
	}
	for (i = 1; i < WL_STREAM_BINS; i++)
		if (s->h[i] > s->h[bi])
			bi = i;
	return s->min1 + ((double)bi + 0.5) * s->hw;
}

double wl_sstat_qerr(const struct wl_sstat *s)
{
	return s->hw;
}

void wl_sstat_finish(const struct wl_sstat *s, struct wl_metric_stats *m)
{
	m->n = s->n;
	m->avg = m->min = m->max = m->mode = m->resolution = NAN;
	m->std = m->p50 = m->p95 = m->p99 = m->twa = NAN;
	if (!s->n || !s->h)
		return;
	m->avg = (s->sum + s->comp) / (double)s->n;
	if (s->n > 1) {
		double var = (s->s2 - s->s1 * s->s1 / (double)s->n) / (double)(s->n - 1);
		m->std = sqrt(var > 0 ? var : 0);
	}
	m->min = s->min;
	m->max = s->max;
	m->resolution = s->res;
	m->mode = mode_of(s);
	quantiles(s, &m->p50, &m->p95, &m->p99);
	m->twa = s->twa_span > 0 ? s->twa_e / s->twa_span : NAN;
}
