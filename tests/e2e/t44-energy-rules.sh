#!/bin/sh
# t44-energy-rules: the energy rules of README "What wattlog assumes" on
# logs written here in the shapes people's tools write, each truth computed
# in this script (python3 standard library) from the rows it wrote, never
# with the code under test.
#  - gaps (issue 16, failure 6): a pynvml loop at 0.1 s that pauses 1.1 s
#    every 2 s.  Energy = the full trapezoid of every pair of rows; the
#    intervals longer than 5 x the median are reported with the energy they
#    hold and its bounds (lowest and highest power seen x their length);
#    the overview's and the component table's average power are both
#    energy / the time covered.  --no-bridge: the trapezoid less the gaps,
#    marked partial, average over the covered time.
#  - partial channels (failure 10): an nvidia-smi log of 100 s at 300 W
#    where power.draw.instant appears in 2 rows: gpu0 = the trapezoid of
#    power.draw (29.7 kJ), not the instant column's; a CSV whose energy
#    counter stops after 20 reads: gpu0 = the power column's trapezoid;
#    both choices stated as assumptions (kind channel).
#  - implausible values (failure 11): one 1e308 W reading; one 0xFFFFFFFF
#    mW reading in 1.6 s at 100 W; a RAPL counter (wrap declared) reset to
#    near zero mid-run: each excluded and named (kind value), the energy
#    that of the plausible rows (bridged across the excluded one); a true
#    wrap in the same shape still counts as a wrap.
#  - phases from power alone (failure 9): 1 min at 33 W, 48 min at 290 W,
#    1 min at 33 W: idle / active / idle with the boundaries where the rows
#    change (within one sample), each phase's energy the trapezoid clipped
#    to it; a Jetson-like CSV whose power never changes but whose
#    GR3D_FREQ [%] is 99 % for 3 minutes, and a generic utilization_gpu [%]:
#    that stretch is active, the rest idle.
#  - a counter and a gauge of one GPU that cover alike and disagree by 58 %:
#    a warning naming both and which was used (the counter).
#  - the rest of failure 12: a channel with 3 values in 3000 rows neither
#    sets the correlation grid nor joins it (named in a warning; the grid of
#    the resampled table is the dense channels' 0.1 s; the two left are on
#    every row, so r is over the rows, and of two proportional columns 1);
#    --tokens wins over meta.json's output_tokens, with a warning; compare's
#    carbon and J/token, g/token rest on its own energy column (a run with
#    an excluded 1e308 W reading: E by hand, carbon = E / 3.6e6 x 400);
#    the power figure breaks its line at a gap: the same run with 10 rows
#    left out draws exactly one more line start (SVG "M") than without.
B=${WL_BUILD:-build}
W=$B/wattlog
command -v python3 >/dev/null || { echo "skipped: no python3 for the independent truth"; exit 77; }
tmp=$(mktemp -d /tmp/wl-t44.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
# Under ASan: fontconfig keeps its caches until exit (not our leak).
printf 'leak:libfontconfig\nleak:libcairo\n' >"$tmp/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$tmp/lsan.supp}

# --- failure 6: gaps ---------------------------------------------------------
python3 - "$tmp/gap.csv" <<'PY'
import math, sys
from datetime import datetime, timedelta
t0 = datetime(2025, 5, 7, 14, 0, 0)
ms, rows = 0, []
while ms <= 30000:
    rows.append(ms)
    ms += 100
    if ms % 2000 == 0:
        ms += 1100                       # the loop pauses 1.1 s
with open(sys.argv[1], "w") as f:
    f.write("timestamp, power.draw [W]\n")
    for k, m in enumerate(rows):
        p = 300 + 150 * math.sin(k / 7.0)
        f.write("%s, %.2f\n" % ((t0 + timedelta(milliseconds=m)).strftime("%Y/%m/%d %H:%M:%S.%f")[:-3], p))
PY
"$W" report --format json -o "$tmp/g.json" "$tmp/gap.csv" || { echo "FAIL: report gap.csv"; fail=1; }
"$W" report --format json --no-bridge -o "$tmp/gn.json" "$tmp/gap.csv" ||
	{ echo "FAIL: report --no-bridge gap.csv"; fail=1; }
"$W" report -o "$tmp/g.txt" "$tmp/gap.csv" || { echo "FAIL: text report gap.csv"; fail=1; }
python3 - "$tmp/gap.csv" "$tmp/g.json" "$tmp/gn.json" "$tmp/g.txt" <<'PY' || fail=1
import csv, json, re, statistics, sys
from datetime import datetime
rows = list(csv.reader(open(sys.argv[1])))[1:]
d = [datetime.strptime(r[0], "%Y/%m/%d %H:%M:%S.%f") for r in rows]
t = [(x - d[0]).total_seconds() for x in d]
p = [float(r[1]) for r in rows]
bound = 5 * statistics.median(t[i] - t[i-1] for i in range(1, len(t)))
full = gap_e = gap_s = 0.0
ngaps = 0
for i in range(1, len(t)):
    e = (t[i] - t[i-1]) * (p[i] + p[i-1]) / 2
    full += e
    if t[i] - t[i-1] > bound:
        gap_e += e
        gap_s += t[i] - t[i-1]
        ngaps += 1
span = t[-1] - t[0]
lo, hi = min(p) * gap_s, max(p) * gap_s
rel = lambda a, b: abs(a - b) <= 1e-9 * abs(b)
g, n = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
c, cn = g["energy_j"]["component_detail"]["gpu0"], n["energy_j"]["component_detail"]["gpu0"]
checks = [
    ("energy = full trapezoid", c["energy_j"], full),
    ("bridged gap energy", c["gap_bridged_j"], gap_e),
    ("gap bound low (min power x gaps)", c["gap_bounds_j"][0], lo),
    ("gap bound high (max power x gaps)", c["gap_bounds_j"][1], hi),
    ("gap time", c["gap_s"], gap_s),
    ("component average = E / span", c["avg_power_w"], full / span),
    ("overview average = E / span", g["energy_j"]["total_avg_power_w"], full / span),
    ("--no-bridge energy", cn["energy_j"], full - gap_e),
    ("--no-bridge average = E / covered", cn["avg_power_w"], (full - gap_e) / (span - gap_s)),
    ("--no-bridge overview average", n["energy_j"]["total_avg_power_w"], (full - gap_e) / (span - gap_s)),
]
bad = 0
for what, got, want in checks:
    ok = got is not None and rel(got, want)
    print("gaps: %s: %r (truth %.9g)%s" % (what, got, want, "" if ok else "  <-- FAIL"))
    bad |= not ok
if c["gaps"] != ngaps or ngaps < 10 or g["energy_j"]["total_partial"] or not n["energy_j"]["total_partial"]:
    print("gaps: %d gaps (truth %d), partial %s / %s  <-- FAIL" % (c["gaps"], ngaps,
          g["energy_j"]["total_partial"], n["energy_j"]["total_partial"])); bad = 1
# the text report: overview average power = the component table's
txt = open(sys.argv[4]).read()
ov = re.search(r"average power\s+([0-9.]+) W", txt)
# the component table: name, E ("9.107 kJ"), E in Wh ("2.530 Wh"), avg [W]
tab = re.search(r"\n  gpu0\s+\S+ \S+\s+\S+ \S+\s+([0-9.]+)", txt)
if not ov or not tab or ov.group(1) != tab.group(1):
    print("gaps: text overview average %s != table %s  <-- FAIL" % (ov and ov.group(1), tab and tab.group(1))); bad = 1
a = [x for x in g["assumptions"] if x["kind"] == "gap" and "bridged by the trapezoid" in x["text"]]
if len(a) != 1 or ("%.4g J" % gap_e) not in a[0]["text"]:
    print("gaps: no assumption stating the bridged energy %.4g J: %s  <-- FAIL" % (gap_e, g["assumptions"])); bad = 1
if "bridged gaps" not in txt:
    print("gaps: the text report does not name the bridged gaps  <-- FAIL"); bad = 1
sys.exit(bad)
PY

# --- failure 10: partial channels --------------------------------------------
python3 - "$tmp" <<'PY'
import sys
from datetime import datetime, timedelta
d = sys.argv[1]
t0 = datetime(2025, 5, 7, 14, 0, 0)
with open(d + "/inst.csv", "w") as f:
    f.write("timestamp, name, power.draw [W], power.draw.instant [W]\n")
    for k in range(100):
        inst = "300.00 W" if k in (40, 41) else "[N/A]"
        f.write("%s, NVIDIA A100, 300.00 W, %s\n" % (
            (t0 + timedelta(seconds=k)).strftime("%Y/%m/%d %H:%M:%S.%f")[:-3], inst))
with open(d + "/stop.csv", "w") as f:
    f.write("time_s,gpu0_power [W],gpu0_energy\n")
    for k in range(101):
        f.write("%d,3,%s\n" % (k, "%d" % (3 * k) if k < 20 else ""))
PY
"$W" report --format json -o "$tmp/i.json" "$tmp/inst.csv" || { echo "FAIL: report inst.csv"; fail=1; }
"$W" report --format json --counter gpu0_energy:J -o "$tmp/s.json" "$tmp/stop.csv" ||
	{ echo "FAIL: report stop.csv"; fail=1; }
python3 - "$tmp/i.json" "$tmp/s.json" <<'PY' || fail=1
import json, sys
bad = 0
# 100 rows 1 s apart at 300 W: the trapezoid of power.draw over 99 s
for path, truth, method, other in ((sys.argv[1], 99 * 300.0, "trapezoid", "power.draw.instant"),
                                   (sys.argv[2], 100 * 3.0, "trapezoid", "gpu0_energy")):
    r = json.load(open(path))
    c = r["energy_j"]["component_detail"]["gpu0"]
    a = [x["text"] for x in r["assumptions"] if x["kind"] == "channel"]
    ok = abs(c["energy_j"] - truth) <= 1e-9 * truth and c["method"] == method and \
        len(a) == 1 and other in a[0]
    print("partial channel %s: gpu0 %r J by %s (truth %g J), assumed: %s%s" % (
          path.rsplit("/", 1)[1], c["energy_j"], c["method"], truth, a, "" if ok else "  <-- FAIL"))
    bad |= not ok
sys.exit(bad)
PY

# --- failure 11: implausible values -------------------------------------------
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
# 1e308 W in one row of a 10 s log at 1 s, 250 W
with open(d + "/huge.csv", "w") as f:
    f.write("time_s,gpu0_power [W]\n")
    for k in range(11):
        f.write("%d,%s\n" % (k, "1e308" if k == 5 else "250"))
# 100 W in mW every 0.1 s for 1.6 s, one read of 0xFFFFFFFF mW
with open(d + "/ffff.csv", "w") as f:
    f.write("time_s,gpu0_power [mW]\n")
    for k in range(17):
        f.write("%.1f,%d\n" % (k / 10, 0xFFFFFFFF if k == 8 else 100000))
# RAPL package counter (uJ, wrap 262143328850) read every 20 s at 100 W for
# 400 s from 100 kJ; at 200 s it restarts near zero (a reset, not a wrap)
W = 262143328850
with open(d + "/reset.csv", "w") as f:
    f.write("time_s,pkg_energy_uj\n")
    for k in range(21):
        v = 100e9 + k * 2e9 if k < 10 else (k - 10) * 2e9 + 1e9
        f.write("%d,%d\n" % (20 * k, v))
# the same counter near the top of its range: a true wrap at 200 s
with open(d + "/wrap.csv", "w") as f:
    f.write("time_s,pkg_energy_uj\n")
    for k in range(21):
        f.write("%d,%d\n" % (20 * k, (W - 19e9 + k * 2e9) % W))
PY
for f in huge ffff; do
	"$W" report --format json -o "$tmp/$f.json" "$tmp/$f.csv" || { echo "FAIL: report $f.csv"; fail=1; }
done
for f in reset wrap; do
	"$W" report --format json --counter pkg_energy_uj:uJ:wrap=262143328850 -o "$tmp/$f.json" \
		"$tmp/$f.csv" || { echo "FAIL: report $f.csv"; fail=1; }
done
python3 - "$tmp" <<'PY' || fail=1
import json, sys
d = sys.argv[1]
bad = 0
# truths: 250 W x 10 s (the bad row left out, its neighbours joined);
# 100 W x 1.6 s; 100 W x 400 s for the reset (the reset interval bridged at
# its neighbours' 100 W) and for the wrap
for name, comp, truth, needle in (("huge", "gpu0", 2500.0, "1 implausible reading"),
                                  ("ffff", "gpu0", 160.0, "1 implausible reading"),
                                  ("reset", "cpu", 40000.0, "1 counter reset"),
                                  ("wrap", "cpu", 40000.0, None)):
    r = json.load(open("%s/%s.json" % (d, name)))
    e = r["energy_j"]["components"].get(comp)
    a = [x["text"] for x in r["assumptions"] if x["kind"] == "value"]
    ok = e is not None and abs(e - truth) <= 1e-9 * truth and \
        ((needle is None and not a) or (needle is not None and len(a) == 1 and needle in a[0]))
    print("implausible %s: %s %r J (truth %g J), assumed: %s%s" % (name, comp, e, truth, a,
          "" if ok else "  <-- FAIL"))
    bad |= not ok
sys.exit(bad)
PY

# --- failure 9: phases from power alone, activity from any utilization ------
python3 - "$tmp" <<'PY'
import random, sys
random.seed(7)
d = sys.argv[1]
with open(d + "/run48.csv", "w") as f:
    f.write("time_s,gpu0_power [W]\n")
    for k in range(50 * 60 + 1):
        f.write("%d,%.1f\n" % (k, (290 if 60 <= k < 60 + 48 * 60 else 33) + random.uniform(-3, 3)))
for name, col in (("jet", "GR3D_FREQ [%]"), ("util", "utilization_gpu [%]")):
    with open("%s/%s.csv" % (d, name), "w") as f:
        f.write("time_s,VDD_IN [mW],%s\n" % col)
        for k in range(300):
            f.write("%d,%d,%d\n" % (k, 4000 + random.randint(-50, 50), 99 if 60 <= k < 240 else 0))
PY
for f in run48 jet util; do
	"$W" report --format json -o "$tmp/$f.json" "$tmp/$f.csv" || { echo "FAIL: report $f.csv"; fail=1; }
done
python3 - "$tmp" <<'PY' || fail=1
import csv, json, sys
d = sys.argv[1]
bad = 0
def clipped(t, p, a, b):
    e = 0.0
    for i in range(1, len(t)):
        lo, hi = max(t[i-1], a), min(t[i], b)
        if hi > lo:
            s = (p[i] - p[i-1]) / (t[i] - t[i-1])
            e += (hi - lo) * (2 * p[i-1] + s * (lo - t[i-1] + hi - t[i-1])) / 2
    return e
for name, col, scale, cuts in (("run48", 1, 1.0, (59.5, 2939.5)), ("jet", 1, 1e-3, (59.5, 239.5)),
                               ("util", 1, 1e-3, (59.5, 239.5))):
    rows = list(csv.reader(open("%s/%s.csv" % (d, name))))[1:]
    t = [float(r[0]) for r in rows]
    p = [float(r[col]) * scale for r in rows]
    ph = json.load(open("%s/%s.json" % (d, name)))["phases"]
    labels = [x["label"] for x in ph]
    ok = labels == ["idle", "active", "idle"]
    ok = ok and abs(ph[0]["end_s"] - cuts[0]) <= 1.0 and abs(ph[1]["end_s"] - cuts[1]) <= 1.0
    for x in ph:
        e = clipped(t, p, x["start_s"], x["end_s"])
        ok = ok and abs(x["energy_j"] - e) <= 1e-9 * e
    print("phases %s: %s, boundaries %s (truth %s), energies %s%s" % (name, labels,
          [round(x["end_s"], 2) for x in ph[:-1]], cuts, [round(x["energy_j"], 1) for x in ph],
          "" if ok else "  <-- FAIL"))
    bad |= not ok
sys.exit(bad)
PY

# --- a counter and a gauge that disagree by 58 % -----------------------------
python3 - "$tmp/dis.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time_s,gpu0_power [W],gpu0_energy\n")
    for k in range(61):
        f.write("%d,100,%d\n" % (k, 158 * k))
PY
"$W" report --format json --counter gpu0_energy:J -o "$tmp/d.json" "$tmp/dis.csv" ||
	{ echo "FAIL: report dis.csv"; fail=1; }
python3 - "$tmp/d.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
c = r["energy_j"]["component_detail"]["gpu0"]
w = [x for x in r["warnings"] if "disagree" in x]
# counter 158 J/s x 60 s, gauge 100 W x 60 s: (6000 - 9480) / 9480
want = 100.0 * (6000 - 9480) / 9480
ok = c["method"] == "counter" and abs(c["energy_j"] - 9480) <= 1e-9 * 9480 and \
    abs(c["diff_pct"] - want) <= 1e-9 and len(w) == 1 and "gpu0_energy" in w[0] and \
    "gpu0_power" in w[0] and "the counter is used" in w[0]
print("disagreement: %s J by %s, diff %r %% (truth %.6f), warning %s%s" % (c["energy_j"],
      c["method"], c["diff_pct"], want, w, "" if ok else "  <-- FAIL"))
sys.exit(not ok)
PY

# --- failure 12: sparse grid, options over meta.json, compare's carbon -------
python3 - "$tmp" <<'PY'
import json, math, os, sys
d = sys.argv[1]
with open(d + "/sparse.csv", "w") as f:
    f.write("time_s,gpu0_power [W],util [%],fan [%]\n")
    for k in range(3000):
        p = 100 + 50 * math.sin(k / 50)
        f.write("%.1f,%.6f,%.6f,%s\n" % (k / 10, p, p / 2, "30" if k in (10, 1500, 2990) else ""))
for run in ("a", "b"):
    os.makedirs("%s/cmp/%s" % (d, run))
    for r in (1, 2):
        with open("%s/cmp/%s/run%d.csv" % (d, run, r), "w") as f:
            f.write("time_s,gpu0_power [W]\n")
            for k in range(21):
                f.write("%d,%s\n" % (k, "1e308" if (k == 7 and r == 1) else str(200 + 10 * r)))
    json.dump({"output_tokens": 100}, open("%s/cmp/%s/meta.json" % (d, run), "w"))
PY
"$W" report --format json -o "$tmp/sp.json" "$tmp/sparse.csv" || { echo "FAIL: report sparse.csv"; fail=1; }
"$W" report --format csv -o "$tmp/sp.csv" "$tmp/sparse.csv" || { echo "FAIL: report -F csv sparse.csv"; fail=1; }
"$W" report --format json --tokens 50 -o "$tmp/tok.json" "$tmp/cmp/a/run2.csv" ||
	{ echo "FAIL: report --tokens"; fail=1; }
"$W" compare "$tmp/cmp/a" "$tmp/cmp/b" --intensity 400 --format json -o "$tmp/cmp.json" ||
	{ echo "FAIL: compare"; fail=1; }
python3 - "$tmp" <<'PY' || fail=1
import json, sys
d = sys.argv[1]
bad = 0
sp = json.load(open(d + "/sp.json"))
c = sp["correlation"]
w = [x for x in sp["warnings"] if "sparse" in x and "fan (3)" in x]
r = c["matrix"][0][1] if len(c["matrix"]) == 2 else None
# every metric left is on every row: r over the 3000 rows, no grid
ok = c["over"] == "rows" and c["bins"] == 3000 and c["metrics"] == ["gpu0_power", "util"] and \
    r is not None and abs(r - 1) <= 1e-9 and len(w) == 1
print("sparse: over %s (truth rows), %r rows (truth 3000), metrics %s, r %r (truth 1), "
      "warning %s%s" % (c["over"], c["bins"], c["metrics"], r, w, "" if ok else "  <-- FAIL"))
bad |= not ok
# the resampled table: the dense channels' 0.1 s, without the sparse one
rows = open(d + "/sp.csv").read().split("\n")
t0, t1 = float(rows[1].split(",")[0]), float(rows[2].split(",")[0])
ok = rows[0] == "t_s,gpu0_power [W],util [%]" and abs(t1 - t0 - 0.1) <= 1e-9
print("sparse table: %r, step %r s (truth 0.1)%s" % (rows[0], t1 - t0, "" if ok else "  <-- FAIL"))
bad |= not ok
# 220 W x 20 s = 4400 J over the option's 50 tokens, not meta.json's 100
t = json.load(open(d + "/tok.json"))
w = [x for x in t["warnings"] if "meta.json's output_tokens 100 not used" in x]
ok = abs(t["efficiency"]["j_per_token"] - 4400 / 50) <= 1e-9 and len(w) == 1
print("tokens: %r J/token (truth 88), warning %s%s" % (t["efficiency"]["j_per_token"], w,
      "" if ok else "  <-- FAIL"))
bad |= not ok
# run1 210 W x 20 s (the 1e308 row left out, its neighbours joined), run2
# 220 W x 20 s: mean 4300 J; carbon at 400 g/kWh; 100 output tokens
cm = json.load(open(d + "/cmp.json"))
for row in cm["rows"]:
    m = row["metrics"]
    e, g = m["energy_j"]["mean"], m["carbon_g"]["mean"]
    ok = abs(e - 4300) <= 1e-9 * 4300 and abs(g - 4300 / 3.6e6 * 400) <= 1e-9 * g and \
        abs(m["j_per_token"]["mean"] - 43) <= 1e-9 and \
        abs(m["g_per_token"]["mean"] - g / 100) <= 1e-12
    print("compare %s: %r J, %r g (truth %.9g), %r J/token, %r g/token%s" % (row["label"], e, g,
          4300 / 3.6e6 * 400, m["j_per_token"]["mean"], m["g_per_token"]["mean"],
          "" if ok else "  <-- FAIL"))
    bad |= not ok
sys.exit(bad)
PY

# the power figure's line breaks at a gap (same span, same power range)
python3 - "$tmp" <<'PY'
import sys
for name, drop in (("nogap", False), ("withgap", True)):
    with open("%s/%s.csv" % (sys.argv[1], name), "w") as f:
        f.write("time_s,gpu0_power [W]\n")
        for k in range(101):
            if not (drop and 40 <= k < 50):
                f.write("%d,%d\n" % (k, 100 + 50 * (k % 2)))
PY
for n in nogap withgap; do
	"$W" plot --figure power --no-phases --format svg -o "$tmp/$n.svg" "$tmp/$n.csv" >/dev/null ||
		{ echo "FAIL: plot $n.csv"; fail=1; }
done
m0=$(grep -o 'd="[^"]*"' "$tmp/nogap.svg" | grep -o "M " | wc -l)
m1=$(grep -o 'd="[^"]*"' "$tmp/withgap.svg" | grep -o "M " | wc -l)
if [ "$m1" -eq $((m0 + 1)) ]; then
	echo "figure: the line breaks at the gap ($m0 line starts without it, $m1 with it)"
else
	echo "FAIL: figure line starts $m0 without the gap, $m1 with it (want one more)"; fail=1
fi

exit $fail
