#!/usr/bin/python3
"""pandas_report.py - the report pipeline in pandas, for scripts/bench/report.sh.

Reads an AIMeter-format CSV (units inside the cells) and does what
`wattlog report --format json` does with it: strip the units, per-metric
statistics per GPU (avg, time-weighted avg, min, max, mode at 0.01,
std, p50/p95/p99), trapezoid energy of power.draw per GPU and of
cpu_power / dram_power, a Pearson matrix of the metrics resampled to bins of
the median sampling period, top 5 positive and negative pairs.  For a
one-GPU file (every metric on every row) also "row_correlation": the Pearson
matrix over the rows themselves (what scripts/bench/realcsv.sh checks
wattlog's r against).  Writes JSON.

usage: pandas_report.py FILE.csv OUT.json
"""
import json
import sys

import numpy as np
import pandas as pd

HOST = ("cpu_power", "dram_power", "cpu_usage", "dram_usage")


def strip_units(s):
    if s.dtype != object:
        return s.astype(float)
    return pd.to_numeric(s.str.extract(r"^\s*([-+0-9.eE]+)", expand=False), errors="coerce")


def stats(t, v):
    ok = v.notna()
    t, v = t[ok], v[ok]
    if len(v) == 0:
        return None
    x = v.to_numpy()
    ts = t.to_numpy()
    dur = ts[-1] - ts[0]
    return {
        "n": int(len(x)), "avg": float(x.mean()), "min": float(x.min()),
        "max": float(x.max()), "mode": float(pd.Series(np.round(x, 2)).mode().iloc[0]),
        "std": float(x.std(ddof=1)) if len(x) > 1 else None,
        "p50": float(np.quantile(x, 0.5)), "p95": float(np.quantile(x, 0.95)),
        "p99": float(np.quantile(x, 0.99)),
        "twa": float(np.trapz(x, ts) / dur) if dur > 0 else None,
    }


def main(path, out):
    df = pd.read_csv(path)
    df["t"] = pd.to_datetime(df["timestamp"]).astype("int64") / 1e9
    df["t"] -= df["t"].min()
    metrics = [c for c in df.columns if c not in ("timestamp", "task_name", "name", "index", "t")]
    for c in metrics:
        df[c] = strip_units(df[c])
    res = {"metrics": [], "energy_j": {"components": {}}}
    host = df.drop_duplicates("t")
    for c in metrics:
        if c in HOST:
            s = stats(host["t"], host[c])
            if s:
                res["metrics"].append(dict(name=c, device="host", **s))
    for gpu, g in df.groupby("index"):
        for c in metrics:
            if c in HOST:
                continue
            s = stats(g["t"], g[c])
            if s:
                res["metrics"].append(dict(name=c, device="gpu%d" % gpu, **s))
        if "power.draw [W]" in g:
            p = g[["t", "power.draw [W]"]].dropna()
            res["energy_j"]["components"]["gpu%d" % gpu] = float(np.trapz(p.iloc[:, 1], p["t"]))
    for c, comp in (("cpu_power", "cpu"), ("dram_power", "dram")):
        if c in host:
            p = host[["t", c]].dropna()
            res["energy_j"]["components"][comp] = float(np.trapz(p[c], p["t"]))
    res["energy_j"]["total"] = sum(res["energy_j"]["components"].values())
    # correlation: bins of the median period, one column per metric and GPU
    step = float(np.median(np.diff(np.unique(df["t"].to_numpy()))))
    df["bin"] = np.floor(df["t"] / step + 0.5).astype("int64")
    wide = df.pivot_table(index="bin", columns="index",
                          values=[c for c in metrics if c not in HOST], aggfunc="mean")
    wide.columns = ["%s gpu%s" % c for c in wide.columns]
    hb = host.assign(bin=np.floor(host["t"] / step + 0.5).astype("int64"))
    wide = wide.join(hb.groupby("bin")[[c for c in HOST if c in hb]].mean())
    keep = [c for c in wide.columns
            if wide[c].notna().mean() >= 0.5 and wide[c].nunique(dropna=True) > 1]
    r = wide[keep].corr(method="pearson", min_periods=3)
    pairs = [(r.iat[i, j], keep[i], keep[j]) for i in range(len(keep))
             for j in range(i + 1, len(keep)) if pd.notna(r.iat[i, j])]
    pairs.sort(key=lambda p: -p[0])
    res["correlation"] = {
        "metrics": keep, "matrix": r.to_numpy().tolist(),
        "top_positive": [dict(a=a, b=b, r=v) for v, a, b in pairs if v > 0][:5],
        "top_negative": [dict(a=a, b=b, r=v) for v, a, b in reversed(pairs) if v < 0][:5],
    }
    if df["index"].nunique() == 1:
        rk = [c for c in metrics if df[c].nunique(dropna=True) > 1]
        res["row_correlation"] = {"metrics": rk, "matrix": df[rk].corr().to_numpy().tolist()}
    res["duration_s"] = float(df["t"].max())
    with open(out, "w") as f:
        json.dump(res, f, default=lambda x: None)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
