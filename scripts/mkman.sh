#!/bin/sh
# mkman.sh BUILD OUTDIR - writes the manual pages into OUTDIR from the built
# programs themselves, so they cannot drift from the code:
#   wattlog-CMD.1   one per command of `BUILD/wattlog --help` (as git does),
#                   converted from `wattlog CMD --help`
#   wattlog.1       src/man/wattlog.1 with its COMMANDS section regenerated
#   wattlog-record.1, wattlog-dump.1  from src/man/
# Every page's footer is "wattlog VERSION", VERSION from
# include/wattlog/version.h.  Pages are troff -man; `groff -ww -z -man`
# is silent on each (tests/e2e/t16-install.sh checks it).
set -e
B=$1
OUT=$2
[ -x "$B/wattlog" ] || { echo "mkman: no $B/wattlog: build first" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n 's/^#define WL_VERSION "\(.*\)"/\1/p' "$ROOT/include/wattlog/version.h")
[ -n "$VERSION" ] || { echo "mkman: no WL_VERSION in version.h" >&2; exit 1; }
mkdir -p "$OUT"

# The command table as `wattlog --help` prints it: "  NAME   one-line help".
commands() {
	"$B/wattlog" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print } on && /^$/ && n++ { exit }'
}

# escape: troff-safe text (backslashes, hyphens, leading dots and quotes).
ESC='s/\\/\\e/g; s/-/\\-/g; s/^\([.'"'"']\)/\\\&\1/'

# help2man CMD SUMMARY: the page of one command from its --help.
help2man() {
	cmd=$1
	summary=$2
	upper=$(echo "wattlog-$cmd" | tr a-z A-Z)
	{
		echo ".TH $upper 1 \"\" \"wattlog $VERSION\" \"wattlog manual\""
		echo ".SH NAME"
		echo "wattlog\\-$cmd \\- $summary" | sed 's/\([^\\]\)-/\1\\-/g'
		"$B/wattlog" "$cmd" --help | sed "$ESC" | awk '
			# usage line -> SYNOPSIS; unindented text -> DESCRIPTION
			# paragraphs; "heading:" -> .SS; indented "TERM  text"
			# -> .TP entries, deeper indented lines continue them.
			BEGIN { sect = "" }
			/^usage: / {
				sub(/^usage: /, "")
				print ".SH SYNOPSIS"; print ".B " $0
				next
			}
			/^$/ { para = 1; next }
			/^[^ ].*:$/ && !/ .* .* .* / {
				if (sect != "o") { print ".SH OPTIONS"; sect = "o" }
				sub(/:$/, ""); print ".SS " $0; para = 0; item = 0; next
			}
			/^ / {
				line = $0
				sub(/^ +/, "", line)
				ind = length($0) - length(line)
				if (ind <= 6 && match(line, /[^ ]   *[^ ]/) &&
				    index(line, "  ") > 0) {
					if (sect != "o") { print ".SH OPTIONS"; sect = "o" }
					gap = index(line, "  ")
					term = substr(line, 1, gap - 1)
					desc = substr(line, gap)
					sub(/^ +/, "", desc)
					print ".TP"; print "\\fB" term "\\fR"; print desc
					item = 1; para = 0; next
				}
				if (ind <= 6 && line ~ /^\\-/) {
					if (sect != "o") { print ".SH OPTIONS"; sect = "o" }
					print ".TP"; print "\\fB" line "\\fR"
					item = 1; para = 0; next
				}
				if (item && !para) { print line; next }
				if (para || sect == "d" && !item) print ".PP"
				print line; para = 0; next
			}
			{
				if (sect == "") { print ".SH DESCRIPTION"; sect = "d"; para = 0 }
				else if (para || item) { print ".PP" }
				item = 0; para = 0
				print
			}
		'
		echo ".SH SEE ALSO"
		echo ".BR wattlog (1),"
		echo ".BR wattlog\\-record (1)"
	} >"$OUT/wattlog-$cmd.1"
}

commands | while read -r cmd summary; do
	help2man "$cmd" "$summary"
done

# wattlog.1: the footer, and COMMANDS from the command table.
commands | sed "$ESC" | awk '{ n = $1; $1 = ""; sub(/^ /, ""); print ".TP"; print ".BR wattlog\\-" n " (1)"; print $0 }' \
	>"$OUT/.commands"
awk -v v="$VERSION" -v cf="$OUT/.commands" '
	/^\.TH / { print ".TH WATTLOG 1 \"\" \"wattlog " v "\" \"wattlog manual\""; next }
	/^\.SH COMMANDS/ { print; while ((getline l < cf) > 0) print l; skip = 1; next }
	/^\.SH / { skip = 0 }
	!skip { print }
' "$ROOT/src/man/wattlog.1" >"$OUT/wattlog.1"
rm -f "$OUT/.commands"
for page in wattlog-record wattlog-dump; do
	upper=$(echo "$page" | tr a-z A-Z | sed 's/-/\\\\-/')
	sed "1s/^\\.TH .*/.TH $upper 1 \"\" \"wattlog $VERSION\" \"wattlog manual\"/" \
		"$ROOT/src/man/$page.1" >"$OUT/$page.1"
done
