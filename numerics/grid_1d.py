"""Deterministic 1-D witnesses: the Fokker-Planck generator and the chain's transfer operator.

Two grid discretisations, both positivity preserving, both with no random numbers:

- :func:`fokker_planck_generator` for ``dp/dt = -dJ/dx`` with the Ito flux
  ``J = m p - (1/2) d(v p)/dx`` (drift ``m``, diffusion ``v``): finite volumes with the
  Scharfetter-Gummel face flux ``J = [B(-beta h) u_i - B(beta h) u_{i+1}] / h``, where
  ``u = v p / 2``, ``beta = 2 m / v`` at the face and ``B(z) = z / (e^z - 1)``. The flux
  is exact for constant ``beta``, the matrix is an M-matrix (so the stationary vector is
  positive) and mass is conserved with reflecting ends (D. L. Scharfetter, H. K. Gummel,
  IEEE Trans. Electron Devices 16 (1969) 64).
- :func:`transfer_operator` for the discrete chain ``x' = x - a f(x) + b s(x) xi`` itself:
  column ``j`` holds the Gaussian kernel from cell ``j`` integrated over each cell. Its
  stationary vector is the chain's own finite-step law, bias included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

__all__ = ["Grid1D", "StationaryGrid1D", "fokker_planck_generator", "transfer_operator",
           "stationary_of_generator", "stationary_of_transfer"]


@dataclass(frozen=True)
class Grid1D:
    """Uniform cells on ``[lo, hi]``: ``centres``, spacing ``h``."""

    lo: float
    hi: float
    n: int

    def __post_init__(self):
        if not (math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo < self.hi):
            raise ValueError(f"grid [lo, hi] = [{self.lo}, {self.hi}] must be finite with lo < hi")
        if self.n < 3:
            raise ValueError(f"n={self.n} must be >= 3 cells")

    @property
    def h(self) -> float:
        return (self.hi - self.lo) / self.n

    @property
    def centres(self) -> np.ndarray:
        return self.lo + (np.arange(self.n) + 0.5) * self.h


@dataclass(frozen=True)
class StationaryGrid1D:
    """Stationary density on a grid and the slowest relaxation rate of the dynamics."""

    grid: Grid1D
    density: np.ndarray  # normalised: sum(density) * h == 1
    relaxation_rate: float  # |Re lambda_1|, per unit of the generator's time (or per step)

    def expectation(self, values: np.ndarray) -> float:
        return float(np.sum(values * self.density) * self.grid.h)


def _bernoulli(z: np.ndarray) -> np.ndarray:
    """``B(z) = z / (e^z - 1)``, with its limit 1 at z = 0 and no overflow."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = np.abs(z) < 1e-8
    out[small] = 1.0 - z[small] / 2.0
    zz = z[~small]
    out[~small] = zz / np.expm1(zz)
    return out


def fokker_planck_generator(grid: Grid1D, drift, diffusion) -> np.ndarray:
    """Generator ``Q`` with ``dp/dt = Q p`` (cell averages), reflecting boundaries.

    ``drift`` and ``diffusion`` are callables of an array of positions returning ``m`` and
    ``v > 0``. Columns of ``Q`` sum to zero (mass conservation).
    """
    x = grid.centres
    h = grid.h
    v = np.asarray(diffusion(x), dtype=float)
    if np.any(~np.isfinite(v)) or np.any(v <= 0):
        raise ValueError("diffusion must be finite and > 0 on the whole grid")
    faces = grid.lo + np.arange(1, grid.n) * h
    m_face = np.asarray(drift(faces), dtype=float)
    v_face = np.asarray(diffusion(faces), dtype=float)
    beta_h = 2.0 * m_face / v_face * h
    right = _bernoulli(-beta_h) * v[:-1] / 2.0 / h**2  # rate i -> i+1
    left = _bernoulli(beta_h) * v[1:] / 2.0 / h**2  # rate i+1 -> i
    Q = np.zeros((grid.n, grid.n))
    idx = np.arange(grid.n - 1)
    Q[idx + 1, idx] += right
    Q[idx, idx] -= right
    Q[idx, idx + 1] += left
    Q[idx + 1, idx + 1] -= left
    return Q


@nb.njit(cache=True)
def _fill_transfer(centres, h, mean, sd, out):
    n = centres.shape[0]
    lo = centres[0] - 0.5 * h
    for j in range(n):
        total = 0.0
        inv = 1.0 / (sd[j] * math.sqrt(2.0))
        prev = math.erf((lo - mean[j]) * inv)
        for i in range(n):
            cur = math.erf((lo + (i + 1) * h - mean[j]) * inv)
            out[i, j] = 0.5 * (cur - prev)
            total += out[i, j]
            prev = cur
        # Mass that would leave the grid is returned in proportion (reflection is
        # immaterial when the grid spans the density's support to ~1e-30).
        for i in range(n):
            out[i, j] /= total


def transfer_operator(grid: Grid1D, f, s, a: float, b: float) -> np.ndarray:
    """Column-stochastic ``P`` for ``x' = x - a f(x) + b s(x) xi``, ``xi ~ N(0, 1)``.

    ``P[i, j]`` is the probability of moving from cell ``j``'s centre into cell ``i``.
    ``f`` and ``s`` are callables of an array of positions.
    """
    x = grid.centres
    mean = x - a * np.asarray(f(x), dtype=float)
    sd = np.abs(b * np.asarray(s(x), dtype=float))
    if np.any(sd <= 0) or np.any(~np.isfinite(sd)) or np.any(~np.isfinite(mean)):
        raise ValueError("the step's standard deviation must be finite and > 0 on the grid")
    if sd.min() < grid.h:
        raise ValueError(
            f"grid spacing h={grid.h:.3g} exceeds the smallest step sd={sd.min():.3g}: "
            "refine the grid so the Gaussian kernel is resolved")
    P = np.empty((grid.n, grid.n))
    _fill_transfer(x, grid.h, mean, sd, P)
    return P


def _null_vector(M: np.ndarray, h: float) -> np.ndarray:
    """Solve ``M p = 0`` with ``sum(p) h = 1`` (one equation swapped for normalisation)."""
    A = M.copy()
    A[-1, :] = h
    rhs = np.zeros(M.shape[0])
    rhs[-1] = 1.0
    p = np.linalg.solve(A, rhs)
    return p


def stationary_of_generator(grid: Grid1D, Q: np.ndarray) -> StationaryGrid1D:
    """Stationary density of ``dp/dt = Q p`` and the spectral gap ``|Re lambda_1|``."""
    p = _null_vector(Q, grid.h)
    ev = np.sort(np.abs(np.linalg.eigvals(Q).real))
    return StationaryGrid1D(grid=grid, density=p, relaxation_rate=float(ev[1]))


def stationary_of_transfer(grid: Grid1D, P: np.ndarray, relaxation: bool = True) -> StationaryGrid1D:
    """Stationary density of the chain ``p' = P p`` and its rate ``-ln|lambda_1|`` per step.

    ``relaxation=False`` skips the eigenvalues (the costly part) and reports a NaN rate.
    """
    # P acts on probability masses per cell; the density is mass / h.
    mass = _null_vector(P - np.eye(grid.n), 1.0)
    p = mass / (np.sum(mass) * grid.h)
    if not relaxation:
        return StationaryGrid1D(grid=grid, density=p, relaxation_rate=math.nan)
    mod = np.sort(np.abs(np.linalg.eigvals(P)))[::-1]
    return StationaryGrid1D(grid=grid, density=p, relaxation_rate=float(-math.log(mod[1])))
