#!/bin/sh
# scripts/bench/compare.sh - `wattlog compare` over 1000 folders of one small
# simulated trace each (a 5 s run at 100 ms: 50 samples x 7 channels, with a
# meta.json), wall time with -j1 and -j2 (best of 3 each), the table
# checked equal between the two.  The folders live in /tmp and are removed.
B=${WL_BUILD:-build}
W=$B/wattlog
N=${WL_BENCH_FOLDERS:-1000}
[ -x "$W" ] || { echo "compare bench: build $W first (make)"; exit 2; }
tmp=$(mktemp -d /tmp/wl-bench-compare.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

# 20 distinct traces (seeds), copied round robin into the N folders: what
# is measured is compare, not simulate.
s=1
while [ $s -le 20 ]; do
	"$W" simulate --gpu H100 --schedule 'idle 1s, prefill 1s, decode 2s, idle 1s' \
		--period 100ms --seed $s -o "$tmp/src$s.wlog" || exit 2
	s=$((s + 1))
done
i=1
while [ $i -le "$N" ]; do
	d=$tmp/f/run$i
	mkdir -p "$d"
	cp "$tmp/src$((i % 20 + 1)).wlog" "$d/run.wlog"
	printf '{"output_tokens": %d, "requests": 4}\n' $((256 + i)) > "$d/meta.json"
	i=$((i + 1))
done
echo "== compare: $N folders x 1 trace (5 s at 100 ms), $(nproc) cores here"
for j in 1 2; do
	best=""
	k=0
	while [ $k -lt 3 ]; do
		t0=$(now)
		"$W" compare -j $j --format csv -o "$tmp/j$j.csv" "$tmp"/f/run* || {
			echo "compare bench: compare -j $j failed"; exit 2; }
		t1=$(now)
		best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
			'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
		k=$((k + 1))
	done
	echo "wattlog compare -j$j: $best s (best of 3), $(awk -v t="$best" -v n="$N" \
		'BEGIN { printf "%.2f ms per folder", 1e3 * t / n }')"
	eval "t_j$j=$best"
done
awk -v a="$t_j1" -v b="$t_j2" 'BEGIN { printf "speed-up -j2 / -j1: %.2fx\n", a / b }'
cmp -s "$tmp/j1.csv" "$tmp/j2.csv" || { echo "compare bench: -j1 and -j2 tables differ"; exit 1; }
echo "tables of -j1 and -j2 identical ($(($(wc -l < "$tmp/j1.csv") - 1)) rows)"
