/* test_report.c - the report renderers (src/render/report_*.c) over stages
 * run on an in-memory dataset; the JSON is parsed back with json-c. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/report.h"

/* gpu0 power 100 100 200 200 100 W at t = 0..4 s: trapezoid 100 + 150 +
 * 200 + 150 = 600 J; cpu counter 0..200 J: 200 J; total 800 J.
 * utilization.gpu = power / 2 -> r = +1; temperature = 300 - power -> -1. */
static void build(struct wl_dataset *ds, struct wl_report *r)
{
	double p[] = { 100, 100, 200, 200, 100 };
	struct wl_error err;
	long g, c, u, k;

	wl_dataset_init(ds);
	ds->path = strdup("mem.csv");
	ds->format = strdup("test");
	g = wl_dataset_channel(ds, "power.draw", "W", "gpu0", "t", WL_DS_GAUGE, 0);
	c = wl_dataset_channel(ds, "energy", "J", "package-0", "t", WL_DS_COUNTER, 0);
	u = wl_dataset_channel(ds, "utilization.gpu", "%", "gpu0", "t", WL_DS_GAUGE, 0);
	k = wl_dataset_channel(ds, "temperature.gpu", "C", "gpu0", "t", WL_DS_GAUGE, 0);
	wl_channel_component(&ds->ch[g], "gpu0");
	wl_channel_component(&ds->ch[c], "cpu");
	for (int i = 0; i < 5; i++) {
		wl_channel_push(&ds->ch[g], i, p[i]);
		wl_channel_push(&ds->ch[c], i, 50.0 * i);
		wl_channel_push(&ds->ch[u], i, p[i] / 2);
		wl_channel_push(&ds->ch[k], i, 300 - p[i]);
	}
	wl_dataset_warn(ds, "a warning");
	wl_assume(&ds->assume, WL_ASSUME_UNIT, "column 'p' read as W");
	wl_assume(&ds->assume, WL_ASSUME_ZONE, "times read in UTC");
	wl_report_init(r);
	r->ds = ds;
	r->t_from = 0;
	r->t_to = 4;
	r->duration_s = 4;
	cr_assert_eq(wl_energy_compute(ds, NULL, ds, &r->energy, &err), 0);
	cr_assert_eq(wl_stats_dataset(ds, NULL, &r->metrics, &r->nmetrics, NULL, &err), 0);
	cr_assert_eq(wl_resample(ds, NULL, &r->grid, &err), 0);
	r->have_grid = 1;
	cr_assert_eq(wl_correlation_compute(&r->grid, NULL, &r->corr, &err), 0);
	r->work.output_tokens = 100;
	wl_efficiency_compute(&r->work, r->energy.total_j, r->duration_s, r->carbon_g, &r->eff);
}

static char *render(const struct wl_report *r, int (*fn)(FILE *, const struct wl_report *,
							 struct wl_error *))
{
	struct wl_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(fn(f, r, &err), 0);
	fclose(f);
	return buf;
}

static struct json_object *get(struct json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		cr_assert(json_object_object_get_ex(o, key, &o), "no key %s", key);
		path = dot + 1;
	}
	cr_assert(json_object_object_get_ex(o, path, &o), "no key %s", path);
	return o;
}

Test(report, json_parsed_back)
{
	struct wl_dataset ds;
	struct wl_report r;
	struct wl_error err;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	build(&ds, &r);
	f = open_memstream(&buf, &len);
	cr_assert_eq(wl_report_json(f, &r, 1, &err), 0);
	fclose(f);
	struct json_object *root = json_tokener_parse(buf);
	cr_assert_not_null(root, "not JSON: %s", buf);
	cr_assert_float_eq(json_object_get_double(get(root, "duration_s")), 4.0, 1e-12);
	cr_assert_float_eq(json_object_get_double(get(root, "energy_j.total")), 800.0, 1e-9);
	cr_assert_float_eq(json_object_get_double(get(root, "energy_j.components.gpu0")), 600.0,
			   1e-9);
	cr_assert_float_eq(json_object_get_double(get(root, "energy_j.components.cpu")), 200.0,
			   1e-9);
	cr_assert(json_object_is_type(get(root, "carbon.g"), json_type_null),
		  "no intensity given: carbon is null, not 0");
	cr_assert(json_object_is_type(get(root, "carbon.intensity_g_per_kwh"), json_type_null));
	cr_assert_float_eq(json_object_get_double(get(root, "efficiency.j_per_token")), 8.0, 1e-9);
	cr_assert(json_object_is_type(get(root, "efficiency.mfu"), json_type_null));
	struct json_object *m = get(root, "metrics");
	int seen = 0;
	for (i = 0; i < json_object_array_length(m); i++) {
		struct json_object *e = json_object_array_get_idx(m, i);
		if (strcmp(json_object_get_string(get(e, "name")), "power.draw"))
			continue;
		seen = 1;
		cr_assert_str_eq(json_object_get_string(get(e, "unit")), "W");
		cr_assert_str_eq(json_object_get_string(get(e, "device")), "gpu0");
		cr_assert_float_eq(json_object_get_double(get(e, "avg")), 140.0, 1e-9);
		cr_assert_float_eq(json_object_get_double(get(e, "twa")), 150.0, 1e-9);
		cr_assert_float_eq(json_object_get_double(get(e, "min")), 100.0, 1e-9);
		cr_assert_float_eq(json_object_get_double(get(e, "max")), 200.0, 1e-9);
		cr_assert_float_eq(json_object_get_double(get(e, "mode")), 100.0, 1e-9);
		cr_assert_float_eq(json_object_get_double(get(e, "p50")), 100.0, 1e-9);
		/* sample std: deviations -40 -40 60 60 -40 -> 12000 / 4 */
		cr_assert_float_eq(json_object_get_double(get(e, "std")), sqrt(3000.0), 1e-9);
		/* p95 at 0.95 x 4 = 3.8: 200 + 0.8 (100 - 200)... sorted 100 100 100 200 200 */
		cr_assert_float_eq(json_object_get_double(get(e, "p95")), 200.0, 1e-9);
	}
	cr_assert(seen);
	struct json_object *tp = get(root, "correlation.top_positive");
	struct json_object *tn = get(root, "correlation.top_negative");
	cr_assert_float_eq(json_object_get_double(get(json_object_array_get_idx(tp, 0), "r")), 1.0,
			   1e-12);
	cr_assert_float_eq(json_object_get_double(get(json_object_array_get_idx(tn, 0), "r")),
			   -1.0, 1e-12);
	size_t nm = json_object_array_length(get(root, "correlation.metrics"));
	cr_assert_eq(json_object_array_length(get(root, "correlation.matrix")), nm);
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(get(root, "warnings"), 0)),
			 "a warning");
	struct json_object *as = get(root, "assumptions");
	cr_assert_eq(json_object_array_length(as), 2);
	cr_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(as, 0), "kind")),
			 "unit");
	cr_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(as, 0), "text")),
			 "column 'p' read as W");
	cr_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(as, 1), "kind")),
			 "zone");
	json_object_put(root);
	free(buf);
	wl_report_release(&r);
	wl_dataset_release(&ds);
}

Test(report, text_markdown_csv)
{
	struct wl_dataset ds;
	struct wl_report r;
	char *t, *line;

	build(&ds, &r);
	t = render(&r, wl_report_text);
	/* 800 J: 4 significant digits, and 800 / 3600 Wh */
	cr_assert(strstr(t, "total energy       800.0 J = 0.2222 Wh"), "%s", t);
	cr_assert(strstr(t, "[Energy]"));
	cr_assert(strstr(t, "energy per token       8.00 J/token"), "%s", t);
	cr_assert(strstr(t, "Assumptions\n-----------\n  - column 'p' read as W\n"
			    "  - times read in UTC\n"), "%s", t);
	for (line = t; line; line = strchr(line, '\n')) {
		char *end;
		line += *line == '\n';
		end = strchr(line, '\n');
		cr_assert_leq(end ? (size_t)(end - line) : strlen(line), 100, "line over 100: %.120s",
			      line);
		if (!end)
			break;
	}
	free(t);
	t = render(&r, wl_report_markdown);
	cr_assert(strstr(t, "| gpu0 | 600.00 |"), "%s", t);
	cr_assert(strstr(t, "## Assumptions\n\n- column 'p' read as W\n- times read in UTC\n"),
		  "%s", t);
	free(t);
	t = render(&r, wl_report_csv);
	/* grid 1 s from t = 0: row 2 holds t = 2, power 200 */
	cr_assert(strncmp(t, "t_s,power.draw gpu0 [W],", 24) == 0, "%s", t);
	cr_assert(strstr(t, "\n2,200,"), "%s", t);
	free(t);
	wl_report_release(&r);
	wl_dataset_release(&ds);
}

/* Energies keep 4 significant digits with a prefix (2.403e8 J = 240.3 MJ =
 * 66.75 kWh by hand), and an unknown energy prints "-", never "nan". */
Test(report, energy_prefix_and_no_nan)
{
	struct wl_dataset ds;
	struct wl_report r;
	char *t;

	build(&ds, &r);
	r.energy.total_j = 2.403e8;
	t = render(&r, wl_report_text);
	cr_assert(strstr(t, "total energy       240.3 MJ = 66.75 kWh"), "%s", t);
	free(t);
	r.energy.total_j = NAN;
	r.energy.c[0].energy_j = NAN;
	t = render(&r, wl_report_text);
	cr_assert(!strstr(t, "nan"), "%s", t);
	cr_assert(strstr(t, "total energy       - = -"), "%s", t);
	free(t);
	t = render(&r, wl_report_markdown);
	cr_assert(!strstr(t, "nan"), "%s", t);
	free(t);
	wl_report_release(&r);
	wl_dataset_release(&ds);
}
