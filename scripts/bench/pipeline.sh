#!/bin/sh
# scripts/bench/pipeline.sh - every command that consumes the one
# composition (run.h) on wattlog traces of 30 channels at 1 kHz for 1 h and
# 4 h (build/tests/mkbench_trace: about 1.1 and 4.5 GB, generated once into
# $B/bench/ and kept there for the next run; WL_BENCH_HOURS="1" skips the
# 4 h one): report, phases, compare (a folder holding the trace), and the
# panels, heatmap, energy and power figures.  One table: wall time, CPU
# time (user + sys) and peak RSS (/usr/bin/time; it counts the trace's
# pages the reader has touched, clean file pages).  Targets (issue 15):
# every command under 200 MB on 1 h, the same on 4 h; phases under 20 s.
# Run alone: WL_BUILD=build sh scripts/bench/pipeline.sh
B=${WL_BUILD:-build}
W=$B/wattlog
D=$B/bench
H=${WL_BENCH_HOURS:-1 4}
[ -x "$W" ] && [ -x "$B/tests/mkbench_trace" ] && [ -x /usr/bin/time ] || {
	echo "pipeline bench: needs $W, $B/tests/mkbench_trace (make bench) and /usr/bin/time"
	exit 2; }
mkdir -p "$D"
out=$(mktemp -d "${TMPDIR:-/tmp}/wl-bench-pipeline.XXXXXX")
trap 'rm -rf "$out"' EXIT

# row COMMAND HOURS CMD...: one line of the table; "FAILED" and the error
# when CMD fails
rc=0
row() {
	name=$1 h=$2
	shift 2
	if /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" >/dev/null 2>"$out/err"; then
		read -r wall us ss kb <"$out/time"
		printf '%-26s %4s h %9.1f s %9.1f s %9.0f MB\n' "$name" "$h" "$wall" \
			"$(echo "$us + $ss" | bc -l)" "$(echo "$kb * 1024 / 1000000" | bc -l)"
	else
		echo "$name ($h h): FAILED: $(tail -1 "$out/err")"
		rc=1
	fi
}

echo "== pipeline: 30 channels x 1 kHz, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %6s %11s %11s %12s\n' command trace wall cpu "peak RSS"
for h in $H; do
	tr=$D/trace_${h}h.wlog
	if [ ! -s "$tr" ]; then
		free_mb=$(df -Pm "$D" | awk 'NR == 2 { print $4 }')
		if [ "$free_mb" -lt $((h * 1200 + 1024)) ]; then
			echo "${h} h trace skipped: ${free_mb} MB free in $D, needs $((h * 1200))"
			continue
		fi
		"$B/tests/mkbench_trace" "$tr.tmp" $((h * 3600)) 1000 30 >/dev/null &&
			mv "$tr.tmp" "$tr" || { rm -f "$tr.tmp"; echo "mkbench_trace failed"; exit 2; }
	fi
	mkdir -p "$out/cmp$h/run"
	ln -sf "$(cd "$D" && pwd)/trace_${h}h.wlog" "$out/cmp$h/run/run.wlog"
	row "report" "$h" "$W" report --format json "$tr"
	row "phases" "$h" "$W" phases "$tr"
	row "compare" "$h" "$W" compare "$out/cmp$h/run"
	for fig in panels heatmap energy power; do
		row "plot --figure $fig" "$h" "$W" plot --figure "$fig" -o "$out/$fig.png" "$tr"
	done
done
exit $rc
