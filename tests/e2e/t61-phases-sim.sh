#!/bin/sh
# t61-phases-sim.sh - `wattlog simulate` writes a trace that the trace reader
# reads back, `wattlog phases` finds its schedule (the truth markers travel
# with the trace and are not taken as markers), bad schedules are refused
# with their position, and a reduced accuracy grid (40 simulated traces)
# meets the thresholds of the benchmark: precision and recall per sample
# >= 0.95, median boundary error <= 1 sampling period.
B=${WL_BUILD:-build}
W=$B/wattlog
[ -x "$W" ] || { echo "FAIL: $W not built"; exit 1; }
tmp=$(mktemp -d /tmp/wl-t61.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$W" simulate --schedule 'idle 2s, prefill 8s, idle 15s, decode 17s' --gpu H100 \
	--period 100ms --jitter 5ms --noise 0.03 --seed 7 -o "$tmp/a.wlog" || {
	echo "FAIL: simulate"; exit 1; }
# The same command (the command line is in the trace) gives the same bytes.
mv "$tmp/a.wlog" "$tmp/first.wlog"
"$W" simulate --schedule 'idle 2s, prefill 8s, idle 15s, decode 17s' --gpu H100 \
	--period 100ms --jitter 5ms --noise 0.03 --seed 7 -o "$tmp/a.wlog"
cmp -s "$tmp/a.wlog" "$tmp/first.wlog" || { echo "FAIL: same seed, different bytes"; fail=1; }

"$W" phases --truth --format csv "$tmp/a.wlog" >"$tmp/p.csv" || { echo "FAIL: phases"; exit 1; }
# Found (source auto) against the truth: the schedule's labels in order, each
# start within one period (0.1 s) of the schedule's 0, 2, 10, 25 s.
awk -F, 'NR > 1 && $9 == "auto" { gsub(/"/, "", $1); lab = lab $1 " "; st = st $2 " " }
	NR > 1 && $9 == "truth" { nt++ }
	END {
		split("0 2 10 25", want, " "); split(st, got, " ")
		if (lab != "idle prefill idle decode ") { print "FAIL: labels " lab; exit 1 }
		if (nt != 4) { print "FAIL: " nt " truth windows, want 4"; exit 1 }
		for (i = 1; i <= 4; i++) {
			d = got[i] - want[i]; if (d < 0) d = -d
			if (d > 0.1) { print "FAIL: phase " i " starts " got[i] ", truth " want[i]; exit 1 }
		}
	}' "$tmp/p.csv" || { cat "$tmp/p.csv"; fail=1; }

# --markers: the same boundaries as ordinary markers, which then win over
# automatic segmentation: windows at exactly 0, 1, 3 s; their energy and the
# automatic phases' both sum to the trace's total.
"$W" simulate --markers --schedule 'idle 1s, prefill 2s, decode 3s' -o "$tmp/m.wlog" ||
	{ echo "FAIL: simulate --markers"; fail=1; }
"$W" phases --format csv "$tmp/m.wlog" >"$tmp/mk.csv" &&
	"$W" phases --auto --format csv "$tmp/m.wlog" >"$tmp/au.csv" || {
	echo "FAIL: phases on the --markers trace"; fail=1; }
awk -F, 'FNR == 1 { f++ } FNR > 1 && f == 1 { gsub(/"/, "", $1); lab = lab $1 "@" $2 " "; m += $5;
		if ($9 != "markers") bad = 1 }
	FNR > 1 && f == 2 { a += $5 }
	END {
		if (bad || lab != "idle@0.0000 prefill@1.0000 decode@3.0000 ") { print "FAIL: markers " lab; exit 1 }
		d = m - a; if (d < 0) d = -d
		if (d > 1e-6 * m) { print "FAIL: marker windows sum to " m " J, auto phases to " a " J"; exit 1 }
	}' "$tmp/mk.csv" "$tmp/au.csv" || fail=1

# The schedule from a file, and errors naming the position.
printf '# warm-up\nidle 1s\nprefill 2s, decode 3s\n' >"$tmp/s.txt"
"$W" simulate --schedule-file "$tmp/s.txt" --period 50ms -o "$tmp/c.wlog" ||
	{ echo "FAIL: --schedule-file"; fail=1; }
printf 'idle 1s\ndecode 3x\n' >"$tmp/bad.txt"
"$W" simulate --schedule-file "$tmp/bad.txt" -o "$tmp/d.wlog" 2>"$tmp/err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "bad.txt line 2 column 8: duration needs a unit" "$tmp/err"; then
	echo "FAIL: bad schedule file: exit $rc: $(cat "$tmp/err")"
	fail=1
fi
"$W" simulate --schedule 'idle 1s, warmup 2s' -o "$tmp/e.wlog" 2>"$tmp/err"
if [ $? -ne 2 ] || ! grep -q "column 10: unknown phase 'warmup'" "$tmp/err"; then
	echo "FAIL: bad schedule: $(cat "$tmp/err")"
	fail=1
fi

if [ -x "$B/tests/phases_eval" ]; then
	"$B/tests/phases_eval" --max 40 --check || fail=1
else
	echo "FAIL: $B/tests/phases_eval not built"
	fail=1
fi
exit $fail
