/*
 * merge.c - `wattlog merge DIR|FILE... -o job.wlog`: the per-node traces of
 * one job (a Slurm job's folder) merged into one trace on one time axis
 * (merge.h), with the job summary on standard output.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_write.h"
#include "progress.h"
#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/merge.h"
#include "wattlog/report_job.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wattlog merge [options] DIR|FILE... -o OUT.wlog\n\n"
		"Merges the per-node traces of one job (a folder such as traces/1234/ written by\n"
		"'srun wattlog-record -o traces/%%j/%%N.wlog ...', or trace files) into one trace:\n"
		"clocks aligned by each trace's realtime/monotonic sync records, devices and\n"
		"components renamed NODE/... (n1/gpu0, n1/cpu), markers suffixed ' @NODE'.\n"
		"Prints the nodes, their clock offsets and energies, the job total and the\n"
		"imbalance between nodes.  report, plot and compare also take the folder itself.\n\n"
		"options:\n"
		"  -o, --output FILE   the merged trace (required unless -n)\n"
		"  -n, --dry-run       only print the summary\n"
		"  -f, --force         overwrite FILE\n"
		"      --progress      each step and how much of each trace is read, on\n"
		"                      stderr (default: on a terminal only)\n"
		"      --max-skew S    warn about a node whose clock disagrees with the job's\n"
		"                      start by more than S seconds (default %g)\n"
		"  -h, --help          this help\n\n"
		"Exit status: 0 merged, 1 merged but partial (a node missing, unreadable or cut\n"
		"off: named), 2 bad usage or no readable trace.\n", WL_MERGE_MAX_SKEW_DEFAULT);
}

static const struct option opts[] = {
	{ "output", required_argument, NULL, 'o' },
	WL_PROGRESS_LONGOPT,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "force", no_argument, NULL, 'f' },
	{ "max-skew", required_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_merge = {
	"wattlog merge", "[options] DIR|FILE... -o OUT.wlog", "o:nfh", opts,
};

int cmd_merge(int argc, char **argv)
{
	struct wl_merge_opts mo = {0};
	struct wl_job_summary js;
	struct wl_dataset ds;
	struct wl_error err = {{0}};
	const char *out = NULL;
	struct wl_progress prog;
	int c, dry = 0, force = 0, rc, progress = 0;
	char *end, what[4200];

	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_merge, argc, argv)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			dry = 1;
			break;
		case 'f':
			force = 1;
			break;
		case WL_PROGRESS_OPT:
			progress = 1;
			break;
		case 'S':
			mo.max_skew_s = strtod(optarg, &end);
			if (*end || !(mo.max_skew_s > 0)) {
				fprintf(stderr, "wattlog merge: bad --max-skew '%s': not a positive "
					"number of seconds\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		default: return 2;
		}
	}
	if (optind >= argc || (!out && !dry)) {
		fprintf(stderr, "wattlog merge: %s\n", optind >= argc ? "no job folder or trace given"
				: "no output: give -o OUT.wlog (or -n)");
		return 2;
	}
	wl_dataset_init(&ds);
	wl_progress_init(&prog, "merge", progress);
	wl_progress_reads(&prog);
	snprintf(what, sizeof(what), "reading %d input%s", argc - optind, argc - optind > 1 ? "s" : "");
	wl_progress_step(&prog, 1, out && !dry ? 2 : 1, what);
	rc = wl_merge_paths((const char *const *)argv + optind, (size_t)(argc - optind), &mo, &ds,
			    &err);
	wl_progress_clear(&prog);
	if (rc < 0) {
		wl_progress_end(&prog);
		fprintf(stderr, "wattlog merge: %s\n", err.msg);
		wl_dataset_release(&ds);
		return 2;
	}
	for (size_t i = 0; i < ds.assume.n; i++)
		fprintf(stderr, "wattlog merge: assumed: %s\n", ds.assume.a[i].text);
	for (size_t i = 0; i < ds.nwarn; i++)
		fprintf(stderr, "wattlog merge: warning: %s\n", ds.warn[i]);
	rc = 0;
	snprintf(what, sizeof(what), "writing %s", out ? out : "");
	if (out && !dry)
		wl_progress_step(&prog, 2, 2, what);
	if (out && !dry && wl_merge_write(&ds, out, force, &err) < 0) {
		wl_progress_end(&prog);
		fprintf(stderr, "wattlog merge: %s\n", err.msg);
		rc = 2;
	}
	wl_progress_end(&prog);
	if (rc == 0 && wl_job_summary(&ds, NULL, &js, &err) < 0) {
		fprintf(stderr, "wattlog merge: %s\n", err.msg);
		rc = 2;
	} else if (rc == 0) {
		wl_report_job_text(stdout, &js);
		rc = js.partial ? 1 : 0;
		wl_job_release(&js);
	}
	wl_dataset_release(&ds);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wattlog merge: cannot write the summary\n");
		return 2;
	}
	return rc;
}
