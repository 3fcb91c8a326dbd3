#!/bin/sh
# wattlog-test: serial
# t82-slurm-partial.sh - a job folder with one trace cut off by kill -9 (on
# the real local cluster: the workload on n2 kills its recorder once its
# trace holds samples) and one missing node (n1's trace removed): wattlog
# report and merge name both problems, give the partial total, and exit 1.
SLURM_LOCAL_OPTS=--pm-counters
. "${WL_ROOT:-.}/tests/e2e/slurm-common.sh"

feed n1 300 30
feed n2 500 30
cat >"$T/work.sh" <<'SH'
#!/bin/sh
# on the job's second node the workload kills its own recorder once its
# trace holds 5 procfs samples (a handshake, not a fixed 1.2 s)
if [ "$SLURM_NODEID" = 1 ]; then
	python3 "$WL_WAIT_TRACE" "$WL_TRACES/$SLURM_JOB_ID/$SLURMD_NODENAME.wlog" procfs 5 >/dev/null ||
		exit 9
	kill -9 $PPID
fi
sleep 3
SH
export WL_WAIT_TRACE="$R/tests/e2e/wait_trace.py" WL_TRACES="$T/traces"
chmod 755 "$T/work.sh"
cd "$T" || fail "cd"
timeout 60 srun --immediate=10 -N2 -n2 "$B/wattlog-record" -q -i 50ms --flush-interval 100ms \
	-o "$T/traces/%j/%N.wlog" -- "$T/work.sh" 2>"$T/srun.err"
st=$?
[ $st != 0 ] || fail "srun exit 0 although a recorder was killed"
J=$(ls -d "$T"/traces/*) || fail "no job folder"
[ -s "$J/n1.wlog" ] && [ -s "$J/n2.wlog" ] || fail "traces missing: $(ls "$J")"
"$B/wattlog" merge -n "$J" >"$T/full.out" 2>"$T/full.err"
st=$?
[ $st = 1 ] || { cat "$T/full.out" "$T/full.err"; fail "merge of the cut job: exit $st, want 1"; }
grep -q "node n2: cut off" "$T/full.out" || { cat "$T/full.out"; fail "n2 not named cut off"; }
grep -q "node n1:" "$T/full.out" && fail "n1 named although complete"
rm "$J/n1.wlog"
"$B/wattlog" report "$J" >"$T/report" 2>"$T/report.err"
st=$?
[ $st = 1 ] || { cat "$T/report" "$T/report.err"; fail "report exit $st, want 1 (partial)"; }
grep -q "node n1: missing: no trace in the job folder" "$T/report" || { cat "$T/report"; fail "n1 not named missing"; }
grep -q "node n2: cut off" "$T/report" || fail "n2 not named cut off"
grep -q "job total, whole nodes .*PARTIAL" "$T/report" || { cat "$T/report"; fail "total not marked partial"; }
echo "ok: cut-off and missing nodes named, partial total, exit 1"
