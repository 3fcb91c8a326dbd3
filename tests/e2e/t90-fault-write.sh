#!/bin/sh
# t90-fault-write: write() to the trace misbehaving, through the LD_PRELOAD
# shim tests/shims/faultwrite.c (only fds open on *.wlog are touched):
#   - EINTR on every other call, short writes (half) on every third: the
#     writer retries, the trace is clean and holds every sample reported;
#   - a disk that fills mid-run (half a block written, then ENOSPC), a single
#     ENOSPC, an EIO: one line on stderr, recording stops, the command runs
#     to its end and its status (7) is returned, the trace reads to its last
#     whole block (a torn tail at most) with exactly the samples reported on
#     --stats-fd;
#   - a real full disk: a 96 KiB tmpfs (in a user+mount namespace; skipped
#     where unshare is not allowed), same expectations; the command runs
#     until the recorder has said the disk is full (its line on stderr, at
#     most 30 s), not a fixed 0.2 s after the file reached 90 000 bytes.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
SHIM=$B/tests/faultwrite.so
[ -f "$SHIM" ] || fail "$SHIM not built"
PROC=$R/fixtures/procfs/basic
# Under ASan (make SANITIZE=...) its runtime must come first in the preload
# list; the workload is started through env -u LD_PRELOAD so that the
# uninstrumented sh neither loads it nor runs its leak check.
PRE=$SHIM
asan=$(ldd "$REC" 2>/dev/null | awk '/libasan/ { print $3 }')
[ -n "$asan" ] && PRE="$asan $SHIM"

# check TRACE STATS CLEAN: prints the samples read; fails on damage other
# than a torn tail (any damage when CLEAN=1) or a count that is not the last
# one reported on the stats fd.
check() {
	python3 - "$R" "$1" "$2" "$3" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "scripts"))
import wlog_dump
data = open(sys.argv[2], "rb").read()
tr = wlog_dump.Trace(data, sys.argv[2])
n = sum(1 for k, _, _ in tr.records() if k == wlog_dump.REC_SAMPLE)
S = 0
for l in open(sys.argv[3]).read().split("\n"):
    if l.startswith("flushed "):
        S = int(l.split("samples=")[1])
for off, length, what in tr.damage:
    if sys.argv[4] == "1" or not what.startswith("torn tail"):
        print("FAIL: damage %r at %d" % (what, off)); sys.exit(1)
if n != S:
    print("FAIL: %d samples read, %d reported written" % (n, S)); sys.exit(1)
print(n)
PY
}

# run NAME MODE N EVERY FILE REGEX: records, under the shim, a command that
# runs until FILE matches REGEX (its handshake with the recorder: the
# --stats-fd lines or stderr; at most 30 s), then exits 7
run() {
	WL_FAULT_MATCH=.wlog WL_FAULT_MODE=$2 WL_FAULT_N=$3 WL_FAULT_EVERY=$4 \
	WL_FAULT_LOG=$T/$1.faults LD_PRELOAD=$PRE \
		"$REC" -q -i 1ms --flush-interval 10ms --sysfs-root "$FSYS" --procfs-root "$PROC" \
		-o "$T/$1.wlog" --stats-fd 3 -- env -u LD_PRELOAD \
		sh -c 'i=0; until grep -Eq "$2" "$1" || [ $i -ge 1500 ]; do sleep 0.02; i=$((i + 1)); done
			echo done >"$0"; exit 7' \
		"$T/$1.done" "$5" "$6" 3>"$T/$1.stats" 2>"$T/$1.err"
}

# 1. retried faults: a clean trace, nothing on stderr
for m in "eintr 3 2" "short 2 3"; do
	set -- $m
	run "$1" "$1" "$2" "$3" "$T/$1.stats" 'samples=([3-9][0-9]{2}|[0-9]{4,})$'; rc=$?
	[ $rc -eq 7 ] || fail "$1: exit $rc, want 7: $(cat "$T/$1.err")"
	[ ! -s "$T/$1.err" ] || fail "$1: stderr: $(cat "$T/$1.err")"
	nf=$(grep -c . "$T/$1.faults") || fail "$1: no fault injected"
	[ "$nf" -ge 5 ] || fail "$1: only $nf faults injected"
	n=$(check "$T/$1.wlog" "$T/$1.stats" 1) || fail "$1: $n"
	[ "$n" -ge 300 ] || fail "$1: only $n samples"
	echo "$1: $nf faults, $n samples, clean"
done

# 2. lasting failures: recording stops, the command goes on
for m in "halfnospc 6 0 No space left" "enospc 6 0 No space left" "eio 6 0 Input/output error"; do
	set -- $m
	name=$1 why="$4 $5 $6"
	why=${why% }
	run "$name" "$1" "$2" "$3" "$T/$name.err" .; rc=$?
	[ $rc -eq 7 ] || fail "$name: exit $rc, want the command's 7: $(cat "$T/$name.err")"
	[ -f "$T/$name.done" ] || fail "$name: the command did not run to its end"
	[ "$(grep -c . "$T/$name.err")" -eq 1 ] || fail "$name: want one line on stderr: $(cat "$T/$name.err")"
	grep -q "$why" "$T/$name.err" || fail "$name: stderr does not say '$why': $(cat "$T/$name.err")"
	n=$(check "$T/$name.wlog" "$T/$name.stats" 0) || fail "$name: $n"
	[ "$n" -gt 0 ] || fail "$name: nothing readable"
	if [ -x "$B/wattlog" ]; then
		"$B/wattlog" export csv "$T/$name.wlog" -o "$T/$name.csv" 2>"$T/$name.rerr"; rc=$?
		[ $rc -le 1 ] || fail "$name: wattlog export: exit $rc: $(cat "$T/$name.rerr")"
		c=$(($(wc -l <"$T/$name.csv") - 1))
		[ "$c" -eq "$n" ] || fail "$name: C reader $c samples, python $n"
	fi
	echo "$name: stopped with '$(cat "$T/$name.err")', $n samples readable"
done

# 3. a real full disk: 96 KiB of tmpfs
if unshare -rm true 2>/dev/null; then
	mkdir -p "$T/mnt"
	unshare -rm sh -c '
		mount -t tmpfs -o size=96k none "$1" || exit 99
		"$2" -q -i 1ms --flush-interval 10ms --sysfs-root "$3" --procfs-root "$4" \
			-o "$1/full.wlog" --stats-fd 3 -- sh -c "
				i=0
				until grep -q \"No space left\" \"\$0\" || [ \$i -ge 1500 ]; do
					sleep 0.02; i=\$((i + 1))
				done
				exit 7" "$5/full.err" 3>"$5/full.stats" 2>"$5/full.err"
		rc=$?
		cp "$1/full.wlog" "$5/full.wlog"
		exit $rc' sh "$T/mnt" "$REC" "$FSYS" "$PROC" "$T"
	rc=$?
	if [ $rc -eq 99 ]; then
		echo "tmpfs: cannot mount, skipped"
	else
		[ $rc -eq 7 ] || fail "tmpfs: exit $rc, want 7: $(cat "$T/full.err")"
		grep -q 'No space left on device' "$T/full.err" || fail "tmpfs: stderr: $(cat "$T/full.err")"
		n=$(check "$T/full.wlog" "$T/full.stats" 0) || fail "tmpfs: $n"
		size=$(wc -c <"$T/full.wlog")
		[ "$size" -le 98304 ] && [ "$n" -gt 100 ] || fail "tmpfs: $size bytes, $n samples"
		echo "tmpfs full: $n samples readable in $size bytes"
	fi
else
	echo "tmpfs: unshare not allowed here, skipped"
fi
echo "ok"
