#!/bin/sh
# scripts/check/layers.sh - the layer rule: a folder never includes from a
# folder above it.  Layers, lowest first (HACKING.md explains them):
#
#   common   src/common              errors, growth, numbers (libc)
#   trace    src/trace               the trace format: writer, reader, walker (libc)
#   record   src/record[/source]     the recorder (libc; never the analyzer)
#   model    src/analyze/model       dataset, units, times, assumptions, phase lists
#   ingest   src/analyze/ingest      one reader per input format, their registry
#   stages   src/analyze/stages      normalize, energy, statistics, correlation,
#                                    phases, carbon, shares, requests
#   pipeline src/analyze/pipeline    the one composition (run), streaming, compare,
#                                    simulate, fit
#   render   src/render              text and figures from results
#   cmd      src/cmd                 one file per command
#   main     src/wattlog.c           the command table's entry point
#
# A public header include/wattlog/X.h belongs to the layer that implements
# it (the table below; a header not in the table belongs to the folder that
# holds X.c).  A project header without "wattlog/" must be in the including
# file's folder or below it.  Prints each violation as FILE: includes HEADER
# (LAYER above FOLDER) and exits 1 when there is one.
cd "$(dirname "$0")/../.." || exit 2
owner() {
	case $1 in
	error.h|grow.h|version.h) echo common ;;
	trace.h|trace_format.h) echo trace ;;
	record.h|source.h|marker.h) echo record ;;
	# a header the analyzer's layers share belongs to the lowest layer
	# that implements part of it
	assume.h|dataset.h|phases.h|tzone.h|units.h) echo model ;;
	analysis.h|csvread.h|ingest.h|jsonread.h|merge.h) echo ingest ;;
	carbon.h|components.h|envelope.h|requests.h|share.h|stream.h) echo stages ;;
	compare.h|fit.h|run.h|simulate.h) echo pipeline ;;
	plot.h|report.h|report_job.h|jsonout.h) echo render ;;
	commands.h) echo cmd ;;
	*)
		# the lowest folder holding X.c or X_*.c
		for d in src/common src/trace src/record src/analyze/model src/analyze/ingest \
			 src/analyze/stages src/analyze/pipeline src/render src/cmd; do
			if [ -n "$(find "$d" -name "${1%.h}.c" -o -name "${1%.h}_*.c" | head -1)" ]; then
				layer_of "$d/"
				return
			fi
		done
		echo unknown ;;
	esac
}
layer_of() {
	case $1 in
	src/common/*) echo common ;;
	src/trace/*) echo trace ;;
	src/record/*) echo record ;;
	src/analyze/model/*) echo model ;;
	src/analyze/ingest/*) echo ingest ;;
	src/analyze/stages/*) echo stages ;;
	src/analyze/pipeline/*) echo pipeline ;;
	src/render/*) echo render ;;
	src/cmd/*) echo cmd ;;
	src/*) echo main ;;
	*) echo unknown ;;
	esac
}
# allowed FOLDER-LAYER HEADER-LAYER: may FOLDER-LAYER include HEADER-LAYER?
rank() {
	case $1 in
	common) echo 0 ;; trace) echo 1 ;; model) echo 3 ;; ingest) echo 4 ;;
	stages) echo 5 ;; pipeline) echo 6 ;; render) echo 7 ;; cmd) echo 8 ;; main) echo 9 ;;
	*) echo 99 ;;
	esac
}
# allowed FOLDER-LAYER HEADER-LAYER: may FOLDER-LAYER include HEADER-LAYER?
# The recorder is beside the analyzer, not below it: only it (and main)
# includes record headers, and it includes nothing of the analyzer.
allowed() {
	case "$1:$2" in
	record:common|record:trace|record:record|main:record) return 0 ;;
	record:*|*:record) return 1 ;;
	esac
	[ "$(rank "$2")" -le "$(rank "$1")" ]
}
bad=0
for f in $(find src -name '*.[ch]' | sort); do
	me=$(layer_of "$f")
	dir=$(dirname "$f")
	for h in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
		case $h in
		wattlog/*)
			l=$(owner "${h#wattlog/}")
			if [ "$l" = unknown ]; then
				echo "$f: includes $h, a header no layer owns (add it to scripts/check/layers.sh)"
				bad=1
			elif ! allowed "$me" "$l"; then
				echo "$f: includes $h ($l above $me)"
				bad=1
			fi ;;
		*)
			case $h in
			../*|*/../*) echo "$f: includes $h from a folder above it"; bad=1 ;;
			*) [ -f "$dir/$h" ] || { echo "$f: includes $h, not in its folder or below"; bad=1; } ;;
			esac ;;
		esac
	done
done
[ $bad -eq 0 ] && echo "layers: every include is at or below its folder's layer"
exit $bad
