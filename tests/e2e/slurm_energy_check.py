#!/usr/bin/env python3
"""slurm_energy_check.py JOBDIR MERGE_OUT SACCT_LINE n1=W n2=W ...

Checks wattlog's per-node energies (the `node J` column of `wattlog merge
-n JOBDIR`, saved in MERGE_OUT) against each trace's own pm_counters energy
counter read by the independent reader scripts/wlog_dump.py (difference of
its last and first values: within 0.1 %), and against the fed power times
the trace's window (within 0.1 %); then the job total against Slurm's
ConsumedEnergyRaw (SACCT_LINE "energy|start|end", Slurm's window known to
the second): |dE| <= sum_i P_i (|T_i - T_slurm| + 1 s) + 1 J.  Prints every
window and figure; exit 0 when all hold."""
import csv
import datetime
import io
import os
import subprocess
import sys

jobdir, merge_out, sacct = sys.argv[1], sys.argv[2], sys.argv[3]
power = dict(a.split("=") for a in sys.argv[4:])
power = {k: float(v) for k, v in power.items()}
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
dump = os.path.join(root, "scripts", "wlog_dump.py")
ok = True

table = {}
total_w = None
for line in open(merge_out):
    f = line.split()
    if len(f) >= 7 and f[0] in power:
        table[f[0]] = float(f[2])
    if line.strip().startswith("job total, whole nodes"):
        total_w = float(line.split("): ")[1].split()[0])

windows = {}
for node, p in sorted(power.items()):
    out = subprocess.run([sys.executable, dump, os.path.join(jobdir, node + ".wlog")],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    head = rows[0]
    col = [i for i, h in enumerate(head) if h.endswith("energy [J]") and "cpu" not in h
           and "memory" not in h and "accel" not in h]
    assert len(col) == 1, head
    pts = [(float(r[0]), float(r[col[0]])) for r in rows[1:] if r[col[0]] != ""]
    (t0, e0), (t1, e1) = pts[0], pts[-1]
    diff = e1 - e0
    w = table.get(node)
    windows[node] = t1 - t0
    print("%s: trace window %.3f .. %.3f s (%.3f s), counter %.0f -> %.0f J = %.1f J; "
          "wattlog %s J; fed %.0f W x window = %.1f J" % (node, t0, t1, t1 - t0, e0, e1, diff,
                                                          w, p, p * (t1 - t0)))
    if w is None or abs(w - diff) > 0.001 * diff:
        print("FAIL: %s: wattlog %s J vs counter difference %.1f J" % (node, w, diff))
        ok = False
    if abs(diff - p * (t1 - t0)) > 0.001 * diff:
        print("FAIL: %s: counter difference %.1f J vs %.0f W x %.3f s" % (node, diff, p, t1 - t0))
        ok = False

e_s, start, end = sacct.split("|")[:3]
fmt = "%Y-%m-%dT%H:%M:%S"
ts = (datetime.datetime.strptime(end, fmt) - datetime.datetime.strptime(start, fmt)).total_seconds()
e_s = float(e_s)
bound = sum(p * (abs(windows[n] - ts) + 1.0) for n, p in power.items()) + 1.0
print("slurm: %s .. %s (%.0f s, 1 s resolution), ConsumedEnergyRaw %.0f J; wattlog total %s J; "
      "|dE| = %.1f J, bound %.1f J" % (start, end, ts, e_s, total_w,
                                       abs((total_w or 0) - e_s), bound))
if total_w is None or abs(total_w - e_s) > bound:
    print("FAIL: job total disagrees with sacct beyond the window difference")
    ok = False
sys.exit(0 if ok else 1)
