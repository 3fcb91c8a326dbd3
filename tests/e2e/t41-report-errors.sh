#!/bin/sh
# t41-report-errors: `wattlog report` on small AIMeter-format files written
# here: a good one (energy by hand), a malformed number (one line naming
# file, line and problem; exit 2), a file without power columns (a warning,
# exit 0, energy null not 0), a --counter with a wrap, bad options (exit 2),
# -o and every format.
B=${WL_BUILD:-build}
W=$B/wattlog
tmp=$(mktemp -d /tmp/wl-t41.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }

# gpu0 power 100, 100, 200, 200 W at 0.0 .. 0.3 s: trapezoid 10 + 15 + 20 = 45 J
cat >"$tmp/good.csv" <<'CSV'
timestamp,task_name,name,index,power.draw [W],utilization.gpu [%],clocks.current.sm [MHz]
2025-05-07 14:32:00.0,t,GPU,0,100.00 W,10.00 %,1410 MHz
2025-05-07 14:32:00.1,t,GPU,0,100.00 W,10.00 %,1410 MHz
2025-05-07 14:32:00.2,t,GPU,0,200.00 W,90.00 %,1200 MHz
2025-05-07 14:32:00.3,t,GPU,0,200.00 W,95.00 %,1200 MHz
CSV
"$W" report --format json -o "$tmp/g.json" --output-tokens 9 --intensity 100 "$tmp/good.csv" ||
	die "good file"
python3 - "$tmp/g.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
e = d["energy_j"]["components"]["gpu0"]
# Relative 1e-5: times are epoch seconds in a double (2.4e-7 s resolution).
ok = abs(e - 45.0) < 45e-5 and abs(d["energy_j"]["total"] - e) < 1e-9
ok &= abs(d["efficiency"]["j_per_token"] - e / 9) < 1e-12
ok &= abs(d["carbon"]["g"] - e / 3.6e6 * 100) < 1e-12   # kWh x g/kWh
print("good: gpu0 %s J, J/token %s, carbon %s g" % (e, d["efficiency"]["j_per_token"], d["carbon"]["g"]))
sys.exit(not ok)
PY
for fmt in text markdown csv; do
	"$W" report --format $fmt "$tmp/good.csv" >"$tmp/out.$fmt" || die "format $fmt"
	[ -s "$tmp/out.$fmt" ] || die "format $fmt wrote nothing"
done
grep -q '45.00 J' "$tmp/out.text" || die "text lacks the 45 J total"

sed '3s/100.00 W/1x0 W/' "$tmp/good.csv" >"$tmp/bad.csv"
"$W" report "$tmp/bad.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || die "malformed file: exit $rc, not 2"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || die "malformed file: not one line: $(cat "$tmp/err")"
grep -q "bad.csv' line 3" "$tmp/err" || die "malformed file: no file and line: $(cat "$tmp/err")"
cat "$tmp/err"

cut -d, -f1-4,6- "$tmp/good.csv" >"$tmp/nopower.csv"
"$W" report --format json -o "$tmp/n.json" "$tmp/nopower.csv" || die "no power column: crashed or failed"
python3 - "$tmp/n.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
ok = d["energy_j"]["total"] is None and any("no power" in w for w in d["warnings"])
print("no power: total %s, warnings %s" % (d["energy_j"]["total"], d["warnings"]))
sys.exit(not ok)
PY

# --counter passed to the generic CSV reader: a uJ counter wrapping at 2^32
# with a repeated read: (4294967296 - 4294000000 + 1032704) uJ = 2 J over
# (0, 2] (the repeat merged), then 10 J: 12 J.  gpu0: 100 + 150 + 200 J.
printf 't,pkg_energy_uj,gpu0_power [W]\n0,4294000000,100\n1,4294000000,100\n2,1032704,200\n3,11032704,200\n' \
	>"$tmp/cnt.csv"
"$W" report --counter 'pkg_energy_uj:uJ:wrap=4294967296' --format json -o "$tmp/c.json" \
	"$tmp/cnt.csv" || die "--counter"
python3 - "$tmp/c.json" <<'PY' || fail=1
import json, sys
c = json.load(open(sys.argv[1]))["energy_j"]["components"]
print("counter: cpu %s J (hand 12), gpu0 %s J (hand 450)" % (c.get("cpu"), c.get("gpu0")))
sys.exit(not (abs(c["cpu"] - 12) < 1e-9 and abs(c["gpu0"] - 450) < 1e-9))
PY

# A time-varying intensity: 100 g/kWh until 14:32:01, then 300.  Power 100,
# 100, 200, 200 W at 14:32:00.8 .. 01.1 (UTC): 25 J before the step, 20 J
# after: g = (25 x 100 + 20 x 300) / 3.6e6.
cat >"$tmp/step.csv" <<'CSV'
timestamp,task_name,name,index,power.draw [W]
2025-05-07 14:32:00.8,t,GPU,0,100.00 W
2025-05-07 14:32:00.9,t,GPU,0,100.00 W
2025-05-07 14:32:01.0,t,GPU,0,200.00 W
2025-05-07 14:32:01.1,t,GPU,0,200.00 W
CSV
printf 'time,g\n2025-05-07 14:32:00,100\n2025-05-07 14:32:01,300\n2025-05-07 14:33:00,300\n' \
	>"$tmp/ci.csv"
"$W" report --tz UTC --intensity-trace "$tmp/ci.csv" --format json -o "$tmp/s.json" \
	"$tmp/step.csv" || die "--intensity-trace"
python3 - "$tmp/s.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
want = (25 * 100 + 20 * 300) / 3.6e6
print("intensity trace: %s g (hand %.9f g)" % (d["carbon"]["g"], want))
sys.exit(not abs(d["carbon"]["g"] - want) < 1e-5 * want)
PY

# The same run logged in a zone 2 h ahead of UTC: the intensity trace's
# zone-less stamps are UTC by default, so the carbon is unchanged; read as
# that zone too (--intensity-tz) the trace would start 2 h later: no cover.
sed 's/^2025-05-07 14:/2025-05-07 16:/' "$tmp/step.csv" >"$tmp/step2.csv"
"$W" report --tz +02:00 --intensity-trace "$tmp/ci.csv" --format json -o "$tmp/s2.json" \
	"$tmp/step2.csv" || die "--intensity-trace with --tz"
python3 - "$tmp/s.json" "$tmp/s2.json" <<'PY' || fail=1
import json, sys
a, b = (json.load(open(f))["carbon"]["g"] for f in sys.argv[1:])
print("zone-shifted log: %s g, UTC log: %s g" % (b, a))
sys.exit(not abs(a - b) < 1e-12)
PY
if "$W" report --tz +02:00 --intensity-tz +02:00 --intensity-trace "$tmp/ci.csv" \
	"$tmp/step2.csv" >/dev/null 2>"$tmp/err"; then
	echo "FAIL: an intensity trace read in the log's zone should not cover the run"; fail=1
fi

for bad in "--format xml" "--top 0" "--window-realtime 5,1" "--intensity -3" "--nonsense"; do
	"$W" report $bad "$tmp/good.csv" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 2 ] || die "option '$bad': exit $rc, not 2"
done
"$W" report >/dev/null 2>&1; [ $? -eq 2 ] || die "no file: not exit 2"
"$W" report --help | grep -q 'usage: wattlog report' || die "--help"
"$W" report --window-realtime 1,2 "$tmp/good.csv" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] || die "window outside the data: not exit 2"
exit $fail
