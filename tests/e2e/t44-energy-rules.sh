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
B=${WL_BUILD:-build}
W=$B/wattlog
command -v python3 >/dev/null || { echo "skipped: no python3 for the independent truth"; exit 77; }
tmp=$(mktemp -d /tmp/wl-t44.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

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
tab = re.search(r"\n  gpu0\s+\S+\s+\S+\s+([0-9.]+)", txt)
if not ov or not tab or ov.group(1) != tab.group(1):
    print("gaps: text overview average %s != table %s  <-- FAIL" % (ov and ov.group(1), tab and tab.group(1))); bad = 1
a = [x for x in g["assumptions"] if x["kind"] == "gap" and "bridged by the trapezoid" in x["text"]]
if len(a) != 1 or ("%.4g J" % gap_e) not in a[0]["text"]:
    print("gaps: no assumption stating the bridged energy %.4g J: %s  <-- FAIL" % (gap_e, g["assumptions"])); bad = 1
if "bridged gaps" not in txt:
    print("gaps: the text report does not name the bridged gaps  <-- FAIL"); bad = 1
sys.exit(bad)
PY

exit $fail
