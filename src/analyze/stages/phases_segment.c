/*
 * phases_segment.c - change-point detection for automatic phases: PELT
 * (Killick, Fearnhead & Eckley 2012, "Optimal detection of changepoints with
 * a linear computational cost") with the multivariate L2 cost, and the
 * running median that removes sample-to-sample alternation first.
 *
 * Cost of samples [s, t) over d standardized features:
 *     C(s, t) = sum_j [ sum_{i in [s,t)} x_ij^2 - (sum_{i in [s,t)} x_ij)^2 / (t - s) ]
 * i.e. the squared deviation from each segment's mean, computed from prefix
 * sums.  PELT minimizes  sum over segments of C + pen * (number of segments)
 * exactly, and prunes candidate s once F(s) + C(s, t) > F(t) (valid because
 * the L2 cost satisfies C(s,u) + C(u,t) <= C(s,t)).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/phases.h"

/* Cost of [s, t) from prefix sums S1, S2 ((n+1) x d). */
static double seg_cost(const double *s1, const double *s2, size_t d, size_t s, size_t t)
{
	double c = 0, len = (double)(t - s);
	size_t j;

	for (j = 0; j < d; j++) {
		double a = s1[t * d + j] - s1[s * d + j];
		double b = s2[t * d + j] - s2[s * d + j];

		c += b - a * a / len;
	}
	return c < 0 ? 0 : c;
}

long wl_phases_pelt(const double *x, size_t n, size_t d, size_t min_len, double pen,
		    size_t **bounds)
{
	double *s1 = NULL, *s2 = NULL, *f = NULL;
	size_t *last = NULL, *cand = NULL, *b = NULL;
	size_t ncand, i, j, t, nb = 0;
	long ret = -1;

	*bounds = NULL;
	if (min_len < 1)
		min_len = 1;
	s1 = calloc((n + 1) * d + 1, sizeof(*s1));
	s2 = calloc((n + 1) * d + 1, sizeof(*s2));
	f = malloc((n + 1) * sizeof(*f));
	last = calloc(n + 1, sizeof(*last));
	cand = malloc((n + 1) * sizeof(*cand));
	if (!s1 || !s2 || !f || !last || !cand)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < d; j++) {
			double v = x[i * d + j];

			s1[(i + 1) * d + j] = s1[i * d + j] + v;
			s2[(i + 1) * d + j] = s2[i * d + j] + v * v;
		}
	}
	if (n < 2 * min_len) {
		b = malloc(sizeof(*b));
		if (!b)
			goto out;
		*bounds = b;
		ret = 0;
		goto out;
	}
	f[0] = -pen;
	for (t = 1; t <= n; t++)
		f[t] = INFINITY;
	cand[0] = 0;
	ncand = 1;
	for (t = min_len; t <= n; t++) {
		size_t k, keep = 0;
		double best = INFINITY;
		size_t arg = 0;

		/* s = t - min_len becomes admissible once [0, s) can be a segment. */
		if (t >= 2 * min_len && isfinite(f[t - min_len]))
			cand[ncand++] = t - min_len;
		for (k = 0; k < ncand; k++) {
			size_t s = cand[k];
			double v = f[s] + seg_cost(s1, s2, d, s, t) + pen;

			if (v < best) {
				best = v;
				arg = s;
			}
		}
		f[t] = best;
		last[t] = arg;
		for (k = 0; k < ncand; k++) {
			size_t s = cand[k];

			if (f[s] + seg_cost(s1, s2, d, s, t) <= best)
				cand[keep++] = s;
		}
		ncand = keep;
	}
	/* Walk back from n. */
	b = malloc((n / min_len + 1) * sizeof(*b));
	if (!b)
		goto out;
	for (t = last[n]; t > 0; t = last[t])
		b[nb++] = t;
	for (i = 0; i < nb / 2; i++) {
		size_t tmp = b[i];

		b[i] = b[nb - 1 - i];
		b[nb - 1 - i] = tmp;
	}
	*bounds = b;
	ret = (long)nb;
out:
	free(s1);
	free(s2);
	free(f);
	free(last);
	free(cand);
	return ret;
}

/*
 * PELT's pruning cannot drop candidates inside one long homogeneous segment,
 * so its cost grows with the square of the longest segment.  Above
 * WL_PELT_MAX_N samples the series is cut into blocks of w samples; PELT
 * runs on the block means scaled by sqrt(w) (so a block's cost is the cost
 * its w samples would have if constant: the penalty keeps its meaning), and
 * each boundary found is refined at full resolution: the best single split
 * of the samples between the neighbouring boundaries, within 2 w of it.
 */
#define WL_PELT_MAX_N 2000

/* Best split s in [lo, hi] of x[a, e) (one change): argmax of
 * C(a, e) - C(a, s) - C(s, e) = n1 n2 / n |mean1 - mean2|^2 summed over
 * features. */
static size_t refine(const double *x, size_t d, size_t a, size_t e, size_t lo, size_t hi,
		     double *sum_l, double *sum_t)
{
	size_t i, j, best = lo;
	double bv = -1;

	memset(sum_t, 0, d * sizeof(*sum_t));
	memset(sum_l, 0, d * sizeof(*sum_l));
	for (i = a; i < e; i++)
		for (j = 0; j < d; j++)
			sum_t[j] += x[i * d + j];
	for (i = a; i < hi; i++) {
		for (j = 0; j < d; j++)
			sum_l[j] += x[i * d + j];
		if (i + 1 >= lo) {
			double n1 = (double)(i + 1 - a), n2 = (double)(e - i - 1), g = 0;

			for (j = 0; j < d; j++) {
				double m = sum_l[j] / n1 - (sum_t[j] - sum_l[j]) / n2;

				g += m * m;
			}
			g *= n1 * n2 / (n1 + n2);
			if (g > bv) {
				bv = g;
				best = i + 1;
			}
		}
	}
	return best;
}

long wl_phases_segment(const double *x, size_t n, size_t d, size_t min_len, double pen,
		       size_t **bounds)
{
	size_t w, nc, i, j, k, *cb = NULL;
	double *xc, *sl, *st, sc;
	long nb;

	if (n <= WL_PELT_MAX_N)
		return wl_phases_pelt(x, n, d, min_len, pen, bounds);
	w = (n + WL_PELT_MAX_N - 1) / WL_PELT_MAX_N;
	nc = n / w; /* the last block takes the rest */
	sc = sqrt((double)w);
	xc = calloc(nc * d + 1, sizeof(*xc));
	sl = malloc((d + 1) * sizeof(*sl));
	st = malloc((d + 1) * sizeof(*st));
	if (!xc || !sl || !st) {
		free(xc), free(sl), free(st);
		return -1;
	}
	for (k = 0; k < nc; k++) {
		size_t a = k * w, e = k + 1 == nc ? n : a + w;

		for (i = a; i < e; i++)
			for (j = 0; j < d; j++)
				xc[k * d + j] += x[i * d + j];
		for (j = 0; j < d; j++)
			xc[k * d + j] = xc[k * d + j] / (double)(e - a) * sc;
	}
	nb = wl_phases_pelt(xc, nc, d, (min_len + w - 1) / w > 2 ? (min_len + w - 1) / w : 2, pen,
			    &cb);
	free(xc);
	if (nb < 0) {
		free(sl), free(st);
		return -1;
	}
	for (k = 0; k < (size_t)nb; k++) {
		size_t c = cb[k] * w, a, e, lo, hi;

		a = k ? cb[k - 1] : 0; /* refined already: a fine index */
		e = k + 1 < (size_t)nb ? cb[k + 1] * w : n;
		lo = c > 2 * w ? c - 2 * w : 0;
		hi = c + 2 * w < n ? c + 2 * w : n;
		if (lo < a + min_len)
			lo = a + min_len;
		if (hi + min_len > e)
			hi = e - min_len;
		if (lo <= hi)
			c = refine(x, d, a, e, lo, hi, sl, st);
		cb[k] = c;
	}
	free(sl), free(st);
	*bounds = cb;
	return nb;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts the window of at most 63 values: insertion sort (a few dozen
 * values: no call per comparison as qsort's); qsort when a NaN is among
 * them, whose order against NaN insertion sort would not reproduce. */
static void sort_window(double *w, size_t m)
{
	size_t i, j;

	for (i = 0; i < m; i++)
		if (isnan(w[i])) {
			qsort(w, m, sizeof(w[0]), cmp_double);
			return;
		}
	for (i = 1; i < m; i++) {
		double v = w[i];

		for (j = i; j > 0 && w[j - 1] > v; j--)
			w[j] = w[j - 1];
		w[j] = v;
	}
}

int wl_phases_median_filter(const double *x, size_t n, size_t w, double *out)
{
	double win[64];
	size_t i, h;

	if (w < 1)
		w = 1;
	if (w > 63)
		w = 63;
	h = w / 2;
	for (i = 0; i < n; i++) {
		size_t lo = i >= h ? i - h : 0, hi = i + h < n ? i + h : n - 1, k, m = 0;

		/* Shrink symmetrically at the edges so a step stays where it is. */
		if (i - lo < hi - i)
			hi = i + (i - lo);
		else if (hi - i < i - lo)
			lo = i - (hi - i);
		for (k = lo; k <= hi; k++)
			win[m++] = x[k];
		sort_window(win, m);
		out[i] = (m % 2) ? win[m / 2] : 0.5 * (win[m / 2 - 1] + win[m / 2]);
	}
	return 0;
}
