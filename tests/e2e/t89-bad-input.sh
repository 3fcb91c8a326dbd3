#!/bin/sh
# t89-bad-input: every row of the README's "Bad input" table, through
# `wattlog report FILE`: the exit status and the one line the user sees (on
# stderr for a refusal; in the report's warnings for a damaged trace that
# is still read).  Files are made here; the "10 GB line" is 10 GiB of digits
# without a newline streamed through a FIFO (no disk, and it proves the
# reader stops at its line limit instead of reading it all), and the 10 GiB
# sparse file costs no disk either.
B=$(cd "${WL_BUILD:-build}" && pwd)
W=$B/wattlog
T=$(mktemp -d /tmp/wl-bad.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$W" ] || fail "$W not built"
[ -x "$B/tests/mktrace" ] || fail "$B/tests/mktrace not built"
cd "$T" || exit 1

"$B/tests/mktrace" good.wlog 4096 >/dev/null || fail "mktrace"
size=$(wc -c <good.wlog)
head -c $((size - 1000)) good.wlog >truncated.wlog
python3 -c '
d = bytearray(open("good.wlog", "rb").read())
d[5000] ^= 0xFF
open("flipped.wlog", "wb").write(d)
d = bytearray(open("good.wlog", "rb").read())
d[0:4] = b"XLOG"
open("magic.wlog", "wb").write(d)
d = bytearray(open("good.wlog", "rb").read())
d[8] = 2
open("version.wlog", "wb").write(d)'
printf 'time,power [W]\n0,10\n1,\001\002\003garbage\n' >garbage.csv
printf 'time,power [W]\n0,10\n1,1\0002\n' >nul.csv
printf 'time,power\n0,10 W\n1,12000 mW\n2,11 W\n' >mixed.csv
printf 'time,power [W]\n0,10\n1,nan\n2,inf\n' >inf.csv
printf 'time,power [W]\n0,10\n2,11\n1,12\n' >backwards.csv
# a column taken as text by its first cell, numbers after: said, not silent
printf 'timestamp, index, power.draw [W], aux\n2024/01/02 03:00:00.000, 0, 100, [N/A] W\n2024/01/02 03:00:01.000, 0, 100, 12 W\n2024/01/02 03:00:02.000, 0, 100, 13 W\n' >textnum.csv
# two columns of one metric (issue 20's review: the streamed report read
# them as one series, twice at each instant): refused, loaded or streamed
printf 'time,power [W],power [mW]\n0,10,20000\n1,10,20000\n' >dup.csv
printf 'timestamp, index, power.draw [W], power.draw [W]\n2024/01/02 03:00:00.000, 0, 100, 200\n2024/01/02 03:00:01.000, 0, 100, 200\n' >dupgpu.csv
printf 'time,power\n-1e308,100\n1e308,100\n' >huge.csv
: >empty.csv
mkdir dir.csv
printf 'time,power [W]\n0,10\n1,' >sparse.csv
truncate -s 10G sparse.csv || fail "truncate"
mkfifo long.csv || fail "mkfifo"

pass=0
# row NAME STATUS WHERE TEXT: WHERE is stderr (the whole of it, one line) or
# warning (stderr empty, TEXT among the report's warnings)
row() {
	name=$1 want=$2 where=$3 text=$4
	if [ "$name" = long.csv ]; then
		# 10 GiB of '7' after "0,": line 2 never ends
		( { printf 'time,power [W]\n0,'; head -c 10G /dev/zero | tr '\0' 7; } >long.csv ) 2>/dev/null &
		gen=$!
		timeout 60 "$W" report -I csv long.csv >out 2>err; rc=$?
		kill $gen 2>/dev/null
		wait $gen 2>/dev/null
	else
		timeout 60 "$W" report "$name" >out 2>err; rc=$?
	fi
	[ $rc -eq "$want" ] || fail "$name: exit $rc, want $want; stderr: $(cat err)"
	if [ "$where" = stderr ]; then
		[ "$(wc -l <err)" -eq 1 ] || fail "$name: want one line on stderr, got: $(cat err)"
		[ "$(cat err)" = "$text" ] || fail "$name: stderr '$(cat err)', want '$text'"
	else
		[ ! -s err ] || fail "$name: stderr: $(cat err)"
		grep -qF -- "$text" out || fail "$name: no warning '$text' in: $(sed -n '/Warnings/,$p' out)"
	fi
	pass=$((pass + 1))
}

# the trace: 16-byte header, blocks of <= 4096 bytes; the last whole block
# before the cut ends where the independent reader says
last=$(python3 -c '
import sys
sys.path.insert(0, sys.argv[1] + "/scripts")
import wlog_dump
t = wlog_dump.Trace(open("truncated.wlog", "rb").read(), "x")
print(max(e for _, e in t.blocks()))' "${WL_ROOT:-$OLDPWD}") || fail "wlog_dump"
row truncated.wlog 0 warning \
	"'truncated.wlog' offset $last: damaged trace, $((size - 1000 - last)) bytes skipped: torn tail: block cut off"
row flipped.wlog 0 warning "'flipped.wlog' offset 4127: damaged trace, 4110 bytes skipped: checksum mismatch"
row magic.wlog 2 stderr "wattlog report: unknown format: 'magic.wlog': binary data that is no wattlog trace"
row version.wlog 2 stderr "wattlog report: unsupported trace version 2.1 in 'version.wlog'"
row garbage.csv 2 stderr "wattlog report: 'garbage.csv' line 3: bad number '???garbage' in column 'power [W]'"
row nul.csv 2 stderr "wattlog report: unknown format: 'nul.csv': binary data that is no wattlog trace"
row mixed.csv 2 stderr "wattlog report: 'mixed.csv' line 3: unit 'mW' of '12000 mW' differs from 'W' in column 'power'"
row inf.csv 2 stderr "wattlog report: 'inf.csv' line 4: bad number 'inf' in column 'power [W]'"
row textnum.csv 0 warning "'textnum.csv' line 3: column 'aux' holds the number '12 W' but was read as text from its first cell ('[N/A] W', line 2): its numbers are not read"
row dup.csv 2 stderr "wattlog report: 'dup.csv' line 2: columns 2 'power [W]' and 3 'power [mW]' are one metric 'power': rename or drop one"
row dupgpu.csv 2 stderr "wattlog report: 'dupgpu.csv' line 2: columns 3 'power.draw [W]' and 4 'power.draw [W]' are one metric 'power.draw': rename or drop one"
row backwards.csv 2 stderr "wattlog report: 'backwards.csv' line 4: time '1' goes backwards in column 'time'"
row huge.csv 2 stderr "wattlog report: 'huge.csv' line 3: time '1e308' lies more than 1e10 s (317 years) from the first row's in column 'time'"
row long.csv 2 stderr "wattlog report: 'long.csv' line 2: line longer than 1048576 bytes, not a text log"
row sparse.csv 2 stderr "wattlog report: unknown format: 'sparse.csv': binary data that is no wattlog trace"
row empty.csv 2 stderr "wattlog report: 'empty.csv' line 1: empty file"
row dir.csv 2 stderr "wattlog report: no *.wlog trace in job folder 'dir.csv'"
row missing.csv 2 stderr "wattlog report: cannot open 'missing.csv': No such file or directory"

# a trace sample whose time goes back (written from the spec by
# wlog_write.py): dropped with one warning, loaded or streamed alike; the
# energy is that of 100..105 W at 0, 0.1, ..., 0.5 s (the 0.1 s sample
# after 0.3 s dropped) by the trapezoid rule: 102.5 W x 0.5 s = 51.25 J
python3 - "${WL_ROOT:-$OLDPWD}/tests/e2e" <<'PY' || fail "writing back.wlog"
import sys
sys.path.insert(0, sys.argv[1])
import wlog_write as W
t = W.Trace()
t.meta({"start_monotonic_ns": "1000000000"})
t.channel(1, "nvml", "power.draw", "W", "gpu0")
for i in (0, 1, 2, 3, 1, 4, 5):
    t.sample(1_000_000_000 + i * 100_000_000, [(1, 100.0 + i)])
open("back.wlog", "wb").write(t.bytes())
t = W.Trace()
t.meta({"start_monotonic_ns": "1000000000"})
t.channel(1, "nvml", "power.draw", "W", "gpu0")
for i, v in enumerate((100.0, float("inf"), 100.0, 100.0)):
    t.sample(1_000_000_000 + i * 100_000_000, [(1, v)])
open("infinite.wlog", "wb").write(t.bytes())
PY
row infinite.wlog 0 warning "'infinite.wlog' offset 155: damaged trace: sample of power.draw gpu0 at 0.100000000 s is infinite: dropped, with any later such sample"
row back.wlog 0 warning "'back.wlog' offset 233: damaged trace: sample of power.draw gpu0 at 0.100000000 s goes back before 0.300000000 s: dropped, with any later such sample"
for mode in --no-stream --stream; do
	"$W" report $mode --format json back.wlog >back.json 2>err || fail "back.wlog $mode: $(cat err)"
	python3 -c 'import json, sys; e = json.load(open("back.json"))["energy_j"]["total"]
sys.exit(abs(e - 51.25) > 1e-9)' || fail "back.wlog $mode: energy not 51.25 J"
done

# the streamed report refuses the same (it summed both columns: twice the energy)
for f in dup.csv dupgpu.csv; do
	timeout 60 "$W" report --stream "$f" >out 2>err; rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "are one metric" err ||
		fail "report --stream $f: exit $rc, stderr: $(cat err)"
	pass=$((pass + 1))
done

# the span that overflows to inf sized the heatmap's grid too (issue 17)
timeout 60 "$W" plot --figure heatmap -o huge.png huge.csv >out 2>err; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "'huge.csv' line 3: time '1e308'" err ||
	fail "plot --figure heatmap huge.csv: exit $rc, stderr: $(cat err)"
pass=$((pass + 1))

# NaN is "no value" (units.h): that sample is absent (never 0, never NaN), exit 0
printf 'time,power [W]\n0,10\n1,nan\n2,12\n3,14\n' >nan.csv
"$W" export csv nan.csv -o nan.out 2>err || fail "nan.csv: exit $?: $(cat err)"
[ "$(cat nan.out)" = "$(printf 'time [s],power [W]\n0,10\n2,12\n3,14')" ] ||
	fail "nan.csv: the NaN sample is not absent: $(cat nan.out)"
pass=$((pass + 1))
echo "ok: $pass bad inputs, each with its line and status"
