#!/bin/sh
# t86-metrics-server: --metrics-listen under bad clients.  Four clients that
# connect and send nothing, one that sends 1 MB of header, one that sends a
# request and never reads: each is dropped (closed by the recorder at its
# 2 s timeout, or at once for the long header; the test waits up to 30 s),
# a scrape made meanwhile succeeds, and the recording goes on (its sample
# count, read from the metrics, keeps growing; the trace has no 1.5 s gap).
# Also: 404 and 405, a bad
# address refused before anything runs, --list names what is served, and the
# option is off by default (nothing listens).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

# a bad address: exit 2? no: 1 before the command runs, one clear line
"$REC" -q --sysfs-root "$FSYS" -o "$T/bad.wlog" --metrics-listen nowhere -- true \
	2>"$T/err" && fail "bad address accepted"
grep -q "bad metrics address 'nowhere': expected ADDR:PORT" "$T/err" || fail "message: $(cat "$T/err")"
"$REC" -q --sysfs-root "$FSYS" -o "$T/bad2.wlog" --metrics-listen 203.0.113.1:9 -- true \
	2>"$T/err" && fail "a foreign address accepted"
grep -q "cannot listen on '203.0.113.1:9'" "$T/err" || fail "message: $(cat "$T/err")"
"$REC" --list --sysfs-root "$FSYS" >"$T/list" || fail "--list"
grep -q "wattlog_energy_joules_total{component,source,channel,device,host}" "$T/list" ||
	fail "--list does not say what is served: $(tail -5 "$T/list")"
grep -Eq "^  package-0 +uJ +counter +package-0 +-> wattlog_energy_joules_total" "$T/list" ||
	fail "--list: no metric for package-0: $(grep package-0 "$T/list")"

mkfifo "$T/go"
"$REC" -i 10ms --sysfs-root "$FSYS" -o "$T/r.wlog" --metrics-listen 127.0.0.1:0 \
	-- sh -c "read x <'$T/go'" 2>"$T/rec.err" &
RPID=$!
i=0
until grep -q 'serving metrics on' "$T/rec.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 500 ] || fail "no metrics address: $(cat "$T/rec.err")"
	sleep 0.01
done
ADDR=$(sed -n 's|.*serving metrics on http://\([^/]*\)/metrics.*|\1|p' "$T/rec.err")
python3 - "$ADDR" <<'PY' || { kill $RPID 2>/dev/null; fail "bad clients"; }
import socket, sys, time, urllib.request, urllib.error
host, port = sys.argv[1].rsplit(":", 1)
addr = (host, int(port))
# every limit here is 30 s: what is tested is that a bad client is dropped
# and the recording goes on, not how soon a loaded machine gets to it (the
# recorder's own timeout is 2 s)
LIMIT = 30
def samples():
    body = urllib.request.urlopen("http://%s:%s/metrics" % addr, timeout=LIMIT).read().decode()
    return sum(int(l.split()[-1]) for l in body.splitlines()
               if l.startswith("wattlog_samples_total{"))
def closed(s, limit):
    """True when the server closes s within limit seconds."""
    s.settimeout(limit)
    try:
        while s.recv(65536):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
n0 = samples()
idle = [socket.create_connection(addr) for _ in range(4)]
# every slot holds an idle client: a scrape still gets through (the oldest
# idle one makes room)
t0 = time.monotonic()
n1 = samples()
print("scrape with 4 idle clients: %.3f s" % (time.monotonic() - t0))
# 1 MB of header: dropped as soon as the 8 KiB head buffer is full
big = socket.create_connection(addr)
big.settimeout(LIMIT)
sent = 0
try:
    big.sendall(b"GET /metrics HTTP/1.1\r\n")
    while sent < 1 << 20:
        big.sendall(b"X-Pad: " + b"a" * 1000 + b"\r\n")
        sent += 1009
except (ConnectionResetError, BrokenPipeError, socket.timeout):
    pass
assert closed(big, LIMIT), "1 MB header: not dropped"
print("1 MB header: dropped (%d bytes sent before the reset)" % sent)
# a client that asks and never reads: its reply sits in the kernel buffer;
# it is closed at the write timeout at the latest
lazy = socket.create_connection(addr)
lazy.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
# idle clients are dropped at the 2 s read timeout
for s in idle:
    assert closed(s, LIMIT), "an idle client was not dropped"
print("idle clients dropped")
def status(req):
    s = socket.create_connection(addr)
    s.sendall(req)
    s.settimeout(LIMIT)
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    return data.split(b"\r\n")[0].decode()
assert status(b"GET /nope HTTP/1.1\r\n\r\n") == "HTTP/1.1 404 Not Found"
assert status(b"POST /metrics HTTP/1.1\r\n\r\n") == "HTTP/1.1 405 Method Not Allowed"
n2 = samples()
print("samples: %d -> %d -> %d" % (n0, n1, n2))
assert n0 <= n1 < n2, "recording stalled"
PY
timeout 10 sh -c "echo go >'$T/go'" || fail "the recorded command is gone"
wait $RPID || fail "recorder exit $?: $(cat "$T/rec.err")"
summary "$T/r.wlog" >"$T/s" || fail "reader"
[ "$(val damage "$T/s")" = 0 ] || fail "damage"
# the bad clients never held the sampling up: no gap of 1.5 s in the
# trace's procfs samples (a recorder waiting on an idle client's 2 s read
# timeout leaves one; how many samples a loaded machine allows is not asserted)
set -- $(val "gap_ns procfs" "$T/s")
[ "${2:-0}" -gt 0 ] && [ "$2" -lt 1500000000 ] || fail "procfs samples stalled: longest gap ${2:-none} ns"
# off by default: no socket, no message
"$REC" -i 10ms --sysfs-root "$FSYS" -o "$T/off.wlog" -- true 2>"$T/off.err" || fail "plain run"
grep -q "metrics" "$T/off.err" && fail "metrics without --metrics-listen: $(cat "$T/off.err")"
exit 0
