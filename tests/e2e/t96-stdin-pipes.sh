#!/bin/sh
# t96-stdin-pipes: every reader is bounded and reads standard input and pipes
# (issue 17, item 9):
#  1. a trace piped to `report -` and to `report /dev/stdin`, and `info -`,
#     `phases -`: the same JSON as from the file (but the name);
#  2. a CSV piped to `report -`, `/dev/stdin` and through a named FIFO: the
#     energy of 10, 20, 30 W at 0, 1, 2 s by the trapezoid rule, 15 + 25 = 40 J;
#     a tegrastats log piped: the same energy as from its file;
#  3. /dev/zero (a device that never ends) is refused at once with one line,
#     a pipe of zeros is refused as binary before it is copied, and a piped
#     trace longer than WATTLOG_INPUT_MAX is refused at that offset; each
#     under a 1 GB address-space limit and a timeout, so none can grow.
B=$(cd "${WL_BUILD:-build}" && pwd)
W=$B/wattlog
R=${WL_ROOT:-$(pwd)}
T=$(mktemp -d /tmp/wl-t96.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$W" ] || fail "$W not built"
[ -x "$B/tests/mktrace" ] || fail "$B/tests/mktrace not built"
cd "$T" || exit 1
"$B/tests/mktrace" t.wlog >/dev/null || fail "mktrace"

# same JSON but for the file's name (the "file" key, and in warnings)
same() { # JSON1 NAME1 JSON2 NAME2
	python3 - "$@" <<'PY' || fail "$1 and $3 differ"
import json, sys
def load(f, name):
    d = json.load(open(f))
    d.pop("file")
    return json.dumps(d, sort_keys=True).replace("'%s'" % name, "'NAME'")
if load(sys.argv[1], sys.argv[2]) != load(sys.argv[3], sys.argv[4]):
    sys.exit(1)
PY
}

# --- 1. a piped trace ------------------------------------------------------
"$W" report --format json t.wlog >file.json 2>err || fail "report t.wlog: $(cat err)"
cat t.wlog | "$W" report --format json - >dash.json 2>err || fail "report -: $(cat err)"
same file.json t.wlog dash.json -
cat t.wlog | "$W" report --format json /dev/stdin >stdin.json 2>err ||
	fail "report /dev/stdin: $(cat err)"
same file.json t.wlog stdin.json /dev/stdin
"$W" info t.wlog >info.file 2>err || fail "info t.wlog: $(cat err)"
cat t.wlog | "$W" info - >info.pipe 2>err || fail "info -: $(cat err)"
[ "$(sed 1d info.file)" = "$(sed 1d info.pipe)" ] || fail "info - differs: $(diff info.file info.pipe)"
"$W" phases --format json t.wlog >ph.file 2>err || fail "phases t.wlog: $(cat err)"
cat t.wlog | "$W" phases --format json - >ph.pipe 2>err || fail "phases -: $(cat err)"
same ph.file t.wlog ph.pipe -

# --- 2. piped text logs -------------------------------------------------------
energy() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["energy_j"]["total"])' "$1"; }
csv() { printf 'time,power [W]\n0,10\n1,20\n2,30\n'; }
csv | "$W" report --format json - >c1.json 2>err || fail "csv to -: $(cat err)"
csv | "$W" report --format json /dev/stdin >c2.json 2>err || fail "csv to /dev/stdin: $(cat err)"
mkfifo fifo.csv || fail mkfifo
csv >fifo.csv &
"$W" report --format json fifo.csv >c3.json 2>err || fail "csv FIFO: $(cat err)"
wait
for j in c1 c2 c3; do
	[ "$(energy $j.json)" = 40.0 ] || fail "$j: energy $(energy $j.json), want 40 J"
done
"$W" report --format json "$R/fixtures/csv/tegrastats_small.log" >tg1.json 2>err || fail "tegrastats: $(cat err)"
"$W" report --format json - <"$R/fixtures/csv/tegrastats_small.log" >tg2.json 2>err ||
	fail "tegrastats from a file on stdin: $(cat err)"
cat "$R/fixtures/csv/tegrastats_small.log" | "$W" report --format json - >tg3.json 2>err ||
	fail "tegrastats piped: $(cat err)"
e=$(energy tg1.json)
[ "$e" != None ] && [ "$(energy tg2.json)" = "$e" ] && [ "$(energy tg3.json)" = "$e" ] ||
	fail "tegrastats energy: file $e, stdin $(energy tg2.json), pipe $(energy tg3.json)"

# --- 3. bounded ---------------------------------------------------------------
# 1 GB of address space (AddressSanitizer reserves terabytes: the time
# limit alone bounds a sanitizer build)
VLIM=1000000
ldd "$W" 2>/dev/null | grep -q libasan && VLIM=unlimited
one_line() { # STATUS WANT: exit 2 and exactly the line WANT on stderr
	[ "$1" -eq 2 ] || fail "exit $1, want 2; stderr: $(cat err)"
	[ "$(wc -l <err)" -eq 1 ] && [ "$(cat err)" = "$2" ] || fail "stderr '$(cat err)', want '$2'"
}
(ulimit -v $VLIM; timeout 30 "$W" report --input-format wattlog /dev/zero) >out 2>err
one_line $? "wattlog report: cannot read '/dev/zero': a device or terminal, not a file or a pipe"
head -c 300M /dev/zero | (ulimit -v $VLIM; timeout 30 "$W" report -) >out 2>err
one_line $? "wattlog report: unknown format: '-': binary data that is no wattlog trace"
head -c 300M /dev/zero | (ulimit -v $VLIM; timeout 30 "$W" report --input-format wattlog -) >out 2>err
one_line $? "wattlog report: unknown format: '-': binary data that is no wattlog trace"
{ cat t.wlog; head -c 300M /dev/zero; } |
	(ulimit -v $VLIM; WATTLOG_INPUT_MAX=100000 timeout 30 "$W" report -) >out 2>err
one_line $? "wattlog report: '-' offset 100000: more than 100000 bytes from a pipe (WATTLOG_INPUT_MAX): save it to a file and name the file"
echo "ok: traces and logs read from stdin, /dev/stdin and a FIFO; devices, binary and oversized pipes refused"
