#!/bin/sh
# scripts/bench/requests.sh - pairing and attributing 10^6 markers.
#   1. tests/helpers/markers_bench.c: 10^6 markers in memory (166666 requests
#      of 3 windows: request, prefill, decode; 8 open at a time), the CPU and
#      wall time of wl_phases_markers (pairing; target under 2 s of CPU, the
#      bench fails above) and of wl_requests_compute (the equal split).
#   2. The whole command: a power log of 1 hour at 10 Hz (36000 rows, epoch
#      seconds) and a request log of the same 10^6 markers, through
#      `wattlog requests --markers` (read, parse times, pair, split, print).
B=${WL_BUILD:-build}
W=$B/wattlog
[ -x "$W" ] && [ -x "$B/tests/markers_bench" ] || {
	echo "requests bench: build $W and $B/tests/markers_bench first (make test)"; exit 2; }
echo "== requests: pairing 10^6 markers in memory"
"$B/tests/markers_bench" --check
rc=$?
tmp=$(mktemp -d /tmp/wl-bench-requests.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY' || exit 2
import sys
d = sys.argv[1]
t0 = 1700000000
with open(d + "/power.csv", "w") as f:
    f.write("time,power [W]\n")
    for i in range(36000):
        f.write("%.1f,%d\n" % (t0 + i / 10, 100 + (i * 37) % 200))
nreq = 166667
span = 3590.0
dur = span * 8 / nreq  # 8 requests open at a time
with open(d + "/req.log", "w") as f:
    ev = []
    for r in range(nreq):
        a = 1 + r * span / nreq
        b = a + dur
        m = a + dur / 4
        ev += [(a, 0, "begin request %d tokens_in=64" % r), (a, 1, "begin prefill %d" % r),
               (m, 2, "end prefill %d" % r), (m, 3, "begin decode %d" % r),
               (b, 4, "end decode %d" % r), (b, 5, "end request %d tokens_out=128" % r)]
    ev.sort()
    f.write("".join("%.6f %s\n" % (t0 + t, s) for t, _, s in ev))
PY
n=$(wc -l <"$tmp/req.log")
now() { date +%s.%N; }
t0=$(now)
"$W" requests "$tmp/power.csv" --markers "$tmp/req.log" --format csv >"$tmp/out.csv" || exit 2
t1=$(now)
echo "== requests: the whole command, $n markers in a log, 36000 power rows"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wattlog requests --markers (read log, pair, split, print CSV): %.3f s wall\n", b - a }'
echo "requests paired: $(($(wc -l <"$tmp/out.csv") - 1))"
exit $rc
