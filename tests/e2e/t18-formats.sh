#!/bin/sh
# t18-formats: the registry of input formats (src/analyze/ingest/formats.c) is the
# one list: README's table of formats holds exactly its rows, in its order
# (`wattlog --input-formats`), and every command's --help that takes
# --input-format names each format.
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
T=$(mktemp -d /tmp/wl-t18.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B/wattlog" --input-formats >"$T/reg" || fail "wattlog --input-formats"
[ -s "$T/reg" ] || fail "no formats"
awk -F'\t' '{ printf "| `%s` | %s |\n", $1, $2 }' "$T/reg" >"$T/want"
awk '/^\| format \| what it is \|$/ { on = 1; getline; next } on && /^\|/ { print; next } on { exit }' \
	"$R/README.md" >"$T/readme"
[ -s "$T/readme" ] || fail "no table '| format | what it is |' in README.md"
diff "$T/want" "$T/readme" >"$T/diff" || fail "README's formats differ from the registry (- registry, + README):
$(cat "$T/diff")"

n=0
for c in $("$B/wattlog" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
	"$B/wattlog" "$c" --help >"$T/help" 2>&1
	grep -q -- "--input-format" "$T/help" || continue
	tr '\n' ' ' <"$T/help" | tr -s ' ' >"$T/flat"
	for f in $(cut -f1 "$T/reg"); do
		grep -q "[ ,]$f[ ,]" "$T/flat" || fail "wattlog $c --help does not name the format $f"
	done
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n commands take --input-format"
echo "ok: $(wc -l <"$T/reg") formats, README's table and $n commands' --help agree with the registry"
