"""The blog's model as a concrete setting: SGD on one weight with mean gradient G and gradient variance V.

One SGD step is ``W' = W - eta (G(W) + sqrt(V(W)) xi)`` with ``xi ~ N(0, 1)`` (or a fair sign:
two data points with per-example gradients ``G +- sqrt V``). A :class:`Landscape` fixes
``G(W)`` and the *shape* ``S(W)`` of the noise amplitude, both piecewise polynomials in
sympy, and a temperature ``c = eta V / S^2``: at learning rate ``eta`` the gradient variance
is ``V = (c / eta) S^2``. Holding ``c`` fixed while ``eta -> 0`` is the limit in which the
chain's law approaches the continuous model (per step: drift ``-eta G``, variance
``eta^2 V = c eta S^2``), so every rung of a ladder of ``eta`` approximates the same
continuum law and its O(eta) bias can be extrapolated away or bounded.

The chain's own law at any rung comes from :func:`numerics.nystrom_1d.nystrom_transfer`,
the model's (a PDE) from :mod:`numerics.fv_1d`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.grid_1d import Grid1D
from numerics.nystrom_1d import nystrom_transfer
from numerics.piecewise import Piecewise1D

from ..codegen_piecewise import DensityGrid, piecewise_data

__all__ = ["Landscape", "ladder_limit"]

_u = sp.Dummy("u", real=True)


def _interpolate_at_zero(h: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Lagrange interpolation through ``(h_i, values_i)`` evaluated at ``h = 0``."""
    w = np.array([np.prod([(0 - h[j]) / (h[i] - h[j]) for j in range(h.size) if j != i])
                  for i in range(h.size)])
    return w @ values


def ladder_limit(h, fine, coarse=None) -> tuple[np.ndarray, np.ndarray]:
    """A deterministic quantity's ``eta -> 0`` limit from >= 4 rungs, and a bound on its error.

    ``fine[k]`` (and ``coarse[k]``, the same on a coarser grid) are the values at ``h[k]``,
    smallest first. The limit is the quadratic through the three smallest rungs; the bound
    adds its distance from the line through the two smallest (the O(h^2) term it removed)
    and from the cubic through four (the O(h^3) term it kept: a line-vs-quadratic
    difference alone vanishes when the curvature happens to), plus the grid error carried
    with the interpolation weights.
    """
    h = np.asarray(h, dtype=float)
    fine = np.asarray(fine, dtype=float)
    if h.size < 4:
        raise ValueError(f"a ladder bound needs >= 4 rungs, got {h.size}")
    quad = _interpolate_at_zero(h[:3], fine[:3])
    bound = (np.abs(quad - _interpolate_at_zero(h[:2], fine[:2]))
             + np.abs(_interpolate_at_zero(h[:4], fine[:4]) - quad))
    if coarse is not None:
        w = np.array([np.prod([(0 - h[j]) / (h[i] - h[j]) for j in range(3) if j != i]) for i in range(3)])
        bound = bound + np.abs(w) @ np.abs(np.asarray(coarse, dtype=float)[:3] - fine[:3])
    return quad, bound


@dataclass(frozen=True)
class Landscape:
    """A concrete 1-D SGD setting of the blog's model (see the module docstring).

    ``gradient`` and ``amplitude`` are sympy expressions in ``x`` (polynomials or
    ``Piecewise`` of polynomials); ``amplitude`` must be > 0 on ``domain``. ``etas`` is the
    ladder, smallest first; ``start`` the interval over which Monte Carlo chains start
    (evenly spread, hypothesis-free); ``periodic`` wraps ``domain`` into a circle.
    """

    label: str
    x: sp.Symbol
    gradient: sp.Expr
    amplitude: sp.Expr
    temperature: float
    etas: tuple[float, ...]
    domain: tuple[float, float]
    start: tuple[float, float]
    cells: int = 400
    periodic: bool = False
    noise: str = "gaussian"
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self):
        if list(self.etas) != sorted(self.etas) or self.etas[0] <= 0:
            raise ValueError(f"{self.label}: etas={self.etas} must be increasing and > 0")
        if not self.temperature > 0:
            raise ValueError(f"{self.label}: temperature={self.temperature!r} must be > 0")
        s = self.amplitude_data(self.grid(self.cells).centres)
        if np.any(s <= 0):
            raise ValueError(f"{self.label}: the noise amplitude must be > 0 on the domain")

    # -- sympy -> data ---------------------------------------------------------------
    @property
    def G(self) -> Piecewise1D:
        if "G" not in self._cache:
            self._cache["G"] = piecewise_data(self.gradient, self.x, "G")
        return self._cache["G"]

    @property
    def S(self) -> Piecewise1D:
        if "S" not in self._cache:
            self._cache["S"] = piecewise_data(self.amplitude, self.x, "S")
        return self._cache["S"]

    def amplitude_data(self, xs) -> np.ndarray:
        return self.S(np.asarray(xs, dtype=float))

    def sigma(self, eta: float) -> float:
        """Noise scale at ``eta``: ``sqrt(V) = sigma S`` with ``eta sigma^2 = c``."""
        return math.sqrt(self.temperature / eta)

    def functions(self, G_fn, V_fn, eta: float | None = None) -> dict:
        """Lambdas for the claim's function symbols ``G`` and ``V`` at rung ``eta``."""
        eta = self.etas[0] if eta is None else eta
        c = sp.Float(self.temperature, 30) / sp.Float(eta, 30)
        return {G_fn: sp.Lambda(_u, self.gradient.subs(self.x, _u)),
                V_fn: sp.Lambda(_u, c * self.amplitude.subs(self.x, _u) ** 2)}

    # -- grids -----------------------------------------------------------------------
    def grid(self, n: int) -> Grid1D:
        return Grid1D(self.domain[0], self.domain[1], n)

    def density_grid(self) -> DensityGrid:
        return DensityGrid(self.x, *self.domain, periodic=self.periodic)

    def step_mean(self, eta: float):
        G = self.G
        return lambda xs: xs - eta * G(xs)

    def step_sd(self, eta: float):
        S, b = self.S, eta * self.sigma(eta)
        return lambda xs: b * S(xs)

    def transfer(self, eta: float, n: int) -> np.ndarray:
        """The chain's Nystrom transfer operator at ``eta`` on ``n`` cells (cached)."""
        key = ("P", eta, n)
        if key not in self._cache:
            if self.noise != "gaussian":
                raise ValueError(f"{self.label}: the Nystrom operator needs Gaussian noise")
            self._cache[key] = nystrom_transfer(self.grid(n), self.step_mean(eta), self.step_sd(eta),
                                                periodic=self.periodic)
        return self._cache[key]

    def relaxation_steps(self, eta: float) -> float:
        """The chain's relaxation time in steps at ``eta``, with a 25 % margin.

        The slowest mode of the continuum model (drift ``-eta G``, variance ``c eta S^2`` per
        step) from its finite-volume generator, which is reversible: symmetrised with its
        stationary vector it is a symmetric matrix, whose eigenvalues are cheap and stable.
        The chain's own rate differs at O(eta) (about 1 % here); the margin covers it.
        """
        key = ("relax", eta)
        if key not in self._cache:
            from numerics.fv_1d import fv_generator

            grid = self.grid(self.cells)
            c, G, S = self.temperature, self.G, self.S
            Q = fv_generator(grid, lambda xs: -eta * G(xs), lambda xs: c * eta * S(xs) ** 2,
                             "ito", "periodic" if self.periodic else "reflecting")
            # Similar to a symmetric matrix with off-diagonals sqrt(rate i->j * rate j->i): for
            # a birth-death chain always, on a circle when the rates around it balance
            # (Kolmogorov's criterion), as they do without a mean gradient.
            n = grid.n
            i = np.arange(n - 1 + self.periodic)
            j = (i + 1) % n
            up, down = Q[j, i], Q[i, j]
            if self.periodic and abs(np.sum(np.log(up)) - np.sum(np.log(down))) > 1e-8 * n:
                raise ArithmeticError(f"{self.label}: the generator is not reversible")
            sym = np.diag(np.diag(Q))
            sym[i, j] = sym[j, i] = np.sqrt(up * down)
            ev = np.sort(np.linalg.eigvalsh(sym))[::-1]
            self._cache[key] = 1.25 / abs(ev[1])
        return self._cache[key]

    def kernel_arguments(self, eta: float) -> dict:
        """``f, s, a, b`` of :func:`numerics.ensemble_1d.run_snapshots_1d` at ``eta``."""
        return {"f": self.G, "s": self.S, "a": eta, "b": eta * self.sigma(eta),
                "noise": self.noise, "period": self.domain if self.periodic else None}

    def describe(self) -> dict:
        return {"landscape": self.label, "G": sp.sstr(self.gradient),
                "sqrt(V) = sigma S, S": sp.sstr(self.amplitude),
                "c = eta sigma^2": self.temperature, "etas": list(self.etas),
                "domain": list(self.domain), "periodic": self.periodic, "noise": self.noise}

    @staticmethod
    def fixed(values: Mapping) -> dict:
        return {k: sp.Float(v, 30) for k, v in values.items()}
