#!/bin/sh
# t85-metrics-prometheus: a real Prometheus (Debian's package) scrapes
# wattlog-record --metrics-listen every second during a 10 s recording with
# the fake NVML (gpu0: energy counter +5 J per 20 ms call) and a fake
# powercap tree whose package-0 counter the recorded command advances.  The
# energy Prometheus stored at each scrape equals the trace's energy at that
# instant within one sampling interval's energy, computed here independently
# from the trace by scripts/wlog_dump.py (raw counter differences, unwrapped
# by hand).  promtool check metrics is clean on the text format, and the
# OpenMetrics reply ends with '# EOF'.  Prometheus runs on 127.0.0.1 under its
# own PID, is stopped by that PID, and every wait is bounded.
# wattlog-test: serial
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
FAKE=$B/tests/libfake-nvml.so
[ -f "$FAKE" ] || fail "$FAKE not built"
PROM=$(command -v prometheus) || skip "prometheus not installed (scripts/install-deps.sh)"
PROMTOOL=$(command -v promtool) || skip "promtool not installed (scripts/install-deps.sh)"

cat >"$T/gpu.txt" <<'EOF'
device
name NVIDIA H100 80GB HBM3
uuid GPU-11111111-2222-3333-4444-555555555555
pci 00000000:19:00.0
power 250000
energy 1000000 5000
EOF
E=$FSYS/class/powercap/intel-rapl:0/energy_uj
printf '000001000000\n' >"$E"
PPID_FILE=$T/prom.pid
cleanup() {
	[ -f "$PPID_FILE" ] && kill "$(cat "$PPID_FILE")" 2>/dev/null
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ADDR=127.0.0.1:$RPORT
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: wattlog
    static_configs:
      - targets: ['$ADDR']
EOF
"$PROM" --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address="127.0.0.1:$PPORT" >"$T/prom.log" 2>&1 &
echo $! >"$PPID_FILE"
# handshake: Prometheus has tried the target once (its scrape manager starts
# a few seconds after it is ready), so the whole recording is scraped (bounded)
python3 - "$PPORT" <<'PY' || fail "Prometheus did not start: $(tail -5 "$T/prom.log")"
import json, sys, time, urllib.request
url = "http://127.0.0.1:%s/api/v1/query?query=up" % sys.argv[1]
for _ in range(600):
    try:
        if json.load(urllib.request.urlopen(url, timeout=2))["data"]["result"]:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
sys.exit(1)
PY

# the workload: 100 steps of about 0.1 s, each adding 50000 uJ to package-0
WATTLOG_NVML_LIB=$FAKE WATTLOG_FAKE_NVML=$T/gpu.txt \
	timeout 60 "$REC" -i 10ms --sysfs-root "$FSYS" -o "$T/r.wlog" \
	--metrics-listen "$ADDR" -- sh -c "
	i=1; while [ \$i -le 100 ]; do
		printf '%012d\n' \$((1000000 + i * 50000)) | dd of='$E' conv=notrunc 2>/dev/null
		sleep 0.1; i=\$((i + 1))
	done" 2>"$T/rec.err" &
RPID=$!
# handshake: the recorder names the address it bound
i=0
until grep -q 'serving metrics on' "$T/rec.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 500 ] || fail "no metrics address: $(cat "$T/rec.err")"
	kill -0 $RPID 2>/dev/null || fail "recorder died: $(cat "$T/rec.err")"
	sleep 0.01
done

# promtool on the text format, and the OpenMetrics reply
python3 - "$ADDR" "$T" <<'PY' || fail "scrape by hand"
import sys, urllib.request
addr, t = sys.argv[1:]
def get(accept):
    r = urllib.request.urlopen(urllib.request.Request("http://%s/metrics" % addr,
                               headers={"Accept": accept}), timeout=5)
    return r.headers["Content-Type"], r.read().decode()
ct, body = get("text/plain;version=0.0.4")
assert ct.startswith("text/plain; version=0.0.4"), ct
open(t + "/prom.txt", "w").write(body)
ct, body = get("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
assert ct.startswith("application/openmetrics-text; version=1.0.0"), ct
assert body.endswith("# EOF\n"), body[-40:]
assert "# TYPE wattlog_energy_joules counter\n" in body
PY
"$PROMTOOL" check metrics <"$T/prom.txt" >"$T/promtool.out" 2>&1 ||
	fail "promtool check metrics: $(cat "$T/promtool.out")"
[ -s "$T/promtool.out" ] && fail "promtool check metrics: $(cat "$T/promtool.out")"

# wait (bounded) for the recording to end; Prometheus scrapes meanwhile
i=0
while kill -0 $RPID 2>/dev/null; do
	i=$((i + 1)); [ $i -le 3000 ] || fail "recording did not end"
	sleep 0.01
done
wait $RPID || fail "recorder exit $?: $(cat "$T/rec.err")"
RPID=
python3 - "$PPORT" "$T" "$R" <<'PY' || fail "Prometheus against the trace"
import json, subprocess, sys, time, urllib.parse, urllib.request
port, t, root = sys.argv[1:]
def q(expr):
    url = "http://127.0.0.1:%s/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": expr}))
    for _ in range(100):  # until Prometheus answers (bounded)
        try:
            return json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
        except OSError:
            time.sleep(0.1)
    sys.exit("Prometheus does not answer")
series = q("wattlog_energy_joules_total[2m]")
up = q("up[2m]")
print("up samples:", [v[1] for s in up for v in s["values"]])
# the trace, read independently: CSV of raw * scale per channel
csv = subprocess.run([sys.executable, root + "/scripts/wlog_dump.py", t + "/r.wlog"],
                     capture_output=True, text=True, check=True).stdout.splitlines()
rec = subprocess.run([sys.executable, root + "/scripts/wlog_dump.py", "--records", t + "/r.wlog"],
                     capture_output=True, text=True).stdout
real0 = int(rec.split("b'start_realtime_ns', b'")[1].split("'")[0])
head = csv[0].split(",")
cols = {"gpu0": head.index("gpu0 energy [J]"), "cpu": head.index("package-0 package-0 [uJ]")}
unit = {"gpu0": 1.0, "cpu": 1e-6}
wrap = 262143328850
def energy(comp):
    """(t_s, cumulative J) at each reading, and the largest single step."""
    pts, first, last, acc, step = [], None, None, 0.0, 0.0
    for line in csv[1:]:
        c = line.split(",")
        if not c[cols[comp]]:
            continue
        tt, v = float(c[0]), float(c[cols[comp]])
        if last is not None and v != last:
            d = v - last + (wrap if v < last else 0)
            acc += d * unit[comp]
            step = max(step, d * unit[comp])
        last = v
        pts.append((tt, acc))
    return pts, step
ok = True
for comp in ("gpu0", "cpu"):
    pts, step = energy(comp)
    vals = [v for s in series if s["metric"]["component"] == comp for v in s["values"]]
    if len(vals) < 8:
        sys.exit("%s: only %d scrapes stored" % (comp, len(vals)))
    worst = 0
    for ts, v in vals:
        tt = ts - real0 / 1e9
        before = [e for (x, e) in pts if x <= tt]
        want = before[-1] if before else 0.0
        worst = max(worst, abs(float(v) - want))
    print("%s: %d scrapes, worst |prometheus - trace| %.6f J, one interval's energy %.6f J"
          % (comp, len(vals), worst, step))
    ok = ok and worst <= step + 1e-9
sys.exit(not ok)
PY
kill "$(cat "$PPID_FILE")"
rm -f "$PPID_FILE"
