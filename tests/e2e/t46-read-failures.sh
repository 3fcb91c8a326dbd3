#!/bin/sh
# t46-read-failures: one hand-built file per reading failure of issue 16,
# written here with its truth computed here (trapezoid on the times
# written), never copied from anyone's log:
#   1 one row per GPU per instant (a device column; repeated times without one)
#   2 epoch nanoseconds ("Timestamp (ns)" and plain 19-digit numbers)
#   3 a total column beside its parts
#   4 power columns whose unit is in the name, or nowhere (--unit)
#   5 Jetson Nano tegrastats without dates, without "mW", POM_5V_IN and its rails
#   7 time zones: offsets, IANA names, UTC-7, bad names
#   8 decimal units (MB, GB/s) stay decimal
B=${WL_BUILD:-build}
tmp=$(mktemp -d /tmp/wl-t46.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
TZ=UTC python3 - "$B/wattlog" "$tmp" <<'PY'
import json, subprocess, sys
from datetime import datetime, timezone, timedelta
w, d = sys.argv[1], sys.argv[2]
fail = 0

def run(args):
    return subprocess.run([w] + args, capture_output=True, text=True)

def report(path, *opts):
    p = run(["report", "--format", "json", "--no-phases"] + list(opts) + [path])
    if p.returncode != 0:
        raise SystemExit("FAIL: report %s %s: exit %d: %s" % (path, opts, p.returncode, p.stderr))
    return json.loads(p.stdout)

def trapz(t, p):
    return sum((t[i] - t[i - 1]) * (p[i] + p[i - 1]) / 2 for i in range(1, len(t)))

def check(what, got, want, rel=1e-9):
    global fail
    ok = got is not None and abs(got - want) <= rel * abs(want)
    print("%-58s %s (truth %.9g)%s" % (what, got, want, "" if ok else "  FAIL"))
    fail |= not ok

def error(what, path, needle, *opts):
    global fail
    p = run(["report"] + list(opts) + [path])
    lines = p.stderr.strip().split("\n")
    ok = p.returncode == 2 and len(lines) == 1 and needle in lines[0]
    print("%-58s exit %d: %s%s" % (what, p.returncode, p.stderr.strip(), "" if ok else "  FAIL"))
    fail |= not ok

def assumed(rep, kind, needle):
    global fail
    ok = any(a["kind"] == kind and needle in a["text"] for a in rep["assumptions"])
    if not ok:
        print("FAIL: no %s assumption with '%s' in %s" % (kind, needle, rep["assumptions"]))
    fail |= not ok

def write(name, text):
    path = d + "/" + name
    with open(path, "w") as f:
        f.write(text)
    return path

# 1: 8 GPUs, one row each per instant; power_W = 100 + 10 g + 3 k (+ k^2 % 7)
T0 = 1700000000
rows, truth = ["timestamp,gpu_index,power_W"], 0.0
series = {g: ([], []) for g in range(8)}
for k in range(20):
    for g in range(8):
        p = 100 + 10 * g + 3 * k + (k * k) % 7
        rows.append("%d.5,%d,%d" % (T0 + k, g, p))
        series[g][0].append(k); series[g][1].append(p)
truth = sum(trapz(*series[g]) for g in range(8))
path = write("f1.csv", "\n".join(rows) + "\n")
rep = report(path)
check("1 devices in rows: total of 8 GPUs", rep["energy_j"]["total"], truth)
check("1 gpu7 alone", rep["energy_j"]["components"].get("gpu7"), trapz(*series[7]))
assumed(rep, "device", "gpu_index")
path = write("f1b.csv", "\n".join(rows).replace("gpu_index", "slot") + "\n")
error("1 repeated times, no device column", path, "--device-column")
rep = report(path, "--device-column", "slot")
check("1 --device-column slot", rep["energy_j"]["total"], truth)

# 2: epoch ns, 19 digits, 0.25 s apart with ns jitter; duration must be 4.75 s
ts = [1700000000123456789 + k * 250000000 + (k % 3) for k in range(20)]
ps = [50 + k for k in range(20)]
t = [(x - ts[0]) / 1e9 for x in ts]
for hdr in ("Timestamp (ns),power [W]", "timestamp,power [W]"):
    path = write("f2.csv", hdr + "\n" + "".join("%d,%d\n" % (a, b) for a, b in zip(ts, ps)))
    rep = report(path)
    check("2 epoch ns '%s': duration" % hdr.split(",")[0], rep["duration_s"], t[-1])
    check("2 epoch ns '%s': energy" % hdr.split(",")[0], rep["energy_j"]["total"], trapz(t, ps))
assumed(rep, "time", "epoch ns")
check("2 t0_realtime", rep["t0_realtime"], ts[0] / 1e9, 1e-15)

# 3: total column
n1 = [200 + (k * 37) % 50 for k in range(30)]
n2 = [150 + (k * 11) % 40 for k in range(30)]
path = write("f3.csv", "time,n1_watts,n2_watts,total_watts\n" +
             "".join("%d,%d,%d,%d\n" % (T0 + k, a, b, a + b) for k, (a, b) in enumerate(zip(n1, n2))))
rep = report(path)
tk = list(range(30))
check("3 total column kept out", rep["energy_j"]["total"], trapz(tk, n1) + trapz(tk, n2))
assumed(rep, "total", "total_watts")
rep = report(path, "--exclude", "n*_watts")
check("3 --exclude the parts: the total column alone", rep["energy_j"]["total"],
      trapz(tk, [a + b for a, b in zip(n1, n2)]))

# 4: units in names, or declared
ps = [120, 180, 240, 240, 90, 60]
tk = [0, 0.5, 1, 1.5, 2, 3]
# each header with the values written in its unit (W x factor); truth in W
for hdr, factor in (("n1_watts", 1), ("power_W", 1), ("Power Draw (W)", 1), ("gpu_mW", 1000),
                    ("board (kW)", 0.001)):
    path = write("f4.csv", "t,%s\n" % hdr + "".join("%g,%g\n" % (a, b * factor)
                                                     for a, b in zip(tk, ps)))
    rep = report(path)
    check("4 unit from the name '%s'" % hdr, rep["energy_j"]["total"], trapz(tk, ps))
    assumed(rep, "unit", hdr)
path = write("f4b.csv", "t,GPU0,GPU1\n" + "".join("%g,%d,%d\n" % (a, b, b // 2) for a, b in zip(tk, ps)))
error("4 GPU0 without a unit", path, "--unit")
rep = report(path, "--unit", "GPU*=W")
check("4 --unit 'GPU*=W'", rep["energy_j"]["total"], trapz(tk, ps) + trapz(tk, [b // 2 for b in ps]))

# 5: Jetson Nano (L4T R32) tegrastats --interval 250 --logfile: no dates, no mW
lines, vin = [], []
for k in range(16):
    a, g, c = 900 + 40 * k, 10 * k, 300 + 5 * k
    vin.append(a)
    lines.append("RAM 2350/3956MB (lfb 3x4MB) SWAP 0/1978MB (cached 0MB) IRAM 0/252kB(lfb 252kB) "
                 "CPU [1%%@102,2%%@102,off,off] EMC_FREQ 0%% GR3D_FREQ 0%% PLL@23C CPU@25.5C "
                 "thermal@24.75C POM_5V_IN %d/%d POM_5V_GPU %d/%d POM_5V_CPU %d/%d"
                 % (a, a, g, g, c, c))
path = write("f5.log", "\n".join(lines) + "\n")
error("5 no dates, no --interval", path, "--interval")
rep = report(path, "--interval", "250ms")
tk = [0.25 * k for k in range(16)]
check("5 POM_5V_IN alone is the total (mW)", rep["energy_j"]["total"], trapz(tk, vin) / 1000)
assumed(rep, "rail", "POM_5V_IN")
assumed(rep, "unit", "mW")

# 7: zones.  A log written in local time at UTC-7: 05:00 local is 12:00 UTC.
path = write("f7.csv", "time,p [W]\n2024-03-10 05:00:00,100\n2024-03-10 05:00:10,100\n")
want = datetime(2024, 3, 10, 12, tzinfo=timezone.utc).timestamp()
for z in ("-07:00", "UTC-7", "-0700", "Etc/GMT+7"):
    check("7 --tz %s" % z, report(path, "--tz", z)["t0_realtime"], want, 1e-15)
assumed(report(path, "--tz", "UTC-7"), "zone", "UTC-07:00")
# America/Los_Angeles: 2024-03-10 05:00 is after the 02:00 switch: PDT, UTC-7;
# 2024-01-10 05:00 is PST, UTC-8
check("7 --tz America/Los_Angeles (PDT)", report(path, "--tz", "America/Los_Angeles")["t0_realtime"],
      want, 1e-15)
path2 = write("f7b.csv", "time,p [W]\n2024-01-10 05:00:00,100\n2024-01-10 05:00:10,100\n")
check("7 --tz America/Los_Angeles (PST)", report(path2, "--tz", "America/Los_Angeles")["t0_realtime"],
      datetime(2024, 1, 10, 13, tzinfo=timezone.utc).timestamp(), 1e-15)
for z in ("PDT", "Foo/Bar", "UTC+25"):
    error("7 --tz %s refused" % z, path, z, "--tz", z)
# carbon: intensity 100 g/kWh until 12:00 UTC, then 800; the run (100 W for
# 10 s from 05:00 at UTC-7 = 12:00:00 UTC) falls in the 800 step
ci = write("ci.csv", "time,g\n2024-03-10 11:00:00,100\n2024-03-10 12:00:00,800\n"
           "2024-03-10 13:00:00,800\n")
rep = report(path, "--tz", "UTC-7", "--intensity-trace", ci)
check("7 carbon at UTC-7 (the 800 g/kWh hour)", rep["carbon"]["g"], 1000 / 3.6e6 * 800)

# 8: decimal units stay decimal
path = write("f8.csv", "time,p [W],used [MB],rate [GB/s]\n" +
             "".join("%d,100,%d,%g\n" % (k, 1000 + k, 1.5 * k) for k in range(5)))
rep = report(path)
units = {m["name"]: m["unit"] for m in rep["metrics"]}
ok = units.get("used") == "MB" and units.get("rate") == "GB/s"
print("8 decimal units: %s%s" % (units, "" if ok else "  FAIL"))
fail |= not ok
avg = {m["name"]: m["avg"] for m in rep["metrics"]}
check("8 MB values unchanged", avg.get("used"), 1002)
sys.exit(1 if fail else 0)
PY
rc=$?
[ $rc -eq 0 ] && echo ok
exit $rc
