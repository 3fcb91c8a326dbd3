#!/bin/sh
# recorder.sh - wattlog-record's overhead against the floor (../shared/bench/floor.c),
# in one run on the same fake powercap tree (2 packages x 4 zones) and the real /proc,
# NVML off.  Runs are interleaved (floor, recorder, recorder with a command, again),
# REPS times, and each figure is the median of its runs:
#
#   CPU at 10 Hz            CPU time (user + sys) over the sampling window / its wall
#                           time, SECS s at 10 Hz: the floor's own getrusage window
#                           (its JSON), the recorder's loop (--stats loop_cpu_s: from
#                           the loop's start to the end of recording), so both leave
#                           out their start-up, measured apart below
#   ... running a command   the same with `-- sleep SECS` (the command's process
#                           tree read at the default --tree-interval, 1 s, and at
#                           its exit)
#   whole process           CPU from wait4 of the whole process (start-up included;
#                           the command's own CPU, --stats cpu_children_s, taken out)
#   samples/s free-running  -i 0 for 2 s (the floor: -n 200000)
#   us per sample           median of the sampling work per tick, free-running
#
# Acceptance (issue 20): CPU at 10 Hz running a command <= 1.2 x the floor;
# free-running rate >= 0.9 x the floor's.
#   WL_BUILD=build sh scripts/bench/recorder.sh     BENCH_SECONDS=6 BENCH_REPS=5 by default
B=${WL_BUILD:-build}
S=${WL_SHARED:-../shared}
SECS=${BENCH_SECONDS:-6}
REPS=${BENCH_REPS:-5}
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

python3 - "$B/wattlog-record" "$T" "$SECS" "$REPS" <<'PYEOF'
import json, os, re, statistics, subprocess, sys, time

rec, tmp, secs, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
pcap = os.path.join(tmp, "fsys", "class", "powercap")
floor = os.path.join(tmp, "floor")
med = statistics.median

def measured(argv):
    """Runs argv; returns (stdout, stderr, whole-process CPU s from wait4)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 first (the pipes are small: a JSON line, a stats line)
    _, status, ru = os.wait4(p.pid, 0)
    out, err = p.stdout.read().decode(), p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("recorder bench: %s failed (status %d): %s" % (argv, status, err[-300:]))
    return out, err, ru.ru_utime + ru.ru_stime

def floor_run(args):
    out, _, whole = measured([floor] + args + ["-p", pcap, "-o", os.path.join(tmp, "f.bin")])
    j = json.loads(out)
    return j, (j["cpu_user_s"] + j["cpu_sys_s"]) / j["wall_s"], whole / j["wall_s"]

def rec_run(args, cmd=None):
    argv = [rec, "-q", "-f", "--stats", "-o", os.path.join(tmp, "r.wlog"),
            "--sysfs-root", os.path.join(tmp, "fsys")] + args + (["--"] + cmd if cmd else [])
    _, err, whole = measured(argv)
    st = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", err.splitlines()[-1])}
    return st, st["loop_cpu_s"] / st["wall_s"], (whole - st["cpu_children_s"]) / st["wall_s"]

# 1. CPU at 10 Hz: floor, recorder alone, recorder running a command, interleaved
win = {"floor": [], "alone": [], "cmd": []}
whole = {"floor": [], "alone": [], "cmd": []}
for _ in range(reps):
    _, w, a = floor_run(["-r", "10", "-d", str(secs)])
    win["floor"].append(w); whole["floor"].append(a)
    _, w, a = rec_run(["-i", "100ms", "-d", "%ds" % secs])
    win["alone"].append(w); whole["alone"].append(a)
    _, w, a = rec_run(["-i", "100ms"], ["sleep", str(secs)])
    win["cmd"].append(w); whole["cmd"].append(a)

# 2. free-running, interleaved
rate = {"floor": [], "rec": []}
us = {"floor": [], "rec": []}
for _ in range(3):
    j, _, _ = floor_run(["-n", "200000"])
    rate["floor"].append(j["samples_per_s"]); us["floor"].append(j["med_us"])
    st, _, _ = rec_run(["-i", "0", "-d", "2s"])
    rate["rec"].append(st["ticks_per_s"]); us["rec"].append(st["work_median_us"])

# 3. 1 kHz, once each (no target)
_, fk, _ = floor_run(["-r", "1000", "-d", "3"])
_, rk, _ = rec_run(["-i", "1ms", "-d", "3s"])

def pct(v):
    return 100 * med(v)

fw = pct(win["floor"])
rows = [
    ("CPU % at 10 Hz, running a command", pct(win["cmd"]), fw, "<= 1.2x floor (issue 20)", 1.2, "le"),
    ("CPU % at 10 Hz, no command", pct(win["alone"]), fw, "", None, None),
    ("  whole process (wait4), command", pct(whole["cmd"]), pct(whole["floor"]), "", None, None),
    ("  whole process (wait4), no command", pct(whole["alone"]), pct(whole["floor"]), "", None, None),
    ("samples/s free-running (-i 0)", med(rate["rec"]), med(rate["floor"]),
     ">= 0.9x floor (issue 20)", 0.9, "ge"),
    ("us per sample (median, -i 0)", med(us["rec"]), med(us["floor"]), "", None, None),
    ("CPU % at 1 kHz (one run)", 100 * rk, 100 * fk, "", None, None),
]
print("recorder bench: wattlog-record vs floor, same fake powercap tree + real /proc, %d CPUs;"
      " %d interleaved runs of %d s at 10 Hz, medians" % (os.cpu_count(), reps, secs))
print("%-38s %10s %10s %7s  %s" % ("metric", "recorder", "floor", "ratio", "acceptance"))
for name, r, f, tgt, bound, how in rows:
    ratio = r / f if f else float("nan")
    verdict = ""
    if bound is not None:
        ok = ratio <= bound if how == "le" else ratio >= bound
        verdict = "  %s" % ("holds" if ok else "FAILS")
    print("%-38s %10.4g %10.4g %7.2f  %s%s" % (name, r, f, ratio, tgt, verdict))
print("runs (CPU %% at 10 Hz, window): floor %s; no command %s; command %s" % tuple(
    " ".join("%.3f" % (100 * x) for x in win[k]) for k in ("floor", "alone", "cmd")))
PYEOF
