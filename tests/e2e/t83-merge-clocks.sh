#!/bin/sh
# t83-merge-clocks.sh - wattlog merge on traces whose monotonic clocks differ
# by hours (tests/helpers/mkjobtrace, no Slurm needed): one time axis by the
# realtime sync records, within one sample period (0.1 s; the truth here is
# exact to 1 ms), the offsets printed, the merged trace readable by info and
# report, and the job total the sum of the nodes' known energies.
B=${WL_BUILD:-build}
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$B/tests/mkjobtrace" ] || fail "$B/tests/mkjobtrace not built"
T=$(mktemp -d /tmp/wl-merge.XXXXXX)
trap 'rm -rf "$T"' EXIT
# under ASan: fontconfig and cairo keep caches for the process's life
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}
mkdir "$T/job"
# node: monotonic start (s), realtime start (s); 10 Hz, 50 samples, marker at 2 s
"$B/tests/mkjobtrace" "$T/job/n1.wlog" n1 7 'n[1-3]' 100 1700000000.00 0.1 50 10 50 100 2 1 &&
"$B/tests/mkjobtrace" "$T/job/n2.wlog" n2 7 'n[1-3]' 10900 1700000000.25 0.1 50 20 60 200 2 1 &&
"$B/tests/mkjobtrace" "$T/job/n3.wlog" n3 7 'n[1-3]' 25300 1700000000.50 0.1 50 30 70 300 2 1 ||
	fail "mkjobtrace"
"$B/wattlog" merge "$T/job" -o "$T/job.wlog" >"$T/out" 2>"$T/err" || { cat "$T/out" "$T/err"; fail "merge exit $?"; }
# offsets vs the job's start and the monotonic clocks' differences (3 h, 7 h)
grep -q "^  n2 .* 0.250000  *10799.750$" "$T/out" || { cat "$T/out"; fail "n2 offsets"; }
grep -q "^  n3 .* 0.500000  *25199.500$" "$T/out" || { cat "$T/out"; fail "n3 offsets"; }
"$B/wattlog" info "$T/job.wlog" >"$T/info" || fail "info of the merged trace"
for m in "2.000000 s  begin step @n1" "2.250000 s  begin step @n2" "2.500000 s  begin step @n3"; do
	grep -q "$m" "$T/info" || { cat "$T/info"; fail "marker not at its real time: $m"; }
done
# energy: (cpu + gpu) x 4.9 s per node; whole nodes: node W x 4.9 s
grep -q "job total: 1176.0 J" "$T/out" || { cat "$T/out"; fail "job total, want (60+80+100) x 4.9 = 1176 J"; }
grep -q "whole nodes .*: 2940.0 J" "$T/out" || fail "node total, want 600 x 4.9 = 2940 J"
"$B/wattlog" report "$T/job.wlog" >"$T/report" || fail "report of the merged trace: exit $?"
grep -q "job total: 1176.0 J" "$T/report" || fail "report of the merged trace: total"
# per-node phases: "step @nK" counts node K's power alone, (cpu + gpu) x 1 s
# = 60, 80, 100 J; windows of different nodes do not "overlap"
"$B/wattlog" phases --format json "$T/job" >"$T/ph.json" || fail "phases of the folder"
python3 - "$T/ph.json" <<'PY' || fail "per-node phase energy"
import json, sys
d = json.load(open(sys.argv[1]))
got = {p["label"]: p["energy_j"] for p in d["phases"]}
want = {"step @n1": 60.0, "step @n2": 80.0, "step @n3": 100.0}
print("phases %s, by hand %s, notes %s" % (got, want, d["notes"]))
ok = all(abs(got.get(k, -1) - v) < 1e-6 for k, v in want.items())
ok = ok and not any("overlapping" in n for n in d["notes"])
sys.exit(not ok)
PY
# the nodes' power figures beside the standard ones
"$B/wattlog" report "$T/job" --plots "$T/plots" >/dev/null 2>&1 || fail "report --plots of the folder"
for f in nodes.png nodes.pdf nodes_stacked.png nodes_stacked.pdf; do
	[ -s "$T/plots/$f" ] || fail "no $f"
done
# a node whose clock is 10 s off the others is warned about
"$B/tests/mkjobtrace" "$T/job/n3.wlog" n3 7 'n[1-3]' 25300 1700000010.5 0.1 50 30 70 300 2 1
"$B/wattlog" merge -n "$T/job" >/dev/null 2>"$T/err"
grep -q "n3: clock disagrees with the job's start by" "$T/err" || { cat "$T/err"; fail "no skew warning"; }
"$B/wattlog" merge -n --max-skew 20 "$T/job" >/dev/null 2>"$T/err"
grep -q "clock disagrees" "$T/err" && fail "skew warning despite --max-skew 20"
echo "ok: clocks hours apart on one axis, offsets, totals, skew warning"
