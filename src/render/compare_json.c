/*
 * compare_json.c - the compare table as JSON (json-c):
 *   { "by": KEY|null, "baseline": LABEL|null,
 *     "columns": [ {"name", "unit"} ],
 *     "rows": [ { "label", "baseline": bool, "folders": [DIR], "runs": N,
 *                 "keys": {KEY: VALUE},
 *                 "metrics": { NAME: { "n", "mean", "sd", "se", "ci95": [lo, hi],
 *                                      "ratio", "ratio_se" } } } ],
 *     "failed": [ {"folder", "error"} ],
 *     "method": { "ci": ..., "ratio": ... } }
 * Absent numbers are null.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "wattlog/compare.h"
#include "wattlog/jsonout.h"

static struct json_object *num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static struct json_object *metric(const struct wl_cmp_row *r, size_t c)
{
	const struct wl_cmp_stat *s = &r->st[c];
	struct json_object *o = json_object_new_object(), *ci;

	json_object_object_add(o, "n", json_object_new_int64((int64_t)s->n));
	json_object_object_add(o, "mean", num(s->mean));
	json_object_object_add(o, "sd", num(s->sd));
	json_object_object_add(o, "se", num(s->se));
	if (isfinite(s->ci)) {
		ci = json_object_new_array();
		json_object_array_add(ci, num(s->mean - s->ci));
		json_object_array_add(ci, num(s->mean + s->ci));
	} else {
		ci = NULL;
	}
	json_object_object_add(o, "ci95", ci);
	json_object_object_add(o, "ratio", num(r->ratio[c]));
	json_object_object_add(o, "ratio_se", num(r->ratio_se[c]));
	return o;
}

static struct json_object *row(const struct wl_cmp_table *t, size_t i)
{
	const struct wl_cmp_row *r = &t->row[i];
	struct json_object *o = json_object_new_object(), *a, *k, *m;
	size_t j;

	json_object_object_add(o, "label", json_object_new_string(r->label));
	json_object_object_add(o, "baseline", json_object_new_boolean((long)i == t->baseline));
	a = json_object_new_array();
	for (j = 0; j < r->nf; j++)
		json_object_array_add(a, json_object_new_string(r->f[j]->dir));
	json_object_object_add(o, "folders", a);
	json_object_object_add(o, "runs", json_object_new_int64((int64_t)r->nruns));
	k = json_object_new_object();
	for (j = 0; j < r->nkv; j++)
		json_object_object_add(k, r->kv[j].key, json_object_new_string(r->kv[j].value));
	json_object_object_add(o, "keys", k);
	m = json_object_new_object();
	for (j = 0; j < t->ncol; j++)
		json_object_object_add(m, t->col[j].name, metric(r, j));
	json_object_object_add(o, "metrics", m);
	return o;
}

int wl_cmp_json(FILE *fp, const struct wl_cmp_table *t, const struct wl_cmp_folder *f,
		size_t nf, struct wl_error *err)
{
	struct json_object *root = json_object_new_object(), *a, *o;
	size_t i;

	if (!root)
		return wl_error_set(err, "out of memory");
	json_object_object_add(root, "by", t->by ? json_object_new_string(t->by) : NULL);
	json_object_object_add(root, "baseline", t->baseline >= 0 ?
				 json_object_new_string(t->row[t->baseline].label) : NULL);
	a = json_object_new_array();
	for (i = 0; i < t->ncol; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(t->col[i].name));
		json_object_object_add(o, "unit", json_object_new_string(t->col[i].unit));
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "columns", a);
	a = json_object_new_array();
	for (i = 0; i < t->nrow; i++)
		json_object_array_add(a, row(t, i));
	json_object_object_add(root, "rows", a);
	a = json_object_new_array();
	for (i = 0; i < nf; i++) {
		if (!f[i].err[0])
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "folder", json_object_new_string(f[i].dir));
		json_object_object_add(o, "error", json_object_new_string(f[i].err));
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "failed", a);
	o = json_object_new_object();
	json_object_object_add(o, "ci", json_object_new_string(
		"mean +- t(0.975, n-1) sd/sqrt(n), Student t, over the runs of a row"));
	json_object_object_add(o, "ratio", json_object_new_string(
		"r = mean/mean_baseline, se_r = |r| sqrt((se/mean)^2 + (se_b/mean_b)^2) "
		"(delta method)"));
	json_object_object_add(root, "method", o);
	if (wl_json_text(fp, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE))) {
		json_object_put(root);
		return wl_error_set(err, "cannot write the compare table: json-c could not render "
				    "it (more than 2 GiB of JSON, or out of memory)");
	}
	fputc('\n', fp);
	json_object_put(root);
	if (ferror(fp))
		return wl_error_set(err, "cannot write the compare table");
	return 0;
}
