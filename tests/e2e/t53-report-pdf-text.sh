#!/bin/sh
# t53-report-pdf-text: a report a person would hand on.
# 1. The text and Markdown reports: sizes in binary prefixes (3 GiB of
#    bytes reads "3.00 GiB", 1536 MiB/s "1.50 GiB/s"), a run without a power
#    source says "- (no energy)" for its average power, and no report of it,
#    in any format, prints nan or inf; a counter of bytes is shown as its
#    rate (MiB/s), in memory and streamed, with its rule in the assumptions.
# 2. `report -F pdf`: A4, a title and the run's metadata as text, tables in
#    DejaVu Sans (no monospace font), the four figures, and no page but the
#    last filled less than half (the lowest word of each page, pdftotext
#    -bbox).  PDF checks need poppler-utils (skipped with a message).
# 3. --progress: report and compare print a line per step on stderr (not a
#    terminal here), none without it; the output is the same either way.
B=${WL_BUILD:-build}
W=$B/wattlog
T=$(mktemp -d /tmp/wl-t53.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}

# 1. Sizes: mem 3, 3, 2, 3 GiB (avg 2.75, twa by the trapezoid 8/3 = 2.67);
# rx 512 and 1536 MiB/s (avg 1024 MiB/s = 1.00 GiB/s, max 1.50 GiB/s).
printf 'time,mem [B],rx [MiB/s],power.draw [W]\n0,3221225472,512,100\n1,3221225472,1536,100\n2,2147483648,512,100\n3,3221225472,1536,100\n' >"$T/bytes.csv"
"$W" report "$T/bytes.csv" >"$T/b.txt" 2>"$T/err" || fail "report: $(cat "$T/err")"
grep -Eq '^  mem +GiB +2\.75 +2\.67 +2\.00 +3\.00 ' "$T/b.txt" || fail "mem in GiB: $(grep '^  mem' "$T/b.txt")"
grep -Eq '^  rx +GiB/s +1\.00 +1\.00 +0\.500 +1\.50 ' "$T/b.txt" || fail "rx in GiB/s: $(grep '^  rx' "$T/b.txt")"
"$W" report "$T/bytes.csv" -F markdown >"$T/b.md" || fail "report -F markdown"
grep -q '| mem | GiB | 2.75 | 2.67 | 2.00 | 3.00 |' "$T/b.md" || fail "markdown mem: $(grep '| mem' "$T/b.md")"

# A bytes counter (procfs rx, no wrap declared) read each second, growing
# 1 MiB a second for 4 s then 3 MiB: its statistics are of its rate (8
# intervals: avg 2, min 1, max 3, mode 1 (the smaller on a tie), std
# sqrt(8/7) = 1.07 MiB/s), loaded and streamed alike, and the rule is stated.
python3 - "${WL_ROOT:-.}/tests/e2e" "$T/rx.wlog" <<'PY' || fail "writing rx.wlog"
import sys
sys.path.insert(0, sys.argv[1])
import wlog_write as W
t = W.Trace()
t.meta({"start_monotonic_ns": "1000000000"})
t.channel(1, "procfs", "rx", "B", "", kind=W.COUNTER, type=W.U64)
t.channel(2, "nvml", "power.draw", "W", "gpu0")
v = 0
for k in range(9):
    v += (1 if k <= 4 else 3) << 20 if k else 0
    t.sample(1_000_000_000 + k * 1_000_000_000, [(1, v), (2, 100.0 + k)])
open(sys.argv[2], "wb").write(t.bytes())
PY
for s in --no-stream --stream; do
	"$W" report $s "$T/rx.wlog" >"$T/rx.txt" 2>"$T/err" || fail "report $s rx.wlog: $(cat "$T/err")"
	grep -Eq '^  rx \(rate\) +MiB/s +2\.00 +2\.00 +1\.00 +3\.00 +1\.00 +1\.07 +2\.00 ' "$T/rx.txt" ||
		fail "rx as its rate ($s): $(grep '^  rx' "$T/rx.txt")"
	grep -q '^  - rx: a counter; its statistics are of its rate in B/s, (v1 - v0) / (t1 - t0) over each interval between changed readings; no wrap declared' "$T/rx.txt" ||
		fail "the rate rule is not stated ($s)"
done
"$W" report "$T/rx.wlog" -F json | python3 -c '
import json, sys
m = [x for x in json.load(sys.stdin)["metrics"] if x["name"] == "rx (rate)"][0]
assert m["unit"] == "B/s" and m["avg"] == 2 * 2**20 and m["max"] == 3 * 2**20, m' || fail "json rx rate"

# No power source: no nan, no inf, in any format.
printf 'time,utilization.gpu [%%],memory.used [MiB]\n0,10,400\n1,20,500\n2,30,600\n3,50,700\n' >"$T/nopow.csv"
for f in text markdown json csv; do
	"$W" report "$T/nopow.csv" -F $f -o "$T/n.$f" 2>/dev/null || fail "report -F $f of a run without power"
	grep -Eiwn 'nan|-nan|inf' "$T/n.$f" && fail "-F $f prints nan or inf"
done
grep -q '^  average power      - (no energy)$' "$T/n.text" || fail "average power: $(grep 'average power' "$T/n.text")"

"$W" simulate --gpu A100 --schedule 'idle 2s, prefill 8s, idle 5s, decode 17s, idle 3s' \
	--period 100ms --seed 1 -o "$T/sim.wlog" || fail "simulate"

# 3. Progress.
"$W" report "$T/sim.wlog" "$T/bytes.csv" --progress -o "$T/p.txt" 2>"$T/prog" || fail "report --progress"
"$W" report "$T/sim.wlog" "$T/bytes.csv" -o "$T/q.txt" 2>"$T/noprog" || fail "report"
cmp -s "$T/p.txt" "$T/q.txt" || fail "--progress changed the report"
[ ! -s "$T/noprog" ] || fail "progress without --progress and no terminal: $(cat "$T/noprog")"
for want in "[1/2] $T/sim.wlog: reading" "[1/2] $T/sim.wlog: phases" "[2/2] $T/bytes.csv: reading" \
	"[2/2] $T/bytes.csv: writing the report"; do
	grep -qxF "wattlog report: $want" "$T/prog" || fail "no progress line '$want': $(cat "$T/prog")"
done
for d in a b c; do
	mkdir -p "$T/runs/$d"
	cp "$T/sim.wlog" "$T/runs/$d/r1.wlog"
done
cp "$T/sim.wlog" "$T/runs/b/r2.wlog"
"$W" compare "$T/runs/a" "$T/runs/b" "$T/runs/c" --progress -j 2 -F csv -o "$T/c.csv" 2>"$T/prog" ||
	fail "compare --progress: $(cat "$T/prog")"
[ "$(grep -c '^wattlog compare: \[[1-3]/3\] ' "$T/prog")" = 3 ] || fail "compare progress: $(cat "$T/prog")"
grep -qF "$T/runs/b: 2 runs" "$T/prog" || fail "compare progress lacks b's 2 runs: $(cat "$T/prog")"
grep -q '^wattlog compare: \[3/3\] ' "$T/prog" || fail "no 3/3: $(cat "$T/prog")"

# 2. The PDF report.
"$W" report "$T/sim.wlog" --region WORLD --tokens 4096 -F pdf -o "$T/r.pdf" 2>"$T/err" ||
	fail "report -F pdf: $(cat "$T/err")"
"$W" report "$T/nopow.csv" -F pdf -o "$T/n.pdf" 2>"$T/err" || fail "report -F pdf, no power: $(cat "$T/err")"
if ! command -v pdftotext >/dev/null 2>&1; then
	echo "skipped: the PDF checks (no pdftotext: poppler-utils)"
	exit 0
fi
pdfinfo "$T/r.pdf" | grep -q '^Page size: *595.28 x 841.89' || fail "not A4: $(pdfinfo "$T/r.pdf")"
pages=$(pdfinfo "$T/r.pdf" | sed -n 's/^Pages: *//p')
pdftotext -layout "$T/r.pdf" "$T/r.txt"
for w in 'wattlog report: .*sim.wlog' 'written by wattlog' 'hostname +simulate' 'gpu0.name +A100' \
	'start +2025-01-01 00:00:00 UTC' Overview 'Energy per component' Statistics Phases \
	'decode +14.95 +31.95' Power Metrics Correlation Energy; do
	grep -Eq "$w" "$T/r.txt" || fail "the PDF report lacks '$w'"
done
pdffonts "$T/r.pdf" | grep -q 'DejaVuSans ' || pdffonts "$T/r.pdf" | grep -q 'DejaVuSans$' ||
	pdffonts "$T/r.pdf" | grep -q '+DejaVuSans ' || fail "no DejaVu Sans: $(pdffonts "$T/r.pdf")"
pdffonts "$T/r.pdf" | grep -q 'Mono' && fail "a monospace font in the report: $(pdffonts "$T/r.pdf")"
# Every page but the last is filled below its middle (page height 841.89).
pdftotext -bbox "$T/r.pdf" "$T/r.html"
awk -v pages="$pages" '/<page / { p++ } /<word / {
	match($0, /yMax="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
	if (y > low[p]) low[p] = y
} END {
	if (p != pages) { print "pages " p " != " pages; exit 1 }
	for (i = 1; i < p; i++) if (low[i] < 841.89 / 2) { print "page " i " ends at " low[i] " pt"; exit 1 }
}' "$T/r.html" >"$T/fill" || fail "a near-empty page: $(cat "$T/fill")"
[ "$pages" -le 3 ] || fail "$pages pages for one page of tables and four figures"
pdftotext "$T/n.pdf" "$T/n.txt"
grep -q 'Power: not drawn' "$T/n.txt" || fail "no power: the figure's absence is not noted"
grep -Eiw 'nan|inf' "$T/n.txt" && fail "the PDF report of a run without power prints nan"
exit 0
