#!/bin/sh
# t51-figure-text: the figure text a venue asks for, in plot, compare and
# report --plots (one option group, src/cmd/fig_opts.c): --xlabel, --ylabel, --title and
# --font sans|serif.  SVG keeps text as <text> elements (cairo 1.16 would
# write glyph outlines); a title adds its strip (9 pt x 1.9 = 17.1 pt in
# paper style) to the height; --font serif embeds DejaVu Serif; the Pareto
# axis says "total throughput" when meta.json has no requests.
B=${WL_BUILD:-build}
W=$B/wattlog
T=$(mktemp -d /tmp/wl-t51.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}
PY=python3
command -v python3 >/dev/null 2>&1 || PY=/usr/bin/python3

"$W" simulate --gpu A100 --schedule "idle 1s, decode 2s" --seed 3 -o "$T/r.wlog" || fail "simulate"

# 1. SVG: the labels and the title are text elements, escaped, the time
# axis keeps its unit; no glyph outlines are left.
"$W" plot "$T/r.wlog" --figure power --style paper -o "$T/p.svg" --xlabel 'Elapsed & <x>' \
	--ylabel 'Board power (W)' --title 'Run A' >/dev/null 2>"$T/err" || fail "plot svg: $(cat "$T/err")"
$PY - "$T/p.svg" <<'EOF' || fail "SVG text: see above"
import sys, xml.etree.ElementTree as E
ns = "{http://www.w3.org/2000/svg}"
root = E.parse(sys.argv[1]).getroot()
texts = [t.text for t in root.iter(ns + "text")]
for want in ("Elapsed & <x> (s)", "Board power (W)", "Run A", "gpu0", "decode"):
    assert want in texts, "no <text> %r in %r" % (want, texts)
assert "Power (W)" not in texts, "the default y label is still drawn"
assert not [s for s in root.iter(ns + "symbol")], "glyph outlines left in the SVG"
fam = {t.get("font-family") for t in root.iter(ns + "text")}
assert fam == {"DejaVu Sans, sans-serif"}, fam
EOF

# 2. PDF: the title's strip, the serif font embedded, the labels as text.
"$W" plot "$T/r.wlog" --figure power --style paper -o "$T/a.pdf" >/dev/null || fail "plot pdf"
"$W" plot "$T/r.wlog" --figure power --style paper -o "$T/b.pdf" --title 'Run A' --font serif \
	--ylabel 'Board power (W)' >/dev/null || fail "plot pdf --title"
if command -v pdfinfo >/dev/null 2>&1; then
	ha=$(pdfinfo "$T/a.pdf" | sed -n 's/^Page size: *[0-9.]* x \([0-9.]*\) pts.*/\1/p')
	hb=$(pdfinfo "$T/b.pdf" | sed -n 's/^Page size: *[0-9.]* x \([0-9.]*\) pts.*/\1/p')
	awk -v a="$ha" -v b="$hb" 'BEGIN { d = b - a; exit !(d > 17.09 && d < 17.11) }' ||
		fail "title strip: height $ha -> $hb pt, want +17.1"
	pdffonts "$T/b.pdf" | grep -q 'DejaVuSerif' || fail "--font serif: $(pdffonts "$T/b.pdf")"
	pdffonts "$T/b.pdf" | grep -q 'DejaVuSans' && fail "--font serif still embeds DejaVu Sans"
	pdffonts "$T/a.pdf" | grep -q 'DejaVuSans' || fail "default font: $(pdffonts "$T/a.pdf")"
	pdftotext "$T/b.pdf" "$T/b.txt"
	grep -q 'Run A' "$T/b.txt" && grep -q 'Board power (W)' "$T/b.txt" ||
		fail "title or label not in the PDF's text: $(cat "$T/b.txt")"
else
	echo "skipped: PDF checks (no pdfinfo: poppler-utils)"
fi
"$W" plot "$T/r.wlog" --figure power --font times -o "$T/x.png" 2>"$T/err"
[ $? -eq 2 ] || fail "--font times not exit 2"
grep -qx "wattlog plot: bad --font 'times': sans or serif" "$T/err" || fail "--font times: $(cat "$T/err")"

# report --plots takes them too (its PDFs; PNG and PDF in the style asked)
"$W" report "$T/r.wlog" --plots "$T/std" --font serif --title 'Run B' -o "$T/r.txt" 2>"$T/err" ||
	fail "report --plots --font serif: $(cat "$T/err")"
if command -v pdffonts >/dev/null 2>&1; then
	pdffonts "$T/std/power.pdf" | grep -q DejaVuSerif || fail "report --font serif: $(pdffonts "$T/std/power.pdf")"
	pdftotext "$T/std/energy.pdf" - | grep -q 'Run B' || fail "report --title: not in energy.pdf"
fi

# 3. compare takes the same options; the Pareto axis says what it shows.
for bs in 1 8; do
	mkdir -p "$T/bs$bs"
	"$W" simulate --gpu A100 --schedule "idle 1s, decode 2s" --seed "$bs" \
		-o "$T/bs$bs/run.wlog" || fail "simulate"
	printf '{"batch_size": %d, "output_tokens": %d}\n' $bs $((bs * 512)) >"$T/bs$bs/meta.json"
done
"$W" compare "$T/bs1" "$T/bs8" --plots "$T/f1" --title 'Sweep' --ylabel 'Energy of a run (J)' \
	--bars energy_j --font serif -F csv -o "$T/c.csv" 2>"$T/err" || fail "compare: $(cat "$T/err")"
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$T/f1/compare-bars-energy_j.pdf" "$T/bars.txt"
	grep -q 'Sweep' "$T/bars.txt" && grep -q 'Energy of a run (J)' "$T/bars.txt" ||
		fail "compare bars: $(cat "$T/bars.txt")"
	pdffonts "$T/f1/compare-bars-energy_j.pdf" | grep -q DejaVuSerif || fail "compare --font serif"
	pdftotext "$T/f1/compare-pareto.pdf" "$T/p1.txt"
	grep -q 'total tokens/s (no requests in meta.json)' "$T/p1.txt" ||
		fail "pareto without requests: $(cat "$T/p1.txt")"
	for bs in 1 8; do
		printf '{"batch_size": %d, "output_tokens": %d, "requests": %d}\n' $bs $((bs * 512)) \
			$bs >"$T/bs$bs/meta.json"
	done
	"$W" compare "$T/bs1" "$T/bs8" --plots "$T/f2" -F csv -o "$T/c.csv" 2>"$T/err" ||
		fail "compare: $(cat "$T/err")"
	pdftotext "$T/f2/compare-pareto.pdf" "$T/p2.txt"
	grep -q 'throughput per user (tokens/s)' "$T/p2.txt" || fail "pareto with requests: $(cat "$T/p2.txt")"
fi
exit 0
