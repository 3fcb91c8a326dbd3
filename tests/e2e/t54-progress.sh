#!/bin/sh
# t54-progress: --progress on the long commands, one implementation
# (src/cmd/progress.c over the trace walk's hook, walk.h).  With --progress
# (stderr a file here, not a terminal): report (streamed: two passes),
# export, plot and merge print on stderr their step and how much of the
# trace they have read, to 100 % ("pass 2" for the second pass over the same
# file); stdout and the files written are byte for byte those of the run
# without it; without --progress, stderr not a terminal, no progress line.
B=${WL_BUILD:-build}
W=$B/wattlog
T=$(mktemp -d /tmp/wl-t54.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "t54: $*"; exit 1; }
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}
[ -x "$W" ] && [ -x "$B/tests/mkbench_trace" ] || fail "build first: make $W $B/tests/mkbench_trace"
"$B/tests/mkbench_trace" "$T/b.wlog" 20 50 6 >/dev/null || fail "mkbench_trace"

# run NAME CMD...: once with --progress (stderr in NAME.perr), once without
# (NAME.err); stdout in NAME.pout and NAME.out
run() {
	n=$1
	shift
	"$W" "$@" --progress >"$T/$n.pout" 2>"$T/$n.perr" || fail "$n with --progress: $(cat "$T/$n.perr")"
	"$W" "$@" >"$T/$n.out" 2>"$T/$n.err" || fail "$n: $(cat "$T/$n.err")"
	cmp -s "$T/$n.pout" "$T/$n.out" || fail "$n: --progress changed stdout"
	grep -q "^wattlog [a-z]*: \[" "$T/$n.err" && fail "$n: progress without --progress: $(cat "$T/$n.err")"
	return 0
}
has() { grep -qxF "$2" "$T/$1.perr" || fail "$1: no line '$2' in: $(cat "$T/$1.perr")"; }

run report report --stream "$T/b.wlog" -F json -o "$T/r1.json"
mv "$T/r1.json" "$T/rp.json"
"$W" report --stream "$T/b.wlog" -F json -o "$T/r1.json" 2>/dev/null || fail "report"
cmp -s "$T/rp.json" "$T/r1.json" || fail "report: --progress changed the report"
has report "wattlog report: [1/1] $T/b.wlog: reading (two passes)"
has report "wattlog report: [1/1] $T/b.wlog: read 100 %"
has report "wattlog report: [1/1] $T/b.wlog: read 100 %, pass 2"
# the percentages of a pass rise to 100 %
python3 - "$T/report.perr" <<'PY' || fail "report: percentages do not rise"
import re, sys
seen = {}
for line in open(sys.argv[1]):
    m = re.search(r"read (\d+) %(?:, pass (\d))?$", line)
    if m:
        seen.setdefault(m.group(2) or "1", []).append(int(m.group(1)))
assert set(seen) == {"1", "2"}, seen
for p, v in seen.items():
    assert v == sorted(v) and v[-1] == 100, (p, v)
PY

run export export csv "$T/b.wlog"
[ -s "$T/export.out" ] || fail "export wrote nothing"
has export "wattlog export: [1/1] $T/b.wlog: exporting"
has export "wattlog export: [1/1] $T/b.wlog: read 100 %, pass 2"

run plot plot --figure power "$T/b.wlog" -o "$T/p.svg"
has plot "wattlog plot: [1/1] $T/b.wlog: power figure"
has plot "wattlog plot: [1/1] $T/b.wlog: read 100 %"

"$W" merge "$T/b.wlog" -o "$T/m1.wlog" --progress >"$T/merge.pout" 2>"$T/merge.perr" ||
	fail "merge --progress: $(cat "$T/merge.perr")"
"$W" merge "$T/b.wlog" -o "$T/m2.wlog" >"$T/merge.out" 2>"$T/merge.err" || fail "merge"
sed "s|$T/m1.wlog|$T/m2.wlog|g" "$T/merge.pout" | cmp -s - "$T/merge.out" || fail "merge: --progress changed stdout"
cmp -s "$T/m1.wlog" "$T/m2.wlog" || fail "merge: --progress changed the merged trace"
grep -q "^wattlog merge: \[" "$T/merge.err" && fail "merge: progress without --progress"
has merge "wattlog merge: [1/2] reading 1 input"
has merge "wattlog merge: [1/2] $T/b.wlog: read 100 %"
has merge "wattlog merge: [2/2] writing $T/m1.wlog"
echo "t54: ok"
