#!/bin/sh
# scripts/bench/run.sh - `make bench`: every benchmark in scripts/bench/, one
# after the other (the machine is shared and noisy: compare ratios within one
# run, never absolute figures across runs), then every acceptance line of the
# run (the lines that end in "holds" or "FAILS") together.
#   make bench                                   every benchmark
#   BENCH_ONLY="recorder metrics" make bench     those only
B=${WL_BUILD:-build}
export WL_BUILD=$B WL_ROOT=$(pwd)
export WL_SHARED=${WL_SHARED:-$(cd .. && pwd)/shared}
O=$(mktemp -d /tmp/wl-bench-run.XXXXXX)
trap 'rm -rf "$O"' EXIT
rc=0
for b in ${BENCH_ONLY:-realcsv recorder metrics nvml report plot phases requests compare pipeline}; do
	f=scripts/bench/$b.sh
	[ -f "$f" ] || continue
	echo "== bench: $b =="
	sh "$f" >"$O/out" 2>&1 || { echo "bench $b: failed" >>"$O/out"; rc=1; }
	cat "$O/out"
	grep -E '(holds|FAILS)( |$)' "$O/out" | sed "s/^ */$b: /" >>"$O/acceptance"
	echo
done
echo "== acceptance, this run =="
cat "$O/acceptance" 2>/dev/null
exit $rc
