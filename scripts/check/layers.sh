#!/bin/sh
# scripts/check/layers.sh - the layer rule: a folder never includes from a
# folder above it.  Layers, lowest first (HACKING.md explains them):
#
#   common  src/common          errors, growth (libc)
#   trace   src/trace           the trace format: writer, reader (libc)
#   record  src/record[/source] the recorder (libc; never the analyzer)
#   analyze src/analyze         model, ingest, stages (never the recorder)
#   render  src/render          text and figures from results
#   cmd     src/cmd             one file per command
#   main    src/wattlog.c       the command table's entry point
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
	analysis.h|assume.h|carbon.h|compare.h|csvread.h|dataset.h|ingest.h|merge.h|phases.h|\
	simulate.h|stream.h|units.h) echo analyze ;;
	plot.h|report.h|report_job.h|jsonout.h) echo render ;;
	commands.h) echo cmd ;;
	*)
		# the lowest folder holding X.c or X_*.c
		for d in src/common src/trace src/record src/analyze src/render src/cmd; do
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
	src/analyze/*) echo analyze ;;
	src/render/*) echo render ;;
	src/cmd/*) echo cmd ;;
	src/*) echo main ;;
	*) echo unknown ;;
	esac
}
# allowed FOLDER-LAYER HEADER-LAYER: may FOLDER-LAYER include HEADER-LAYER?
allowed() {
	case "$1:$2" in
	*:common) return 0 ;;
	common:*) return 1 ;;
	*:trace) return 0 ;;
	trace:*) return 1 ;;
	record:record) return 0 ;;
	record:*|*:record) return 1 ;;
	*:analyze) return 0 ;;
	analyze:*) return 1 ;;
	*:render) return 0 ;;
	render:*) return 1 ;;
	*:cmd) return 0 ;;
	cmd:*) return 1 ;;
	main:*) return 0 ;;
	esac
	return 1
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
