/* cli.c - wattlog-record's command line (see cli.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/duration.h"
#include "cli.h"
#include "wattlog/cmdline.h"

const char wl_rec_usage[] =
	"usage: wattlog-record [options] [--] [command [arg ...]]\n"
	"\n"
	"Runs the command, records power and activity counters until it exits, and\n"
	"returns its exit status (128+N if it died of signal N).  Without a command,\n"
	"records until SIGINT/SIGTERM or --duration.\n"
	"\n"
	"  -o, --output FILE          trace file (default wattlog.wlog)\n"
	"  -f, --force                overwrite FILE if it is a regular file\n"
	"  -i, --interval DUR         sampling interval (default 10ms; 0 = as fast as possible)\n"
	"      --source-interval S=DUR[,S=DUR...]\n"
	"                             a source's own interval, e.g. rapl=1ms,nvml=20ms\n"
	"  -d, --duration DUR         stop recording after DUR\n"
	"      --tree-interval DUR    read the command's process tree (its CPU time) this\n"
	"                             often (default 1s; at least the procfs interval) and\n"
	"                             once more when the command exits\n"
	"      --flush-interval DUR   write a block at least this often (default 1s)\n"
	"      --sync-interval DUR    clock sync records this often (default 10s)\n"
	"      --marker-fifo PATH     also read markers from this FIFO (created if absent)\n"
	"      --once-per-node        under Slurm: only local rank 0 records; the other\n"
	"                             ranks run the command directly (markers through\n"
	"                             --marker-fifo; rank 0 records on after its command\n"
	"                             until they all closed it, 30 s at most)\n"
	"      --metrics-listen ADDR:PORT\n"
	"                             serve GET /metrics (OpenMetrics) there while recording,\n"
	"                             e.g. 127.0.0.1:9464 (see --list for what is served)\n"
	"      --sysfs-root DIR       read sysfs under DIR (default /sys)\n"
	"      --procfs-root DIR      read procfs under DIR (default /proc)\n"
	"      --gpus LIST            GPU indices to record, e.g. 0,2 (default all)\n"
	"      --nvml-lib PATH        NVML library to load (default $WATTLOG_NVML_LIB,\n"
	"                             else libnvidia-ml.so.1; under sudo the variable\n"
	"                             is ignored and only this option names one)\n"
	"  -l, --list                 list sources and channels, then exit\n"
	"  -v, --verbose              with --list: also cost per sample and details\n"
	"      --stats                per-sample timing and CPU time on stderr at exit\n"
	"  -q, --quiet                no informational messages (nor the summary at exit)\n"
	"  -h, --help                 this text\n"
	"  -V, --version              the version\n"
	"\n"
	"DUR is a number and a unit: ns, us, ms, s, m, h (10ms, 2.5s, 1m).\n"
	"The command gets WATTLOG_MARKER_FD: lines such as 'begin prefill' or\n"
	"'@<CLOCK_MONOTONIC ns> end prefill' written to it become markers.\n"
	"FILE and PATH may hold patterns: %Y %m %d %H %M %S the local date and time\n"
	"(-o 'run-%Y%m%d-%H%M%S.wlog'), %p the recorder's pid, %h host name, %u user,\n"
	"%% a '%'; and under Slurm srun's: %j job id, %J job.step, %s step id, %N node\n"
	"name, %n node index, %t task rank (e.g. -o 'traces/%j/%N.wlog'; missing\n"
	"directories are created).  Outside Slurm a Slurm pattern is an error.  The\n"
	"trace's metadata holds the Slurm ids (slurm.job_id, slurm.node_name, ...).\n"
	"At exit one line on stderr gives the time recorded, the samples and the rate\n"
	"held per source against the rate asked, and warns when a source missed it.\n";

/* Messages quote the user's text: keep them one printable line. */
static int clean(struct wl_error *err)
{
	char *p;

	if (err)
		for (p = err->msg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
	return -1;
}

int wl_rec_parse_duration(const char *s, const char *what, uint64_t *ns, struct wl_error *err)
{
	return wl_parse_duration(s, what, ns, err) < 0 ? clean(err) : 0;
}

static int parse_source_intervals(const char *s, struct wl_rec_opts *o, struct wl_error *err)
{
	const char *p = s, *eq, *end;
	char val[64];
	size_t nlen, vlen, i;
	uint64_t ns;

	if (!*s)
		return wl_error_set(err, "bad source interval '': empty");
	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq)
			return wl_error_set(err, "bad source interval '%.*s' in '%s': expected NAME=DURATION",
					    (int)(end - p), p, s);
		nlen = (size_t)(eq - p);
		vlen = (size_t)(end - eq - 1);
		if (nlen == 0 || nlen >= sizeof(o->src[0].name))
			return wl_error_set(err, "bad source interval '%.*s' in '%s': bad source name",
					    (int)(end - p), p, s);
		if (vlen >= sizeof(val))
			return wl_error_set(err, "bad source interval '%.*s' in '%s': duration too long",
					    (int)(end - p), p, s);
		memcpy(val, eq + 1, vlen);
		val[vlen] = 0;
		if (wl_rec_parse_duration(val, "source interval", &ns, err) < 0)
			return -1;
		for (i = 0; i < o->nsrc; i++)
			if (strlen(o->src[i].name) == nlen && !memcmp(o->src[i].name, p, nlen))
				break;
		if (i == o->nsrc) {
			if (o->nsrc == WL_REC_MAX_SRC_INTERVALS)
				return wl_error_set(err, "bad source interval '%s': more than %d sources",
						    s, WL_REC_MAX_SRC_INTERVALS);
			memcpy(o->src[i].name, p, nlen);
			o->src[i].name[nlen] = 0;
			o->nsrc++;
		}
		o->src[i].period_ns = ns;
		p = *end ? end + 1 : end;
		if (*end && !*p)
			return wl_error_set(err, "bad source interval '%s': trailing comma", s);
	}
	return 0;
}

int wl_rec_parse_source_intervals(const char *s, struct wl_rec_opts *o, struct wl_error *err)
{
	return parse_source_intervals(s, o, err) < 0 ? clean(err) : 0;
}

static int parse_fd(const char *s, const char *what, int *fd, struct wl_error *err)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 1 << 20)
		return wl_error_set(err, "bad %s '%s': not a file descriptor number", what, s);
	*fd = (int)v;
	return 0;
}

enum {
	OPT_SOURCE_INTERVAL = 256,
	OPT_FLUSH,
	OPT_SYNC,
	OPT_FIFO,
	OPT_SYSFS,
	OPT_PROCFS,
	OPT_GPUS,
	OPT_STATS,
	OPT_STATS_FD,
	OPT_ONCE,
	OPT_NVML_LIB,
	OPT_METRICS,
	OPT_TREE,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "interval", required_argument, NULL, 'i' },
	{ "duration", required_argument, NULL, 'd' },
	{ "source-interval", required_argument, NULL, OPT_SOURCE_INTERVAL },
	{ "flush-interval", required_argument, NULL, OPT_FLUSH },
	{ "sync-interval", required_argument, NULL, OPT_SYNC },
	{ "marker-fifo", required_argument, NULL, OPT_FIFO },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS },
	{ "procfs-root", required_argument, NULL, OPT_PROCFS },
	{ "gpus", required_argument, NULL, OPT_GPUS },
	{ "nvml-lib", required_argument, NULL, OPT_NVML_LIB },
	{ "list", no_argument, NULL, 'l' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "stats-fd", required_argument, NULL, OPT_STATS_FD },
	{ "once-per-node", no_argument, NULL, OPT_ONCE },
	{ "metrics-listen", required_argument, NULL, OPT_METRICS },
	{ "tree-interval", required_argument, NULL, OPT_TREE },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_rec_cmdline = {
	"wattlog-record", "[options] [--] [command [arg ...]]", "+:o:fi:d:lvqhV", longopts,
};

static int parse_args(int argc, char **argv, struct wl_rec_opts *o, struct wl_error *err)
{
	const char *env;
	int c, have_stats_fd = 0;

	memset(o, 0, sizeof(*o));
	o->output = "wattlog.wlog";
	o->interval_ns = 10000000ull;
	o->flush_ns = 1000000000ull;
	o->sync_ns = 10000000000ull;
	o->tree_ns = 1000000000ull;
	o->stats_fd = -1;
	o->sysfs_root = "/sys";
	o->procfs_root = "/proc";
	optind = 0; /* glibc: a full restart, even after a parse stopped mid-cluster */
	opterr = 0;
	while ((c = getopt_long(argc, argv, wl_rec_cmdline.shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg)
				return wl_error_set(err, "bad output: empty file name");
			o->output = optarg;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'i':
			if (wl_rec_parse_duration(optarg, "interval", &o->interval_ns, err) < 0)
				return -1;
			break;
		case 'd':
			if (wl_rec_parse_duration(optarg, "duration", &o->duration_ns, err) < 0)
				return -1;
			if (!o->duration_ns)
				return wl_error_set(err, "bad duration '%s': must be > 0", optarg);
			break;
		case OPT_SOURCE_INTERVAL:
			if (wl_rec_parse_source_intervals(optarg, o, err) < 0)
				return -1;
			break;
		case OPT_FLUSH:
			if (wl_rec_parse_duration(optarg, "flush interval", &o->flush_ns, err) < 0)
				return -1;
			if (!o->flush_ns)
				return wl_error_set(err, "bad flush interval '%s': must be > 0", optarg);
			break;
		case OPT_SYNC:
			if (wl_rec_parse_duration(optarg, "sync interval", &o->sync_ns, err) < 0)
				return -1;
			if (!o->sync_ns)
				return wl_error_set(err, "bad sync interval '%s': must be > 0", optarg);
			break;
		case OPT_TREE:
			if (wl_rec_parse_duration(optarg, "tree interval", &o->tree_ns, err) < 0)
				return -1;
			if (!o->tree_ns)
				return wl_error_set(err, "bad tree interval '%s': must be > 0", optarg);
			break;
		case OPT_FIFO:
			o->marker_fifo = optarg;
			break;
		case OPT_SYSFS:
			o->sysfs_root = optarg;
			break;
		case OPT_PROCFS:
			o->procfs_root = optarg;
			break;
		case OPT_GPUS:
			o->gpus = optarg;
			break;
		case OPT_NVML_LIB:
			if (!*optarg)
				return wl_error_set(err, "bad --nvml-lib: empty file name");
			o->nvml_lib = optarg;
			break;
		case 'l':
			o->list = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			o->help = 1;
			break;
		case 'V':
			o->version = 1;
			break;
		case OPT_STATS:
			o->stats = 1;
			break;
		case OPT_ONCE:
			o->once_per_node = 1;
			break;
		case OPT_METRICS:
			o->metrics_listen = optarg;
			break;
		case OPT_STATS_FD:
			if (parse_fd(optarg, "--stats-fd", &o->stats_fd, err) < 0)
				return -1;
			have_stats_fd = 1;
			break;
		default: /* '?' or ':' */
			wl_getopt_problem(c, argv, longopts, err->msg, sizeof(err->msg));
			return -1;
		}
	}
	env = getenv("WATTLOG_STATS_FD");
	if (!have_stats_fd && env && *env &&
	    parse_fd(env, "WATTLOG_STATS_FD", &o->stats_fd, err) < 0)
		return -1;
	if (optind < argc) {
		o->cmd = argv + optind;
		o->ncmd = argc - optind;
	}
	return 0;
}

int wl_rec_parse_args(int argc, char **argv, struct wl_rec_opts *o, struct wl_error *err)
{
	return parse_args(argc, argv, o, err) < 0 ? clean(err) : 0;
}
