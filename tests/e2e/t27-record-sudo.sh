#!/bin/sh
# wattlog-test: serial
# t27-record-sudo: under sudo (euid 0 with SUDO_UID/SUDO_GID) the command
# runs as the invoking user, with that user's groups, and the trace file
# belongs to that user (created by it, in a folder it may write: t34).
# Simulated with the uid and gid of `nobody`; needs root.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
[ "$(id -u)" -eq 0 ] || skip "not root: the sudo path needs euid 0"
nu=$(id -u nobody 2>/dev/null) || skip "no user 'nobody'"
ng=$(id -g nobody)
chmod 755 "$T"
mkdir "$T/home"
chown "$nu:$ng" "$T/home"

SUDO_UID=$nu SUDO_GID=$ng "$REC" -q -o "$T/home/s.wlog" --sysfs-root "$FSYS" -- \
	sh -c 'id -u; id -g; id -G' >"$T/ids" || fail "exit $?"
[ "$(sed -n 1p "$T/ids")" = "$nu" ] || fail "command ran as uid $(sed -n 1p "$T/ids"), want $nu"
[ "$(sed -n 2p "$T/ids")" = "$ng" ] || fail "command ran as gid $(sed -n 2p "$T/ids"), want $ng"
for g in $(sed -n 3p "$T/ids"); do
	[ "$g" -ne 0 ] || fail "command kept root's group 0: $(sed -n 3p "$T/ids")"
done
[ "$(stat -c %u:%g "$T/home/s.wlog")" = "$nu:$ng" ] ||
	fail "trace owned by $(stat -c %u:%g "$T/home/s.wlog")"
summary "$T/home/s.wlog" >"$T/s" || fail "reader failed"
grep -q '^samples powercap ' "$T/s" || fail "no samples recorded"

# not under sudo: euid 0 without SUDO_UID keeps root
env -u SUDO_UID -u SUDO_GID "$REC" -q -o "$T/r.wlog" --sysfs-root "$FSYS" -- id -u >"$T/id0" ||
	fail "exit $?"
[ "$(cat "$T/id0")" = 0 ] || fail "without sudo: ran as $(cat "$T/id0")"
echo ok
