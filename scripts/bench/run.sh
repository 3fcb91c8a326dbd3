#!/bin/sh
# scripts/bench/run.sh - `make bench`: every benchmark in scripts/bench/, one
# after the other (the machine is shared and noisy: compare ratios within one
# run, never absolute figures across runs).
B=${WL_BUILD:-build}
export WL_BUILD=$B WL_ROOT=$(pwd)
export WL_SHARED=${WL_SHARED:-$(cd .. && pwd)/shared}
rc=0
for b in realcsv recorder metrics nvml report plot phases requests compare; do
	f=scripts/bench/$b.sh
	[ -f "$f" ] || continue
	echo "== bench: $b =="
	sh "$f" || { echo "bench $b: failed"; rc=1; }
	echo
done
exit $rc
