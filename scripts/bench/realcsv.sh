#!/bin/sh
# realcsv.sh - the real-format case of issue 20, in one run: `wattlog report
# --format json` on a 1,000,000-row AIMeter CSV (27 columns, units inside the
# values; built once into $B/bench by mkaimeter.py from AIMeter's A800 traces
# in $WL_SHARED/real-traces, shifted and repeated), against
#   - the parse floor: csvfloor.c (libcsv's csv_parse, counting callbacks
#     and a decimal parse of each field),
#   - pandas (pandas_report.py), Polars (polars_report.mjs, nodejs-polars)
#     and DuckDB (duckdb_report.mjs, @duckdb/node-api) doing the same work;
#     the node packages are installed into $B/bench/node when the npm
#     registry can be reached, else skipped with a message.
# Rounds (WL_BENCH_ROUNDS, default 3) run the tools interleaved; medians of
# wall, CPU (user + sys) and peak RSS (/usr/bin/time) are printed, with the
# ratios against the acceptance bounds, the largest difference between
# wattlog's correlation matrix and pandas' over the rows, and wattlog's
# peak RSS on a 4,000,000-row file (WL_BENCH_4M=0 skips it).
# Usage: WL_BUILD=build WL_SHARED=../shared sh scripts/bench/realcsv.sh
B=${WL_BUILD:-build}
W=$B/wattlog
D=$B/bench
PY=/usr/bin/python3
HERE=$(dirname "$0")
SRC=${WL_SHARED:-../shared}/real-traces/aimeter-a800/prefill-decode
R=${WL_BENCH_ROUNDS:-3}
mkdir -p "$D"
[ -x "$W" ] || { echo "realcsv.sh: build first: make $W"; exit 2; }
[ -d "$SRC" ] || { echo "realcsv.sh: skipped: no AIMeter traces in $SRC"; exit 0; }
for rows in 1000000 4000000; do
	csv=$D/aimeter_$((rows / 1000000))m.csv
	[ $rows -gt 1000000 ] && [ "${WL_BENCH_4M:-1}" = 0 ] && continue
	[ -s "$csv" ] || $PY "$HERE/mkaimeter.py" "$SRC" "$csv" $rows || exit 2
done
csv=$D/aimeter_1m.csv
cc -O2 -o "$D/csvfloor" "$HERE/csvfloor.c" -lcsv || exit 2

node_ok=0
if command -v node >/dev/null && command -v npm >/dev/null; then
	if [ -d "$D/node/node_modules/@duckdb/node-api" ] &&
	   [ -d "$D/node/node_modules/nodejs-polars-linux-x64-gnu" ]; then
		node_ok=1
	elif timeout 30 npm view nodejs-polars version >/dev/null 2>&1; then
		mkdir -p "$D/node" && (cd "$D/node" && echo '{"private":true}' >package.json &&
			timeout 300 npm install --no-audit --no-fund nodejs-polars \
				nodejs-polars-linux-x64-gnu @duckdb/node-api >npm.log 2>&1) &&
			node_ok=1 || echo "Polars/DuckDB skipped: npm install failed ($D/node/npm.log)"
	else
		echo "Polars/DuckDB skipped: the npm registry cannot be reached"
	fi
else
	echo "Polars/DuckDB skipped: no node/npm"
fi
$PY -c 'import pandas' 2>/dev/null && pd_ok=1 || {
	pd_ok=0; echo "pandas skipped: $PY has no pandas"; }
export NODE_PATH=$PWD/$D/node/node_modules

# run NAME CMD...: one timed run, appended to $D/times as "NAME wall cpu kb"
run() {
	name=$1; shift
	if /usr/bin/time -f "%e %U %S %M" -o "$D/time" "$@" >"$D/out.$name" 2>"$D/err.$name"; then
		read w u s kb <"$D/time"
		echo "$name $w $(echo "$u + $s" | bc -l) $kb" >>"$D/times"
	else
		echo "$name: FAILED"; tail -5 "$D/err.$name"
	fi
}
: >"$D/times"
echo "real-format case: $(($(wc -l <"$csv") - 1)) rows, $(du -m "$csv" | cut -f1) MiB, $R rounds"
i=0
while [ $i -lt "$R" ]; do
	run floor "$D/csvfloor" "$csv"
	run wattlog "$W" report --format json -o "$D/wattlog.json" "$csv"
	[ $pd_ok = 1 ] && run pandas $PY "$HERE/pandas_report.py" "$csv" "$D/pandas.json"
	[ $node_ok = 1 ] && run polars node "$HERE/polars_report.mjs" "$csv" "$D/polars.json"
	[ $node_ok = 1 ] && run duckdb node "$HERE/duckdb_report.mjs" "$csv" "$D/duckdb.json"
	i=$((i + 1))
done
[ -s "$D/aimeter_4m.csv" ] && [ "${WL_BENCH_4M:-1}" != 0 ] &&
	run wattlog_4m "$W" report --format json -o "$D/wattlog_4m.json" "$D/aimeter_4m.csv"
$PY - "$D" <<'PY'
import json, os, statistics, sys
d = sys.argv[1]
runs = {}
for line in open(os.path.join(d, "times")):
    n, w, c, kb = line.split()
    runs.setdefault(n, []).append((float(w), float(c), int(kb) / 1024))
med = {n: [statistics.median(x[k] for x in v) for k in range(3)] for n, v in runs.items()}
print("%-12s %9s %9s %12s  (medians)" % ("", "wall s", "cpu s", "peak RSS MiB"))
for n, (w, c, m) in med.items():
    print("%-12s %9.2f %9.2f %12.1f" % (n, w, c, m))
def check(what, ok):
    print("  %-58s %s" % (what, "holds" if ok else "FAILS"))
if "wattlog" in med:
    w, c, m = med["wattlog"]
    if "pandas" in med:
        check("wall: pandas / wattlog = %.1fx (>= 30x)" % (med["pandas"][0] / w),
              med["pandas"][0] / w >= 30)
    if "polars" in med:
        check("wall: Polars / wattlog = %.1fx (>= 3x)" % (med["polars"][0] / w),
              med["polars"][0] / w >= 3)
    if "duckdb" in med:
        print("  wall: DuckDB / wattlog = %.1fx" % (med["duckdb"][0] / w))
    check("CPU: wattlog / floor = %.2fx (<= 2x)" % (c / med["floor"][1]), c / med["floor"][1] <= 2)
    check("peak RSS 1M rows: %.1f MiB (<= 100 MB)" % m, m * 1048576 <= 100e6)
    if "wattlog_4m" in med:
        m4 = med["wattlog_4m"][2]
        check("peak RSS 4M rows: %.1f MiB (<= 100 MB)" % m4, m4 * 1048576 <= 100e6)
        print("  CPU 4M rows / 1M rows = %.2fx (linear: 4x)" % (med["wattlog_4m"][1] / c))
try:
    wj = json.load(open(os.path.join(d, "wattlog.json")))
    pj = json.load(open(os.path.join(d, "pandas.json")))["row_correlation"]
except (OSError, KeyError, ValueError):
    sys.exit(0)
c = wj.get("correlation") or {}
wn = [m.rsplit(" ", 1)[0] for m in c.get("metrics", [])]
pn = [m.split(" [")[0] for m in pj["metrics"]]
worst, npair = 0.0, 0
for i, a in enumerate(pn):
    for j, b in enumerate(pn):
        if j <= i or a not in wn or b not in wn:
            continue
        rw = c["matrix"][wn.index(a)][wn.index(b)]
        rp = pj["matrix"][i][j]
        if rw is None or rp is None:
            continue
        worst, npair = max(worst, abs(rw - rp)), npair + 1
check("r: largest |wattlog - pandas over rows| = %.2g over %d pairs (<= 1e-9; grid %s s)"
      % (worst, npair, c.get("grid_s")), npair > 0 and worst <= 1e-9)
PY
