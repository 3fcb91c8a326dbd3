/*
 * info_trace.c - `wattlog info` of one wattlog trace, read in one pass.
 * Times are seconds since the origin of the trace walker (walk.h).  A source's mean rate is (n - 1) / (t_last - t_first) over
 * its n sample records; a sample record belongs to the source of its first
 * channel.  A source's polling groups (NVML's 20 ms and 100 ms groups) are
 * its channels with the same median interval between their values (within
 * one bin of 64 per decade, 3.7%): a channel that misses an instant now
 * and then (a CPU without a tick) stays in its group.  Each group is shown
 * with its mean rate, (n - 1) / (t_last - t_first) of its most sampled
 * channel, and the interval 1 / rate, when a source has more than one.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "info.h"
#include "wattlog/trace.h"
#include "wattlog/walk.h"

#define SHOW 20 /* markers and log records listed */

struct src {
	char name[32];
	size_t n;
	uint64_t first, last;
};

/* One channel's sampling: count, first and last time, and a histogram of
 * the intervals between its values (HBINS log bins, 64 a decade, from 1 ns). */
#define HBINS (64 * 13)
struct chan {
	uint64_t n, first, last;
	uint32_t *hist;
};

struct note {
	uint64_t t_ns;
	unsigned level; /* markers: flags */
	char *text;
};

struct info {
	char **key, **val;
	size_t nmeta;
	struct src *src;
	size_t nsrc;
	struct chan *ch; /* by channel id, 65536 */
	struct note mk[SHOW], log[SHOW];
	size_t nmk, nlog;
	int have_sample;
	uint64_t first, last;
};

static int meta(struct info *in, const char *k, const char *v)
{
	size_t i;
	void *p;

	for (i = 0; i < in->nmeta; i++)
		if (!strcmp(in->key[i], k))
			break;
	if (i == in->nmeta) {
		if (!(p = realloc(in->key, (i + 1) * sizeof(char *))))
			return -1;
		in->key = p;
		if (!(p = realloc(in->val, (i + 1) * sizeof(char *))))
			return -1;
		in->val = p;
		if (!(in->key[i] = strdup(k)))
			return -1;
		in->val[i] = NULL;
		in->nmeta++;
	}
	free(in->val[i]);
	return (in->val[i] = strdup(v)) ? 0 : -1;
}

static int sample(struct info *in, const struct wl_reader *r, const struct wl_record *rec)
{
	const char *name = rec->u.sample.n ?
		wl_reader_channel(r, rec->u.sample.ids[0])->source : "(empty)";
	struct src *s;
	size_t i;

	if (!in->have_sample)
		in->first = rec->t_ns;
	in->have_sample = 1;
	in->last = rec->t_ns;
	for (i = 0; i < in->nsrc; i++)
		if (!strcmp(in->src[i].name, name))
			break;
	if (i == in->nsrc) {
		s = realloc(in->src, (i + 1) * sizeof(*s));
		if (!s)
			return -1;
		in->src = s;
		memset(&s[i], 0, sizeof(*s));
		snprintf(s[i].name, sizeof(s[i].name), "%s", name);
		s[i].first = rec->t_ns;
		in->nsrc++;
	}
	s = &in->src[i];
	s->n++;
	s->last = rec->t_ns;
	if (!in->ch && !(in->ch = calloc(65536, sizeof(*in->ch))))
		return -1;
	for (i = 0; i < rec->u.sample.n; i++) {
		struct chan *c = &in->ch[rec->u.sample.ids[i]];

		if (c->n && rec->t_ns > c->last) {
			long b = lround(floor(64 * log10((double)(rec->t_ns - c->last))));

			if (!c->hist && !(c->hist = calloc(HBINS, sizeof(*c->hist))))
				return -1;
			c->hist[b < 0 ? 0 : b >= HBINS ? HBINS - 1 : b]++;
		}
		if (!c->n++)
			c->first = rec->t_ns;
		c->last = rec->t_ns;
	}
	return 0;
}

/* The bin of a channel's median interval; -1 without two values. */
static long median_bin(const struct chan *c)
{
	uint64_t k = 0;
	long b;

	if (!c->hist)
		return -1;
	for (b = 0; b < HBINS; b++)
		if ((k += c->hist[b]) * 2 >= c->n - 1)
			return b;
	return -1;
}

/* The channels of source, in id order: ids[], their median bins in bins[];
 * returns how many (at most cap). */
static size_t source_chans(const struct info *in, const struct wl_reader *r, const char *source,
			   uint16_t *ids, long *bins, size_t cap)
{
	const struct wl_chan_info *c;
	size_t n = 0;
	unsigned i;

	for (i = 0; i < 65536 && n < cap; i++)
		if ((c = wl_reader_channel(r, (uint16_t)i)) && !strcmp(c->source, source) &&
		    in->ch[i].n) {
			ids[n] = (uint16_t)i;
			bins[n++] = median_bin(&in->ch[i]);
		}
	return n;
}

static int near(long a, long b)
{
	return a >= 0 && b >= 0 && labs(a - b) <= 1;
}

/* Under a source with more than one polling group: a line per group, its
 * median interval, mean rate and channels' names (each name once). */
static void groups(const struct info *in, const struct wl_reader *r, const char *source)
{
	static uint16_t ids[65536];
	static long bins[65536];
	size_t n, i, j, k, ng = 0;

	if (!in->ch)
		return;
	n = source_chans(in, r, source, ids, bins, 65536);
	for (i = 0; i < n && ng < 2; i++) { /* two groups at least? */
		for (j = 0; j < i; j++)
			if (near(bins[i], bins[j]) || (bins[i] < 0 && bins[j] < 0))
				break;
		ng += j == i;
	}
	if (ng < 2)
		return;
	for (i = 0; i < n; i++) {
		double rate = 0;
		size_t nch = 0, shown = 0;

		for (j = 0; j < i; j++)
			if (near(bins[i], bins[j]) || (bins[i] < 0 && bins[j] < 0))
				break;
		if (j < i)
			continue; /* shown with its group */
		for (j = i; j < n; j++) {
			const struct chan *c = &in->ch[ids[j]];
			double span = (double)(c->last - c->first) / 1e9;

			if (!(near(bins[i], bins[j]) || (bins[i] < 0 && bins[j] < 0)))
				continue;
			nch++;
			if (c->n > 1 && span > 0 && (double)(c->n - 1) / span > rate)
				rate = (double)(c->n - 1) / span;
		}
		if (bins[i] >= 0 && rate > 0)
			printf("    every %.4g ms, %.3f Hz, %zu channel%s:", 1e3 / rate, rate, nch,
			       nch == 1 ? "" : "s");
		else
			printf("    once, %zu channel%s:", nch, nch == 1 ? "" : "s");
		for (j = i; j < n; j++) {
			const char *name = wl_reader_channel(r, ids[j])->name;

			if (!(near(bins[i], bins[j]) || (bins[i] < 0 && bins[j] < 0)))
				continue;
			for (k = i; k < j; k++) /* the name shown already (another device) */
				if ((near(bins[i], bins[k]) || (bins[i] < 0 && bins[k] < 0)) &&
				    !strcmp(wl_reader_channel(r, ids[k])->name, name))
					break;
			if (k == j)
				printf("%s %s", shown++ ? "," : "", name);
		}
		printf("\n");
	}
}

static int note(struct note *list, size_t *n, uint64_t t, unsigned level, const char *text)
{
	if (*n < SHOW) {
		list[*n].t_ns = t;
		list[*n].level = level;
		if (!(list[*n].text = strdup(text)))
			return -1;
	}
	(*n)++;
	return 0;
}

static int take(struct info *in, const struct wl_reader *r, const struct wl_record *rec)
{
	size_t k;

	switch (rec->kind) {
	case WL_REC_META:
		for (k = 0; k < rec->u.meta.n; k++)
			if (meta(in, rec->u.meta.kv[k].key, rec->u.meta.kv[k].value))
				return -1;
		return 0;
	case WL_REC_SAMPLE:
		return sample(in, r, rec);
	case WL_REC_MARKER:
		return note(in->mk, &in->nmk, rec->t_ns, rec->u.marker.flags, rec->u.marker.text);
	case WL_REC_LOG:
		return note(in->log, &in->nlog, rec->t_ns, rec->u.log.level, rec->u.log.text);
	}
	return 0;
}

static void show(const struct info *in, const struct wl_walk *w, const char *path)
{
	const struct wl_reader *r = wl_walk_reader(w);
	static const char *const level[] = { "info", "warn", "error" };
	static const char *const type[] = { "f64", "u64", "i64" };
	const struct wl_chan_info *c;
	const struct wl_damage *d;
	unsigned maj, min;
	size_t i, nd;

	wl_reader_version(r, &maj, &min);
	printf("file: %s\nformat: wattlog trace, version %u.%u\n", path, maj, min);
	printf("metadata:\n");
	for (i = 0; i < in->nmeta; i++)
		printf("  %s: %s\n", in->key[i], in->val[i]);
	printf("channels:\n  %5s %-12s %-12s %-24s %-6s %-7s %-4s %-14s %s\n", "id", "source",
	       "device", "name", "unit", "kind", "type", "wrap", "scale");
	for (i = 0; i < 65536; i++) {
		if (!(c = wl_reader_channel(r, (uint16_t)i)))
			continue;
		printf("  %5u %-12s %-12s %-24s %-6s %-7s %-4s %-14llu %.17g\n", c->id,
		       *c->source ? c->source : "-", *c->device ? c->device : "-", c->name,
		       *c->unit ? c->unit : "-", c->kind == WL_KIND_COUNTER ? "counter" : "gauge",
		       type[c->type], (unsigned long long)c->wrap, c->scale);
	}
	if (in->have_sample)
		printf("duration: %.6f s (samples from %.6f s to %.6f s)\n",
		       wl_walk_secs(w, in->last) - wl_walk_secs(w, in->first),
		       wl_walk_secs(w, in->first), wl_walk_secs(w, in->last));
	else
		printf("duration: no samples\n");
	printf("sources:\n");
	for (i = 0; i < in->nsrc; i++) {
		const struct src *s = &in->src[i];
		double span = wl_walk_secs(w, s->last) - wl_walk_secs(w, s->first);

		if (s->n > 1 && span > 0)
			printf("  %-12s %zu samples, %.3f Hz\n", s->name, s->n,
			       (double)(s->n - 1) / span);
		else
			printf("  %-12s %zu samples\n", s->name, s->n);
		groups(in, r, s->name);
	}
	printf("markers: %zu\n", in->nmk);
	for (i = 0; i < in->nmk && i < SHOW; i++)
		printf("  %12.6f s  %s%s\n", wl_walk_secs(w, in->mk[i].t_ns), in->mk[i].text,
		       in->mk[i].level & WL_MARKER_TRUTH ? " (truth)" : "");
	if (in->nmk > SHOW)
		printf("  ... %zu more\n", in->nmk - SHOW);
	printf("log records: %zu\n", in->nlog);
	for (i = 0; i < in->nlog && i < SHOW; i++)
		printf("  %12.6f s  %s: %s\n", wl_walk_secs(w, in->log[i].t_ns),
		       in->log[i].level < 3 ? level[in->log[i].level] : "?", in->log[i].text);
	nd = wl_reader_damage(r, &d);
	printf("damaged blocks: %s\n", nd ? "" : "none");
	for (i = 0; i < nd; i++)
		printf("  offset %llu, %llu bytes: %s\n", (unsigned long long)d[i].offset,
		       (unsigned long long)d[i].length, d[i].what);
}

int wl_info_trace(const char *path)
{
	struct info in;
	struct wl_error err;
	struct wl_step st;
	struct wl_walk *w;
	const struct wl_damage *d;
	size_t i;
	int rc;

	w = wl_walk_open(path, &err);
	if (!w) {
		fprintf(stderr, "wattlog info: %s\n", err.msg);
		return 2;
	}
	memset(&in, 0, sizeof(in));
	while ((rc = wl_walk_next(w, &st, &err)) == 1)
		if (take(&in, wl_walk_reader(w), &st.rec)) {
			rc = wl_error_set(&err, "out of memory reading '%s'", path);
			break;
		}
	if (rc < 0)
		fprintf(stderr, "wattlog info: %s\n", err.msg);
	else
		show(&in, w, path);
	rc = rc < 0 ? 2 : wl_reader_damage(wl_walk_reader(w), &d) ? 1 : 0;
	for (i = 0; i < in.nmeta; i++) {
		free(in.key[i]);
		free(in.val[i]);
	}
	for (i = 0; i < in.nmk && i < SHOW; i++)
		free(in.mk[i].text);
	for (i = 0; i < in.nlog && i < SHOW; i++)
		free(in.log[i].text);
	free(in.key);
	free(in.val);
	free(in.src);
	if (in.ch)
		for (i = 0; i < 65536; i++)
			free(in.ch[i].hist);
	free(in.ch);
	wl_walk_free(w);
	return rc;
}
