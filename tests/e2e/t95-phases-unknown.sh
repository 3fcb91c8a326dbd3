#!/bin/sh
# t95-phases-unknown: a counter that never changes ("not updating") has an
# unknown energy in `phases` as in `report` (issue 17, item 13): null in
# JSON, "-" in text, empty in CSV, never 0.  Traces written by
# tests/e2e/wlog_write.py:
#   stuck.wlog  RAPL package-0 constant for 1 s (101 reads), markers
#               "begin/end work" at 0.2 s and 0.8 s: every energy unknown;
#   mixed.wlog  the same, plus a GPU energy counter at 100 W (mJ): the phase
#               counts the GPU alone, 100 W x 0.6 s = 60 J, the CPU is null,
#               and the report's total is the GPU's 100 W x 1 s = 100 J.
B=$(cd "${WL_BUILD:-build}" && pwd)
W=$B/wattlog
R=${WL_ROOT:-$(pwd)}
T=$(mktemp -d /tmp/wl-t95.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$W" ] || fail "$W not built"
cd "$T" || exit 1

python3 - "$R/tests/e2e" <<'PY' || fail "writing the traces"
import sys
sys.path.insert(0, sys.argv[1])
import wlog_write as W
T0 = 1_000_000_000
for name, gpu in (("stuck", False), ("mixed", True)):
    t = W.Trace()
    t.meta({"start_monotonic_ns": str(T0), "start_realtime_ns": "1700000000000000000"})
    t.channel(1, "rapl", "package-0", "uJ", "package-0", kind=W.COUNTER, type=W.U64,
              wrap=2**32)
    if gpu:
        t.channel(2, "nvml", "energy", "mJ", "gpu0", kind=W.COUNTER, type=W.U64)
    for i in range(101):
        v = [(1, 123456)] + ([(2, 1000 * i)] if gpu else [])  # 1 J per 10 ms
        t.sample(T0 + i * 10_000_000, v)
    t.marker(T0 + 200_000_000, "begin work")
    t.marker(T0 + 800_000_000, "end work")
    open(name + ".wlog", "wb").write(t.bytes())
PY

for n in stuck mixed; do
	"$W" report --format json $n.wlog >$n.report.json 2>err || fail "report $n: $(cat err)"
	"$W" phases --format json $n.wlog >$n.phases.json 2>err || fail "phases $n: $(cat err)"
	"$W" phases $n.wlog >$n.phases.txt 2>err || fail "phases $n: $(cat err)"
	"$W" phases --format csv $n.wlog >$n.phases.csv 2>err || fail "phases $n: $(cat err)"
done

python3 - <<'PY' || exit 1
import json, csv
def close(a, b):
    return a is not None and abs(a - b) < 1e-9
r = json.load(open("stuck.report.json"))
assert r["energy_j"]["total"] is None, r["energy_j"]
p = json.load(open("stuck.phases.json"))
ph = p["phases"][0]
assert ph["label"] == "work", ph
for k in ("energy_j", "avg_power_w", "peak_power_w"):
    assert ph[k] is None, f"stuck: phases {k} = {ph[k]!r}, want null"
assert ph["components"] == {"cpu": None}, ph["components"]
assert p["total_energy_j"] is None, p["total_energy_j"]
assert r["phases"][0]["energy_j"] is None, r["phases"][0]

r = json.load(open("mixed.report.json"))
assert close(r["energy_j"]["total"], 100.0), r["energy_j"]
p = json.load(open("mixed.phases.json"))
ph = p["phases"][0]
assert close(ph["energy_j"], 60.0) and close(ph["avg_power_w"], 100.0), ph
assert ph["components"]["cpu"] is None and close(ph["components"]["gpu0"], 60.0), ph
assert close(p["total_energy_j"], 100.0), p["total_energy_j"]
assert close(r["phases"][0]["energy_j"], 60.0), r["phases"][0]

rows = list(csv.DictReader(open("stuck.phases.csv")))
assert [x["energy_j"] for x in rows] == [""] and rows[0]["avg_power_w"] == "", rows
rows = list(csv.DictReader(open("mixed.phases.csv")))
assert float(rows[0]["energy_j"]) == 60.0, rows
PY
[ $? -eq 0 ] || fail "JSON/CSV (above)"

# text: the stuck row shows "-" for energy, average and peak, and no 0
row=$(grep -E '^  1 +work ' stuck.phases.txt) || fail "no row: $(cat stuck.phases.txt)"
set -- $row
[ "$6" = - ] && [ "$7" = - ] && [ "$8" = - ] || fail "stuck row: '$row'"
grep -q '^total energy - J; outermost phases sum to - J$' stuck.phases.txt ||
	fail "stuck total: $(tail -1 stuck.phases.txt)"
row=$(grep -E '^  1 +work ' mixed.phases.txt) || fail "no row: $(cat mixed.phases.txt)"
set -- $row
[ "$6" = 60.0 ] && [ "$7" = 100.0 ] || fail "mixed row: '$row'"
# and the report's text says it the same way
"$W" report stuck.wlog >stuck.report.txt 2>err || fail "report stuck: $(cat err)"
grep -qE '^  total energy +- = -$' stuck.report.txt ||
	fail "report text: $(grep 'total energy' stuck.report.txt)"
echo "ok: an energy no counter measured is unknown in phases (json, text, csv) as in report"
