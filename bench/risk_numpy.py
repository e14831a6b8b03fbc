#!/usr/bin/env python3
"""risk_numpy.py - the NumPy baseline of tldsec's FAIR Monte Carlo.

A straightforward vectorized implementation of the same model as
`tldsec risk simulate` (product.md 2.6, domain.md 6): per row and simulated
year, TEF and vulnerability are beta-PERT draws, events ~ Poisson(TEF x vuln),
the year's loss is the sum of one beta-PERT loss draw per event; the register's
loss in a year is the sum over rows. Prints the annualised loss mean and the
10/50/90th percentiles per row and for the register, and the simulated years
per second (rows x trials / seconds).

Usage: risk_numpy.py WORKSHEET.csv TRIALS SEED [REPEAT]
(the timings are the best of REPEAT runs, default 2)
"""
import csv
import sys
import time

import numpy as np


def pert(rng, lo, mode, hi, n):
    if hi <= lo:
        return np.full(n, lo)
    a = 1.0 + 4.0 * (mode - lo) / (hi - lo)
    b = 1.0 + 4.0 * (hi - mode) / (hi - lo)
    return lo + (hi - lo) * rng.beta(a, b, n)


def simulate(rng, quant, trials):
    total = np.zeros(trials)
    results = []
    for rid, tef, vuln, loss in quant:
        lam = pert(rng, *tef, trials) * pert(rng, *vuln, trials)
        events = rng.poisson(lam)
        draws = pert(rng, *loss, int(events.sum()))
        # each year's loss: the sum of its events' draws
        year = np.repeat(np.arange(trials), events)
        annual = np.bincount(year, weights=draws, minlength=trials)
        total += annual
        results.append((rid, annual.mean(), *np.percentile(annual, [10, 50, 90], method="inverted_cdf")))
    results.append(("TOTAL", total.mean(), *np.percentile(total, [10, 50, 90], method="inverted_cdf")))
    return results


def num(row, key):
    v = row.get(key, "")
    return float(v) if v.strip() != "" else None


def main():
    path, trials, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    rng = np.random.default_rng(seed)
    quant = []
    for r in rows:
        tef = [num(r, k) for k in ("tef_min", "tef_mode", "tef_max")]
        loss = [num(r, k) for k in ("loss_min", "loss_mode", "loss_max")]
        v = num(r, "vuln")
        vuln = [v, v, v] if v is not None else [num(r, k) for k in ("vuln_min", "vuln_mode", "vuln_max")]
        if None in tef or None in loss or None in vuln:
            continue
        quant.append((r["id"], tef, vuln, loss))
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    secs = cpu = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        cpu0 = time.process_time()
        results = simulate(rng, quant, trials)
        secs = min(secs, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - cpu0)
    for rid, mean, p10, p50, p90 in results:
        print(f"{rid:<8} mean {mean:14.2f}  p10 {p10:14.2f}  p50 {p50:14.2f}  p90 {p90:14.2f}")
    print(f"numpy: CPU time {cpu:.3f} s = {len(quant) * trials / cpu / 1e6:.2f} M row-years/s per core")
    print(f"numpy: {len(quant)} rows x {trials} trials in {secs:.3f} s = "
          f"{len(quant) * trials / secs / 1e6:.2f} M row-years/s")


if __name__ == "__main__":
    main()
