/*
 * merge_write.c - a merged job dataset (merge.h) written as one wattlog
 * trace through the trace writer, so that report, plot, info and compare
 * read it like any trace.
 *
 * Time: the job's t (s) is stored as t_ns = WL_MERGE_BASE_NS + t x 1e9, with
 * start_monotonic_ns = WL_MERGE_BASE_NS and one SYNC record pairing it with
 * the job's t0_realtime, so a reader's t = 0 and t0_realtime are the
 * dataset's.  Channels keep name, unit, device ("n1/gpu0"), source and kind;
 * values are stored as f64 physical values (scale 1; a counter's wrap in its
 * unit, rounded).  Each channel's samples follow each other in time order,
 * one value per SAMPLE record (a record has one time).  All metadata is kept; markers keep their node
 * suffix; warnings become LOG records of level warn.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "merge_write.h"
#include "wattlog/ingest.h"
#include "wattlog/trace.h"

#define WL_MERGE_BASE_NS 1000000000000ull /* 1000 s: room for t < 0 */

static uint64_t ns_of(double t)
{
	double x = (double)WL_MERGE_BASE_NS + t * 1e9;

	return x <= 0 ? 0 : (uint64_t)llround(x);
}

static int write_meta(struct wl_writer *w, const struct wl_dataset *ds, struct wl_error *err)
{
	struct wl_kv kv[64];
	char mono[24], real[24];
	size_t i, k = 0;

	snprintf(mono, sizeof(mono), "%llu", WL_MERGE_BASE_NS);
	snprintf(real, sizeof(real), "%.0f", ds->t0_realtime * 1e9);
	kv[k++] = (struct wl_kv){"start_monotonic_ns", mono};
	kv[k++] = (struct wl_kv){"start_realtime_ns", real};
	for (i = 0; i < ds->nmeta; i++) {
		if (!strcmp(ds->meta[i].key, "start_monotonic_ns") ||
		    !strcmp(ds->meta[i].key, "start_realtime_ns"))
			continue;
		kv[k++] = (struct wl_kv){ds->meta[i].key, ds->meta[i].value};
		if (k == 64) {
			if (wl_writer_meta(w, kv, k, err) < 0)
				return -1;
			k = 0;
		}
	}
	if (k && wl_writer_meta(w, kv, k, err) < 0)
		return -1;
	return wl_writer_sync(w, WL_MERGE_BASE_NS, (uint64_t)llround(ds->t0_realtime * 1e9), err);
}

static int write_channel(struct wl_writer *w, const struct wl_channel *c, uint16_t id,
			 struct wl_error *err)
{
	struct wl_chan_info ci;
	uint16_t ids[1];
	union wl_value v[1];
	size_t i;

	wl_trace_chan_of(c, id, &ci);
	if (wl_writer_channel(w, &ci, err) < 0)
		return -1;
	for (i = 0; i < c->n; i++) {
		ids[0] = id;
		v[0].f = c->v[i];
		if (wl_writer_sample(w, ns_of(c->t[i]), ids, v, 1, err) < 0)
			return -1;
	}
	return 0;
}

int wl_merge_write(const struct wl_dataset *ds, const char *path, int force,
		   struct wl_error *err)
{
	struct wl_writer *w;
	size_t i;
	int fd, rc = 0;

	if (ds->nch > 65535)
		return wl_error_set(err, "cannot write '%s': %zu channels, at most 65535", path,
				    ds->nch);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL),
		  0644);
	if (fd < 0)
		return wl_error_errno(err, errno, "cannot create '%s'", path);
	w = wl_writer_open_named(fd, path, 0, err);
	if (!w) {
		close(fd);
		return -1;
	}
	rc = write_meta(w, ds, err);
	for (i = 0; rc == 0 && i < ds->nch; i++)
		rc = write_channel(w, &ds->ch[i], (uint16_t)i, err);
	for (i = 0; rc == 0 && i < ds->nmk; i++)
		rc = wl_writer_marker(w, ns_of(ds->mk[i].t), ds->mk[i].flags, ds->mk[i].text,
				      strlen(ds->mk[i].text), err);
	for (i = 0; rc == 0 && i < ds->nwarn; i++)
		rc = wl_writer_log(w, WL_MERGE_BASE_NS, WL_LOG_WARN, ds->warn[i], err);
	if (rc == 0)
		rc = wl_writer_flush(w, err);
	wl_writer_free(w);
	if (close(fd) < 0 && rc == 0)
		rc = wl_error_errno(err, errno, "cannot close '%s'", path);
	return rc;
}
