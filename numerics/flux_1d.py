"""Probability flux across points during one step of a 1-D chain, by Monte Carlo and by quadrature.

Particles start from ``X ~ N(mean, sd^2)`` and make one step ``X' = X - F(X) + S(X) xi``.
The net probability carried across a point ``c`` in the positive direction is

    J(c) = P(X < c <= X') - P(X' < c <= X) = P(X < c) - P(X' < c),

the "mass transfer" of the 2023 deck's appendix. :func:`net_crossings` counts it by
simulation, chain by chain (each chain a block of particles with its own stream);
:func:`exact_flux` integrates it deterministically,
``J(c) = Phi((c - mean)/sd) - int p(x) Phi((c - x + F(x)) / |S(x)|) dx``.
"""

from __future__ import annotations

import math
import time

import numba as nb
import numpy as np

from .poly import as_coefficients, horner, horner_numpy
from .rng import next_normal, seed_states
from .threads import run_chunked

__all__ = ["net_crossings", "exact_flux"]


@nb.njit(nogil=True, cache=True)
def _crossings(lo, hi, mean, sd, F, S, points, per_chain, states, out):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    for c in range(lo, hi):
        for _ in range(per_chain):
            x = mean + sd * next_normal(states, c)
            x1 = x - horner(F, x) + horner(S, x) * next_normal(states, c)
            for k in range(points.shape[0]):
                p = points[k]
                if x < p <= x1:
                    out[c, k] += 1
                elif x1 < p <= x:
                    out[c, k] -= 1


def net_crossings(F, S, *, mean: float, sd: float, points, chains: int, per_chain: int,
                  seed: int) -> tuple[np.ndarray, float]:
    """Per-chain net flux across each point, ``(chains, len(points))``, and the seconds taken.

    Entry ``[c, k]`` is chain ``c``'s (up-crossings - down-crossings) / ``per_chain``: an
    unbiased estimate of ``J(points[k])``; chains are independent.
    """
    F = as_coefficients(F, "F")
    S = as_coefficients(S, "S")
    pts = np.ascontiguousarray(np.asarray(points, dtype=float))
    if not (sd > 0 and math.isfinite(mean)):
        raise ValueError(f"sd={sd!r} must be > 0 and mean={mean!r} finite")
    if chains < 2 or per_chain < 1:
        raise ValueError(f"chains={chains} must be >= 2 and per_chain={per_chain} >= 1")
    out = np.zeros((chains, pts.size), dtype=np.int64)
    start = time.perf_counter()
    run_chunked(_crossings, chains, float(mean), float(sd), F, S, pts, int(per_chain),
                seed_states(seed, chains), out)
    return out / per_chain, time.perf_counter() - start


def _phi_cdf(z):
    return 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))


def exact_flux(F, S, *, mean: float, sd: float, points, n: int = 20001) -> np.ndarray:
    """``J(c)`` for each point by the trapezoidal rule over ``mean +- 12 sd`` (error ~1e-12
    with noise; a step without noise, ``S = 0``, is integrated to ~1e-5 relative)."""
    F = as_coefficients(F, "F")
    S = as_coefficients(S, "S")
    x = np.linspace(mean - 12 * sd, mean + 12 * sd, n)
    p = np.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    drift = horner_numpy(F, x)
    amp = np.abs(horner_numpy(S, x))
    trap = np.trapezoid if hasattr(np, "trapezoid") else np.trapz
    out = []
    for c in np.atleast_1d(points):
        if np.all(amp == 0):
            # A deterministic step: the indicator of landing below c, smoothed over one grid
            # spacing h (a bare indicator is first-order in h; the smoothing costs O(h^2)).
            below_after = trap(p * _phi_cdf((c - x + drift) / (x[1] - x[0])), x)
        elif np.any(amp == 0):
            raise ValueError("exact_flux needs S(x) != 0 everywhere or S = 0 everywhere")
        else:
            below_after = trap(p * _phi_cdf((c - x + drift) / amp), x)
        out.append(float(_phi_cdf(np.array((c - mean) / sd)) - below_after))
    return np.array(out)
