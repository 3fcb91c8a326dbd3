#!/bin/sh
# t92-fault-sources: sources that misbehave under the real recorder and analyzer.
#   1. a powercap package deleted mid-run (emptied, then removed): one LOG
#      record names it, no sample of its channels after it, the other
#      package goes on (~1 per 10 ms);
#   2. a counter that jumps backwards far from its wrap range (not a wrap):
#      the analyzer excludes that interval with a warning and bridges it at
#      the mean power of its neighbours; the energy is the sum of the
#      forward steps written (1 J each), not a wrap's 262 kJ; with
#      --no-bridge the interval is left out;
#   3. a sensor that never changes: reported as not updating, its average
#      power absent (null), never 0 W;
#   4. a /proc whose stat and meminfo are cut mid-line: the recording goes
#      on, no crash, every cpu_busy value within 0..100 %;
#   5. a fake NVML GPU lost mid-run (fixtures/nvml/lost.txt): logged, the
#      command's status returned.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
PROC=$R/fixtures/procfs/basic
W=$B/wattlog
[ -x "$W" ] || fail "$W not built"

py() { python3 - "$R" "$@"; }

# 1. a package deleted at 0.3 s
F1=$T/f1
cp -r "$FSYS" "$F1"
Z=$(ls -d "$F1"/class/powercap/intel-rapl:* | grep -v 'intel-rapl:0' | grep -E 'intel-rapl:[0-9]+$' | head -1)
[ -n "$Z" ] || Z=$F1/class/powercap/intel-rapl:0:0
zname=$(cat "$Z/name")
# the recorder keeps its sysfs files open, as sysfs would answer ENODEV the
# files are emptied before they go (a read of a removed regular file that is
# still open would go on answering)
# (by the recorded command, once 10 samples are in the trace; it then waits
# for 30 more)
"$REC" -q -i 10ms --flush-interval 20ms -o "$T/del.wlog" --sysfs-root "$F1" --procfs-root "$PROC" \
	-- sh -c 'python3 "$0" "$1" powercap 10 >/dev/null || exit 9
	for f in "$2"/energy_uj "$2":*/energy_uj; do [ ! -e "$f" ] || : >"$f"; done; rm -rf "$2" "$2":*
	python3 "$0" "$1" powercap 30 + >/dev/null || exit 9' "$WAIT_TRACE" "$T/del.wlog" "$Z" \
	2>"$T/del.err" || fail "zone deleted: exit $?: $(cat "$T/del.err")"
py "$T/del.wlog" "$zname" <<'PY' || fail "zone deleted"
import os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "scripts"))
import wlog_dump
tr = wlog_dump.Trace(open(sys.argv[2], "rb").read(), sys.argv[2])
gone = sys.argv[3].encode()
per, logs, last_gone, first_log = {}, [], 0, None
for kind, off, rec in tr.records():
    if kind == wlog_dump.REC_LOG:
        logs.append(rec["text"])
        if first_log is None and gone in rec["text"]:
            first_log = rec["t"]
    if kind == wlog_dump.REC_SAMPLE:
        for cid, v in rec["vals"]:
            ch = tr.channels[cid]
            per[(ch["device"], ch["name"])] = per.get((ch["device"], ch["name"]), 0) + 1
            if ch["source"] == b"powercap" and ch["device"] == gone:
                last_gone = max(last_gone, rec["t"])
if first_log is None:
    print("FAIL: no LOG record names %s: %s" % (gone, logs)); sys.exit(1)
if last_gone > first_log:
    print("FAIL: a sample of %s after its loss was logged" % gone); sys.exit(1)
alive = [n for (d, name), n in per.items() if d != gone and name.startswith(b"package")]
if not alive or min(alive) < 40:
    print("FAIL: the other package did not go on: %s" % per); sys.exit(1)
print("deleted %s: logged, other package %d samples" % (gone.decode(), min(alive)))
PY

# 2. a counter that jumps backwards: one package zone, +1 J every 20 ms,
#    then from 5.015e9 uJ back to 1e9 uJ (wrap range 262143328850), then +1 J
#    steps again; written in place (same length, no truncation), as the
#    recorder keeps the file open; each value stays until the recorder has
#    read it (the trace holds one more sample)
F2=$T/f2
P=$F2/class/powercap/intel-rapl:0
mkdir -p "$P"
echo package-0 >"$P/name"; echo 262143328850 >"$P/max_energy_range_uj"; echo 1 >"$P/enabled"
echo 5000000000 >"$P/energy_uj"
"$REC" -q -i 5ms --flush-interval 5ms -o "$T/back.wlog" --sysfs-root "$F2" --procfs-root "$PROC" -- sh -c '
	v=5000000000; k=0
	while [ $k -lt 30 ]; do
		[ $k -eq 15 ] && v=1000000000
		v=$((v + 1000000)); echo $v | dd of="$1" conv=notrunc status=none
		python3 "$2" "$3" powercap 1 + >/dev/null || exit 9
		k=$((k + 1))
	done' sh "$P/energy_uj" "$WAIT_TRACE" "$T/back.wlog" 2>"$T/back.err" ||
	fail "backwards: exit $?: $(cat "$T/back.err")"
"$W" report --format json "$T/back.wlog" >"$T/back.json" 2>"$T/back.rerr" ||
	fail "report: exit $?: $(cat "$T/back.rerr")"
"$W" report --format json --no-bridge "$T/back.wlog" >"$T/backn.json" 2>"$T/back.rerr" ||
	fail "report --no-bridge: exit $?: $(cat "$T/back.rerr")"
py "$T/back.json" "$T/backn.json" <<'PY' || fail "backwards counter"
import json, sys
d = json.load(open(sys.argv[2]))
e = d["energy_j"]["components"]["cpu"]
en = json.load(open(sys.argv[3]))["energy_j"]["components"]["cpu"]
w = [x for x in d["warnings"] + [a["text"] for a in d["assumptions"]]
     if "implausible counter jump" in x]
if not w:
    print("FAIL: no warning about the backwards jump: %s" % d["warnings"]); sys.exit(1)
# 30 steps of 1 J written; the first lands before or after the first read.
# Left out (--no-bridge), the interval holding the jump (1 or 2 steps) is
# missing; bridged, it counts at its neighbours' power: one step, give or
# take the scheduling jitter of the writer's 20 ms sleeps (< 1.5 J).
if not 26 <= en <= 30:
    print("FAIL: --no-bridge cpu energy %.6g J, want 26..30 J" % en); sys.exit(1)
if not (en < e and 27 <= e <= 31.5):
    print("FAIL: cpu energy %.6g J, want 27..31.5 J and above --no-bridge's %.6g J" % (e, en))
    sys.exit(1)
print("backwards jump excluded: %.3f J bridged, %.3f J left out, %s" % (e, en, w[0]))
PY

# 3. a sensor that never changes (the static fake tree)
"$REC" -q -i 2ms -d 300ms -o "$T/stuck.wlog" --sysfs-root "$FSYS" --procfs-root "$PROC" ||
	fail "stuck: exit $?"
"$W" report --format json "$T/stuck.wlog" >"$T/stuck.json" 2>"$T/stuck.rerr" ||
	fail "report stuck: exit $?: $(cat "$T/stuck.rerr")"
py "$T/stuck.json" <<'PY' || fail "sensor that never changes"
import json, sys
d = json.load(open(sys.argv[2]))
w = [x for x in d["warnings"] if "not updating" in x]
if not any(x.startswith("package-0") for x in w):
    print("FAIL: package-0 not reported as not updating: %s" % d["warnings"]); sys.exit(1)
for name, c in d["energy_j"]["component_detail"].items():
    if c["avg_power_w"] is not None:
        print("FAIL: %s: average power %s W from a sensor that never changed" % (name, c["avg_power_w"]))
        sys.exit(1)
print("not updating: %d channels reported, no power" % len(w))
PY

# 4. /proc cut mid-line
P4=$T/proc4
cp -r "$PROC" "$P4"
head -c 40 "$PROC/stat" >"$P4/stat"
head -c 30 "$PROC/meminfo" >"$P4/meminfo"
"$REC" -q -i 5ms --flush-interval 20ms -o "$T/proc.wlog" --sysfs-root "$FSYS" --procfs-root "$P4" \
	-- python3 "$WAIT_TRACE" "$T/proc.wlog" powercap 40 2>"$T/proc.err" >/dev/null ||
	fail "truncated /proc: exit $?: $(cat "$T/proc.err")"
py "$T/proc.wlog" <<'PY' || fail "truncated /proc"
import os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "scripts"))
import wlog_dump
tr = wlog_dump.Trace(open(sys.argv[2], "rb").read(), sys.argv[2])
n = bad = 0
for kind, off, rec in tr.records():
    if kind == wlog_dump.REC_SAMPLE:
        n += 1
        for cid, v in rec["vals"]:
            ch = tr.channels[cid]
            if ch["unit"] == b"%" and not 0 <= v * ch["scale"] <= 100:
                bad += 1
if tr.damage or bad or n < 40:
    print("FAIL: damage %s, %d values out of 0..100 %%, %d samples" % (tr.damage, bad, n)); sys.exit(1)
print("truncated /proc: %d samples, all %% in range" % n)
PY

# 5. a GPU lost mid-run (fake NVML)
if [ -f "$B/tests/libfake-nvml.so" ]; then
	WATTLOG_NVML_LIB=$B/tests/libfake-nvml.so WATTLOG_FAKE_NVML=$R/fixtures/nvml/lost.txt \
		"$REC" -q -i 10ms -o "$T/gpu.wlog" --sysfs-root "$FSYS" --procfs-root "$PROC" \
		-- sh -c 'i=0; until grep -q "every gpu is lost" "$0" || [ $i -ge 1500 ]; do
			sleep 0.02; i=$((i + 1)); done; exit 5' "$T/gpu.err" 2>"$T/gpu.err"
	rc=$?
	[ $rc -eq 5 ] || fail "gpu lost: exit $rc, want 5: $(cat "$T/gpu.err")"
	summary "$T/gpu.wlog" >"$T/gpu.s" || fail "gpu lost: reader failed"
	grep -q '^log .*lost' "$T/gpu.s" || fail "gpu lost: no LOG record: $(grep '^log' "$T/gpu.s")"
	echo "gpu lost: logged, status 5 returned"
fi
echo ok
