#!/bin/sh
# t10-trace-python: the C reader (`wattlog export csv`) and the independent
# Python reader (scripts/wlog_dump.py, written from trace_format.h alone)
# give byte-identical CSV for a known trace (tests/helpers/mktrace.c), a
# truncated copy and a copy with a flipped bit; a few cells are checked
# against mktrace's stated truth.
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
command -v python3 >/dev/null || { echo "python3 not found"; exit 77; }
T=$(mktemp -d /tmp/wl-t10.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B/tests/mktrace" "$T/a.wlog" >"$T/truth" || fail "mktrace"
grep -q '^samples.rapl=2000$' "$T/truth" || fail "mktrace truth: $(cat "$T/truth")"

# 1. Clean trace: identical, exit 0 both.
"$B/wattlog" export csv "$T/a.wlog" -o "$T/c.csv" 2>"$T/c.err" || fail "export exit $?: $(cat "$T/c.err")"
python3 "$R/scripts/wlog_dump.py" "$T/a.wlog" >"$T/p.csv" 2>"$T/p.err" || fail "wlog_dump exit $?"
cmp "$T/c.csv" "$T/p.csv" || fail "clean: CSVs differ"
[ ! -s "$T/c.err" ] || fail "clean trace reported damage: $(cat "$T/c.err")"
# 2000 rapl + 20 nvml samples, one header line.
[ "$(wc -l <"$T/c.csv")" -eq 2021 ] || fail "rows: $(wc -l <"$T/c.csv")"
head -1 "$T/c.csv" | grep -qx 'time \[s\],package-0 package-0 \[uJ\],gpu0 power.draw \[W\],gpu0 energy \[mJ\],gpu0 temperature.gpu \[C\]' ||
	fail "header: $(head -1 "$T/c.csv")"
# Truth: rapl sample i at (i+1) ms = 25000 (i+1) mod 1e6: t=0.04 wraps to 0,
# t=0.041 -> 25000; nvml sample 3 at 0.30005 s: 101.5 W, 30000 mJ, and no
# temperature (odd sample); sample 4: (4 mod 7 - 3) * 0.5 = 0.5 C.
awk -F, '$1 == "0.040000000000000001" && $2 != "0" { exit 1 }
	 $1 == "0.041000000000000002" && $2 != "25000" { exit 1 }
	 $1 == "0.30004999999999998" && ($3 != "101.5" || $4 != "30000" || $5 != "") { exit 1 }
	 $1 == "0.40005000000000002" && $5 != "0.5" { exit 1 }' "$T/c.csv" || fail "truth cells"
[ "$(awk -F, '$1 == "0.040000000000000001" || $1 == "0.30004999999999998" || $1 == "0.40005000000000002"' "$T/c.csv" | wc -l)" -eq 3 ] ||
	fail "truth rows missing"

# 2. Truncated at two thirds: same rows from both, fewer than the whole, exit 1.
size=$(wc -c <"$T/a.wlog")
head -c $((size * 2 / 3)) "$T/a.wlog" >"$T/cut.wlog"
"$B/wattlog" export csv "$T/cut.wlog" >"$T/c.csv" 2>"$T/c.err"; rc=$?
[ $rc -eq 1 ] || fail "truncated: export exit $rc"
grep -q 'torn tail' "$T/c.err" || fail "truncated: no torn tail: $(cat "$T/c.err")"
python3 "$R/scripts/wlog_dump.py" "$T/cut.wlog" >"$T/p.csv" 2>"$T/p.err"; rc=$?
[ $rc -eq 1 ] || fail "truncated: wlog_dump exit $rc"
cmp "$T/c.csv" "$T/p.csv" || fail "truncated: CSVs differ"
n=$(wc -l <"$T/c.csv")
[ "$n" -gt 1000 ] && [ "$n" -lt 2021 ] || fail "truncated: $n rows"

# 3. One flipped bit in the middle: one block lost, the rest identical.
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[len(d) // 2] ^= 0x10
open(sys.argv[2], "wb").write(d)' "$T/a.wlog" "$T/bad.wlog"
"$B/wattlog" export csv "$T/bad.wlog" >"$T/c.csv" 2>"$T/c.err"; rc=$?
[ $rc -eq 1 ] || fail "bit flip: export exit $rc"
grep -q 'checksum mismatch' "$T/c.err" || fail "bit flip: $(cat "$T/c.err")"
python3 "$R/scripts/wlog_dump.py" "$T/bad.wlog" >"$T/p.csv" 2>"$T/p.err"; rc=$?
[ $rc -eq 1 ] || fail "bit flip: wlog_dump exit $rc"
grep -q 'checksum mismatch' "$T/p.err" || fail "bit flip (python): $(cat "$T/p.err")"
cmp "$T/c.csv" "$T/p.csv" || fail "bit flip: CSVs differ"
n=$(wc -l <"$T/c.csv")
[ "$n" -gt 1900 ] && [ "$n" -lt 2021 ] || fail "bit flip: $n rows"

# 4. Differential: 25 random mutations (bits flipped, bytes cut, garbage
# inserted, tail cut): both readers agree on every CSV byte, exit status and
# damage line.
i=0
while [ $i -lt 25 ]; do
	python3 -c '
import random, sys
r = random.Random(int(sys.argv[1]))
d = bytearray(open(sys.argv[2], "rb").read())
for _ in range(r.randint(1, 5)):
    op, at = r.randint(0, 3), r.randrange(16, len(d))
    if op == 0: d[at] ^= 1 << r.randrange(8)
    elif op == 1: del d[at:at + r.randint(1, 40)]
    elif op == 2: d[at:at] = bytes(r.randrange(256) for _ in range(r.randint(1, 40)))
    else: d = d[:at]
open(sys.argv[3], "wb").write(d)' $i "$T/a.wlog" "$T/m.wlog"
	"$B/wattlog" export csv "$T/m.wlog" >"$T/c.csv" 2>"$T/c.err"; a=$?
	python3 "$R/scripts/wlog_dump.py" "$T/m.wlog" >"$T/p.csv" 2>"$T/p.err"; b=$?
	[ $a -eq $b ] || fail "mutation $i: exit $a vs $b"
	cmp -s "$T/c.csv" "$T/p.csv" || fail "mutation $i: CSVs differ"
	sed 's/^wattlog export: //' "$T/c.err" >"$T/c2.err"
	sed 's/^wlog_dump: //' "$T/p.err" >"$T/p2.err"
	cmp -s "$T/c2.err" "$T/p2.err" || fail "mutation $i: damage differs: $(cat "$T/c.err" "$T/p.err")"
	i=$((i + 1))
done
echo "ok"
