#!/bin/sh
# metrics.sh - what --metrics-listen costs the recording, on a fake powercap
# tree (2 packages x 4 zones) and the real /proc, NVML off:
#
#   CPU at 10 Hz       CPU time (user + sys, wait4 of the recorder alone) of a
#                      10 s recording at -i 100ms, without the endpoint and
#                      with it scraped once a second; median of 3 runs each.
#                      Aim: with <= 1.2 x without.
#   interval p99       the procfs source's sampling interval (consecutive
#                      SAMPLE times in the trace) at -i 10ms for 10 s, without
#                      the endpoint and with 200 scrapes per second (one
#                      client, paced).  Aim: p99 within 10 % of the 10 ms
#                      interval.
#
#   WL_BUILD=build sh scripts/bench/metrics.sh      BENCH_SECONDS=10 by default
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
SECS=${BENCH_SECONDS:-10}
[ -x "$B/wattlog-record" ] || { echo "metrics bench: $B/wattlog-record not built" >&2; exit 1; }
command -v python3 >/dev/null || { echo "metrics bench: python3 not found" >&2; exit 1; }
T=$(mktemp -d /tmp/wl-bench-metrics.XXXXXX)
trap 'rm -rf "$T"' EXIT
sh "$R/scripts/mkfake-sysfs.sh" "$T/fsys" >/dev/null || exit 1
WATTLOG_NVML_LIB=/nonexistent/libnvidia-ml.so.1
export WATTLOG_NVML_LIB

python3 - "$B/wattlog-record" "$T" "$SECS" "$R/scripts/wlog_dump.py" <<'PYEOF'
import os, socket, subprocess, sys, time

rec, tmp, secs, dump = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fsys = os.path.join(tmp, "fsys")

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def scrape(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    n = 0
    while True:
        d = s.recv(65536)
        if not d:
            break
        n += len(d)
    s.close()
    return n

def run(interval, out, rate):
    """Records for secs; with rate > 0 serves metrics and scrapes rate/s.
    Returns (CPU s of the recorder, scrapes done)."""
    argv = [rec, "-q", "-f", "-i", interval, "-d", "%ds" % secs, "-o", out,
            "--sysfs-root", fsys]
    port = free_port() if rate else 0
    if rate:
        argv += ["--metrics-listen", "127.0.0.1:%d" % port]
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    n = 0
    t0 = time.monotonic()
    while rate:  # paced: the k-th scrape at t0 + k / rate
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        try:
            scrape(port)
            n += 1
        except OSError:
            pass  # not listening yet, or gone at the end
        d = t0 + n / rate - time.monotonic()
        if d > 0:
            time.sleep(d)
    if not rate:
        _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("metrics bench: %s failed" % argv)
    return ru.ru_utime + ru.ru_stime, n

def intervals(path):
    csv = subprocess.run([sys.executable, dump, path], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    col = csv[0].split(",").index("cpu cpu_busy [%]")
    t = [float(l.split(",")[0]) for l in csv[1:] if l.split(",")[col]]
    d = sorted(b - a for a, b in zip(t, t[1:]))
    return d[len(d) // 2], d[min(len(d) - 1, int(0.99 * (len(d) - 1) + 0.5))], len(d)

out = os.path.join(tmp, "r.wlog")
off = sorted(run("100ms", out, 0)[0] for _ in range(3))
on = []
for _ in range(3):
    c, n = run("100ms", out, 1)
    on.append(c)
on.sort()
print("CPU at 10 Hz, %d s: without endpoint %.3f s, scraped every 1 s (%d scrapes) %.3f s: "
      "%.2fx (aim <= 1.2x)" % (secs, off[1], n, on[1], on[1] / off[1] if off[1] else 0))
run("10ms", out, 0)
m0, p0, k0 = intervals(out)
c, n = run("10ms", out, 200)
m1, p1, k1 = intervals(out)
print("interval at -i 10ms, %d s: without endpoint median %.3f ms p99 %.3f ms (%d); "
      "%d scrapes (%.0f/s): median %.3f ms p99 %.3f ms (%d); p99 %+.1f %% of 10 ms "
      "(aim within 10 %%)" % (secs, m0 * 1e3, p0 * 1e3, k0, n, n / secs, m1 * 1e3, p1 * 1e3,
                              k1, (p1 / 0.010 - 1) * 100))
PYEOF
