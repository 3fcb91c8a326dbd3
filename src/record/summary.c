/*
 * summary.c - the recorder's closing line on stderr, as perf record's:
 *     wattlog-record: 12.004 s in 'run.wlog': rapl 1201 samples, 100.05 Hz of 100 asked;
 *     procfs 121 samples, 10.08 Hz of 10 asked; command's process tree every 1 s;
 *     4 markers
 * then, where counters give it (struct wl_metrics: the analyzer's energy
 * rule on the values written), "; energy cpu 1234.5 J, gpu0 2345.6 J",
 * and a warning for each source that did not hold its rate.  The rate held
 * is samples / recording time; a source missed its rate when it took fewer
 * than 95% of the period's due instants over that time, less one for the
 * instants at either end.
 */
#include <math.h>
#include <stdio.h>

#include "metrics.h"
#include "rec.h"

/* The samples a source of period_ns is due over wall_ns: wall / period. */
static double due(const struct wl_rec_src *s, uint64_t wall_ns)
{
	return s->period_ns ? (double)wall_ns / (double)s->period_ns : 0;
}

int wl_rec_missed_rate(const struct wl_rec_src *s, uint64_t wall_ns)
{
	double d = due(s, wall_ns);

	return !s->stopped && d >= 20 && (double)s->samples + 1 < 0.95 * d;
}

void wl_rec_summary(const struct wl_rec_loop *L, uint64_t wall_ns, FILE *f)
{
	double secs = (double)wall_ns / 1e9;
	size_t i;

	fprintf(f, "wattlog-record: %.3f s in '%s':", secs, L->path);
	for (i = 0; i < L->nsrc; i++) {
		const struct wl_rec_src *s = &L->src[i];

		fprintf(f, "%s %s %llu sample%s", i ? ";" : "", s->ops->name,
			(unsigned long long)s->samples, s->samples == 1 ? "" : "s");
		if (secs > 0)
			fprintf(f, ", %.5g Hz", (double)s->samples / secs);
		if (s->period_ns)
			fprintf(f, " of %.5g asked", 1e9 / (double)s->period_ns);
		if (s->stopped)
			fprintf(f, " (stopped)");
	}
	if (!L->nsrc)
		fprintf(f, " no source");
	if (L->tree_ns)
		fprintf(f, "; command's process tree every %.5g s", (double)L->tree_ns / 1e9);
	fprintf(f, "; %llu marker%s", (unsigned long long)L->markers, L->markers == 1 ? "" : "s");
	if (L->metrics) {
		const char *comp[32];
		size_t n = wl_metrics_counter_components(L->metrics, comp, 32), k, shown = 0;

		for (k = 0; k < n; k++) {
			double j = wl_metrics_component_j(L->metrics, comp[k]);

			if (!isnan(j))
				fprintf(f, "%s %s %.1f J", shown++ ? "," : "; energy", comp[k], j);
		}
	}
	fputc('\n', f);
	for (i = 0; i < L->nsrc; i++) {
		const struct wl_rec_src *s = &L->src[i];

		if (wl_rec_missed_rate(s, wall_ns))
			fprintf(f, "wattlog-record: warning: %s held %.5g Hz, not the %.5g Hz asked "
				"(%llu of %.0f samples): this machine cannot sample it that fast; "
				"ask less (-i, --source-interval)\n", s->ops->name,
				(double)s->samples / secs, 1e9 / (double)s->period_ns,
				(unsigned long long)s->samples, due(s, wall_ns));
	}
}
