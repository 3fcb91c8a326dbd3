#!/bin/sh
# t22-record-failures: a file-size limit (`ulimit -f`) reached mid-run: the
# recorder is not killed by SIGXFSZ, prints one line on stderr, stops
# recording, lets the command run to its end and returns its exit status;
# what was written before the limit is still readable.  A source whose
# sample() fails for good is stopped with one line and a LOG record while the
# others go on; a channel lost (sample() returns 1) is a LOG record.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

# 64 blocks of 512 bytes (sh's unit) = 32 KiB: reached in well under a second
# at -i 1ms with 8 powercap channels (~100 bytes a sample) and real procfs.
(
	ulimit -f 64 || exit 99
	exec "$REC" -q -i 1ms --flush-interval 50ms -o "$T/u.wlog" --sysfs-root "$FSYS" -- \
		sh -c 'sleep 1.5; echo done >"$0"; exit 5' "$T/done"
) 2>"$T/err"
rc=$?
[ $rc -ne 99 ] || skip "cannot set ulimit -f"
[ $rc -eq 5 ] || fail "exit $rc, want the command's 5; stderr: $(cat "$T/err")"
[ -f "$T/done" ] || fail "the command did not run to its end"
[ "$(grep -c . "$T/err")" -eq 1 ] || fail "want one line on stderr, got: $(cat "$T/err")"
grep -q 'recording stopped, the command runs on' "$T/err" || fail "stderr: $(cat "$T/err")"
grep -q 'File too large' "$T/err" || fail "stderr does not name the error: $(cat "$T/err")"
size=$(wc -c <"$T/u.wlog")
[ "$size" -le 32768 ] || fail "trace is $size bytes, over the 32768-byte limit"
[ "$size" -ge 16384 ] || fail "trace is only $size bytes"
summary "$T/u.wlog" >"$T/s" || fail "reader failed"
nfs=$(val samples_total "$T/s")
[ "$nfs" -ge 50 ] || fail "only $nfs samples readable before the limit"

# One zone of the fake tree turns to garbage at 0.3 s: a LOG record (level 1),
# every sample still recorded.  Then all zones: powercap stops (one line on
# stderr, a level-2 LOG), procfs goes on for the whole second.
F2=$T/f2
cp -r "$FSYS" "$F2"
P2=$F2/class/powercap
( sleep 0.3; echo garbage >"$P2/intel-rapl:0/energy_uj" ) &
"$REC" -q -d 1s -o "$T/z.wlog" --sysfs-root "$F2" 2>"$T/err1" || fail "one zone lost: exit $?"
wait
[ ! -s "$T/err1" ] || fail "one zone lost: stderr: $(cat "$T/err1")"
summary "$T/z.wlog" >"$T/s1" || fail "reader failed"
grep -q '^log 1 powercap: .*intel-rapl:0' "$T/s1" || fail "no LOG for the lost zone: $(grep '^log' "$T/s1")"
n=$(val "samples powercap" "$T/s1")
[ "$n" -ge 95 ] || fail "one zone lost: $n powercap samples in 1 s, want ~100"
cp -r "$FSYS" "$F2.b"
( sleep 0.3; for z in "$F2.b"/class/powercap/intel-rapl:*/energy_uj; do echo garbage >"$z"; done ) &
"$REC" -q -d 1s -o "$T/y.wlog" --sysfs-root "$F2.b" 2>"$T/err2" || fail "source lost: exit $?"
wait
[ "$(grep -c . "$T/err2")" -eq 1 ] || fail "source lost: want one line, got: $(cat "$T/err2")"
grep -q '^wattlog-record: source powercap stopped: ' "$T/err2" || fail "$(cat "$T/err2")"
summary "$T/y.wlog" >"$T/s2" || fail "reader failed"
grep -q '^log 2 source powercap stopped: ' "$T/s2" || fail "no LOG record: $(grep '^log' "$T/s2")"
n=$(val "samples powercap" "$T/s2")
[ "$n" -ge 20 ] && [ "$n" -le 40 ] || fail "powercap: $n samples, want ~30 before 0.3 s"
n=$(val "samples procfs" "$T/s2")
[ "$n" -ge 95 ] || fail "procfs did not go on: $n samples in 1 s"
echo "ok: $nfs samples in $size bytes before the file-size limit"
