#!/bin/sh
# plot.sh - time to draw the power figure of a 24 h, 1 kHz, 10-channel
# trace streamed through the per-pixel-column envelopes, its peak RSS (the
# 6 h run shows memory does not grow with length), the same figure from a
# wattlog trace file read record by record, and matplotlib on the same
# samples.  Run alone: WL_BUILD=build sh scripts/bench/plot.sh
#   BENCH_PLOT_HOURS   generated stream length (default 24)
#   BENCH_TRACE_HOURS  trace file length (default 2: 24 h would be a 10 GB
#                      file, 116 bytes per 10-channel sample record)
#   BENCH_MPL_HOURS    matplotlib length (default 1: it holds every sample;
#                      24 h x 1 kHz x 10 channels is 6.9 GB of float64)
B=${WL_BUILD:-build}
H=${BENCH_PLOT_HOURS:-24}
TH=${BENCH_TRACE_HOURS:-2}
MH=${BENCH_MPL_HOURS:-1}
T=$(mktemp -d /tmp/wattlog-bench-plot.XXXXXX)
trap 'rm -rf "$T"' EXIT
P=$B/tests/plot_bench
[ -x "$P" ] || { echo "plot: build $P first (make bench builds it)"; exit 1; }
echo "== plot: power figure, 1 kHz x 10 channels (load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$P" gen 6 1000 10 "$T/g6.png" || exit 1
"$P" gen "$H" 1000 10 "$T/g.png" || exit 1
"$P" write "$TH" 1000 10 "$T/t.wlog" || exit 1
echo "trace file: $(wc -c <"$T/t.wlog") bytes"
"$P" trace "$T/t.wlog" "$T/t.png" || exit 1
rm -f "$T/t.wlog"
"$P" gen "$MH" 1000 10 "$T/gm.png" || exit 1
echo "== plot: matplotlib, the same samples and figure size, $MH h"
if /usr/bin/python3 -c 'import numpy, matplotlib' 2>/dev/null; then
	/usr/bin/python3 "$(dirname "$0")/plot_mpl.py" "$MH" 1000 10 "$T/mpl.png" ||
		echo "matplotlib run failed"
else
	echo "skipped: /usr/bin/python3 lacks numpy or matplotlib"
fi
