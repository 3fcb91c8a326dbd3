#!/bin/sh
# t16-install: `make install PREFIX=DIR` gives stripped programs, a manual
# page per command (each clean under groff -ww, footers with version.h's
# version), the headers (a C program built against them sends a marker that
# the installed recorder records and the installed analyzer counts), the
# Python marker module, wattlog-dump (the same CSV as `wattlog export csv`)
# and bash completions that complete commands and a command's long options;
# then, where debhelper and lintian exist, `make deb`, lintian without
# errors, and the package's wattlog --version from a `dpkg -x` root.
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
T=$(mktemp -d /tmp/wl-t16.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
WATTLOG_NVML_LIB=/nonexistent/libnvidia-ml.so.1
export WATTLOG_NVML_LIB
P=$T/p
VERSION=$(sed -n 's/^#define WL_VERSION "\(.*\)"/\1/p' "$R/include/wattlog/version.h")

make -s -C "$R" BUILD="$B" install PREFIX="$P" >"$T/log" 2>&1 || fail "make install: $(tail -5 "$T/log")"

# stripped: no symbol table, no debug sections
for b in wattlog wattlog-record; do
	[ -x "$P/bin/$b" ] || fail "$b not installed"
	readelf -S "$P/bin/$b" >"$T/sec" || fail "readelf $b"
	grep -Eq '\.(symtab|debug_[a-z]+)' "$T/sec" && fail "$b not stripped: $(grep -Eo '\.(symtab|debug_[a-z]+)' "$T/sec" | tr '\n' ' ')"
done
[ "$("$P/bin/wattlog" --version)" = "wattlog $VERSION" ] || fail "wattlog --version: $("$P/bin/wattlog" --version)"

# a page per command of the table, plus wattlog, wattlog-record, wattlog-dump
M=$P/share/man/man1
cmds=$("$P/bin/wattlog" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 10 ] || fail "command list: $cmds"
for c in $cmds; do
	[ -f "$M/wattlog-$c.1" ] || fail "no page wattlog-$c.1"
	grep -q "^\.BR wattlog\\\\-$c (1)" "$M/wattlog.1" || fail "wattlog(1) does not list $c"
	# every long option of the command's --help is on its page
	for o in $("$P/bin/wattlog" "$c" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$M/wattlog-$c.1" || fail "wattlog-$c.1 lacks $o"
	done
done
n=0
for f in "$M"/*.1; do
	n=$((n + 1))
	groff -ww -z -man "$f" >"$T/groff" 2>&1 || fail "groff $f"
	[ -s "$T/groff" ] && fail "groff warns on $(basename "$f"): $(head -3 "$T/groff")"
	sed -n 1p "$f" | grep -q "\"wattlog $VERSION\"" || fail "$(basename "$f") footer: $(sed -n 1p "$f")"
done
[ "$n" -eq $(($(echo "$cmds" | wc -w) + 3)) ] || fail "$n pages for $(echo "$cmds" | wc -w) commands"

# headers: a program built against the installed ones sends a marker
for h in marker.h trace_format.h; do
	[ -f "$P/include/wattlog/$h" ] || fail "no include/wattlog/$h"
done
cat >"$T/m.c" <<'C'
#include <wattlog/marker.h>
#include <wattlog/trace_format.h>
int main(void) { return wl_marker("begin installed %d", 1) == 0 ? 0 : 3; }
C
cc -std=c11 -I"$P/include" -o "$T/m" "$T/m.c" || fail "cc against installed headers"
"$P/bin/wattlog-record" -q -o "$T/m.wlog" -- "$T/m" || fail "recorded marker program: exit $?"
"$P/bin/wattlog" info "$T/m.wlog" >"$T/info" || fail "installed info"
grep -q '^markers: 1$' "$T/info" || fail "marker not recorded: $(grep markers "$T/info")"
grep -q 'begin installed 1' "$T/info" || fail "marker text"

# Python: the wattlog package and the older marker module
PY=$P/lib/python3/dist-packages
if command -v python3 >/dev/null; then
	PYTHONPATH=$PY python3 -c 'import wattlog_marker; wattlog_marker.marker.send' ||
		fail "import wattlog_marker from $PY"
	PYTHONPATH=$PY python3 -c 'import wattlog' || fail "import wattlog from $PY"
	# the independent reader writes the C reader's CSV
	"$P/bin/wattlog-dump" "$T/m.wlog" >"$T/dump.csv" || fail "wattlog-dump"
	"$P/bin/wattlog" export csv "$T/m.wlog" >"$T/export.csv" || fail "export"
	cmp -s "$T/dump.csv" "$T/export.csv" || fail "wattlog-dump and export differ"
fi

# completions: commands, and a command's long options, from the programs
C=$P/share/bash-completion/completions
[ -f "$C/wattlog" ] && [ -f "$C/wattlog-record" ] || fail "completions not installed"
# comp FILE FUNCTION WORD...: what FUNCTION completes the last WORD to
comp() {
	f=$1
	shift
	PATH=$P/bin:$PATH bash -c '. "$1"; f=$2; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$f"; printf "%s\\n" "${COMPREPLY[@]}" | sort | tr "\\n" " "' \
		x "$C/$f" "$@"
}
[ "$(comp wattlog _wattlog wattlog re)" = "regions report requests " ] ||
	fail "wattlog re<TAB>: $(comp wattlog _wattlog wattlog re)"
[ "$(comp wattlog _wattlog wattlog report --input-f)" = "--input-format " ] ||
	fail "wattlog report --input-f<TAB>: $(comp wattlog _wattlog wattlog report --input-f)"
[ "$(comp wattlog-record _wattlog_record wattlog-record --marker)" = "--marker-fifo " ] ||
	fail "wattlog-record --marker<TAB>: $(comp wattlog-record _wattlog_record wattlog-record --marker)"

# the Debian package
if ! command -v dh >/dev/null || ! command -v dpkg-buildpackage >/dev/null; then
	echo "t16: debhelper or dpkg-dev absent: make deb not checked (scripts/install-deps.sh)"
	exit 77
fi
make -s -C "$R" BUILD="$T/b" deb >"$T/deb.log" 2>&1 || fail "make deb: $(tail -20 "$T/deb.log")"
deb=$(ls "$T"/b/deb/wattlog_*.deb) || fail "no .deb"
if command -v lintian >/dev/null; then
	lintian "$T"/b/deb/*.changes >"$T/lintian" 2>&1
	grep '^E:' "$T/lintian" && fail "lintian errors"
	grep '^[WE]:' "$T/lintian" | sed 's/^/t16: lintian: /'
else
	echo "t16: lintian absent: the package was built but not checked"
fi
dpkg -x "$deb" "$T/root" || fail "dpkg -x"
[ "$("$T/root/usr/bin/wattlog" --version)" = "wattlog $VERSION" ] || fail "packaged wattlog --version"
"$T/root/usr/bin/wattlog-record" --version >/dev/null || fail "packaged wattlog-record --version"
[ -f "$T/root/usr/share/man/man1/wattlog-report.1.gz" ] || fail "packaged man page"
command -v lintian >/dev/null || exit 77
exit 0
