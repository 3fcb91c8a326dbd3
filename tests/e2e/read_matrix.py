#!/usr/bin/env python3
"""read_matrix.py - the generated matrix of generic CSVs for t45-read-matrix.

Writes N synthetic CSVs into DIR crossing time formats (ISO with and without
a zone, epoch s/ms/us/ns, relative seconds, units in the time column's name),
power-unit spellings (brackets, parentheses, suffixes, declared with --unit,
undeclared), devices in rows (with a device column, or repeated times
without one), total columns, gaps (one interval 12x the step: the device
ran through it, so the truth is the trapezoid across it) and bad values.  For each it writes a line of
DIR/cases.tsv:
    file <TAB> options <TAB> want
where want is the total energy in J computed here by the trapezoid rule on
the exact times (fractions), or "error:NEEDLE" when wattlog must exit 2 with
one line naming the file and NEEDLE (what to declare).
Deterministic: random.Random(seed).
"""
import datetime as dt
import os
import random
import sys
from fractions import Fraction as F

BASE = 1700000000  # 2023-11-14 22:13:20 UTC

def trapz(ts, ps):
    e = F(0)
    for i in range(1, len(ts)):
        e += (ts[i] - ts[i - 1]) * (ps[i] + ps[i - 1]) / 2
    return e

def iso(t_ns, off_min, zone):
    """ISO text of instant t_ns (epoch ns) in a zone off_min east of UTC."""
    s, ns = divmod(t_ns + off_min * 60 * 10**9, 10**9)
    d = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=s)
    txt = d.strftime("%Y-%m-%d %H:%M:%S") + ".%09d" % ns
    txt = txt.rstrip("0").rstrip(".") if "." in txt else txt
    if zone == "Z":
        return txt.replace(" ", "T") + "Z"
    if zone == "offset":
        sign = "+" if off_min >= 0 else "-"
        return txt + "%s%02d:%02d" % (sign, abs(off_min) // 60, abs(off_min) % 60)
    return txt

TIME_FORMATS = ["iso_z", "iso_offset", "iso_tz_opt", "iso_tz_utcminus", "epoch_s",
                "epoch_ms", "epoch_us", "epoch_ns", "epoch_ns_named", "rel_s",
                "rel_ms_named", "epoch_ms_suffix"]
# (header template, factor from W to the written value, --unit option or None)
UNITS = [("{n} [W]", 1, None), ("{n} (W)", 1, None), ("{n}_W", 1, None),
         ("{n}_watts", 1, None), ("{n}_mW", 1000, None), ("{n} [mW]", 1000, None),
         ("{n}_kW", F(1, 1000), None), ("Power Draw {n} (W)", 1, None),
         ("{n}", 1, "{n}=W"), ("{n}", 1000, "*=mW"), ("{n}", 1, "")]
DEVICES = ["none", "gpu_index", "hostname", "repeat_no_column"]
BAD = ["none"] * 6 + ["bad_cell", "epoch_range"]

def case(rng, k, d):
    tf = TIME_FORMATS[k % len(TIME_FORMATS)]
    uh, fac, udecl = UNITS[(k // len(TIME_FORMATS)) % len(UNITS)]
    dev = DEVICES[(k // 7) % len(DEVICES)]
    total = (k // 3) % 3 == 0
    bad = BAD[(k // 11) % len(BAD)]
    if bad == "epoch_range" and not tf.startswith("epoch"):
        bad = "none"
    ndev = 1 if dev == "none" else rng.randint(2, 4)
    ncols = rng.randint(2, 3) if total else rng.randint(1, 3)
    names = ["rail%d" % (i + 1) for i in range(ncols)]
    nrows = rng.randint(6, 30)
    step_ns = rng.choice([10**8, 25 * 10**7, 10**9, 5 * 10**8])
    start_ns = BASE * 10**9 + rng.randint(0, 10**6) * 1000
    gap = (k // 5) % 4 == 0
    times = []
    t = start_ns
    for r in range(nrows):
        times.append(t)
        t += step_ns + rng.randint(0, 50) * 10**6 // 10  # jitter below the gap bound
        if gap and r == nrows // 3:
            t += 12 * step_ns
    off_min = rng.choice([-420, 120, 330, 0])
    opts = []
    # time column
    if tf in ("iso_z", "iso_offset", "iso_tz_opt", "iso_tz_utcminus"):
        th = "timestamp"
        if tf == "iso_z":
            tcell = lambda tn: iso(tn, 0, "Z")
        elif tf == "iso_offset":
            tcell = lambda tn: iso(tn, off_min, "offset")
        elif tf == "iso_tz_opt":
            tcell = lambda tn: iso(tn, off_min, None)
            sign = "+" if off_min >= 0 else "-"
            opts += ["--tz", "%s%02d:%02d" % (sign, abs(off_min) // 60, abs(off_min) % 60)]
        else:
            tcell = lambda tn: iso(tn, -420, None)
            opts += ["--tz", "UTC-7"]
    elif tf == "epoch_s":
        th, tcell = "time", lambda tn: "%d.%09d" % divmod(tn, 10**9)
    elif tf == "epoch_ms":
        th, tcell = "ts", lambda tn: "%d.%06d" % divmod(tn, 10**6)
    elif tf == "epoch_us":
        th, tcell = "timestamp", lambda tn: "%d.%03d" % divmod(tn, 10**3)
    elif tf == "epoch_ns":
        th, tcell = "timestamp", lambda tn: "%d" % tn
    elif tf == "epoch_ns_named":
        th, tcell = "Timestamp (ns)", lambda tn: "%d" % tn
    elif tf == "epoch_ms_suffix":
        th, tcell = "time_ms", lambda tn: "%d.%06d" % divmod(tn, 10**6)
    elif tf == "rel_s":
        th, tcell = "t", lambda tn: "%d.%09d" % divmod(tn - start_ns, 10**9)
    else:  # rel_ms_named
        th, tcell = "time [ms]", lambda tn: "%d.%06d" % divmod(tn - start_ns, 10**6)
    # power values, in W, per device per column per row (exact decimals)
    pw = [[[F(rng.randint(1000, 400000), 1000) for _ in range(nrows)]
           for _ in range(ncols)] for _ in range(ndev)]
    hdr = [th]
    if dev == "gpu_index":
        hdr.append("gpu_index")
    elif dev == "hostname":
        hdr.append("hostname")
    col_names = names
    for n in col_names:
        hdr.append(uh.format(n=n))
    if total:
        hdr.append(uh.format(n="total"))
    if udecl:
        if "{n}" in udecl:
            for n in col_names + (["total"] if total else []):
                opts += ["--unit", udecl.format(n=n)]
        else:
            opts += ["--unit", udecl]
    lines = [",".join(hdr)]
    bad_line = None
    for r in range(nrows):
        for dv in range(ndev):
            cells = [tcell(times[r])]
            if dev == "gpu_index":
                cells.append(str(dv))
            elif dev == "hostname":
                cells.append("node-%c" % (ord("a") + dv))
            for c in range(ncols):
                cells.append(fmt(pw[dv][c][r] * fac))
            if total:
                cells.append(fmt(sum(pw[dv][c][r] for c in range(ncols)) * fac))
            if bad == "bad_cell" and r == nrows // 2 and dv == 0:
                cells[-1] = "12,5x"
                bad_line = len(lines) + 1
            lines.append(",".join('"%s"' % x if "," in x else x for x in cells))
    if bad == "epoch_range":
        # a time 10^3 too large for its unit at row 3: outside 1990-2100
        first = lines[3].split(",")
        first[0] = first[0].split(".")[0] + "000"
        lines[3] = ",".join(first)
    spelling = "".join(ch for ch in uh.replace("{n}", "x") if ch.isalnum() or ch == "_")
    if udecl is not None:
        spelling += "-declared" if udecl else "-undeclared"
    name = "m%03d-%s-%s-%s-%s%s%s.csv" % (k, tf, spelling, dev, "total-" if total else "",
                                         "gap-" if gap else "", bad)
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    # what wattlog must do
    if bad == "bad_cell":
        want = "error:line %d" % bad_line
    elif bad == "epoch_range":
        want = "error:--time-unit"
    elif dev == "repeat_no_column":
        want = "error:--device-column"
    elif udecl == "":
        want = "error:--unit"
    else:
        ts = [F(x - start_ns, 10**9) for x in times]
        want = str(float(sum(trapz(ts, pw[dv][c]) for dv in range(ndev) for c in range(ncols))))
    return name, opts, want

def fmt(x):
    x = F(x)
    if x.denominator == 1:
        return str(x.numerator)
    s = "%.6f" % float(x)
    assert F(s) == x, (s, x)
    return s.rstrip("0").rstrip(".")

def main():
    d, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    with open(os.path.join(d, "cases.tsv"), "w") as out:
        for k in range(n):
            name, opts, want = case(rng, k, d)
            out.write("%s\t%s\t%s\n" % (name, " ".join(opts), want))

if __name__ == "__main__":
    main()
