#!/bin/sh
# t52-latex-column: a paper's figures at their natural size.  `compare
# --width double --style paper` writes PDFs 7.16 in (515.52 pt) wide, and a
# single-width figure fits a two-column LaTeX page laid out as ACM's sigconf
# (text 506.295 pt, column gap 24 pt: a 241.15 pt column, the narrowest
# common one): pdflatex (texlive-latex-base) reports no overfull box for it,
# while a 3.5 in figure is reported (the check can fail).  Across both
# columns (figure*, ACM's 506.295 pt = 7.006 in), `--width 7` fits and
# `double` (IEEE's 7.16 in) is 11.2 pt too wide, as the README says.
# Skipped with a message where pdflatex or pdfinfo is absent.
B=${WL_BUILD:-build}
W=$B/wattlog
T=$(mktemp -d /tmp/wl-t52.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}
if ! command -v pdfinfo >/dev/null 2>&1; then
	echo "skipped: no pdfinfo (poppler-utils, scripts/install-deps.sh)"
	exit 0
fi

for bs in 1 8; do
	mkdir -p "$T/bs$bs"
	"$W" simulate --gpu A100 --schedule "idle 1s, decode 2s" --seed "$bs" \
		-o "$T/bs$bs/run.wlog" || fail "simulate"
	printf '{"batch_size": %d, "output_tokens": %d, "requests": %d}\n' $bs $((bs * 512)) $bs \
		>"$T/bs$bs/meta.json"
done
# The page width of a PDF in points, from pdfinfo's "Page size: W x H pts".
width() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]*\) x .*/\1/p'; }
for w in double single 3.5 7; do
	"$W" compare "$T/bs1" "$T/bs8" --width $w --style paper --plots "$T/$w" -F csv \
		-o "$T/c.csv" 2>"$T/err" || fail "compare --width $w: $(cat "$T/err")"
done
# 7.16 in x 72 = 515.52 pt; single 3.33 in x 72 = 239.76 pt; 3.5 in = 252 pt
n=0
for f in "$T"/double/compare-*.pdf; do
	[ "$(width "$f")" = 515.52 ] || fail "$f: $(width "$f") pt wide, want 515.52"
	[ "$(width "$T/single/${f##*/}")" = 239.76 ] || fail "single ${f##*/}: $(width "$T/single/${f##*/}") pt"
	[ "$(width "$T/3.5/${f##*/}")" = 252 ] || fail "3.5 in ${f##*/}: $(width "$T/3.5/${f##*/}") pt"
	n=$((n + 1))
done
[ $n -ge 4 ] || fail "only $n compare figures: $(ls "$T/double")"

if ! command -v pdflatex >/dev/null 2>&1; then
	echo "skipped: the LaTeX part: no pdflatex (texlive-latex-base, scripts/install-deps.sh)"
	exit 0
fi
# doc DIR [ENV]: a two-column page with every figure of DIR at its natural
# size, in ENV (figure, or figure* across both columns).
doc() {
	env=${2:-figure}
	{
		printf '%s\n' '\documentclass[10pt,twocolumn]{article}' '\usepackage{graphicx}' \
			'\setlength{\textwidth}{506.295pt}' '\setlength{\columnsep}{24pt}' \
			'\begin{document}' '\typeout{COLUMNWIDTH=\the\columnwidth}'
		for f in "$T/$1"/compare-*.pdf; do
			printf '\\begin{%s}\\includegraphics{%s}\\caption{%s}\\end{%s}\n' \
				"$env" "$f" "$(basename "$f" .pdf | tr _ -)" "$env"
		done
		printf '%s\n' 'Text.' '\end{document}'
	} >"$T/$1.tex"
	(cd "$T" && pdflatex -interaction=nonstopmode -halt-on-error "$1.tex" >/dev/null 2>&1) ||
		fail "pdflatex $1.tex: $(tail -20 "$T/$1.log")"
}
doc single
grep -q '^COLUMNWIDTH=241.14749pt' "$T/single.log" ||
	fail "not the ACM column: $(grep COLUMNWIDTH "$T/single.log")"
grep 'Overfull' "$T/single.log" && fail "single-width figures overflow a 241 pt column"
doc 3.5
grep -q 'Overfull \\hbox (11.7' "$T/3.5.log" ||
	fail "a 3.5 in figure should be 11.8 pt too wide: $(grep Overfull "$T/3.5.log")"
# across both columns: 7 in x 72.27 = 505.89 pt fits 506.295 pt; 7.16 in =
# 517.45 pt overflows it by 11.16 pt
doc 7 'figure*'
grep 'Overfull' "$T/7.log" && fail "7 in figures overflow ACM's 506.295 pt text width"
doc double 'figure*'
grep -q 'Overfull \\hbox (11.1' "$T/double.log" ||
	fail "a 7.16 in figure should be 11.2 pt too wide for ACM: $(grep Overfull "$T/double.log")"
exit 0
