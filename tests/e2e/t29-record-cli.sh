#!/bin/sh
# t29-record-cli: --list shows each source's channels with units and kinds
# and why a source is unavailable; --help exits 0; bad usage exits 2 with
# one line; --source-interval gives each source its own period (1 s at
# procfs=100ms, rapl=20ms, -i 10ms: ~10 procfs and ~50 powercap samples).
# The binary links libc alone and is < 200 KB stripped (not checked on a
# sanitizer build).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

"$REC" --list --sysfs-root "$FSYS" >"$T/list" || fail "--list: exit $?"
grep -q '^powercap: 8 channels' "$T/list" || fail "--list: $(cat "$T/list")"
[ "$(grep -c '^  package-[01]  *uJ  *counter ' "$T/list")" -eq 2 ] || fail "--list packages: $(cat "$T/list")"
[ "$(grep -c '^  dram  *uJ  *counter  *package-[01]' "$T/list")" -eq 2 ] || fail "--list dram: $(cat "$T/list")"
grep -q '^nvml: unavailable: ' "$T/list" || fail "--list: no reason for nvml: $(cat "$T/list")"
"$REC" --list --verbose --sysfs-root "$FSYS" >"$T/listv" || fail "--list --verbose: exit $?"
grep -q 'wrap=65712999613' "$T/listv" || fail "--verbose: no dram wrap range: $(cat "$T/listv")"
grep -q '^  cost per sample: [0-9.]* us' "$T/listv" || fail "--verbose: no cost: $(cat "$T/listv")"

"$REC" --help >"$T/help" || fail "--help: exit $?"
grep -q '^usage: wattlog-record ' "$T/help" || fail "--help: $(head -1 "$T/help")"
for bad in "-i 10" "--bogus" "--source-interval gpu=1ms" "-d 0s"; do
	# shellcheck disable=SC2086
	"$REC" $bad -o "$T/x.wlog" -- true 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "'$bad': exit $rc, want 2"
	grep -q '^wattlog-record: ' "$T/err" || fail "'$bad': $(cat "$T/err")"
	[ ! -e "$T/x.wlog" ] || fail "'$bad': a trace was created"
done
"$REC" --source-interval gpu=1ms -- true 2>"$T/err"
grep -q "unknown source 'gpu'" "$T/err" || fail "unknown source: $(cat "$T/err")"

"$REC" -q -i 10ms --source-interval procfs=100ms,rapl=20ms -d 1s -o "$T/p.wlog" \
	--sysfs-root "$FSYS" || fail "per-source: exit $?"
summary "$T/p.wlog" >"$T/s" || fail "reader failed"
n=$(val "samples powercap" "$T/s")
[ "$n" -ge 45 ] && [ "$n" -le 51 ] || fail "powercap at 20 ms for 1 s: $n samples, want 50"
n=$(val "samples procfs" "$T/s")
[ "$n" -ge 9 ] && [ "$n" -le 11 ] || fail "procfs at 100 ms for 1 s: $n samples, want 10"
grep -q '^meta procfs.interval_ns=100000000$' "$T/s" || fail "procfs.interval_ns: $(grep interval "$T/s")"
grep -q '^meta powercap.interval_ns=20000000$' "$T/s" || fail "powercap.interval_ns: $(grep interval "$T/s")"

if command -v ldd >/dev/null && command -v strip >/dev/null && ! ldd "$REC" | grep -q 'libasan\|libubsan'; then
	libs=$(ldd "$REC" | awk '{print $1}' | grep -v -e '^linux-vdso' -e '^linux-gate' -e '/ld-linux' -e '^libc\.so')
	[ -z "$libs" ] || fail "links more than libc: $libs"
	strip -o "$T/stripped" "$REC" || fail "strip"
	size=$(wc -c <"$T/stripped")
	[ "$size" -lt 204800 ] || fail "stripped size $size bytes, want < 200 KB"
fi
echo ok
