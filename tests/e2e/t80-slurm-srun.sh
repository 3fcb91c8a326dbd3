#!/bin/sh
# wattlog-test: serial
# t80-slurm-srun.sh - srun -N2 -n4 wattlog-record --once-per-node on a real
# two-node local cluster: exactly two traces named by node, markers of all
# four ranks in their node's trace, the job's exit status through srun, and
# wattlog report of the job folder naming both nodes and the total.
SLURM_LOCAL_OPTS=--pm-counters
. "${WL_ROOT:-.}/tests/e2e/slurm-common.sh"

feed n1 300 30
feed n2 500 30
cat >"$T/train.sh" <<'SH'
#!/bin/sh
# each rank: two markers through WATTLOG_MARKER_FD, then its exit status
fd=${WATTLOG_MARKER_FD:?no marker fd in rank $SLURM_PROCID}
mark() { python3 -c "import os,sys; os.write($fd, (sys.argv[1] + '\n').encode())" "$1"; }
mark "begin rank$SLURM_PROCID"
sleep 2
mark "end rank$SLURM_PROCID"
case $SLURM_PROCID in 0) exit 20 ;; 3) exit 13 ;; esac
exit 0
SH
chmod 755 "$T/train.sh"
cd "$T" || fail "cd"
timeout 60 srun --immediate=10 -N2 -n4 -o "$T/srun-%t.out" \
	"$B/wattlog-record" -q -i 50ms -o "$T/traces/%j/%N.wlog" \
	--marker-fifo "$T/fifo-%j-%N" --once-per-node -- "$T/train.sh"
st=$?
# srun returns the highest task status: rank 0's 20 came through its recorder
[ $st = 20 ] || { cat "$T"/srun-*.out; fail "srun exit status $st, want 20"; }
set -- "$T"/traces/*
[ $# = 1 ] && [ -d "$1" ] || fail "want one job folder, got: $*"
J=$1
ls "$J" >"$T/ls"
[ "$(cat "$T/ls" | tr '\n' ' ')" = "n1.wlog n2.wlog " ] || fail "traces: $(cat "$T/ls")"
for n in 1 2; do
	"$B/wattlog" info "$J/n$n.wlog" >"$T/info$n" || fail "info n$n"
	grep -q "slurm.node_name: n$n" "$T/info$n" || fail "n$n: no slurm.node_name"
	grep -q "slurm.job_id: ${J##*/}" "$T/info$n" || fail "n$n: no slurm.job_id"
	grep -q "slurm.job_nodelist: n\[1-2\]" "$T/info$n" || fail "n$n: no nodelist"
done
# block distribution: ranks 0,1 on n1 and 2,3 on n2
for r in 0 1; do
	grep -q "begin rank$r" "$T/info1" && grep -q "end rank$r" "$T/info1" || fail "rank $r markers not in n1"
done
for r in 2 3; do
	grep -q "begin rank$r" "$T/info2" && grep -q "end rank$r" "$T/info2" || fail "rank $r markers not in n2"
done
grep -q "rank[23]" "$T/info1" && fail "n2's markers in n1's trace"
"$B/wattlog" report "$J" >"$T/report" 2>"$T/report.err"
st=$?
[ $st = 0 ] || { cat "$T/report.err"; fail "report exit $st"; }
grep -q "^  n1 " "$T/report" && grep -q "^  n2 " "$T/report" || fail "report lacks a node"
grep -q "job total, whole nodes" "$T/report" || { cat "$T/report"; fail "report lacks the total"; }
echo "ok: two traces, markers of 4 ranks, exit 20 through srun, report of the folder"
