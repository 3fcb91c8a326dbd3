#!/bin/sh
# t43: `wattlog report --stream` (two passes, memory bounded) against the
# in-memory report (--no-stream) on a synthetic 30-channel trace written by
# mkbench_trace (RAPL counters wrapping at 2^32 uJ, GPU counters, gauges):
# energies and avg/min/max/std/twa equal to 1e-9 relative, percentiles
# within the histogram's bound (max - min) / 65536, correlation r within
# 1e-9 on the same grid (--grid given), same phase labels with boundaries
# within one 0.1 s decimation bin (+ one sample); the same assumptions[];
# every format renders.
B=${WL_BUILD:-build}
W=$B/wattlog
T=$(mktemp -d /tmp/wl-t43.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "t43: $*"; exit 1; }
[ -x "$W" ] && [ -x "$B/tests/mkbench_trace" ] || fail "build first: make $W $B/tests/mkbench_trace"
"$B/tests/mkbench_trace" "$T/b.wlog" 90 200 30 >/dev/null || fail "mkbench_trace"
"$W" report --no-stream --grid 0.05 -F json -o "$T/m.json" "$T/b.wlog" || fail "report --no-stream: $?"
"$W" report --stream --grid 0.05 -F json -o "$T/s.json" "$T/b.wlog" || fail "report --stream: $?"
for f in text markdown csv; do
	"$W" report --stream -F $f -o "$T/s.$f" "$T/b.wlog" && [ -s "$T/s.$f" ] || fail "--stream -F $f"
done
grep -q "total energy" "$T/s.text" || fail "no total energy in the text report"
# the CSV is the resampled table: a header and one row per grid bin
[ "$(wc -l <"$T/s.csv")" -gt 100 ] || fail "the CSV table is short"
python3 - "$T/m.json" "$T/s.json" <<'PY' || fail "streamed report differs"
import json, math, sys
m, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
def near(a, b, what, rel=1e-9):
    if a is None or b is None:
        if a is not b: bad.append("%s: %r vs %r" % (what, a, b))
        return
    if abs(a - b) > rel * max(abs(a), abs(b)) + 1e-300:
        bad.append("%s: in memory %.17g, streamed %.17g" % (what, a, b))
em, es = m["energy_j"], s["energy_j"]
near(em["total"], es["total"], "total")
for k, v in em["components"].items():
    near(v, es["components"][k], "energy " + k)
for a, b in zip(m["metrics"], s["metrics"]):
    name = a.get("name", "?") + " " + str(a.get("device", ""))
    for k in ("avg", "min", "max", "std", "twa"):
        near(a.get(k), b.get(k), name + " " + k)
    bound = (a["max"] - a["min"]) / 65536 * 1.000001 + 1e-12
    for k in ("p50", "p95", "p99"):
        if abs(a[k] - b[k]) > bound:
            bad.append("%s %s: %.17g vs %.17g (bound %g)" % (name, k, a[k], b[k], bound))
cm, cs = m["correlation"], s["correlation"]
if cm["bins"] != cs["bins"]:
    bad.append("grid bins %s vs %s" % (cm["bins"], cs["bins"]))
for i, (ra, rb) in enumerate(zip(cm["matrix"], cs["matrix"])):
    for j, (x, y) in enumerate(zip(ra, rb)):
        if (x is None) != (y is None) or (x is not None and abs(x - y) > 1e-9):
            bad.append("r[%d][%d] %r vs %r" % (i, j, x, y))
# the streamed report carries the dataset's assumptions as the loaded one does
if not isinstance(s.get("assumptions"), list) or m["assumptions"] != s["assumptions"]:
    bad.append("assumptions %r in memory, %r streamed" % (m.get("assumptions"),
                                                          s.get("assumptions")))
pm, ps = m.get("phases", []), s.get("phases", [])
if len(pm) != len(ps):
    bad.append("%d phases in memory, %d streamed" % (len(pm), len(ps)))
for a, b in zip(pm, ps):
    if a["label"] != b["label"] or abs(a["start_s"] - b["start_s"]) > 0.1 + 0.005 \
       or abs(a["end_s"] - b["end_s"]) > 0.1 + 0.005:
        bad.append("phase %r %.3f..%.3f vs %r %.3f..%.3f" % (a["label"], a["start_s"],
                   a["end_s"], b["label"], b["start_s"], b["end_s"]))
print("t43: total %.6f J in memory, %.6f J streamed; %d metrics, %d phases" %
      (em["total"], es["total"], len(m["metrics"]), len(pm)))
for b in bad[:20]: print("  " + b)
sys.exit(1 if bad else 0)
PY
echo "t43: ok"
