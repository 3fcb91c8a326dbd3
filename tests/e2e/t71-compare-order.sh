#!/bin/sh
# t71-compare-order: compare's rows in natural order of the folder names
# (bs1, bs8, bs32; not bs1, bs32, bs8 as text sorts them) whatever order the
# folders are given in, and --sort on a name-pattern key numerically and
# descending; its figures take plot's --width and --style (7.16 in = 515.52
# pt wide PDFs with --width double).
B=${WL_BUILD:-build}
W=$B/wattlog
T=$(mktemp -d /tmp/wl-t71.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Under ASan: fontconfig keeps its caches until exit (not our leak).
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}

for bs in 1 32 8; do
	mkdir -p "$T/bs$bs"
	"$W" simulate --gpu A100 --schedule "idle 1s, decode 2s" --seed "$bs" \
		-o "$T/bs$bs/run.wlog" || fail "simulate"
done
rows() { awk -F, 'NR > 1 { print $1 }' "$1" | tr '\n' ' '; }
# given as text sorts them (the shell's glob), and backwards
"$W" compare "$T/bs1" "$T/bs32" "$T/bs8" -F csv -o "$T/a.csv" 2>"$T/err" || fail "compare: $(cat "$T/err")"
[ "$(rows "$T/a.csv")" = "bs1 bs8 bs32 " ] || fail "natural order: $(rows "$T/a.csv")"
"$W" compare "$T/bs8" "$T/bs32" "$T/bs1" -F csv -o "$T/b.csv" 2>"$T/err" || fail "compare: $(cat "$T/err")"
[ "$(rows "$T/b.csv")" = "bs1 bs8 bs32 " ] || fail "natural order, given backwards: $(rows "$T/b.csv")"
"$W" compare "$T/bs1" "$T/bs32" "$T/bs8" --name-pattern 'bs{batch_size}' --sort -batch_size \
	-F csv -o "$T/c.csv" 2>"$T/err" || fail "compare --sort: $(cat "$T/err")"
[ "$(rows "$T/c.csv")" = "bs32 bs8 bs1 " ] || fail "--sort -batch_size: $(rows "$T/c.csv")"

# figures: plot's --width and --style
"$W" compare "$T/bs1" "$T/bs8" --width double --style paper --plots "$T/figs" -F csv \
	-o "$T/d.csv" 2>"$T/err" || fail "compare --width double: $(cat "$T/err")"
ls "$T"/figs/compare-*.pdf >/dev/null 2>&1 || fail "no PDF figure: $(ls "$T/figs")"
if command -v pdfinfo >/dev/null; then
	for f in "$T"/figs/compare-*.pdf; do
		pdfinfo "$f" | grep -q '^Page size: *515.52 x' ||
			fail "$f: $(pdfinfo "$f" | grep 'Page size'), want 7.16 in = 515.52 pt"
	done
fi
"$W" compare "$T/bs1" --width 0.5 --plots "$T/figs" 2>"$T/err" && fail "--width 0.5 accepted"
grep -qx "wattlog compare: bad --width '0.5': single, double or inches (1-40)" "$T/err" ||
	fail "--width 0.5: $(cat "$T/err")"
exit 0
