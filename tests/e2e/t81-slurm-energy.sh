#!/bin/sh
# wattlog-test: serial
# t81-slurm-energy.sh - an sbatch job on the local cluster with accounting
# (slurmdbd + MariaDB) and fake pm_counters fed at 400 W on n1 and 700 W on
# n2: each node's energy from wattlog equals its counter difference over the
# trace's window (0.1 %), and the job total agrees with sacct's
# ConsumedEnergyRaw within what the windows' difference explains
# (tests/e2e/slurm_energy_check.py prints both windows).
SLURM_LOCAL_OPTS="--accounting --pm-counters"
. "${WL_ROOT:-.}/tests/e2e/slurm-common.sh"

feed n1 400 60
feed n2 700 60
# the feeders have written their first values (freshness 1 or more), so no
# recorder reads the placeholder 0 J (a handshake: 0.5 s slept before)
for n in n1 n2; do
	i=0
	until grep -q '^[1-9]' "$T/cluster/pm/$n/freshness" 2>/dev/null; do
		i=$((i + 1)); [ $i -le 1500 ] || fail "feeder of $n wrote nothing in 30 s"
		sleep 0.02
	done
done
cat >"$T/job.sh" <<SH
#!/bin/sh
#SBATCH -N2 --ntasks-per-node=1 -o $T/job.out
srun $B/wattlog-record -q -i 200ms --source-interval pm_counters=2ms \
	-o "$T/traces/%j/%N.wlog" -- sleep 8
SH
cd "$T" || fail "cd"
id=$(sbatch --parsable "$T/job.sh") || fail "sbatch"
st=$(wait_job "$id" 60) || fail "$st"
[ "$st" = COMPLETED ] || { cat "$T/job.out"; fail "job $id $st"; }
i=0
line=""
while [ $i -lt 100 ]; do # slurmctld hands the step to slurmdbd shortly after
	line=$(sacct -n -P -j "$id.0" -o ConsumedEnergyRaw,Start,End 2>/dev/null | head -1)
	case $line in [0-9]*\|*T*\|*T*) break ;; esac
	sleep 0.2
	i=$((i + 1))
done
case $line in [0-9]*) ;; *) fail "no energy in sacct for step $id.0: '$line'" ;; esac
"$B/wattlog" merge -n "$T/traces/$id" >"$T/merge.out" 2>"$T/merge.err" ||
	{ cat "$T/merge.err"; fail "merge exit $?"; }
cat "$T/merge.out"
python3 "$R/tests/e2e/slurm_energy_check.py" "$T/traces/$id" "$T/merge.out" "$line" \
	n1=400 n2=700 || fail "energy check"
# nodes with whole-node (pm_counters) power only still get their figure;
# under ASan, fontconfig's font caches (kept until exit) are not our leak
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}
"$B/wattlog" report "$T/traces/$id" --plots "$T/plots" >/dev/null 2>"$T/plots.err" ||
	{ cat "$T/plots.err"; fail "report --plots of the job folder"; }
for f in nodes.png nodes.pdf nodes_stacked.png nodes_stacked.pdf; do
	[ -s "$T/plots/$f" ] || fail "no $f: $(cat "$T/plots.err")"
done
echo "ok: per-node energy = counter difference; total agrees with sacct"
