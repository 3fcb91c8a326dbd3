#!/bin/sh
# scripts/bench/phases.sh - accuracy and speed of automatic phases.
#   1. 270 simulated traces (5 schedules x A100/H100 x noise 0.01/0.02/0.05 x
#      period 50/100/250 ms x 3 seeds): precision and recall of the label of
#      each sample, median boundary error in sampling periods, time per trace
#      (tests/helpers/phases_eval.c; thresholds 0.95 / 1 period).
#   2. Wall time of `wattlog phases` on a simulated 1-hour trace at 100 ms
#      (36000 samples) and on each AIMeter A800 trace when ../shared is here.
B=${WL_BUILD:-build}
S=${WL_SHARED:-../shared}
W=$B/wattlog
[ -x "$W" ] && [ -x "$B/tests/phases_eval" ] || {
	echo "phases bench: build $W and $B/tests/phases_eval first (make test)"; exit 2; }
echo "== phases: accuracy on simulated traces"
"$B/tests/phases_eval" --check
rc=$?
tmp=$(mktemp -d /tmp/wl-bench-phases.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sched='idle 2min, prefill 3min, idle 5min, decode 20min, idle 1min, prefill 5min, decode 23min, idle 1min'
"$W" simulate --schedule "$sched" --period 100ms --seed 1 -o "$tmp/hour.wlog" || exit 2
now() { date +%s.%N; }
t0=$(now)
"$W" phases "$tmp/hour.wlog" >"$tmp/out.txt" || exit 2
t1=$(now)
echo "== phases: 1-hour simulated trace (36000 samples, 7 channels)"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wattlog phases (ingest + segment + energy): %.3f s\n", b - a }'
sed -n '2,20p' "$tmp/out.txt"
if [ -d "$S/real-traces/aimeter-a800/prefill-decode" ]; then
	n=0
	t0=$(now)
	for f in "$S"/real-traces/aimeter-a800/prefill-decode/*.csv; do
		"$W" phases "$f" >/dev/null || exit 2
		n=$((n + 1))
	done
	t1=$(now)
	echo "== phases: AIMeter A800 prefill-decode traces"
	awk -v a="$t0" -v b="$t1" -v n=$n 'BEGIN { printf "%d traces, %.1f ms per trace (process start, CSV ingest, phases)\n", n, 1e3 * (b - a) / n }'
fi
exit $rc
