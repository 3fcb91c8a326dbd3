#!/bin/sh
# t93-fault-workload: workloads that misbehave, under the real recorder.
#   1. the command ignores SIGTERM: SIGTERM to the recorder is forwarded,
#      ignored, the recording goes on until the command exits (it waits for
#      10 more samples after the signal); its status 3;
#   2. the command forks and exits leaving a child (holding the marker pipe
#      open): the recorder returns the command's 4 while the orphan still
#      lives (it waits for a file the test makes after), not when it ends;
#   3. the command closes its marker fd at once: recording goes on, status 0;
#   4. the command floods markers for 1 s: it is never blocked (the marker
#      fd is non-blocking; its rate is printed, not asserted: a loaded
#      machine decides it), every line it got through is a MARKER record in
#      the trace, and the recorder's peak memory stays under 64 MiB.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
PROC=$R/fixtures/procfs/basic
rec() { timeout 60 "$REC" -q -i 5ms --sysfs-root "$FSYS" --procfs-root "$PROC" "$@"; }

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
# the orphan holds the marker pipe until the test lets it go, after the
# recorder has returned (a file, bounded at 120 s or when the test's folder
# is gone); a recorder that waited for it would be stopped by its timeout (124)
rec -o "$T/fork.wlog" -- sh -c '(i=0; until [ -e "$0.go" ] || [ ! -d "${0%/*}" ] || [ $i -ge 6000 ]; do
	sleep 0.02; i=$((i + 1)); done; echo late >&$WATTLOG_MARKER_FD; : >"$0.done") & exit 4' "$T/orphan"
rc=$?
[ -e "$T/orphan.done" ] && fail "forked child: the orphan ended before the recorder returned"
: >"$T/orphan.go"
[ $rc -eq 4 ] || fail "forked child: exit $rc, want 4 (124: the recorder waited for the orphan)"
summary "$T/fork.wlog" >/dev/null || fail "forked child: reader failed"
echo "orphan left: status 4 while it still held the marker pipe"

# 3. marker fd closed at once
rec --flush-interval 20ms -o "$T/closed.wlog" -- sh -c 'eval "exec $WATTLOG_MARKER_FD>&-"
	exec python3 "$0" "$1" powercap 40 >/dev/null' "$WAIT_TRACE" "$T/closed.wlog" ||
	fail "closed marker fd: exit $? (recording stopped?)"
summary "$T/closed.wlog" >"$T/closed.s" || fail "closed marker fd: reader failed"
[ "$(val "samples powercap" "$T/closed.s")" -ge 40 ] || fail "closed marker fd: recording stopped"
echo "marker fd closed: recorded on"

# 4. a marker flood
cat >"$T/flood.py" <<'PY'
import errno, fcntl, os, sys, time
fd = int(os.environ["WATTLOG_MARKER_FD"])
# what keeps the workload from ever blocking on the pipe
assert fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK, "the marker fd blocks"
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
# how many lines a loaded machine lets the workload try in 1 s is not
# asserted (it was >= 100 000/s); that it never blocks is: the fd is
# non-blocking (asserted in flood.py) and every write returned
rate=$(python3 -c "print(int($tried / $el))")
[ "$tried" -ge 1000 ] || fail "flood: only $tried lines tried"
python3 "$R/scripts/wlog_dump.py" --records "$T/flood.wlog" >"$T/flood.rec" 2>"$T/flood.derr" ||
	fail "flood: reader: $(cat "$T/flood.derr")"
got=$(grep -c 'flood [0-9]' "$T/flood.rec")
[ "$got" -eq "$sent" ] || fail "flood: $sent lines sent, $got MARKER records"
rss=$(tail -1 "$T/flood.rss")
[ "$rss" -le 65536 ] || fail "flood: recorder peak RSS $rss KiB"
echo "flood: $tried lines tried at $rate/s, $sent got through, all $got recorded; recorder peak RSS $rss KiB"
echo ok
