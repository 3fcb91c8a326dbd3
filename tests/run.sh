#!/bin/sh
# tests/run.sh [unit|e2e] - runs the Criterion unit binaries in $WL_BUILD/tests
# and the numbered end-to-end scripts tests/e2e/t*.sh, then prints one line:
#   tests: N passed, N failed, N skipped
# An end-to-end script passes with exit 0, skips with 77 (saying why), fails
# otherwise.  End-to-end scripts run in parallel ($WL_JOBS, default nproc),
# except those marked "# wattlog-test: serial".  Exit status: 0 when nothing failed.
B=${WL_BUILD:-build}
what=${1:-all}
pass=0 fail=0 skip=0 failed=""
log=$(mktemp -d /tmp/wattlog-tests.XXXXXX)
export WL_BUILD=$B WL_ROOT=$(pwd)
export WL_SHARED=${WL_SHARED:-$(cd .. && pwd)/shared}
# under SANITIZE: leaks inside third-party libraries (tests/lsan.supp) are
# not ours; everything else still fails the test
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

if [ "$what" != e2e ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		"$t" --jobs 2 >"$log/$name.out" 2>&1
		rc=$?
		line=$(grep 'Synthesis' "$log/$name.out" | tail -1)
		p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
		f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
		c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
		s=$(echo "$line" | sed -n 's/.*Skipped: \([0-9]*\).*/\1/p')
		p=${p:-0} f=${f:-0} c=${c:-0} s=${s:-0}
		[ -z "$line" ] && [ $rc -ne 0 ] && f=1
		pass=$((pass + p)); fail=$((fail + f + c)); skip=$((skip + s))
		if [ $((f + c)) -ne 0 ] || [ $rc -ne 0 ]; then
			failed="$failed $name"
			[ $((f + c)) -eq 0 ] && fail=$((fail + 1))
			sed -n '1,200p' "$log/$name.out"
		fi
		echo "unit  $name: ${line:-no synthesis (exit $rc)}" | sed 's/\[====\] //'
	done
fi

# one_e2e SCRIPT: runs one end-to-end script, bounded at 600 s; its output
# goes to $log/NAME.out and its exit status to $log/NAME.rc.
one_e2e() {
	name=$(basename "$1" .sh)
	timeout 600 sh "$1" >"$log/$name.out" 2>&1
	echo $? >"$log/$name.rc"
}

if [ "$what" != unit ]; then
	# End-to-end scripts run $WL_JOBS at a time (default: the number of
	# cores); a script with a line "# wattlog-test: serial" (it starts
	# daemons on fixed ports, creates users, or measures a schedule) runs
	# alone, after the others.
	jobs=${WL_JOBS:-$(nproc 2>/dev/null || echo 2)}
	par="" ser=""
	for t in tests/e2e/t[0-9]*.sh; do
		[ -f "$t" ] || continue
		if grep -q '^# wattlog-test: serial' "$t"; then ser="$ser $t"; else par="$par $t"; fi
	done
	n=0
	for t in $par; do
		one_e2e "$t" &
		n=$((n + 1))
		if [ $n -ge "$jobs" ]; then
			wait
			n=0
		fi
	done
	wait
	for t in $ser; do
		one_e2e "$t"
	done
	for t in tests/e2e/t[0-9]*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		rc=$(cat "$log/$name.rc" 2>/dev/null || echo 1)
		if [ "$rc" -eq 0 ]; then
			pass=$((pass + 1)); echo "e2e   $name: ok"
		elif [ "$rc" -eq 77 ]; then
			skip=$((skip + 1)); echo "e2e   $name: skipped: $(tail -1 "$log/$name.out")"
		else
			fail=$((fail + 1)); failed="$failed $name"
			echo "e2e   $name: FAILED (exit $rc)"; tail -30 "$log/$name.out"
		fi
	done
fi

rm -rf "$log"
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
