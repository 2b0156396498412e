"""One-dimensional chains ``x' = x - a f(x) + b s(x) xi``, many independent ones at once.

This one update covers both processes the decks discuss:

- SGD with additive Gaussian gradient noise, ``x' = x - eta (L'(x) + sigma(x) xi)``:
  ``a = eta``, ``f = L'``, ``b = eta``, ``s = sigma`` (the sign of ``xi`` is immaterial);
- Euler-Maruyama for ``dx = -f(x) dt + s(x) dB``: ``a = dt``, ``b = sqrt(dt)``.

``f`` and ``s`` are polynomials given by coefficient arrays (see :mod:`numerics.poly`).
Each chain ``c`` draws from its own stream ``(seed, c)`` (see :mod:`numerics.rng`), and
writes only its own rows of the outputs, so the result is bit-identical whatever the
number of threads. After ``burn_in`` steps each chain accumulates the time averages of
``x, x^2, ..., x^K`` and a histogram; statistics across chains are then over independent
replicates, which is what makes their standard errors honest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .poly import as_coefficients, horner, horner_numpy
from .rng import next_normal, normals, seed_states

__all__ = ["ChainRun1D", "run_chains_1d", "run_chains_1d_reference"]


@dataclass(frozen=True)
class ChainRun1D:
    """Per-chain results of :func:`run_chains_1d`.

    ``moments[c, k-1]`` is chain ``c``'s time average of ``x^k`` over the steps after
    burn-in; ``hist_counts`` the histogram of those states summed over chains (edges in
    ``hist_edges``; states outside fall in no bin); ``final`` each chain's last state.
    """

    moments: np.ndarray
    hist_edges: np.ndarray
    hist_counts: np.ndarray
    final: np.ndarray
    n_steps: int
    burn_in: int
    seed: int
    seconds: float

    @property
    def chain_steps(self) -> int:
        return self.moments.shape[0] * self.n_steps


@nb.njit(parallel=True, cache=True)
def _run(x0, f, s, a, b, n_steps, burn_in, states, hist_lo, hist_hi, escape,
         moments, hist, final, status):
    n_chains = x0.shape[0]
    n_moments = moments.shape[1]
    n_bins = hist.shape[1]
    inv_width = n_bins / (hist_hi - hist_lo)
    kept = n_steps - burn_in
    for c in nb.prange(n_chains):
        x = x0[c]
        for t in range(n_steps):
            x = x - a * horner(f, x) + b * horner(s, x) * next_normal(states, c)
            if not abs(x) <= escape:  # also catches NaN
                status[c] = t + 1
                break
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
        for k in range(n_moments):
            moments[c, k] /= kept


def _validate(x0, n_steps, burn_in, n_moments, a, b):
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=np.float64))
    if x0.ndim != 1 or x0.size == 0 or not np.all(np.isfinite(x0)):
        raise ValueError("x0 must be a non-empty 1-D array of finite starting points")
    if not (isinstance(n_steps, (int, np.integer)) and n_steps >= 1):
        raise ValueError(f"n_steps={n_steps!r} must be an integer >= 1")
    if not (isinstance(burn_in, (int, np.integer)) and 0 <= burn_in < n_steps):
        raise ValueError(f"burn_in={burn_in!r} must be an integer in [0, n_steps={n_steps})")
    if not (isinstance(n_moments, (int, np.integer)) and 1 <= n_moments <= 16):
        raise ValueError(f"n_moments={n_moments!r} must be an integer in [1, 16]")
    if not (np.isfinite(a) and a > 0):
        raise ValueError(f"a={a!r} (step size) must be finite and > 0")
    if not (np.isfinite(b) and b >= 0):
        raise ValueError(f"b={b!r} (noise scale) must be finite and >= 0")
    return x0


def run_chains_1d(
    f, s, *, a: float, b: float, x0, n_steps: int, burn_in: int, seed: int,
    n_moments: int = 4, hist_range: tuple[float, float] = (-3.0, 3.0), n_bins: int = 120,
    escape: float = 1e6, threads: int | None = None,
) -> ChainRun1D:
    """Run ``len(x0)`` independent chains of ``x' = x - a f(x) + b s(x) xi``.

    Raises ``FloatingPointError`` naming the step and chain if any chain leaves
    ``|x| <= escape`` (an unstable step size, e.g. ``eta h >= 2`` on a quadratic).
    ``threads`` limits numba's thread count for this call; results do not depend on it.
    """
    f = as_coefficients(f, "f")
    s = as_coefficients(s, "s")
    x0 = _validate(x0, n_steps, burn_in, n_moments, a, b)
    lo, hi = map(float, hist_range)
    if not lo < hi:
        raise ValueError(f"hist_range={hist_range!r} must satisfy lo < hi")
    n_chains = x0.size
    states = seed_states(seed, n_chains)
    moments = np.zeros((n_chains, n_moments))
    hist = np.zeros((n_chains, n_bins), dtype=np.int32)
    final = np.empty(n_chains)
    status = np.zeros(n_chains, dtype=np.int64)
    previous = nb.get_num_threads()
    start = time.perf_counter()
    try:
        if threads is not None:
            nb.set_num_threads(threads)
        _run(x0, f, s, float(a), float(b), int(n_steps), int(burn_in), states, lo, hi,
             float(escape), moments, hist, final, status)
    finally:
        nb.set_num_threads(previous)
    seconds = time.perf_counter() - start
    bad = np.flatnonzero(status)
    if bad.size:
        c = int(bad[0])
        raise FloatingPointError(
            f"chain {c} left |x| <= {escape:g} at step {int(status[c])} "
            f"({bad.size} of {n_chains} chains diverged): the step size a={a:g} is unstable "
            "for this drift; reduce it"
        )
    return ChainRun1D(
        moments=moments,
        hist_edges=np.linspace(lo, hi, n_bins + 1),
        hist_counts=hist.sum(axis=0, dtype=np.int64),
        final=final,
        n_steps=int(n_steps),
        burn_in=int(burn_in),
        seed=int(seed),
        seconds=seconds,
    )


def run_chains_1d_reference(f, s, *, a, b, x0, n_steps, burn_in, seed, n_moments=4):
    """Plain numpy version of :func:`run_chains_1d` (moments and final states only).

    It consumes the same per-chain streams in the same order, so on small inputs it
    must agree with the kernel to the last bit; the tests hold the kernel to that.
    """
    f = as_coefficients(f, "f")
    s = as_coefficients(s, "s")
    x = np.array(x0, dtype=np.float64)
    xi = normals(seed, x.size, n_steps)
    moments = np.zeros((x.size, n_moments))
    for t in range(n_steps):
        x = x - a * horner_numpy(f, x) + b * horner_numpy(s, x) * xi[:, t]
        if t >= burn_in:
            p = np.ones_like(x)
            for k in range(n_moments):
                p = p * x
                moments[:, k] += p
    return moments / (n_steps - burn_in), x
