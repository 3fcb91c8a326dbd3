#!/bin/sh
# t19-channel-meaning: what a channel means is data in the trace (format
# 1.1: quantity and component in the channel record), derived from source
# and name only for records that do not state it (format 1.0).  Traces
# written here by the independent writer (tests/e2e/wlog_write.py), values
# chosen so the energies are known by hand: a counter of 10 J/s and gauges
# of 50 W and 30 W over 10 s.
#   - version 1.0: rapl package-0 -> cpu 100 J, nvml power.draw -> gpu0 500 J
#     (the names' rule), total 600 J;
#   - version 1.1: a source in no list ("acme", channel "board_in") stating
#     component acc0 keeps its 300 J; an nvml power.draw stating component ""
#     is in no component (no name is read); total cpu + acc0 = 400 J;
#   - the independent reader (scripts/wlog_dump.py) reads the fields back.
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
T=$(mktemp -d /tmp/wl-t19.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

PYTHONPATH="$R/tests/e2e" python3 - "$T" <<'PY' || fail "writing the traces"
import sys
import wlog_write as W
d = sys.argv[1]
for minor in (0, 1):
    t = W.Trace(minor)
    t.meta({"start_monotonic_ns": "1000000000"})
    if minor == 0:
        t.channel(1, "rapl", "package-0", "uJ", "package-0", kind=W.COUNTER, type=W.U64)
        t.channel(2, "nvml", "power.draw", "W", "gpu0")
    else:
        t.channel(1, "rapl", "package-0", "uJ", "package-0", kind=W.COUNTER, type=W.U64,
                  quantity=2, component="cpu")
        t.channel(2, "nvml", "power.draw", "W", "gpu0", quantity=1, component="")
        t.channel(3, "acme", "board_in", "W", "acc0", quantity=1, component="acc0")
    for k in range(11):
        vals = [(1, 10_000_000 * k), (2, 50.0)] + ([(3, 30.0)] if minor else [])
        t.sample(1_000_000_000 + k * 1_000_000_000, vals)
    open("%s/v1%d.wlog" % (d, minor), "wb").write(t.bytes())
PY

check() { # FILE EXPECTED-JSON-OF-COMPONENTS TOTAL
	"$B/wattlog" report -F json "$T/$1" >"$T/$1.json" || fail "report $1"
	python3 - "$T/$1.json" "$2" "$3" <<'PY' || fail "$1: $(cat "$T/$1.json" | head -c 600)"
import json, sys
e = json.load(open(sys.argv[1]))["energy_j"]
want = json.loads(sys.argv[2])
got = e["components"]
assert set(got) == set(want), (got, want)
for k, v in want.items():
    assert abs(got[k] - v) <= 1e-9 * v, (k, got[k], v)
assert abs(e["total"] - float(sys.argv[3])) <= 1e-9 * float(sys.argv[3]), e["total"]
PY
}
check v10.wlog '{"cpu": 100, "gpu0": 500}' 600
check v11.wlog '{"cpu": 100, "acc0": 300}' 400
# the streaming report reads the same fields
"$B/wattlog" report --stream -F json "$T/v11.wlog" | python3 -c '
import json, sys
e = json.load(sys.stdin)["energy_j"]
assert sorted(e["components"]) == ["acc0", "cpu"] and abs(e["total"] - 400) < 4e-7, e' ||
	fail "stream: $("$B/wattlog" report --stream "$T/v11.wlog" 2>&1 | head -20)"
python3 "$R/scripts/wlog_dump.py" --records "$T/v11.wlog" >"$T/rec" || fail "independent reader"
grep -q "'component': b'acc0'" "$T/rec" && grep -q "'quantity': 1" "$T/rec" ||
	fail "independent reader: $(grep channel "$T/rec")"
python3 "$R/scripts/wlog_dump.py" --records "$T/v10.wlog" | grep -q "'component'" &&
	fail "a 1.0 record has no component field"
echo "ok: 1.0 derived (cpu 100 J, gpu0 500 J), 1.1 stated (acc0 300 J kept, a stated none left out)"
