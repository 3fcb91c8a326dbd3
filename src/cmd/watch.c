/*
 * watch.c - `wattlog watch FILE`: follows a trace while it is written (as
 * tail -f does) and shows, every interval, the time recorded, the power and
 * energy so far of each energy component and of the total, and the markers
 * still open.  On a terminal a small table is redrawn; otherwise one line
 * per interval.  Whole blocks only, through the trace reader's follow mode
 * (a block still being written is read at the next interval); energy by the
 * rule of energy_rule.h, reading by reading (struct wl_live_energy).  Ends
 * when the trace's end record (META end_monotonic_ns) arrives, or after
 * --count intervals.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wattlog/cmdline.h"
#include "wattlog/commands.h"
#include "wattlog/duration.h"
#include "wattlog/energy_rule.h"
#include "wattlog/trace.h"
#include "wattlog/walk.h"

#define MAX_CHANS 1024 /* power channels followed */
#define MAX_COMPS 32
#define MAX_OPEN 32    /* open markers shown (more are counted) */
#define OPEN_MAX 64

struct wchan {
	uint16_t id;
	char component[32];
	char node[32];     /* a merged trace's node (wl_merged_chan_node), else "" */
	int cls;
	struct wl_live_energy acc;
};

struct watch {
	struct wchan ch[MAX_CHANS];
	size_t nch;
	short idx[65536];  /* channel id -> ch index + 1, 0 = not followed */
	double t_last;
	int have_t, ended;
	int merged;        /* META job.merged = 1: a merged job's trace */
	char open[MAX_OPEN][OPEN_MAX];
	size_t nopen, nopen_more;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: wattlog watch FILE [--interval DUR] [--count N]\n\n"
		   "Follows a trace while wattlog-record writes it: time recorded, power and\n"
		   "energy so far per component and in total, markers still open.  A table\n"
		   "redrawn on a terminal, one line per interval otherwise.  Ends when the\n"
		   "recording ends (the trace's end record), or after N intervals.\n\n"
		   "      --interval DUR   refresh every DUR (default 1s; 10ms, 2.5s, 1m)\n"
		   "      --count N        stop after N intervals (default: at the end record)\n"
		   "  -h, --help           this text\n\n"
		   "Energy uses the analyzer's rule; the recorder writes a block at least every\n"
		   "--flush-interval (default 1s), so what is shown lags by up to that much.\n");
}

static void add_channel(struct watch *w, const struct wl_chan_info *c)
{
	const char *comp = c->component; /* the reader's: stated or derived */
	struct wchan *x;

	if (!*comp || w->nch == MAX_CHANS || w->idx[c->id])
		return;
	x = &w->ch[w->nch];
	if (wl_live_energy_init(&x->acc, c) < 0)
		return; /* not a power channel */
	x->id = c->id;
	snprintf(x->component, sizeof(x->component), "%s", comp);
	snprintf(x->node, sizeof(x->node), "%.*s", w->merged ? (int)wl_merged_chan_node(c->device) : 0,
		 c->device);
	x->cls = wl_energy_class(c->kind == WL_KIND_COUNTER, c->instant);
	w->idx[c->id] = (short)++w->nch;
}

/* "begin request 42 model=x" and "end request 42 tokens_out=7" pair on
 * the words before the first key=value: "request 42". */
static size_t marker_key(const char *text, char *key, size_t sz)
{
	const char *p = text;
	size_t n = 0;

	while (*p) {
		const char *w = p;
		size_t len = strcspn(p, " ");

		if (memchr(w, '=', len))
			break;
		if (n && n + 1 < sz)
			key[n++] = ' ';
		if (n + len >= sz)
			len = sz - 1 - n;
		memcpy(key + n, w, len);
		n += len;
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	key[n] = 0;
	return n;
}

static void marker(struct watch *w, const char *text)
{
	char key[OPEN_MAX];
	size_t i;
	int begin = !strncmp(text, "begin ", 6);

	if (!begin && strncmp(text, "end ", 4))
		return;
	marker_key(text + (begin ? 6 : 4), key, sizeof(key));
	for (i = 0; i < w->nopen && strcmp(w->open[i], key); i++)
		;
	if (begin) {
		if (i < w->nopen)
			return;
		if (w->nopen == MAX_OPEN) {
			w->nopen_more++;
			return;
		}
		snprintf(w->open[w->nopen++], OPEN_MAX, "%s", key);
	} else if (i < w->nopen) {
		memmove(w->open[i], w->open[i + 1], (w->nopen - i - 1) * OPEN_MAX);
		w->nopen--;
	} else if (w->nopen_more) {
		w->nopen_more--;
	}
}

/* Reads every whole record there is now (the trace walker: times and
 * values, walk.h).  0, or -1 with err. */
static int read_new(struct watch *w, struct wl_walk *wk, struct wl_error *err)
{
	struct wl_step st;
	const struct wl_record *rec = &st.rec;
	size_t i, k;
	int rc;

	while ((rc = wl_walk_next(wk, &st, err)) == 1) {
		switch (rec->kind) {
		case WL_REC_META:
			for (k = 0; k < rec->u.meta.n; k++) {
				const struct wl_kv *kv = &rec->u.meta.kv[k];

				w->ended |= !strcmp(kv->key, "end_monotonic_ns");
				w->merged |= !strcmp(kv->key, "job.merged") && !strcmp(kv->value, "1");
			}
			break;
		case WL_REC_CHANNEL:
			add_channel(w, rec->u.channel);
			break;
		case WL_REC_SAMPLE:
			w->t_last = st.t;
			w->have_t = 1;
			for (i = 0; i < rec->u.sample.n; i++) {
				uint16_t id = rec->u.sample.ids[i];

				if (w->idx[id])
					wl_live_energy_push(&w->ch[w->idx[id] - 1].acc, st.t, st.v[i]);
			}
			break;
		case WL_REC_MARKER:
			marker(w, rec->u.marker.text);
			break;
		default:
			break;
		}
	}
	return rc < 0 ? -1 : 0;
}

struct comp {
	char name[32];
	const char *node;
	int best;
	double power_w, energy_j;
	int have_power, have_energy;
};

/* Components in order of first declaration: the best class's channels summed. */
static size_t components(const struct watch *w, struct comp *c)
{
	size_t n = 0, i, j;

	for (i = 0; i < w->nch; i++) {
		for (j = 0; j < n && strcmp(c[j].name, w->ch[i].component); j++)
			;
		if (j == n) {
			if (n == MAX_COMPS)
				continue;
			memset(&c[n], 0, sizeof(c[n]));
			snprintf(c[n].name, sizeof(c[n].name), "%s", w->ch[i].component);
			c[n].node = w->ch[i].node;
			c[n++].best = WL_NCLASS;
		}
		if (w->ch[i].cls < c[j].best)
			c[j].best = w->ch[i].cls;
	}
	for (i = 0; i < w->nch; i++) {
		const struct wchan *x = &w->ch[i];

		for (j = 0; j < n && strcmp(c[j].name, x->component); j++)
			;
		if (j == n || x->cls != c[j].best)
			continue;
		if (x->acc.have_power) {
			c[j].power_w += x->acc.power_w;
			c[j].have_power = 1;
		}
		if (wl_live_energy_known(&x->acc)) {
			c[j].energy_j += x->acc.acc.energy_j;
			c[j].have_energy = 1;
		}
	}
	return n;
}

static void show(const struct watch *w, const char *path, int tty)
{
	struct comp c[MAX_COMPS + 1];
	size_t n = components(w, c), i;
	struct wl_total_scope scope;
	double t = w->have_t ? w->t_last : 0;

	memset(&c[n], 0, sizeof(c[n]));
	snprintf(c[n].name, sizeof(c[n].name), "total");
	wl_total_scope_init(&scope);
	for (i = 0; i < n; i++)
		wl_total_scope_add(&scope, c[i].name, c[i].node);
	for (i = 0; i < n; i++) {
		if (!wl_component_name_in_total(c[i].name, c[i].node, &scope))
			continue;
		c[n].power_w += c[i].power_w;
		c[n].energy_j += c[i].energy_j;
		c[n].have_power |= c[i].have_power;
		c[n].have_energy |= c[i].have_energy;
	}
	if (tty) {
		printf("\033[H\033[J%s  %.1f s%s\n\n%-12s %12s %14s\n", path, t,
		       w->ended ? "  (recording ended)" : "", "component", "power W", "energy J");
		for (i = 0; i <= n; i++) {
			printf("%-12s", c[i].name);
			c[i].have_power ? printf(" %12.1f", c[i].power_w) : printf(" %12s", "-");
			c[i].have_energy ? printf(" %14.1f\n", c[i].energy_j) : printf(" %14s\n", "-");
		}
		printf("\nopen markers: %zu", w->nopen + w->nopen_more);
		for (i = 0; i < w->nopen; i++)
			printf("%s%s", i ? ", " : "  ", w->open[i]);
		printf("\n");
	} else {
		printf("t=%.1fs", t);
		for (i = 0; i <= n; i++) {
			printf("  %s", c[i].name);
			c[i].have_power ? printf(" %.1fW", c[i].power_w) : printf(" -W");
			c[i].have_energy ? printf(" %.1fJ", c[i].energy_j) : printf(" -J");
		}
		printf("  open=%zu", w->nopen + w->nopen_more);
		for (i = 0; i < w->nopen; i++)
			printf("%s%s", i ? "," : " ", w->open[i]);
		printf("%s\n", w->ended ? "  end" : "");
	}
	fflush(stdout);
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	while (nanosleep(&ts, &ts) < 0)
		;
}

static const struct option opts[] = {
	{ "interval", required_argument, NULL, 'n' },
	{ "count", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct wl_cmdline wl_cmdline_watch = {
	"wattlog watch", "[--interval DUR] [--count N] FILE", "h", opts,
};

int cmd_watch(int argc, char **argv)
{
	static struct watch w;
	struct wl_walk *r;
	struct wl_error err;
	uint64_t interval = 1000000000ull;
	unsigned long count = 0, k;
	char *end;
	int c, tty = isatty(STDOUT_FILENO), rc = 0;

	optind = 1;
	while ((c = wl_getopt(&wl_cmdline_watch, argc, argv)) != -1) {
		switch (c) {
		case 'n':
			if (wl_parse_duration(optarg, "interval", &interval, &err) < 0) {
				fprintf(stderr, "wattlog watch: %s\n", err.msg);
				return 2;
			}
			if (!interval) {
				fprintf(stderr, "wattlog watch: bad interval '%s': must be > 0\n",
					optarg);
				return 2;
			}
			break;
		case 'c':
			count = strtoul(optarg, &end, 10);
			if (!*optarg || *end || !count || *optarg == '-') {
				fprintf(stderr, "wattlog watch: bad count '%s': a number >= 1\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return 2; /* wl_getopt said why */
		}
	}
	if (optind + 1 != argc) {
		wl_usage_error(&wl_cmdline_watch, optind == argc ? "no trace given" :
			       "one trace at a time");
		return 2;
	}
	memset(&w, 0, sizeof(w));
	r = wl_walk_open(argv[optind], &err);
	if (!r) {
		fprintf(stderr, "wattlog watch: %s\n", err.msg);
		return 2;
	}
	wl_reader_follow(wl_walk_reader(r));
	for (k = 0;;) {
		if (read_new(&w, r, &err) < 0) {
			fprintf(stderr, "wattlog watch: %s\n", err.msg);
			rc = 2;
			break;
		}
		show(&w, argv[optind], tty);
		if (w.ended || (count && ++k >= count))
			break;
		sleep_ns(interval);
		if (wl_reader_refresh(wl_walk_reader(r), &err) < 0) {
			fprintf(stderr, "wattlog watch: %s\n", err.msg);
			rc = 2;
			break;
		}
	}
	wl_walk_free(r);
	return rc;
}
