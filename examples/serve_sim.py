#!/usr/bin/env python3
"""serve_sim.py - a simulated inference server for wattlog: worker threads
serve concurrent requests, each a CPU-bound prefill (work in proportion to
its input tokens) then a decode (one short step per output token), marked
with the `wattlog` package (python/wattlog, standard library only).

    wattlog-record -o run.wlog -- python3 examples/serve_sim.py --requests 40
    wattlog requests run.wlog

Not under the recorder, --marker-fifo PATH sends the markers to a running
`wattlog-record --marker-fifo PATH`.  Prints one line per request at the end.
"""
import argparse
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import wattlog  # noqa: E402  (the source tree's package when not installed)


def busy(seconds):
    """Burn CPU for about `seconds` (the simulated compute)."""
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        x += 1
    return x


def serve(rid, tokens_in, tokens_out, step_s):
    with wattlog.request(rid, tokens_in=tokens_in, model="sim-7b") as r:
        with wattlog.phase("prefill"):
            busy(tokens_in * step_s / 8)
        with wattlog.phase("decode"):
            for _ in range(tokens_out):
                busy(step_s / 2)
                time.sleep(step_s / 2)  # waiting on the batch: power drops
        r.set(tokens_out=tokens_out, status="ok")
    return rid, tokens_in, tokens_out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--step-ms", type=float, default=2.0, help="one decode step")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--marker-fifo", help="FIFO of wattlog-record --marker-fifo")
    a = ap.parse_args()
    if a.marker_fifo:
        wattlog.configure(fifo=a.marker_fifo)
    rng = random.Random(a.seed)
    jobs = [(i, rng.randint(32, 512), rng.randint(8, 96)) for i in range(a.requests)]
    lock = threading.Lock()
    done = []
    with ThreadPoolExecutor(max_workers=a.threads) as ex:
        for res in ex.map(lambda j: serve(*j, a.step_ms / 1000), jobs):
            with lock:
                done.append(res)
    for rid, ti, to in done:
        print("request %d tokens_in=%d tokens_out=%d" % (rid, ti, to))
    print("served %d requests on %d threads (markers %s)" %
          (len(done), a.threads, "sent" if wattlog.enabled() else "off: not recorded"))


if __name__ == "__main__":
    main()
