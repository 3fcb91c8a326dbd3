#!/bin/sh
# recorder.sh - wattlog-record's overhead against the floor (../shared/bench/floor.c),
# in one run on the same fake powercap tree (2 packages x 4 zones) and the real /proc:
#
#   us per sample      median of the sampling work per tick, free-running (-i 0, >= 10 000 ticks)
#   CPU % at 10 Hz     CPU time (user + sys) of the whole process from wait4 / wall, 10 s
#   CPU % at 1 kHz     the same at 1 kHz
#   samples/s          free-running rate (-i 0; the floor: -n 300000)
#
# Both programs are measured the same way (wait4 of the whole process).  The
# recorder's "sample" is one tick of both sources (procfs: /proc/stat and
# /proc/meminfo; powercap: 8 energy_uj), the floor's reads the same files.
#   WL_BUILD=build sh scripts/bench/recorder.sh        BENCH_SECONDS=10 by default
B=${WL_BUILD:-build}
S=${WL_SHARED:-../shared}
SECS=${BENCH_SECONDS:-10}
if [ ! -f "$S/bench/floor.c" ] || [ ! -f "$S/bench/fake-sysfs.sh" ]; then
	echo "recorder bench: skipped: $S/bench/floor.c or fake-sysfs.sh absent"
	exit 0
fi
[ -x "$B/wattlog-record" ] || { echo "recorder bench: $B/wattlog-record not built" >&2; exit 1; }
command -v python3 >/dev/null || { echo "recorder bench: python3 not found" >&2; exit 1; }
T=$(mktemp -d /tmp/wl-bench-rec.XXXXXX)
trap 'rm -rf "$T"' EXIT
${CC:-cc} -O2 -o "$T/floor" "$S/bench/floor.c" || exit 1
bash "$S/bench/fake-sysfs.sh" "$T/fsys" || exit 1
# the floor reads no GPU: neither does the recorder here
WATTLOG_NVML_LIB=/nonexistent/libnvidia-ml.so.1
export WATTLOG_NVML_LIB

python3 - "$B/wattlog-record" "$T" "$SECS" <<'PYEOF'
import json, os, re, subprocess, sys, time

rec, tmp, secs = sys.argv[1], sys.argv[2], int(sys.argv[3])
pcap = os.path.join(tmp, "fsys", "class", "powercap")
floor = os.path.join(tmp, "floor")

def measured(argv):
    """CPU time of exactly this child, from wait4."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("recorder bench: %s failed (status %d)" % (argv, status))
    return ru.ru_utime + ru.ru_stime, wall

def rec_argv(interval, dur, out, stats=False):
    a = [rec, "-q", "-f", "-i", interval, "-d", dur, "-o", out, "--sysfs-root", os.path.join(tmp, "fsys")]
    return a + (["--stats"] if stats else [])

def rec_stats(interval, dur):
    p = subprocess.run(rec_argv(interval, dur, os.path.join(tmp, "r.wlog"), True),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = dict(re.findall(r"(\w+)=([0-9.]+)", p.stderr.splitlines()[-1]))
    return {k: float(v) for k, v in m.items()}

def floor_json(args):
    p = subprocess.run([floor] + args + ["-p", pcap, "-o", os.path.join(tmp, "f.bin")],
                       stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(p.stdout)

# 1. free-running: us per sample and samples/s
free_s = max(3, secs // 2)
rs = rec_stats("0", "%ds" % free_s)
fj = floor_json(["-n", "300000"])
rows = [("us per sample (median, -i 0)", rs["work_median_us"], fj["med_us"], "<= 20 us"),
        ("samples/s free-running (-i 0)", rs["ticks_per_s"], fj["samples_per_s"], ">= 0.4x floor")]

# 2. CPU % paced, whole process from wait4
for hz, iv in ((10, "100ms"), (1000, "1ms")):
    rc, rw = measured(rec_argv(iv, "%ds" % secs, os.path.join(tmp, "p.wlog")))
    fc, fw = measured([floor, "-r", str(hz), "-d", str(secs), "-p", pcap, "-o", os.path.join(tmp, "f.bin")])
    tgt = "<= 1.5x floor (aim 1.2x)" if hz == 10 else ""
    rows.append(("CPU %% at %d Hz (%d s, wait4)" % (hz, secs), 100 * rc / rw, 100 * fc / fw, tgt))

print("recorder bench: wattlog-record vs floor, same fake powercap tree + real /proc, %d CPUs"
      % os.cpu_count())
print("%-34s %12s %12s %8s  %s" % ("metric", "recorder", "floor", "ratio", "target"))
for name, r, f, tgt in rows:
    print("%-34s %12.3f %12.3f %8.2f  %s" % (name, r, f, r / f if f else float("nan"), tgt))
print("recorder: %d ticks free-running in %d s (work p99 %.1f us); floor: %d samples"
      % (rs["ticks"], free_s, rs["work_p99_us"], fj["n"]))
PYEOF
