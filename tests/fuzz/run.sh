#!/bin/sh
# tests/fuzz/run.sh - builds every libFuzzer target (tests/fuzz/fuzz_*.c) with
# clang -fsanitize=fuzzer,address,undefined and runs each for $FUZZ_SECONDS s
# (default 60), then prints one line per target: execs, execs/s, coverage
# (edges at start -> end), units added to the corpus, and the result.
#
#   make fuzz FUZZ_SECONDS=N          (WL_BUILD=build sh tests/fuzz/run.sh)
#   FUZZ_TARGETS="trace cli"          only these targets
#   FUZZ_JOBS=2                       targets run in parallel (default 1)
#   FUZZ_BUILD_ONLY=1                 build, do not run
#   FUZZ_CONTINUE=1                   after a crash, go on for the time left
#
# Seeds: fixtures/fuzz/NAME/ (committed: seeds and regression inputs of
# crashes found, named crash-*; traces there have no .wlog suffix, which
# .gitignore drops), plus fixtures/csv/ for the CSV readers.
# The growing corpus is $WL_BUILD/fuzz/corpus/NAME, logs and crash inputs in
# $WL_BUILD/fuzz/.  Exit status 1 when any target crashed or broke a property.
B=${WL_BUILD:-build}
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
CLANG=${FUZZ_CC:-clang}
F=$B/fuzz
mkdir -p "$F/obj" "$F/corpus"

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: $CLANG not found (install clang)" >&2
	exit 1
fi

PKG_CFLAGS=$(pkg-config --cflags gsl json-c 2>/dev/null)
PKG_LIBS="$(pkg-config --libs gsl json-c 2>/dev/null) -lcsv -lm -lpthread"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 -Iinclude -D_GNU_SOURCE $PKG_CFLAGS $SAN -fsanitize=fuzzer-no-link"

# The library code the targets reach, instrumented; rebuilt when any source
# or header is newer than the archive.
SRCS="$(ls src/common/*.c src/trace/*.c src/analyze/*/*.c) src/record/cli.c src/record/markers.c"
lib=$F/libwl-fuzz.a
if [ ! -f "$lib" ] || [ -n "$(find src include tests/fuzz/run.sh -newer "$lib" -name '*.[ch]' 2>/dev/null | head -1)" ] ||
   [ tests/fuzz/run.sh -nt "$lib" ]; then
	echo "fuzz: building instrumented library ($CLANG)"
	rm -f "$lib"
	for s in $SRCS; do echo "$s"; done | xargs -P 2 -I{} sh -c \
		'o="$1/obj/$(echo "$2" | tr / _).o"; '"$CLANG $CFLAGS"' -c -o "$o" "$2" || exit 255' \
		sh "$F" {} || exit 1
	ar rcs "$lib" "$F"/obj/*.o || exit 1
fi

all=$(ls tests/fuzz/fuzz_*.c | sed 's|tests/fuzz/fuzz_\(.*\)\.c|\1|')
targets=${FUZZ_TARGETS:-$all}
for t in $targets; do
	bin=$F/fuzz_$t
	if [ ! -x "$bin" ] || [ tests/fuzz/fuzz_$t.c -nt "$bin" ] || [ "$lib" -nt "$bin" ] ||
	   [ -n "$(find tests/fuzz -name '*.h' -newer "$bin" | head -1)" ]; then
		echo "fuzz: building fuzz_$t"
		$CLANG $CFLAGS -fsanitize=fuzzer -Wall -Wextra -o "$bin" tests/fuzz/fuzz_$t.c \
			"$lib" $PKG_LIBS || exit 1
	fi
done
[ -n "$FUZZ_BUILD_ONLY" ] && exit 0

# Runs one target for $SECS s; its summary line goes to $F/NAME.summary.
run_one() {
	t=$1
	corpus=$F/corpus/$t
	mkdir -p "$corpus"
	seeds=""
	dirs=fixtures/fuzz/$t
	case $t in
	aimeter|nvsmi|tegrastats|generic|rapltrace|intensity) dirs="$dirs fixtures/csv" ;;
	detect) dirs="$dirs fixtures/csv fixtures/fuzz/trace" ;;
	esac
	for d in $dirs; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	start=$(date +%s) left=$SECS rc=0 runs=0
	: >"$F/$t.log"
	# FUZZ_CONTINUE=1 (campaigns): after a crash, start again for the time
	# left, so one finding does not end the campaign; every crash is kept.
	while [ "$left" -gt 0 ]; do
		"$F/fuzz_$t" -max_total_time="$left" -print_final_stats=1 -timeout=10 \
			-rss_limit_mb=2048 -artifact_prefix="$F/crash-$t-" "$corpus" $seeds \
			>>"$F/$t.log" 2>&1
		r=$?
		runs=$((runs + 1))
		[ $r -ne 0 ] && rc=$r
		[ $r -eq 0 ] || [ -z "$FUZZ_CONTINUE" ] && break
		left=$((SECS - ($(date +%s) - start)))
	done
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$F/$t.log" | awk '{s += $1} END {print s}')
	rate=$(awk -v e="${execs:-0}" -v s="$(($(date +%s) - start))" 'BEGIN {printf "%d", s ? e / s : 0}')
	added=$(sed -n 's/^stat::new_units_added: *//p' "$F/$t.log" | awk '{s += $1} END {print s}')
	cov0=$(grep -m1 -E 'INITED cov: [0-9]+' "$F/$t.log" | sed 's/.*INITED cov: \([0-9]*\).*/\1/')
	cov1=$(grep -E ' cov: [0-9]+' "$F/$t.log" | tail -1 | sed 's/.* cov: \([0-9]*\).*/\1/')
	ft=$(grep -E ' ft: [0-9]+' "$F/$t.log" | tail -1 | sed 's/.* ft: \([0-9]*\).*/\1/')
	if [ $rc -eq 0 ]; then
		res=ok
	else
		res="CRASH (exit $rc, $(ls "$F"/crash-$t-* 2>/dev/null | wc -l) inputs): $(ls -t "$F"/crash-$t-* 2>/dev/null | head -1)"
	fi
	printf '%-11s %6ss  execs %10s  %7s/s  cov %5s -> %5s  ft %6s  new units %5s  %s\n' \
		"$t" "$SECS" "${execs:-?}" "${rate:-?}" "${cov0:-?}" "${cov1:-?}" "${ft:-?}" \
		"${added:-?}" "$res" >"$F/$t.summary"
	[ $rc -eq 0 ]
}

n=0 failed=""
for t in $targets; do
	run_one "$t" &
	n=$((n + 1))
	if [ $n -ge "$JOBS" ]; then
		wait
		n=0
	fi
done
wait
for t in $targets; do
	cat "$F/$t.summary"
	grep -q ' ok$' "$F/$t.summary" || { failed="$failed $t"; grep -E -A15 '^==[0-9]+==ERROR|fuzz property broken' "$F/$t.log" | head -30; }
done
if [ -n "$failed" ]; then
	echo "fuzz: crashes in:$failed (inputs in $F/crash-*; add them to fixtures/fuzz/NAME/ once fixed)"
	exit 1
fi
echo "fuzz: ${SECS}s each, no crash"
