#!/bin/sh
# t26-record-fifo: --marker-fifo PATH is created when absent, read while
# recording without a command, survives writers coming and going, and is
# removed at exit when the recorder made it; a path that is not a FIFO is
# refused.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

"$REC" -q --flush-interval 20ms --marker-fifo "$T/mk" -o "$T/f.wlog" --sysfs-root "$FSYS" &
pid=$!
wait_for test -p "$T/mk" || fail "FIFO not created"
echo "begin phase one" >"$T/mk"
echo "end phase one" >"$T/mk"
echo "@1 begin early" >"$T/mk"
# the recorder stops (SIGTERM) once the three markers are in the trace
wait_for sh -c 'python3 "$0" "$1" | grep -c "^marker " | grep -qx 3' \
	"$R/tests/e2e/record_summary.py" "$T/f.wlog" || fail "the markers never reached the trace"
kill -TERM $pid
wait $pid; rc=$?
[ $rc -eq 0 ] || fail "exit $rc"
[ ! -e "$T/mk" ] || fail "FIFO left behind"
summary "$T/f.wlog" >"$T/s" || fail "reader failed"
[ "$(grep -c '^marker ' "$T/s")" -eq 3 ] || fail "markers: $(grep '^marker' "$T/s")"
grep -q '^marker [0-9]* 0 begin phase one$' "$T/s" || fail "begin: $(grep '^marker' "$T/s")"
grep -q '^marker [0-9]* 0 end phase one$' "$T/s" || fail "end: $(grep '^marker' "$T/s")"
# "@1": the sender's stamp is kept even though it is before the start
grep -q '^marker 1 1 begin early$' "$T/s" || fail "@1: $(grep '^marker' "$T/s")"
n=$(val "samples powercap" "$T/s")
[ "${n:-0}" -ge 1 ] || fail "no powercap samples"

touch "$T/plain"
"$REC" -q -d 100ms --marker-fifo "$T/plain" -o "$T/g.wlog" --sysfs-root "$FSYS" 2>"$T/err" &&
	fail "a regular file taken as the FIFO"
grep -q "it exists and is not a FIFO" "$T/err" || fail "$(cat "$T/err")"
echo ok
