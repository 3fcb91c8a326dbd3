#!/bin/sh
# plot.sh - the power figure of long 1 kHz x 10-channel runs:
#  1. generated samples streamed through the per-pixel-column envelopes
#     (6 h and BENCH_PLOT_HOURS, default 24 h: target under 5 s, and a
#     peak RSS that does not grow with the length);
#  2. the real path a user runs, `wattlog plot --figure power TRACE`, on
#     wattlog trace files of BENCH_TRACE_HOURS (default "2 6 24": 116 bytes
#     per 10-channel sample record, 24 h = 10 GB); a length whose file
#     would leave less than 2 GB free in $TMPDIR is skipped with a note;
#     wall time and peak RSS of each (the trace is read record by record);
#     BENCH_LOADED=1 adds --no-stream (the trace loaded whole) on the
#     first length, for comparison;
#  3. matplotlib on the same samples, BENCH_MPL_HOURS (default 1: it holds
#     every sample; 24 h would be 6.9 GB of float64).
# Run alone: WL_BUILD=build sh scripts/bench/plot.sh
B=${WL_BUILD:-build}
H=${BENCH_PLOT_HOURS:-24}
TH=${BENCH_TRACE_HOURS:-2 6 24}
MH=${BENCH_MPL_HOURS:-1}
T=$(mktemp -d "${TMPDIR:-/tmp}/wattlog-bench-plot.XXXXXX")
trap 'rm -rf "$T"' EXIT
P=$B/tests/plot_bench
W=$B/wattlog
[ -x "$P" ] || { echo "plot: build $P first (make bench builds it)"; exit 1; }
[ -x "$W" ] || { echo "plot: build $W first"; exit 1; }
echo "== plot: power figure, 1 kHz x 10 channels (load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$P" gen 6 1000 10 "$T/g6.png" || exit 1
"$P" gen "$H" 1000 10 "$T/g.png" || exit 1

# Wall time and peak RSS of a command (GNU time when present, else the
# shell's clock).
timed() { # label command...
	l=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "$l: %e s wall, %U s user, peak RSS %M KiB" "$@" >/dev/null ||
			echo "$l: failed"
	else
		s=$(date +%s.%N)
		"$@" >/dev/null || echo "$l: failed"
		echo "$l: $(echo "$(date +%s.%N) - $s" | bc) s wall (no /usr/bin/time: RSS not measured)"
	fi
}

echo "== plot: wattlog plot --figure power on a trace file (streamed)"
first=1
for h in $TH; do
	need=$(awk -v h="$h" 'BEGIN { printf "%d", h * 3600 * 1000 * 116 / 1024 + 2 * 1048576 }')
	free=$(df -Pk "$T" | awk 'NR == 2 { print $4 }')
	if [ "$free" -lt "$need" ]; then
		echo "trace of $h h skipped: needs $need KiB in $T, $free KiB free"
		continue
	fi
	"$P" write "$h" 1000 10 "$T/t.wlog" || exit 1
	echo "trace file: $h h, $(wc -c <"$T/t.wlog") bytes"
	timed "wattlog plot, $h h trace" "$W" plot --figure power -o "$T/t.png" "$T/t.wlog"
	if [ "$first" = 1 ] && [ "${BENCH_LOADED:-0}" = 1 ]; then
		timed "wattlog plot --no-stream (loaded whole), $h h trace" \
			"$W" plot --figure power --no-stream -o "$T/tl.png" "$T/t.wlog"
	fi
	first=0
	rm -f "$T/t.wlog"
done

"$P" gen "$MH" 1000 10 "$T/gm.png" || exit 1
echo "== plot: matplotlib, the same samples and figure size, $MH h"
if /usr/bin/python3 -c 'import numpy, matplotlib' 2>/dev/null; then
	/usr/bin/python3 "$(dirname "$0")/plot_mpl.py" "$MH" 1000 10 "$T/mpl.png" ||
		echo "matplotlib run failed"
else
	echo "skipped: /usr/bin/python3 lacks numpy or matplotlib"
fi
