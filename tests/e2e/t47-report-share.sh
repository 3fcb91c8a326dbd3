#!/bin/sh
# t47: the command's share of the machine's energy in `report` (text, JSON),
# recorded with the real procfs and a fake powercap counter that the command
# steps (as t42): 10 J, then 10 J more.  The exact share is checked by hand
# in tests/unit/test_share.c on a fake procfs; here the chain: the share
# is there, named "cpu", with its rule, 0 <= command <= machine <= total,
# and JSON has both the command's and the machine's figures.
# The tree is read every 10 ms (not the 1 s default): a share needs whole
# tree intervals inside the energy window, and this run lasts under 1 s.
. "$(dirname "$0")/record-common.sh"
W=$B/wattlog
sh "$R/scripts/mkfake-sysfs.sh" "$T/sys" >/dev/null || fail "mkfake-sysfs.sh"
E=$T/sys/class/powercap/intel-rapl:0/energy_uj
printf '000000000000\n' >"$E"
"$REC" -q -i 10ms --tree-interval 10ms --sysfs-root "$T/sys" -o "$T/r.wlog" -- sh -c "
	i=0; while [ \$i -lt 100000 ]; do i=\$((i+1)); done
	printf '000010000000\n' | dd of='$E' conv=notrunc 2>/dev/null
	i=0; while [ \$i -lt 100000 ]; do i=\$((i+1)); done
	printf '000020000000\n' | dd of='$E' conv=notrunc 2>/dev/null; sleep 0.2" ||
	fail "recorder exit $?"
"$W" report --no-phases -o "$T/r.txt" "$T/r.wlog" || fail "report exit $?"
grep -q "command's share .* of the machine's .* total" "$T/r.txt" || { cat "$T/r.txt"; fail "no share line"; }
grep -q "rule: cpu energy x (command tree's CPU time / all busy CPU time)" "$T/r.txt" || fail "no rule"
"$W" report --no-phases --format json -o "$T/r.json" "$T/r.wlog" || fail "report --format json exit $?"
python3 - "$T/r.json" <<'PY' || fail "process_share"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["process_share"]
print(json.dumps(s))
p = s["parts"][0]
ok = p["component"] == "cpu" and "rule" in p and s["why"] is None
ok = ok and 0 <= p["command_j"] <= p["machine_j"] + 1e-9 <= s["machine_total_j"] + 1e-6
ok = ok and abs(s["machine_total_j"] - d["energy_j"]["total"]) < 1e-9 and s["command_j"] == p["command_j"]
ok = ok and any(a["kind"] == "other" and "command's share" in a["text"] for a in d["assumptions"])
sys.exit(not ok)
PY
# without a command there is no tree: said, not 0
"$REC" -q -i 10ms -d 200ms --sysfs-root "$T/sys" -o "$T/n.wlog" || fail "recorder exit $? (no command)"
"$W" report --no-phases --format json -o "$T/n.json" "$T/n.wlog" || fail "report exit $? (no command)"
python3 - "$T/n.json" <<'PY' || fail "no tree: share should be null with a reason"
import json, sys
s = json.load(open(sys.argv[1]))["process_share"]
print(json.dumps(s))
sys.exit(not (s["command_j"] is None and "tree_cpu_time" in s["why"] and s["parts"] == []))
PY
