#!/bin/sh
# report.sh - `wattlog report --format json` against an equivalent pandas
# script (scripts/bench/pandas_report.py) on
#  (a) an AIMeter-format CSV of 1 000 000 rows: fixtures/csv/aimeter_2gpu.csv
#      repeated with its timestamps shifted (written to /tmp);
#  (b) wattlog traces of 30 channels at 1 kHz for 1 h and 4 h (written by
#      build/tests/mkbench_trace, about 1.1 and 4.5 GiB in $D; the 4 h one
#      unless WL_BENCH_LONG=0), reported by the streaming path (and the 1 h
#      one by the in-memory path too).
# Prints wall time and peak RSS (/usr/bin/time -f) of each and the ratio.
# Targets: (a) wattlog >= 20x faster than pandas; (b) 1 h under 10 s, and
# peak memory of the 4 h trace about that of the 1 h one (streamed).
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
# (WL_BENCH_PART=b runs case (b) alone)
if [ "${WL_BENCH_PART:-}" != b ]; then
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
fi

# (b) ---------------------------------------------------------------------
# The streaming path (stream.h: two passes, memory bounded; the default for
# a wattlog trace above 256 MiB, forced here with --stream) on 1 h and 4 h,
# the in-memory path (--no-stream) on 1 h (and on 4 h with 16 GiB
# available and WL_BENCH_INMEM=1).  Besides /usr/bin/time's peak RSS, which
# counts the pages of the mapped trace the reader has touched (clean file
# pages, given back under memory pressure), the peak of RssAnon (the
# analyzer's own memory) is sampled from /proc every 50 ms.
#
# peak NAME CMD...: runs CMD in the background, prints one line with wall
# time, CPU time (user + sys: what the run costs when other work shares
# the cores), peak RSS and peak RssAnon/RssFile seen.
peak() {
	name=$1; shift
	/usr/bin/time -f "%e %M %U %S" -o "$D/time" "$@" >/dev/null 2>"$D/err" &
	tp=$!
	anon=0; file=0
	while kill -0 $tp 2>/dev/null; do
		for p in $(pgrep -P $tp 2>/dev/null); do
			a=$(awk '/^RssAnon/ { print $2 }' /proc/$p/status 2>/dev/null)
			f=$(awk '/^RssFile/ { print $2 }' /proc/$p/status 2>/dev/null)
			[ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
			[ -n "$f" ] && [ "$f" -gt "$file" ] && file=$f
		done
		sleep 0.05
	done
	wait $tp || { echo "$name: FAILED"; cat "$D/err"; sec=; kb=; return 1; }
	read sec kb us ss <"$D/time"
	printf '%-30s %6.2f s (cpu %6.2f s)  peak RSS %7.1f MiB (anon %6.1f, file %5.1f)\n' \
		"$name" "$sec" "$(echo "$us + $ss" | bc -l)" "$(echo "$kb / 1024" | bc -l)" \
		"$(echo "$anon / 1024" | bc -l)" "$(echo "$file / 1024" | bc -l)"
}

grep -q "madvise(.*MADV_DONTNEED\|MADV_COLD\|MADV_PAGEOUT" "$ROOT/src/trace/reader.c" 2>/dev/null &&
	echo "(b) reader releases consumed pages (madvise in src/trace/reader.c)" ||
	echo "(b) reader keeps the pages it mapped (no release in src/trace/reader.c)"
for h in 1 4; do
	tr=$D/trace_${h}h.wlog
	if [ $h -eq 4 ] && [ "${WL_BENCH_LONG:-1}" = 0 ]; then
		echo "(b) 4 h trace skipped: WL_BENCH_LONG=0"
		continue
	fi
	need=$((h * 1200)) # MiB of trace, about
	free_mb=$(df -Pm "$D" | awk 'NR == 2 { print $4 }')
	if [ ! -s "$tr" ] && [ "$free_mb" -lt $((need + 512)) ]; then
		echo "(b) ${h} h trace skipped: ${free_mb} MiB free in $D, needs $need"
		continue
	fi
	[ -s "$tr" ] || "$B/tests/mkbench_trace" "$tr" $((h * 3600)) 1000 30 >/dev/null || exit 2
	echo "(b) wattlog trace, ${h} h x 1 kHz x 30 channels, $(du -m "$tr" | cut -f1) MiB"
	peak "report --stream (${h} h)" "$W" report --stream --format json -o "$D/b.json" "$tr"
	[ $h -eq 1 ] && [ -n "$sec" ] && echo "1 h streamed under 10 s: $(echo "$sec < 10" | bc)"
	avail=$(awk '/MemAvailable/ { print int($2 / 1048576) }' /proc/meminfo)
	if [ $h -eq 1 ] || { [ "${WL_BENCH_INMEM:-0}" = 1 ] && [ "$avail" -ge 16 ]; }; then
		peak "report --no-stream (${h} h)" "$W" report --no-stream --format json \
			-o "$D/b_mem.json" "$tr"
	fi
	[ -x "$B/tests/bench_stages" ] && [ $h -eq 1 ] &&
		"$B/tests/bench_stages" "$tr" | sed 's/^/  stage /'
	[ "${WL_BENCH_KEEP:-0}" = 1 ] || rm -f "$tr"
done
