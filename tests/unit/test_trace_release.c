/* test_trace_release.c - the trace reader on files longer than the 16 MiB
 * after which it hands mapped pages back (reader.c, WL_READER_RELEASE):
 * every sample of a 40 MiB trace is read back; resynchronisation across
 * more than 16 MiB of garbage finds a block whose magic straddles the edge
 * of its 16 MiB search window; garbage to the end of the file is one
 * damage entry. */
#include "trace_fixture.h"

#define MIB (1u << 20)
#define NS 400000 /* 10-channel samples: 116 bytes each, ~44 MiB */

/* A trace of samples first..first+n-1 (t_ns = i, channel c = i * 10 + c),
 * channels 0..9 declared when declare is set.  Its bytes, *len long. */
static unsigned char *trace_bytes(uint64_t first, size_t n, int declare, size_t *len)
{
	const char *path = tmp_path();
	struct wl_error err;
	struct wl_writer *w;
	struct wl_chan_info c;
	union wl_value v[10];
	uint16_t ids[10];
	unsigned char *b;
	int fd = open(path, O_WRONLY | O_TRUNC);

	w = wl_writer_open(fd, 0, &err);
	cr_assert(w, "%s", err.msg);
	for (uint16_t k = 0; k < 10; k++) {
		ids[k] = k;
		c = chan(k, WL_KIND_COUNTER, WL_TYPE_U64, "energy");
		if (declare)
			cr_assert_eq(wl_writer_channel(w, &c, &err), 0);
	}
	for (uint64_t i = first; i < first + n; i++) {
		for (int k = 0; k < 10; k++)
			v[k].u = i * 10 + (uint64_t)k;
		cr_assert_eq(wl_writer_sample(w, i, ids, v, 10, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(wl_writer_flush(w, &err), 0);
	wl_writer_free(w);
	close(fd);
	b = slurp(path, len);
	unlink(path);
	return b;
}

/* Reads path; checks that the samples are first..first+n-1 in order (all
 * 10 values) for the `runs` runs given; returns the reader for damage. */
static struct wl_reader *check_read(const char *path, const uint64_t *first, const size_t *n,
				    int runs)
{
	struct wl_error err;
	struct wl_record rec;
	struct wl_reader *r = wl_reader_open(path, &err);
	uint64_t want;
	int run = 0, rc;
	size_t got = 0;

	cr_assert(r, "%s", err.msg);
	while ((rc = wl_reader_next(r, &rec, &err)) == 1) {
		if (rec.kind != WL_REC_SAMPLE)
			continue;
		while (run < runs && got == n[run]) {
			run++;
			got = 0;
		}
		cr_assert_lt(run, runs, "more samples than written");
		want = first[run] + got;
		cr_assert_eq(rec.t_ns, want);
		cr_assert_eq(rec.u.sample.n, 10);
		for (size_t k = 0; k < 10; k++)
			cr_assert_eq(rec.u.sample.vals[k].u, want * 10 + k);
		got++;
	}
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(run, runs - 1, "runs read: %d", run + 1);
	cr_assert_eq(got, n[runs - 1]);
	return r;
}

Test(trace_release, long_trace_read_whole)
{
	const struct wl_damage *d;
	uint64_t first = 0;
	size_t len, n = NS;
	unsigned char *b = trace_bytes(0, NS, 1, &len);
	struct wl_reader *r;
	char path[64];

	strcpy(path, tmp_path());
	cr_assert_gt(len, 40 * MIB);
	spill(path, b, len);
	r = check_read(path, &first, &n, 1);
	cr_expect_eq(wl_reader_damage(r, &d), 0);
	wl_reader_free(r);
	free(b);
	unlink(path);
}

Test(trace_release, resync_across_windows)
{
	const struct wl_damage *d;
	uint64_t first[2] = { 0, 1000000 };
	size_t n[2] = { NS / 4, 1000 }, la, lb, g, glen, nd;
	unsigned char *a = trace_bytes(0, NS / 4, 1, &la);
	unsigned char *b = trace_bytes(1000000, 1000, 0, &lb);
	unsigned char *f;
	struct wl_reader *r;
	char path[64];

	strcpy(path, tmp_path());
	/* a, then zeros from offset la, then b's blocks (without its file
	 * header) at la + 1 + 16 MiB - 2: the reader searches from la + 1 in
	 * windows [la + 1, la + 1 + 16 MiB), then from la + 1 + 16 MiB - 3,
	 * so b's magic lies across the first window's edge (a window of
	 * 16 MiB without that overlap would miss it). */
	glen = 1 + 16 * MIB - 2;
	f = calloc(1, la + glen + lb);
	cr_assert(f);
	memcpy(f, a, la);
	memcpy(f + la + glen, b + 16, lb - 16);
	spill(path, f, la + glen + lb - 16);
	r = check_read(path, first, n, 2);
	nd = wl_reader_damage(r, &d);
	cr_assert_eq(nd, 1, "%zu damage entries", nd);
	cr_expect_eq(d[0].offset, la);
	cr_expect_eq(d[0].length, glen);
	wl_reader_free(r);

	/* Garbage from la to the end (more than one window), holding "WBLK"
	 * magics whose blocks do not check: one entry. */
	for (g = la + 100; g + 20 < la + glen; g += 3 * MIB + 7) {
		memcpy(f + g, "WBLK", 4);
		put32(f + g + 4, 100);
	}
	spill(path, f, la + glen);
	r = check_read(path, first, n, 1);
	nd = wl_reader_damage(r, &d);
	cr_assert_eq(nd, 1, "%zu damage entries", nd);
	cr_expect_eq(d[0].offset, la);
	cr_expect_eq(d[0].length, glen);
	wl_reader_free(r);
	free(a);
	free(b);
	free(f);
	unlink(path);
}
