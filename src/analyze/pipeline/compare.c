/*
 * compare.c - the compare table: rows (folders, or values of --by), the
 * union of the runs' columns, each row's statistics over its runs, the
 * ratios to the baseline row, and the order of the rows.  Definitions and
 * formulas in compare.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/compare.h"

long wl_cmp_col_find(const struct wl_cmp_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (!strcmp(t->col[i].name, name))
			return (long)i;
	return -1;
}

static double number(const char *s)
{
	char *end;
	double d;

	if (!s || !*s)
		return NAN;
	d = strtod(s, &end);
	return *end ? NAN : d;
}

double wl_cmp_row_key_num(const struct wl_cmp_row *r, const char *key)
{
	return number(wl_cmp_kv_get(r->kv, r->nkv, key));
}

/* Columns: the union of every run's values, ordered by group, then by first
 * appearance. */
static int columns(const struct wl_cmp_folder *f, size_t n, struct wl_cmp_table *t)
{
	size_t i, j, k, cap = 0;
	int g;

	for (g = WL_CMP_G_TIME; g <= WL_CMP_G_CARBON; g++)
		for (i = 0; i < n; i++)
			for (j = 0; j < f[i].nrun; j++)
				for (k = 0; k < f[i].run[j].nval; k++) {
					const struct wl_cmp_val *v = &f[i].run[j].val[k];
					struct wl_cmp_col *nc;

					if (v->group != g || wl_cmp_col_find(t, v->name) >= 0)
						continue;
					if (t->ncol == cap) {
						cap = cap ? 2 * cap : 32;
						nc = realloc(t->col, cap * sizeof(*nc));
						if (!nc)
							return -1;
						t->col = nc;
					}
					nc = &t->col[t->ncol++];
					memcpy(nc->name, v->name, sizeof(nc->name));
					memcpy(nc->unit, v->unit, sizeof(nc->unit));
					nc->group = g;
				}
	return 0;
}

static long row_of(struct wl_cmp_table *t, const char *label)
{
	size_t i;

	for (i = 0; i < t->nrow; i++)
		if (!strcmp(t->row[i].label, label))
			return (long)i;
	return -1;
}

/* Keys equal in every folder of the row. */
static void common_keys(struct wl_cmp_row *r)
{
	size_t i, k;

	r->nkv = 0;
	for (k = 0; r->nf && k < r->f[0]->nkv; k++) {
		const struct wl_cmp_kv *kv = &r->f[0]->kv[k];

		for (i = 1; i < r->nf; i++) {
			const char *v = wl_cmp_kv_get(r->f[i]->kv, r->f[i]->nkv, kv->key);

			if (!v || strcmp(v, kv->value))
				break;
		}
		if (i == r->nf)
			r->kv[r->nkv++] = *kv;
	}
}

static int dup_name(const struct wl_cmp_folder *f, size_t n, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (j != i && !f[j].err[0] && !strcmp(f[j].name, f[i].name))
			return 1;
	return 0;
}

static int rows(const struct wl_cmp_folder *f, size_t n, const char *by,
		struct wl_cmp_table *t)
{
	size_t i;
	long r;
	char label[160];

	t->row = calloc(n, sizeof(*t->row));
	if (!t->row)
		return -1;
	for (i = 0; i < n; i++) {
		const struct wl_cmp_folder **nf;
		const char *v;

		if (f[i].err[0])
			continue;
		if (by) {
			v = wl_cmp_kv_get(f[i].kv, f[i].nkv, by);
			snprintf(label, sizeof(label), "%s=%s", by, v ? v : "?");
			r = row_of(t, label);
		} else {
			/* the base name, or the folder as given when two share it */
			snprintf(label, sizeof(label), "%s",
				 dup_name(f, n, i) ? f[i].dir : f[i].name);
			r = -1;
		}
		if (r < 0) {
			r = (long)t->nrow++;
			memcpy(t->row[r].label, label, sizeof(label));
		}
		nf = realloc(t->row[r].f, (t->row[r].nf + 1) * sizeof(*nf));
		if (!nf)
			return -1;
		t->row[r].f = nf;
		nf[t->row[r].nf++] = &f[i];
		t->row[r].nruns += f[i].nrun;
	}
	for (i = 0; i < t->nrow; i++)
		common_keys(&t->row[i]);
	return 0;
}

static int row_stats(struct wl_cmp_table *t, struct wl_cmp_row *r)
{
	double *x = malloc((r->nruns ? r->nruns : 1) * sizeof(*x));
	size_t c, i, j, k;

	r->st = calloc(t->ncol ? t->ncol : 1, sizeof(*r->st));
	r->ratio = malloc((t->ncol ? t->ncol : 1) * sizeof(double));
	r->ratio_se = malloc((t->ncol ? t->ncol : 1) * sizeof(double));
	if (!x || !r->st || !r->ratio || !r->ratio_se) {
		free(x);
		return -1;
	}
	for (c = 0; c < t->ncol; c++) {
		k = 0;
		for (i = 0; i < r->nf; i++)
			for (j = 0; j < r->f[i]->nrun; j++)
				x[k++] = wl_cmp_run_get(&r->f[i]->run[j], t->col[c].name);
		wl_cmp_stat_compute(x, k, &r->st[c]);
		r->ratio[c] = r->ratio_se[c] = NAN;
	}
	free(x);
	return 0;
}

/* ---- order -------------------------------------------------------------- */

struct sort_ctx {
	const struct wl_cmp_table *t;
	const char *key;
	long col;
	int desc, numeric;
};

static int cmp_num(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b); /* absent last, either way */
	return (a > b) - (a < b);
}

/* Natural order: runs of digits compare as numbers (bs8 before bs32, leading
 * zeros aside), everything else byte by byte. */
static int natcmp(const char *a, const char *b)
{
	size_t la, lb;
	int c;

	while (*a && *b) {
		if (!isdigit((unsigned char)*a) || !isdigit((unsigned char)*b)) {
			if (*a != *b)
				return (unsigned char)*a - (unsigned char)*b;
			a++, b++;
			continue;
		}
		while (*a == '0' && isdigit((unsigned char)a[1]))
			a++;
		while (*b == '0' && isdigit((unsigned char)b[1]))
			b++;
		for (la = 0; isdigit((unsigned char)a[la]); la++)
			;
		for (lb = 0; isdigit((unsigned char)b[lb]); lb++)
			;
		if (la != lb)
			return la < lb ? -1 : 1;
		if ((c = strncmp(a, b, la)))
			return c;
		a += la;
		b += lb;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct wl_cmp_row *a = pa, *b = pb;
	const struct sort_ctx *s = arg;
	int c;

	if (s->col >= 0) {
		double x = a->st[s->col].mean, y = b->st[s->col].mean;

		if (isnan(x) || isnan(y))
			return isnan(x) - isnan(y);
		c = cmp_num(x, y);
	} else if (s->numeric) {
		double x = wl_cmp_row_key_num(a, s->key), y = wl_cmp_row_key_num(b, s->key);

		if (isnan(x) || isnan(y))
			return isnan(x) - isnan(y);
		c = cmp_num(x, y);
	} else if (!s->key) {
		c = natcmp(a->label, b->label);
	} else {
		const char *x = wl_cmp_kv_get(a->kv, a->nkv, s->key);
		const char *y = wl_cmp_kv_get(b->kv, b->nkv, s->key);

		if (!x || !y)
			return !x - !y;
		c = natcmp(x, y);
	}
	return s->desc ? -c : c;
}

static int order(struct wl_cmp_table *t, const char *sort_key, struct wl_error *err)
{
	struct sort_ctx s;
	size_t i, have = 0, num = 0;

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.col = -1;
	if (!sort_key)
		sort_key = t->by ? t->by : "label"; /* default: folder names, naturally */
	if (*sort_key == '-') {
		s.desc = 1;
		sort_key++;
	}
	if (strcmp(sort_key, "label") && strcmp(sort_key, "name")) {
		s.key = sort_key;
		s.col = wl_cmp_col_find(t, sort_key);
		for (i = 0; s.col < 0 && i < t->nrow; i++)
			if (wl_cmp_kv_get(t->row[i].kv, t->row[i].nkv, sort_key)) {
				have++;
				num += !isnan(wl_cmp_row_key_num(&t->row[i], sort_key));
			}
		if (s.col < 0 && !have)
			return wl_error_set(err, "unknown --sort key '%s': neither a column nor a "
					    "key of any folder", sort_key);
		s.numeric = have && num == have;
	}
	qsort_r(t->row, t->nrow, sizeof(*t->row), cmp_rows, &s);
	return 0;
}

/* ---- baseline ------------------------------------------------------------ */

static int names_folder(const struct wl_cmp_folder *f, const char *s)
{
	size_t a = strlen(s), b = strlen(f->dir);

	while (a > 1 && s[a - 1] == '/')
		a--;
	while (b > 1 && f->dir[b - 1] == '/')
		b--;
	return (a == b && !strncmp(s, f->dir, a)) || !strcmp(s, f->name);
}

static long find_baseline(const struct wl_cmp_table *t, const char *baseline)
{
	size_t i, j;
	char label[160];

	for (i = 0; i < t->nrow; i++)
		for (j = 0; j < t->row[i].nf; j++)
			if (names_folder(t->row[i].f[j], baseline))
				return (long)i;
	if (t->by) {
		snprintf(label, sizeof(label), "%s=%s", t->by, baseline);
		for (i = 0; i < t->nrow; i++)
			if (!strcmp(t->row[i].label, label) || !strcmp(t->row[i].label, baseline))
				return (long)i;
	}
	return -1;
}

int wl_cmp_table_build(const struct wl_cmp_folder *f, size_t n, const char *by,
		       const char *baseline, const char *sort_key, struct wl_cmp_table *t,
		       struct wl_error *err)
{
	size_t i, c;

	memset(t, 0, sizeof(*t));
	t->baseline = -1;
	t->by = by;
	if (columns(f, n, t) || rows(f, n, by, t))
		goto oom;
	if (!t->nrow)
		return wl_error_set(err, "no folder to compare: every folder failed");
	for (i = 0; i < t->nrow; i++)
		if (row_stats(t, &t->row[i]))
			goto oom;
	if (order(t, sort_key, err))
		return -1;
	if (baseline) {
		t->baseline = find_baseline(t, baseline);
		if (t->baseline < 0)
			return wl_error_set(err, "--baseline '%s' is none of the folders "
					    "compared%s", baseline, by ? " nor a value of --by" : "");
		for (i = 0; i < t->nrow; i++)
			for (c = 0; c < t->ncol; c++)
				wl_cmp_ratio(&t->row[i].st[c], &t->row[t->baseline].st[c],
					     &t->row[i].ratio[c], &t->row[i].ratio_se[c]);
		/* the baseline against itself: exactly 1, no uncertainty */
		for (c = 0; c < t->ncol; c++)
			if (isfinite(t->row[t->baseline].ratio[c]))
				t->row[t->baseline].ratio_se[c] = 0;
	}
	return 0;
oom:
	return wl_error_set(err, "out of memory building the compare table");
}

void wl_cmp_table_release(struct wl_cmp_table *t)
{
	size_t i;

	for (i = 0; i < t->nrow; i++) {
		free(t->row[i].f);
		free(t->row[i].st);
		free(t->row[i].ratio);
		free(t->row[i].ratio_se);
	}
	free(t->row);
	free(t->col);
	memset(t, 0, sizeof(*t));
	t->baseline = -1;
}
