#!/usr/bin/python3
"""mkaimeter.py - the real-format case of `make bench` (issue 20).

Builds an AIMeter CSV of ROWS data rows and 27 columns, units inside the
values, from AIMeter's own A800 traces (../shared/real-traces/aimeter-a800/
prefill-decode/*.csv, the 10 runs one after another): every file's columns
are read by name and written in the first file's order; the runs are
repeated, each copy's timestamps shifted so that time keeps going forward
at the traces' own 0.1 s cadence (one GPU: a single-rate file).

usage: mkaimeter.py TRACES_DIR OUT.csv ROWS
"""
import csv
import glob
import os
import sys
from datetime import datetime, timedelta

FMT = "%Y-%m-%d %H:%M:%S.%f"


def main(src, out, rows):
    files = sorted(glob.glob(os.path.join(src, "*.csv")))
    if not files:
        sys.exit("mkaimeter.py: no AIMeter CSV in %s" % src)
    header, body = None, []  # body: (offset from its run's start, rest of the row)
    span = timedelta(0)
    for path in files:
        with open(path, encoding="utf-8", newline="") as f:
            rd = csv.reader(f)
            h = next(rd)
            if header is None:
                header = h
            idx = [h.index(c) for c in header]
            recs = [r for r in rd if len(r) == len(h)]
        t0 = datetime.strptime(recs[0][idx[0]], FMT)
        for r in recs:
            dt = datetime.strptime(r[idx[0]], FMT) - t0
            body.append((span + dt, ",".join(r[k] for k in idx[1:])))
        span += dt + timedelta(seconds=0.1)
    start = datetime(2025, 5, 7, 0, 0, 0)
    n, rep = 0, 0
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        while n < rows:
            base = start + span * rep
            for dt, rest in body:
                f.write((base + dt).strftime(FMT)[:-5] + "," + rest + "\n")
                n += 1
                if n == rows:
                    break
            rep += 1
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
