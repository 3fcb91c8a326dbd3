/* test_efficiency.c - efficiency figures and meta.json (src/analyze/
 * efficiency.c, metajson.c). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/analysis.h"

Test(efficiency, hand_values)
{
	struct wl_workload w;
	struct wl_efficiency e;

	wl_workload_init(&w);
	w.output_tokens = 1000;
	w.tokens = 5000; /* output tokens win */
	w.requests = 10;
	w.flops = 1e15;
	w.peak_flops = 1e14;
	/* 5000 J over 50 s (100 W average), 2 g */
	wl_efficiency_compute(&w, 5000, 50, 2, &e);
	cr_assert_float_eq(e.tokens, 1000, 0);
	cr_assert_float_eq(e.tokens_per_j, 0.2, 1e-15);
	cr_assert_float_eq(e.j_per_token, 5.0, 1e-15);
	cr_assert_float_eq(e.g_per_token, 0.002, 1e-15);
	cr_assert_float_eq(e.tokens_per_s, 20.0, 1e-15);
	cr_assert_float_eq(e.tokens_per_s_per_w, 0.2, 1e-15);
	cr_assert_float_eq(e.j_per_request, 500.0, 1e-12);
	cr_assert_float_eq(e.mfu, 0.2, 1e-15); /* 1e15 / (50 s x 1e14 FLOP/s) */
}

Test(efficiency, absent_inputs_give_absent_outputs)
{
	struct wl_workload w;
	struct wl_efficiency e;

	wl_workload_init(&w);
	w.tokens = 100;
	wl_efficiency_compute(&w, 400, 10, NAN, &e);
	cr_assert_float_eq(e.j_per_token, 4.0, 1e-15);
	cr_assert(isnan(e.g_per_token), "no carbon: no gCO2/token, never 0");
	cr_assert(isnan(e.mfu));
	cr_assert(isnan(e.j_per_request));
	wl_workload_init(&w);
	wl_efficiency_compute(&w, 400, 10, 1, &e);
	cr_assert(isnan(e.tokens_per_j));
	cr_assert(isnan(e.j_per_token));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(efficiency, meta_json_beside_the_trace)
{
	char dir[] = "/tmp/wl-meta-XXXXXX", trace[128], meta[128];
	struct wl_workload w;
	struct wl_error err;
	int found;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(trace, sizeof(trace), "%s/run.wlog", dir);
	snprintf(meta, sizeof(meta), "%s/meta.json", dir);
	wl_workload_init(&w);
	cr_assert_eq(wl_metajson_read(trace, &w, &found, &err), 0);
	cr_assert_eq(found, 0);
	cr_assert(isnan(w.tokens));
	write_file(meta, "{\"output_tokens\": 44254, \"input_tokens\": \"6642\", "
			 "\"requests\": 100, \"peak_flops\": 3.12e14}");
	w.requests = 7; /* given on the command line: kept */
	cr_assert_eq(wl_metajson_read(trace, &w, &found, &err), 0, "%s", err.msg);
	cr_assert_eq(found, 1);
	cr_assert_float_eq(w.output_tokens, 44254, 0);
	cr_assert_float_eq(w.input_tokens, 6642, 0);
	cr_assert_float_eq(w.requests, 7, 0);
	cr_assert_float_eq(w.peak_flops, 3.12e14, 0);
	cr_assert(isnan(w.flops));
	write_file(meta, "{\"tokens\": \"many\"}");
	cr_assert_eq(wl_metajson_read(trace, &w, &found, &err), -1);
	cr_assert(strstr(err.msg, "key 'tokens': not a number"), "%s", err.msg);
	write_file(meta, "{\"tokens\": 3,");
	cr_assert_eq(wl_metajson_read(trace, &w, &found, &err), -1);
	cr_assert(strstr(err.msg, "malformed JSON"), "%s", err.msg);
	unlink(meta);
	rmdir(dir);
}

/* Compare reads meta.json files from worker threads: each parse reports its
 * own file's error (json-c's process-wide error buffer is not used), with
 * the offset where its own text goes wrong. */
struct mj_job {
	char dir[64];
	size_t want_off;
	int bad;
};

static int mj_key(void *ctx, const char *key, const char *value)
{
	(void)ctx, (void)key, (void)value;
	return 0;
}

static void *mj_run(void *arg)
{
	struct mj_job *j = arg;
	char want[160];
	int i, found;

	for (i = 0; i < 300; i++) {
		struct wl_error err = { { 0 } };

		snprintf(want, sizeof(want), "'%s/meta.json': malformed JSON: ", j->dir);
		if (wl_metajson_keys(j->dir, mj_key, NULL, &found, &err) != -1 ||
		    strncmp(err.msg, want, strlen(want)) ||
		    !strstr(err.msg, j->want_off == 9 ? "at offset 9" : "at offset 13"))
			j->bad++;
	}
	return NULL;
}

Test(efficiency, metajson_errors_per_thread)
{
	struct mj_job j[2] = { { "/tmp/wl-mj-a.XXXXXX", 9, 0 }, { "/tmp/wl-mj-b.XXXXXX", 13, 0 } };
	char meta[256];
	pthread_t th[2];
	int k;

	cr_assert(mkdtemp(j[0].dir) && mkdtemp(j[1].dir));
	snprintf(meta, sizeof(meta), "%s/meta.json", j[0].dir);
	write_file(meta, "{\"a\": 1, ]");          /* goes wrong at offset 9 */
	snprintf(meta, sizeof(meta), "%s/meta.json", j[1].dir);
	write_file(meta, "{\"tokens\": 3 x"); /* goes wrong at offset 13 */
	for (k = 0; k < 2; k++)
		cr_assert_eq(pthread_create(&th[k], NULL, mj_run, &j[k]), 0);
	for (k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	for (k = 0; k < 2; k++) {
		cr_expect_eq(j[k].bad, 0, "%s: %d of 300 messages not its own", j[k].dir, j[k].bad);
		snprintf(meta, sizeof(meta), "%s/meta.json", j[k].dir);
		unlink(meta);
		rmdir(j[k].dir);
	}
}
