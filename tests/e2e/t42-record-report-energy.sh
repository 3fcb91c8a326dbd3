#!/bin/sh
# t42: the whole chain on a counter whose truth is known by construction.
# A fake powercap tree; the recorded command rewrites package-0's energy_uj
# in place (fixed width, so a read never sees a half-written number):
#   262143000000 -> 000000100000 (wrapped at 262143328850) -> 000002100000
# The recorder writes the raw counter, the analyzer unwraps it:
#   cpu = (262143328850 - 262143000000) + 100000 + 2000000 uJ = 2.42885 J
# package-1 never moves and adds 0 J to cpu; the dram counters never move at
# all: "not updating", so dram energy is unknown (null), never 0 J.
. "$(dirname "$0")/record-common.sh"
W=$B/wattlog
sh "$R/scripts/mkfake-sysfs.sh" "$T/sys" >/dev/null || fail "mkfake-sysfs.sh"
E=$T/sys/class/powercap/intel-rapl:0/energy_uj
printf '262143000000\n' >"$E"
# the command changes the counter only after the recorder has read each value
# at least twice (the handshake: tests/e2e/wait_trace.py on the trace)
W8="python3 $WAIT_TRACE $T/r.wlog powercap"
"$REC" -q -i 10ms --flush-interval 20ms --sysfs-root "$T/sys" -o "$T/r.wlog" -- sh -c "
	$W8 2 >/dev/null || exit 9
	printf '000000100000\n' | dd of='$E' conv=notrunc 2>/dev/null
	$W8 2 + >/dev/null || exit 9
	printf '000002100000\n' | dd of='$E' conv=notrunc 2>/dev/null
	$W8 2 + >/dev/null || exit 9" || fail "recorder exit $?"
"$W" report --no-phases --format json -o "$T/r.json" "$T/r.wlog" || fail "report exit $?"
"$W" report --no-phases --stream --format json -o "$T/s.json" "$T/r.wlog" || fail "report --stream exit $?"
python3 - "$T/r.json" "$T/s.json" <<'PY' || fail "the streaming path disagrees"
import json, sys
a, b = (json.load(open(f))["energy_j"] for f in sys.argv[1:])
print("in memory %s, streamed %s" % (a["components"], b["components"]))
sys.exit(not (a["components"] == b["components"] and a["total"] == b["total"]))
PY
python3 - "$T/r.json" <<'PY' || fail "energy"
import json, sys
d = json.load(open(sys.argv[1]))
e = d["energy_j"]
want = ((262143328850 - 262143000000) + 100000 + 2000000) / 1e6
cpu = e["components"]["cpu"]
print("cpu %.9f J, by hand %.9f J, method %s" % (cpu, want, e["component_detail"]["cpu"]["method"]))
ok = abs(cpu - want) < 1e-9 and e["component_detail"]["cpu"]["method"] == "counter"
ok = ok and e["components"].get("dram") is None
ok = ok and any("dram" in w and "not updating" in w for w in d["warnings"])
print("dram %s; warnings: %s" % (e["components"].get("dram"), [w for w in d["warnings"] if "dram" in w]))
sys.exit(not ok)
PY
