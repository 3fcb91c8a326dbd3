/*
 * stream.h - the execution report of a wattlog trace in two passes over the
 * file, in memory that does not grow with the trace's length
 * (src/analyze/pipeline/stream*.c), for traces too long to load whole.  AIMeter and
 * nvidia-smi CSV logs go through the same passes (wl_stream_open_csv): the
 * "trace" below is then the log, read by its own reader in pass 1 and
 * replayed in pass 2 from a spill file of its samples (stream_csv.c).
 *
 * Pass 1 reads the metadata, channels, markers and warnings into a dataset
 * that holds each channel's first and last sample only (so its span is the
 * trace's), and per channel: count, min, max, mean, the resolution flags,
 * and the first 65537 timestamps.  Pass 2, with the analysis window known,
 * computes everything else and leaves in the dataset a decimated copy of
 * every channel (the phases, the figures and carbon read it).
 *
 * What equals the in-memory report (src/cmd/report_run.c) and what does not:
 *   - energy per component, per channel and total, avg, min, max, std, twa,
 *     duration, gaps and the correlation matrix use the same rules and
 *     summation order (shared helpers of normalize.c and energy.c):
 *     equal to rounding (1e-12 relative) whenever the default gap bound and
 *     grid agree, i.e. always with --max-gap and --grid, and for series of
 *     at most 65537 samples.  The default gap bound (5 x median interval)
 *     and default grid (slowest median interval) use the median of a
 *     channel's first 65536 intervals (the in-memory path takes 65536
 *     intervals spread over the whole series).
 *   - p50/p95/p99: from the mode table below when every value is a
 *     multiple of the metric's resolution (within 1e-9 relative): exact;
 *     else from a histogram of WL_STREAM_BINS counts between the metric's
 *     min and max over the whole trace, the j-th of the m values of a bin
 *     placed at (j + 1/2) / m of its width: error below
 *     (max - min) / WL_STREAM_BINS.
 *   - mode: the metric's resolution over the whole trace; counted in a table
 *     when (max - min) / resolution < 2^22 cells (as in memory: equal), else
 *     the centre of the histogram's fullest bin.
 *   - correlation: bin means on the same grid as wl_resample (at most
 *     WL_GRID_MAX_BINS bins; an explicit --grid finer than that is
 *     coarsened too, with a note), then wl_correlation_compute: equal.
 *     A single-rate input (every grid column once at every instant, as the
 *     rows of a one-GPU AIMeter log) gets r over its rows instead
 *     (wl_corr_rows, centred on the pass-1 means): no coarsening with
 *     length, equal to the bins' r when each bin holds one row; the grid
 *     then serves the resampled table (--format csv) only, and a warning
 *     says so.
 *   - the peak power of a component summed from several channels of one
 *     class is taken at the instants where all of them have a point (the
 *     channels of one source share instants); one channel: equal.
 *   - the decimated dataset: per channel one point per bin of
 *     WL_STREAM_DECIM_S s (or span / WL_STREAM_DECIM_MAX when coarser):
 *     gauges the mean time and value of the bin, counters the last reading
 *     of the bin after their first reading (so counter energy is exact
 *     between bin edges); a last bin with fewer than half the readings of
 *     the one before is merged into it.  Phases
 *     (wl_phases_find) run on it: boundaries within one bin of the in-memory
 *     ones, phase energy exact at bin edges for counter components and the
 *     trapezoid over bin means for gauge components, phase peak power that
 *     of the bins (below the in-memory peak by the variation inside a bin).
 *     Carbon (report_run.c's carbon()) and --plots read it too: carbon's
 *     energy differs from the report's total by the bins' rounding of
 *     gauges and of the window's edges (3e-7 relative on a 60 s mkbench
 *     trace with --from/--to; equal without a window for counters).
 *   - one warning says the report was streamed and what that bounds.
 *
 * Memory, whatever the trace's length: per metric a 256 KiB histogram and
 * a mode table of at most 16 MiB (4 bytes a resolution step of its range),
 * the grid (at most WL_GRID_MAX_BINS x metrics x 12 bytes), the decimated
 * copy (at most WL_STREAM_DECIM_MAX x 16 bytes a channel); the reader's
 * mapping of the file as src/trace/reader.c bounds it.
 */
#ifndef WATTLOG_STREAM_H
#define WATTLOG_STREAM_H

#include <stddef.h>

#include "wattlog/analysis.h"
#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/ingest.h"
#include "wattlog/report.h"

#define WL_STREAM_BINS 65536          /* percentile histogram bins per metric */
#define WL_STREAM_DECIM_S 0.1         /* decimation bin of the kept dataset */
#define WL_STREAM_DECIM_MAX 50000     /* ... at most this many bins (0.1 s up
					 to 83 min, then coarser: the memory
					 stays that of a 83-min trace) */
#define WL_STREAM_MEDIAN_N 65536      /* intervals behind the median interval */
/* Above this size a wattlog trace is reported by streaming by default. */
#define WL_STREAM_AUTO_BYTES (256ull << 20)

struct wl_stream;

/* 1 when path is a regular file holding a wattlog trace (magic "WLOG") and
 * force is set or it is larger than WL_STREAM_AUTO_BYTES; else 0. */
int wl_stream_wanted(const char *path, int force);

/*
 * Pass 1 over the trace at path (max_power_w: the counter plausibility
 * bound of wl_analysis_opts, 0 = default): ds (initialized by the caller, released by
 * the caller) receives path, format "wattlog", t0_realtime, metadata,
 * channels with their first and last samples, markers and the warnings
 * ingest would give (damage, recorder logs), as wl_ingest_trace does.
 * Returns the stream state, or NULL with err.
 */
struct wl_stream *wl_stream_open(const char *path, double max_power_w, struct wl_dataset *ds,
				  struct wl_error *err);

/*
 * Pass 2 over the same file with the analysis options an (window in s since
 * origin): fills r->energy, r->metrics, r->grid and r->corr (have_grid) as
 * wl_energy_compute, wl_stats_dataset, wl_resample and
 * wl_correlation_compute do, adds their warnings to ds, and replaces each
 * channel's samples of ds by the decimated copy described above.  r->t_from,
 * r->t_to must be set.  0 or -1 with err.
 */
int wl_stream_analyse(struct wl_stream *s, const struct wl_analysis_opts *an,
		      struct wl_dataset *ds, struct wl_report *r, struct wl_error *err);

/* Above this size an AIMeter or nvidia-smi CSV log is reported by
 * streaming by default (loaded whole it takes about twice its size). */
#define WL_STREAM_CSV_AUTO_BYTES (32ull << 20)

/* 1 when path is a regular file whose format (o->format, else detected)
 * has a reader that streams (wl_ingest_streams: AIMeter, nvidia-smi), no
 * marker log is added, and force is set or it is larger than
 * WL_STREAM_CSV_AUTO_BYTES; else 0. */
int wl_stream_csv_wanted(const char *path, const struct wl_ingest_opts *o, int force);

/* As wl_stream_open, for such a CSV log read with the options o (kept by
 * pointer: o must outlive the stream): pass 1 gives ds what wl_ingest
 * gives (path, format, t0_realtime, channels with their first and last
 * samples, assumptions, warnings); wl_stream_analyse then works as for a
 * trace (stream_csv.c). */
struct wl_stream *wl_stream_open_csv(const char *path, const struct wl_ingest_opts *o,
				      double max_power_w, struct wl_dataset *ds,
				      struct wl_error *err);

void wl_stream_free(struct wl_stream *s);

/* ---- rules shared with the in-memory path -------------------------------- */

/* struct wl_counter_norm, wl_counter_norm_init/_step, struct wl_gauge_norm,
 * wl_gauge_norm_init/_step: energy_rule.h */
/* The warnings wl_normalize_channel gives for channel c (warn may be NULL). */
void wl_counter_norm_warn(const struct wl_counter_norm *s, const struct wl_channel *c,
			  struct wl_dataset *warn);

void wl_gauge_norm_warn(const struct wl_gauge_norm *g, const struct wl_channel *c,
			struct wl_dataset *warn);

/* A power gauge that read one value at all of at least 3 reads over a span
 * is not updating: warned in warn (when not NULL); stuck at 0, the points of
 * its series s (when not NULL) become NaN (no power from it, never 0 W). */
void wl_gauge_stuck(const struct wl_channel *c, struct wl_series *s, struct wl_dataset *warn);

#endif
