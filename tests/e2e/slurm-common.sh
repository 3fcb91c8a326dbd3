# slurm-common.sh - sourced by the Slurm end-to-end tests (t80-t8x).
# Starts a real two-node cluster with scripts/slurm-local.sh under a fresh
# temp dir T (with the options in $SLURM_LOCAL_OPTS), and stops it by PID in
# the EXIT trap, also on failure; feeders started with `feed` are stopped the
# same way.  Skips (77) without Slurm, without root, or without python3.
# Sets B, R, T, SLURM_CONF; defines fail, skip, feed NODE WATTS SECONDS,
# wait_job ID SECONDS (polls scontrol: sbatch -W is slow to notice the end).
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
B=$(cd "$B" && pwd)
R=$(cd "$R" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
PATH=$PATH:/usr/sbin
command -v slurmctld >/dev/null 2>&1 || skip "skipped: Slurm is not installed (slurmctld)"
command -v srun >/dev/null 2>&1 || skip "skipped: Slurm client is not installed (srun)"
[ "$(id -u)" = 0 ] || skip "skipped: the local Slurm cluster needs root"
command -v python3 >/dev/null 2>&1 || skip "skipped: python3 not found"
[ -x "$B/wattlog-record" ] && [ -x "$B/wattlog" ] || fail "$B/wattlog-record or wattlog not built"
T=$(mktemp -d /tmp/wl-slurm.XXXXXX)
chmod 755 "$T"
FEEDERS=""
cleanup() {
	for p in $FEEDERS; do kill "$p" 2>/dev/null; done
	sh "$R/scripts/slurm-local.sh" stop "$T/cluster" 2>/dev/null
	for p in $FEEDERS; do wait "$p" 2>/dev/null; done
	[ -n "${WL_KEEP:-}" ] || rm -rf "$T"
}
trap 'st=$?; cleanup; exit $st' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$T/cluster"
out=$(timeout 120 sh "$R/scripts/slurm-local.sh" start ${SLURM_LOCAL_OPTS:-} "$T/cluster") ||
	{ st=$?; [ $st = 77 ] && skip "skipped: $out"; fail "slurm-local.sh start: $st"; }
eval "$out"
export SLURM_CONF
# a feeder of fake pm_counters (tests/e2e/pm_feed.py) for node $1
# (real-time priority where allowed: a feeder delayed by a loaded machine
# writes a late value, which reads as a burst of power)
feed() {
	rt=""
	chrt -f 10 true 2>/dev/null && rt="chrt -f 10"
	$rt python3 "$R/tests/e2e/pm_feed.py" "$T/cluster/pm/$1" "$2" "$3" &
	FEEDERS="$FEEDERS $!"
}
wait_job() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		st=$(scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
		case $st in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) echo "$st"; return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	echo "job $1 still ${st:-unknown} after $2 s"
	return 1
}
