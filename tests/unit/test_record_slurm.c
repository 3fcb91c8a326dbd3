/* test_record_slurm.c - srun-style patterns, Slurm metadata and local rank
 * (src/record/slurm.c), with the Slurm variables set by the test. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/record/slurm.h"

static const char *const vars[] = {
	"SLURM_JOB_ID", "SLURM_STEP_ID", "SLURMD_NODENAME", "SLURM_NODEID", "SLURM_PROCID",
	"SLURM_LOCALID", "SLURM_JOB_NUM_NODES", "SLURM_NNODES", "SLURM_JOB_NODELIST",
	"SLURM_NODELIST", "SLURM_CLUSTER_NAME",
};

static void clear(void)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

static void in_job(void)
{
	clear();
	setenv("SLURM_JOB_ID", "1234", 1);
	setenv("SLURM_STEP_ID", "0", 1);
	setenv("SLURMD_NODENAME", "n2", 1);
	setenv("SLURM_NODEID", "1", 1);
	setenv("SLURM_PROCID", "3", 1);
	setenv("SLURM_LOCALID", "1", 1);
	setenv("SLURM_JOB_NUM_NODES", "2", 1);
	setenv("SLURM_JOB_NODELIST", "n[1-2]", 1);
	setenv("SLURM_CLUSTER_NAME", "local", 1);
}

static char *expand(const char *pat)
{
	struct wl_error err;
	char *out = NULL;

	cr_assert_eq(wl_slurm_expand(pat, "-o", &out, &err), 0, "%s", err.msg);
	return out;
}

Test(slurm, patterns_as_srun)
{
	char host[256], want[600], *s;

	in_job();
	s = expand("traces/%j/%N.wlog");
	cr_assert_str_eq(s, "traces/1234/n2.wlog");
	free(s);
	s = expand("%J-%s-%n-%t-100%%");
	cr_assert_str_eq(s, "1234.0-0-1-3-100%");
	free(s);
	cr_assert_eq(gethostname(host, sizeof(host)), 0);
	host[strcspn(host, ".")] = 0;
	snprintf(want, sizeof(want), "x-%s", host);
	s = expand("x-%h");
	cr_assert_str_eq(s, want);
	free(s);
	unsetenv("SLURM_STEP_ID"); /* a batch script */
	s = expand("%J");
	cr_assert_str_eq(s, "1234.batch");
	free(s);
	clear();
}

/* Outside Slurm: the date and time, the pid and the host name (perf
 * record's and srun's names for a run that must not overwrite the last). */
Test(slurm, time_pid_host_anywhere)
{
	struct wl_error err;
	char host[256], want[600], *out = NULL;

	clear();
	setenv("TZ", "UTC", 1);
	tzset();
	/* 1700000000 s after the epoch is 2023-11-14 22:13:20 UTC */
	cr_assert_eq(wl_slurm_expand_at("run-%Y%m%d-%H%M%S.wlog", "-o", 1700000000, &out, &err),
		     0, "%s", err.msg);
	cr_assert_str_eq(out, "run-20231114-221320.wlog");
	free(out);
	cr_assert_eq(gethostname(host, sizeof(host)), 0);
	host[strcspn(host, ".")] = 0;
	snprintf(want, sizeof(want), "%s-%ld.wlog", host, (long)getpid());
	out = expand("%h-%p.wlog");
	cr_assert_str_eq(out, want);
	free(out);
	unsetenv("TZ");
	tzset();
}

Test(slurm, patterns_outside_slurm_are_errors)
{
	struct wl_error err;
	char *out = NULL;

	clear();
	cr_assert_eq(wl_slurm_expand("traces/%j/%N.wlog", "-o", &out, &err), -1);
	cr_assert_str_eq(err.msg, "-o 'traces/%j/%N.wlog': %j needs Slurm (SLURM_JOB_ID is not set)");
	out = expand("plain.wlog");
	cr_assert_str_eq(out, "plain.wlog");
	free(out);
	out = expand("100%%.wlog");
	cr_assert_str_eq(out, "100%.wlog");
	free(out);
	in_job();
	cr_assert_eq(wl_slurm_expand("a%q", "--marker-fifo", &out, &err), -1);
	cr_assert(strstr(err.msg, "--marker-fifo 'a%q': unknown pattern '%q' at byte 1"), "%s",
		  err.msg);
	cr_assert_eq(wl_slurm_expand("a%", "-o", &out, &err), -1);
	unsetenv("SLURMD_NODENAME");
	cr_assert_eq(wl_slurm_expand("%N", "-o", &out, &err), -1);
	cr_assert_str_eq(err.msg, "-o '%N': %N: SLURMD_NODENAME is not set");
	clear();
}

Test(slurm, values_leaving_the_folder_are_refused)
{
	static const char *const bad[][3] = {
		{ "SLURMD_NODENAME", "../../etc/cron.d/x", "%N" },
		{ "SLURMD_NODENAME", "..", "%N" },
		{ "SLURM_JOB_ID", "12/..", "%j" },
		{ "SLURM_JOB_ID", "a/b", "%J" },
		{ "SLURM_STEP_ID", "..", "%s" },
		{ "SLURM_PROCID", "/abs", "%t" },
	};
	struct wl_error err;
	char pat[64], want[300], *out = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in_job();
		setenv(bad[i][0], bad[i][1], 1);
		snprintf(pat, sizeof(pat), "traces/%s.wlog", bad[i][2]);
		cr_assert_eq(wl_slurm_expand(pat, "-o", &out, &err), -1, "%s accepted", bad[i][1]);
		cr_assert(strstr(err.msg, "a '/' or '..' in a value would write outside the "
				 "pattern's folder"), "%s", err.msg);
		if (bad[i][2][1] != 'J') {
			snprintf(want, sizeof(want), "-o '%s': %s is '%s'", pat, bad[i][2], bad[i][1]);
			cr_assert(!strncmp(err.msg, want, strlen(want)), "%s", err.msg);
		}
	}
	in_job();
	setenv("SLURMD_NODENAME", "../x\ny", 1);
	cr_assert_eq(wl_slurm_expand("%N", "-o", &out, &err), -1);
	cr_assert(strstr(err.msg, "'../x?y' (SLURMD_NODENAME)"), "one line: %s", err.msg);
	setenv("SLURMD_NODENAME", "n.1", 1); /* a dot alone is a name */
	out = expand("%N");
	cr_assert_str_eq(out, "n.1");
	free(out);
	clear();
}

Test(slurm, metadata_and_rank)
{
	struct wl_kv kv[WL_SLURM_META_MAX];
	size_t n;

	clear();
	cr_assert_eq(wl_slurm_meta(kv, WL_SLURM_META_MAX), 0);
	cr_assert_eq(wl_slurm_local_rank(), -1);
	in_job();
	n = wl_slurm_meta(kv, WL_SLURM_META_MAX);
	cr_assert_eq(n, 9);
	cr_assert_str_eq(kv[0].key, "slurm.job_id");
	cr_assert_str_eq(kv[0].value, "1234");
	cr_assert_str_eq(kv[2].key, "slurm.node_name");
	cr_assert_str_eq(kv[2].value, "n2");
	cr_assert_str_eq(kv[7].key, "slurm.job_nodelist");
	cr_assert_str_eq(kv[7].value, "n[1-2]");
	cr_assert_str_eq(kv[8].value, "local");
	cr_assert_eq(wl_slurm_local_rank(), 1);
	setenv("SLURM_LOCALID", "x", 1);
	cr_assert_eq(wl_slurm_local_rank(), -1);
	clear();
}

Test(slurm, mkdirs)
{
	char tmpl[] = "/tmp/wl-test-slurm.XXXXXX", path[128], cmd[160];
	struct wl_error err;
	struct stat st;

	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/traces/1234/n1.wlog", tmpl);
	cr_assert_eq(wl_slurm_mkdirs(path, &err), 0, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/traces/1234", tmpl);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(wl_slurm_mkdirs(path, &err), 0, "existing directories are fine");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	cr_assert_eq(system(cmd), 0);
}
