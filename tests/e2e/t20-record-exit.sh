#!/bin/sh
# t20-record-exit: wattlog-record returns the command's exit status (0, 3),
# 128+N when it died of signal N (SIGTERM: 143), 127 when it cannot be run;
# the trace starts with META (host keys, the command) and holds CHANNEL,
# SYNC and SAMPLE records from the fake powercap tree.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

run() { "$REC" -q -o "$T/o.wlog" -f --sysfs-root "$FSYS" -- "$@"; }

run true; rc=$?
[ $rc -eq 0 ] || fail "true: exit $rc, want 0"
run sh -c 'sleep 0.3; exit 3'; rc=$?
[ $rc -eq 3 ] || fail "exit 3: got $rc"
run sh -c 'kill -TERM $$'; rc=$?
[ $rc -eq 143 ] || fail "killed by SIGTERM: got $rc, want 128+15=143"
run sh -c 'kill -KILL $$'; rc=$?
[ $rc -eq 137 ] || fail "killed by SIGKILL: got $rc, want 128+9=137"
"$REC" -q -o "$T/n.wlog" --sysfs-root "$FSYS" -- /nonexistent/cmd 2>"$T/err"; rc=$?
[ $rc -eq 127 ] || fail "missing command: got $rc, want 127"
grep -q "cannot run '/nonexistent/cmd': No such file" "$T/err" || fail "missing command: $(cat "$T/err")"

# The trace of the 0.3 s run, exit 3, at the default 10 ms.
run sh -c 'sleep 0.3; exit 3'
summary "$T/o.wlog" >"$T/s" || fail "reader failed on the trace"
[ "$(val first "$T/s")" = meta ] || fail "first record: $(val first "$T/s")"
for k in hostname kernel command tool_version start_realtime_ns start_monotonic_ns interval_ns; do
	grep -q "^meta $k=" "$T/s" || fail "META lacks $k"
done
grep -qx 'meta command=sh -c sleep 0.3; exit 3' "$T/s" ||
	fail "command: $(grep '^meta command=' "$T/s")"
grep -q '^meta interval_ns=10000000$' "$T/s" || fail "interval_ns: $(grep interval_ns "$T/s")"
grep -q "^meta kernel=$(uname -s) $(uname -r)$" "$T/s" || fail "kernel: $(grep kernel= "$T/s")"
grep -q "^meta tool_version=$(sed -n 's/.*WL_VERSION "\(.*\)"/\1/p' "$R/include/wattlog/version.h")$" "$T/s" ||
	fail "tool_version: $(grep tool_version "$T/s")"
grep -q '^channel [0-9]* powercap package-0 uJ' "$T/s" || fail "no powercap package-0 channel"
[ "$(val damage "$T/s")" = 0 ] || fail "damage in a clean trace"
[ "$(val syncs "$T/s")" -ge 1 ] || fail "no SYNC record"
# the default 10 ms, judged by the trace's own timestamps (how many
# deadlines a loaded machine lets the recorder keep is not asserted): at
# least 2 samples, and no more than its span holds at 10 ms
n=$(val "samples powercap" "$T/s")
span=$(val "span_ns powercap" "$T/s")
[ "${n:-0}" -ge 2 ] && [ "$n" -le $((span / 10000000 + 2)) ] ||
	fail "powercap: $n samples over $span ns at the default 10 ms"
# an unavailable source leaves a LOG record with its reason
grep -q '^log 0 nvml unavailable: ' "$T/s" || fail "no LOG for the unavailable nvml source"
echo ok
