#!/usr/bin/env python3
"""wait_trace.py TRACE SOURCE N [+] - the recorder tests' readiness
handshake: waits until the trace being written holds at least N SAMPLE
records of SOURCE (record with a short --flush-interval), or with "+", N
more than it holds when called.  Reads with the independent reader
scripts/wlog_dump.py every 20 ms, for at most 30 s.
Prints the count reached; exit 1 on time-out.

    wait_trace.py t.wlog powercap 10        # >= 10 powercap samples
    wait_trace.py t.wlog procfs 10 +        # 10 more procfs samples than now
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import wlog_dump  # noqa: E402


def count(path, source):
    try:
        data = open(path, "rb").read()
        tr = wlog_dump.Trace(data, path)
        n = 0
        for kind, _off, rec in tr.records():
            if kind == 3 and rec["vals"] and \
                    tr.channels[rec["vals"][0][0]]["source"].decode() == source:
                n += 1
        return n
    except Exception:  # not written yet, or a header still being written
        return 0


path, source, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
if len(sys.argv) > 4:
    want += count(path, source)
end = time.monotonic() + 30
while True:
    n = count(path, source)
    if n >= want:
        print(n)
        sys.exit(0)
    if time.monotonic() > end:
        print("wait_trace: %s: %d %s samples after 30 s, want %d" % (path, n, source, want),
              file=sys.stderr)
        sys.exit(1)
    time.sleep(0.02)
