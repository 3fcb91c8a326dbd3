#!/bin/sh
# demo-slurm.sh [BUILD] [OUT] - the demo's two-node part: a short Slurm job on
# a local cluster (scripts/slurm-local.sh, fake pm_counters at 350 W and
# 500 W), recorded with `srun wattlog-record --once-per-node`, then the job
# folder's report (OUT/slurm-job.txt), figures (OUT/slurm/) and merged trace
# (OUT/slurm-job.wlog).  Says it skipped when Slurm is not installed or this
# is not root; exit 0 then.  The cluster is stopped by PID, also on failure.
B=$(cd "${1:-build}" && pwd) || exit 1
OUT=${2:-reports}
R=$(cd "$(dirname "$0")/.." && pwd)
PATH=$PATH:/usr/sbin
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v srun >/dev/null 2>&1; then
	echo "demo: skipped the two-node Slurm job: Slurm is not installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "demo: skipped the two-node Slurm job: the local cluster needs root"
	exit 0
fi
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 1
D=$(mktemp -d /tmp/wl-demo-slurm.XXXXXX)
chmod 755 "$D"
F=""
trap 'for p in $F; do kill $p 2>/dev/null; done; sh "$R/scripts/slurm-local.sh" stop "$D/cluster"; ' EXIT
mkdir "$D/cluster"
out=$(sh "$R/scripts/slurm-local.sh" start --pm-counters "$D/cluster") || {
	echo "demo: the local Slurm cluster did not start"; exit 1; }
eval "$out"
export SLURM_CONF
python3 "$R/tests/e2e/pm_feed.py" "$D/cluster/pm/n1" 350 30 & F="$F $!"
python3 "$R/tests/e2e/pm_feed.py" "$D/cluster/pm/n2" 500 30 & F="$F $!"
sleep 0.5 # the feeders have written their first values
cat >"$D/work.sh" <<'SH'
#!/bin/sh
# a stand-in workload: a "load" and a "compute" phase per rank
python3 -c "import os; os.write(int(os.environ['WATTLOG_MARKER_FD']), b'begin load\n')"
sleep 1
python3 -c "import os; os.write(int(os.environ['WATTLOG_MARKER_FD']), b'end load\nbegin compute\n')"
sleep 3
python3 -c "import os; os.write(int(os.environ['WATTLOG_MARKER_FD']), b'end compute\n')"
SH
chmod 755 "$D/work.sh"
echo "demo: srun -N2 -n4 wattlog-record -o 'traces/%j/%N.wlog' --once-per-node -- work.sh"
(cd "$D" && timeout 60 srun --immediate=10 -N2 -n4 "$B/wattlog-record" -q -i 50ms \
	-o "$D/traces/%j/%N.wlog" --marker-fifo "$D/fifo-%j-%N" --once-per-node -- "$D/work.sh") ||
	{ echo "demo: the Slurm job failed"; exit 1; }
J=$(ls -d "$D"/traces/*)
"$B/wattlog" report "$J" --plots "$OUT/slurm" >"$OUT/slurm-job.txt" || exit 1
"$B/wattlog" merge "$J" -o "$OUT/slurm-job.wlog" --force >/dev/null || exit 1
sed -n '1,/^Imbalance/p' "$OUT/slurm-job.txt"
echo "demo: job report in $OUT/slurm-job.txt, figures in $OUT/slurm/, merged trace $OUT/slurm-job.wlog"
