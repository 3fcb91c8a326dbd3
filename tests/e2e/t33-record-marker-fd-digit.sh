#!/bin/sh
# t33-record-marker-fd-digit: WATTLOG_MARKER_FD is a single digit (dash's
# `>&N` takes one), whatever descriptors the recorder inherits, and the
# inherited ones reach the command untouched:
#   1. fd 3 inherited: the README's shell line works in dash;
#   2. fds 3-8 inherited: the marker fd is 9;
#   3. fds 3-9 inherited: none is taken; the marker fd is above 9, one line
#      on stderr says so, and the command runs (bash takes two digits).
# Each case closes the other single-digit fds the test itself inherited
# (land.sh holds its lock on fd 9).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
command -v dash >/dev/null || skip "dash not found"
for i in 3 4 5 6 7 8 9; do echo "keep $i" >"$T/k$i"; done
# the command prints the marker fd and what fds 3-9 hold
SHOW='echo "fd $WATTLOG_MARKER_FD" >"$T/o"; for i in 3 4 5 6 7 8 9; do
	[ "$i" = "$WATTLOG_MARKER_FD" ] || [ ! -e /proc/self/fd/$i ] || head -1 /proc/self/fd/$i >>"$T/o"; done'
export T SHOW

"$REC" -q -o "$T/a.wlog" --sysfs-root "$FSYS" -- dash -c '
	echo "begin dash" >&$WATTLOG_MARKER_FD; eval "$SHOW"' 3<"$T/k3" 4<&- 5<&- 6<&- 7<&- 8<&- 9<&- 2>"$T/err" ||
	fail "fd 3 inherited: exit $?: $(cat "$T/err")"
grep -qx 'fd [3-9]' "$T/o" || fail "fd 3 inherited: marker $(head -1 "$T/o")"
grep -qx 'keep 3' "$T/o" || fail "inherited fd 3 lost: $(cat "$T/o")"
summary "$T/a.wlog" >"$T/s" || fail "reader failed"
grep -q '^marker [0-9]* 0 begin dash$' "$T/s" || fail "dash's marker: $(grep '^marker' "$T/s")"

"$REC" -q -o "$T/b.wlog" --sysfs-root "$FSYS" -- dash -c '
	echo "begin nine" >&$WATTLOG_MARKER_FD; eval "$SHOW"' \
	3<"$T/k3" 4<"$T/k4" 5<"$T/k5" 6<"$T/k6" 7<"$T/k7" 8<"$T/k8" 9<&- 2>"$T/err" ||
	fail "fds 3-8 inherited: exit $?: $(cat "$T/err")"
grep -qx 'fd 9' "$T/o" || fail "fds 3-8 inherited: marker $(head -1 "$T/o"), want 9"
[ "$(grep -c '^keep' "$T/o")" -eq 6 ] || fail "inherited fds lost: $(cat "$T/o")"
summary "$T/b.wlog" >"$T/s" || fail "reader failed"
grep -q '^marker [0-9]* 0 begin nine$' "$T/s" || fail "marker on fd 9: $(grep '^marker' "$T/s")"

"$REC" -q -o "$T/c.wlog" --sysfs-root "$FSYS" -- sh -c 'eval "$SHOW"' \
	3<"$T/k3" 4<"$T/k4" 5<"$T/k5" 6<"$T/k6" 7<"$T/k7" 8<"$T/k8" 9<"$T/k9" 2>"$T/err" ||
	fail "fds 3-9 inherited: exit $?: $(cat "$T/err")"
n=$(sed -n 's/^fd //p' "$T/o")
[ "$n" -gt 9 ] || fail "fds 3-9 inherited: marker fd $n replaced an inherited one"
[ "$(grep -c '^keep' "$T/o")" -eq 7 ] || fail "inherited fds lost: $(cat "$T/o")"
grep -q "descriptors 3-9 are all inherited: WATTLOG_MARKER_FD is $n" "$T/err" ||
	fail "no warning: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line: $(cat "$T/err")"
echo ok
