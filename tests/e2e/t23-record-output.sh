#!/bin/sh
# t23-record-output: -o refuses to overwrite without -f, never writes
# through a symbolic link (even with -f), and refuses a FIFO or a directory
# without blocking; the command is not run when the output is refused.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

rec() { timeout 30 "$REC" -q --sysfs-root "$FSYS" "$@"; }

echo keep >"$T/exists.wlog"
rec -o "$T/exists.wlog" -- touch "$T/ran" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] || fail "existing file without -f: exit $rc"
grep -q "refusing to overwrite '$T/exists.wlog': it exists (use -f)" "$T/err" || fail "$(cat "$T/err")"
[ "$(cat "$T/exists.wlog")" = keep ] || fail "existing file changed"
[ ! -e "$T/ran" ] || fail "the command ran although the output was refused"

rec -f -o "$T/exists.wlog" -- true || fail "-f: exit $?"
[ "$(head -c 4 "$T/exists.wlog")" = WLOG ] || fail "-f did not replace the file with a trace"

echo target >"$T/target"
ln -s "$T/target" "$T/link.wlog"
for f in "" -f; do
	rec $f -o "$T/link.wlog" -- true 2>"$T/err"; rc=$?
	[ $rc -eq 1 ] || fail "symlink ($f): exit $rc"
	grep -q "it is a symbolic link" "$T/err" || fail "symlink ($f): $(cat "$T/err")"
	[ "$(cat "$T/target")" = target ] || fail "symlink ($f): target written"
done
ln -s "$T/nowhere" "$T/dangling.wlog"
rec -f -o "$T/dangling.wlog" -- true 2>"$T/err" && fail "dangling symlink accepted"
[ ! -e "$T/nowhere" ] || fail "dangling symlink followed"

mkfifo "$T/fifo.wlog"
for f in "" -f; do
	rec $f -o "$T/fifo.wlog" -- true 2>"$T/err"; rc=$?
	[ $rc -eq 1 ] || fail "FIFO ($f): exit $rc (124 = blocked)"
	grep -q "it is a FIFO" "$T/err" || fail "FIFO ($f): $(cat "$T/err")"
done
# a FIFO with a reader: open succeeds, fstat refuses it (the reader says it
# holds the FIFO open by creating a file)
python3 -c 'import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
open(sys.argv[2], "w").close()
time.sleep(60)' "$T/fifo.wlog" "$T/fifo.ready" &
reader=$!
wait_for test -e "$T/fifo.ready" || fail "the FIFO's reader did not start"
rec -f -o "$T/fifo.wlog" -- true 2>"$T/err"; rc=$?
kill $reader 2>/dev/null
[ $rc -eq 1 ] || fail "FIFO with a reader: exit $rc"
grep -q "it is a FIFO" "$T/err" || fail "FIFO with a reader: $(cat "$T/err")"

mkdir "$T/dir.wlog"
for f in "" -f; do
	rec $f -o "$T/dir.wlog" -- true 2>"$T/err"; rc=$?
	[ $rc -eq 1 ] || fail "directory ($f): exit $rc"
	grep -q "it is a directory" "$T/err" || fail "directory ($f): $(cat "$T/err")"
done
echo ok
