#!/bin/sh
# slurm-local.sh - a real two-node Slurm cluster on this one host, for the
# tests and the demo, from Debian's packages (slurmd slurmctld slurm-client
# munge; with --accounting also slurmdbd mariadb-server).  Root only.
#
#   slurm-local.sh start [--accounting] [--pm-counters] DIR
#       DIR: an empty directory (e.g. from mktemp -d) that holds everything:
#       config, keys, sockets, spool, logs, pid files, the database.
#       Starts munged (as the munge user, its own key and socket),
#       [MariaDB and slurmdbd], slurmctld, and slurmd n1 and n2, all listening
#       on 127.0.0.1 only, on ports picked at random.  --pm-counters starts
#       each slurmd in its own mount namespace where /sys/cray/pm_counters is
#       DIR/pm/NODE (written by the caller: see below), and turns on Slurm's
#       acct_gather_energy/pm_counters plugin.
#       Prints nothing on success but "export SLURM_CONF=DIR/slurm.conf";
#       the caller sets SLURM_CONF so that srun, sbatch, sacct use it.
#   slurm-local.sh stop DIR
#       Stops exactly the processes start recorded in DIR/pids (by PID, never
#       by name), newest first, waits for them, and removes nothing.
#
# Fake pm_counters: before start, the caller may create DIR/pm/n1 and
# DIR/pm/n2 with the files energy, power, freshness, ... (see
# src/record/source/pm_counters.c); start creates them (0 J, 0 W) when absent.
# Exit status: 0 ok, 1 a daemon did not come up (its log is printed), 2 usage,
# 77 Slurm is not installed.
set -eu

usage() {
	echo "usage: slurm-local.sh start [--accounting] [--pm-counters] DIR | stop DIR" >&2
	exit 2
}

[ $# -ge 2 ] || usage
CMD=$1
shift
ACCT=0
PM=0
while [ $# -gt 1 ]; do
	case $1 in
	--accounting) ACCT=1 ;;
	--pm-counters) PM=1 ;;
	*) usage ;;
	esac
	shift
done
D=$1
[ -d "$D" ] || { echo "slurm-local.sh: no directory '$D'" >&2; exit 2; }
D=$(cd "$D" && pwd)

stop() {
	[ -f "$D/pids" ] || return 0
	# newest first: slurmd, slurmctld, slurmdbd, mariadb, munged
	for pid in $(tac "$D/pids"); do
		kill "$pid" 2>/dev/null || true
	done
	i=0
	for pid in $(tac "$D/pids"); do
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null || true
	done
	: >"$D/pids"
}

if [ "$CMD" = stop ]; then
	stop
	exit 0
fi
[ "$CMD" = start ] || usage

for p in slurmctld slurmd munged; do
	command -v $p >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
	command -v $p >/dev/null 2>&1 || { echo "slurm-local.sh: $p is not installed" >&2; exit 77; }
done
if [ $ACCT = 1 ]; then
	for p in slurmdbd mariadbd mariadb-install-db; do
		command -v $p >/dev/null 2>&1 || { echo "slurm-local.sh: $p is not installed" >&2; exit 77; }
	done
fi
[ "$(id -u)" = 0 ] || { echo "slurm-local.sh: needs root (slurmd runs jobs as their users)" >&2; exit 77; }

: >"$D/pids"
trap 'st=$?; [ $st = 0 ] || stop; exit $st' EXIT

# the pid of a daemon from its pid file (waited for up to 30 s: a loaded
# machine starts daemons slowly), recorded for stop
waitpid_file() { # file what log
	i=0
	while [ ! -s "$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	if [ ! -s "$1" ]; then
		echo "slurm-local.sh: $2 did not start; its log:" >&2
		tail -n 20 "$3" >&2 2>/dev/null || true
		exit 1
	fi
	cat "$1" >>"$D/pids"
}

port() { # a free TCP port on 127.0.0.1 (best effort)
	while :; do
		p=$(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000 ))
		if ! (ss -ltn 2>/dev/null | grep -q ":$p "); then
			echo $p
			return
		fi
	done
}
HOST=$(hostname -s)
P_CTL=$(port)
P_N1=$(port)
P_N2=$((P_N1 + 1))
P_DBD=$(port)
P_SQL=$(port)

# --- munge, as the munge user, its own key, socket and pid file
chmod 711 "$D"
runuser -u munge -- test -x "$D" || {
	echo "slurm-local.sh: the munge user cannot reach '$D': make its parent" \
		"directories searchable (chmod o+x), e.g. chmod 755 on a mktemp -d" >&2
	exit 1
}
mkdir -p "$D/munge"
dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 2>/dev/null
chown -R munge:munge "$D/munge"
chmod 700 "$D/munge"
chmod 400 "$D/munge/munge.key"
chmod 711 "$D/munge"
runuser -u munge -- munged --key-file="$D/munge/munge.key" --socket="$D/munge/munge.sock" \
	--pid-file="$D/munge/munged.pid" --log-file="$D/munge/munged.log" \
	--seed-file="$D/munge/munged.seed"
waitpid_file "$D/munge/munged.pid" munged "$D/munge/munged.log"
MUNGE="$D/munge/munge.sock"

mkdir -p "$D/state" "$D/spool" "$D/log" "$D/run"

# --- accounting: MariaDB on 127.0.0.1, then slurmdbd (slurmctld comes after)
if [ $ACCT = 1 ]; then
	mkdir -p "$D/db"
	mariadb-install-db --no-defaults --user=root --datadir="$D/db" \
		--auth-root-authentication-method=normal >"$D/log/mariadb-install.log" 2>&1 || {
		echo "slurm-local.sh: mariadb-install-db failed:" >&2
		tail -n 20 "$D/log/mariadb-install.log" >&2
		exit 1
	}
	mariadbd --no-defaults --user=root --datadir="$D/db" --bind-address=127.0.0.1 \
		--port=$P_SQL --socket="$D/run/mysql.sock" --pid-file="$D/run/mariadb.pid" \
		--skip-grant-tables --log-error="$D/log/mariadb.log" \
		--innodb-buffer-pool-size=16M --innodb-lock-wait-timeout=900 --skip-log-bin \
		--innodb-log-file-size=8M >/dev/null 2>&1 &
	waitpid_file "$D/run/mariadb.pid" mariadbd "$D/log/mariadb.log"
	cat >"$D/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$MUNGE
DbdHost=$HOST
DbdAddr=127.0.0.1
DbdPort=$P_DBD
CommunicationParameters=NoInAddrAny
SlurmUser=root
PidFile=$D/run/slurmdbd.pid
LogFile=$D/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$P_SQL
StorageUser=root
StorageLoc=slurm_acct_db
EOF
	chmod 600 "$D/slurmdbd.conf"
fi

# --- slurm.conf
{
	cat <<EOF
ClusterName=wlocal
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$P_CTL
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE
CredType=cred/munge
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool/%n
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd-%n.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MessageTimeout=20
InactiveLimit=0
KillWait=2
MinJobAge=300
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1,energy=1
EOF
	if [ $PM = 1 ]; then
		echo "AcctGatherEnergyType=acct_gather_energy/pm_counters"
		echo "AcctGatherNodeFreq=1"
	fi
	if [ $ACCT = 1 ]; then
		echo "AccountingStorageType=accounting_storage/slurmdbd"
		echo "AccountingStorageHost=127.0.0.1"
		echo "AccountingStoragePort=$P_DBD"
		echo "AccountingStoragePass=$MUNGE"
	else
		echo "AccountingStorageType=accounting_storage/none"
	fi
	echo "NodeName=n[1-2] NodeHostname=$HOST NodeAddr=127.0.0.1 Port=[$P_N1-$P_N2] CPUs=2 RealMemory=500 State=UNKNOWN"
	echo "PartitionName=debug Nodes=n[1-2] Default=YES MaxTime=INFINITE State=UP"
} >"$D/slurm.conf"
printf 'ConstrainCores=no\n' >"$D/cgroup.conf"
export SLURM_CONF="$D/slurm.conf"

if [ $ACCT = 1 ]; then
	slurmdbd # reads slurmdbd.conf beside $SLURM_CONF
	waitpid_file "$D/run/slurmdbd.pid" slurmdbd "$D/log/slurmdbd.log"
	i=0 # slurmctld must find slurmdbd listening
	while ! (ss -ltn 2>/dev/null | grep -q "127.0.0.1:$P_DBD ") && [ $i -lt 200 ]; do
		kill -0 "$(cat "$D/run/slurmdbd.pid")" 2>/dev/null || i=1000
		sleep 0.1
		i=$((i + 1))
	done
	if ! (ss -ltn 2>/dev/null | grep -q "127.0.0.1:$P_DBD "); then
		echo "slurm-local.sh: slurmdbd is not listening; its log:" >&2
		tail -n 20 "$D/log/slurmdbd.log" >&2
		exit 1
	fi
fi

slurmctld -f "$D/slurm.conf"
waitpid_file "$D/run/slurmctld.pid" slurmctld "$D/log/slurmctld.log"

for n in n1 n2; do
	mkdir -p "$D/spool/$n"
	if [ $PM = 1 ]; then
		P=$D/pm/$n
		mkdir -p "$P"
		for f in energy power freshness generation; do
			[ -f "$P/$f" ] || echo 0 >"$P/$f"
		done
		# a private mount namespace: /sys is a tmpfs holding the real sysfs'
		# entries (bound back) and cray/pm_counters = DIR/pm/NODE
		unshare -m --propagation private sh -c '
			set -e
			mkdir -p "$1/sys.real"
			mount --rbind /sys "$1/sys.real"
			mount -t tmpfs -o size=1m,mode=755 wl-sys /sys
			for e in "$1"/sys.real/*; do
				b=${e##*/}
				mkdir -p "/sys/$b"
				mount --rbind "$e" "/sys/$b"
			done
			mkdir -p /sys/cray/pm_counters
			mount --bind "$2" /sys/cray/pm_counters
			exec slurmd -f "$3" -N "$4"
		' sh "$D/ns-$n" "$P" "$D/slurm.conf" "$n"
	else
		slurmd -f "$D/slurm.conf" -N $n
	fi
	waitpid_file "$D/run/slurmd-$n.pid" "slurmd $n" "$D/log/slurmd-$n.log"
done

# ready when both nodes are idle
i=0
while [ $i -lt 300 ]; do
	st=$(sinfo -h -N -o '%N %T' 2>/dev/null | sort -u | grep -c ' idle$' || true)
	[ "$st" = 2 ] && break
	sleep 0.1
	i=$((i + 1))
done
if [ "$st" != 2 ]; then
	echo "slurm-local.sh: nodes not idle after 30 s:" >&2
	sinfo -N >&2 || true
	tail -n 5 "$D/log/slurmctld.log" "$D/log/slurmd-n1.log" >&2 || true
	exit 1
fi
echo "export SLURM_CONF=$D/slurm.conf"
