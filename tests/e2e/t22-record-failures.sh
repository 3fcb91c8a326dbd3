#!/bin/sh
# t22-record-failures: a file-size limit (`ulimit -f`) reached mid-run: the
# recorder is not killed by SIGXFSZ, prints one line on stderr, stops
# recording, lets the command run to its end and returns its exit status;
# what was written before the limit is still readable.  A source whose
# sample() fails for good is stopped with one line and a LOG record while the
# others go on; a channel lost (sample() returns 1) is a LOG record.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

# 64 blocks of 512 bytes (sh's unit) = 32 KiB: reached soon at -i 1ms with 8
# powercap channels (~100 bytes a sample) and real procfs.  The command runs
# until the recorder has said it stopped (the handshake: its line on stderr),
# then finishes.
(
	ulimit -f 64 || exit 99
	exec "$REC" -q -i 1ms --flush-interval 50ms -o "$T/u.wlog" --sysfs-root "$FSYS" -- \
		sh -c 'i=0; until grep -q "recording stopped" "$1" || [ $i -ge 1500 ]; do
			sleep 0.02; i=$((i + 1)); done
			echo done >"$0"; exit 5' "$T/done" "$T/err"
) 2>"$T/err"
rc=$?
[ $rc -ne 99 ] || skip "cannot set ulimit -f"
[ $rc -eq 5 ] || fail "exit $rc, want the command's 5; stderr: $(cat "$T/err")"
[ -f "$T/done" ] || fail "the command did not run to its end"
[ "$(grep -c . "$T/err")" -eq 1 ] || fail "want one line on stderr, got: $(cat "$T/err")"
grep -q 'recording stopped, the command runs on' "$T/err" || fail "stderr: $(cat "$T/err")"
grep -q 'File too large' "$T/err" || fail "stderr does not name the error: $(cat "$T/err")"
size=$(wc -c <"$T/u.wlog")
[ "$size" -le 32768 ] || fail "trace is $size bytes, over the 32768-byte limit"
[ "$size" -ge 16384 ] || fail "trace is only $size bytes"
summary "$T/u.wlog" >"$T/s" || fail "reader failed"
nfs=$(val samples_total "$T/s")
[ "$nfs" -ge 50 ] || fail "only $nfs samples readable before the limit"

# One zone of the fake tree turns to garbage once 10 powercap samples are in
# the trace: a LOG record (level 1), and powercap goes on (20 more samples).
# Then all zones: powercap stops (one line on stderr, a level-2 LOG), procfs
# goes on (20 more samples while powercap adds at most the one in flight).
# The recorded command does the damage, waiting for the recorder with
# tests/e2e/wait_trace.py.
F2=$T/f2
cp -r "$FSYS" "$F2"
P2=$F2/class/powercap
"$REC" -q --flush-interval 20ms -o "$T/z.wlog" --sysfs-root "$F2" -- sh -c '
	python3 "$0" "$1" powercap 10 >/dev/null || exit 9
	echo garbage >"$2"
	python3 "$0" "$1" powercap 20 + >/dev/null || exit 9' \
	"$WAIT_TRACE" "$T/z.wlog" "$P2/intel-rapl:0/energy_uj" 2>"$T/err1" ||
	fail "one zone lost: exit $? (9: powercap did not go on)"
[ ! -s "$T/err1" ] || fail "one zone lost: stderr: $(cat "$T/err1")"
summary "$T/z.wlog" >"$T/s1" || fail "reader failed"
grep -q '^log 1 powercap: .*intel-rapl:0' "$T/s1" || fail "no LOG for the lost zone: $(grep '^log' "$T/s1")"
cp -r "$FSYS" "$F2.b"
"$REC" -q --flush-interval 20ms -o "$T/y.wlog" --sysfs-root "$F2.b" -- sh -c '
	python3 "$0" "$1" powercap 10 >/dev/null || exit 9
	for z in "$2"/class/powercap/intel-rapl:*/energy_uj; do echo garbage >"$z"; done
	python3 "$0" "$1" procfs 20 + >/dev/null || exit 9' \
	"$WAIT_TRACE" "$T/y.wlog" "$F2.b" 2>"$T/err2" ||
	fail "source lost: exit $? (9: procfs did not go on)"
[ "$(grep -c . "$T/err2")" -eq 1 ] || fail "source lost: want one line, got: $(cat "$T/err2")"
grep -q '^wattlog-record: source powercap stopped: ' "$T/err2" || fail "$(cat "$T/err2")"
summary "$T/y.wlog" >"$T/s2" || fail "reader failed"
grep -q '^log 2 source powercap stopped: ' "$T/s2" || fail "no LOG record: $(grep '^log' "$T/s2")"
# powercap's last sample is followed by at least 10 of procfs
after=$(python3 - "$T/y.wlog" "$R" <<'PY'
import sys
sys.path.insert(0, sys.argv[2] + "/scripts")
import wlog_dump
tr = wlog_dump.Trace(open(sys.argv[1], "rb").read(), sys.argv[1])
last, t = {}, []
for kind, _off, rec in tr.records():
    if kind == 3 and rec["vals"]:
        src = tr.channels[rec["vals"][0][0]]["source"].decode()
        last[src] = rec["t"]
        if src == "procfs":
            t.append(rec["t"])
print(sum(1 for x in t if x > last.get("powercap", 0)))
PY
)
[ "$after" -ge 10 ] || fail "powercap did not stop: procfs took only $after samples after its last"
echo "ok: $nfs samples in $size bytes before the file-size limit"
