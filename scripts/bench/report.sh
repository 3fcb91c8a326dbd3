#!/bin/sh
# report.sh - `wattlog report --format json` against an equivalent pandas
# script (scripts/bench/pandas_report.py) on
#  (a) an AIMeter-format CSV of 1 000 000 rows: fixtures/csv/aimeter_2gpu.csv
#      repeated with its timestamps shifted (written to /tmp);
#  (b) wattlog traces of 30 channels at 1 kHz for 1 h and 4 h (written by
#      build/tests/mkbench_trace; the 4 h one only with 16 GiB available
#      and WL_BENCH_LONG unset or not 0).
# Prints wall time and peak RSS (/usr/bin/time -f) of each and the ratio.
# Targets: (a) wattlog >= 20x faster than pandas; (b) 1 h under 10 s.
# Usage: WL_BUILD=build sh scripts/bench/report.sh
B=${WL_BUILD:-build}
W=$B/wattlog
D=${WL_BENCH_DIR:-/tmp/wl-bench-report}
PY=/usr/bin/python3
HERE=$(dirname "$0")
ROOT=$(cd "$HERE/../.." && pwd)
mkdir -p "$D"
[ -x "$W" ] && [ -x "$B/tests/mkbench_trace" ] || {
	echo "report.sh: build first: make $W $B/tests/mkbench_trace"; exit 2; }

# measure NAME CMD...: runs CMD under /usr/bin/time, prints one line
# and sets $sec and $kb
measure() {
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$D/time" "$@" >/dev/null 2>"$D/err" || {
		echo "$name: FAILED"; cat "$D/err"; sec=; kb=; return 1; }
	read sec kb <"$D/time"
	printf '%-40s %8.2f s %10.1f MiB\n' "$name" "$sec" "$(echo "$kb / 1024" | bc -l)"
}

ratio() { echo "scale=1; $1 / $2" | bc -l; }

# (a) ---------------------------------------------------------------------
csv=$D/aimeter_1m.csv
if [ ! -s "$csv" ]; then
	python3 - "$ROOT/fixtures/csv/aimeter_2gpu.csv" "$csv" 1000000 <<'PY'
import sys
from datetime import datetime, timedelta
src, out, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, encoding="utf-8").read().splitlines()
head, body = lines[0], [l.split(",", 1) for l in lines[1:]]
times = [datetime.strptime(t, "%Y-%m-%d %H:%M:%S.%f") for t, _ in body]
period = (times[-1] - times[0]) + (times[1] - times[0] if times[1] > times[0] else
                                   timedelta(seconds=0.1))
period = timedelta(seconds=round(period.total_seconds() + 0.1, 1))
with open(out, "w", encoding="utf-8") as f:
    f.write(head + "\n")
    n, rep = 0, 0
    while n < rows:
        shift = period * rep
        for (t, rest), t0 in zip(body, times):
            ts = (t0 + shift).strftime("%Y-%m-%d %H:%M:%S.%f")[:-5]
            f.write(ts + "," + rest + "\n")
            n += 1
            if n == rows:
                break
        rep += 1
PY
fi
echo "(a) AIMeter CSV, $(($(wc -l <"$csv") - 1)) rows, $(du -m "$csv" | cut -f1) MiB"
measure "wattlog report --format json" "$W" report --format json -o "$D/a.json" "$csv"
ws=$sec
[ -x "$B/tests/bench_stages" ] && "$B/tests/bench_stages" "$csv" | sed 's/^/  stage /'
if $PY -c 'import pandas' 2>/dev/null; then
	measure "pandas_report.py" $PY "$HERE/pandas_report.py" "$csv" "$D/a_pandas.json"
	[ -n "$sec" ] && echo "speed-up: $(ratio "$sec" "$ws")x (target >= 20x)"
	python3 - "$D/a.json" "$D/a_pandas.json" <<'PY'
import json, sys
w, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k, v in sorted(p["energy_j"]["components"].items()):
    got = w["energy_j"]["components"].get(k)
    print("  energy %-5s wattlog %.6g J, pandas %.6g J" % (k, got or float("nan"), v))
PY
else
	echo "pandas half skipped: $PY has no pandas (apt-get install python3-pandas)"
fi

# (b) ---------------------------------------------------------------------
for h in 1 4; do
	tr=$D/trace_${h}h.wlog
	if [ $h -eq 4 ] && [ "${WL_BENCH_LONG:-1}" = 0 ]; then
		echo "(b) 4 h trace skipped: WL_BENCH_LONG=0"
		continue
	fi
	if [ $h -eq 4 ]; then
		avail=$(awk '/MemAvailable/ { print int($2 / 1048576) }' /proc/meminfo)
		if [ "$avail" -lt 16 ]; then
			echo "(b) 4 h trace skipped: ${avail} GiB available, needs 16"
			continue
		fi
	fi
	[ -s "$tr" ] || "$B/tests/mkbench_trace" "$tr" $((h * 3600)) 1000 30 >/dev/null || exit 2
	echo "(b) wattlog trace, ${h} h x 1 kHz x 30 channels, $(du -m "$tr" | cut -f1) MiB"
	measure "wattlog report --format json (${h} h)" "$W" report --format json -o "$D/b.json" "$tr"
	[ $h -eq 1 ] && [ -n "$sec" ] && echo "1 h under 10 s: $(echo "$sec < 10" | bc)"
	[ -x "$B/tests/bench_stages" ] && "$B/tests/bench_stages" "$tr" | sed 's/^/  stage /'
	rm -f "$tr"
done
