#!/bin/sh
# t24-record-markers-c: markers sent with include/wattlog/marker.h
# (tests/helpers/marker_demo.c) land in the trace in order, stamped with the
# sender's CLOCK_MONOTONIC (WL_MARKER_SENDER_TIME) inside the recording;
# plain lines written by a shell to $WATTLOG_MARKER_FD are stamped on
# receipt; a bad line is logged, not recorded; without the recorder the
# helper is a silent no-op.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
DEMO=$B/tests/marker_demo
[ -x "$DEMO" ] || fail "$DEMO not built"

out=$(env -u WATTLOG_MARKER_FD "$DEMO" 2) || fail "marker_demo alone: exit $?"
[ "$out" = "sent 0" ] || fail "marker_demo alone: '$out', want 'sent 0'"

"$REC" -q -o "$T/m.wlog" --sysfs-root "$FSYS" -- "$DEMO" 2 >"$T/out" || fail "record: exit $?"
[ "$(cat "$T/out")" = "sent 6" ] || fail "marker_demo: $(cat "$T/out")"
summary "$T/m.wlog" >"$T/s" || fail "reader failed"
grep '^marker ' "$T/s" | cut -d' ' -f4- >"$T/texts"
printf '%s\n' "begin prefill" "end prefill" "begin request 0" "end request 0" \
	"begin request 1" "end request 1" >"$T/want"
cmp -s "$T/texts" "$T/want" || fail "markers: $(cat "$T/texts")"
# flags 1 = WL_MARKER_SENDER_TIME on every one
[ "$(grep '^marker ' "$T/s" | cut -d' ' -f3 | sort -u)" = 1 ] || fail "flags: $(grep '^marker ' "$T/s")"
start=$(sed -n 's/^meta start_monotonic_ns=//p' "$T/s")
grep '^marker ' "$T/s" | cut -d' ' -f2 >"$T/times"
prev=$start
while read -r t; do
	[ "$t" -ge "$prev" ] || fail "marker at $t before $prev (start $start)"
	prev=$t
done <"$T/times"
# marker_demo sleeps 20 ms between begin and end prefill
t0=$(sed -n 1p "$T/times"); t1=$(sed -n 2p "$T/times")
[ $((t1 - t0)) -ge 20000000 ] || fail "prefill lasted $((t1 - t0)) ns, want >= 20 ms"
# and every marker inside the recording, by the trace's own clock (no bound
# on how long a loaded machine takes over the 20 ms sleep)
end=$(sed -n 's/^meta end_monotonic_ns=//p' "$T/s")
[ "$prev" -le "$end" ] || fail "marker at $prev after the recording's end $end"

# A shell sending plain lines: stamped on receipt (flags 0); a bad line logged.
# The shell notes CLOCK_MONOTONIC just before it writes each marker: a
# receipt stamp is never before its write (and the two writes are >= 100 ms
# apart); how soon after the write the recorder reads it depends on the
# machine's load, so that is not asserted.
"$REC" -q -o "$T/s.wlog" --sysfs-root "$FSYS" -- sh -c '
	mono() { python3 -c "import time; print(time.monotonic_ns())"; }
	mono >"$0.b"; echo "begin shell" >&$WATTLOG_MARKER_FD; sleep 0.1
	echo "@12x oops" >&$WATTLOG_MARKER_FD
	mono >"$0.e"; echo "end shell" >&$WATTLOG_MARKER_FD; sleep 0.05' "$T/w" || fail "shell: exit $?"
summary "$T/s.wlog" >"$T/s2" || fail "reader failed"
[ "$(grep -c '^marker ' "$T/s2")" -eq 2 ] || fail "shell markers: $(grep '^marker' "$T/s2")"
grep -q '^marker [0-9]* 0 begin shell$' "$T/s2" || fail "begin shell: $(grep '^marker' "$T/s2")"
grep -q '^marker [0-9]* 0 end shell$' "$T/s2" || fail "end shell: $(grep '^marker' "$T/s2")"
grep -q "^log 1 marker pipe: bad marker '@12x oops': timestamp is not a number" "$T/s2" ||
	fail "bad line not logged: $(grep '^log' "$T/s2")"
b=$(grep '^marker .* begin shell' "$T/s2" | cut -d' ' -f2)
e=$(grep '^marker .* end shell' "$T/s2" | cut -d' ' -f2)
wb=$(cat "$T/w.b"); we=$(cat "$T/w.e")
[ $((we - wb)) -ge 100000000 ] || fail "the shell's writes $wb .. $we: less than the 100 ms slept"
[ "$b" -ge "$wb" ] && [ "$e" -ge "$we" ] && [ "$e" -gt "$b" ] ||
	fail "receipt stamps $b .. $e before their writes $wb .. $we"
echo ok
