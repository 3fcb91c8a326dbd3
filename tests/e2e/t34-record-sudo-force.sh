#!/bin/sh
# wattlog-test: serial
# t34-record-sudo-force: under sudo, -f never truncates a file the invoking
# user could not have written: on a root-owned 0600 file it refuses with one
# line, the file untouched (content, owner, mode); on the user's own file it
# overwrites it.  Root with SUDO_UID/SUDO_GID of a user made by the test.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
. "$R/tests/e2e/sudo-common.sh"

echo "root's secret" >"$T/home/root.txt"
chmod 600 "$T/home/root.txt"
asuser -f -o "$T/home/root.txt" -- true 2>"$T/err" && fail "-f on root's 0600 file: exit 0"
grep -q "cannot create '$T/home/root.txt': Permission denied (as uid $nu '$U'" "$T/err" ||
	fail "-f on root's file: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line: $(cat "$T/err")"
[ "$(cat "$T/home/root.txt")" = "root's secret" ] || fail "root's file was overwritten"
[ "$(stat -c %u:%g:%a "$T/home/root.txt")" = "0:0:600" ] ||
	fail "root's file is now $(stat -c %u:%g:%a "$T/home/root.txt")"
echo old >"$T/home/mine.wlog"
chown "$nu:$ng" "$T/home/mine.wlog"
asuser -f -o "$T/home/mine.wlog" -- true || fail "-f on the user's own file: exit $?"
summary "$T/home/mine.wlog" >/dev/null || fail "the user's file was not rewritten as a trace"

echo ok
