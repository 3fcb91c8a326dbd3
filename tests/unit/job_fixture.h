/*
 * job_fixture.h - writes one node's trace of a synthetic Slurm job through
 * the trace writer (test_merge.c, tests/helpers/mkjobtrace.c).  No
 * Criterion: the helper program includes it too.
 *
 * Truth by construction, t = seconds since the node's start_monotonic_ns:
 *   meta: hostname, slurm.node_name = node, slurm.job_id, slurm.job_nodelist,
 *         start_monotonic_ns = mono0, start_realtime_ns = real0;
 *         end_monotonic_ns when end_record (the recorder's clean stop)
 *   sync at t = 0 and every second: realtime = real0 + t
 *   samples every period_s from t = period_s to n * period_s:
 *     channel 1 "package-0" source powercap, device package-0, u64 counter
 *       in uJ: raw = cpu_w * 1e6 * t  (component cpu)
 *     channel 2 "power.draw" source nvml, device gpu0, f64 gauge W = gpu_w
 *     channel 3 "energy" source pm_counters, device node, u64 counter J,
 *       raw = node_j0 + node_w * t   (only when node_w > 0)
 *   markers "begin step" at t = marker_t, "end step" at t = marker_t + 1
 *   Blocks are flushed every 10 samples, so a cut file keeps whole blocks.
 */
#ifndef WATTLOG_TEST_JOB_FIXTURE_H
#define WATTLOG_TEST_JOB_FIXTURE_H

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wattlog/trace.h"

struct job_node_spec {
	const char *node, *job_id, *nodelist;
	uint64_t mono0, real0;     /* ns */
	double period_s;
	size_t n;                  /* samples */
	double cpu_w, gpu_w, node_w, node_j0;
	double marker_t;           /* < 0: no markers */
	int end_record;
};

/* 0, or -1 with a message on stderr. */
static __attribute__((unused)) int job_write_node(const char *path,
						   const struct job_node_spec *s)
{
	struct wl_chan_info c[3];
	struct wl_error err = {{0}};
	struct wl_writer *w;
	char m0[24], r0[24], e0[24];
	struct wl_kv kv[6];
	int fd, rc = 0;
	size_t i, nk = 6;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	w = wl_writer_open_named(fd, path, 4096, &err);
	if (!w) {
		fprintf(stderr, "%s\n", err.msg);
		close(fd);
		return -1;
	}
	snprintf(m0, sizeof(m0), "%llu", (unsigned long long)s->mono0);
	snprintf(r0, sizeof(r0), "%llu", (unsigned long long)s->real0);
	kv[0] = (struct wl_kv){"hostname", s->node};
	kv[1] = (struct wl_kv){"slurm.node_name", s->node};
	kv[2] = (struct wl_kv){"slurm.job_id", s->job_id};
	kv[3] = (struct wl_kv){"slurm.job_nodelist", s->nodelist};
	kv[4] = (struct wl_kv){"start_monotonic_ns", m0};
	kv[5] = (struct wl_kv){"start_realtime_ns", r0};
	rc |= wl_writer_meta(w, kv, nk, &err);
	memset(c, 0, sizeof(c));
	for (i = 0; i < 3; i++)
		c[i].id = (uint16_t)(i + 1), c[i].scale = 1.0;
	c[0].kind = WL_KIND_COUNTER, c[0].type = WL_TYPE_U64;
	strcpy(c[0].source, "powercap"), strcpy(c[0].name, "package-0");
	strcpy(c[0].unit, "uJ"), strcpy(c[0].device, "package-0");
	c[1].kind = WL_KIND_GAUGE, c[1].type = WL_TYPE_F64;
	strcpy(c[1].source, "nvml"), strcpy(c[1].name, "power.draw");
	strcpy(c[1].unit, "W"), strcpy(c[1].device, "gpu0");
	c[2].kind = WL_KIND_COUNTER, c[2].type = WL_TYPE_U64;
	strcpy(c[2].source, "pm_counters"), strcpy(c[2].name, "energy");
	strcpy(c[2].unit, "J"), strcpy(c[2].device, "node");
	for (i = 0; i < (s->node_w > 0 ? 3u : 2u); i++)
		rc |= wl_writer_channel(w, &c[i], &err);
	for (i = 0; i <= s->n; i++) {
		double t = (double)i * s->period_s;
		uint64_t tn = s->mono0 + (uint64_t)(t * 1e9 + 0.5);
		uint16_t ids[3] = {1, 2, 3};
		union wl_value v[3];

		if (i % (size_t)(1.0 / s->period_s + 0.5) == 0)
			rc |= wl_writer_sync(w, tn, s->real0 + (uint64_t)(t * 1e9 + 0.5), &err);
		if (s->marker_t >= 0 && fabs(t - s->marker_t) < s->period_s / 2)
			rc |= wl_writer_marker(w, tn, 0, "begin step", 10, &err);
		if (s->marker_t >= 0 && fabs(t - s->marker_t - 1) < s->period_s / 2)
			rc |= wl_writer_marker(w, tn, 0, "end step", 8, &err);
		if (i == 0)
			continue;
		v[0].u = (uint64_t)(s->cpu_w * 1e6 * t + 0.5);
		v[1].f = s->gpu_w;
		v[2].u = (uint64_t)(s->node_j0 + s->node_w * t + 0.5);
		rc |= wl_writer_sample(w, tn, ids, v, s->node_w > 0 ? 3 : 2, &err);
		if (i % 10 == 0)
			rc |= wl_writer_flush(w, &err);
	}
	if (s->end_record) {
		struct wl_kv ek = {"end_monotonic_ns", e0};

		snprintf(e0, sizeof(e0), "%llu",
			 (unsigned long long)(s->mono0 + (uint64_t)((double)s->n * s->period_s * 1e9)));
		rc |= wl_writer_meta(w, &ek, 1, &err);
	}
	rc |= wl_writer_flush(w, &err);
	wl_writer_free(w);
	if (close(fd) < 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "cannot write '%s': %s\n", path, err.msg);
	return rc ? -1 : 0;
}

#endif
