#!/bin/sh
# t60-phases-real.sh - automatic phases on AIMeter's real A800 traces
# (../shared/real-traces/aimeter-a800), checked against an independent rule
# computed here with python3's standard library:
#   - the active stretches are the runs of samples with sm_active > 0 (runs
#     closer than 1 s joined, runs shorter than 1 s dropped); each starts
#     halfway between its first active sample and the one before, and ends
#     halfway between its last active sample and the one after (or at the
#     last sample);
#   - prefill-decode files: the phases, a leading/trailing idle aside, are
#     prefill, idle, decode; prefill and decode each match one stretch, every
#     boundary within 0.5 s; per-phase energy sums to the trapezoid integral
#     of power.draw + cpu_power + dram_power (the components the total counts)
#     within 0.1%;
#   - idle files: idle only;
#   - power-only data (Jetson tegrastats, an nvidia-smi log, and the AIMeter
#     files with --power-only): idle/active only, never prefill/decode;
#   - each prefill-decode file cut down here to an nvidia-smi CSV holding only
#     power.draw: active, idle, active, boundaries within 0.5 s of the same
#     stretches (the energy then counts the GPU alone).
B=${WL_BUILD:-build}
S=${WL_SHARED:-../shared}
R=$S/real-traces
W=$B/wattlog
PY=python3
if [ ! -d "$R/aimeter-a800/prefill-decode" ]; then
	echo "skipped: $R/aimeter-a800 absent (the shared real traces are not here)"
	exit 77
fi
command -v $PY >/dev/null 2>&1 || { echo "skipped: no python3"; exit 77; }
[ -x "$W" ] || { echo "FAIL: $W not built"; exit 1; }
tmp=$(mktemp -d /tmp/wl-t60.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

cat >"$tmp/check.py" <<'PYEOF'
import csv, sys
from datetime import datetime

mode, src, found = sys.argv[1], sys.argv[2], sys.argv[3]

def num(cell):
    return float(cell.split()[0])

def phases():
    with open(found, newline="") as f:
        return [(r["label"], float(r["start_s"]), float(r["end_s"]), float(r["energy_j"]))
                for r in csv.DictReader(f)]

ph = phases() if mode not in ("nvsmi", "stats") else []
labels = [p[0] for p in ph]
if mode == "poweronly":
    bad = [l for l in labels if l not in ("idle", "active")]
    if bad or not labels:
        sys.exit("%s: labels %s (want idle/active only)" % (src, labels))
    sys.exit(0)
if mode == "nvsmi":
    # Write an nvidia-smi --query-gpu CSV with power.draw alone from src.
    rows = list(csv.DictReader(open(src, newline="", encoding="utf-8")))
    with open(found, "w") as f:
        f.write("timestamp, index, power.draw [W]\n")
        for r in rows:
            f.write("%s00, 0, %s\n" % (r["timestamp"].replace("-", "/"),
                                       r["power.draw [W]"].split()[0]))
    sys.exit(0)
if mode == "stats":
    # --stats: each window's n and average of power.draw are those of the
    # rows inside [start_s, end_s].
    import json
    d = json.load(open(found))
    rows = list(csv.DictReader(open(src, newline="", encoding="utf-8")))
    ts = [datetime.strptime(r["timestamp"], "%Y-%m-%d %H:%M:%S.%f") for r in rows]
    t = [(x - ts[0]).total_seconds() for x in ts]
    pw = [num(r["power.draw [W]"]) for r in rows]
    for w in d["stats"]:
        v = [p for tt, p in zip(t, pw) if w["start_s"] - 1e-6 <= tt <= w["end_s"] + 1e-6]
        m = [x for x in w["metrics"] if x["name"] == "power.draw"][0]
        if m["n"] != len(v) or abs(m["avg"] - sum(v) / len(v)) > 1e-6 * abs(m["avg"]) + 1e-3:
            sys.exit("%s: %s: power.draw n %d avg %s, rows say %d, %.4f" % (
                src, w["label"], m["n"], m["avg"], len(v), sum(v) / len(v)))
        if "correlation" not in w:
            sys.exit("%s: %s: no correlation" % (src, w["label"]))
    print("%s: --stats ok (%d windows)" % (src.split("/")[-1], len(d["stats"])))
    sys.exit(0)
if mode == "idle":
    if set(labels) != {"idle"}:
        sys.exit("%s: labels %s (want idle only)" % (src, labels))
    sys.exit(0)

rows = list(csv.DictReader(open(src, newline="", encoding="utf-8")))
ts = [datetime.strptime(r["timestamp"], "%Y-%m-%d %H:%M:%S.%f") for r in rows]
t = [(x - ts[0]).total_seconds() for x in ts]
sm = [num(r["sm_active"]) for r in rows]
n = len(t)

runs = []
for i in range(n):
    if sm[i] <= 0:
        continue
    if runs and t[i] - t[runs[-1][1]] < 1.0:
        runs[-1][1] = i
    else:
        runs.append([i, i])
runs = [r for r in runs if t[r[1]] - t[r[0]] >= 1.0]
if len(runs) != 2:
    sys.exit("%s: the rule found %d active stretches, not 2" % (src, len(runs)))
def start(i): return 0.0 if i == 0 else 0.5 * (t[i - 1] + t[i])
def end(i): return t[i] if i == n - 1 else 0.5 * (t[i] + t[i + 1])
busy = ("prefill", "decode") if mode == "real" else ("active", "active")
want = [(busy[0], start(runs[0][0]), end(runs[0][1])),
        (busy[1], start(runs[1][0]), end(runs[1][1]))]

core = list(ph)
if core and core[0][0] == "idle":
    core = core[1:]
if core and core[-1][0] == "idle":
    core = core[:-1]
if [p[0] for p in core] != [busy[0], "idle", busy[1]]:
    sys.exit("%s: labels %s (want %s, idle, %s)" % (src, labels, busy[0], busy[1]))
for (lab, a, b), p in zip(want, (core[0], core[2])):
    if abs(p[1] - a) > 0.5 or abs(p[2] - b) > 0.5:
        sys.exit("%s: %s found [%.2f, %.2f] s, rule [%.2f, %.2f] s" % (src, lab, p[1], p[2], a, b))

# Trapezoid rule over the rows for each component the total counts.
total = 0.0
cols = ("power.draw [W]", "cpu_power", "dram_power") if mode == "real" else ("power.draw [W]",)
for col in cols:
    v = [num(r[col]) for r in rows]
    total += sum(0.5 * (v[i] + v[i - 1]) * (t[i] - t[i - 1]) for i in range(1, n))
s = sum(p[3] for p in ph)
if abs(s - total) > 1e-3 * total:
    sys.exit("%s: phases sum to %.1f J, trapezoid total %.1f J" % (src, s, total))
print("%s: ok %s; boundaries %s; energy %.1f J (rule %.1f J)" % (
    src.split("/")[-1], labels,
    " ".join("%.2f/%.2f" % (p[1], p[2]) for p in core), s, total))
PYEOF

run() { # mode file [options]
	mode=$1 f=$2
	shift 2
	if ! "$W" phases --format csv "$@" "$f" >"$tmp/out.csv" 2>"$tmp/err"; then
		echo "FAIL: wattlog phases $* $f: $(cat "$tmp/err")"
		fail=1
		return
	fi
	$PY "$tmp/check.py" "$mode" "$f" "$tmp/out.csv" || fail=1
}

# The power-only cut of a prefill-decode file: check.py writes it, then the
# same rule as for the file itself, with active for prefill and decode.
run_cut() {
	f=$1
	$PY "$tmp/check.py" nvsmi "$f" "$tmp/cut.csv" || { fail=1; return; }
	if ! "$W" phases --format csv "$tmp/cut.csv" >"$tmp/out.csv" 2>"$tmp/err"; then
		echo "FAIL: wattlog phases on the power-only cut of $f: $(cat "$tmp/err")"
		fail=1
		return
	fi
	$PY "$tmp/check.py" powerreal "$f" "$tmp/out.csv" || fail=1
}

for f in "$R"/aimeter-a800/prefill-decode/*.csv; do
	run real "$f"
	run poweronly "$f" --power-only
	run_cut "$f"
done
f=$(ls "$R"/aimeter-a800/prefill-decode/*.csv | head -1)
if "$W" phases --stats --format json "$f" >"$tmp/stats.json" 2>"$tmp/err"; then
	$PY "$tmp/check.py" stats "$f" "$tmp/stats.json" || fail=1
else
	echo "FAIL: wattlog phases --stats $f: $(cat "$tmp/err")"
	fail=1
fi
for f in "$R"/aimeter-a800/idle/*.csv; do
	run idle "$f"
done
for f in "$R"/jetson-orin/*.log "$R"/powertrace-sim-a100/*/power.csv; do
	[ -f "$f" ] && run poweronly "$f"
done
[ $fail -eq 0 ] && echo "t60: all real traces pass"
exit $fail
