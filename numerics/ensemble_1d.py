"""Ensembles of 1-D chains ``x' = x - a f(x) + b s(x) xi`` with piecewise-polynomial ``f``, ``s``.

Two kernels, both over many independent chains, each chain on its own stream
``(seed, chain)`` (see :mod:`numerics.rng`) and writing only its own rows, so results are
bit-identical at any thread count:

- :func:`run_snapshots_1d` records every chain's state at chosen steps: the ensemble's law
  at those times (means, spreads, histograms of a time evolution), or whether a chain
  started near a fixed point has converged to it. Chains that leave ``|x| <= escape`` are
  not an error here (an unstable fixed point is a result): their later states are NaN and
  ``escaped`` records the step.
- :func:`run_occupation_1d` histograms each chain's states after a burn-in: per-chain
  occupation fractions, i.e. independent replicates of the stationary law's cell masses.

``xi`` is a standard normal (``noise="gaussian"``) or a fair sign ``+-1``
(``noise="sign"``: SGD on two data points with per-example gradients ``f +- s``).
``period=(lo, hi)`` wraps the state into ``[lo, hi)`` after every step (a circle).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .piecewise import as_piecewise, piecewise_eval, piecewise_numpy
from .rng import next_normal, next_u64, normals, seed_states, uniforms
from .threads import run_chunked

__all__ = ["NOISES", "Snapshots1D", "run_snapshots_1d", "run_snapshots_1d_reference",
           "Occupation1D", "run_occupation_1d"]

NOISES = ("gaussian", "sign")


@nb.njit(inline="always", cache=True)
def _draw(states, c, noise):
    if noise == 0:
        return next_normal(states, c)
    # The top bit of one 64-bit output: a fair sign.
    return 1.0 if (next_u64(states, c) >> np.uint64(63)) == np.uint64(1) else -1.0


@nb.njit(inline="always", cache=True)
def _step(x, fc, fb, sc, sb, a, b, xi, wrap, lo, width):
    x = x - a * piecewise_eval(fc, fb, x) + b * piecewise_eval(sc, sb, x) * xi
    if wrap:
        x = lo + (x - lo) - width * math.floor((x - lo) / width)
    return x


@nb.njit(nogil=True, cache=True)
def _snapshots(first, last, x0, fc, fb, sc, sb, a, b, record, states, noise, wrap, lo, width,
               escape, out, escaped):
    """Chains ``first .. last - 1`` (see :mod:`numerics.threads`)."""
    n_rec = record.shape[0]
    n_steps = record[n_rec - 1]
    for c in range(first, last):
        x = x0[c]
        r = 0
        while r < n_rec and record[r] == 0:
            out[c, r] = x
            r += 1
        for t in range(1, n_steps + 1):
            x = _step(x, fc, fb, sc, sb, a, b, _draw(states, c, noise), wrap, lo, width)
            if not abs(x) <= escape:  # also catches NaN
                escaped[c] = t
                while r < n_rec:
                    out[c, r] = np.nan
                    r += 1
                break
            while r < n_rec and record[r] == t:
                out[c, r] = x
                r += 1


@dataclass(frozen=True)
class Snapshots1D:
    """``states[c, k]``: chain ``c`` at step ``record[k]`` (NaN once escaped);
    ``escaped[c]``: the step at which chain ``c`` left ``|x| <= escape``, else 0."""

    states: np.ndarray
    record: np.ndarray
    escaped: np.ndarray
    seed: int
    seconds: float

    @property
    def chain_steps(self) -> int:
        return int(self.states.shape[0] * self.record[-1])


def _validate_common(x0, a, b, noise, period):
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=np.float64))
    if x0.ndim != 1 or x0.size == 0 or not np.all(np.isfinite(x0)):
        raise ValueError("x0 must be a non-empty 1-D array of finite starting points")
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"a={a!r} (step size) must be finite and >= 0")
    if not (math.isfinite(b) and b >= 0):
        raise ValueError(f"b={b!r} (noise scale) must be finite and >= 0")
    if noise not in NOISES:
        raise ValueError(f"noise={noise!r} must be one of {NOISES}")
    if period is None:
        return x0, False, 0.0, 1.0
    lo, hi = map(float, period)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"period={period!r} must be finite (lo, hi) with lo < hi")
    if np.any((x0 < lo) | (x0 >= hi)):
        raise ValueError(f"x0 must lie in the period [{lo}, {hi})")
    return x0, True, lo, hi - lo


def run_snapshots_1d(f, s, *, a: float, b: float, x0, record, seed: int, noise: str = "gaussian",
                     period=None, escape: float = 1e6) -> Snapshots1D:
    """States of ``len(x0)`` independent chains at the steps in ``record`` (sorted, >= 0).

    ``f`` and ``s`` are :class:`~numerics.piecewise.Piecewise1D` or coefficient sequences.
    """
    f, s = as_piecewise(f, "f"), as_piecewise(s, "s")
    x0, wrap, lo, width = _validate_common(x0, a, b, noise, period)
    rec = np.ascontiguousarray(np.asarray(record, dtype=np.int64).reshape(-1))
    if rec.size == 0 or rec[0] < 0 or np.any(np.diff(rec) < 0):
        raise ValueError(f"record={record!r} must be a non-empty sorted sequence of steps >= 0")
    out = np.empty((x0.size, rec.size))
    escaped = np.zeros(x0.size, dtype=np.int64)
    start = time.perf_counter()
    run_chunked(_snapshots, x0.size, x0, f.coefficients, f.breaks, s.coefficients, s.breaks,
                float(a), float(b), rec, seed_states(seed, x0.size), NOISES.index(noise), wrap, lo,
                width, float(escape), out, escaped)
    return Snapshots1D(out, rec, escaped, int(seed), time.perf_counter() - start)


def run_snapshots_1d_reference(f, s, *, a, b, x0, record, seed, noise="gaussian", period=None):
    """Plain numpy version of :func:`run_snapshots_1d` (no escapes), on the same streams.

    Gaussian draws are the streams' normals, signs the top bit of their 64-bit outputs,
    reproduced here from the uniforms (the top bit of ``u64`` is ``u >= 1/2``).
    """
    f, s = as_piecewise(f, "f"), as_piecewise(s, "s")
    x0, wrap, lo, width = _validate_common(x0, a, b, noise, period)
    rec = np.asarray(record, dtype=np.int64)
    n = int(rec[-1])
    xi = (normals(seed, x0.size, n) if noise == "gaussian"
          else np.where(uniforms(seed, x0.size, n) >= 0.5, 1.0, -1.0))
    x = x0.copy()
    out = np.empty((x0.size, rec.size))
    out[:, rec == 0] = x[:, None]
    for t in range(1, n + 1):
        x = (x - a * piecewise_numpy(f.coefficients, f.breaks, x)
             + b * piecewise_numpy(s.coefficients, s.breaks, x) * xi[:, t - 1])
        if wrap:
            x = lo + (x - lo) - width * np.floor((x - lo) / width)
        out[:, rec == t] = x[:, None]
    return out


@nb.njit(nogil=True, cache=True)
def _occupation(first, last, x0, fc, fb, sc, sb, a, b, burn_in, n_sample, states, noise, wrap,
                lo, width, h_lo, h_hi, escape, counts, status):
    """Chains ``first .. last - 1`` (see :mod:`numerics.threads`)."""
    n_bins = counts.shape[1]
    inv = n_bins / (h_hi - h_lo)
    for c in range(first, last):
        x = x0[c]
        for t in range(burn_in + n_sample):
            x = _step(x, fc, fb, sc, sb, a, b, _draw(states, c, noise), wrap, lo, width)
            if not abs(x) <= escape:
                status[c] = t + 1
                break
            if t >= burn_in and h_lo <= x < h_hi:
                j = int((x - h_lo) * inv)
                if j < n_bins:
                    counts[c, j] += 1


@dataclass(frozen=True)
class Occupation1D:
    """``fractions[c, j]``: share of chain ``c``'s kept steps spent in bin ``j`` (edges in
    ``edges``); rows are independent replicates of the stationary cell masses."""

    fractions: np.ndarray
    edges: np.ndarray
    burn_in: int
    n_sample: int
    seed: int
    seconds: float

    @property
    def chain_steps(self) -> int:
        return int(self.fractions.shape[0] * (self.burn_in + self.n_sample))


def run_occupation_1d(f, s, *, a: float, b: float, x0, burn_in: int, n_sample: int, seed: int,
                      hist_range: tuple[float, float], n_bins: int, noise: str = "gaussian",
                      period=None, escape: float = 1e6) -> Occupation1D:
    """Per-chain occupation of ``n_bins`` equal bins on ``hist_range`` after ``burn_in`` steps.

    Raises ``FloatingPointError`` naming the chain if one leaves ``|x| <= escape`` (for a
    stationary law that is an unstable step size, not a result).
    """
    f, s = as_piecewise(f, "f"), as_piecewise(s, "s")
    x0, wrap, lo, width = _validate_common(x0, a, b, noise, period)
    if not (isinstance(burn_in, (int, np.integer)) and burn_in >= 0):
        raise ValueError(f"burn_in={burn_in!r} must be an integer >= 0")
    if not (isinstance(n_sample, (int, np.integer)) and n_sample >= 1):
        raise ValueError(f"n_sample={n_sample!r} must be an integer >= 1")
    h_lo, h_hi = map(float, hist_range)
    if not h_lo < h_hi or n_bins < 1:
        raise ValueError(f"hist_range={hist_range!r} must have lo < hi and n_bins={n_bins!r} >= 1")
    counts = np.zeros((x0.size, int(n_bins)), dtype=np.int64)
    status = np.zeros(x0.size, dtype=np.int64)
    start = time.perf_counter()
    run_chunked(_occupation, x0.size, x0, f.coefficients, f.breaks, s.coefficients, s.breaks,
                float(a), float(b), int(burn_in), int(n_sample), seed_states(seed, x0.size),
                NOISES.index(noise), wrap, lo, width, h_lo, h_hi, float(escape), counts, status)
    bad = np.flatnonzero(status)
    if bad.size:
        c = int(bad[0])
        raise FloatingPointError(f"chain {c} left |x| <= {escape:g} at step {int(status[c])}: "
                                 f"the step size a={a:g} is unstable for this drift; reduce it")
    return Occupation1D(counts / n_sample, np.linspace(h_lo, h_hi, int(n_bins) + 1), int(burn_in),
                        int(n_sample), int(seed), time.perf_counter() - start)
