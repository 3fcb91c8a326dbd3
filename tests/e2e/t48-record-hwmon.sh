#!/bin/sh
# t48: the hwmon sources end to end, on the fake trees of fixtures/sysfs
# (README.hwmon there): record a command of measured length with constant
# fake power, report, and check energy = P x t (within 1 %) per component:
#   hwmon-gpus:     gpu1 150 W (amdgpu power1_average), gpu3 75 W (amdgpu
#                   power1_input); the xe counter of gpu2 never moves: "not
#                   updating", its energy unknown (null), never 0 J
#   Orin Nano:      total = VDD_IN alone = 5000 mV x 1000 mA = 5 W (the other
#                   rails, 1.5 W and 1 W, are inside it)
#   AGX Orin:       no input rail: total = the sum of the four rails =
#                   10 + 2 + 6 + 0.5 = 18.5 W
#   power meter:    node 350 W, the only component: the total
# t is the span of the source's samples in the trace, read with the
# independent reader (record_summary.py, scripts/wlog_dump.py); it must also
# be about the command's own 2 s (at least 1.9 s).
. "$(dirname "$0")/record-common.sh"
W=$B/wattlog

run() { # run TREE NAME: record 2 s on a copy of fixtures/sysfs/TREE, report to NAME.json
	cp -r "$R/fixtures/sysfs/$1" "$T/$2" || fail "copy $1"
	"$REC" -q -i 20ms --sysfs-root "$T/$2" --procfs-root "$T/noproc" -o "$T/$2.wlog" -- \
		sleep 2 || fail "recorder exit $? on $1"
	summary "$T/$2.wlog" >"$T/$2.sum" || fail "summary of $1"
	"$W" report --no-phases --format json -o "$T/$2.json" "$T/$2.wlog" || fail "report exit $? on $1"
}
run hwmon-gpus gpus
run hwmon-jetson-orin-nano nano
run hwmon-jetson-agx-orin agx
run hwmon-power-meter meter

python3 - "$T" <<'PY' || fail "energy"
import json, sys
T = sys.argv[1]
bad = []
src = {"gpus": "amdgpu", "nano": "ina3221", "agx": "ina3221", "meter": "power_meter"}
def check(name, what, got, watts):
    span = [l.split() for l in open("%s/%s.sum" % (T, name)) if l.startswith("span_ns ")]
    t = [int(x[2]) for x in span if x[1] == src[name]][0] / 1e9
    want = watts * t
    ok = got is not None and abs(got - want) <= 0.01 * want and t >= 1.9
    print("%-6s %-12s %10s J, P x t = %g W x %.3f s = %.3f J: %s" %
          (name, what, "null" if got is None else "%.3f" % got, watts, t, want, "ok" if ok else "WRONG"))
    if not ok:
        bad.append((name, what))
def report(name):
    return json.load(open("%s/%s.json" % (T, name)))

d = report("gpus")
e = d["energy_j"]
check("gpus", "gpu1", e["components"].get("gpu1"), 150.0)
check("gpus", "gpu3", e["components"].get("gpu3"), 75.0)
if e["components"].get("gpu2") is not None:
    bad.append(("gpus", "gpu2 should be unknown (frozen counter), got %s" % e["components"]["gpu2"]))
frozen = [w for w in d["warnings"] if "gpu2" in w and "not updating" in w]
print("gpu2: %s; warning: %s" % (e["components"].get("gpu2"), frozen))
if not frozen:
    bad.append(("gpus", "no 'not updating' warning for gpu2"))

d = report("nano")
e = d["energy_j"]
if not [a for a in d["assumptions"] if a["kind"] == "rail" and a["text"].startswith("VDD_IN is the module input")]:
    bad.append(("nano", "no assumption naming VDD_IN the module input"))
check("nano", "total", e["total"], 5.0)
check("nano", "VDD_IN", e["components"].get("VDD_IN"), 5.0)
check("nano", "VDD_SOC", e["components"].get("VDD_SOC"), 1.0)

d = report("agx")
e = d["energy_j"]
check("agx", "total", e["total"], 18.5)
said = [a["text"] for a in d["assumptions"] if a["kind"] == "rail" and "sum of its rails" in a["text"]]
print("agx: %s" % said)
if not said:
    bad.append(("agx", "the total is not named as the sum of rails"))

e = report("meter")["energy_j"]
check("meter", "node", e["components"].get("node"), 350.0)
check("meter", "total", e["total"], 350.0)
sys.exit(1 if bad else 0)
PY
