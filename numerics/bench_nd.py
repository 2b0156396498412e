"""Benchmark of the n-D chain kernel against numpy, timed in one run on one machine.

Workload: SGD on the tilted 2-D double well ``L = (x^2-1)^2/4 + (y^2-1)^2/4 + 0.3 x y``
with correlated constant gradient noise, ``x' = x - eta grad L + S xi`` (``eta = 0.01``,
``S = eta [[5, 0], [1.5, 4.5]]``), from the origin; mode ``final`` keeps the final states,
mode ``observables`` also averages ``x^2, y^2, x y`` over the steps. The kernel,
:func:`numerics.chains_nd.run_chains_nd`, reads the drift and noise as packed polynomials
(any claim's system, no compilation per claim); the numpy peer is written for this one
drift, in place, with ``Generator(SFC64)`` normals, on one thread and on two (chains split
in halves, one generator each; numpy releases the GIL in its loops)::

    python -m numerics.bench_nd [--chains N] [--steps T] [--repeat R] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import numba as nb
import numpy as np

from .chains_nd import run_chains_nd
from .polynd import PolySystem

__all__ = ["ETA", "DRIFT", "NOISE", "OBSERVABLES", "run_benchmark", "main"]

ETA = 0.01
#: eta grad L, term by term: d/dx = x^3 - x + 0.3 y, d/dy = y^3 - y + 0.3 x.
DRIFT = PolySystem.from_components([{(3, 0): ETA, (1, 0): -ETA, (0, 1): 0.3 * ETA},
                                    {(0, 3): ETA, (0, 1): -ETA, (1, 0): 0.3 * ETA}], 2)
_S = (5.0 * ETA, 0.0, 1.5 * ETA, 4.5 * ETA)  # row-major 2 x 2
NOISE = PolySystem.constant(list(_S), 2)
OBSERVABLES = PolySystem.from_components([{(2, 0): 1.0}, {(0, 2): 1.0}, {(1, 1): 1.0}], 2)
MODES = ("final", "observables")


def _kernel(chains, steps, mode, threads):
    obs = OBSERVABLES if mode == "observables" else None
    run_chains_nd(DRIFT, NOISE, x0=np.zeros((chains, 2)), n_steps=steps, burn_in=0, seed=1,
                  observables=obs, threads=threads)


def _numpy_part(chains, steps, mode, seed):
    gen = np.random.Generator(np.random.SFC64(seed))
    x, y = np.zeros(chains), np.zeros(chains)
    z1, z2, fx, fy, tmp = (np.empty(chains) for _ in range(5))
    sums = np.zeros((3, chains)) if mode == "observables" else None
    s11, _, s21, s22 = _S
    for _ in range(steps):
        gen.standard_normal(out=z1)
        gen.standard_normal(out=z2)
        np.multiply(x, x, out=fx)          # fx = eta (x^3 - x + 0.3 y)
        fx -= 1.0
        fx *= x
        np.multiply(y, 0.3, out=tmp)
        fx += tmp
        np.multiply(y, y, out=fy)          # fy = eta (y^3 - y + 0.3 x), before x moves
        fy -= 1.0
        fy *= y
        np.multiply(x, 0.3, out=tmp)
        fy += tmp
        fx *= ETA
        fy *= ETA
        x -= fx
        y -= fy
        np.multiply(z1, s11, out=tmp)
        x += tmp
        np.multiply(z1, s21, out=tmp)
        y += tmp
        np.multiply(z2, s22, out=tmp)
        y += tmp
        if sums is not None:
            np.multiply(x, x, out=tmp)
            sums[0] += tmp
            np.multiply(y, y, out=tmp)
            sums[1] += tmp
            np.multiply(x, y, out=tmp)
            sums[2] += tmp
    return x, y


def _numpy(chains, steps, mode, threads):
    if threads == 1:
        _numpy_part(chains, steps, mode, 1)
        return
    parts = np.array_split(np.arange(chains), threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda ip: _numpy_part(len(ip[1]), steps, mode, ip[0] + 1), enumerate(parts)))


def run_benchmark(chains: int = 10_000, steps: int = 2_000, repeat: int = 5,
                  threads: int = 2) -> dict:
    """Median, min and max chain-steps per second of each contestant, and the ratios."""
    if not (chains >= 2 and steps >= 1 and repeat >= 1 and threads >= 1):
        raise ValueError(f"chains={chains}, steps={steps}, repeat={repeat}, threads={threads}: "
                         "need chains >= 2 and the others >= 1")
    contestants = {"slidecheck-nd": _kernel, "numpy": _numpy}
    rows = []
    for mode in MODES:
        _kernel(64, 10, mode, 1)  # compile or load from the cache outside the timing
        for name, fn in contestants.items():
            for thr in sorted({1, threads}):
                rates = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    fn(chains, steps, mode, thr)
                    rates.append(chains * steps / (time.perf_counter() - t))
                rows.append({"name": name, "mode": mode, "threads": thr,
                             "median": statistics.median(rates), "min": min(rates),
                             "max": max(rates)})
    ratios = {}
    for mode in MODES:
        for thr in sorted({1, threads}):
            k = next(r for r in rows if r["name"] == "slidecheck-nd" and r["mode"] == mode
                     and r["threads"] == thr)
            npy = next(r for r in rows if r["name"] == "numpy" and r["mode"] == mode
                       and r["threads"] == thr)
            ratios[f"{mode}/{thr}"] = k["median"] / npy["median"]
    return {"workload": f"2-D tilted double well, eta={ETA}, correlated constant noise; "
                        f"{chains} chains x {steps} steps", "results": rows,
            "kernel_over_numpy": ratios}


def format_table(res: dict) -> str:
    lines = [res["workload"], "",
             f"{'mode':<12} {'implementation':<14} {'thr':>3} {'chain-steps/s':>14}  [min, max]"]
    for r in res["results"]:
        lines.append(f"{r['mode']:<12} {r['name']:<14} {r['threads']:>3} {r['median']:>14.3e}  "
                     f"[{r['min']:.2e}, {r['max']:.2e}]")
    lines.append("")
    lines.append("slidecheck-nd / numpy (median, same threads): "
                 + ", ".join(f"{k} {v:.2f}" for k, v in res["kernel_over_numpy"].items()))
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m numerics.bench_nd", description=__doc__.split("\n")[0])
    p.add_argument("--chains", type=int, default=10_000)
    p.add_argument("--steps", type=int, default=2_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--threads", type=int, default=nb.config.NUMBA_NUM_THREADS)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    try:
        res = run_benchmark(args.chains, args.steps, args.repeat, args.threads)
    except ValueError as exc:
        p.error(str(exc))
    print(json.dumps(res, indent=1) if args.json else format_table(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
