#!/bin/sh
# t11-trace-info: `wattlog info` and `wattlog export` on the known trace of
# tests/helpers/mktrace.c (truth in its top comment): counts, rates, markers,
# exit statuses for clean (0), damaged (1) and unreadable (2) files, --help.
B=${WL_BUILD:-build}
T=$(mktemp -d /tmp/wl-t11.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B/tests/mktrace" "$T/a.wlog" >/dev/null || fail "mktrace"
"$B/wattlog" info "$T/a.wlog" >"$T/out" 2>"$T/err" || fail "info exit $?: $(cat "$T/err")"
# rapl: 2000 samples 1 ms apart -> 1999 intervals over 1.999 s = 1000 Hz;
# nvml: 20 samples 100 ms apart -> 19 / 1.9 s = 10 Hz.
grep -Eq '^  rapl +2000 samples, 1000.000 Hz$' "$T/out" || fail "rapl rate: $(cat "$T/out")"
grep -Eq '^  nvml +20 samples, 10.000 Hz$' "$T/out" || fail "nvml rate"
grep -q '^markers: 4$' "$T/out" || fail "markers"
grep -Eq '^ +0.500000 s  begin prefill$' "$T/out" || fail "marker time"
grep -Eq '^ +1.800000 s  end decode$' "$T/out" || fail "marker time"
grep -q '^log records: 1$' "$T/out" || fail "log records"
grep -q 'warn: nvml: fan speed unavailable' "$T/out" || fail "log text"
grep -q '^  hostname: mkhost$' "$T/out" || fail "metadata"
grep -q '^  gpu0.name: Fake GPU, 80 GB$' "$T/out" || fail "metadata"
grep -q 'version 1.1' "$T/out" || fail "version"
# Samples from 50 us (first nvml) to 2 s (last rapl).
grep -q '^duration: 1.999950 s' "$T/out" || fail "duration"
grep -Eq '^ +1 rapl +package-0 +package-0 +uJ +counter u64  1000000 ' "$T/out" || fail "channel table"
grep -q '^damaged blocks: none$' "$T/out" || fail "damage on a clean trace"

# Damage: cut in the middle of a block -> listed, exit 1.
size=$(wc -c <"$T/a.wlog")
head -c $((size - 7)) "$T/a.wlog" >"$T/cut.wlog"
"$B/wattlog" info "$T/cut.wlog" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] || fail "damaged: exit $rc"
grep -q 'torn tail' "$T/out" || fail "damaged: no torn tail listed"

# Not a trace, missing file: one line on stderr, exit 2.
printf 'hello\n' >"$T/x.bin"
"$B/wattlog" info /nonexistent.wlog >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "missing: exit $rc"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "missing: $(cat "$T/err")"
printf 'WLOG\012\013\014\015\001\000\000\000\000\000\000\000' >"$T/be.wlog"
"$B/wattlog" info "$T/be.wlog" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "big-endian: exit $rc"
grep -q 'big-endian' "$T/err" || fail "big-endian: $(cat "$T/err")"
printf 'WLOG\015\014\013\012\002\000\000\000\000\000\000\000' >"$T/v2.wlog"
"$B/wattlog" info "$T/v2.wlog" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "version 2: exit $rc"
grep -q "unsupported trace version 2.0 in '$T/v2.wlog'" "$T/err" || fail "version 2: $(cat "$T/err")"

# --help on stdout with 0; bad usage on stderr with 2.
for c in info export; do
	"$B/wattlog" $c --help >"$T/out" 2>"$T/err" || fail "$c --help exit $?"
	grep -q "^usage: wattlog $c" "$T/out" || fail "$c --help output"
	"$B/wattlog" $c --bogus >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "$c --bogus exit $rc"
	grep -q "usage: wattlog $c" "$T/err" || fail "$c --bogus: usage not on stderr"
done
"$B/wattlog" export json "$T/a.wlog" >/dev/null 2>&1; [ $? -eq 2 ] || fail "export json accepted"

# export -o writes the same as standard output.
"$B/wattlog" export csv -o "$T/o.csv" "$T/a.wlog" || fail "export -o"
"$B/wattlog" export csv "$T/a.wlog" | cmp - "$T/o.csv" || fail "export -o differs"
echo "ok"
