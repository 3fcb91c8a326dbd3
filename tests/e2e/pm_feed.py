#!/usr/bin/env python3
"""pm_feed.py DIR POWER_W SECONDS [HZ] - feeds a fake Cray pm_counters
directory as the firmware would: every 1/HZ s (default 10) it writes
power = POWER_W, energy = E0 + POWER_W * (t - t0) in whole joules (floor),
then steps freshness, each value followed by its timestamp in us (after a
stall, the next update comes a full period later).  Lines are
overwritten in place at a fixed width (never truncated), so a reader never
sees an empty file.  E0 = 1000000 J.  Exits after SECONDS."""
import os
import sys
import time

d, power, secs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
hz = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
E0 = 1000000
fds = {}
for name in ("energy", "power", "freshness", "generation", "power_cap", "raw_scan_hz"):
    fds[name] = os.open(os.path.join(d, name), os.O_WRONLY | os.O_CREAT, 0o644)


def put(name, text):
    line = text.ljust(47) + "\n"
    os.pwrite(fds[name], line.encode(), 0)


put("generation", "1")
put("power_cap", "0 W")
put("raw_scan_hz", "%d" % hz)
t0 = time.monotonic()
k = 0
while True:
    now = time.monotonic()
    us = int(time.time() * 1e6)
    e = E0 + int(power * (now - t0))
    put("power", "%d W %d us" % (power, us))
    put("energy", "%d J %d us" % (e, us))
    k += 1
    put("freshness", "%d" % k)
    if now - t0 >= secs:
        break
    # on the 1/HZ grid; after a stall (a loaded machine) one full period
    # later rather than at once, so that a late value never reads as a
    # burst of power (the energy itself stays exact: it is E(now))
    nxt = t0 + k / hz
    if nxt < time.monotonic() + 0.5 / hz:
        nxt = time.monotonic() + 1.0 / hz
    time.sleep(max(0.0, nxt - time.monotonic()))
