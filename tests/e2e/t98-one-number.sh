#!/bin/sh
# t98-one-number: one run, one number (issue 15).  For a wattlog trace (two
# RAPL package counters of one "cpu" sampled apart, a GPU power gauge), an
# AIMeter CSV, an nvidia-smi CSV and a merged Slurm job (three nodes,
# tests/helpers/mkjobtrace), the total energy and the energy of each
# component counted in the total agree to 1e-9 relative across
#   report --format json  (energy_j.total, energy_j.components)
#   phases --format json  (total_energy_j; with automatic phases, which tile
#                          the run, the sum of the outermost phases and of
#                          their components)
#   compare --format csv  (energy_j_mean, energy_COMPONENT_j_mean)
#   plot --figure energy --data  (the numbers the bars draw, summed per bar)
# and the wattlog trace's total is the one computed by hand: package-0 20 W
# over [0, 10] s = 200 J, package-1 30 W over [0.5, 9.5] s = 270 J, gpu0
# 100 W to 4.9 s then 300 W from 5.0 s, trapezoid: 490 + 20 + 1500 = 2010 J;
# 2480 J in all.
# With ../shared, also the real AIMeter and RAPL (two packages) traces.
B=$(cd "${WL_BUILD:-build}" && pwd)
W=$B/wattlog
R=${WL_ROOT:-$(pwd)}
S=${WL_SHARED:-$R/../shared}
T=$(mktemp -d /tmp/wl-t98.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$W" ] || fail "$W not built"
[ -x "$B/tests/mkjobtrace" ] || fail "$B/tests/mkjobtrace not built"
cd "$T" || exit 1

python3 - "$R/tests/e2e" <<'PY' || fail "writing the inputs"
import sys
sys.path.insert(0, sys.argv[1])
import wlog_write as W
T0 = 1_000_000_000
t = W.Trace()
t.meta({"start_monotonic_ns": str(T0), "start_realtime_ns": "1700000000000000000"})
t.channel(1, "rapl", "package-0", "uJ", "package-0", kind=W.COUNTER, type=W.U64, wrap=2**32)
t.channel(2, "rapl", "package-1", "uJ", "package-1", kind=W.COUNTER, type=W.U64, wrap=2**32)
t.channel(3, "nvml", "power.draw", "W", "gpu0", kind=W.GAUGE, type=W.F64)
t.channel(4, "nvml", "utilization.gpu", "%", "gpu0", kind=W.GAUGE, type=W.F64)
for i in range(101):                 # every 0.1 s over [0, 10] s
    ts = i * 100_000_000
    busy = i >= 50
    t.sample(T0 + ts, [(1, 20 * ts // 1000), (3, 300.0 if busy else 100.0),
                       (4, 90.0 if busy else 0.0)])
for i in range(91):                  # package-1 over [0.5, 9.5] s, apart
    ts = 500_000_000 + i * 100_000_000
    t.sample(T0 + ts, [(2, 30 * (ts - 500_000_000) // 1000)])
open("trace.wlog", "wb").write(t.bytes())

# AIMeter: two GPUs, CPU and DRAM power, 0.1 s rows, a step at 10 s
with open("aimeter.csv", "w") as f:
    f.write("timestamp,task_name,name,index,power.draw [W],temperature.gpu,cpu_power,"
            "dram_power,cpu_usage,clocks.current.sm [MHz],pcie_rx_bytes,"
            "pcie.link.gen.current,dram_usage\n")
    for i in range(200):
        busy = i >= 100
        ts = "2025-05-07 14:32:%02d.%d" % (i // 10, i % 10)
        for g in range(2):
            p = (250.0 if busy else 80.0) + 10 * g + (i % 3)
            f.write("%s,demo,NVIDIA A800 80GB PCIe,%d,%.2f W,50.00 °C,%.2f W,%.2f W,"
                    "5.0 %%,1410 MHz,0.05 GB/s,4,3.0 %%\n"
                    % (ts, g, p, 150.0 + (i % 5), 10.0 + (i % 2)))

# nvidia-smi --format=csv: two GPUs, 0.1 s rows, a step at 10 s
with open("nvsmi.csv", "w") as f:
    f.write("timestamp, name, index, uuid, power.draw [W], temperature.gpu, "
            "utilization.gpu [%], memory.used [MiB], clocks.sm [MHz], pstate\n")
    for i in range(200):
        busy = i >= 100
        ts = "2024/01/02 03:04:%02d.%03d" % (5 + i // 10, 100 * (i % 10))
        for g in range(2):
            p = (400.0 if busy else 70.0) + 5 * g + 0.25 * (i % 4)
            f.write("%s, NVIDIA H100 80GB HBM3, %d, GPU-%d, %.2f W, 30, %d %%, 100 MiB, "
                    "1980 MHz, P0\n" % (ts, g, g, p, 90 if busy else 0))
PY
mkdir job
"$B/tests/mkjobtrace" job/n1.wlog n1 7 'n[1-3]' 100 1700000000.00 0.1 50 10 50 100 2 1 &&
"$B/tests/mkjobtrace" job/n2.wlog n2 7 'n[1-3]' 10900 1700000000.25 0.1 50 20 60 200 2 1 &&
"$B/tests/mkjobtrace" job/n3.wlog n3 7 'n[1-3]' 25300 1700000000.50 0.1 50 30 70 300 2 1 ||
	fail "mkjobtrace"

# check NAME INPUT HOW: HOW "tile" (automatic phases: their sums too) or
# "total" (marker windows that do not cover the run: the total line)
check() {
	# compare takes folders: a job folder is one run, a file goes in one
	if [ -d "$2" ]; then ln -s "$2" "cmp-$1"; else mkdir "cmp-$1" && ln -s "$2" "cmp-$1/"; fi ||
		fail "$1: folder for compare"
	"$W" report --format json "$2" >"$1.rep.json" || fail "$1: report"
	"$W" phases --format json $4 "$2" >"$1.ph.json" || fail "$1: phases"
	"$W" compare --format csv "cmp-$1" >"$1.cmp.csv" || fail "$1: compare"
	"$W" plot --figure energy --data "$1.fig.csv" -o "$1.png" "$2" >/dev/null ||
		fail "$1: plot"
	python3 - "$1" "$3" <<'PY' || fail "$1: the numbers disagree (above)"
import csv, json, sys
name, how = sys.argv[1], sys.argv[2]
rep = json.load(open(name + ".rep.json"))
ph = json.load(open(name + ".ph.json"))
e = rep["energy_j"]
total = e["total"]
comps = {k: v for k, v in e["components"].items() if e["component_detail"][k]["in_total"]}
bad = []
def same(what, a, b):
    if a is None or b is None or abs(a - b) > 1e-9 * max(abs(a), abs(b)):
        bad.append("%s: %s: report %r, other %r" % (name, what, a, b))
same("phases total line", total, ph["total_energy_j"])
if how == "tile":
    outer = [p for p in ph["phases"] if p["depth"] == 0]
    same("sum of the phases", total, sum(p["energy_j"] for p in outer))
    for k, v in comps.items():
        same("phases' " + k, v, sum(p["components"][k] for p in outer))
row = next(csv.DictReader(open(name + ".cmp.csv")))
same("compare energy_j", total, float(row["energy_j_mean"]))
for k, v in comps.items():
    same("compare " + k, v, float(row["energy_%s_j_mean" % k]))
fig = {}
for r in csv.DictReader(open(name + ".fig.csv")):
    fig[r["component"]] = fig.get(r["component"], 0) + float(r["energy_j"])
if set(fig) != set(comps):
    bad.append("%s: figure bars %s, report components %s" % (name, sorted(fig), sorted(comps)))
for k, v in comps.items():
    same("figure " + k, v, fig.get(k))
same("figure total", total, sum(fig.values()))
if name == "trace":  # by hand: 20 W x 10 s + 30 W x 9 s + gpu0's trapezoid
    same("trace by hand", 200 + 270 + 490 + 20 + 1500, total)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
	echo "ok: $1: report, phases, compare and the energy figure agree ($3)"
}

check trace "$T/trace.wlog" tile
check aimeter "$T/aimeter.csv" tile
check nvsmi "$T/nvsmi.csv" tile
check job "$T/job" total
check job-auto "$T/job" tile --auto
if [ -d "$S/real-traces" ]; then
	check real-aimeter "$(ls "$S"/real-traces/aimeter-a800/prefill-decode/*.csv | head -1)" tile
	check real-rapl "$S/real-traces/rapl-broadwell/compute_perf.txt" tile
else
	echo "skip: real traces ($S/real-traces absent)"
fi
echo "t98: ok"
