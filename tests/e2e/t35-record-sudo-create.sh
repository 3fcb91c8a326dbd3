#!/bin/sh
# wattlog-test: serial
# t35-record-sudo-create: under sudo, what the recorder creates is created
# by the invoking user: -o into a root-only folder is refused and nothing is
# made there; in the user's folder the trace and a --marker-fifo belong to
# the user; under Slurm the folders of -o 'traces/%j/%u-%N.wlog' are the
# user's, %u is the user's name, and a folder the user cannot write is
# refused.  Root with SUDO_UID/SUDO_GID of a user made by the test.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
. "$R/tests/e2e/sudo-common.sh"

# a folder only root may write
asuser -o "$T/root-only/x.wlog" -- true 2>"$T/err" && fail "-o in root's folder: exit 0"
grep -q "Permission denied" "$T/err" || fail "-o in root's folder: $(cat "$T/err")"
[ -z "$(ls -A "$T/root-only")" ] || fail "created in root's folder: $(ls -l "$T/root-only")"
asuser -o "$T/home/a.wlog" --marker-fifo "$T/home/mk" -- \
	sh -c 'stat -c %u:%g "$0" >"$1"' "$T/home/mk" "$T/home/fifo-owner" || fail "record: exit $?"
[ "$(stat -c %u:%g "$T/home/a.wlog")" = "$nu:$ng" ] ||
	fail "trace owned by $(stat -c %u:%g "$T/home/a.wlog"), want $nu:$ng"
[ "$(cat "$T/home/fifo-owner")" = "$nu:$ng" ] || fail "FIFO owned by $(cat "$T/home/fifo-owner")"
[ ! -e "$T/home/mk" ] || fail "FIFO left behind"
asuser -o "$T/a2.wlog" --marker-fifo "$T/root-only/mk" -- true 2>"$T/err" &&
	fail "FIFO in root's folder: exit 0"
[ -z "$(ls -A "$T/root-only")" ] || fail "FIFO made in root's folder: $(ls -l "$T/root-only")"

# Slurm folders and %u
SLURM_JOB_ID=4242 SLURMD_NODENAME=n07 asuser -o "$T/home/traces/%j/%u-%N.wlog" -- true ||
	fail "Slurm pattern: exit $?"
[ -f "$T/home/traces/4242/$U-n07.wlog" ] || fail "%u: $(find "$T/home/traces" -type f)"
for d in "$T/home/traces" "$T/home/traces/4242" "$T/home/traces/4242/$U-n07.wlog"; do
	[ "$(stat -c %u:%g "$d")" = "$nu:$ng" ] || fail "$d owned by $(stat -c %u:%g "$d")"
done
SLURM_JOB_ID=4242 SLURMD_NODENAME=n07 asuser -o "$T/root-only/t/%j/%N.wlog" -- true \
	2>"$T/err" && fail "Slurm folders in root's folder: exit 0"
grep -q "cannot create directory '$T/root-only/t'" "$T/err" || fail "$(cat "$T/err")"
[ -z "$(ls -A "$T/root-only")" ] || fail "folder made in root's folder: $(ls -l "$T/root-only")"

echo ok
