#!/bin/sh
# t93-fault-workload: workloads that misbehave, under the real recorder.
#   1. the command ignores SIGTERM: SIGTERM to the recorder is forwarded,
#      ignored, the recording goes on until the command exits (it waits for
#      10 more samples after the signal); its status 3;
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
	--procfs-root "$PROC" --flush-interval 20ms -o "$T/term.wlog" -- sh -c '
	trap "" TERM
	python3 "$0" "$1" powercap 5 >/dev/null || exit 9
	: >"$2"
	i=0; until [ -e "$3" ] || [ $i -ge 1500 ]; do sleep 0.02; i=$((i + 1)); done
	python3 "$0" "$1" powercap 10 + >/dev/null || exit 9
	exit 3' "$WAIT_TRACE" "$T/term.wlog" "$T/term.ready" "$T/term.sent" &
pid=$!
# SIGTERM once the recorder runs its loop (samples on disk: the handlers are
# in place) and the command's trap is set; then the command waits for 10
# more samples, which a recording stopped by the signal would never give
wait_for test -e "$T/term.ready" || fail "SIGTERM: the command did not start"
kill -TERM $pid 2>/dev/null
: >"$T/term.sent"
wait $pid; rc=$?
[ $rc -eq 3 ] || fail "SIGTERM ignored by the command: exit $rc, want 3 (9: recording stopped)"
summary "$T/term.wlog" >"$T/term.s" || fail "SIGTERM: reader failed"
echo "SIGTERM ignored: status 3, recorded on"

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
rec --flush-interval 20ms -o "$T/closed.wlog" -- sh -c 'eval "exec $WATTLOG_MARKER_FD>&-"
	exec python3 "$0" "$1" powercap 40 >/dev/null' "$WAIT_TRACE" "$T/closed.wlog" ||
	fail "closed marker fd: exit $? (recording stopped?)"
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
