/* test_merge.c - merging a job's per-node traces (src/analyze/ingest/merge.c,
 * job.c, hostlist.c, src/cmd/merge_write.c) on traces written by
 * job_fixture.h, whose truth is known by construction. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cmd/merge_write.h"
#include "job_fixture.h"
#include "wattlog/ingest.h"
#include "wattlog/merge.h"
#include "wattlog/phases.h"
#include "wattlog/report.h"
#include "wattlog/stream.h"

static char dir[64];

static void mkdir_tmp(void)
{
	strcpy(dir, "/tmp/wl-test-merge.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Node k of job 42: monotonic clocks 5 h apart, starts 0.3 s apart in
 * real time, 10 Hz, 50 samples; powers differ per node. */
static struct job_node_spec spec(int k)
{
	static char names[4][8];
	struct job_node_spec s = {0};

	snprintf(names[k], sizeof(names[k]), "n%d", k);
	s.node = names[k];
	s.job_id = "42";
	s.nodelist = "n[1-2]";
	s.mono0 = (uint64_t)k * 18000ull * 1000000000ull + 12345;
	s.real0 = 1700000000000000000ull + (uint64_t)k * 300000000ull;
	s.period_s = 0.1;
	s.n = 50;
	s.cpu_w = 10.0 * k;
	s.gpu_w = 100.0 + k;
	s.node_w = 300.0 * k;
	s.node_j0 = 5000;
	s.marker_t = 2.0;
	s.end_record = 1;
	return s;
}

static void write_node(const struct job_node_spec *s)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s.wlog", dir, s->node);
	cr_assert_eq(job_write_node(path, s), 0);
}

static int merge_dir(struct wl_dataset *ds, struct wl_error *err)
{
	const char *p = dir;

	wl_dataset_init(ds);
	return wl_merge_paths(&p, 1, NULL, ds, err);
}

static const struct wl_marker *marker(const struct wl_dataset *ds, const char *text)
{
	for (size_t i = 0; i < ds->nmk; i++)
		if (!strcmp(ds->mk[i].text, text))
			return &ds->mk[i];
	return NULL;
}

Test(merge, clocks_hours_apart_align_by_realtime)
{
	struct job_node_spec a = spec(1), b = spec(2);
	struct wl_dataset ds;
	struct wl_error err;
	const struct wl_marker *m1, *m2;
	long c;

	mkdir_tmp();
	write_node(&a);
	write_node(&b);
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	/* n2 started 0.3 s after n1 in real time: its t is shifted by 0.3 s */
	cr_assert_float_eq(ds.t0_realtime, 1700000000.3, 1e-6, "%.9f", ds.t0_realtime);
	m1 = marker(&ds, "begin step @n1");
	m2 = marker(&ds, "begin step @n2");
	cr_assert(m1 && m2);
	cr_assert_float_eq(m1->t, 2.0, 1e-6);
	cr_assert_float_eq(m2->t, 2.3, 1e-6);
	c = wl_dataset_find(&ds, "power.draw", "n2/gpu0");
	cr_assert_geq(c, 0);
	cr_assert_float_eq(ds.ch[c].t[0], 0.1 + 0.3, 1e-6);
	cr_assert_str_eq(ds.ch[c].component, "n2/gpu0");
	c = wl_dataset_find(&ds, "package-0", "n1/package-0");
	cr_assert_geq(c, 0);
	cr_assert_str_eq(ds.ch[c].component, "n1/cpu");
	/* t0_realtime is a double of epoch seconds: resolution 2.4e-7 s */
	cr_assert_float_eq(strtod(wl_dataset_meta_get(&ds, "job.node.n2.offset_s"), NULL), 0.3,
			   1e-6);
	/* 5 h between the monotonic clocks, less the 0.3 s real-time offset */
	cr_assert_float_eq(strtod(wl_dataset_meta_get(&ds, "job.node.n2.mono_offset_s"), NULL),
			   18000.0 - 0.3, 1e-6);
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "job.partial"), "0");
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "job.id"), "42");
	wl_dataset_release(&ds);
	rm_tmp();
}

Test(merge, per_node_and_job_energy)
{
	struct job_node_spec a = spec(1), b = spec(2);
	struct wl_job_summary js;
	struct wl_dataset ds;
	struct wl_error err;
	double span = 4.9; /* samples from 0.1 s to 5.0 s */
	double e1, e2;

	mkdir_tmp();
	write_node(&a);
	write_node(&b);
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_job_summary(&ds, NULL, &js, &err), 0, "%s", err.msg);
	cr_assert_eq(js.n, 2);
	e1 = (a.cpu_w + a.gpu_w) * span;
	e2 = (b.cpu_w + b.gpu_w) * span;
	cr_assert_float_eq(js.node[0].energy_j, e1, 1e-3);
	cr_assert_float_eq(js.node[1].energy_j, e2, 1e-3);
	cr_assert_float_eq(js.node[0].node_energy_j, a.node_w * span, 1e-3);
	cr_assert_float_eq(js.node[1].node_energy_j, b.node_w * span, 1e-3);
	cr_assert_float_eq(js.total_j, e1 + e2, 1e-3);
	cr_assert_float_eq(js.node_total_j, (a.node_w + b.node_w) * span, 1e-3);
	cr_assert_eq(js.imax, 1);
	cr_assert_float_eq(js.spread_pct, 100.0 * (e2 - e1) / ((e1 + e2) / 2), 1e-6);
	cr_assert_eq(js.partial, 0);
	cr_assert_eq(js.node[0].ended_late + js.node[1].ended_late, 0);
	wl_job_release(&js);
	wl_dataset_release(&ds);
	rm_tmp();
}

Test(merge, missing_and_cut_off_nodes_make_it_partial)
{
	struct job_node_spec a = spec(1), b = spec(2), c = spec(3);
	struct wl_job_summary js;
	struct wl_dataset ds;
	struct wl_error err;

	mkdir_tmp();
	a.nodelist = b.nodelist = c.nodelist = "n[1-4]";
	c.n = 20;            /* stops at 2.0 s, others at 5.0 s */
	c.end_record = 0;    /* killed: no end record */
	write_node(&a);
	write_node(&b);
	write_node(&c);      /* n4 has no trace */
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_job_summary(&ds, NULL, &js, &err), 0, "%s", err.msg);
	cr_assert_eq(js.n, 4);
	cr_assert_eq(js.partial, 1);
	cr_assert_str_eq(js.node[0].problem, "");
	cr_assert(strstr(js.node[2].problem, "cut off:"), "%s", js.node[2].problem);
	cr_assert_str_eq(js.node[3].name, "n4");
	cr_assert_str_eq(js.node[3].problem, "missing: no trace in the job folder");
	cr_assert_eq(js.node[3].present, 0);
	/* the total still sums what there is: n3 over its own 1.9 s */
	cr_assert_float_eq(js.total_j, (a.cpu_w + a.gpu_w) * 4.9 + (b.cpu_w + b.gpu_w) * 4.9 +
			   (c.cpu_w + c.gpu_w) * 1.9, 1e-3);
	wl_job_release(&js);
	wl_dataset_release(&ds);
	rm_tmp();
}

Test(merge, other_job_and_skew)
{
	struct job_node_spec a = spec(1), b = spec(2);
	struct wl_dataset ds;
	struct wl_error err;
	int warned = 0;

	mkdir_tmp();
	b.job_id = "43";
	write_node(&a);
	write_node(&b);
	cr_assert_eq(merge_dir(&ds, &err), -1);
	cr_assert(strstr(err.msg, "is from job '43', not job '42'"), "%s", err.msg);
	wl_dataset_release(&ds);
	b.job_id = "42";
	b.real0 += 9000000000ull; /* starts 9 s late: beyond the default 2 s */
	write_node(&b);
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < ds.nwarn; i++)
		warned += strstr(ds.warn[i], "n2: clock disagrees with the job's start") != NULL;
	cr_assert_eq(warned, 1);
	wl_dataset_release(&ds);
	rm_tmp();
}

Test(merge, written_trace_reads_back_the_same)
{
	struct job_node_spec a = spec(1), b = spec(2);
	struct wl_job_summary j1, j2;
	struct wl_dataset ds, back;
	struct wl_error err;
	char out[128];

	mkdir_tmp();
	write_node(&a);
	write_node(&b);
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	snprintf(out, sizeof(out), "%s/job.wlog", dir);
	cr_assert_eq(wl_merge_write(&ds, out, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_merge_write(&ds, out, 0, &err), -1, "overwrote without --force");
	wl_dataset_init(&back);
	cr_assert_eq(wl_ingest(out, NULL, &back, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_job_summary(&ds, NULL, &j1, &err), 0);
	cr_assert_eq(wl_job_summary(&back, NULL, &j2, &err), 0, "%s", err.msg);
	cr_assert_float_eq(back.t0_realtime, ds.t0_realtime, 1e-6);
	cr_assert_float_eq(j2.total_j, j1.total_j, 1e-6);
	cr_assert_float_eq(j2.node[1].energy_j, j1.node[1].energy_j, 1e-6);
	cr_assert_float_eq(j2.node_total_j, j1.node_total_j, 1e-6);
	cr_assert_float_eq(marker(&back, "end step @n2")->t, 3.3, 1e-6);
	wl_job_release(&j1);
	wl_job_release(&j2);
	wl_dataset_release(&back);
	wl_dataset_release(&ds);
	/* the merged trace in the folder is not taken for a node */
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "job.nodes"), "n1,n2");
	wl_dataset_release(&ds);
	rm_tmp();
}

Test(merge, unreadable_trace_is_named)
{
	struct job_node_spec a = spec(1);
	struct wl_dataset ds;
	struct wl_error err;
	char path[128];
	FILE *f;

	mkdir_tmp();
	write_node(&a);
	snprintf(path, sizeof(path), "%s/n2.wlog", dir);
	f = fopen(path, "w");
	fputs("not a trace\n", f);
	fclose(f);
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	cr_assert_str_eq(wl_dataset_meta_get(&ds, "job.partial"), "1");
	cr_assert(strstr(wl_dataset_meta_get(&ds, "job.node.n2.problem"), "unreadable: "));
	wl_dataset_release(&ds);
	rm_tmp();
}

Test(hostlist, expands_ranges_and_padding)
{
	char **v;
	size_t n;
	struct wl_error err;
	const char *want[] = {"n1", "n2", "n3", "n7", "gpu08", "gpu09", "gpu10", "login"};

	cr_assert_eq(wl_hostlist_expand("n[1-3,7],gpu[08-10],login", &v, &n, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(n, 8);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(v[i], want[i]);
		free(v[i]);
	}
	free(v);
	cr_assert_eq(wl_hostlist_expand("n[1-", &v, &n, &err), -1);
	cr_assert_str_eq(err.msg, "bad Slurm node list 'n[1-' at byte 0");
	cr_assert_eq(wl_hostlist_expand("n[3-1]", &v, &n, &err), -1);
	cr_assert_eq(wl_hostlist_expand("a,,b", &v, &n, &err), -1);
}

Test(merge, job_dir_is_one_run)
{
	struct job_node_spec a = spec(1), b = spec(2);
	char id[64] = "", path[128];

	mkdir_tmp();
	cr_assert_eq(wl_merge_job_dir(dir, id, sizeof(id)), 0, "empty folder taken for a job");
	write_node(&a);
	write_node(&b);
	cr_assert_eq(wl_merge_job_dir(dir, id, sizeof(id)), 1);
	cr_assert_str_eq(id, "42");
	b.job_id = "43";
	write_node(&b);
	cr_assert_eq(wl_merge_job_dir(dir, id, sizeof(id)), 0, "two jobs taken for one");
	snprintf(path, sizeof(path), "%s/n1.wlog", dir);
	cr_assert_eq(wl_merge_job_dir(path, id, sizeof(id)), 0, "a file taken for a folder");
	rm_tmp();
}

/* What every channel of nodes n1 and n2 is, by hand (job_fixture.h's three
 * channels, renamed per node by merge.h's scheme). */
static const struct {
	const char *name, *device, *node, *component;
} want_ch[] = {
	{ "package-0", "n1/package-0", "n1", "n1/cpu" },
	{ "power.draw", "n1/gpu0", "n1", "n1/gpu0" },
	{ "energy", "n1/node", "n1", "n1/node" },
	{ "package-0", "n2/package-0", "n2", "n2/cpu" },
	{ "power.draw", "n2/gpu0", "n2", "n2/gpu0" },
	{ "energy", "n2/node", "n2", "n2/node" },
};

static void check_nodes(const struct wl_dataset *ds, const char *what)
{
	size_t k;

	cr_assert_eq(ds->nch, sizeof(want_ch) / sizeof(want_ch[0]), "%s: %zu channels", what,
		     ds->nch);
	for (k = 0; k < ds->nch; k++) {
		long c = wl_dataset_find(ds, want_ch[k].name, want_ch[k].device);

		cr_assert_geq(c, 0, "%s: no %s on %s", what, want_ch[k].name, want_ch[k].device);
		cr_assert_str_eq(ds->ch[c].node, want_ch[k].node, "%s: %s", what,
				 want_ch[k].device);
		cr_assert_str_eq(ds->ch[c].component, want_ch[k].component, "%s: %s", what,
				 want_ch[k].device);
	}
}

/* Writes a trace of one channel (package-0 of powercap on device dev, its
 * meaning left to the reader as in format 1.0) with the given meta; with a
 * marker mk (not NULL), mk at 1 ms and the meta after it, so that the
 * reader meets job.merged only after the marker. */
static void write_one(const char *path, const char *dev, const struct wl_kv *kv, size_t nkv,
		      const char *mk)
{
	struct wl_chan_info c;
	struct wl_error err = {{0}};
	struct wl_writer *w;
	uint16_t id = 1;
	union wl_value v;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	cr_assert_geq(fd, 0);
	w = wl_writer_open_named(fd, path, 4096, &err);
	cr_assert_not_null(w, "%s", err.msg);
	memset(&c, 0, sizeof(c));
	c.id = 1, c.kind = WL_KIND_COUNTER, c.type = WL_TYPE_U64, c.scale = 1.0;
	strcpy(c.source, "powercap"), strcpy(c.name, "package-0"), strcpy(c.unit, "uJ");
	snprintf(c.device, sizeof(c.device), "%s", dev);
	v.u = 1000;
	if (!mk)
		cr_assert_eq(wl_writer_meta(w, kv, nkv, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(wl_writer_sample(w, 1000000, &id, &v, 1, &err), 0, "%s", err.msg);
	if (mk) {
		cr_assert_eq(wl_writer_marker(w, 1000000, 0, mk, strlen(mk), &err), 0, "%s",
			     err.msg);
		cr_assert_eq(wl_writer_meta(w, kv, nkv, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(wl_writer_flush(w, &err), 0, "%s", err.msg);
	wl_writer_free(w);
	close(fd);
}

/* The trace of write_one, file name in dir, read: its channel's node and
 * component are node and comp. */
static void one_channel(const char *name, const char *dev, const struct wl_kv *kv, size_t nkv,
			const char *node, const char *comp)
{
	struct wl_dataset ds;
	struct wl_error err;
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_one(path, dev, kv, nkv, NULL);
	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest(path, NULL, &ds, &err), 0, "%s", err.msg);
	cr_assert_eq(ds.nch, 1);
	cr_assert_str_eq(ds.ch[0].node, node, "%s", dev);
	cr_assert_str_eq(ds.ch[0].component, comp, "%s", dev);
	wl_dataset_release(&ds);
}

/* The streamed report of the merged trace at path: its channels' nodes set
 * by the streaming reader, its components on their nodes, each node's
 * "node" (pm_counters) out of the total, which is total_j. */
static void stream_nodes(const char *path, double total_j)
{
	struct wl_analysis_opts o;
	struct wl_dataset ds;
	struct wl_report r;
	struct wl_error err;
	struct wl_stream *s;
	double a, z;
	size_t k;

	wl_analysis_opts_init(&o);
	wl_dataset_init(&ds);
	wl_report_init(&r);
	s = wl_stream_open(path, 0, &ds, &err);
	cr_assert(s, "%s", err.msg);
	check_nodes(&ds, "streamed");
	cr_assert(wl_dataset_span(&ds, &a, &z));
	r.t_from = a;
	r.t_to = z;
	r.ds = &ds;
	cr_assert_eq(wl_stream_analyse(s, &o, &ds, &r, &err), 0, "%s", err.msg);
	wl_stream_free(s);
	cr_assert_eq(r.energy.n, 6);
	for (k = 0; k < r.energy.n; k++) {
		const struct wl_component_energy *c = &r.energy.c[k];

		cr_assert(!strcmp(c->node, "n1") || !strcmp(c->node, "n2"), "%s", c->name);
		cr_assert_eq(c->in_total, strcmp(c->name, "n1/node") && strcmp(c->name, "n2/node"),
			     "%s", c->name);
	}
	cr_assert_float_eq(r.energy.total_j, total_j, 1e-3);
	wl_report_release(&r);
	wl_dataset_release(&ds);
}

/* The step windows of a merged job of nodes a and b (markers "begin step"
 * at 2 s and "end step" at 3 s of each node's time; b starts 0.3 s later):
 * each window's node is its markers' field, and it counts that node's
 * power only: (cpu + gpu) W x 1 s. */
static void check_steps(const struct wl_dataset *ds, const struct job_node_spec *a,
			const struct job_node_spec *b, const char *what)
{
	struct wl_phase_list pl;
	struct wl_phase_opts o;
	struct wl_error err;

	cr_assert_str_eq(marker(ds, "begin step @n1")->node, "n1", "%s", what);
	cr_assert_str_eq(marker(ds, "end step @n1")->node, "n1", "%s", what);
	cr_assert_str_eq(marker(ds, "begin step @n2")->node, "n2", "%s", what);
	cr_assert_str_eq(marker(ds, "end step @n2")->node, "n2", "%s", what);
	wl_phase_list_init(&pl);
	wl_phase_opts_init(&o);
	cr_assert_eq(wl_phases_find(ds, &o, &pl, &err), 0, "%s", err.msg);
	cr_assert_eq(pl.n, 2, "%s", what);
	cr_assert_str_eq(pl.p[0].label, "step @n1", "%s", what);
	cr_assert_str_eq(pl.p[0].node, "n1", "%s", what);
	cr_assert_str_eq(pl.p[0].id, "", "%s", what);
	cr_assert_float_eq(pl.p[0].start_s, 2.0, 1e-6, "%s", what);
	cr_assert_float_eq(pl.p[0].energy_j, a->cpu_w + a->gpu_w, 1e-6, "%s: %f", what,
			   pl.p[0].energy_j);
	cr_assert_str_eq(pl.p[1].label, "step @n2", "%s", what);
	cr_assert_str_eq(pl.p[1].node, "n2", "%s", what);
	cr_assert_float_eq(pl.p[1].start_s, 2.3, 1e-6, "%s", what);
	cr_assert_float_eq(pl.p[1].energy_j, b->cpu_w + b->gpu_w, 1e-6, "%s: %f", what,
			   pl.p[1].energy_j);
	wl_phase_list_release(&pl);
}

/* The trace of write_one with marker mk, file name in dir, read: its
 * marker's node is node (NULL: none). */
static void one_marker(const char *name, const struct wl_kv *kv, size_t nkv, const char *mk,
		       const char *node)
{
	struct wl_dataset ds;
	struct wl_error err;
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_one(path, "package-0", kv, nkv, mk);
	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest(path, NULL, &ds, &err), 0, "%s", err.msg);
	cr_assert_eq(ds.nmk, 1);
	cr_assert_str_eq(ds.mk[0].text, mk);
	if (node)
		cr_assert_str_eq(ds.mk[0].node, node, "%s", mk);
	else
		cr_assert_null(ds.mk[0].node, "%s: %s", mk, ds.mk[0].node);
	wl_dataset_release(&ds);
}

/* A merged job's node is a field of each channel and each marker. */
Test(merge, node_is_a_field_of_each_channel)
{
	struct job_node_spec a = spec(1), b = spec(2);
	struct wl_kv merged[] = { { "job.merged", "1" }, { "job.nodes", "n7" } };
	struct wl_kv plain[] = { { "hostname", "rack" } };
	struct wl_dataset ds, back;
	struct wl_error err;
	char path[128];
	size_t k;

	mkdir_tmp();
	write_node(&a);
	write_node(&b);
	/* a node's own trace: no node, whatever its names */
	snprintf(path, sizeof(path), "%s/n1.wlog", dir);
	wl_dataset_init(&ds);
	cr_assert_eq(wl_ingest(path, NULL, &ds, &err), 0, "%s", err.msg);
	cr_assert_eq(ds.nch, 3);
	for (k = 0; k < ds.nch; k++)
		cr_assert_str_eq(ds.ch[k].node, "", "%s", ds.ch[k].device);
	cr_assert_null(marker(&ds, "begin step")->node);
	wl_dataset_release(&ds);
	/* merged in memory, and written and read back (the reader derives it) */
	cr_assert_eq(merge_dir(&ds, &err), 0, "%s", err.msg);
	check_nodes(&ds, "merged");
	check_steps(&ds, &a, &b, "merged");
	snprintf(path, sizeof(path), "%s/job.wlog", dir);
	cr_assert_eq(wl_merge_write(&ds, path, 0, &err), 0, "%s", err.msg);
	wl_dataset_release(&ds);
	wl_dataset_init(&back);
	cr_assert_eq(wl_ingest(path, NULL, &back, &err), 0, "%s", err.msg);
	check_nodes(&back, "read back");
	check_steps(&back, &a, &b, "read back");
	wl_dataset_release(&back);
	stream_nodes(path, (a.cpu_w + a.gpu_w + b.cpu_w + b.gpu_w) * 4.9);
	/* a merged trace whose channel states no meaning (format 1.0 rule):
	 * component "cpu" derived, then put on its node */
	one_channel("old.wlog", "n7/package-0", merged, 2, "n7", "n7/cpu");
	/* a device with a '/' in a trace that is not merged: not a node */
	one_channel("plain.wlog", "rack/package-0", plain, 1, "", "cpu");
	rm_tmp();
}

Test(merge, marker_node_only_in_a_merged_trace)
{
	struct wl_kv merged[] = { { "job.merged", "1" }, { "job.nodes", "n7" } };
	struct wl_kv plain[] = { { "hostname", "rack" } };

	mkdir_tmp();
	/* a merged trace (job.merged read after the marker): the last " @NODE"
	 * is the node, an "@x" of the node's own text stays text */
	one_marker("m.wlog", merged, 2, "begin step @x @n7", "n7");
	/* a trace that is not merged: the workload's " @x" is no node */
	one_marker("p.wlog", plain, 1, "begin step @x", NULL);
	rm_tmp();
}
