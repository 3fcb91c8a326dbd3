#!/bin/sh
# t17-flags: one flag language.  The option tables the programs print
# (`wattlog --options`, `wattlog-record --options`: every command's getopt
# table) give each letter one meaning across every command; each letter of
# a table is in that command's --help as "-x, --long"; -V, --version and
# `help CMD`; an unknown option or a missing argument names `wattlog CMD:`
# and prints one usage line and where the help is, exit 2, in every command.
B=${WL_BUILD:-build}
T=$(mktemp -d /tmp/wl-t17.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B/wattlog" --options >"$T/opts" || fail "wattlog --options"
"$B/wattlog-record" --options | sed 's/^/record /' >>"$T/opts" || fail "wattlog-record --options"
cmds=$("$B/wattlog" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
for c in $cmds record; do
	grep -q "^$c " "$T/opts" || fail "no option table for $c"
done
# one letter, one long name, in every command
awk '$2 ~ /^-[A-Za-z0-9]$/ {
	if (!($2 in m)) { m[$2] = $3; where[$2] = $1 }
	else if (m[$2] != $3) { print "letter " $2 " is " m[$2] " in " where[$2] " and " $3 " in " $1; bad = 1 }
} END { exit bad }' "$T/opts" >"$T/clash" || fail "$(cat "$T/clash")"
# the letters the README's table names are the tables' letters
grep -q -- '^report -F --format$' "$T/opts" || fail "report -F: $(grep '^report -F' "$T/opts")"
grep -q -- '^record -f --force$' "$T/opts" || fail "record -f"

# each letter of a table is in the command's --help as "-x, --long"
for c in $cmds record; do
	if [ "$c" = record ]; then "$B/wattlog-record" --help >"$T/help"; else "$B/wattlog" "$c" --help >"$T/help"; fi
	grep "^$c " "$T/opts" | while read -r _ a b; do
		[ -z "$b" ] || grep -q -- "$a, $b" "$T/help" || { echo "$c: '$a, $b' not in --help"; exit 1; }
	done >"$T/miss" || fail "$(cat "$T/miss")"
done

# -V, --version, help CMD
v=$("$B/wattlog" --version) || fail "--version"
[ "$("$B/wattlog" -V)" = "$v" ] || fail "-V: $("$B/wattlog" -V 2>&1)"
"$B/wattlog" help report >"$T/a" || fail "help report: exit $?"
"$B/wattlog" report --help >"$T/b" || fail "report --help"
cmp -s "$T/a" "$T/b" || fail "'help report' is not 'report --help'"
"$B/wattlog" help nosuch 2>"$T/e" && fail "help nosuch: exit 0"

# unknown option / missing argument: three lines, exit 2, in every command
for c in $cmds; do
	"$B/wattlog" "$c" --no-such-option x >"$T/o" 2>"$T/e"
	rc=$?
	[ $rc -eq 2 ] || fail "$c --no-such-option: exit $rc"
	[ -s "$T/o" ] && fail "$c: output on stdout"
	printf '%s\n' "wattlog $c: unrecognized option '--no-such-option'" >"$T/want"
	sed -n 1p "$T/e" | cmp -s - "$T/want" || fail "$c: $(sed -n 1p "$T/e")"
	[ "$(wc -l <"$T/e")" -eq 3 ] || fail "$c: $(wc -l <"$T/e") lines: $(cat "$T/e")"
	sed -n 2p "$T/e" | grep -Eq "^usage: wattlog $c( |\$)" || fail "$c usage line: $(sed -n 2p "$T/e")"
	sed -n 3p "$T/e" | grep -qx "see 'wattlog $c --help'" || fail "$c: $(sed -n 3p "$T/e")"
done
"$B/wattlog" report -o 2>"$T/e"
[ $? -eq 2 ] || fail "report -o without argument: exit status"
grep -qx "wattlog report: option '-o' needs an argument" "$T/e" || fail "$(cat "$T/e")"
"$B/wattlog" report --output 2>"$T/e"
grep -qx "wattlog report: option '--output' needs an argument" "$T/e" || fail "$(cat "$T/e")"
"$B/wattlog" report --help=x 2>"$T/e"
grep -qx "wattlog report: option '--help' takes no argument" "$T/e" || fail "$(cat "$T/e")"
"$B/wattlog-record" --no-such-option 2>"$T/e"
[ $? -eq 2 ] || fail "record --no-such-option: exit status"
grep -qx "wattlog-record: unrecognized option '--no-such-option'" "$T/e" || fail "$(cat "$T/e")"
grep -q "^usage: wattlog-record " "$T/e" || fail "record usage: $(cat "$T/e")"
exit 0
