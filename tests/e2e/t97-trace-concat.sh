#!/bin/sh
# t97-trace-concat: two traces concatenated (`cat a.wlog b.wlog`) are two
# runs, never merged into one (issue 17, item 10): every command that reads
# the file refuses it with one line naming the offset of the second file
# header (the size of a.wlog, counted here by wc), exit 2; the same when the
# first trace is cut mid-block before the second begins (the header then
# lies inside the skipped bytes); each trace alone still reads.  The
# independent reader scripts/wlog_dump.py refuses it the same way.
B=$(cd "${WL_BUILD:-build}" && pwd)
W=$B/wattlog
R=${WL_ROOT:-$(pwd)}
T=$(mktemp -d /tmp/wl-t97.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$W" ] || fail "$W not built"
[ -x "$B/tests/mktrace" ] || fail "$B/tests/mktrace not built"
cd "$T" || exit 1
"$B/tests/mktrace" a.wlog 4096 >/dev/null || fail "mktrace a"
"$B/tests/mktrace" b.wlog >/dev/null || fail "mktrace b"
cat a.wlog b.wlog >c.wlog
size=$(wc -c <a.wlog)
head -c $((size - 1000)) a.wlog >torn.wlog
cat torn.wlog b.wlog >d.wlog

"$W" report a.wlog >/dev/null 2>err || fail "a.wlog alone: $(cat err)"
"$W" report b.wlog >/dev/null 2>err || fail "b.wlog alone: $(cat err)"

check() { # FILE OFFSET CMD...: exit 2 and the one line
	f=$1 off=$2
	shift 2
	"$W" "$@" "$f" >out 2>err
	rc=$?
	want="wattlog $1: '$f' offset $off: a second trace header: two traces concatenated are not one run (split the file at this offset)"
	[ $rc -eq 2 ] || fail "$* $f: exit $rc, want 2; stderr: $(cat err)"
	[ "$(wc -l <err)" -eq 1 ] && [ "$(cat err)" = "$want" ] ||
		fail "$* $f: stderr '$(cat err)', want '$want'"
}
check c.wlog "$size" report
check c.wlog "$size" report --stream
check c.wlog "$size" info
check c.wlog "$size" phases
check c.wlog "$size" export csv
check d.wlog $((size - 1000)) report
check d.wlog $((size - 1000)) info
# the independent reader of the format says the same
python3 "$R/scripts/wlog_dump.py" c.wlog >out 2>err
rc=$?
want="wlog_dump: 'c.wlog' offset $size: a second trace header: two traces concatenated are not one run (split the file at this offset)"
[ $rc -eq 2 ] && [ "$(cat err)" = "$want" ] || fail "wlog_dump c.wlog: exit $rc, stderr '$(cat err)'"
echo "ok: concatenated traces refused at the second header by report, info, phases, export"
