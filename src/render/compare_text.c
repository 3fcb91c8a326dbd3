/*
 * compare_text.c - the compare table as text (aligned columns), Markdown
 * and CSV.  Absent values: "-" (text, markdown), empty (csv), never 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/compare.h"
#include "wattlog/csv_out.h"

#define MAXRC 8
#define CELL 208

/* 4 significant digits, plain notation between 1e-3 and 1e6. */
static void fmt(char *buf, size_t len, double v)
{
	double a = fabs(v);
	int d;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (a != 0 && (a < 1e-3 || a >= 1e6)) {
		snprintf(buf, len, "%.3e", v);
		return;
	}
	d = a == 0 ? 0 : 3 - (int)floor(log10(a));
	if (d < 0)
		d = 0;
	snprintf(buf, len, "%.*f", d, v);
}

/* Decimals that show 2 significant digits of a > 0. */
static int decimals2(double a)
{
	int d = 1 - (int)floor(log10(a));

	return d < 0 ? 0 : d > 12 ? 12 : d;
}

/* "mean ± ci": the CI to 2 significant digits, the mean to 4 or to the
 * CI's last digit, whichever is finer (one run: the mean alone). */
static void cell_pm(char *buf, size_t len, double m, double ci)
{
	char a[48];
	int d;

	fmt(a, sizeof(a), m);
	if (!isfinite(m) || !isfinite(ci) || !(ci > 0) || ci < 1e-3 || ci >= 1e6 ||
	    fabs(m) >= 1e6) {
		if (isfinite(m) && ci == 0)
			snprintf(buf, len, "%s ± 0", a);
		else if (isfinite(m) && isfinite(ci))
			snprintf(buf, len, "%s ± %.1e", a, ci);
		else
			snprintf(buf, len, "%s", a);
		return;
	}
	d = decimals2(ci);
	if (m != 0 && fabs(m) >= 1e-3) {
		int dm = 3 - (int)floor(log10(fabs(m)));

		if (dm > d)
			d = dm;
	}
	snprintf(buf, len, "%.*f ± %.*f", d, m, decimals2(ci), ci);
}

/* Display width of UTF-8 text: bytes that start a character. */
static size_t dwidth(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void pad(FILE *fp, const char *s, size_t w, int right)
{
	size_t k = dwidth(s);

	if (right)
		for (; k < w; k++)
			fputc(' ', fp);
	fputs(s, fp);
	if (!right)
		for (; k < w; k++)
			fputc(' ', fp);
}

/* Ratio columns: the named ones that exist (default energy_j and
 * j_per_token). */
static size_t ratio_cols(const struct wl_cmp_table *t, const char *spec, long *rc)
{
	char buf[512], *tok, *save;
	size_t n = 0;
	long c;

	if (t->baseline < 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s", spec ? spec : "energy_j,j_per_token");
	for (tok = strtok_r(buf, ",", &save); tok && n < MAXRC; tok = strtok_r(NULL, ",", &save))
		if ((c = wl_cmp_col_find(t, tok)) >= 0)
			rc[n++] = c;
	return n;
}

int wl_cmp_text(FILE *fp, const struct wl_cmp_table *t, const char *rspec, int markdown,
		struct wl_error *err)
{
	long rc[MAXRC];
	size_t nr = ratio_cols(t, rspec, rc), ncell = 2 + t->ncol + nr, i, c, k;
	long ec = wl_cmp_col_find(t, "energy_j");
	size_t *w = calloc(ncell, sizeof(*w));
	char (*cell)[CELL] = calloc((t->nrow + 1) * ncell, sizeof(*cell));
	char tmp[CELL];

	if (!w || !cell) {
		free(w);
		free(cell);
		return wl_error_set(err, "out of memory");
	}
	snprintf(cell[0], CELL, "%s", t->by ? t->by : "folder");
	snprintf(cell[1], CELL, "runs");
	for (c = 0; c < t->ncol; c++)
		snprintf(cell[2 + c], CELL, "%s", t->col[c].name);
	for (k = 0; k < nr; k++)
		snprintf(cell[2 + t->ncol + k], CELL, "ratio %s", t->col[rc[k]].name);
	for (i = 0; i < t->nrow; i++) {
		const struct wl_cmp_row *r = &t->row[i];
		char (*row)[CELL] = cell + (i + 1) * ncell;

		snprintf(row[0], CELL, "%s%s", r->label,
			 (long)i != t->baseline ? "" : markdown ? " (baseline)" : " *");
		snprintf(row[1], CELL, "%zu", r->nruns);
		for (c = 0; c < t->ncol; c++)
			cell_pm(row[2 + c], CELL, r->st[c].mean, r->st[c].ci);
		for (k = 0; k < nr; k++) {
			cell_pm(tmp, sizeof(tmp), r->ratio[rc[k]], r->ratio_se[rc[k]]);
			snprintf(row[2 + t->ncol + k], CELL, "%s", tmp);
		}
	}
	for (i = 0; i <= t->nrow; i++)
		for (c = 0; c < ncell; c++)
			if (dwidth(cell[i * ncell + c]) > w[c])
				w[c] = dwidth(cell[i * ncell + c]);
	fprintf(fp, "compare: %zu row%s; cells: mean ± 95%% CI half-width (Student t, "
		    "n-1 df) over the runs of a row%s\n", t->nrow, t->nrow == 1 ? "" : "s",
		t->baseline < 0 ? "" : markdown ?
		"; ratio to the baseline ± standard error (delta method)" :
		"; * baseline, ratio ± standard error (delta method)");
	if (markdown)
		fputc('\n', fp);
	for (i = 0; i <= t->nrow; i++) {
		for (c = 0; c < ncell; c++) {
			fputs(markdown ? (c ? " | " : "| ") : (c ? "  " : ""), fp);
			pad(fp, cell[i * ncell + c], w[c], c > 0 && i > 0);
		}
		fputs(markdown ? " |\n" : "\n", fp);
		if (markdown && i == 0) {
			for (c = 0; c < ncell; c++) {
				fputs(c ? " | " : "| ", fp);
				for (k = 0; k < w[c]; k++)
					fputc(k + 1 == w[c] && c ? ':' : '-', fp);
			}
			fputs(" |\n", fp);
		}
	}
	/* the total energy in full: mean, sd, CI bounds */
	if (ec >= 0) {
		fprintf(fp, "\nenergy_j (J): mean, sd, 95%% CI\n");
		for (i = 0; i < t->nrow; i++) {
			const struct wl_cmp_stat *s = &t->row[i].st[ec];
			char m[48], sd[48], lo[48], hi[48];

			fmt(m, sizeof(m), s->mean);
			fmt(sd, sizeof(sd), s->sd);
			fmt(lo, sizeof(lo), s->mean - s->ci);
			fmt(hi, sizeof(hi), s->mean + s->ci);
			fprintf(fp, "%s%s: n %zu, mean %s, sd %s, CI [%s, %s]\n",
				markdown ? "- " : "  ", t->row[i].label, s->n, m, sd, lo, hi);
		}
	}
	free(w);
	free(cell);
	if (ferror(fp))
		return wl_error_set(err, "cannot write the compare table");
	return 0;
}

int wl_cmp_csv(FILE *fp, const struct wl_cmp_table *t, struct wl_error *err)
{
	static const char *const suf[] = { "n", "mean", "sd", "se", "ci95", "ratio", "ratio_se" };
	struct wl_cmp_kv keys[WL_CMP_MAX_KV];
	size_t nk = 0, i, k, c;

	for (i = 0; i < t->nrow; i++)
		for (k = 0; k < t->row[i].nkv; k++)
			if (!wl_cmp_kv_get(keys, nk, t->row[i].kv[k].key))
				wl_cmp_kv_set(keys, WL_CMP_MAX_KV, &nk, t->row[i].kv[k].key, "");
	fputs("label,baseline,runs", fp);
	for (k = 0; k < nk; k++) {
		fputc(',', fp);
		wl_csv_field(fp, keys[k].key);
	}
	for (c = 0; c < t->ncol; c++)
		for (k = 0; k < sizeof(suf) / sizeof(suf[0]); k++)
			fprintf(fp, ",%s_%s", t->col[c].name, suf[k]);
	fputc('\n', fp);
	for (i = 0; i < t->nrow; i++) {
		const struct wl_cmp_row *r = &t->row[i];

		wl_csv_field(fp, r->label);
		fprintf(fp, ",%d,%zu", (long)i == t->baseline, r->nruns);
		for (k = 0; k < nk; k++) {
			const char *v = wl_cmp_kv_get(r->kv, r->nkv, keys[k].key);

			fputc(',', fp);
			if (v)
				wl_csv_field(fp, v);
		}
		for (c = 0; c < t->ncol; c++) {
			fprintf(fp, ",%zu", r->st[c].n);
			wl_csv_value(fp, r->st[c].mean);
			wl_csv_value(fp, r->st[c].sd);
			wl_csv_value(fp, r->st[c].se);
			wl_csv_value(fp, r->st[c].ci);
			wl_csv_value(fp, r->ratio[c]);
			wl_csv_value(fp, r->ratio_se[c]);
		}
		fputc('\n', fp);
	}
	if (ferror(fp))
		return wl_error_set(err, "cannot write the compare table");
	return 0;
}
