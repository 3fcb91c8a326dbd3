#!/bin/sh
# t50-plot.sh - every figure in every format: PNG size and ink in the plot
# area, PDF page size (pdfinfo) and embedded fonts (pdffonts), SVG parses,
# the same bytes twice for PNG, SVG and PDF; the power figure of a trace
# streamed and loaded whole, the same bytes; then `wattlog plot` on the
# AIMeter A800 prefill-decode trace when ../shared is present.
B=${WL_BUILD:-build}
S=${WL_SHARED:-../shared}
FIX=$B/tests/plot_fixture
PNG=$B/tests/png_check
W=$B/wattlog
T=$(mktemp -d /tmp/wattlog-t50.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Under ASan: fontconfig keeps its caches until exit (not our leak).
printf 'leak:libfontconfig\nleak:libcairo\n' >"$T/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$T/lsan.supp}
PY=python3
command -v python3 >/dev/null 2>&1 || PY=/usr/bin/python3

# PNG: width in pixels (exact), ink fraction of the central area > min.
check_png() { # file width min_ink
	r=$($PNG "$1") || fail "$1 is not a PNG"
	set -- "$1" "$2" "$3" $r
	[ "$4" = "$2" ] || fail "$1: width $4 px, want $2"
	awk -v i="$6" -v m="$3" 'BEGIN { exit !(i > m) }' || fail "$1: blank plot area (ink $6)"
}
check_svg() { # file width_pt
	$PY -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
assert r.tag.endswith("svg"), r.tag
assert r.get("width") == sys.argv[2] + "pt", r.get("width")
assert len(list(r.iter())) > 20, "too few elements"
' "$1" "$2" || fail "$1: bad SVG"
}
check_pdf() { # file width_pt
	command -v pdfinfo >/dev/null 2>&1 || return 0
	pdfinfo "$1" | grep -q "^Page size: *$2 x" || fail "$1: page not $2 pt wide: $(pdfinfo "$1" | grep 'Page size')"
	pdffonts "$1" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } NR > 2 { n++ }
		END { exit bad || n == 0 }' || fail "$1: fonts not embedded: $(pdffonts "$1")"
}

# 1. The fixture: each figure x format x style, twice for determinism.
for fig in power stack panels heatmap energy carbon scatter; do
	for ext in png svg pdf; do
		$FIX $fig "$T/$fig.$ext" || fail "plot_fixture $fig $ext"
		$FIX $fig "$T/$fig-2.$ext" || fail "plot_fixture $fig $ext (again)"
		cmp -s "$T/$fig.$ext" "$T/$fig-2.$ext" || fail "$fig.$ext differs between two runs"
		$FIX $fig "$T/$fig-p.$ext" paper single || fail "plot_fixture $fig $ext paper"
		$FIX $fig "$T/$fig-d.$ext" paper double || fail "plot_fixture $fig $ext paper double"
	done
	# Screen: 8 in at 2 px per point = 1152 px; paper at 300 dpi: 3.33 in
	# = 999 px, 7.16 in = 2148 px.
	ink=0.02
	[ $fig = scatter ] && ink=0.002 # dots on white
	check_png "$T/$fig.png" 1152 $ink
	check_png "$T/$fig-p.png" 999 $ink
	check_png "$T/$fig-d.png" 2148 $ink
	check_svg "$T/$fig.svg" 576
	check_svg "$T/$fig-p.svg" 239.76
	check_pdf "$T/$fig-p.pdf" 239.76
	check_pdf "$T/$fig-d.pdf" 515.52
done

# 2. The standard set of `report --plots DIR`.
$FIX standard "$T/std" || fail "wl_plots_standard"
for f in power panels heatmap energy; do
	check_png "$T/std/$f.png" 1152 0.02
	check_pdf "$T/std/$f.pdf" 239.76
done

# 2b. The PDF report: one A4 document, the text then the four figures.
$FIX pdfreport "$T/report.pdf" || fail "wl_plots_pdf_report"
if command -v pdfinfo >/dev/null 2>&1; then
	pdfinfo "$T/report.pdf" | grep -q "^Page size: *595.28 x 841.89" || fail "report not A4"
	p=$(pdfinfo "$T/report.pdf" | sed -n 's/^Pages: *//p')
	[ "$p" -ge 2 ] || fail "report has $p pages"
	check_pdf "$T/report.pdf" 595.28
	pdftotext -layout "$T/report.pdf" "$T/report.txt"
	for w in "decode *35.0 *60.0" Power Metrics Correlation Energy; do
		grep -q "$w" "$T/report.txt" || fail "report lacks '$w'"
	done
fi

# 3. The command: usage errors are exit 2 with one line.
[ -x "$W" ] || fail "no $W"
$W plot --figure nope x.csv 2>"$T/err"; [ $? -eq 2 ] || fail "unknown figure not exit 2"
grep -q "unknown figure 'nope'" "$T/err" || fail "no message for an unknown figure"
$W plot --figure power --width huge x.csv 2>/dev/null; [ $? -eq 2 ] || fail "bad width not exit 2"
$W plot --figure power -o "$T/x.png" "$T/missing.csv" 2>"$T/err"
[ $? -ne 0 ] && grep -q "missing.csv" "$T/err" || fail "missing input not reported"

# 3b. The power figure of a wattlog trace is streamed (read record by
# record); --no-stream loads it whole.  Both must draw the same figure, to
# the byte: the streaming path shares the binning, the normalization rule
# and the legend order, and keeps every sample for the phases while a
# channel has fewer than 4096 (plot.h).  Traces: 3000 samples of gauges,
# counters (one wrapping every ~2 s, one updated on every other read),
# activity channels, with and without begin/end markers; a simulated run
# (auto phases).  A cpu summed from two packages is left to the loaded
# path, with a note.
MIX=$B/tests/trace_mixed
same_fig() { # trace extra-args...
	sf=$1
	shift
	$W plot --figure power "$@" -o "$T/st.png" "$sf" >/dev/null 2>"$T/st.err" || fail "streamed plot of $sf $*: $(cat "$T/st.err")"
	$W plot --figure power --no-stream "$@" -o "$T/ld.png" "$sf" >/dev/null || fail "loaded plot of $sf $*"
	cmp -s "$T/st.png" "$T/ld.png" || fail "power of $sf $*: streamed and loaded figures differ"
}
$MIX "$T/mix.wlog" 3000 || fail "trace_mixed"
$MIX "$T/mixm.wlog" 3000 markers || fail "trace_mixed markers"
$W simulate --schedule 'idle 5s, prefill 20s, decode 60s, idle 10s, prefill 10s, decode 30s' \
	--period 50ms -o "$T/sim.wlog" || fail "simulate"
for tr in mix mixm sim; do
	same_fig "$T/$tr.wlog"
	same_fig "$T/$tr.wlog" --stack
	check_png "$T/st.png" 1152 0.02
done
same_fig "$T/mixm.wlog" --style paper --width double
same_fig "$T/mixm.wlog" --from 20 --to 100
same_fig "$T/sim.wlog" --no-phases
! grep -q "wattlog" "$T/st.err" || fail "streamed plot said: $(cat "$T/st.err")"
$MIX "$T/two.wlog" 3000 markers twopkg || fail "trace_mixed twopkg"
same_fig "$T/two.wlog"
grep -q "component 'cpu' is the sum of 2 channels: reading it whole" "$T/st.err" ||
	fail "two packages: no note that the trace is loaded whole"

# 4. The AIMeter A800 prefill-decode trace.
A=$(ls "$S"/real-traces/aimeter-a800/prefill-decode/*.csv 2>/dev/null | head -1)
if [ -z "$A" ]; then
	echo "skipped: the A800 part: $S/real-traces absent"
	exit 0
fi
M=power.draw,clocks.current.sm,tensor_active,dram_active,sm_occupancy
for fig in power panels heatmap energy; do
	for ext in png pdf svg; do
		$W plot --figure $fig --metrics $M -o "$T/a-$fig.$ext" "$A" >/dev/null ||
			fail "wattlog plot --figure $fig $ext on $A"
	done
	check_png "$T/a-$fig.png" 1152 0.02
	check_svg "$T/a-$fig.svg" 576
	$W plot --figure $fig --style paper --width single -o "$T/a-$fig-1.pdf" "$A" >/dev/null ||
		fail "paper single $fig"
	$W plot --figure $fig --style paper --width double -o "$T/a-$fig-2.pdf" "$A" >/dev/null ||
		fail "paper double $fig"
	check_pdf "$T/a-$fig-1.pdf" 239.76
	check_pdf "$T/a-$fig-2.pdf" 515.52
done
# Lines alone (no phase shading) still ink the plot area.
$W plot --figure power --no-phases -o "$T/lines.png" "$A" >/dev/null || fail "--no-phases"
check_png "$T/lines.png" 1152 0.005
$W plot --figure power -o "$T/again.png" "$A" >/dev/null
$W plot --figure power -o "$T/again2.png" "$A" >/dev/null
cmp -s "$T/again.png" "$T/again2.png" || fail "A800 power PNG differs between runs"
echo "ok"
