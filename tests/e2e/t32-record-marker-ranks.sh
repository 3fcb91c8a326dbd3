#!/bin/sh
# t32-record-marker-ranks: with --once-per-node, local rank 1 runs its
# command directly and sends markers through rank 0's --marker-fifo.  Rank
# 0's recorder exits first (its command done, SIGTERM while it lingers for
# the other ranks, as when its 30 s wait ends); rank 1's command then sends
# more markers with the shell line and the C helper and lives on: status 0,
# not 141 (SIGPIPE).  Its marker sent before is in rank 0's trace.  Slurm
# itself is not needed: the recorder reads its environment
# (SLURM_JOB_ID, SLURM_LOCALID), which the test sets.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
. "$R/tests/e2e/marker-common.sh"
export SLURM_JOB_ID=77 T DEMO
SLURM_LOCALID=0 "$REC" -q --once-per-node --marker-fifo "$T/mk" -o "$T/n.wlog" \
	--sysfs-root "$FSYS" -- sh -c 'trap "" TERM; i=0; while [ ! -s "$T/ready1" ] && [ $i -lt 600 ]; do
		sleep 0.05; i=$((i + 1)); done' &
rank0=$!
SLURM_LOCALID=1 "$REC" -q --once-per-node --marker-fifo "$T/mk" -o "$T/unused.wlog" -- sh -c '
	echo "begin rank1" >&"$WATTLOG_MARKER_FD"
	echo ready >"$T/ready1"
	read x <"$T/go"
	echo "end rank1" >&"$WATTLOG_MARKER_FD"
	"$DEMO" 1 >"$T/demo" || exit 8
	exit 0' &
rank1=$!
await "$T/ready1" || fail "rank 1 never started"
# rank 0's command ignores SIGTERM: its recorder takes it as the order to stop
# once the command has ended, while it lingers for rank 1 (which holds the FIFO)
stop_then_go $rank0 TERM 0
wait $rank1; rc=$?
[ $rc -eq 0 ] || fail "rank 1: exit $rc after rank 0's recorder exited, want 0 (141 = SIGPIPE)"
[ "$(cat "$T/demo")" = "sent 4" ] || fail "rank 1's C helper: $(cat "$T/demo"), want 'sent 4'"
[ ! -e "$T/unused.wlog" ] || fail "rank 1 recorded a trace"
summary "$T/n.wlog" >"$T/s" || fail "reader failed"
grep -q '^marker [0-9]* 0 begin rank1$' "$T/s" || fail "rank 1's marker: $(grep '^marker' "$T/s")"
echo ok
