#!/bin/sh
# t01-layers: the architecture's rules, checked on every build:
#   - a folder never includes from a folder above it (scripts/check/layers.sh);
#   - no new cycle between source files (A uses what B defines and B, through
#     any path, what A defines: one concept cut in two), read from the
#     objects' symbol tables (scripts/check/file-cycles.py); the cycles that
#     exist are listed in scripts/check/cycles.known, and that list may only
#     shrink.
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
fail() { echo "FAIL: $*"; exit 1; }
sh "$R/scripts/check/layers.sh" || fail "layer rule broken"
command -v nm >/dev/null || { echo "nm not found"; exit 77; }
[ -d "$B/obj/src" ] || fail "no objects in $B/obj/src"
python3 "$R/scripts/check/file-cycles.py" "$B/obj" "$R/scripts/check/cycles.known" >"$B/cycles.txt" ||
	fail "a new cycle between files"
echo "ok: $(grep -c . "$B/cycles.txt") known cycles left (scripts/check/cycles.known)"
