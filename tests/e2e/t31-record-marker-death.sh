#!/bin/sh
# t31-record-marker-death: the marker channel can neither kill nor block the
# workload once the recorder is gone.  The recorder is killed (SIGKILL) while
# its command waits; the command then sends markers with the C helper
# (include/wattlog/marker.h), the shell line of the README and the Python
# helper: none dies of SIGPIPE (status 141 before).  It then fills the pipe
# nobody drains: the writes fail (EAGAIN) at once, within the pipe's 1 MiB,
# and the helpers return with the marker dropped, never blocked.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
. "$R/tests/e2e/marker-common.sh"
cat >"$T/work.sh" <<'SH'
echo ready >"$T/ready"
read x <"$T/go"
"$DEMO" 1 >"$T/demo1"; echo "c=$?" >>"$T/res"
( echo "begin shell" >&"$WATTLOG_MARKER_FD" ); echo "sh=$?" >>"$T/res"
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import wattlog_marker as m
sys.exit(0 if m.send("begin python") else 3)' "$R/scripts"; echo "py=$?" >>"$T/res"
# fill the pipe: at most 4 MiB tried; "full N" = bytes it took before EAGAIN
python3 -c 'import os
fd, n = int(os.environ["WATTLOG_MARKER_FD"]), 0
try:
    while n < 4 << 20:
        n += os.write(fd, b"x" * 4095 + b"\n")
    print("never full", n)
except BlockingIOError:
    print("full", n)' >>"$T/res"
"$DEMO" 1 >"$T/demo2"; echo "cfull=$?" >>"$T/res"
( echo "end shell" >&"$WATTLOG_MARKER_FD" ) 2>/dev/null; echo "shfull=$?" >>"$T/res"
echo done >>"$T/res"
SH
T=$T DEMO=$DEMO R=$R "$REC" -q -o "$T/a.wlog" --flush-interval 10ms --sysfs-root "$FSYS" -- \
	sh "$T/work.sh" &
pid=$!
await "$T/ready" || fail "the command never started"
stop_then_go $pid KILL 137
i=0
while ! grep -q '^done' "$T/res" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
grep -q '^done' "$T/res" || fail "the command did not finish (blocked?): $(cat "$T/res" 2>/dev/null)"
grep -qx 'c=0' "$T/res" || fail "C helper after the recorder died: $(cat "$T/res")"
[ "$(cat "$T/demo1")" = "sent 4" ] || fail "C helper: $(cat "$T/demo1"), want 'sent 4' (the pipe had room)"
grep -qx 'sh=0' "$T/res" || fail "shell line after the recorder died: $(cat "$T/res")"
grep -qx 'py=0' "$T/res" || fail "Python helper after the recorder died: $(cat "$T/res")"
full=$(sed -n 's/^full //p' "$T/res")
[ -n "$full" ] || fail "the pipe never filled: $(cat "$T/res")"
# the pipe holds 1 MiB (64 KiB when the system refuses more), 4 markers and 2 lines before
[ "$full" -le 1048576 ] || fail "pipe took $full bytes, more than its 1 MiB"
grep -qx 'cfull=0' "$T/res" || fail "C helper on a full pipe: $(cat "$T/res")"
[ "$(cat "$T/demo2")" = "sent 0" ] || fail "C helper on a full pipe: $(cat "$T/demo2"), want 'sent 0'"
shfull=$(sed -n 's/^shfull=//p' "$T/res")
[ "$shfull" -ne 141 ] || fail "shell line on a full pipe died of SIGPIPE"
echo "after SIGKILL: C, shell and Python markers sent; pipe full after $full bytes, then" \
	"dropped (C 'sent 0', shell status $shfull)"
echo ok
