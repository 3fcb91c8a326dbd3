#!/bin/sh
# t85-metrics-prometheus: a real Prometheus (Debian's package) scrapes
# wattlog-record --metrics-listen every second during a recording with the
# fake NVML (gpu0: energy counter +5 J per 20 ms call) and a fake powercap
# tree whose package-0 counter the recorded command advances in 100 steps.
# Each energy Prometheus stored is the trace's cumulative energy at one of
# its readings, between the last one before the scrape began and the scrape
# timeout after it, computed here independently from the trace by
# scripts/wlog_dump.py (raw counter differences, unwrapped by hand): a
# bound from the trace's own timestamps, however late a loaded machine
# serves the scrape.  promtool check metrics is clean on the text format,
# and the OpenMetrics reply ends with '# EOF'.
# No port is chosen for another process: the recorder binds 127.0.0.1:0 and
# says its address, which Prometheus takes from a file (file_sd); its own
# port is retried when another process took it first.  Handshakes: the
# workload starts once Prometheus has scraped the recorder, and ends once
# it has stored 8 scrapes.  Prometheus runs on 127.0.0.1 under its own PID,
# is stopped by that PID, and every wait is bounded.
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

cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: wattlog
    file_sd_configs:
      - files: ['$T/targets.json']
        refresh_interval: 1s
EOF
echo '[]' >"$T/targets.json"
# Prometheus on a free port: a port that another process takes between the
# probe and Prometheus' bind makes it exit; then another port (5 tries)
n=0
while :; do
	n=$((n + 1))
	[ $n -le 5 ] || fail "Prometheus did not start: $(tail -5 "$T/prom.log")"
	PPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$PROM" --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
		--web.listen-address="127.0.0.1:$PPORT" >"$T/prom.log" 2>&1 &
	echo $! >"$PPID_FILE"
	python3 - "$PPORT" "$(cat "$PPID_FILE")" <<'PY' && break
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
end = time.monotonic() + 60
while time.monotonic() < end:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)  # gone: the port was taken
    try:
        if urllib.request.urlopen("http://127.0.0.1:%s/-/ready" % port, timeout=5).status == 200:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
sys.exit(1)
PY
	kill "$(cat "$PPID_FILE")" 2>/dev/null
	wait "$(cat "$PPID_FILE")" 2>/dev/null
done

# the workload waits for "go", then 100 steps of about 0.1 s, each adding
# 50000 uJ to package-0, then waits until Prometheus holds 8 scrapes
mkfifo "$T/go"
cat >"$T/scrapes.py" <<'PY'
import json, sys, time, urllib.parse, urllib.request
q = urllib.parse.urlencode({"query": 'count_over_time(wattlog_energy_joules_total{component="cpu"}[10m])'})
end = time.monotonic() + 60
while time.monotonic() < end:
    try:
        r = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/v1/query?%s" % (sys.argv[1], q),
                                             timeout=5))["data"]["result"]
        if r and int(r[0]["value"][1]) >= int(sys.argv[2]):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
PY
WATTLOG_NVML_LIB=$FAKE WATTLOG_FAKE_NVML=$T/gpu.txt \
	timeout 240 "$REC" -i 10ms --sysfs-root "$FSYS" -o "$T/r.wlog" \
	--metrics-listen 127.0.0.1:0 -- sh -c "
	read x <'$T/go'
	i=1; while [ \$i -le 100 ]; do
		printf '%012d\n' \$((1000000 + i * 50000)) | dd of='$E' conv=notrunc 2>/dev/null
		sleep 0.1; i=\$((i + 1))
	done
	python3 '$T/scrapes.py' $PPORT 8" 2>"$T/rec.err" &
RPID=$!
# handshake: the recorder names the address it bound
i=0
until grep -q 'serving metrics on' "$T/rec.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 1500 ] || fail "no metrics address: $(cat "$T/rec.err")"
	kill -0 $RPID 2>/dev/null || fail "recorder died: $(cat "$T/rec.err")"
	sleep 0.02
done
ADDR=$(sed -n 's|.*serving metrics on http://\([^/]*\)/metrics.*|\1|p' "$T/rec.err")
echo "[{\"targets\": [\"$ADDR\"]}]" >"$T/targets.json.new"
mv "$T/targets.json.new" "$T/targets.json"
# handshake: Prometheus has scraped the recorder once (bounded)
python3 - "$PPORT" <<'PY' || fail "Prometheus never scraped the recorder: $(tail -5 "$T/prom.log")"
import json, sys, time, urllib.request
url = "http://127.0.0.1:%s/api/v1/query?query=up" % sys.argv[1]
end = time.monotonic() + 60
while time.monotonic() < end:
    try:
        r = json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
        if any(x["value"][1] == "1" for x in r):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
sys.exit(1)
PY

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

# the workload goes; wait (bounded) for the recording to end
timeout 30 sh -c "echo go >'$T/go'" || fail "the recorded command is gone"
i=0
while kill -0 $RPID 2>/dev/null; do
	i=$((i + 1)); [ $i -le 6000 ] || fail "recording did not end"
	sleep 0.02
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
series = q("wattlog_energy_joules_total[10m]")
up = q("up[10m]")
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
    """(t_s, cumulative J) at each reading."""
    pts, last, acc = [], None, 0.0
    for line in csv[1:]:
        c = line.split(",")
        if not c[cols[comp]]:
            continue
        tt, v = float(c[0]), float(c[cols[comp]])
        if last is not None and v != last:
            acc += (v - last + (wrap if v < last else 0)) * unit[comp]
        last = v
        pts.append((tt, acc))
    return pts
ok = True
for comp in ("gpu0", "cpu"):
    pts = energy(comp)
    vals = [v for s in series if s["metric"]["component"] == comp for v in s["values"]]
    if len(vals) < 8:
        sys.exit("%s: only %d scrapes stored" % (comp, len(vals)))
    bad = 0
    for ts, v in vals:
        # the scrape began at tt; the reply came before its 0.9 s timeout:
        # the value served is the energy at a reading in between, or at the
        # last one before tt (0 before the first)
        tt = ts - real0 / 1e9
        before = [i for i, (x, _) in enumerate(pts) if x <= tt - 0.01]
        lo = before[-1] if before else 0
        cand = [e for (x, e) in pts[lo:] if x <= tt + 1.0] + ([] if before else [0.0])
        if not any(abs(float(v) - e) <= 1e-6 * max(1.0, abs(e)) for e in cand):
            print("%s: scrape at %.3f s: %s J, the trace's readings around it %s" % (comp, tt, v, cand[:8]))
            bad += 1
    print("%s: %d scrapes, %d not a reading of the trace around their instant" % (comp, len(vals), bad))
    ok = ok and bad == 0
sys.exit(not ok)
PY
kill "$(cat "$PPID_FILE")"
rm -f "$PPID_FILE"
