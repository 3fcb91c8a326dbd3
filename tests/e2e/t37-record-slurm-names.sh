#!/bin/sh
# t35-record-slurm-names: Slurm values that would lead a pattern out of its
# folder ('/' or '..' in a node name or job id) are refused with one line
# and exit 2, before anything is created; the command does not run.  Slurm
# itself is not needed: the recorder reads its environment, set here.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
mkdir "$T/jobs"
try() { # VAR VALUE PATTERN-OPTIONS...
	var=$1 value=$2
	shift 2
	env SLURM_JOB_ID=31 SLURMD_NODENAME=n1 "$var=$value" "$REC" -q --sysfs-root "$FSYS" "$@" \
		-- touch "$T/ran" 2>"$T/err"
	rc=$?
	[ $rc -eq 2 ] || fail "$var=$value $*: exit $rc, want 2 ($(cat "$T/err"))"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "$var=$value: not one line: $(cat "$T/err")"
	grep -q "a '/' or '..' in a value would write outside the pattern's folder" "$T/err" ||
		fail "$var=$value: $(cat "$T/err")"
	[ ! -e "$T/ran" ] || fail "$var=$value: the command ran"
	[ -z "$(ls -A "$T/jobs")" ] || fail "$var=$value: created $(find "$T/jobs")"
	[ -z "$(find "$T" -maxdepth 1 -name '*.wlog')" ] || fail "$var=$value: wrote $(ls "$T")"
}
try SLURMD_NODENAME ../escaped -o "$T/jobs/%N.wlog"
try SLURMD_NODENAME ../../escaped -o "$T/jobs/%j/%N.wlog"
try SLURM_JOB_ID ../escaped -o "$T/jobs/%j/%N.wlog"
try SLURM_JOB_ID 31/.. -o "$T/jobs/%J.wlog"
try SLURMD_NODENAME ../mk -o "$T/jobs/a.wlog" --marker-fifo "$T/jobs/%N"
[ ! -e "$T/mk" ] || fail "FIFO made outside its folder"
# a plain name still works
SLURM_JOB_ID=31 SLURMD_NODENAME=n1.rack2 "$REC" -q --sysfs-root "$FSYS" -o "$T/jobs/%j/%N.wlog" \
	-- true || fail "plain names: exit $?"
[ -f "$T/jobs/31/n1.rack2.wlog" ] || fail "plain names: $(find "$T/jobs")"
echo ok
