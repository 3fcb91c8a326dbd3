/*
 * fit_model.c - the model file of `wattlog fit --model-out` (json-c; the
 * one file besides the JSON report writer and meta.json reader that uses
 * it).  Format, version 1 (README "Fitting a power model"):
 *   { "wattlog_model": 1,
 *     "model": "power-law" | "linear",
 *     "formula": "...",                       (for the reader; ignored)
 *     "power": "power.draw gpu0",             the measured power metric
 *     "metrics": [ { "name": "mfu gpu0", "unit": "ratio", "scale": 1 } ],
 *     "x_sat": 0.45,                          power law only
 *     "parameters": [ { "name": "p_idle_w", "value": V, "se": S,
 *                       "ci95": [LO, HI] }, ... ],
 *     "fit": { "n": N, "r2": R, "rmse_w": E, "residual_acf1": A,
 *              "grid_s": G, "phases": "prefill,decode" | null },
 *     "gpu": "NVIDIA H100" | null,
 *     "files": [ "run1.wlog", ... ],
 *     "assumptions": [ "...", ... ],
 *     "cross_validation": { "k": K, "folds": [ { "files": N, "measured_j":
 *         E, "predicted_j": E, "error_pct": P } ], "mean_abs_error_pct": P,
 *         "mean_error_pct": P } }         only with --cv
 * Parameters in order: power law p_idle_w, p_max_w, gamma; linear a, then
 * "b METRIC" per metric.  scale turns the metric's unit into the model's
 * x (0.01: a % metric as a ratio).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "wattlog/fit.h"
#include "wattlog/jsonread.h"

static struct json_object *num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static struct json_object *str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static struct json_object *cv_json(const struct wl_fit_cv *cv)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *e;
	size_t i;

	json_object_object_add(o, "k", json_object_new_int64((int64_t)cv->k));
	for (i = 0; i < cv->k; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "files", json_object_new_int64((int64_t)cv->fold[i].nfiles));
		json_object_object_add(e, "measured_j", num(cv->fold[i].measured_j));
		json_object_object_add(e, "predicted_j", num(cv->fold[i].predicted_j));
		json_object_object_add(e, "error_pct", num(cv->fold[i].error_pct));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "folds", a);
	json_object_object_add(o, "mean_abs_error_pct", num(cv->mean_abs_error_pct));
	json_object_object_add(o, "mean_error_pct", num(cv->mean_error_pct));
	return o;
}

static struct json_object *build(const struct wl_fit_model *m, const struct wl_dataset *notes,
				 const struct wl_fit_cv *cv)
{
	struct json_object *o = json_object_new_object(), *a, *e, *ci, *fit;
	size_t i;

	json_object_object_add(o, "wattlog_model", json_object_new_int(1));
	json_object_object_add(o, "model", json_object_new_string(
		m->kind == WL_FIT_POWER_LAW ? "power-law" : "linear"));
	json_object_object_add(o, "formula", json_object_new_string(
		m->kind == WL_FIT_POWER_LAW
		? "P = p_idle_w + (p_max_w - p_idle_w) * min(1, scale * x / x_sat)^gamma"
		: "P = a + sum_i b_i * scale_i * x_i"));
	json_object_object_add(o, "power", str(m->power));
	a = json_object_new_array();
	for (i = 0; i < m->nx; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(m->x[i]));
		json_object_object_add(e, "unit", json_object_new_string(m->x_unit[i]));
		json_object_object_add(e, "scale", json_object_new_double(m->x_scale[i]));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "metrics", a);
	if (m->kind == WL_FIT_POWER_LAW)
		json_object_object_add(o, "x_sat", num(m->x_sat));
	a = json_object_new_array();
	for (i = 0; i < m->np; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(m->p[i].name));
		json_object_object_add(e, "value", num(m->p[i].value));
		json_object_object_add(e, "se", num(m->p[i].se));
		ci = json_object_new_array();
		json_object_array_add(ci, num(m->p[i].ci_lo));
		json_object_array_add(ci, num(m->p[i].ci_hi));
		json_object_object_add(e, "ci95", ci);
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "parameters", a);
	fit = json_object_new_object();
	json_object_object_add(fit, "n", json_object_new_int64((int64_t)m->n));
	json_object_object_add(fit, "r2", num(m->r2));
	json_object_object_add(fit, "rmse_w", num(m->rmse_w));
	json_object_object_add(fit, "residual_acf1", num(m->acf1));
	json_object_object_add(fit, "grid_s", num(m->grid_s));
	json_object_object_add(fit, "phases", str(m->phases));
	json_object_object_add(o, "fit", fit);
	json_object_object_add(o, "gpu", str(m->gpu));
	a = json_object_new_array();
	for (i = 0; i < m->nfiles; i++)
		json_object_array_add(a, json_object_new_string(m->files[i]));
	json_object_object_add(o, "files", a);
	a = json_object_new_array();
	for (i = 0; notes && i < notes->nwarn; i++)
		json_object_array_add(a, json_object_new_string(notes->warn[i]));
	json_object_object_add(o, "assumptions", a);
	if (cv)
		json_object_object_add(o, "cross_validation", cv_json(cv));
	return o;
}

int wl_fit_model_write(const struct wl_fit_model *m, const struct wl_dataset *notes,
		       const struct wl_fit_cv *cv, const char *path, struct wl_error *err)
{
	struct json_object *o = build(m, notes, cv);
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_SPACED);
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int bad;

	if (!s) {
		json_object_put(o);
		if (f && f != stdout)
			fclose(f);
		return wl_error_set(err, "cannot write '%s': json-c could not render the model",
				    path);
	}
	if (!f) {
		json_object_put(o);
		return wl_error_errno(err, errno, "cannot create '%s'", path);
	}
	bad = fprintf(f, "%s\n", s) < 0;
	json_object_put(o);
	if (f != stdout)
		bad |= fclose(f) != 0;
	if (bad)
		return wl_error_errno(err, errno, "cannot write '%s'", path);
	return 0;
}

/* ---- reading -------------------------------------------------------------- */

struct rd {
	const char *path;
	struct wl_error *err;
};

/* *out: the value of key, NULL when absent or null and optional.  0 or -1
 * with err (absent and not optional, or of the wrong type). */
static int get(const struct rd *r, struct json_object *o, const char *key, enum json_type type,
	       int optional, struct json_object **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return optional ? 0 : wl_error_set(r->err, "'%s': model file lacks key '%s'",
						    r->path, key);
	if (type == json_type_double ? !json_object_is_type(v, json_type_double) &&
				       !json_object_is_type(v, json_type_int)
				     : !json_object_is_type(v, type))
		return wl_error_set(r->err, "'%s': key '%s' in the model file has the wrong type",
				    r->path, key);
	*out = v;
	return 0;
}

static int get_num(const struct rd *r, struct json_object *o, const char *key, double *out,
		   int optional)
{
	struct json_object *v;

	if (get(r, o, key, json_type_double, optional, &v) < 0)
		return -1;
	if (!v)
		return 0;
	*out = json_object_get_double(v);
	if (!isfinite(*out))
		return wl_error_set(r->err, "'%s': key '%s' is not a finite number", r->path, key);
	return 0;
}

static int get_str(const struct rd *r, struct json_object *o, const char *key, char *buf,
		   size_t len, int optional)
{
	struct json_object *v;

	const char *c;

	if (get(r, o, key, json_type_string, optional, &v) < 0)
		return -1;
	if (!v)
		return 0;
	for (c = json_object_get_string(v); *c; c++)
		if ((unsigned char)*c < 0x20)
			return wl_error_set(r->err, "'%s': key '%s' in the model file holds a "
					    "control character", r->path, key);
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 0;
}

static int read_params(const struct rd *r, struct json_object *root, struct wl_fit_model *m)
{
	struct json_object *a, *ci;
	size_t i, want = m->kind == WL_FIT_POWER_LAW ? 3 : m->nx + 1;
	char expect[112];

	if (get(r, root, "parameters", json_type_array, 0, &a) < 0)
		return -1;
	if (json_object_array_length(a) != want)
		return wl_error_set(r->err, "'%s': %zu parameters in the model file, the %s model "
				    "on %zu metrics has %zu", r->path, json_object_array_length(a),
				    m->kind == WL_FIT_POWER_LAW ? "power-law" : "linear", m->nx,
				    want);
	m->np = want;
	for (i = 0; i < want; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct wl_fit_param *p = &m->p[i];

		if (!json_object_is_type(e, json_type_object))
			return wl_error_set(r->err, "'%s': parameter %zu is not an object", r->path,
					    i + 1);
		if (m->kind == WL_FIT_POWER_LAW)
			snprintf(expect, sizeof(expect), "%s",
				 (const char *[]){ "p_idle_w", "p_max_w", "gamma" }[i]);
		else if (i == 0)
			snprintf(expect, sizeof(expect), "a");
		else
			snprintf(expect, sizeof(expect), "b %s", m->x[i - 1]);
		if (get_str(r, e, "name", p->name, sizeof(p->name), 0) < 0 ||
		    get_num(r, e, "value", &p->value, 0) < 0)
			return -1;
		if (strcmp(p->name, expect))
			return wl_error_set(r->err, "'%s': parameter %zu is '%s', expected '%s'",
					    r->path, i + 1, p->name, expect);
		p->se = p->ci_lo = p->ci_hi = NAN;
		if (get_num(r, e, "se", &p->se, 1) < 0)
			return -1;
		if (json_object_object_get_ex(e, "ci95", &ci) &&
		    json_object_is_type(ci, json_type_array) && json_object_array_length(ci) == 2) {
			p->ci_lo = json_object_get_double(json_object_array_get_idx(ci, 0));
			p->ci_hi = json_object_get_double(json_object_array_get_idx(ci, 1));
		}
	}
	return 0;
}

static int parse(const struct rd *r, struct json_object *root, struct wl_fit_model *m)
{
	struct json_object *a, *fit, *v;
	char kind[32];
	double ver = 0, n = 0;
	size_t i;

	if (get_num(r, root, "wattlog_model", &ver, 0) < 0)
		return -1;
	if (ver != 1)
		return wl_error_set(r->err, "'%s': model file version %g (this wattlog reads 1)",
				    r->path, ver);
	if (get_str(r, root, "model", kind, sizeof(kind), 0) < 0)
		return -1;
	if (!strcmp(kind, "power-law"))
		m->kind = WL_FIT_POWER_LAW;
	else if (!strcmp(kind, "linear"))
		m->kind = WL_FIT_LINEAR;
	else
		return wl_error_set(r->err, "'%s': unknown model '%s' (power-law, linear)", r->path,
				    kind);
	if (get_str(r, root, "power", m->power, sizeof(m->power), 0) < 0 ||
	    get(r, root, "metrics", json_type_array, 0, &a) < 0)
		return -1;
	m->nx = json_object_array_length(a);
	if (!m->nx || m->nx > WL_FIT_MAX_X || (m->kind == WL_FIT_POWER_LAW && m->nx != 1))
		return wl_error_set(r->err, "'%s': %zu metrics (the power law takes 1, the linear "
				    "model 1 to %d)", r->path, m->nx, WL_FIT_MAX_X);
	for (i = 0; i < m->nx; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		m->x_scale[i] = 1;
		if (!json_object_is_type(e, json_type_object))
			return wl_error_set(r->err, "'%s': metric %zu is not an object", r->path,
					    i + 1);
		if (get_str(r, e, "name", m->x[i], sizeof(m->x[i]), 0) < 0 ||
		    get_str(r, e, "unit", m->x_unit[i], sizeof(m->x_unit[i]), 1) < 0 ||
		    get_num(r, e, "scale", &m->x_scale[i], 1) < 0)
			return -1;
	}
	if (m->kind == WL_FIT_POWER_LAW) {
		if (get_num(r, root, "x_sat", &m->x_sat, 0) < 0)
			return -1;
		if (!(m->x_sat > 0))
			return wl_error_set(r->err, "'%s': x_sat must be > 0", r->path);
	}
	if (read_params(r, root, m) < 0)
		return -1;
	if (get(r, root, "fit", json_type_object, 1, &fit) < 0)
		return -1;
	if (fit) {
		if (get_num(r, fit, "n", &n, 1) < 0 || get_num(r, fit, "r2", &m->r2, 1) < 0 ||
		    get_num(r, fit, "rmse_w", &m->rmse_w, 1) < 0 ||
		    get_num(r, fit, "residual_acf1", &m->acf1, 1) < 0 ||
		    get_num(r, fit, "grid_s", &m->grid_s, 1) < 0 ||
		    get_str(r, fit, "phases", m->phases, sizeof(m->phases), 1) < 0)
			return -1;
		if (!(n >= 0 && n <= 1e15)) /* NaN too: a count of samples */
			return wl_error_set(r->err, "'%s': fit.n %g is not a count of samples", r->path,
					    n);
		m->n = (size_t)n;
	}
	if (get_str(r, root, "gpu", m->gpu, sizeof(m->gpu), 1) < 0)
		return -1;
	if (json_object_object_get_ex(root, "files", &v) && json_object_is_type(v, json_type_array))
		for (i = 0; i < json_object_array_length(v); i++) {
			struct json_object *f = json_object_array_get_idx(v, i);

			if (json_object_is_type(f, json_type_string) &&
			    wl_fit_model_add_file(m, json_object_get_string(f)) < 0)
				return wl_error_set(r->err, "out of memory reading '%s'", r->path);
		}
	return 0;
}

int wl_fit_model_read(const char *path, struct wl_fit_model *m, struct wl_error *err)
{
	struct rd r = { path, err };
	struct json_object *root = wl_json_parse_file(path, err);
	int rc;

	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return wl_error_set(err, "'%s': a model file is a JSON object", path);
	}
	rc = parse(&r, root, m);
	json_object_put(root);
	return rc;
}
