#!/bin/sh
# t15-fuzz-replay: every fuzz target, built without libFuzzer
# ($WL_BUILD/tests/replay_NAME, tests/fuzz/replay.c), runs over its saved
# seeds and crash inputs (fixtures/fuzz/NAME/, plus fixtures/csv for the CSV
# readers, as tests/fuzz/run.sh seeds them): a crash found once stays fixed,
# with the same properties the fuzzer checks, under the sanitizers when the
# build has them.
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
fail() { echo "FAIL: $*"; exit 1; }
n=0
E=$(mktemp /tmp/wl-replay.XXXXXX)
for bin in "$B"/tests/replay_*; do
	case $bin in *.d) continue ;; esac
	[ -x "$bin" ] || continue
	t=${bin##*/replay_}
	dirs=$R/fixtures/fuzz/$t
	case $t in
	aimeter|nvsmi|tegrastats|generic|rapltrace|intensity) dirs="$dirs $R/fixtures/csv" ;;
	detect) dirs="$dirs $R/fixtures/csv $R/fixtures/fuzz/trace" ;;
	esac
	for d in $dirs; do
		[ -d "$d" ] || continue
		for f in "$d"/*; do
			[ -f "$f" ] || continue
			"$bin" "$f" >/dev/null 2>"$E" ||
				{ cat "$E"; fail "fuzz target $t on '$f'"; }
			n=$((n + 1))
		done
	done
done
[ $n -gt 0 ] || fail "no fuzz replay binary in $B/tests"
rm -f "$E"
echo "ok: $n inputs replayed"
