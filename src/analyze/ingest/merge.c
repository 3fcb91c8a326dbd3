/*
 * merge.c - per-node traces of one job into one dataset (merge.h): traces
 * read, node names, expected nodes, cut-off nodes, clock alignment by the
 * realtime/monotonic sync, channels renamed per node.  The files:
 * merge_files.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_int.h"
#include "wattlog/ingest.h"

static double meta_num(const struct wl_dataset *ds, const char *key)
{
	const char *v = wl_dataset_meta_get(ds, key);
	char *end;
	double x;

	if (!v || !*v)
		return NAN;
	x = strtod(v, &end);
	return *end ? NAN : x;
}

static int read_part(struct part *p)
{
	struct wl_error e = {{0}};
	const char *nm;
	double sr, sm;
	double a, b;

	wl_merge_stem(p->path, p->name, sizeof(p->name));
	if (wl_ingest_trace(p->path, NULL, &p->ds, &e) < 0) {
		snprintf(p->problem, sizeof(p->problem), "unreadable: %.240s", e.msg);
		wl_dataset_release(&p->ds);
		wl_dataset_init(&p->ds);
		return 0;
	}
	if (wl_dataset_meta_get(&p->ds, "job.merged"))
		return 1; /* a merged trace beside the node traces: not a node */
	nm = wl_dataset_meta_get(&p->ds, "slurm.node_name");
	if (!nm || !*nm)
		nm = wl_dataset_meta_get(&p->ds, "hostname");
	if (nm && *nm)
		snprintf(p->name, sizeof(p->name), "%.*s", (int)sizeof(p->name) - 1, nm);
	if (wl_dataset_span(&p->ds, &a, &b) < 0 || !(b >= a)) {
		snprintf(p->problem, sizeof(p->problem), "cut off: no samples in '%s'", p->path);
		return 0;
	}
	p->t_last = b;
	for (size_t i = 0; i < p->ds.nwarn; i++)
		if (strstr(p->ds.warn[i], "damaged trace"))
			p->damage++;
	sr = meta_num(&p->ds, "start_realtime_ns");
	sm = meta_num(&p->ds, "start_monotonic_ns");
	p->mono_ref = isnan(sr) || isnan(sm) ? NAN : (sm - sr) / 1e9;
	p->ok = 1;
	return 0;
}

static int cmp_part(const void *a, const void *b)
{
	return strcmp(((const struct part *)a)->name, ((const struct part *)b)->name);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Nodes of slurm.job_nodelist with no trace become parts with a problem. */
static int add_missing(struct parts *p, struct wl_error *err)
{
	const char *list = NULL;
	char **names = NULL;
	size_t n = 0, i, k, have = p->n;
	int rc = 0;

	for (i = 0; i < have && !list; i++)
		if (p->v[i].ok)
			list = wl_dataset_meta_get(&p->v[i].ds, "slurm.job_nodelist");
	if (!list || !*list)
		return 0;
	if (wl_hostlist_expand(list, &names, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < have; k++)
			if (!strcmp(p->v[k].name, names[i]))
				break;
		if (k == have && rc == 0) {
			if (wl_merge_add_part(p, "") < 0) {
				rc = wl_error_set(err, "out of memory");
			} else {
				struct part *m = &p->v[p->n - 1];

				snprintf(m->name, sizeof(m->name), "%.63s", names[i]);
				snprintf(m->problem, sizeof(m->problem),
					 "missing: no trace in the job folder");
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Marks as cut off a node whose trace has no end record (the recorder
 * writes end_monotonic_ns when it stops) and either was recorded under Slurm
 * by a recorder that writes one (slurm.job_id), ended more than tol before
 * the median end, or has damaged stretches. */
static void find_cut(struct parts *p, const double *t0, double *ends)
{
	double med, tol = 1.0;
	size_t i, k = 0;

	for (i = 0; i < p->n; i++)
		if (p->v[i].ok)
			ends[k++] = p->v[i].t_last + t0[i];
	med = median(ends, k);
	for (i = 0; i < p->n; i++) {
		struct part *q = &p->v[i];
		double end = q->t_last + t0[i];

		if (!q->ok || wl_dataset_meta_get(&q->ds, "end_monotonic_ns"))
			continue;
		if (end < med - tol)
			snprintf(q->problem, sizeof(q->problem),
				 "cut off: '%.120s' ends %.3f s before the other nodes (median end) "
				 "with no end record: recorder killed?", q->path, med - end);
		else if (q->damage)
			snprintf(q->problem, sizeof(q->problem),
				 "cut off: '%.120s' has %lu damaged or torn stretch(es) and no end "
				 "record", q->path, q->damage);
		else if (wl_dataset_meta_get(&q->ds, "slurm.job_id"))
			snprintf(q->problem, sizeof(q->problem),
				 "cut off: '%.120s' has no end record: recorder killed at %.3f s?",
				 q->path, q->t_last);
	}
}

static int put_meta(struct wl_dataset *out, const char *node, const char *leaf,
		    const char *fmt, double v)
{
	char key[160], val[64];

	snprintf(key, sizeof(key), "job.node.%s.%s", node, leaf);
	snprintf(val, sizeof(val), fmt, v);
	return wl_dataset_meta(out, key, val);
}

/* Copies node q's channels, markers, warnings and assumptions into out, shifted by off. */
static int copy_node(struct wl_dataset *out, const struct part *q, double off)
{
	const struct wl_dataset *ds = &q->ds;
	char dev[160], comp[160], *txt;
	size_t i, k;
	long c;

	for (i = 0; i < ds->nch; i++) {
		const struct wl_channel *s = &ds->ch[i];

		snprintf(dev, sizeof(dev), "%s%s%s", q->name, *s->device ? "/" : "", s->device);
		c = wl_dataset_channel(out, s->name, s->unit, dev, s->source, s->kind, s->wrap);
		if (c < 0)
			return -1;
		out->ch[c].instant = s->instant;
		snprintf(comp, sizeof(comp), "%s/%s", q->name, s->component);
		if (wl_channel_component(&out->ch[c], *s->component ? comp : "") ||
		    wl_channel_node(&out->ch[c], q->name))
			return -1;
		for (k = 0; k < s->n; k++)
			if (wl_channel_push(&out->ch[c], s->t[k] + off, s->v[k]))
				return -1;
	}
	for (i = 0; i < ds->nmk; i++) {
		size_t l = strlen(ds->mk[i].text) + strlen(q->name) + 3;

		if (!(txt = malloc(l)))
			return -1;
		snprintf(txt, l, "%s @%s", ds->mk[i].text, q->name);
		k = (size_t)wl_dataset_marker(out, ds->mk[i].t + off, ds->mk[i].flags, txt);
		free(txt);
		if (k || wl_marker_node(&out->mk[out->nmk - 1], q->name))
			return -1;
	}
	for (i = 0; i < ds->nwarn; i++)
		if (wl_dataset_warn(out, "%s: %s", q->name, ds->warn[i]))
			return -1;
	snprintf(dev, sizeof(dev), "%s: ", q->name);
	return wl_assume_copy(&out->assume, &ds->assume, dev);
}

/* t0 and st: scratch of p->n doubles each. */
static int build(struct parts *p, const struct wl_merge_opts *o, double *t0, double *st,
		 struct wl_dataset *out, struct wl_error *err)
{
	double job_t0 = INFINITY, med, ref = NAN;
	double skew = o && o->max_skew_s > 0 ? o->max_skew_s : WL_MERGE_MAX_SKEW_DEFAULT;
	char nodes[8192] = "", buf[64];
	size_t i, k = 0, np = 0;
	int partial = 0;

	for (i = 0; i < p->n; i++) {
		struct part *q = &p->v[i];

		t0[i] = NAN;
		if (!q->ok)
			continue;
		if (isnan(q->ds.t0_realtime))
			return wl_error_set(err, "no wall-clock time in '%s': cannot align it "
					    "with the other nodes", q->path);
		t0[i] = q->ds.t0_realtime;
		st[k++] = t0[i];
		if (t0[i] < job_t0)
			job_t0 = t0[i];
	}
	if (k == 0)
		return wl_error_set(err, "no readable trace in the job (%s)",
				    p->n ? p->v[0].problem : "no input");
	med = median(st, k);
	find_cut(p, t0, st);
	out->t0_realtime = job_t0;
	for (i = 0; i < p->n; i++) {
		struct part *q = &p->v[i];
		size_t l = strlen(nodes);

		snprintf(nodes + l, sizeof(nodes) - l, "%s%s", l ? "," : "", q->name);
		if (*q->problem)
			partial = 1;
		snprintf(buf, sizeof(buf), "job.node.%.40s.problem", q->name);
		if (wl_dataset_meta(out, buf, q->problem))
			return -1;
		snprintf(buf, sizeof(buf), "job.node.%.40s.path", q->name);
		if (wl_dataset_meta(out, buf, q->path))
			return -1;
		if (!q->ok)
			continue;
		np++;
		if (isnan(ref))
			ref = q->mono_ref;
		if (put_meta(out, q->name, "offset_s", "%.9f", t0[i] - job_t0) ||
		    put_meta(out, q->name, "mono_offset_s", "%.9f", q->mono_ref - ref) ||
		    put_meta(out, q->name, "skew_s", "%.6f", t0[i] - med) ||
		    put_meta(out, q->name, "damage", "%.0f", (double)q->damage) ||
		    copy_node(out, q, t0[i] - job_t0))
			return -1;
		if (fabs(t0[i] - med) > skew &&
		    wl_dataset_warn(out, "%s: clock disagrees with the job's start by %.3f s "
				    "(more than --max-skew %.3g s)", q->name, t0[i] - med, skew))
			return -1;
	}
	for (i = 0; i < p->n; i++)
		if (*p->v[i].problem &&
		    wl_dataset_warn(out, "node %s: %s", p->v[i].name, p->v[i].problem))
			return -1;
	snprintf(buf, sizeof(buf), "%.0f", job_t0 * 1e9);
	if (wl_dataset_meta(out, "job.merged", "1") || wl_dataset_meta(out, "job.nodes", nodes) ||
	    wl_dataset_meta(out, "job.partial", partial ? "1" : "0") ||
	    wl_dataset_meta(out, "job.t0_realtime_ns", buf))
		return -1;
	(void)np;
	return 0;
}

/* Keeps the slurm.* keys of the first readable trace. */
static int job_meta(struct parts *p, struct wl_dataset *out, struct wl_error *err)
{
	const char *id = NULL, *v;
	size_t i, k;

	for (i = 0; i < p->n; i++) {
		if (!p->v[i].ok)
			continue;
		v = wl_dataset_meta_get(&p->v[i].ds, "slurm.job_id");
		if (!id) {
			id = v ? v : "";
			for (k = 0; k < p->v[i].ds.nmeta; k++)
				if (!strncmp(p->v[i].ds.meta[k].key, "slurm.", 6) &&
				    wl_dataset_meta(out, p->v[i].ds.meta[k].key,
						    p->v[i].ds.meta[k].value))
					return wl_error_set(err, "out of memory");
		} else if (strcmp(id, v ? v : "")) {
			return wl_error_set(err, "'%s' is from job '%s', not job '%s' like the "
					    "traces before it", p->v[i].path, v ? v : "(none)", id);
		}
	}
	if (wl_dataset_meta(out, "job.id", id ? id : ""))
		return wl_error_set(err, "out of memory");
	return 0;
}

static int merge_parts(struct parts *p, const struct wl_merge_opts *o, struct wl_dataset *out,
		       struct wl_error *err)
{
	double *t0;
	size_t i, k;
	int rc;

	for (i = k = 0; i < p->n; i++) {
		if (read_part(&p->v[i]) == 1) { /* a merged trace: left out */
			wl_dataset_release(&p->v[i].ds);
			free(p->v[i].path);
			continue;
		}
		p->v[k++] = p->v[i];
	}
	p->n = k;
	for (i = 0; i < p->n; i++)
		for (k = i + 1; k < p->n; k++)
			if (!strcmp(p->v[i].name, p->v[k].name))
				return wl_error_set(err, "two traces of node '%s': '%s' and '%s'",
						    p->v[i].name, p->v[i].path, p->v[k].path);
	if (job_meta(p, out, err) < 0 || add_missing(p, err) < 0)
		return -1;
	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), cmp_part);
	t0 = malloc(2 * (p->n + 1) * sizeof(*t0));
	if (!t0)
		return wl_error_set(err, "out of memory");
	rc = build(p, o, t0, t0 + p->n + 1, out, err);
	free(t0);
	if (rc < 0)
		return err->msg[0] ? -1 : wl_error_set(err, "out of memory merging the job");
	if (!(out->format = strdup("wattlog-job")))
		return wl_error_set(err, "out of memory");
	return 0;
}

int wl_merge_paths(const char *const *paths, size_t n, const struct wl_merge_opts *o,
		   struct wl_dataset *out, struct wl_error *err)
{
	struct parts p = {0};
	size_t i;
	int rc = 0;

	err->msg[0] = 0;
	for (i = 0; i < n && rc == 0; i++) {
		if (wl_merge_is_dir(paths[i]))
			rc = wl_merge_add_dir(&p, paths[i], err);
		else if (wl_merge_add_part(&p, paths[i]) < 0)
			rc = wl_error_set(err, "out of memory");
	}
	if (rc == 0)
		rc = merge_parts(&p, o, out, err);
	if (rc == 0 && !out->path && !(out->path = strdup(n ? paths[0] : "")))
		rc = wl_error_set(err, "out of memory");
	for (i = 0; i < p.n; i++) {
		wl_dataset_release(&p.v[i].ds);
		free(p.v[i].path);
	}
	free(p.v);
	return rc;
}
