#!/bin/sh
# t29-record-cli: --list shows each source's channels with units and kinds
# and why a source is unavailable; --help exits 0; bad usage exits 2 with
# one line; --source-interval gives each source its own period
# (procfs=100ms, rapl=20ms, -i 10ms), judged by the trace's timestamps.
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

# each source on its own period, judged by the trace's own timestamps
# (recorded without a command, so no extra sample at its exit, and stopped
# once the trace holds 10 procfs samples, a handshake): no faster than its
# period (n <= span / period + 2), and sampled at it (some two consecutive
# samples less than 2 periods apart: powercap at procfs' 100 ms or the
# 10 ms default would fail one or the other)
"$REC" -q -i 10ms --source-interval procfs=100ms,rapl=20ms --flush-interval 20ms -o "$T/p.wlog" \
	--sysfs-root "$FSYS" &
pid=$!
wait_trace "$T/p.wlog" procfs 10 || fail "per-source: no 10 procfs samples in 30 s"
kill -TERM $pid
wait $pid || fail "per-source: exit $?"
summary "$T/p.wlog" >"$T/s" || fail "reader failed"
for sp in powercap:20000000 procfs:100000000; do
	src=${sp%%:*} p=${sp#*:}
	n=$(val "samples $src" "$T/s")
	span=$(val "span_ns $src" "$T/s")
	set -- $(val "gap_ns $src" "$T/s")
	[ "${n:-0}" -ge 2 ] && [ "$n" -le $((span / p + 2)) ] ||
		fail "$src at $p ns: $n samples over $span ns, more than the period allows"
	[ "$1" -lt $((2 * p)) ] || fail "$src at $p ns: no two samples closer than $1 ns"
done
[ "$(val "samples procfs" "$T/s")" -ge 10 ] || fail "procfs: fewer than the 10 samples waited for"
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
