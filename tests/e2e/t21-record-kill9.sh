#!/bin/sh
# t21-record-kill9: `kill -9` of the recorder at -i 10ms (procfs on the real
# /proc, powercap on a fake tree), once the trace holds 100 powercap and 50
# procfs samples, leaves a trace the reader reads: every sample the recorder
# reported written on --stats-fd survives (>= 150 SAMPLE records of both).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

"$REC" -q -i 10ms -o "$T/k.wlog" --sysfs-root "$FSYS" --stats-fd 3 3>"$T/stats" &
pid=$!
wait_trace "$T/k.wlog" powercap 100 || fail "no 100 powercap samples in 30 s"
# procfs reads the real /proc, dearer than the fake tree: on a loaded
# machine it may miss more deadlines, so it is waited for too
wait_trace "$T/k.wlog" procfs 50 || fail "no 50 procfs samples in 30 s"
kill -9 $pid
wait $pid 2>/dev/null
[ -s "$T/k.wlog" ] || fail "no trace left"
grep -q '^flushed blocks=[0-9]* samples=[0-9]*$' "$T/stats" || fail "stats fd: $(cat "$T/stats")"
reported=$(tail -1 "$T/stats" | sed 's/.*samples=//')

summary "$T/k.wlog" >"$T/s" || fail "python reader failed"
py=$(val samples_total "$T/s")
[ "$py" -ge 150 ] || fail "python reader: $py samples, want >= 150"
[ "$py" -ge "$reported" ] || fail "python reader: $py samples < $reported reported written"
grep -q '^samples procfs ' "$T/s" || fail "no procfs samples (real /proc)"
grep -q '^samples powercap ' "$T/s" || fail "no powercap samples (fake tree)"

# the C reader: one CSV row per SAMPLE record (exit 1 = damage listed: a
# torn tail is allowed after SIGKILL, nothing else)
if [ -x "$B/wattlog" ]; then
	"$B/wattlog" export csv "$T/k.wlog" -o "$T/k.csv" 2>"$T/err"; rc=$?
	[ $rc -le 1 ] || fail "wattlog export: exit $rc: $(cat "$T/err")"
	if [ $rc -eq 1 ]; then
		grep -v 'torn tail' "$T/err" | grep -q . && fail "damage besides a torn tail: $(cat "$T/err")"
	fi
	c=$(($(wc -l <"$T/k.csv") - 1))
	[ "$c" -eq "$py" ] || fail "C reader $c samples, python reader $py"
fi
echo "ok: $py samples read, $reported reported written"
