#!/bin/sh
# t93-fault-workload: workloads that misbehave, under the real recorder.
#   1. the command ignores SIGTERM: SIGTERM to the recorder is forwarded,
#      ignored, the recording goes on until the command exits; its status 3;
#   2. the command forks and exits leaving a child (holding the marker pipe
#      open): the recorder returns the command's 4 at once, not when the
#      orphan ends;
#   3. the command closes its marker fd at once: recording goes on, status 0;
#   4. the command floods markers for 1 s (>= 100 000 lines/s asked): it is
#      never blocked (its rate is measured), every line it got through is a
#      MARKER record in the trace, and the recorder's peak memory stays
#      under 64 MiB.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
PROC=$R/fixtures/procfs/basic
rec() { timeout 20 "$REC" -q -i 5ms --sysfs-root "$FSYS" --procfs-root "$PROC" "$@"; }
now_ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }

# 1. SIGTERM ignored by the command (python: SIGTERM at its default for the recorder)
python3 -c 'import os, signal, sys
signal.signal(signal.SIGTERM, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$REC" -q -i 5ms --sysfs-root "$FSYS" \
	--procfs-root "$PROC" -o "$T/term.wlog" -- sh -c 'trap "" TERM; sleep 0.8; exit 3' &
pid=$!
# SIGTERM once the recorder runs its loop (its first block is on disk: the
# handlers are in place; slower to come under ASan)
k=0
while [ ! -s "$T/term.wlog" ] && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done
sleep 0.1
kill -TERM $pid 2>/dev/null
wait $pid; rc=$?
[ $rc -eq 3 ] || fail "SIGTERM ignored by the command: exit $rc, want 3"
summary "$T/term.wlog" >"$T/term.s" || fail "SIGTERM: reader failed"
span=$(val "span_ns powercap" "$T/term.s")
[ "${span:-0}" -ge 600000000 ] || fail "SIGTERM: recording stopped early (span ${span:-?} ns)"
echo "SIGTERM ignored: status 3, recorded ${span} ns"

# 2. a child left behind, holding the marker pipe
t0=$(now_ms)
rec -o "$T/fork.wlog" -- sh -c '(sleep 3; echo late >&$WATTLOG_MARKER_FD) & sleep 0.2; exit 4'
rc=$?
t1=$(now_ms)
[ $rc -eq 4 ] || fail "forked child: exit $rc, want 4"
[ $((t1 - t0)) -lt 2000 ] || fail "forked child: the recorder took $((t1 - t0)) ms (waited for the orphan?)"
summary "$T/fork.wlog" >/dev/null || fail "forked child: reader failed"
echo "orphan left: status 4 after $((t1 - t0)) ms"

# 3. marker fd closed at once
rec -o "$T/closed.wlog" -- sh -c 'eval "exec $WATTLOG_MARKER_FD>&-"; sleep 0.3' ||
	fail "closed marker fd: exit $?"
summary "$T/closed.wlog" >"$T/closed.s" || fail "closed marker fd: reader failed"
[ "$(val "samples powercap" "$T/closed.s")" -ge 40 ] || fail "closed marker fd: recording stopped"
echo "marker fd closed: recorded on"

# 4. a marker flood
cat >"$T/flood.py" <<'PY'
import errno, os, sys, time
fd = int(os.environ["WATTLOG_MARKER_FD"])
sent = tried = 0
t0 = time.monotonic()
end = t0 + 1.0
while True:
    for _ in range(1000):
        tried += 1
        try:
            os.write(fd, b"flood %d\n" % tried)
            sent += 1
        except BlockingIOError:
            pass
    if time.monotonic() >= end:
        break
el = time.monotonic() - t0
open(sys.argv[1], "w").write("%d %d %.3f\n" % (tried, sent, el))
PY
/usr/bin/time -f '%M' -o "$T/flood.rss" "$REC" -q -i 5ms --sysfs-root "$FSYS" --procfs-root "$PROC" \
	-o "$T/flood.wlog" -- python3 "$T/flood.py" "$T/flood.out" 2>"$T/flood.err" ||
	fail "flood: exit $?: $(cat "$T/flood.err")"
read tried sent el <"$T/flood.out"
rate=$(python3 -c "print(int($tried / $el))")
[ "$rate" -ge 100000 ] || fail "flood: the workload managed $rate lines/s (blocked?), want >= 100000"
python3 "$R/scripts/wlog_dump.py" --records "$T/flood.wlog" >"$T/flood.rec" 2>"$T/flood.derr" ||
	fail "flood: reader: $(cat "$T/flood.derr")"
got=$(grep -c 'flood [0-9]' "$T/flood.rec")
[ "$got" -eq "$sent" ] || fail "flood: $sent lines sent, $got MARKER records"
rss=$(tail -1 "$T/flood.rss")
[ "$rss" -le 65536 ] || fail "flood: recorder peak RSS $rss KiB"
echo "flood: $tried lines tried at $rate/s, $sent got through, all $got recorded; recorder peak RSS $rss KiB"
echo ok
