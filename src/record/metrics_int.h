/*
 * metrics_int.h - private to metrics*.c: the state behind struct wl_metrics.
 */
#ifndef WATTLOG_RECORD_METRICS_INT_H
#define WATTLOG_RECORD_METRICS_INT_H

#include "wattlog/energy_rule.h"
#include "metrics.h"
#include "rec.h"

#define FAMILY_MAX 112

#define WL_METRICS_NBOUNDS 19

struct mchan {
	const struct wl_chan_info *ci;
	enum wl_metric_role role;
	size_t fam;             /* index in families (not for WL_METRIC_ENERGY) */
	double factor;          /* physical value to the family's base unit */
	char component[32];
	int in_total;
	int is_counter, is_energy; /* kind counter; unit of the J family */
	int instant;            /* wl_chan_info.instant */
	struct wl_live_energy acc; /* J counters and WL_METRIC_ENERGY channels */
	int have_acc;
	/* other counters: the sum of increments (+ wrap when one is negative) */
	double last_raw;
	int have_raw;
	/* what is served */
	double value;            /* gauges and other counters, in the base unit */
	int have_value;
};

struct family {
	char name[FAMILY_MAX];
	const char *unit;       /* OpenMetrics unit, "" for none */
	int counter;
};

struct request {
	char id[WL_METRICS_ID_MAX];
	double g_begin;         /* the share integral when it began */
	double tokens_in, tokens_out; /* NaN: not given */
};

struct wl_metrics {
	const struct wl_rec_src *src;
	size_t nsrc;
	char host[256];
	uint64_t origin_ns;
	struct mchan *ch;       /* all channels, source by source */
	size_t nch;
	size_t *first;          /* first[si]: index in ch of source si's channel 0 */
	struct family *fam;
	size_t nfam;
	/* requests */
	double g;               /* sum over intervals of dE / open requests */
	double unattributed_j;  /* energy of the total while none was open */
	struct request open[WL_METRICS_MAX_OPEN];
	size_t nopen;
	uint64_t completed, unmatched, dropped, markers;
	double tokens_in, tokens_out, req_sum_j;
	uint64_t req_bucket[WL_METRICS_NBOUNDS];
	size_t max_bytes;
	uint64_t version;       /* wl_metrics_version */
};


/* Request energy histogram bounds (J), metrics_request.c. */
extern const double wl_metrics_bounds[WL_METRICS_NBOUNDS];

/* Energy dE (J) of the total arrived: split equally among the open
 * requests, or unattributed when none is (metrics.c). */
void wl_metrics_attribute(struct wl_metrics *m, double de);

#endif
