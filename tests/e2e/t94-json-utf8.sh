#!/bin/sh
# t94-json-utf8: binary garbage sent as a marker (bytes >= 0x80 that are no
# UTF-8, C0 80, a surrogate, control bytes) must not make any JSON writer emit
# invalid UTF-8 (issue 17, item 12): `report --format json`, `phases --format
# json` (the marker's label) and `compare --format json` (the phase_<label>_j
# column) are each decoded by Python as strict UTF-8 and parsed, and each
# invalid byte is there as U+FFFD while the valid text around it is kept.
# The trace is written by tests/e2e/wlog_write.py from the format's spec.
B=$(cd "${WL_BUILD:-build}" && pwd)
W=$B/wattlog
R=${WL_ROOT:-$(pwd)}
T=$(mktemp -d /tmp/wl-t94.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$W" ] || fail "$W not built"
cd "$T" || exit 1

# 2 s of a 25 W RAPL counter at 100 Hz, a phase whose label is garbage
python3 - "$R/tests/e2e" <<'PY' || fail "writing the trace"
import sys
sys.path.insert(0, sys.argv[1])
import wlog_write as W
label = b"g\xff\xfe\x01\x1f\xc0\x80\xed\xa0\x80\xe2\x82 \xc3\xa9t\xc3\xa9"
t = W.Trace()
T0 = 1_000_000_000
t.meta({"start_monotonic_ns": str(T0), "start_realtime_ns": "1700000000000000000"})
t.channel(1, "rapl", "package-0", "uJ", "package-0", kind=W.COUNTER, type=W.U64, wrap=2**40)
for i in range(201):
    t.sample(T0 + i * 10_000_000, [(1, 250_000 * i)])
t.marker(T0 + 500_000_000, b"begin " + label)
t.marker(T0 + 1_500_000_000, b"end " + label)
open("garbage.wlog", "wb").write(t.bytes())
PY
mkdir a b && cp garbage.wlog a/ && cp garbage.wlog b/

"$W" report --format json garbage.wlog >report.json 2>err || fail "report: $(cat err)"
"$W" phases --format json garbage.wlog >phases.json 2>err || fail "phases: $(cat err)"
"$W" compare --format json a b >compare.json 2>err || fail "compare: $(cat err)"

# the label as the writers must show it: each byte of no well-formed
# sequence is U+FFFD (C0 80 is overlong, ED A0 80 a surrogate, E2 82 cut
# short by the space), control bytes stay (escaped by JSON), é is kept
python3 - <<'PY' || exit 1
import json
want = "g\ufffd\ufffd\x01\x1f\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd \u00e9t\u00e9"
def load(name):
    raw = open(name, "rb").read()
    try:
        text = raw.decode("utf-8")  # strict: raises on any invalid byte
    except UnicodeDecodeError as e:
        print(f"FAIL: {name} is not valid UTF-8: {e}")
        raise SystemExit(1)
    return json.loads(text)
r = load("report.json")
labels = [p["label"] for p in r["phases"]]
assert labels == [want], f"report phases {labels!r}"
# 25 W x 1 s between the markers, exact from the counter
assert abs(r["phases"][0]["energy_j"] - 25.0) < 1e-9, r["phases"][0]
p = load("phases.json")
assert [x["label"] for x in p["phases"]] == [want], p["phases"]
c = load("compare.json")
cols = [x["name"] for x in c["columns"]]
# compare names the column phase_<label>_j with blanks as "_"
assert "phase_" + want.replace(" ", "_") + "_j" in cols, cols
print("ok: report, phases and compare JSON are valid UTF-8 with U+FFFD for each bad byte")
PY
