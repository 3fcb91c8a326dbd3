#!/bin/sh
# t26-record-fifo: --marker-fifo PATH is created when absent, read while
# recording without a command (--duration), survives writers coming and
# going, and is removed at exit when the recorder made it; a path that is
# not a FIFO is refused.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

"$REC" -q -d 1500ms --marker-fifo "$T/mk" -o "$T/f.wlog" --sysfs-root "$FSYS" &
pid=$!
i=0
while [ ! -p "$T/mk" ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
[ -p "$T/mk" ] || fail "FIFO not created"
echo "begin phase one" >"$T/mk"
sleep 0.2
echo "end phase one" >"$T/mk"
echo "@1 begin early" >"$T/mk"
wait $pid; rc=$?
[ $rc -eq 0 ] || fail "exit $rc"
[ ! -e "$T/mk" ] || fail "FIFO left behind"
summary "$T/f.wlog" >"$T/s" || fail "reader failed"
[ "$(grep -c '^marker ' "$T/s")" -eq 3 ] || fail "markers: $(grep '^marker' "$T/s")"
grep -q '^marker [0-9]* 0 begin phase one$' "$T/s" || fail "begin: $(grep '^marker' "$T/s")"
grep -q '^marker [0-9]* 0 end phase one$' "$T/s" || fail "end: $(grep '^marker' "$T/s")"
# "@1": the sender's stamp is kept even though it is before the start
grep -q '^marker 1 1 begin early$' "$T/s" || fail "@1: $(grep '^marker' "$T/s")"
# --duration 1.5 s at 10 ms: ~150 powercap samples
n=$(val "samples powercap" "$T/s")
[ "$n" -ge 120 ] && [ "$n" -le 160 ] || fail "$n powercap samples in 1.5 s at 10 ms"

touch "$T/plain"
"$REC" -q -d 100ms --marker-fifo "$T/plain" -o "$T/g.wlog" --sysfs-root "$FSYS" 2>"$T/err" &&
	fail "a regular file taken as the FIFO"
grep -q "it exists and is not a FIFO" "$T/err" || fail "$(cat "$T/err")"
echo ok
