"""Benchmark of the 1-D chain kernel against its peers, all timed in one run on one machine.

    python -m numerics.bench                 # the issue-3 workload, printed table
    python -m numerics.bench --json          # the same as JSON
    python -m numerics.bench --jit           # cold/warm JIT cost of the numerics kernels

Workload (issue 3): SGD on the double well ``L(x) = (x^2 - 1)^2 / 4`` with Gaussian gradient
noise, ``x' = x - eta (L'(x) + sigma xi)``, ``eta = 0.01``, ``sigma = sqrt(2 T / eta)`` at
temperature ``T = 1/4``; 10^4 chains x 10^4 steps from starts spread over [-1.5, 1.5].
Two modes: ``final`` keeps only the last state (accumulation on the last step only) and
``moments`` accumulates 4 moments and a 120-bin histogram at every step.

Contestants, each at the same thread count:

- ``slidecheck``: :func:`numerics.chains_1d.run_chains_1d` (lockstep lanes);
- ``slidecheck-scalar``: the previous kernel (one chain at a time per thread), kept here
  as the baseline the lockstep layout is measured against;
- ``numpy``: a careful numpy implementation (``Generator(SFC64)``, ``out=`` buffers, step
  and noise scale folded into the coefficients), on 1 thread and on the benchmark's
  thread count (chains split into contiguous chunks, one thread and one generator each);
- ``C-scalar``, ``C-lanes``, ``C-fused``: ``numerics/bench_c/chains_1d.c`` compiled here
  with ``-O3 -march=native -fopenmp -ffp-contract=off``, when a C compiler is present: a
  chain at a time (the textbook loop), 16 lanes in separate loops (gathers), and the
  kernel's own algorithm transcribed (the fairest measure of what numba leaves on the
  table). They draw the same streams as the kernel (the tables and seeded states are
  passed in), so their final states and histograms must equal the kernel's bit for bit;
  the benchmark checks it.

Timings: one untimed warm-up call each, then ``--repeat`` rounds, each timing every
contestant once (interleaved, so load changes hit all alike); reported are the median,
min and max chain-steps per second, and the load average before and after. On a shared
machine the numbers are depressed and noisy; the ratios are more stable than the rates.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numba as nb
import numpy as np

from . import rng
from .chains_1d import run_chains_1d
from .poly import horner
from .rng import next_normal, seed_states

__all__ = ["Workload", "run_benchmark", "main"]

GOALS = {"numpy": 2.5, "C": 0.6}


@dataclass(frozen=True)
class Workload:
    """SGD on the double well; ``f = L'``, constant noise ``sigma``; ``a = b = eta``."""

    chains: int = 10_000
    steps: int = 10_000
    eta: float = 0.01
    temperature: float = 0.25
    n_moments: int = 4
    hist_range: tuple[float, float] = (-3.0, 3.0)
    n_bins: int = 120
    seed: int = 20261123
    f: tuple[float, ...] = (0.0, -1.0, 0.0, 1.0)  # L'(x) = x^3 - x, lowest degree first

    @property
    def sigma(self) -> float:
        return math.sqrt(2 * self.temperature / self.eta)

    @property
    def s(self) -> tuple[float, ...]:
        return (self.sigma,)

    def x0(self) -> np.ndarray:
        return np.linspace(-1.5, 1.5, self.chains)

    def burn_in(self, mode: str) -> int:
        return self.steps - 1 if mode == "final" else 0

    def describe(self) -> str:
        return (f"SGD on the double well (x^2-1)^2/4, eta={self.eta:g}, sigma={self.sigma:.4g} "
                f"(T={self.temperature:g}); {self.chains} chains x {self.steps} steps")


# --- contestants -------------------------------------------------------------------------

def _slidecheck(w: Workload, mode: str, threads: int):
    run = run_chains_1d(np.array(w.f), np.array(w.s), a=w.eta, b=w.eta, x0=w.x0(),
                        n_steps=w.steps, burn_in=w.burn_in(mode), seed=w.seed,
                        n_moments=w.n_moments, hist_range=w.hist_range, n_bins=w.n_bins,
                        threads=threads)
    return run.final, run.hist_counts


@nb.njit(parallel=True, cache=True)
def _scalar_kernel(x0, f, s, a, b, n_steps, burn_in, states, hist_lo, hist_hi, moments, hist,
                   final):
    """The kernel before lockstep lanes: each thread runs its chains one after another."""
    n_chains = x0.shape[0]
    n_moments = moments.shape[1]
    n_bins = hist.shape[1]
    inv_width = n_bins / (hist_hi - hist_lo)
    for c in nb.prange(n_chains):
        x = x0[c]
        for t in range(n_steps):
            x = x - a * horner(f, x) + b * horner(s, x) * next_normal(states, c)
            if t >= burn_in:
                p = 1.0
                for k in range(n_moments):
                    p *= x
                    moments[c, k] += p
                if hist_lo <= x < hist_hi:
                    j = int((x - hist_lo) * inv_width)
                    if j < n_bins:
                        hist[c, j] += 1
        final[c] = x


def _slidecheck_scalar(w: Workload, mode: str, threads: int):
    moments = np.zeros((w.chains, w.n_moments))
    hist = np.zeros((w.chains, w.n_bins), dtype=np.int32)
    final = np.empty(w.chains)
    previous = nb.get_num_threads()
    try:
        nb.set_num_threads(threads)
        _scalar_kernel(w.x0(), np.array(w.f), np.array(w.s), w.eta, w.eta, w.steps,
                       w.burn_in(mode), seed_states(w.seed, w.chains), *map(float, w.hist_range),
                       moments, hist, final)
    finally:
        nb.set_num_threads(previous)
    return final, hist.sum(axis=0)


def _numpy_chunk(x, gen, af, bs, steps, burn_in, n_moments, lo, hi, n_bins):
    """Chains ``x`` (updated in place) with generator ``gen``; returns moments and counts.

    ``af`` are the drift coefficients times the step, ``bs`` the noise coefficients times
    the noise scale; Horner runs in place on preallocated buffers.
    """
    n = x.size
    xi, acc, tmp, p = (np.empty(n) for _ in range(4))
    moments = np.zeros((n_moments, n))
    counts = np.zeros(n_bins + 2, dtype=np.int64)
    inv_width = n_bins / (hi - lo)
    constant_noise = len(bs) == 1

    def horner_into(c, out):
        np.multiply(x, c[-1], out=out)
        np.add(out, c[-2], out=out)
        for k in range(len(c) - 3, -1, -1):
            np.multiply(out, x, out=out)
            np.add(out, c[k], out=out)

    for t in range(steps):
        gen.standard_normal(out=xi)
        if constant_noise:
            np.multiply(xi, bs[0], out=xi)
        else:
            horner_into(bs, tmp)
            np.multiply(xi, tmp, out=xi)
        horner_into(af, acc)
        np.subtract(x, acc, out=x)
        np.add(x, xi, out=x)
        if t >= burn_in:
            np.copyto(p, x)
            moments[0] += p
            for k in range(1, n_moments):
                np.multiply(p, x, out=p)
                np.add(moments[k], p, out=moments[k])
            # Bins 1..n_bins; 0 and n_bins + 1 collect the states outside [lo, hi).
            np.subtract(x, lo, out=tmp)
            np.multiply(tmp, inv_width, out=tmp)
            np.floor(tmp, out=tmp)
            np.clip(tmp, -1, n_bins, out=tmp)
            counts += np.bincount(tmp.astype(np.intp) + 1, minlength=n_bins + 2)
    return moments, counts[1:-1]


def _numpy(w: Workload, mode: str, threads: int):
    af = [w.eta * c for c in w.f]
    bs = [w.eta * c for c in w.s]
    x = w.x0().copy()
    chunks = np.array_split(np.arange(w.chains), threads)
    gens = [np.random.Generator(np.random.SFC64(seed))
            for seed in np.random.SeedSequence(w.seed).spawn(threads)]
    views = [x[ch[0]:ch[-1] + 1] for ch in chunks]  # contiguous views, updated in place
    args = (af, bs, w.steps, w.burn_in(mode), w.n_moments, *w.hist_range, w.n_bins)
    if threads == 1:
        results = [_numpy_chunk(views[0], gens[0], *args)]
    else:
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(lambda vg: _numpy_chunk(vg[0], vg[1], *args), zip(views, gens)))
    return x, sum(r[1] for r in results)


# --- the C reference ---------------------------------------------------------------------

C_SOURCE = Path(__file__).with_name("bench_c") / "chains_1d.c"
C_FLAGS = ("-O3", "-march=native", "-ffp-contract=off", "-fopenmp", "-fPIC", "-shared")


def compile_c(build_dir: Path) -> tuple[ctypes.CDLL | None, str]:
    """Compile the C reference; returns the library (or None) and the command or the reason."""
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None, "no C compiler found (set CC)"
    out = build_dir / "chains_1d.so"
    errors = []
    for flags in (C_FLAGS, tuple(f for f in C_FLAGS if f != "-march=native")):
        cmd = [cc, *flags, "-o", str(out), str(C_SOURCE), "-lm"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            lib = ctypes.CDLL(str(out))
            for name in ("chains_scalar", "chains_lanes", "chains_fused"):
                fn = getattr(lib, name)
                fn.restype = ctypes.c_int
            return lib, " ".join([Path(cc).name, *flags])
        errors.append(proc.stderr.strip().splitlines()[-1:] or ["?"])
    return None, f"C compilation failed: {errors}"


def _c_contestant(lib: ctypes.CDLL, name: str) -> Callable:
    fn = getattr(lib, name)

    def run(w: Workload, mode: str, threads: int):
        ptr = lambda a: a.ctypes.data_as(ctypes.c_void_p)  # noqa: E731
        x0, f, s = w.x0(), np.array(w.f), np.array(w.s)
        states = seed_states(w.seed, w.chains)
        moments = np.zeros((w.chains, w.n_moments))
        hist = np.zeros((w.chains, w.n_bins), dtype=np.int32)
        final = np.empty(w.chains)
        ki, wi, fi = rng._KI, rng._WI, rng._FI
        D, I = ctypes.c_double, ctypes.c_int  # noqa: N806
        bad = fn(I(threads), I(w.chains), I(w.steps), I(w.burn_in(mode)), ptr(x0), ptr(f),
                 I(f.size), ptr(s), I(s.size), D(w.eta), D(w.eta), D(1e6), ptr(states), ptr(ki),
                 ptr(wi), ptr(fi), D(rng.ZIGGURAT_R), D(w.hist_range[0]), D(w.hist_range[1]),
                 I(w.n_bins), I(w.n_moments), ptr(moments), ptr(hist), ptr(final))
        if bad:
            raise FloatingPointError(f"C reference: {bad} chains escaped")
        return final, hist.sum(axis=0)

    return run


def _c_fused(lib: ctypes.CDLL) -> Callable:
    """The kernel's own algorithm in C; drift up to cubic, constant noise (the workload)."""
    fn = lib.chains_fused

    def run(w: Workload, mode: str, threads: int):
        if len(w.f) > 4 or len(w.s) != 1 or w.n_moments > 4:
            raise ValueError("C-fused covers drift up to cubic, constant noise, <= 4 moments")
        ptr = lambda a: a.ctypes.data_as(ctypes.c_void_p)  # noqa: E731
        x0 = w.x0()
        f4 = np.zeros(4)
        f4[: len(w.f)] = w.f
        s1 = np.array(w.s)
        states = seed_states(w.seed, w.chains)
        moments = np.zeros((w.chains, w.n_moments))
        n_blocks = (w.chains + 63) // 64
        hist = np.zeros((n_blocks, 4, w.n_bins + 1), dtype=np.int64)
        final = np.empty(w.chains)
        D, I = ctypes.c_double, ctypes.c_int  # noqa: N806
        bad = fn(I(threads), I(w.chains), I(w.steps), I(w.burn_in(mode)), ptr(x0), ptr(f4),
                 ptr(s1), D(w.eta), D(w.eta), D(1e6), ptr(states), ptr(rng._KI), ptr(rng._WI),
                 ptr(rng._FI), D(rng.ZIGGURAT_R), D(w.hist_range[0]), D(w.hist_range[1]),
                 I(w.n_bins), I(w.n_moments), ptr(moments), ptr(hist), ptr(final))
        if bad:
            raise FloatingPointError(f"C reference: {bad} chains escaped")
        return final, hist[:, :, : w.n_bins].sum(axis=(0, 1))

    return run


# --- timing ------------------------------------------------------------------------------

@dataclass
class Entry:
    name: str
    mode: str
    threads: int
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    note: str = ""


def run_benchmark(w: Workload, threads: int, repeat: int, with_c: bool = True,
                  modes=("final", "moments"), pause: float = 0.2, skip=()) -> dict:
    """Time every contestant (but those named in ``skip``) ``repeat`` times in each mode."""
    contestants: dict[str, tuple[Callable, int, str]] = {
        "slidecheck": (_slidecheck, threads, "run_chains_1d, lockstep lanes (numba)"),
        "slidecheck-scalar": (_slidecheck_scalar, threads, "previous kernel: a chain at a time"),
        "numpy-1": (_numpy, 1, "numpy, SFC64, in place, 1 thread"),
    }
    if threads > 1:
        contestants[f"numpy-{threads}"] = (_numpy, threads,
                                           f"numpy, SFC64, in place, {threads} threads (chunks)")
    c_info = "not requested"
    build = tempfile.TemporaryDirectory(prefix="slidecheck-bench-")
    if with_c:
        lib, c_info = compile_c(Path(build.name))
        if lib is not None:
            contestants["C-scalar"] = (_c_contestant(lib, "chains_scalar"), threads,
                                       "C, a chain at a time, OpenMP")
            contestants["C-lanes"] = (_c_contestant(lib, "chains_lanes"), threads,
                                      "C, 16 lanes in lockstep, OpenMP")
            contestants["C-fused"] = (_c_fused(lib), threads,
                                      "C, the kernel's algorithm (64 fused lanes), OpenMP")

    for name in skip:
        contestants.pop(name, None)
    load_before = os.getloadavg()
    # Warm-up: compile or load the JIT caches, fault in the code paths; not timed.
    small = Workload(chains=64, steps=64, seed=w.seed)
    first_call = {}
    for name, (fn, t, _) in contestants.items():
        start = time.perf_counter()
        for mode in modes:
            fn(small, mode, t)
        first_call[name] = time.perf_counter() - start

    entries = {(n, m): Entry(n, m, contestants[n][1], note=contestants[n][2])
               for m in modes for n in contestants}
    finals: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for _ in range(repeat):
        for mode in modes:
            for name, (fn, t, _) in contestants.items():
                time.sleep(pause)  # let the previous contestant's threads go idle
                start, cpu = time.perf_counter(), time.process_time()
                final, counts = fn(w, mode, t)
                entries[name, mode].seconds.append(time.perf_counter() - start)
                entries[name, mode].cpu_seconds.append(time.process_time() - cpu)
                finals[name, mode] = (final, np.asarray(counts))
    load_after = os.getloadavg()
    build.cleanup()

    chain_steps = w.chains * w.steps
    rows = []
    for (name, mode), e in entries.items():
        r = [chain_steps / sec for sec in e.seconds]
        rows.append({"name": name, "mode": mode, "threads": e.threads, "note": e.note,
                     "seconds": e.seconds, "cpu_seconds": e.cpu_seconds,
                     "median": statistics.median(r), "min": min(r), "max": max(r),
                     # Chain-steps per CPU-second of the whole process: what other load on
                     # a shared machine disturbs least (idle waiting costs no CPU time).
                     "per_cpu_second": statistics.median(
                         chain_steps / c for c in e.cpu_seconds if c > 0) if any(
                         c > 0 for c in e.cpu_seconds) else float("nan")})
    # Ratios of slidecheck's rate to each contestant's on three bases: the median wall-clock
    # rate (the headline), the best one (least disturbed by other load) and per CPU-second.
    bases = {"median": "median", "best": "max", "cpu": "per_cpu_second"}
    val = {(r["name"], r["mode"]): r for r in rows}
    for r in rows:
        me = val["slidecheck", r["mode"]]
        r["slidecheck_over_this"] = {b: me[k] / r[k] for b, k in bases.items()}
    # Same streams, same arithmetic: final states and histogram counts must agree exactly.
    identical = {f"{name}/{mode}": all(np.array_equal(u, v) for u, v in
                                       zip(finals[name, mode], finals["slidecheck", mode]))
                 for (name, mode) in finals if name.startswith(("C-", "slidecheck-"))}
    goals = {}
    for mode in modes:
        goals[mode] = {}
        for b, k in bases.items():
            me = val["slidecheck", mode][k]
            g = {"vs_best_numpy": me / max(r[k] for (n, m), r in val.items()
                                            if m == mode and n.startswith("numpy"))}
            cs = {n: r[k] for (n, m), r in val.items() if m == mode and n.startswith("C-")}
            g.update({f"vs_{n}": me / v for n, v in cs.items()})
            if cs:
                g["vs_best_C"] = me / max(cs.values())
            goals[mode][b] = g
    goals["goals"] = {"vs_best_numpy": GOALS["numpy"], "vs_C": GOALS["C"]}
    return {
        "workload": w.describe(), "chain_steps": chain_steps, "threads": threads,
        "repeat": repeat, "machine": _machine(), "load_before": load_before,
        "load_after": load_after, "c_compiler": c_info, "first_call_seconds": first_call,
        "results": rows, "bit_identical_final_states": identical, "ratios": goals,
    }


def _machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "numba": nb.__version__,
            "numba_threading_layer": _threading_layer()}


def _threading_layer() -> str:
    try:
        return nb.threading_layer()
    except ValueError:
        return "not initialised"


def format_table(res: dict) -> str:
    lines = [f"workload: {res['workload']}",
             f"threads: {res['threads']}; repeats: {res['repeat']} (median [min, max]); "
             f"machine: {res['machine']['cpu']}, {res['machine']['cores']} cores",
             "load average (1, 5, 15 min) before: " + ", ".join(f"{v:.2f}" for v in res["load_before"])
             + "; after: " + ", ".join(f"{v:.2f}" for v in res["load_after"]),
             f"C reference: {res['c_compiler']}", ""]
    header = (f"{'mode':<8} {'implementation':<18} {'thr':>3} {'chain-steps/s':>13} "
              f"{'[min, max]':>21} {'per CPU-s':>9}   slidecheck/this: median best cpu")
    lines += [header, "-" * len(header)]
    for r in res["results"]:
        q = r["slidecheck_over_this"]
        lines.append(f"{r['mode']:<8} {r['name']:<18} {r['threads']:>3} {r['median']:>13.3e} "
                     f"[{r['min']:.2e}, {r['max']:.2e}] {r['per_cpu_second']:>9.2e}"
                     f"{'':>20}{q['median']:>6.2f} {q['best']:>4.2f} {q['cpu']:>4.2f}")
    lines.append("")
    goals = res["ratios"]["goals"]
    lines.append(f"slidecheck's rate over: best numpy (goal >= {goals['vs_best_numpy']}), "
                 f"each C and the best C (goal >= {goals['vs_C']}); on median / best / CPU basis")
    for mode, by_basis in res["ratios"].items():
        if mode == "goals":
            continue
        keys = list(by_basis["median"])
        cells = [f"{k[3:]} " + "/".join(f"{by_basis[b][k]:.2f}" for b in ("median", "best", "cpu"))
                 for k in keys]
        lines.append(f"  {mode}: " + "; ".join(cells))
    same = res["bit_identical_final_states"]
    if same:
        lines.append("final states and histogram bit-identical to slidecheck: "
                     + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in same.items()))
    lines.append("first call (JIT compile or cache load, C: none) in s: "
                 + ", ".join(f"{k} {v:.2f}" for k, v in res["first_call_seconds"].items()))
    return "\n".join(lines)


# --- bit-identity across thread counts -------------------------------------------------

def identity_hashes(w: Workload, thread_counts=(1, 2, 3, 4, 8)) -> dict:
    """SHA-256 of the kernel's outputs (final states, moments, histogram) on the workload
    with moments and histogram, at each thread count: all must be equal."""
    import hashlib

    out = {}
    for t in thread_counts:
        run = run_chains_1d(np.array(w.f), np.array(w.s), a=w.eta, b=w.eta, x0=w.x0(),
                            n_steps=w.steps, burn_in=w.burn_in("moments"), seed=w.seed,
                            n_moments=w.n_moments, hist_range=w.hist_range, n_bins=w.n_bins,
                            threads=t)
        h = hashlib.sha256()
        for arr in (run.final, run.moments, run.hist_counts):
            h.update(np.ascontiguousarray(arr).tobytes())
        out[t] = {"sha256": h.hexdigest(), "seconds": run.seconds}
    return {"workload": w.describe(), "hashes": out,
            "identical": len({v["sha256"] for v in out.values()}) == 1}


# --- JIT cost ----------------------------------------------------------------------------

_JIT_PROBE = r"""
import time, json
t0, c0 = time.perf_counter(), time.process_time()
import numpy as np
from numerics import rng, stats, poly, chains_1d, flux_1d, grid_1d, quadrature
t1, c1 = time.perf_counter(), time.process_time()
steps = {}
def timed(name, fn):
    s, c = time.perf_counter(), time.process_time()
    fn()
    steps[name] = [time.perf_counter() - s, time.process_time() - c]
timed("rng.normals", lambda: rng.normals(1, 4, 8))
timed("chains_1d.run_chains_1d", lambda: chains_1d.run_chains_1d(
    [0.0, -1.0, 0.0, 1.0], [1.0], a=0.01, b=0.01, x0=np.zeros(4), n_steps=4, burn_in=0, seed=1))
timed("flux_1d.net_crossings", lambda: flux_1d.net_crossings(
    [0.0, 0.1], [0.1], mean=0.0, sd=1.0, points=[0.0], chains=2, per_chain=2, seed=1))
timed("grid_1d.transfer_operator", lambda: grid_1d.transfer_operator(
    grid_1d.Grid1D(-3.0, 3.0, 50), lambda x: x, lambda x: 1.0 + 0 * x, 0.1, 1.0))
print(json.dumps({"import": [t1 - t0, c1 - c0], "first_calls": steps,
                  "total": [time.perf_counter() - t0, time.process_time() - c0]}))
"""


def jit_costs(threads: int | None = None) -> dict:
    """Import and first-call times of the numerics kernels in fresh interpreters: once with
    an empty numba cache (cold: compile and write the cache) and twice more reusing it.

    Each time is ``[wall seconds, CPU seconds of the process]``; on a shared machine the
    CPU seconds are the better estimate of what a quiet machine would take.
    """
    out = {}
    with tempfile.TemporaryDirectory(prefix="slidecheck-jit-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        if threads:
            env["NUMBA_NUM_THREADS"] = str(threads)
        root = Path(__file__).resolve().parents[1]
        for label in ("cold", "warm", "warm-again"):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", _JIT_PROBE], env=env, cwd=root,
                                  capture_output=True, text=True, check=True)
            out[label] = {**json.loads(proc.stdout.strip().splitlines()[-1]),
                          "process_wall": time.perf_counter() - start}
    out["load_average"] = os.getloadavg()
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m numerics.bench", description=__doc__.split("\n")[0])
    p.add_argument("--chains", type=int, default=Workload.chains)
    p.add_argument("--steps", type=int, default=Workload.steps)
    p.add_argument("--threads", type=int, default=nb.config.NUMBA_NUM_THREADS)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--modes", default="final,moments", help="comma-separated: final, moments")
    p.add_argument("--no-c", action="store_true", help="skip the C reference")
    p.add_argument("--skip", default="", help="comma-separated contestants to leave out")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--jit", action="store_true", help="measure JIT cold/warm costs instead")
    p.add_argument("--identity", default="",
                   help="comma-separated thread counts: hash the kernel's outputs at each instead")
    args = p.parse_args(argv)
    if args.jit:
        res = jit_costs()
        print(json.dumps(res, indent=2) if args.json else _format_jit(res))
        return 0
    for name in ("chains", "steps", "threads", "repeat"):
        if getattr(args, name) < 1:
            p.error(f"--{name}={getattr(args, name)} must be >= 1")
    if args.identity:
        counts = tuple(int(t) for t in args.identity.split(","))
        if any(t < 1 for t in counts):
            p.error(f"--identity={args.identity!r}: thread counts must be >= 1")
        res = identity_hashes(Workload(chains=args.chains, steps=args.steps), counts)
        if args.json:
            print(json.dumps(res, indent=2))
        else:
            print(f"{res['workload']}; final states, moments and histogram hashed")
            for t, v in res["hashes"].items():
                print(f"threads {t:>2}: sha256 {v['sha256']}  ({v['seconds']:.2f} s)")
            print("identical at every thread count" if res["identical"] else "DIFFERENT")
        return 0 if res["identical"] else 1
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    if not modes or any(m not in ("final", "moments") for m in modes):
        p.error(f"--modes={args.modes!r} must list 'final' and/or 'moments'")
    w = Workload(chains=args.chains, steps=args.steps)
    skip = tuple(n.strip() for n in args.skip.split(",") if n.strip())
    if "slidecheck" in skip:
        p.error("--skip: 'slidecheck' is what the others are measured against")
    res = run_benchmark(w, args.threads, args.repeat, with_c=not args.no_c, modes=modes,
                        skip=skip)
    print(json.dumps(res, indent=2) if args.json else format_table(res))
    return 0


def _format_jit(res: dict) -> str:
    load = ", ".join(f"{v:.2f}" for v in res["load_average"])
    lines = ["JIT cost of the numerics kernels in fresh interpreters, seconds as wall/CPU "
             f"(load average {load})"]
    for label in ("cold", "warm", "warm-again"):
        r = res[label]
        pair = lambda v: f"{v[0]:.2f}/{v[1]:.2f}"  # noqa: E731
        calls = ", ".join(f"{k} {pair(v)}" for k, v in r["first_calls"].items())
        lines.append(f"{label:<10} import {pair(r['import'])}; first calls: {calls}; "
                     f"total {pair(r['total'])}; process wall {r['process_wall']:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
