#!/bin/sh
# t42: the whole chain on a counter whose truth is known by construction.
# A fake powercap tree; the recorded command rewrites package-0's energy_uj
# in place (fixed width, so a read never sees a half-written number):
#   262143000000 -> 000000100000 (wrapped at 262143328850) -> 000002100000
# The recorder writes the raw counter, the analyzer unwraps it:
#   cpu = (262143328850 - 262143000000) + 100000 + 2000000 uJ = 2.42885 J
# (package-1 and the subzones never move: they add 0 J).
. "$(dirname "$0")/record-common.sh"
W=$B/wattlog
sh "$R/scripts/mkfake-sysfs.sh" "$T/sys" >/dev/null || fail "mkfake-sysfs.sh"
E=$T/sys/class/powercap/intel-rapl:0/energy_uj
printf '262143000000\n' >"$E"
"$REC" -q -i 10ms --sysfs-root "$T/sys" -o "$T/r.wlog" -- sh -c "
	sleep 0.3; printf '000000100000\n' | dd of='$E' conv=notrunc 2>/dev/null
	sleep 0.3; printf '000002100000\n' | dd of='$E' conv=notrunc 2>/dev/null
	sleep 0.3" || fail "recorder exit $?"
"$W" report --no-phases --format json -o "$T/r.json" "$T/r.wlog" || fail "report exit $?"
python3 - "$T/r.json" <<'PY' || fail "energy"
import json, sys
d = json.load(open(sys.argv[1]))
e = d["energy_j"]
want = ((262143328850 - 262143000000) + 100000 + 2000000) / 1e6
cpu = e["components"]["cpu"]
print("cpu %.9f J, by hand %.9f J, method %s" % (cpu, want, e["component_detail"]["cpu"]["method"]))
ok = abs(cpu - want) < 1e-9 and e["component_detail"]["cpu"]["method"] == "counter"
ok = ok and abs(e["components"]["dram"]) < 1e-12
sys.exit(not ok)
PY
