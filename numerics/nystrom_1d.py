"""The chain's own law on a grid: the Chapman-Kolmogorov integral by the midpoint rule (Nystrom).

For ``x' = x - a f(x) + b s(x) xi`` with ``xi ~ N(0, 1)`` the law evolves by
``p'(y) = int K(x, y) p(x) dx`` with the Gaussian kernel ``K(x, .) = N(x - a f(x), b^2 s(x)^2)``.
Represent ``p`` by its values at the cell centres, ``m_j = p(x_j) h`` (masses), and replace
the integral by the midpoint rule: ``m'_i = sum_j h K(x_j, x_i) m_j``. For a smooth ``p`` and
a kernel wider than a few cells the midpoint rule converges faster than any power of ``h``
(Trefethen & Weideman, SIAM Rev. 56 (2014) 385), unlike mapping each cell's mass into cells,
which adds ``h^2 / 12`` of variance at every step (Sheppard's correction) and ruins long
time evolutions. Columns are renormalised to sum to one, so mass is exact and every entry
is >= 0: ``P`` is a stochastic matrix, its powers stay positive.

``period=(lo, hi)``: the chain wraps on a circle; the kernel sums the nearest images.
"""

from __future__ import annotations

import math

import numpy as np

from .grid_1d import Grid1D

__all__ = ["nystrom_transfer", "stationary_masses", "relaxation_rate"]


def nystrom_transfer(grid: Grid1D, mean, sd, periodic: bool = False) -> np.ndarray:
    """Column-stochastic ``P[i, j] ~ h K(x_j, x_i)`` for a step with ``mean(x)`` and ``sd(x)``.

    ``mean``, ``sd``: vectorised callables (the step's conditional mean and standard
    deviation). Raises when the kernel is narrower than ``h`` somewhere: at ``sd >= h`` the
    midpoint rule's relative error on a Gaussian is below ``exp(-2 pi^2 (sd/h)^2) ~ 3e-9`` or when ``periodic`` and the kernel is wider than a tenth of the
    period (nearest images would not suffice).
    """
    x = grid.centres
    mu = np.asarray(mean(x), dtype=float)
    s = np.abs(np.asarray(sd(x), dtype=float))
    if not (np.all(np.isfinite(mu)) and np.all(np.isfinite(s))):
        raise ValueError("the step's mean and sd must be finite on the grid")
    if s.min() < grid.h:
        raise ValueError(f"grid spacing h={grid.h:.3g} exceeds the smallest step sd "
                         f"{s.min():.3g}: refine the grid so the midpoint rule resolves the kernel")
    d = x[:, None] - mu[None, :]
    if periodic:
        width = grid.hi - grid.lo
        if s.max() > width / 10:
            raise ValueError(f"step sd {s.max():.3g} exceeds a tenth of the period {width:g}")
        d = d - width * np.round(d / width)
    P = np.exp(-0.5 * (d / s[None, :]) ** 2)
    total = P.sum(axis=0)
    if np.any(total <= 0):
        raise ValueError("a column of the kernel vanishes on the grid: the step leaves the "
                         "domain; widen the grid")
    return P / total[None, :]


def stationary_masses(P: np.ndarray) -> np.ndarray:
    """The probability vector ``m`` with ``P m = m`` (one equation swapped for ``sum m = 1``)."""
    n = P.shape[0]
    A = P - np.eye(n)
    A[-1, :] = 1.0
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    m = np.linalg.solve(A, rhs)
    return np.maximum(m, 0.0) / np.maximum(m, 0.0).sum()


def relaxation_rate(P: np.ndarray) -> float:
    """``-ln |lambda_2|`` per step: the slowest mode's decay rate (dense eigenvalues)."""
    mod = np.sort(np.abs(np.linalg.eigvals(P)))[::-1]
    return float(-math.log(mod[1]))
