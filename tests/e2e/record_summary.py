#!/usr/bin/env python3
"""record_summary.py TRACE - a line-oriented summary of a wattlog trace for
the recorder's end-to-end tests (t20-t29), read with the independent reader
scripts/wlog_dump.py (written from trace_format.h alone):

    first KIND                   kind of the first record
    meta KEY=VALUE               every META pair
    channel ID SOURCE NAME UNIT DEVICE
    marker T_NS FLAGS TEXT
    log LEVEL TEXT
    syncs N
    samples SOURCE N             SAMPLE records per source (by their channels)
    samples_total N
    span_ns SOURCE T_LAST-T_FIRST
    gap_ns SOURCE MIN MAX        shortest and longest time between two
                                 consecutive samples of SOURCE (2 or more)
    damage N                     damaged blocks / torn tail (0 = clean)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import wlog_dump  # noqa: E402

names = {1: "meta", 2: "channel", 3: "sample", 4: "marker", 5: "sync", 6: "log"}
data = open(sys.argv[1], "rb").read()
tr = wlog_dump.Trace(data, sys.argv[1])
times = {}
out, first, syncs, total = [], None, 0, 0
per, t0, t1 = {}, {}, {}
d = lambda b: b.decode("utf-8", "replace")
for kind, _off, rec in tr.records():
    if first is None:
        first = names.get(kind, str(kind))
    if kind == 1:
        out += ["meta %s=%s" % (d(k), d(v)) for k, v in rec]
    elif kind == 2:
        out.append("channel %d %s %s %s %s" % (rec["id"], d(rec["source"]), d(rec["name"]),
                                               d(rec["unit"]), d(rec["device"]) or "-"))
    elif kind == 3:
        total += 1
        src = d(tr.channels[rec["vals"][0][0]]["source"]) if rec["vals"] else "-"
        per[src] = per.get(src, 0) + 1
        t0.setdefault(src, rec["t"])
        t1[src] = rec["t"]
        times.setdefault(src, []).append(rec["t"])
    elif kind == 4:
        out.append("marker %d %d %s" % (rec["t"], rec["flags"], d(rec["text"])))
    elif kind == 5:
        syncs += 1
    elif kind == 6:
        out.append("log %d %s" % (rec["level"], d(rec["text"])))
print("first %s" % first)
print("\n".join(out))
print("syncs %d" % syncs)
for s in sorted(per):
    print("samples %s %d" % (s, per[s]))
    print("span_ns %s %d" % (s, t1[s] - t0[s]))
    gaps = [b - a for a, b in zip(times[s], times[s][1:])]
    if gaps:
        print("gap_ns %s %d %d" % (s, min(gaps), max(gaps)))
print("samples_total %d" % total)
print("damage %d" % len(tr.damage))
