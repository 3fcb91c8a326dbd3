#!/bin/sh
# t91-fault-kill9-trials: 200 trials of SIGKILL to the recorder at a random
# moment (2..250 ms) while it samples at -i 1ms and writes a block every 5 ms
# (--flush-interval), logging each block written on --stats-fd.  Every trace
# must be readable, with nothing damaged but a torn tail, and:
#   - its first B whole blocks hold exactly the S samples of the last
#     "flushed blocks=B samples=S" line (the side channel; a block written
#     after that line, before the kill, may follow: never fewer samples);
#   - no invented sample: the fake sysfs and procfs trees are static, so each
#     channel has one value in every sample of every trial (the file's), and
#     each source's times increase within the recording's first minute (it
#     is killed after 2..250 ms slept: a minute leaves room for any load,
#     a garbage time is off by far more);
#   - the C reader (wattlog export csv) reads as many samples as the
#     independent reader (scripts/wlog_dump.py).
# WL_KILL_TRIALS overrides the count (default 200).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
N=${WL_KILL_TRIALS:-200}
PROC=$R/fixtures/procfs/basic
[ -d "$PROC" ] || fail "no $PROC"

i=0
while [ $i -lt "$N" ]; do
	"$REC" -q -i 1ms --flush-interval 5ms --sysfs-root "$FSYS" --procfs-root "$PROC" \
		-o "$T/k$i.wlog" --stats-fd 3 3>"$T/k$i.stats" &
	pid=$!
	ms=$(($(od -An -N2 -tu2 /dev/urandom) % 249 + 2))
	sleep "$(printf '0.%03d' $ms)"
	kill -9 $pid
	wait $pid 2>/dev/null
	echo "$ms" >"$T/k$i.ms"
	if [ -x "$B/wattlog" ] && [ -s "$T/k$i.wlog" ]; then
		"$B/wattlog" export csv "$T/k$i.wlog" -o "$T/k$i.csv" 2>"$T/k$i.err"; rc=$?
		[ $rc -le 1 ] || fail "trial $i (${ms} ms): wattlog export: exit $rc: $(cat "$T/k$i.err")"
		echo $(($(wc -l <"$T/k$i.csv") - 1)) >"$T/k$i.c"
	fi
	i=$((i + 1))
done

cat >"$T/check.py" <<'PY'
import bisect, os, struct, sys
root, tdir, n, fsys = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, os.path.join(root, "scripts"))
import wlog_dump

def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)

values = {}          # (source, device, name) -> set of values
tot_read = tot_flushed = extra_blocks = empty = 0
for i in range(n):
    path = os.path.join(tdir, "k%d.wlog" % i)
    ms = open(os.path.join(tdir, "k%d.ms" % i)).read().strip()
    data = open(path, "rb").read() if os.path.exists(path) else b""
    lines = [l for l in open(os.path.join(tdir, "k%d.stats" % i)).read().splitlines() if l]
    B = S = 0
    for l in lines:
        f = dict(kv.split("=") for kv in l.split()[1:])
        if l.split()[0] != "flushed":
            fail("trial %d: stats line %r" % (i, l))
        B, S = int(f["blocks"]), int(f["samples"])
    if len(data) == 0:
        if B:
            fail("trial %d (%s ms): empty trace, %d blocks reported" % (i, ms, B))
        empty += 1
        continue
    starts = [a for a, _ in wlog_dump.Trace(data, path).blocks()]
    tr = wlog_dump.Trace(data, path)
    per_block = [0] * len(starts)
    start_mono, last_t = None, {}
    for kind, off, rec in tr.records():
        if kind == wlog_dump.REC_META:
            for k, v in rec:
                if k == b"start_monotonic_ns":
                    start_mono = int(v)
        if kind != wlog_dump.REC_SAMPLE:
            continue
        b = bisect.bisect_right(starts, off) - 1
        per_block[b] += 1
        src = None
        for cid, v in rec["vals"]:
            ch = tr.channels[cid]
            key = (ch["source"], ch["device"], ch["name"])
            src = ch["source"]
            values.setdefault(key, set()).add(v)
        if start_mono is None or not (start_mono <= rec["t"] <= start_mono + 60 * 10**9):
            fail("trial %d: sample at %s ns outside the recording" % (i, rec["t"]))
        if src in last_t and rec["t"] <= last_t[src]:
            fail("trial %d: %s time does not increase at %d" % (i, src, rec["t"]))
        last_t[src] = rec["t"]
    for off, length, what in tr.damage:
        if not what.startswith("torn tail"):
            fail("trial %d (%s ms): damage %r at %d" % (i, ms, what, off))
    if len(starts) < B:
        fail("trial %d (%s ms): %d whole blocks read, %d reported flushed" % (i, ms, len(starts), B))
    if sum(per_block[:B]) != S:
        fail("trial %d (%s ms): %d samples in the first %d blocks, %d reported"
             % (i, ms, sum(per_block[:B]), B, S))
    got = sum(per_block)
    extra_blocks += len(starts) - B
    cpath = os.path.join(tdir, "k%d.c" % i)
    if os.path.exists(cpath) and int(open(cpath).read()) != got:
        fail("trial %d: C reader %s samples, python %d" % (i, open(cpath).read().strip(), got))
    tot_read += got
    tot_flushed += S
for key, vs in values.items():
    if len(vs) != 1:
        fail("channel %s: %d distinct values in a static tree: %s" % (key, len(vs), sorted(vs)[:5]))
pkg = os.path.join(fsys, "class/powercap/intel-rapl:0/energy_uj")
want = int(open(pkg).read())
got = [list(v)[0] for k, v in values.items() if k[0] == b"powercap" and k[2] == b"package-0"]
if got and got[0] != want:
    fail("package-0 read %s, the file says %d" % (got[0], want))
print("ok: %d trials, %d samples read, %d reported flushed, %d blocks written after the "
      "last report, %d traces empty or not yet created (killed before the header)" % (n, tot_read, tot_flushed,
                                                                   extra_blocks, empty))
PY
python3 "$T/check.py" "$R" "$T" "$N" "$FSYS"
