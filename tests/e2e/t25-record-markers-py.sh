#!/bin/sh
# t25-record-markers-py: scripts/wattlog_marker.py (`with marker("prefill")`,
# marker.send) lands in the trace with the sender's time; a no-op when not
# recorded; a flood of markers never blocks the workload and the recorder's
# memory stays bounded (an endless line is cut and logged once).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
PY="python3 -c"
export PYTHONPATH="$R/scripts"

$PY 'from wattlog_marker import marker
with marker("x"): pass
assert marker.send("begin y") is False' || fail "helper without the recorder"

"$REC" -q -o "$T/p.wlog" --sysfs-root "$FSYS" -- python3 -c '
import time
from wattlog_marker import marker
with marker("prefill"):
    time.sleep(0.03)
assert marker.send("begin request 42")
marker.send("end request 42")' || fail "record: exit $?"
summary "$T/p.wlog" >"$T/s" || fail "reader failed"
grep '^marker ' "$T/s" | cut -d' ' -f3- >"$T/got"
printf '%s\n' "1 begin prefill" "1 end prefill" "1 begin request 42" "1 end request 42" >"$T/want"
cmp -s "$T/got" "$T/want" || fail "markers: $(cat "$T/got")"
t0=$(grep '^marker .* begin prefill' "$T/s" | cut -d' ' -f2)
t1=$(grep '^marker .* end prefill' "$T/s" | cut -d' ' -f2)
[ $((t1 - t0)) -ge 30000000 ] || fail "prefill lasted $((t1 - t0)) ns, want >= 30 ms slept"

# Flood: 200 000 markers as fast as Python sends them, then a 20 MB line with
# no newline.  The workload must finish (never block) and every marker the
# helper reports sent must be in the trace; the recorder stays small.
timeout 60 "$REC" -q --stats -o "$T/f.wlog" --sysfs-root "$FSYS" -- python3 -c '
import os, sys
from wattlog_marker import marker
sent = sum(marker.send("begin request %d" % i) for i in range(200000))
fd = int(os.environ["WATTLOG_MARKER_FD"])
for i in range(20):
    try:
        os.write(fd, b"a" * (1 << 20))
    except BlockingIOError:
        pass
open(sys.argv[1], "w").write("%d\n" % sent)' "$T/sent" 2>"$T/stats"; rc=$?
[ $rc -eq 0 ] || fail "flood: exit $rc (124: blocked) $(cat "$T/stats")"
sent=$(cat "$T/sent")
[ "$sent" -gt 0 ] || fail "flood: nothing sent"
summary "$T/f.wlog" >"$T/f" || fail "reader failed on the flood trace"
got=$(grep -c '^marker [0-9]* 1 begin request ' "$T/f")
[ "$got" -eq "$sent" ] || fail "flood: $got markers in the trace, $sent sent"
[ "$(grep -c '^marker [0-9]* 0 aaaa' "$T/f")" -eq 1 ] || fail "the endless line: not cut once"
grep -q '^log 1 marker pipe: marker line longer than 4096 bytes, truncated$' "$T/f" ||
	fail "the endless line was not logged"
rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$T/stats")
[ -n "$rss" ] || fail "no --stats line: $(cat "$T/stats")"
[ "$rss" -lt 16384 ] || fail "recorder grew to $rss kB under the flood"
echo "ok: $sent flood markers, recorder max RSS $rss kB"
