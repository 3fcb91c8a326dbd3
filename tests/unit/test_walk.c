/*
 * test_walk.c - the trace walker (walk.h) against traces written here with
 * known values: the time origin, raw to physical values by type and scale
 * (the declaration in force), and t0_realtime from SYNC or META.
 */
#include "trace_fixture.h"
#include "wattlog/walk.h"

static struct wl_writer *start(const char *path, int *fd)
{
	struct wl_error err;
	struct wl_writer *w;

	*fd = open(path, O_WRONLY | O_TRUNC);
	cr_assert(*fd >= 0);
	w = wl_writer_open(*fd, 0, &err);
	cr_assert(w, "%s", err.msg);
	return w;
}

static void finish(struct wl_writer *w, int fd)
{
	struct wl_error err;

	cr_assert_eq(wl_writer_flush(w, &err), 0);
	wl_writer_free(w);
	close(fd);
}

static void meta(struct wl_writer *w, const char *k, const char *v)
{
	struct wl_error err;
	struct wl_kv kv = { k, v };

	cr_assert_eq(wl_writer_meta(w, &kv, 1, &err), 0);
}

static void decl(struct wl_writer *w, uint16_t id, uint8_t type, double scale, const char *name)
{
	struct wl_error err;
	struct wl_chan_info c = chan(id, WL_KIND_GAUGE, type, name);

	c.scale = scale;
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0);
}

/* Walks path to the next record of kind; its step. */
static int next_of(struct wl_walk *wk, uint16_t kind, struct wl_step *st)
{
	struct wl_error err;
	int rc;

	while ((rc = wl_walk_next(wk, st, &err)) == 1)
		if (st->rec.kind == kind)
			return 1;
	cr_assert_eq(rc, 0, "%s", err.msg);
	return 0;
}

Test(walk, origin_from_meta_values_by_type_and_scale)
{
	const char *path = tmp_path();
	struct wl_error err;
	struct wl_step st;
	struct wl_walk *wk;
	uint16_t ids[3] = { 1, 2, 3 };
	union wl_value v[3];
	double t0;
	int fd;
	struct wl_writer *w = start(path, &fd);

	meta(w, "start_monotonic_ns", "1000000000");
	meta(w, "start_realtime_ns", "1700000000000000000");
	decl(w, 1, WL_TYPE_U64, 1e-6, "energy");   /* uJ counter read as J */
	decl(w, 2, WL_TYPE_I64, 0.5, "delta");
	decl(w, 3, WL_TYPE_F64, 1.0, "power");
	v[0].u = 2500000;  /* 2.5 */
	v[1].i = -7;       /* -3.5 */
	v[2].f = 42.25;
	cr_assert_eq(wl_writer_sample(w, 1500000000ull, ids, v, 3, &err), 0);
	cr_assert_eq(wl_writer_marker(w, 3000000000ull, 0, "begin x", 7, &err), 0);
	/* a new declaration of id 3 counts from the next sample on */
	decl(w, 3, WL_TYPE_F64, 1e-3, "power");
	v[0].f = 1000;
	cr_assert_eq(wl_writer_sample(w, 4000000000ull, &ids[2], v, 1, &err), 0);
	finish(w, fd);

	wk = wl_walk_open(path, &err);
	cr_assert(wk, "%s", err.msg);
	cr_assert_not(wl_walk_has_origin(wk));
	cr_assert(next_of(wk, WL_REC_SAMPLE, &st));
	cr_assert(wl_walk_has_origin(wk));
	cr_assert_eq(st.t, 0.5);            /* (1.5e9 - 1e9) / 1e9 */
	cr_assert_eq(st.rec.u.sample.n, 3);
	cr_assert_eq(st.v[0], 2.5);
	cr_assert_eq(st.v[1], -3.5);
	cr_assert_eq(st.v[2], 42.25);
	cr_assert(next_of(wk, WL_REC_MARKER, &st));
	cr_assert_eq(st.t, 2.0);
	cr_assert(next_of(wk, WL_REC_SAMPLE, &st));
	cr_assert_eq(st.t, 3.0);
	cr_assert_float_eq(st.v[0], 1.0, 1e-15);
	cr_assert_not(next_of(wk, WL_REC_SAMPLE, &st));
	cr_assert_eq(wl_walk_secs(wk, 500000000ull), -0.5);
	/* no SYNC: start_realtime_ns + (origin - start_monotonic_ns), origin = start */
	cr_assert(wl_walk_t0_realtime(wk, &t0));
	cr_assert_eq(t0, 1.7e9);
	wl_walk_free(wk);
	unlink(path);
}

Test(walk, origin_from_first_stamped_record_and_sync)
{
	const char *path = tmp_path();
	struct wl_error err;
	struct wl_step st;
	struct wl_walk *wk;
	uint16_t id = 9;
	union wl_value v = { .u = 6 };
	double t0;
	int fd;
	struct wl_writer *w = start(path, &fd);

	meta(w, "hostname", "h");
	decl(w, 9, WL_TYPE_U64, 2.0, "n");
	/* the first time-stamped record is a SYNC at 3 s: the origin */
	cr_assert_eq(wl_writer_sync(w, 3000000000ull, 1700000010000000000ull, &err), 0);
	cr_assert_eq(wl_writer_sample(w, 2000000000ull, &id, &v, 1, &err), 0);
	cr_assert_eq(wl_writer_sync(w, 5000000000ull, 1800000000000000000ull, &err), 0);
	finish(w, fd);

	wk = wl_walk_open(path, &err);
	cr_assert(wk, "%s", err.msg);
	cr_assert(next_of(wk, WL_REC_SYNC, &st));
	cr_assert_eq(st.t, 0.0);
	cr_assert(next_of(wk, WL_REC_SAMPLE, &st));
	cr_assert_eq(st.t, -1.0); /* before the origin: negative, not wrapped */
	cr_assert_eq(st.v[0], 12.0);
	cr_assert_not(next_of(wk, WL_REC_LOG, &st));
	/* the first SYNC: realtime - (monotonic - origin) = 1700000010 s */
	cr_assert(wl_walk_t0_realtime(wk, &t0));
	cr_assert_eq(t0, 1700000010.0);
	wl_walk_free(wk);
	unlink(path);
}

Test(walk, bad_start_falls_back_and_no_realtime)
{
	const char *path = tmp_path();
	struct wl_error err;
	struct wl_step st;
	struct wl_walk *wk;
	uint16_t id = 1;
	union wl_value v = { .f = 1 };
	double t0 = -1;
	int fd;
	struct wl_writer *w = start(path, &fd);

	meta(w, "start_monotonic_ns", "1000");
	meta(w, "start_monotonic_ns", "12x"); /* the last value counts: not a number */
	decl(w, 1, WL_TYPE_F64, 1.0, "p");
	cr_assert_eq(wl_writer_sample(w, 7000000000ull, &id, &v, 1, &err), 0);
	cr_assert_eq(wl_writer_sample(w, 7250000000ull, &id, &v, 1, &err), 0);
	finish(w, fd);

	wk = wl_walk_open(path, &err);
	cr_assert(wk, "%s", err.msg);
	cr_assert(next_of(wk, WL_REC_SAMPLE, &st));
	cr_assert_eq(st.t, 0.0);
	cr_assert(next_of(wk, WL_REC_SAMPLE, &st));
	cr_assert_eq(st.t, 0.25);
	cr_assert_not(wl_walk_t0_realtime(wk, &t0));
	cr_assert_eq(t0, -1);
	wl_walk_free(wk);
	unlink(path);
}

Test(walk, open_fails_with_a_message)
{
	struct wl_error err;

	cr_assert_null(wl_walk_open("/nonexistent/x.wlog", &err));
	cr_assert(strstr(err.msg, "/nonexistent/x.wlog"), "%s", err.msg);
}

/* Format 1.1: a channel's quantity and component as the writer states
 * them; unstated (quantity 0), derived from source, name and unit as for
 * a 1.0 record. */
Test(walk, channel_meaning_stated_or_derived)
{
	const char *path = tmp_path();
	struct wl_error err;
	struct wl_step st;
	struct wl_walk *wk;
	struct wl_chan_info a = chan(1, WL_KIND_GAUGE, WL_TYPE_F64, "board_in");
	struct wl_chan_info b = chan(2, WL_KIND_COUNTER, WL_TYPE_U64, "package-0");
	struct wl_chan_info c = chan(3, WL_KIND_GAUGE, WL_TYPE_F64, "power.draw");
	int fd;
	struct wl_writer *w = start(path, &fd);

	strcpy(a.source, "acme");
	strcpy(a.unit, "W");
	strcpy(a.component, "acc0");
	a.quantity = WL_Q_POWER;
	strcpy(b.source, "powercap"); /* unstated: the 1.0 rule, package-N -> cpu */
	strcpy(c.source, "nvml");     /* stated none: no name is read */
	strcpy(c.unit, "W");
	strcpy(c.device, "gpu0");
	c.quantity = WL_Q_POWER;
	cr_assert_eq(wl_writer_channel(w, &a, &err), 0);
	cr_assert_eq(wl_writer_channel(w, &b, &err), 0);
	cr_assert_eq(wl_writer_channel(w, &c, &err), 0);
	finish(w, fd);

	wk = wl_walk_open(path, &err);
	cr_assert(wk, "%s", err.msg);
	cr_assert(next_of(wk, WL_REC_CHANNEL, &st));
	cr_assert_str_eq(st.rec.u.channel->component, "acc0");
	cr_assert_eq(st.rec.u.channel->quantity, WL_Q_POWER);
	cr_assert(next_of(wk, WL_REC_CHANNEL, &st));
	cr_assert_str_eq(st.rec.u.channel->component, "cpu");
	cr_assert_eq(st.rec.u.channel->quantity, WL_Q_ENERGY); /* uJ */
	cr_assert(next_of(wk, WL_REC_CHANNEL, &st));
	cr_assert_str_eq(st.rec.u.channel->component, "");
	cr_assert_eq(st.rec.u.channel->quantity, WL_Q_POWER);
	wl_walk_free(wk);
	unlink(path);
}
