/*
 * test_compare.c - `wattlog compare`'s statistics and table against values
 * worked by hand: mean, sample sd, Student-t 95 % CI (closed forms of the
 * t quantile for 1 and 2 degrees of freedom), the delta-method ratio, the
 * folder-name patterns, and whole folders of CSV runs whose energies are
 * known by construction (constant power P for 10 s: E = 10 P, exact for the
 * trapezoid rule).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/compare.h"

#define NEAR(a, b, tol) cr_assert(fabs((a) - (b)) <= (tol), "%s = %.12g, want %.12g", #a, \
				  (double)(a), (double)(b))

/* t(p, 1) = tan(pi (p - 1/2)) (Cauchy);  t(p, 2) = (2p - 1) sqrt(2 / (4 p (1 - p))). */
static double t1(double p)
{
	return tan(M_PI * (p - 0.5));
}

static double t2(double p)
{
	return (2 * p - 1) * sqrt(2 / (4 * p * (1 - p)));
}

Test(compare_stats, t_quantile_closed_forms)
{
	NEAR(wl_cmp_t_quantile(0.975, 1), t1(0.975), 1e-9);
	NEAR(wl_cmp_t_quantile(0.975, 2), t2(0.975), 1e-9);
	NEAR(wl_cmp_t_quantile(0.975, 1), 12.7062047, 1e-6); /* printed tables */
	NEAR(wl_cmp_t_quantile(0.975, 2), 4.3026527, 1e-6);
	NEAR(wl_cmp_t_quantile(0.975, 9), 2.2621572, 1e-6);
	cr_assert(isnan(wl_cmp_t_quantile(0.975, 0)));
}

Test(compare_stats, three_values)
{
	const double x[] = { 10, 12, 14 };
	struct wl_cmp_stat s;

	/* m = 36/3 = 12; s^2 = (4 + 0 + 4) / 2 = 4, s = 2; se = 2/sqrt 3 */
	wl_cmp_stat_compute(x, 3, &s);
	cr_assert_eq(s.n, 3);
	NEAR(s.mean, 12, 1e-12);
	NEAR(s.sd, 2, 1e-12);
	NEAR(s.se, 1.1547005384, 1e-9);
	NEAR(s.ci, 4.3026527 * 1.1547005384, 1e-5); /* 4.96827 */
}

Test(compare_stats, absent_values_skipped)
{
	const double x[] = { NAN, 3, NAN, 5 };
	struct wl_cmp_stat s;

	/* {3, 5}: m 4, s = sqrt(2), se 1, ci = t(.975, 1) = 12.706 */
	wl_cmp_stat_compute(x, 4, &s);
	cr_assert_eq(s.n, 2);
	NEAR(s.mean, 4, 1e-12);
	NEAR(s.sd, sqrt(2), 1e-12);
	NEAR(s.se, 1, 1e-12);
	NEAR(s.ci, 12.7062047, 1e-6);
	wl_cmp_stat_compute(x, 2, &s); /* one value: no spread */
	cr_assert_eq(s.n, 1);
	NEAR(s.mean, 3, 0);
	cr_assert(isnan(s.sd) && isnan(s.se) && isnan(s.ci));
	wl_cmp_stat_compute(x, 1, &s);
	cr_assert(s.n == 0 && isnan(s.mean));
}

Test(compare_stats, ratio_delta_method)
{
	struct wl_cmp_stat a = { 3, 2100, NAN, 100, NAN }, b = { 3, 1100, NAN, 57.735, NAN };
	double r, se;

	/* r = 2100/1100 = 1.909091; s_r = r sqrt((100/2100)^2 + (57.735/1100)^2)
	 * = 1.909091 x sqrt(0.00226757 + 0.00275482) = 1.909091 x 0.0708676 = 0.135293 */
	wl_cmp_ratio(&a, &b, &r, &se);
	NEAR(r, 1.9090909, 1e-6);
	NEAR(se, 0.135293, 1e-5);
	b.se = NAN; /* one baseline run: only a's error */
	wl_cmp_ratio(&a, &b, &r, &se);
	NEAR(se, 1.9090909 * 100 / 2100, 1e-6);
	b.mean = 0;
	wl_cmp_ratio(&a, &b, &r, &se);
	cr_assert(isnan(r) && isnan(se));
}

Test(compare_scan, name_pattern)
{
	struct wl_cmp_kv kv[WL_CMP_MAX_KV];
	struct wl_error err;
	size_t n = 0;

	cr_assert_eq(wl_cmp_name_keys("bs{batch_size}", "bs22", kv, WL_CMP_MAX_KV, &n, &err), 1);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "batch_size"), "22");
	n = 0;
	cr_assert_eq(wl_cmp_name_keys("{model}-bs{bs}_{gpu}", "llama-7b-bs8_A100", kv,
				      WL_CMP_MAX_KV, &n, &err), 1);
	/* each key ends at the first occurrence of the text after it */
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "model"), "llama-7b");
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "bs"), "8");
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "gpu"), "A100");
	n = 0;
	cr_assert_eq(wl_cmp_name_keys("{a}-{b}", "x-y-z", kv, WL_CMP_MAX_KV, &n, &err), 1);
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "a"), "x");
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "b"), "y-z");
	n = 0;
	cr_assert_eq(wl_cmp_name_keys("{model}_bs{bs}", "llama-7b_bs8", kv, WL_CMP_MAX_KV, &n,
				      &err), 1);
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "model"), "llama-7b");
	cr_assert_str_eq(wl_cmp_kv_get(kv, n, "bs"), "8");
	n = 0;
	cr_assert_eq(wl_cmp_name_keys("bs{b}", "batch8", kv, WL_CMP_MAX_KV, &n, &err), 0);
	cr_assert_eq(wl_cmp_name_keys("bs{b}.x", "bs8.y", kv, WL_CMP_MAX_KV, &n, &err), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(wl_cmp_name_keys("bs{b", "bs8", kv, WL_CMP_MAX_KV, &n, &err), -1);
	cr_assert_eq(wl_cmp_name_keys("{a}{b}", "bs8", kv, WL_CMP_MAX_KV, &n, &err), -1);
}

/* ---- folders of CSV runs ------------------------------------------------- */

static char root[64];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* A run of constant power p W sampled each second for 10 s: E = 10 p J. */
static void run_csv(const char *dir, const char *name, double p)
{
	char buf[1024];
	size_t len = 0;
	int i;

	len += (size_t)snprintf(buf, sizeof(buf), "time_s,gpu0_power [W]\n");
	for (i = 0; i <= 10; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%d,%g\n", i, p);
	write_file(dir, name, buf);
}

static char *mkfolder(const char *name)
{
	static char path[8][128];
	static int k;
	char *p = path[k++ % 8];

	snprintf(p, 128, "%s/%s", root, name);
	cr_assert_eq(mkdir(p, 0777), 0);
	return p;
}

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/wl-test-compare.XXXXXX");
	cr_assert(mkdtemp(root));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

static double get(const struct wl_cmp_table *t, size_t row, const char *col,
		  struct wl_cmp_stat *s)
{
	long c = wl_cmp_col_find(t, col);

	cr_assert(c >= 0, "no column %s", col);
	*s = t->row[row].st[c];
	return s->mean;
}

Test(compare_folders, hand_worked, .init = setup, .fini = teardown)
{
	const char *dirs[4];
	struct wl_cmp_folder f[4];
	struct wl_cmp_opts o;
	struct wl_cmp_table t;
	struct wl_cmp_stat s;
	struct wl_error err;
	long failed, c;
	size_t i;

	dirs[0] = mkfolder("bs1");
	run_csv(dirs[0], "r1.csv", 100);
	run_csv(dirs[0], "r2.csv", 110);
	run_csv(dirs[0], "r3.csv", 120);
	write_file(dirs[0], "meta.json", "{\"output_tokens\": 500, \"requests\": 2}\n");
	write_file(dirs[0], "notes.txt", "not a run\n");
	dirs[1] = mkfolder("bs8");
	run_csv(dirs[1], "a.csv", 200);
	run_csv(dirs[1], "b.csv", 220);
	dirs[2] = mkfolder("broken");
	write_file(dirs[2], "r.csv", "time_s,gpu0_power [W]\n0,100\n1,100\n0.5,100\n");
	dirs[3] = mkfolder("empty");

	wl_cmp_opts_init(&o);
	o.jobs = 2;
	o.name_pattern = "bs{batch_size}";
	failed = wl_cmp_run_folders(dirs, 4, &o, f, &err);
	cr_assert_eq(failed, 2, "%ld failed", failed);
	cr_assert(f[2].err[0] && strstr(f[2].err, "r.csv"), "%s", f[2].err);
	cr_assert(strstr(f[3].err, "no run"), "%s", f[3].err);
	cr_assert_eq(f[0].nrun, 3);
	cr_assert_eq(f[1].nrun, 2);
	cr_assert_str_eq(wl_cmp_kv_get(f[1].kv, f[1].nkv, "batch_size"), "8");

	cr_assert_eq(wl_cmp_table_build(f, 4, NULL, "bs1", NULL, &t, &err), 0, "%s", err.msg);
	cr_assert_eq(t.nrow, 2);
	cr_assert_eq(t.baseline, 0);
	cr_assert_str_eq(t.row[1].label, "bs8");
	/* bs1: E = 1000, 1100, 1200: m 1100, s 100, CI t(.975,2) 100/sqrt 3 */
	NEAR(get(&t, 0, "energy_j", &s), 1100, 1e-9);
	NEAR(s.sd, 100, 1e-9);
	NEAR(s.ci, t2(0.975) * 100 / sqrt(3), 1e-6);
	/* bs8: 2000, 2200: m 2100, s = 141.42, se 100, CI t(.975,1) x 100 */
	NEAR(get(&t, 1, "energy_j", &s), 2100, 1e-9);
	NEAR(s.sd, 100 * sqrt(2), 1e-9);
	NEAR(s.ci, t1(0.975) * 100, 1e-6);
	NEAR(get(&t, 0, "duration_s", &s), 10, 1e-12);
	NEAR(get(&t, 0, "avg_power_w", &s), 110, 1e-9);
	NEAR(get(&t, 1, "peak_power_w", &s), 210, 1e-9);
	NEAR(get(&t, 0, "energy_gpu0_j", &s), 1100, 1e-9);
	/* tokens/J per run 500/E: mean (0.5 + 0.454545 + 0.416667) / 3 */
	NEAR(get(&t, 0, "tokens_per_j", &s), (0.5 + 500.0 / 1100 + 500.0 / 1200) / 3, 1e-9);
	NEAR(get(&t, 0, "j_per_token", &s), 2.2, 1e-9);
	/* throughput per user: 500 tokens / 10 s / 2 requests */
	NEAR(get(&t, 0, "tps_per_user", &s), 25, 1e-9);
	cr_assert(isnan(get(&t, 1, "tokens_per_j", &s)), "bs8 has no tokens: absent");
	/* ratio bs8/bs1 = 2100/1100, se = r sqrt((100/2100)^2 + (57.735/1100)^2) */
	c = wl_cmp_col_find(&t, "energy_j");
	NEAR(t.row[1].ratio[c], 2100.0 / 1100, 1e-9);
	NEAR(t.row[1].ratio_se[c], 0.135293, 1e-5);
	NEAR(t.row[0].ratio[c], 1, 0);
	NEAR(t.row[0].ratio_se[c], 0, 0);
	wl_cmp_table_release(&t);

	/* descending by energy: bs8 first */
	cr_assert_eq(wl_cmp_table_build(f, 4, NULL, NULL, "-energy_j", &t, &err), 0);
	cr_assert_str_eq(t.row[0].label, "bs8");
	cr_assert_eq(t.baseline, -1);
	wl_cmp_table_release(&t);
	cr_assert_eq(wl_cmp_table_build(f, 4, NULL, "nope", NULL, &t, &err), -1);
	wl_cmp_table_release(&t);
	cr_assert_eq(wl_cmp_table_build(f, 4, NULL, NULL, "nokey", &t, &err), -1);
	wl_cmp_table_release(&t);
	for (i = 0; i < 4; i++)
		wl_cmp_folder_release(&f[i]);
}

Test(compare_folders, by_key_pools_runs, .init = setup, .fini = teardown)
{
	const char *dirs[3];
	struct wl_cmp_folder f[3];
	struct wl_cmp_opts o;
	struct wl_cmp_table t;
	struct wl_cmp_stat s;
	struct wl_error err;
	size_t i;

	dirs[0] = mkfolder("m1-bs8");
	run_csv(dirs[0], "r1.csv", 100);
	dirs[1] = mkfolder("m2-bs8");
	run_csv(dirs[1], "r1.csv", 120);
	run_csv(dirs[1], "r2.csv", 140);
	dirs[2] = mkfolder("m1-bs1");
	run_csv(dirs[2], "r1.csv", 50);
	wl_cmp_opts_init(&o);
	o.jobs = 3;
	o.name_pattern = "{model}-bs{batch_size}";
	cr_assert_eq(wl_cmp_run_folders(dirs, 3, &o, f, &err), 0);
	cr_assert_eq(wl_cmp_table_build(f, 3, "batch_size", "1", NULL, &t, &err), 0, "%s",
		     err.msg);
	/* by value, numerically: batch_size=1 then 8 */
	cr_assert_eq(t.nrow, 2);
	cr_assert_str_eq(t.row[0].label, "batch_size=1");
	cr_assert_eq(t.baseline, 0);
	cr_assert_eq(t.row[1].nruns, 3);
	/* pooled: 1000, 1200, 1400 J: m 1200, s 200 */
	NEAR(get(&t, 1, "energy_j", &s), 1200, 1e-9);
	NEAR(s.sd, 200, 1e-9);
	NEAR(s.ci, t2(0.975) * 200 / sqrt(3), 1e-6);
	/* keys common to the row: batch_size, not model */
	cr_assert_str_eq(wl_cmp_kv_get(t.row[1].kv, t.row[1].nkv, "batch_size"), "8");
	cr_assert_null(wl_cmp_kv_get(t.row[1].kv, t.row[1].nkv, "model"));
	NEAR(wl_cmp_row_key_num(&t.row[1], "batch_size"), 8, 0);
	/* one baseline run: ratio 1200/500, se from the pooled row alone */
	NEAR(t.row[1].ratio[wl_cmp_col_find(&t, "energy_j")], 2.4, 1e-12);
	NEAR(t.row[1].ratio_se[wl_cmp_col_find(&t, "energy_j")], 2.4 * (200 / sqrt(3)) / 1200,
	     1e-9);
	wl_cmp_table_release(&t);
	for (i = 0; i < 3; i++)
		wl_cmp_folder_release(&f[i]);
}
