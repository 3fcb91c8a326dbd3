/*
 * stream_pass2.c - pass 2 of the streaming report, a reading at a time (a
 * trace) or a block of rows a channel at a time (a GPU CSV log, the same
 * work per channel in the same order; the row correlation after, in file
 * order): the power series of each power channel (counter rule of normalize.c,
 * interval energy of energy.c), each other counter's rate series
 * (wl_counter_rate_of), the statistics inside the window, the
 * correlation grid's bin sums (resample.c's rule) and the decimated copy
 * of each channel (stream.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stream_pass.h"

static int in_window(const struct wl_stream *s, double t)
{
	return !(t < s->s_from) && !(t > s->s_to); /* NaN bounds are open */
}

/* The row being gathered is complete (every column once): into the row
 * correlation; else the input is not single-rate. */
static void row_flush(struct wl_stream *s)
{
	if (s->rowhave == s->g->ncols)
		wl_corr_rows_push(&s->rows, s->rowv);
	else
		s->rows_ok = 0;
	memset(s->rowseen, 0, s->g->ncols);
	s->rowhave = 0;
}

void wl_stream_rows_end(struct wl_stream *s)
{
	if (s->rows_ok && s->rowhave)
		row_flush(s);
}

/* One value of a grid column at t: rows are the runs of equal t. */
static void row_add(struct wl_stream *s, size_t col, double t, double v)
{
	if (s->rowhave && t != s->row_t)
		row_flush(s);
	if (s->rowseen[col]) {
		s->rows_ok = 0;
		return;
	}
	s->rowseen[col] = 1;
	s->rowv[col] = v;
	s->rowhave++;
	s->row_t = t;
}

/* The grid position of t, (t - t0) / step, once per time in a lane. */
static double grid_x(struct wl_stream *s, struct wl_slane *l, double t)
{
	if (!(t == l->gx_t)) { /* NaN at first */
		l->gx_t = t;
		l->gx = (t - s->g->t0) * (1.0 / s->g->step_s);
	}
	return l->gx;
}

/* The row correlation's part of a reading of a grid column. */
static void grid_row(struct wl_stream *s, size_t col, double x, double t, double v)
{
	if (x < 0 || t > s->g_end)
		return;
	if (isnan(v))
		s->rows_ok = 0; /* a row without this column */
	else if (s->rows_ok)
		row_add(s, col, t, v);
}

void wl_stream_row2(struct wl_stream *s, size_t col, double t, double v)
{
	grid_row(s, col, grid_x(s, &s->lane[0], t), t, v);
}

/* resample.c's accumulate(): bin k = floor((t - t0) / step) of grid
 * column col, for the readings t[0..n), v[0..n) at grid positions
 * x[0..n) in order (a bin's sum and count in registers while the
 * readings stay in it: the same additions in the same order). */
static void grid_bin(struct wl_stream *s, size_t col, const double *x, const double *t,
		     const double *v, size_t n)
{
	const struct wl_grid *g = s->g;
	size_t r, k, at = SIZE_MAX;
	double *gv, sum = 0;
	unsigned *gc, cnt = 0;

	if (!g) /* no grid: not gridded */
		return;
	gv = g->v + col * g->nbins;
	gc = s->gcnt + col * g->nbins;
	for (r = 0; r < n; r++) {
		if (x[r] < 0 || t[r] > s->g_end || isnan(v[r]))
			continue;
		k = (size_t)x[r];
		if (k >= g->nbins)
			continue;
		if (k != at) {
			if (at != SIZE_MAX) {
				gv[at] = sum;
				gc[at] = cnt;
			}
			at = k;
			sum = gv[k];
			cnt = gc[k];
		}
		sum += v[r];
		cnt++;
	}
	if (at != SIZE_MAX) {
		gv[at] = sum;
		gc[at] = cnt;
	}
}

/* The bins and the row correlation (lane 0: in lanes, wl_stream_row2 in
 * lane 0 does it for the other lanes' channels). */
static void grid_add(struct wl_stream *s, int lane, size_t col, double t, double v)
{
	double x = grid_x(s, &s->lane[lane], t);

	if (lane == 0)
		grid_row(s, col, x, t, v);
	grid_bin(s, col, &x, &t, &v, 1);
}

/* The multi-channel sum of a component at the instants all its channels
 * share (stream.h). */
static void peak_point(struct wl_scomp *c, double t, double p)
{
	if (c->m == 1) {
		if (!isnan(p) && (isnan(c->peak) || p > c->peak))
			c->peak = p;
		return;
	}
	if (c->cnt && t != c->pend_t) {
		if (c->cnt == c->m && !isnan(c->pend_sum) &&
		    (isnan(c->peak) || c->pend_sum > c->peak))
			c->peak = c->pend_sum;
		c->cnt = 0;
	}
	if (!c->cnt) {
		c->pend_t = t;
		c->pend_sum = 0;
	}
	c->pend_sum += p;
	c->cnt++;
}

void wl_stream_peak_end(struct wl_stream *s)
{
	size_t i;

	for (i = 0; i < s->ncomp; i++)
		peak_point(&s->comp[i], INFINITY, 0);
}

/* One point (t, p) of channel c's power series, or of a counter's rate
 * series (wl_counter_rate_of: its statistics). */
static void point(struct wl_stream *s, struct wl_schan *c, int counter, double t, double p)
{
	if (c->power)
		wl_energy_acc_point(&s->acc[c - s->ch], t, p);
	if (c->npts) {
		double a = c->pt_t;

		if (counter && !isnan(p) && in_window(s, t) && in_window(s, a)) {
			wl_sstat_p2(&c->st, &p, 1, NULL);
			c->st.twa_e += p * (t - a);
			c->st.twa_span += t - a;
		}
		if (counter && c->gridded)
			grid_add(s, c->lane, c->col, t, p);
	}
	if (c->comp >= 0 && t >= s->e_from && t <= s->e_to)
		peak_point(&s->comp[c->comp], t, p);
	c->pt_t = t;
	c->pt_p = p;
	c->npts++;
}

/* Adds a bin to the decimated copy: a gauge's mean time and value, a
 * counter's last reading. */
static int decim_push(struct wl_dataset *ds, size_t i, int counter, const struct wl_sdbin *b)
{
	if (!b->n)
		return 0;
	if (counter)
		return wl_channel_push(&ds->ch[i], b->last_t, b->last_v);
	return wl_channel_push(&ds->ch[i], b->sum_t / (double)b->n, b->sum_v / (double)b->n);
}

/* The decimation bin of t, floor((t - d0) / dstep) (a cast when the
 * quotient is >= 0: the same integer without a call). */
static long decim_k(const struct wl_stream *s, double t)
{
	double q = (t - s->d0) / s->dstep;

	return q >= 0 ? (long)q : (long)floor(q);
}

/* decim_k once per time in a lane. */
static long decim_bin(struct wl_stream *s, struct wl_slane *l, double t)
{
	if (!(t == l->dk_t)) { /* NaN at first */
		l->dk_t = t;
		l->dk = decim_k(s, t);
	}
	return l->dk;
}

/* The decimated copy (stream.h): a counter's first reading as read (its
 * baseline), then per bin of dstep s the gauge mean or counter's last
 * reading.  A bin is written one bin late, so that a last bin holding
 * fewer than half the readings of the one before is merged into it (a
 * lone reading at the end does not weigh as a whole bin).  Readings
 * t[0..n), v[0..n) in bins dk[0..n), in order (the open bin in registers
 * meanwhile). */
static int decimate(struct wl_dataset *ds, size_t i, struct wl_schan *c, int counter,
		    const long *dk, const double *t, const double *v, size_t n)
{
	double st = c->open.sum_t, sv = c->open.sum_v, lt = c->open.last_t, lv = c->open.last_v;
	size_t r, cnt = c->open.n;
	long bin = c->dbin;
	int rc = 0;

	if (counter && c->seen == 1)
		return wl_channel_push(&ds->ch[i], t[0], v[0]); /* n = 1 */
	for (r = 0; r < n; r++) {
		if (!counter && isnan(v[r]))
			continue;
		if (cnt && dk[r] != bin) {
			if ((rc = decim_push(ds, i, counter, &c->held)))
				break;
			c->held.n = cnt;
			c->held.sum_t = st;
			c->held.sum_v = sv;
			c->held.last_t = lt;
			c->held.last_v = lv;
			cnt = 0;
			st = sv = 0;
		}
		bin = dk[r];
		cnt++;
		st += t[r];
		sv += v[r];
		lt = t[r];
		lv = v[r];
	}
	c->open.n = cnt;
	c->open.sum_t = st;
	c->open.sum_v = sv;
	c->open.last_t = lt;
	c->open.last_v = lv;
	c->dbin = bin;
	return rc;
}

int wl_stream_decim_end(struct wl_stream *s, struct wl_dataset *ds)
{
	size_t i;

	for (i = 0; i < s->nch; i++) {
		struct wl_schan *c = &s->ch[i];
		int counter = c->counter;

		if (c->held.n && 2 * c->open.n < c->held.n) {
			c->held.n += c->open.n;
			c->held.sum_t += c->open.sum_t;
			c->held.sum_v += c->open.sum_v;
			if (c->open.n) {
				c->held.last_t = c->open.last_t;
				c->held.last_v = c->open.last_v;
			}
			c->open.n = 0;
		}
		if (decim_push(ds, i, counter, &c->held) || decim_push(ds, i, counter, &c->open))
			return -1;
	}
	return 0;
}

/* The time-weighted average of a gauge's readings t[0..n), v[0..n) with
 * in[r] (in NULL: all) and not NaN: the trapezoid of each interval to the
 * reading before, gaps (> max_gap) left out. */
static void twa(struct wl_schan *c, const double *t, const double *v, size_t n,
		const unsigned char *in)
{
	double e = c->st.twa_e, span = c->st.twa_span, pt = c->sprev_t, pv = c->sprev_v;
	int have = c->have_sprev;
	size_t r;

	for (r = 0; r < n; r++) {
		if (isnan(v[r]) || (in && !in[r]))
			continue;
		if (have) {
			double dt = t[r] - pt;
			if (!(dt <= 0 || (c->max_gap > 0 && dt > c->max_gap))) {
				e += dt * 0.5 * (v[r] + pv);
				span += dt;
			}
		}
		have = 1;
		pt = t[r];
		pv = v[r];
	}
	c->st.twa_e = e;
	c->st.twa_span = span;
	c->sprev_t = pt;
	c->sprev_v = pv;
	c->have_sprev = have;
}

/* Readings t[0..n), v[0..n) of gauge channel i in order: the decimated
 * copy, the power series, the statistics and time-weighted average in the
 * window, the grid's bins; dk[r] and gx[r] the decimation bin and grid
 * position of t[r], in[r] whether t[r] is in the statistics window (in
 * NULL: every one).  Each a loop of its own: they share no state. */
static int gauge2(struct wl_stream *s, struct wl_dataset *ds, size_t i, const double *t,
		  const double *v, size_t n, const long *dk, const double *gx,
		  const unsigned char *in)
{
	struct wl_schan *c = &s->ch[i];
	size_t r;

	c->seen += n;
	if (decimate(ds, i, c, 0, dk, t, v, n))
		return -1;
	if (c->power)
		for (r = 0; r < n; r++)
			point(s, c, 0, t[r], wl_gauge_norm_step(&c->gn, t[r], v[r] * c->f));
	wl_sstat_p2(&c->st, v, n, in);
	twa(c, t, v, n, in);
	if (c->gridded)
		grid_bin(s, c->col, gx, t, v, n);
	return 0;
}

int wl_stream_sample2(struct wl_stream *s, struct wl_dataset *ds, size_t i, double t, double v)
{
	struct wl_schan *c = &s->ch[i];
	struct wl_slane *l = &s->lane[c->lane];
	long k = decim_bin(s, l, t);
	double p, x;
	unsigned char in;

	if (!c->counter) { /* not ds->ch[i].kind: the other lane writes its
			      channels' n and t beside it */
		x = s->g ? grid_x(s, l, t) : 0;
		in = (unsigned char)in_window(s, t);
		if (gauge2(s, ds, i, &t, &v, 1, &k, &x, &in))
			return -1;
		if (c->gridded && c->lane == 0 && !isnan(v))
			grid_row(s, c->col, x, t, v);
		return 0;
	}
	c->seen++;
	if (decimate(ds, i, c, 1, &k, &t, &v, 1))
		return -1;
	if (wl_counter_norm_step(&c->cn, t, v, &p))
		point(s, c, 1, t, p);
	return 0;
}

/* Room in lane l's scratch for rows rows and cols columns. */
static int scratch(struct wl_slane *l, size_t rows, size_t cols)
{
	if (rows > l->rrows) {
		long *dk = realloc(l->rdk, rows * sizeof(*dk));
		double *gx;
		unsigned char *in;

		if (dk)
			l->rdk = dk;
		gx = realloc(l->rgx, rows * sizeof(*gx));
		if (gx)
			l->rgx = gx;
		in = realloc(l->rin, rows);
		if (in)
			l->rin = in;
		if (!dk || !gx || !in)
			return -1;
		l->rrows = rows;
	}
	if (cols > l->rcols) {
		size_t *gk = realloc(l->rgk, cols * sizeof(*gk));

		if (!gk)
			return -1;
		l->rgk = gk;
		l->rcols = cols;
	}
	return 0;
}

/* Row r of b holds every grid column (its columns gk[0..ncols) of the
 * grid, distinct): when it starts a row of the row correlation and holds
 * no NaN, what row_add would do with each of its values, at once; 1 done,
 * 0 not (row_add's way then). */
static int whole_row(struct wl_stream *s, const struct wl_srows *b, const size_t *gk, size_t r)
{
	size_t k, m = s->g->ncols;
	double t = b->t[r];

	if (s->rowhave && t != s->row_t)
		row_flush(s);
	if (s->rowhave || !s->rows_ok)
		return !s->rows_ok;
	for (k = 0; k < m; k++)
		if (isnan(b->v[gk[k] * b->cap + r]))
			return 0;
	for (k = 0; k < m; k++)
		s->rowv[s->ch[b->ch[gk[k]]].col] = b->v[gk[k] * b->cap + r];
	memset(s->rowseen, 1, m);
	s->rowhave = m;
	s->row_t = t;
	return 1;
}

/* What a reading at a time would do with the rows of b (the channels of
 * b with what[ch] 1: wl_stream_sample2, 2: wl_stream_row2) in file order. */
static int rows_each(struct wl_stream *s, struct wl_dataset *ds, const struct wl_srows *b,
		     const unsigned char *what)
{
	size_t r, k;

	for (r = 0; r < b->n; r++)
		for (k = 0; k < b->ncol; k++) {
			uint32_t i = b->ch[k];
			double v = b->v[k * b->cap + r];

			if (what[i] == 1 && wl_stream_sample2(s, ds, i, b->t[r], v))
				return -1;
			if (what[i] == 2)
				wl_stream_row2(s, s->ch[i].col, b->t[r], v);
		}
	return 0;
}

int wl_stream_rows2(struct wl_stream *s, struct wl_dataset *ds, const struct wl_srows *b,
		    int lane, const unsigned char *what)
{
	struct wl_slane *l = &s->lane[lane];
	const unsigned char *in = NULL;
	size_t r, k, ng = 0, nin = 0;

	for (k = 0; k < b->ncol; k++) {
		const struct wl_schan *c = &s->ch[b->ch[k]];

		if (!what[b->ch[k]])
			continue;
		if (c->counter || (c->comp >= 0 && s->comp[c->comp].m > 1))
			return rows_each(s, ds, b, what); /* a counter, or a peak over
							     several channels at each instant */
	}
	if (scratch(l, b->n, b->ncol))
		return -1;
	for (r = 0; r < b->n; r++) {
		l->rdk[r] = decim_k(s, b->t[r]);
		l->rin[r] = (unsigned char)in_window(s, b->t[r]);
		nin += l->rin[r];
		l->rgx[r] = s->g ? (b->t[r] - s->g->t0) * (1.0 / s->g->step_s) : 0;
	}
	if (nin < b->n)
		in = l->rin;
	for (k = 0; k < b->ncol; k++) {
		uint32_t i = b->ch[k];

		if (what[i] == 1 &&
		    gauge2(s, ds, i, b->t, b->v + k * b->cap, b->n, l->rdk, l->rgx, in))
			return -1;
		if (lane == 0 && what[i] && s->ch[i].gridded)
			l->rgk[ng++] = k;
	}
	if (lane != 0 || !s->g)
		return 0;
	for (r = 0; r < b->n && s->rows_ok; r++) { /* the row correlation, in file order */
		if (l->rgx[r] < 0 || b->t[r] > s->g_end)
			continue;
		if (ng == s->g->ncols && whole_row(s, b, l->rgk, r))
			continue;
		for (k = 0; k < ng; k++) {
			uint32_t i = b->ch[l->rgk[k]];
			double v = b->v[l->rgk[k] * b->cap + r];

			if (isnan(v)) { /* sample2 leaves it out, row2 says not single-rate */
				if (what[i] == 2)
					s->rows_ok = 0;
				continue;
			}
			if (s->rows_ok)
				row_add(s, s->ch[i].col, b->t[r], v);
		}
	}
	return 0;
}

int wl_stream_lanes(struct wl_stream *s, const struct wl_dataset *ds, int want)
{
	size_t i, j, total = 0, load[WL_STREAM_LANES] = { 0 };

	s->lanes = 0;
	for (i = 0; i < s->nch; i++) {
		s->ch[i].lane = 0;
		total += s->ch[i].nraw;
		if (s->ch[i].gridded && ds->ch[i].kind == WL_DS_COUNTER)
			want = 0; /* its grid value is a point of its power: one lane */
	}
	if (!want || s->nch < 2)
		return 0;
	load[0] = s->g && s->rows_ok ? total / 3 : 0; /* lane 0 gathers the rows too */
	for (i = 0; i < s->nch; i++) {
		size_t l = 0;

		for (j = 0; j < i; j++) /* a component's channels share its peak */
			if (s->ch[i].comp >= 0 && s->ch[j].comp == s->ch[i].comp)
				break;
		if (j < i)
			l = (size_t)s->ch[j].lane;
		else
			for (j = 1; j < WL_STREAM_LANES; j++)
				if (load[j] < load[l])
					l = j;
		s->ch[i].lane = (int)l;
		load[l] += s->ch[i].nraw;
	}
	s->lanes = WL_STREAM_LANES;
	return 1;
}
