/*
 * phases.h - windows of a run labelled idle / prefill / decode / active, from
 * the workload's markers or found from the telemetry (src/analyze/stages/phases_*.c).
 * Shared by the report, the figures and compare.
 *
 * Pipeline: wl_phases_find (markers, else automatic segmentation) fills a
 * list of windows with times and labels; wl_phases_energy then fills each
 * window's energy from wl_power_components, so that the windows of an
 * automatic segmentation, which tile the trace, sum to the report's total.
 */
#ifndef WATTLOG_PHASES_H
#define WATTLOG_PHASES_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"

enum wl_phase_source {
	WL_PHASE_MARKERS = 0,
	WL_PHASE_AUTO = 1,
	WL_PHASE_TRUTH = 2, /* WL_MARKER_TRUTH markers of `wattlog simulate` */
};

/* Components whose energy a phase keeps apart (more are summed, not kept). */
#define WL_PHASE_MAX_COMPONENTS 16

struct wl_phase {
	char label[64];     /* "idle", "prefill", "decode", "active", or a marker
			       window's "LABEL[ ID][ @NODE]" such as "request 42"
			       (for display: " @NODE" is made from node) */
	char name[32];      /* markers: LABEL alone ("request"); else = label */
	char id[48];        /* markers: the ID ("42"), "" without one */
	char node[64];      /* markers of a merged job: its markers' node
			       (struct wl_marker node, "n1"); "" for the whole run */
	size_t attr0, nattr; /* markers: its key=value attributes, both ends',
				are list->attr[attr0 .. attr0 + nattr) */
	double start_s;     /* dataset time (s since origin) */
	double end_s;
	double energy_j;    /* all components the total counts, NaN if no power */
	double avg_power_w; /* energy_j / (end_s - start_s) */
	double peak_power_w;
	double confidence;  /* 0..1; 1 for markers */
	enum wl_phase_source source;
	int depth;          /* nesting depth of marker windows, 0 = outermost */
	/* Added by the phases module. */
	double comp_energy_j[WL_PHASE_MAX_COMPONENTS]; /* per list->comp[] (J) */
	size_t nsamples;    /* auto: samples of the reference channel inside */
};

/* A marker's key=value word: a number when the whole value reads as a finite
 * one ("128", "1.5e3"), else text. */
struct wl_phase_attr {
	char key[32];
	char *text;         /* the value as written (malloc'd, the list owns it) */
	double num;         /* its number, NaN when it is text */
};

struct wl_phase_list {
	size_t n, cap;
	struct wl_phase *p;
	char **notes;       /* unmatched markers etc., one line each */
	size_t nnotes, capnotes;
	struct wl_phase_attr *attr; /* the marker windows' attributes */
	size_t nattr, capattr;
	/* Added by the phases module: filled by wl_phases_energy. */
	char comp[WL_PHASE_MAX_COMPONENTS][64]; /* component names */
	size_t ncomp;
	double total_energy_j; /* the total over the whole trace, same rule */
	char method[128];   /* e.g. "markers", "auto: power+sm_active+..." */
};

void wl_phase_list_init(struct wl_phase_list *pl);
void wl_phase_list_release(struct wl_phase_list *pl);

/* The attribute key of window w in list pl: its number (NaN when absent or
 * text), the value text in *text when not NULL (NULL when absent).  The last
 * one wins when both ends carry it. */
double wl_phase_attr_num(const struct wl_phase_list *pl, const struct wl_phase *w,
			 const char *key, const char **text);

/* Appends a copy of *ph (0, or -1 out of memory) and a printf-style note. */
int wl_phase_list_push(struct wl_phase_list *pl, const struct wl_phase *ph);
int wl_phase_list_note(struct wl_phase_list *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- markers (src/analyze/model/phases_markers.c) ------------------------------ */

/*
 * The grammar of a window marker:
 *     begin|end LABEL [ID] [key=value ...]
 * words separated by blanks; the second word after begin/end is the ID
 * unless it holds '='.  node is the marker's node (struct wl_marker node:
 * a merged job's, NULL or "" for the whole run); with one, text ends in the
 * " @NODE" merge.h gives it for display, and the words end before it.
 * Without one, every word is the workload's: "begin a @x" has the ID "@x".
 * Pointers go into text, w->node is node.  nbad counts words after the ID
 * that are not key=value (kept out of the attributes).  0, or -1 when text
 * is not "begin|end LABEL...".
 */
struct wl_marker_words {
	int begin;                /* 1 begin, 0 end */
	const char *label, *id, *attrs, *node; /* node: NULL for the whole run */
	size_t label_len, id_len, attrs_len, node_len; /* id_len 0: no ID */
	int nbad;
};
int wl_marker_words(const char *text, const char *node, struct wl_marker_words *w);

/*
 * Windows from begin/end markers (grammar above).  Markers are taken in time
 * order (a file whose markers are out of order gets a note); an end closes
 * the latest open begin of the same (LABEL, ID, NODE), so same-key windows
 * nest; pairing takes time linear in the number of markers (a hash map
 * from key to its open windows) plus one sort when they are out of order.
 * depth is the number of windows of the same node open at a window's begin.
 * The attributes of both ends are kept (out->attr).  Markers that do not
 * pair (an end without a begin, a begin never ended, a marker that is not
 * begin/end), and windows that end while a later window of the same ID
 * (or, both without an ID, of none) is still open, are counted: one note per
 * kind, with the count and the first case, never guessed into windows.
 * Concurrent windows of different IDs are no overlap.  Markers flagged
 * WL_MARKER_TRUTH are skipped (wl_phases_truth reads only those).  Windows
 * are sorted by start (then outer first); confidence 1; energy NaN until
 * wl_phases_energy.  Returns the number of windows (>= 0), or -1 with err.
 */
int wl_phases_markers(const struct wl_dataset *ds, struct wl_phase_list *out,
		      struct wl_error *err);
int wl_phases_truth(const struct wl_dataset *ds, struct wl_phase_list *out,
		    struct wl_error *err);

/* ---- automatic segmentation (phases_auto.c, _segment.c, _label.c) -------- */

struct wl_phase_opts {
	int force_auto;      /* 1: segment even when markers exist */
	double min_seg_s;    /* shortest segment; 0 = max(3 periods, 0.2 s) */
	double penalty;      /* change-point penalty in units of noise variance;
				0 = chosen from the data (see phases_segment.c) */
	int power_only;      /* 1: ignore activity channels (test/ablation) */
};

void wl_phase_opts_init(struct wl_phase_opts *o);

/*
 * Segments the trace from its telemetry and labels each segment.  The
 * reference grid is the timestamps of the GPU power series (or, without a
 * GPU, the largest power component; without power, the first activity
 * channel).  The segments tile [first, last] of the dataset span: the first
 * starts at the span's first time, the last ends at its last, and a boundary
 * lies halfway between the two samples it separates.  Labels: "idle",
 * "prefill", "decode", or "active" when the channels cannot tell (power
 * only).  Adjacent segments with the same label are merged.  0 or -1 with
 * err (no power and no activity channel, fewer than 4 samples, no memory).
 */
int wl_phases_auto(const struct wl_dataset *ds, const struct wl_phase_opts *o,
		   struct wl_phase_list *out, struct wl_error *err);

/* Markers when the dataset has begin/end markers (not TRUTH) and !force_auto,
 * else wl_phases_auto; then wl_phases_energy.  0 or -1 with err. */
int wl_phases_find(const struct wl_dataset *ds, const struct wl_phase_opts *o,
		   struct wl_phase_list *out, struct wl_error *err);

/* ---- energy (src/analyze/stages/phases_energy.c) -------------------------------- */

/*
 * Fills energy_j (sum over the components that count in the total of
 * wl_series_energy over [start_s, end_s]), comp_energy_j, avg_power_w =
 * energy_j / (end_s - start_s), peak_power_w (max of wl_power_total at its
 * samples inside the window; with none inside, at the window's ends; NaN
 * without power), out->comp and
 * out->total_energy_j (the same sum over the whole span).  Without any power
 * channel energies are NaN and 0 is returned.  0 or -1 with err.
 */
int wl_phases_energy(const struct wl_dataset *ds, struct wl_phase_list *out,
		     struct wl_error *err);

/* The outermost (depth 0) phases of in that overlap [t0, t1], clipped to
 * it, into out (initialized by the caller), with their energies by
 * wl_phases_energy: the split of a figure's window.  0 or -1 with err. */
int wl_phases_clip(const struct wl_dataset *ds, const struct wl_phase_list *in, double t0,
		   double t1, struct wl_phase_list *out, struct wl_error *err);

/* ---- internals shared by the phase files --------------------------------- */

/* Segmentation of a d x n feature matrix x (row-major by sample: x[i*d+j])
 * into segments of at least min_len samples, by PELT with the L2 cost of
 * each standardized feature and penalty pen.  bounds receives the first
 * sample of each segment after the first (ascending); returns their count
 * (>= 0) or -1 out of memory.  *bounds is malloc'd (caller frees). */
long wl_phases_pelt(const double *x, size_t n, size_t d, size_t min_len, double pen,
		    size_t **bounds);

/* As wl_phases_pelt, in about linear time for any n: above 2000 samples,
 * PELT on block means, each boundary then refined at full resolution
 * (phases_segment.c). */
long wl_phases_segment(const double *x, size_t n, size_t d, size_t min_len, double pen,
		       size_t **bounds);

/* Running median of width w (odd) over x[0..n), edges shrink the window. */
int wl_phases_median_filter(const double *x, size_t n, size_t w, double *out);

/* The signature of one segment: medians over its samples, NaN where a channel
 * is absent.  Activities in % (0..100), clock in MHz, power in W. */
struct wl_phase_sig {
	double power_w, sm_active, tensor_active, dram_active, util, clock_mhz;
	double dur_s;
};

/* The trace-wide levels labelling compares against. */
struct wl_phase_levels {
	double p_lo, p_hi;   /* 5th and 95th percentile of power (W), widened to
				the lowest and highest segment median */
	double clock_max;    /* 99th percentile of the SM clock (MHz), NaN */
	int has_activity;    /* sm_active or utilization present */
	int has_mix;         /* tensor_active and/or dram_active present */
};

/* Label ("idle", "prefill", "decode", "active") and confidence (0..1). */
const char *wl_phases_label(const struct wl_phase_sig *s, const struct wl_phase_levels *lv,
			    double *confidence);

#endif
