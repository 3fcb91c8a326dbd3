#!/bin/sh
# t40-report-real: `wattlog report --format json` on real traces by others
# (../shared/real-traces), every figure checked against a truth this script
# computes itself from the raw files (python3 standard library: csv, json,
# datetime), never with the code under test.
#  - AIMeter A800 (all 30 files: idle, short, prefill-decode): gpu0 / cpu /
#    dram energy = the FULL trapezoid of power.draw [W] / cpu_power /
#    dram_power over every pair of consecutive rows (gaps bridged, as the
#    analyzer does by default), within 1e-9 relative; --no-bridge: the same
#    sum less the intervals longer than 5 x the median interval.
#  - powertrace-sim A100: energy over the manifest's window (epoch s, via
#    --window-realtime) = trapezoid clipped to the window (linear power at
#    the edges), within 0.1 %; J per output token = that / the manifest's
#    total_output_tokens; and over an inner --from/--to window.
#  - Jetson Orin (3 logs): per rail, the per-sample mean equals the file's
#    own running average on its last line (to 1 mW); the time-weighted
#    average is reported beside it and the energy equals the trapezoid of
#    the rail, within 0.1 %; the total is VDD_IN where the board has it.
#  - RAPL Broadwell: energy per socket x domain = the sum of the `energy`
#    column, within 0.1 %.
B=${WL_BUILD:-build}
S=${WL_SHARED:-../shared}/real-traces
W=$B/wattlog
if [ ! -d "$S/aimeter-a800" ]; then
	echo "skipped: $S absent (real traces are not in the repository)"
	exit 77
fi
command -v python3 >/dev/null || { echo "skipped: no python3 for the independent truth"; exit 77; }
tmp=$(mktemp -d /tmp/wl-t40.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

# --- AIMeter -------------------------------------------------------------
for f in "$S"/aimeter-a800/*/*.csv; do
	"$W" report --format json -o "$tmp/a.json" "$f" || { echo "FAIL: report $f"; fail=1; continue; }
	"$W" report --format json --no-bridge -o "$tmp/n.json" "$f" ||
		{ echo "FAIL: report --no-bridge $f"; fail=1; continue; }
	python3 - "$f" "$tmp/a.json" "$tmp/n.json" <<'PY' || fail=1
import csv, json, statistics, sys
from datetime import datetime
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
# seconds since the first row, exact (timedelta), not epoch floats
d = [datetime.strptime(r["timestamp"], "%Y-%m-%d %H:%M:%S.%f") for r in rows]
t = [(x - d[0]).total_seconds() for x in d]
dts = [t[i] - t[i-1] for i in range(1, len(t)) if t[i] > t[i-1]]
bound = 5 * statistics.median(dts)
def trapz(col, keep_out):
    v = [float(r[col].split()[0]) for r in rows]
    return sum((t[i] - t[i-1]) * (v[i] + v[i-1]) / 2 for i in range(1, len(t))
               if not (keep_out and t[i] - t[i-1] > bound))
rep = json.load(open(sys.argv[2]))["energy_j"]["components"]
nob = json.load(open(sys.argv[3]))["energy_j"]["components"]
bad = 0
for comp, col in (("gpu0", "power.draw [W]"), ("cpu", "cpu_power"), ("dram", "dram_power")):
    truth, got = trapz(col, False), rep.get(comp)
    part, gotp = trapz(col, True), nob.get(comp)
    ok = got is not None and abs(got - truth) <= 1e-9 * truth and \
        gotp is not None and abs(gotp - part) <= 1e-9 * part
    print("%s %s: %s J, full trapezoid %.6f J; --no-bridge %s J, truth %.6f J%s" % (
          sys.argv[1].rsplit("/", 1)[1], comp, got, truth, gotp, part, "" if ok else "  <-- FAIL"))
    bad |= not ok
sys.exit(bad)
PY
done

# --- powertrace-sim A100 ---------------------------------------------------
P="$S/powertrace-sim-a100/validate_qwen3-8b_tp1"
set -- $(python3 - "$P/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
w = m["probe"]["window"]
off = m["clock"]["local_utc_offset_s"]
# the writer's offset as a person writes it: -25200 s is "UTC-07:00"
tz = "UTC%s%02d:%02d" % ("-" if off < 0 else "+", abs(off) // 3600, abs(off) // 60 % 60)
print("%.6f,%.6f" % (w["start_epoch"], w["end_epoch"]),
      m["probe"]["levels"][0]["summary"]["total_output_tokens"], tz)
PY
)
win=$1 tokens=$2 tz=$3
if "$W" report --format json --tz "$tz" --window-realtime "$win" --output-tokens "$tokens" \
	-o "$tmp/p.json" "$P/power.csv"; then
	python3 - "$P/power.csv" "$P/manifest.json" "$tmp/p.json" <<'PY' || fail=1
import csv, json, sys
from datetime import datetime, timezone, timedelta
m = json.load(open(sys.argv[2]))
zone = timezone(timedelta(seconds=m["clock"]["local_utc_offset_s"]))
a, b = m["probe"]["window"]["start_epoch"], m["probe"]["window"]["end_epoch"]
tokens = m["probe"]["levels"][0]["summary"]["total_output_tokens"]
t, p = [], []
for r in csv.DictReader(open(sys.argv[1])):
    d = datetime.strptime(r["timestamp"].strip(), "%Y/%m/%d %H:%M:%S.%f").replace(tzinfo=zone)
    t.append(d.timestamp()); p.append(float(r[" power.draw [W]" if " power.draw [W]" in r else "power.draw [W]"]))
e = 0.0
for i in range(1, len(t)):
    lo, hi = max(t[i-1], a), min(t[i], b)
    if hi <= lo:
        continue
    s = (p[i] - p[i-1]) / (t[i] - t[i-1])
    e += (hi - lo) * (p[i-1] + s * (lo - t[i-1]) + p[i-1] + s * (hi - t[i-1])) / 2
rep = json.load(open(sys.argv[3]))
got = rep["energy_j"]["components"].get("gpu0")
jpt = rep["efficiency"]["j_per_token"]
ok = got is not None and abs(got - e) <= 1e-3 * e and abs(jpt - e / tokens) <= 1e-3 * e / tokens
print("powertrace A100 window energy %s J (truth %.3f J), %s J/output token (truth %.5f)%s"
      % (got, e, jpt, e / tokens, "" if ok else "  <-- FAIL"))
sys.exit(not ok)
PY
else
	echo "FAIL: report powertrace"; fail=1
fi
# An inner window in seconds since the first sample (--from/--to), edges
# falling between samples: the partial intervals count in proportion.
if "$W" report --format json --from 20.1 --to 50.37 -o "$tmp/q.json" "$P/power.csv"; then
	python3 - "$P/power.csv" "$tmp/q.json" <<'PY' || fail=1
import csv, json, sys
from datetime import datetime
t, p = [], []
for r in csv.DictReader(open(sys.argv[1])):
    t.append(datetime.strptime(r["timestamp"].strip(), "%Y/%m/%d %H:%M:%S.%f").timestamp())
    p.append(float(r["power.draw [W]"]))
a, b = t[0] + 20.1, t[0] + 50.37
e = 0.0
for i in range(1, len(t)):
    lo, hi = max(t[i-1], a), min(t[i], b)
    if hi <= lo:
        continue
    s = (p[i] - p[i-1]) / (t[i] - t[i-1])
    e += (hi - lo) * (2 * p[i-1] + s * (lo - t[i-1] + hi - t[i-1])) / 2
got = json.load(open(sys.argv[2]))["energy_j"]["components"].get("gpu0")
ok = got is not None and abs(got - e) <= 1e-3 * e
print("powertrace A100 --from 20.1 --to 50.37: %s J (truth %.3f J)%s" % (got, e,
      "" if ok else "  <-- FAIL"))
sys.exit(not ok)
PY
else
	echo "FAIL: report powertrace --from/--to"; fail=1
fi

# --- Jetson Orin (Nano and AGX) ---------------------------------------------
for J in "$S"/jetson-orin/*.log; do
	"$W" report --format json -o "$tmp/j.json" "$J" || { echo "FAIL: report $J"; fail=1; continue; }
	python3 - "$J" "$tmp/j.json" <<'PY' || fail=1
import json, re, sys
from datetime import datetime
t, v, last = [], {}, {}
for line in open(sys.argv[1]):
    rails = re.findall(r"(\w+) (\d+)mW/(\d+)mW", line)
    if not rails:
        continue
    t.append(datetime.strptime(line[:19], "%m-%d-%Y %H:%M:%S").timestamp())
    for name, inst, avg in rails:
        v.setdefault(name, []).append(int(inst) / 1000.0)
        last[name] = int(avg)
rep = json.load(open(sys.argv[2]))
bad = 0
for name, x in sorted(v.items()):
    e = sum((t[i] - t[i-1]) * (x[i] + x[i-1]) / 2 for i in range(1, len(t)))
    ms = [m for m in rep["metrics"] if m["name"] == name][0]
    got = rep["energy_j"]["components"].get(name)
    ok = abs(ms["avg"] - last[name]) <= 1.0 and ms["twa"] is not None \
        and got is not None and abs(got - e) <= 1e-3 * e
    print("%s %s: per-sample mean %.3f mW (file's running average %d mW), time-weighted "
          "%.3f mW, energy %.1f J (truth %.1f J)%s" % (sys.argv[1].rsplit("/", 1)[1], name,
          ms["avg"], last[name], ms["twa"], got, e, "" if ok else "  <-- FAIL"))
    bad |= not ok
# The board input VDD_IN, when present, is the total (its sub-rails are in it).
if "VDD_IN" in v and rep["energy_j"]["total"] != rep["energy_j"]["components"]["VDD_IN"]:
    print("total is not VDD_IN  <-- FAIL"); bad = 1
sys.exit(bad)
PY
done

# --- RAPL Broadwell ----------------------------------------------------------
for f in "$S"/rapl-broadwell/*.txt; do
	"$W" report --format json -o "$tmp/r.json" "$f" || { echo "FAIL: report $f"; fail=1; continue; }
	python3 - "$f" "$tmp/r.json" <<'PY' || fail=1
import json, sys
truth = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip() or line.count(",") != 5:
        continue
    ts, dt, sock, dom, e, p = line.strip().split(",")
    dom = "dram" if dom == "ram" else dom
    key = "%s socket%s" % (dom, sock.lstrip("N"))
    truth[key] = truth.get(key, 0.0) + float(e)
got = {c["channel"]: c["energy_j"] for c in json.load(open(sys.argv[2]))["energy_j"]["channels"]}
bad = 0
for k, v in sorted(truth.items()):
    ok = k in got and abs(got[k] - v) <= 1e-3 * v
    print("%s %s: %s J, column sum %.4f J%s" % (sys.argv[1].rsplit("/", 1)[1], k, got.get(k),
          v, "" if ok else "  <-- FAIL"))
    bad |= not ok
sys.exit(bad)
PY
done
exit $fail
