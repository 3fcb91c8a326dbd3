/*
 * power_keep.h - private to the streamed power of a trace
 * (power_stream.c, power_keep.c; contract in power_stream.h).
 */
#ifndef WATTLOG_PIPELINE_POWER_KEEP_H
#define WATTLOG_PIPELINE_POWER_KEEP_H

#include <stddef.h>

#include "wattlog/dataset.h"
#include "wattlog/error.h"
#include "wattlog/trace.h"

struct wl_ingest_opts;

/* Per dataset channel: the bounded copy's state. */
struct wl_keep_ch {
	size_t g;          /* samples per kept point: 1, 2, 4, ... */
	size_t cnt;        /* samples in the group being gathered */
	double st, sv;     /* its time and value sums (counter: last reading) */
	double last_raw, off; /* counter: last reading as read, unwrap offset */
	size_t nread;      /* samples read */
	double first_t, last_t; /* first and last sample time as read */
};

/* The channels of a trace (ds.ch, in declaration order, as the ingester
 * makes them), its metadata and markers, and the bounded copy of each
 * channel's samples (ds.ch[i].t/v). */
struct wl_keep {
	struct wl_dataset ds;
	struct wl_keep_ch *st; /* [nst], by dataset channel */
	size_t nst, capst;
};

/* The dataset channel of trace channel ci (see power_keep.c); its
 * index, or -1 with err. */
long wl_keep_channel(struct wl_keep *k, const struct wl_chan_info *ci, struct wl_error *err);
/* One sample (t s, v in the channel's unit) of dataset channel i; 0 or -1
 * (out of memory). */
int wl_keep_sample(struct wl_keep *k, size_t i, double t, double v);
/* Writes channel i's partial group as a point; 0 or -1. */
int wl_keep_flush(struct wl_keep *k, size_t i);
void wl_keep_release(struct wl_keep *k);

#endif
