#!/bin/sh
# metrics.sh - what --metrics-listen costs the recording, on a fake powercap
# tree (2 packages x 4 zones) and the real /proc, NVML off:
#
#   CPU at 10 Hz       CPU time (user + sys) of the recorder's sampling loop
#                      (--stats loop_cpu_s: from the loop's start to the end of
#                      recording, so the one-off start-up, the listening socket
#                      included, is left out) over its wall time, SECS s at
#                      -i 100ms, without the endpoint and with it scraped once
#                      a second; REPS runs each, interleaved, medians.  Also the
#                      whole process (wait4).  Acceptance (issue 19): with <=
#                      1.2 x without.
#   per scrape         the recorder's CPU per scrape: a 4 s recording at 10 Hz
#                      scraped 100 times a second, less the same without.
#   interval p99       the procfs source's sampling interval (consecutive
#                      SAMPLE times in the trace: those holding mem_used, which
#                      every procfs sample has; cpu_busy is absent from a
#                      sample when /proc/stat's jiffies did not move, which
#                      made 20 ms gaps that were no missed sample) at -i 10ms
#                      for 10 s, without the endpoint and with 200 scrapes per
#                      second (one client, paced).  Acceptance (issue 19): p99
#                      within 10 % of the 10 ms interval; also given: p99 with
#                      the endpoint against p99 without (what the scrapes add).
#
#   WL_BUILD=build sh scripts/bench/metrics.sh   BENCH_SECONDS=6 BENCH_REPS=5 by default
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
SECS=${BENCH_SECONDS:-6}
REPS=${BENCH_REPS:-5}
[ -x "$B/wattlog-record" ] || { echo "metrics bench: $B/wattlog-record not built" >&2; exit 1; }
command -v python3 >/dev/null || { echo "metrics bench: python3 not found" >&2; exit 1; }
T=$(mktemp -d /tmp/wl-bench-metrics.XXXXXX)
trap 'rm -rf "$T"' EXIT
sh "$R/scripts/mkfake-sysfs.sh" "$T/fsys" >/dev/null || exit 1
WATTLOG_NVML_LIB=/nonexistent/libnvidia-ml.so.1
export WATTLOG_NVML_LIB

python3 - "$B/wattlog-record" "$T" "$SECS" "$REPS" "$R/scripts/wlog_dump.py" <<'PYEOF'
import os, re, socket, statistics, subprocess, sys, time

rec, tmp, secs, reps, dump = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
fsys = os.path.join(tmp, "fsys")
med = statistics.median

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

def run(interval, dur, out, rate):
    """Records for dur s; with rate > 0 serves metrics and scrapes rate/s.
    Returns (loop CPU s / wall s, whole-process CPU s / wall s, scrapes, loop CPU s)."""
    argv = [rec, "-q", "-f", "--stats", "-i", interval, "-d", "%gs" % dur, "-o", out,
            "--sysfs-root", fsys]
    port = free_port() if rate else 0
    if rate:
        argv += ["--metrics-listen", "127.0.0.1:%d" % port]
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    n, done = 0, None
    t0 = time.monotonic()
    while rate:  # paced: the k-th scrape at t0 + k / rate
        r = os.wait4(p.pid, os.WNOHANG)
        if r[0]:
            done = r
            break
        try:
            scrape(port)
            n += 1
        except OSError:
            pass  # not listening yet, or gone at the end
        d = t0 + n / rate - time.monotonic()
        if d > 0:
            time.sleep(d)
    _, status, ru = done or os.wait4(p.pid, 0)
    err = p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("metrics bench: %s failed: %s" % (argv, err[-300:]))
    st = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", err.splitlines()[-1])}
    whole = (ru.ru_utime + ru.ru_stime) / st["wall_s"]
    return st["loop_cpu_s"] / st["wall_s"], whole, n, st["loop_cpu_s"]

def intervals(path):
    csv = subprocess.run([sys.executable, dump, path], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    col = csv[0].split(",").index("mem_used [%]")
    t = [float(l.split(",")[0]) for l in csv[1:] if l.split(",")[col]]
    d = sorted(b - a for a, b in zip(t, t[1:]))
    return d[len(d) // 2], d[min(len(d) - 1, int(0.99 * (len(d) - 1) + 0.5))], len(d)

out = os.path.join(tmp, "r.wlog")
# 1. CPU at 10 Hz, without and with a scrape a second, interleaved
off, on, off_w, on_w, ns = [], [], [], [], []
for _ in range(reps):
    c, w, _, _ = run("100ms", secs, out, 0)
    off.append(c); off_w.append(w)
    c, w, n, _ = run("100ms", secs, out, 1)
    on.append(c); on_w.append(w); ns.append(n)
# 2. the cost of one scrape: 100 a second for 4 s, against none
_, _, nk, ck = run("100ms", 4, out, 100)
_, _, _, c0 = run("100ms", 4, out, 0)
# 3. the sampling interval at -i 10ms, without and with 200 scrapes a second
run("10ms", 10, out, 0)
m0, p0, k0 = intervals(out)
_, _, n200, _ = run("10ms", 10, out, 200)
m1, p1, k1 = intervals(out)

ratio = med(on) / med(off)
print("metrics bench: %d interleaved runs of %d s at 10 Hz, medians; fake powercap tree, real /proc"
      % (reps, secs))
print("CPU at 10 Hz (sampling loop): without endpoint %.4f %%, scraped every 1 s (%d scrapes) "
      "%.4f %%: %.2fx  acceptance <= 1.2x (issue 19): %s"
      % (100 * med(off), med(ns), 100 * med(on), ratio, "holds" if ratio <= 1.2 else "FAILS"))
print("  whole process (wait4): without %.4f %%, with %.4f %%: %.2fx"
      % (100 * med(off_w), 100 * med(on_w), med(on_w) / med(off_w)))
print("  runs without: %s; with: %s" % (" ".join("%.4f" % (100 * x) for x in off),
                                         " ".join("%.4f" % (100 * x) for x in on)))
print("one scrape: %.1f us of the recorder's CPU (%d scrapes at 100/s in 4 s: %.4f s, none: %.4f s)"
      % (1e6 * (ck - c0) / nk if nk else float("nan"), nk, ck, c0))
within = abs(p1 / 0.010 - 1) <= 0.10
print("interval at -i 10ms, 10 s: without endpoint median %.3f ms p99 %.3f ms (%d); "
      "%d scrapes (%.0f/s): median %.3f ms p99 %.3f ms (%d); p99 %+.1f %% of 10 ms  "
      "acceptance within 10 %% (issue 19): %s"
      % (m0 * 1e3, p0 * 1e3, k0, n200, n200 / 10, m1 * 1e3, p1 * 1e3, k1, (p1 / 0.010 - 1) * 100,
         "holds" if within else "FAILS%s" % (" (p99 without the endpoint: %+.1f %%)"
                                               % ((p0 / 0.010 - 1) * 100))))
print("  p99 with 200 scrapes/s against without: %+.1f %%" % ((p1 / p0 - 1) * 100))
PYEOF
