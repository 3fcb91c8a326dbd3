#!/bin/sh
# t36-record-lock: the trace is locked while it is recorded.  A second
# `wattlog-record -f` on the file the first one is writing refuses with one
# line and exit 1, without running its command or touching the file; the
# first run goes on, and its trace reads as one run: one header, its own
# command, its exit status, every marker it sent.  Once the first recorder
# is done, -f overwrites the file again.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
. "$R/tests/e2e/marker-common.sh"
"$REC" -q -o "$T/t.wlog" --flush-interval 10ms --sysfs-root "$FSYS" -- sh -c '
	echo "begin first" >&"$WATTLOG_MARKER_FD"
	echo ready >"$1"; read x <"$2"
	echo "end first" >&"$WATTLOG_MARKER_FD"; exit 5' first "$T/ready" "$T/go" &
pid=$!
await "$T/ready" || fail "the first command never started"
size=$(stat -c %s "$T/t.wlog")
[ "$size" -gt 0 ] || fail "the first trace has no header on disk yet"
"$REC" -q -f -o "$T/t.wlog" --sysfs-root "$FSYS" -- touch "$T/second-ran" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "second recorder: exit $rc, want 1 ($(cat "$T/err"))"
[ "$(cat "$T/err")" = "wattlog-record: refusing to write '$T/t.wlog': another wattlog-record is writing it" ] ||
	fail "second recorder said: $(cat "$T/err")"
[ ! -e "$T/second-ran" ] || fail "the second recorder ran its command"
[ "$(stat -c %s "$T/t.wlog")" -ge "$size" ] || fail "the trace shrank: truncated by the second recorder"
timeout 10 sh -c "echo go >'$T/go'" || fail "the first command is gone"
wait $pid; rc=$?
[ $rc -eq 5 ] || fail "first recorder: exit $rc, want its command's 5"
summary "$T/t.wlog" >"$T/s" || fail "reader failed"
[ "$(val damage "$T/s")" = 0 ] || fail "damaged: $(grep damage "$T/s")"
[ "$(grep -c '^meta command=' "$T/s")" -eq 1 ] || fail "headers: $(grep '^meta command=' "$T/s")"
grep -q '^meta command=sh -c ' "$T/s" || fail "command: $(grep '^meta command=' "$T/s")"
grep -qx 'meta exit_status=5' "$T/s" || fail "exit status: $(grep exit_status "$T/s")"
[ "$(grep '^marker ' "$T/s" | cut -d' ' -f4- | tr '\n' ,)" = "begin first,end first," ] ||
	fail "markers: $(grep '^marker' "$T/s")"
"$REC" -q -f -o "$T/t.wlog" --sysfs-root "$FSYS" -- true || fail "-f once the first is done: exit $?"
summary "$T/t.wlog" >"$T/s2" || fail "reader failed"
grep -qx 'meta command=true' "$T/s2" || fail "not overwritten: $(grep '^meta command=' "$T/s2")"
echo ok
