#!/bin/sh
# t87-watch: `wattlog watch` on a trace while wattlog-record writes it.  The
# fake NVML's gpu0 draws 250 W (power.draw, no energy counter).  The
# recorded command holds until the test has seen watch print gpu0's power
# (a FIFO handshake, no fixed sleep): the first line that shows any sample
# shows 250.0 W.  A marker "begin request 7" is shown open.  When the
# command ends, the recorder writes its end record and watch exits by itself;
# its last energy for gpu0 equals `wattlog report`'s (the same rule) to the
# 0.1 J it prints.  On a terminal the table is redrawn; a missing file is one
# clear line and exit 2.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
W=$B/wattlog
FAKE=$B/tests/libfake-nvml.so
[ -f "$FAKE" ] || fail "$FAKE not built"
cat >"$T/gpu.txt" <<'EOF'
device
name NVIDIA H100 80GB HBM3
uuid GPU-11111111-2222-3333-4444-555555555555
pci 00000000:19:00.0
power 250000
EOF

"$W" watch "$T/none.wlog" 2>"$T/err" && fail "watch of a missing file succeeded"
[ $? -eq 2 ] || fail "missing file: exit not 2"
grep -q "cannot open '$T/none.wlog'" "$T/err" || fail "missing file: $(cat "$T/err")"

mkfifo "$T/go"
WATTLOG_NVML_LIB=$FAKE WATTLOG_FAKE_NVML=$T/gpu.txt \
	"$REC" -i 20ms --flush-interval 100ms --sysfs-root "$FSYS" -o "$T/r.wlog" -- \
	sh -c "echo 'begin request 7' >&\$WATTLOG_MARKER_FD; read x <'$T/go'" 2>"$T/rec.err" &
RPID=$!
i=0
until grep -q 'recording' "$T/rec.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 1500 ] || { kill $RPID 2>/dev/null; fail "recorder did not start in 30 s"; }
	sleep 0.02
done
"$W" watch --interval 100ms --count 300 "$T/r.wlog" >"$T/out" 2>"$T/werr" &
WPID=$!
i=0
until grep -q 'gpu0 250.0W' "$T/out" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 1500 ] || { kill $RPID 2>/dev/null; fail "watch shows no power: $(cat "$T/out")"; }
	sleep 0.02
done
timeout 30 sh -c "echo go >'$T/go'" || fail "the recorded command is gone"
wait $RPID || fail "recorder exit $?"
i=0
while kill -0 $WPID 2>/dev/null; do
	i=$((i + 1)); [ $i -le 1500 ] || { kill $WPID; fail "watch did not stop at the end record"; }
	sleep 0.02
done
wait $WPID || fail "watch exit $?: $(cat "$T/werr")"
cat "$T/out"
# the first line with a sample already shows the GPU's power
first=$(grep -v '^t=0.0s' "$T/out" | head -1)
case "$first" in *"gpu0 250.0W"*) ;; *) fail "first line with samples: $first" ;; esac
case "$first" in *"open=1 request 7"*) ;; *) fail "open marker not shown: $first" ;; esac
tail -1 "$T/out" | grep -q '  end$' || fail "watch did not see the end record"
"$W" report --no-phases --format json -o "$T/r.json" "$T/r.wlog" || fail "report"
python3 - "$T/r.json" "$T/out" <<'PY' || fail "energy"
import json, re, sys
want = json.load(open(sys.argv[1]))["energy_j"]["components"]["gpu0"]
last = open(sys.argv[2]).read().splitlines()[-1]
got = float(re.search(r"gpu0 [0-9.]+W ([0-9.]+)J", last).group(1))
print("watch %.1f J, report %.4f J" % (got, want))
sys.exit(abs(got - want) > 0.05 + 1e-9)
PY
# a terminal: the table redrawn (cursor home, clear), one row per component
python3 - "$W" "$T/r.wlog" <<'PY' || fail "terminal table"
import os, pty, sys
w, trace = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(w, [w, "watch", "--count", "2", "--interval", "10ms", trace])
out = b""
while True:
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
text = out.decode()
assert "\x1b[H\x1b[J" in text, text
assert "component" in text and "gpu0" in text and "total" in text, text
PY
