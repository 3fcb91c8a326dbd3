"""plot_mpl.py HOURS RATE CHANNELS OUT.png - the matplotlib equivalent of
tests/helpers/plot_bench.c: the same samples (same formula), one line per
channel, the same figure size (8 x 4 in, 144 dpi = 1152 x 576 px).
Prints the time to build the arrays and to draw and save."""
import resource
import sys
import time

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

hours, rate, nch, out = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
n = int(hours * 3600 * rate)
t0 = time.monotonic()
k = np.arange(n, dtype=np.uint64)
t = k / rate
base = np.where((t // 300).astype(np.uint64) & 1, 200.0, 0.0)
spike = np.where(k % 3600000 == 1234, 300.0, 0.0)
ys = []
for c in range(nch):
    h = (k * np.uint64(2654435761) + np.uint64(97 * c)) & np.uint64(0xFFFFFFFF)
    noise = ((h >> np.uint64(16)) % np.uint64(1000)).astype(np.float64) / 100
    ys.append(50 + 30.0 * c + base + noise + spike)
t1 = time.monotonic()
fig, ax = plt.subplots(figsize=(8, 4), dpi=144)
for c, y in enumerate(ys):
    ax.plot(t / 3600, y, lw=1, label=f"gpu{c}")
ax.set_xlabel("Time (h)")
ax.set_ylabel("Power (W)")
ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, 1.2))
fig.savefig(out)
t2 = time.monotonic()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"matplotlib power figure: {hours:g} h at {rate:g} Hz x {nch} channels = {n * nch} "
      f"samples: {t2 - t0:.2f} s (arrays {t1 - t0:.2f} s, draw {t2 - t1:.2f} s), "
      f"peak RSS {rss:.0f} MiB")
