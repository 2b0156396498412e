"""The stationary 2-D Fokker-Planck equation on a grid, full diffusion matrix, positivity kept.

The equation is ``dp/dt = -div J`` with the Ito current

    J = b p - (1/2) div(D p),    (div(D p))_i = sum_j d(D_ij p)/dx_j,

for a drift ``b(x)`` and a symmetric positive semi-definite diffusion ``D(x)`` (per unit
time). Off-diagonal ``D`` is what makes 2-D hard: the usual cross-derivative stencil breaks
the M-matrix property and with it positivity. Here ``D`` is split along four lattice
directions ``e_1 = (h_x, 0)``, ``e_2 = (0, h_y)``, ``e_3 = (h_x, h_y)``, ``e_4 = (h_x, -h_y)``
(unit vectors ``u_k = e_k / |e_k|``):

    D = sum_k a_k u_k u_k^T,  a_3 = max(D_12, 0) |e_3|^2 / (h_x h_y),
    a_4 = max(-D_12, 0) |e_4|^2 / (h_x h_y),  a_1 = D_11 - |D_12| h_x / h_y,
    a_2 = D_22 - |D_12| h_y / h_x,

valid (all ``a_k >= 0``) when ``|D_12| h_x / h_y <= D_11`` and ``|D_12| h_y / h_x <= D_22``;
choosing ``h_x / h_y = sqrt(D_11 / D_22)`` makes this hold for every positive definite
``D`` (H. J. Kushner, P. Dupuis, *Numerical Methods for Stochastic Control Problems in
Continuous Time*, 2nd ed., Springer 2001, sec. 5.3). The current is then a sum of 1-D
currents along the lattice directions, ``J = sum_k u_k J_k`` with
``J_k = beta_k p - (1/2) d_k(a_k p)`` (the drift is split like the diffusion,
``beta_k = a_k u_k . D^{-1} b``, so that ``sum_k beta_k u_k = b`` and every direction's
Peclet number ``2 l u_k . D^{-1} b`` stays finite; ``D`` must be positive definite), and each ``J_k`` crosses its edge by the
Scharfetter-Gummel flux of :mod:`numerics.grid_1d` written as ``J_k = m p - (a/2) d_k p``
with ``m = beta_k - (1/2) d_k a_k`` and ``a`` frozen at the edge's midpoint:

    rate s -> t = a B(-z) / (2 l^2),  rate t -> s = a B(z) / (2 l^2),  z = 2 m l / a,

``B(z) = z / (e^z - 1)`` (the upwind limit ``m^+ / l`` when ``a = 0``). Every off-diagonal
rate is >= 0, so the generator is a Markov-chain generator (reflecting at the box), its
stationary vector is positive, and it is found without subtraction by the GTH algorithm
(W. K. Grassmann, M. I. Taksar, D. P. Heyman, Oper. Res. 33 (1985) 1107), here on the
band of width ``n_y + 1`` that the 9-point stencil leaves, in ``O(n_x n_y^3)``.

The current of the stationary solution is read off the edges: the net probability flow
``F_e`` along edge ``e`` (displacement ``Delta_e``) gives ``int J . G dx ~ sum_e F_e
Delta_e . G(midpoint_e)``, the grid's analogue of the chains' midpoint-rule functional.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numba as nb
import numpy as np

__all__ = ["Grid2D", "StationaryGrid2D", "fokker_planck_2d", "gth_banded", "gth_dense",
           "lattice_decomposition"]


@dataclass(frozen=True)
class Grid2D:
    """Uniform cells on ``[lo_x, hi_x] x [lo_y, hi_y]``; state ``s = i * n_y + j``."""

    lo: tuple[float, float]
    hi: tuple[float, float]
    n: tuple[int, int]

    def __post_init__(self):
        if not all(math.isfinite(v) for v in (*self.lo, *self.hi)) or not all(
                a < b for a, b in zip(self.lo, self.hi)):
            raise ValueError(f"grid box lo={self.lo}, hi={self.hi} must be finite with lo < hi")
        if not all(isinstance(k, (int, np.integer)) and k >= 3 for k in self.n):
            raise ValueError(f"n={self.n!r} must be two integers >= 3")

    @property
    def h(self) -> tuple[float, float]:
        return tuple((b - a) / k for a, b, k in zip(self.lo, self.hi, self.n))

    def centres(self, axis: int) -> np.ndarray:
        return self.lo[axis] + (np.arange(self.n[axis]) + 0.5) * self.h[axis]

    @property
    def points(self) -> np.ndarray:
        """Cell centres, ``(n_x * n_y, 2)``, in state order."""
        X, Y = np.meshgrid(self.centres(0), self.centres(1), indexing="ij")
        return np.column_stack([X.ravel(), Y.ravel()])

    def refined(self, factor: int = 2) -> "Grid2D":
        return Grid2D(self.lo, self.hi, (self.n[0] * factor, self.n[1] * factor))


def _bernoulli(z: np.ndarray) -> np.ndarray:
    """``B(z) = z / (e^z - 1)``, 1 at 0, without overflow."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = np.abs(z) < 1e-8
    out[small] = 1.0 - z[small] / 2.0
    zz = z[~small]
    with np.errstate(over="ignore"):
        out[~small] = zz / np.expm1(zz)
    return out


def lattice_decomposition(D: np.ndarray, hx: float, hy: float) -> np.ndarray:
    """Coefficients ``a_k`` (``(..., 4)``) with ``D = sum_k a_k u_k u_k^T``; raises if any < 0."""
    d11, d12, d22 = D[..., 0, 0], D[..., 0, 1], D[..., 1, 1]
    a = np.stack([d11 - np.abs(d12) * hx / hy, d22 - np.abs(d12) * hy / hx,
                  np.maximum(d12, 0.0) * (hx**2 + hy**2) / (hx * hy),
                  np.maximum(-d12, 0.0) * (hx**2 + hy**2) / (hx * hy)], axis=-1)
    scale = np.maximum(np.abs(d11), np.abs(d22))
    bad = a[..., :2] < -1e-12 * scale[..., None]
    if np.any(bad):
        idx = np.argwhere(bad)[0]
        Dbad = D[tuple(idx[:-1])]
        raise ValueError(
            f"diffusion D={Dbad.tolist()} is not lattice-decomposable with h_x/h_y = {hx / hy:.4g}: "
            f"need |D_12| h_x/h_y <= D_11 and |D_12| h_y/h_x <= D_22; choose the box so that "
            f"h_x/h_y ~ sqrt(D_11/D_22) = {math.sqrt(abs(Dbad[0, 0] / Dbad[1, 1])):.4g}")
    return np.clip(a, 0.0, None)


@dataclass(frozen=True)
class _Edges:
    """Every edge of the 9-point stencil: endpoints, rates both ways, displacement."""

    s: np.ndarray
    t: np.ndarray
    rate_st: np.ndarray
    rate_ts: np.ndarray
    delta: np.ndarray  # (E, 2): x_t - x_s
    midpoint: np.ndarray  # (E, 2)


def _edges(grid: Grid2D, drift: Callable, diffusion: Callable, active: np.ndarray) -> _Edges:
    nx, ny = grid.n
    hx, hy = grid.h
    pts = grid.points
    idx = np.arange(nx * ny).reshape(nx, ny)
    a_cell = np.zeros((nx * ny, 4))
    a_cell[active] = lattice_decomposition(np.asarray(diffusion(pts[active]), dtype=float), hx, hy)
    specs = [  # (source cells, target cells, direction index, displacement)
        (idx[:-1, :], idx[1:, :], 0, (hx, 0.0)),
        (idx[:, :-1], idx[:, 1:], 1, (0.0, hy)),
        (idx[:-1, :-1], idx[1:, 1:], 2, (hx, hy)),
        (idx[:-1, 1:], idx[1:, :-1], 3, (hx, -hy)),
    ]
    S, T, RST, RTS, DEL, MID = [], [], [], [], [], []
    for src, dst, k, d in specs:
        s, t = src.ravel(), dst.ravel()
        both = active[s] & active[t]  # edges leaving the support do not exist (reflection)
        s, t = s[both], t[both]
        d = np.array(d)
        ell = float(np.hypot(*d))
        u = d / ell
        mid = 0.5 * (pts[s] + pts[t])
        D_face = np.asarray(diffusion(mid), dtype=float)
        a_face = lattice_decomposition(D_face, hx, hy)[:, k]
        # b = D w = sum_k a_k u_k (u_k . w) with w = D^-1 b: each direction carries the
        # drift in proportion to its diffusion, so its Peclet number 2 l u_k . w does not
        # blow up where a_k is small (which would degrade Scharfetter-Gummel to upwinding).
        w = np.linalg.solve(D_face, np.asarray(drift(mid), dtype=float)[..., None])[..., 0]
        beta = a_face * (w @ u)
        m = beta - (a_cell[t, k] - a_cell[s, k]) / (2.0 * ell)
        r_st = np.empty(s.size)
        r_ts = np.empty(s.size)
        pos = a_face > 1e-14 * max(1.0, float(np.max(a_face)) if a_face.size else 1.0)
        z = 2.0 * m[pos] * ell / a_face[pos]
        r_st[pos] = a_face[pos] * _bernoulli(-z) / (2 * ell**2)
        r_ts[pos] = a_face[pos] * _bernoulli(z) / (2 * ell**2)
        r_st[~pos] = np.maximum(m[~pos], 0.0) / ell  # the upwind limit of a vanishing a
        r_ts[~pos] = np.maximum(-m[~pos], 0.0) / ell
        S.append(s), T.append(t), RST.append(r_st), RTS.append(r_ts)
        DEL.append(np.broadcast_to(d, (s.size, 2))), MID.append(mid)
    out = _Edges(np.concatenate(S), np.concatenate(T), np.concatenate(RST), np.concatenate(RTS),
                 np.concatenate(DEL), np.concatenate(MID))
    if not (np.all(np.isfinite(out.rate_st)) and np.all(np.isfinite(out.rate_ts))):
        raise ValueError("drift or diffusion is not finite on the grid")
    return out


@nb.njit(cache=True)
def _gth_band(R, bw, out):
    """GTH on a banded rate matrix ``R[i, j - i + bw]`` (rate i -> j); fills ``out``."""
    N = R.shape[0]
    for k in range(N - 1):
        hi = min(N - 1, k + bw)
        scale = 0.0
        for j in range(k + 1, hi + 1):
            scale += R[k, j - k + bw]
        if scale <= 0.0:
            return k + 1  # states 0..k cannot reach the rest: reducible
        for i in range(k + 1, hi + 1):
            rik = R[i, k - i + bw] / scale
            R[i, k - i + bw] = rik
            if rik != 0.0:
                for j in range(k + 1, hi + 1):
                    R[i, j - i + bw] += rik * R[k, j - k + bw]
    out[N - 1] = 1.0
    for k in range(N - 2, -1, -1):
        acc = 0.0
        for i in range(k + 1, min(N - 1, k + bw) + 1):
            acc += out[i] * R[i, k - i + bw]
        out[k] = acc
    total = 0.0
    for k in range(N):
        total += out[k]
    for k in range(N):
        out[k] /= total
    return 0


def gth_banded(s: np.ndarray, t: np.ndarray, rate: np.ndarray, n_states: int, bw: int) -> np.ndarray:
    """Stationary probabilities of the rate matrix with entries ``rate`` on ``s -> t``.

    Every ``|t - s|`` must be ``<= bw``. Raises if the chain is reducible.
    """
    if np.any(np.abs(t - s) > bw):
        raise ValueError(f"an edge spans more than the bandwidth bw={bw}")
    if np.any(rate < 0):
        raise ValueError("rates must be >= 0")
    R = np.zeros((n_states, 2 * bw + 1))
    np.add.at(R, (s, t - s + bw), rate)
    out = np.zeros(n_states)
    bad = _gth_band(R, bw, out)
    if bad:
        raise ValueError(f"the generator is reducible: states 0..{bad - 1} do not reach the rest "
                         "(e.g. rates that underflow where the diffusion vanishes: restrict the "
                         "support to where it does not)")
    return out


def gth_dense(Rfull: np.ndarray) -> np.ndarray:
    """Reference: GTH on a dense rate matrix (row i -> column j), plain numpy, O(N^3)."""
    A = np.array(Rfull, dtype=float)
    N = A.shape[0]
    for k in range(N - 1):
        scale = A[k, k + 1:].sum()
        A[k + 1:, k] /= scale
        A[k + 1:, k + 1:] += np.outer(A[k + 1:, k], A[k, k + 1:])
    out = np.zeros(N)
    out[-1] = 1.0
    for k in range(N - 2, -1, -1):
        out[k] = out[k + 1:] @ A[k + 1:, k]
    return out / out.sum()


@dataclass(frozen=True)
class StationaryGrid2D:
    """Stationary cell probabilities of the generator and its edges (for the current)."""

    grid: Grid2D
    mass: np.ndarray  # (n_x * n_y,), sums to 1
    edges: _Edges

    @property
    def density(self) -> np.ndarray:
        """``(n_x, n_y)`` density, integrating to 1."""
        hx, hy = self.grid.h
        return (self.mass / (hx * hy)).reshape(self.grid.n)

    def expectation(self, values: np.ndarray) -> float:
        """``E[f]`` from ``f`` at the cell centres (state order)."""
        return float(np.dot(self.mass, values))

    def boundary_mass(self) -> float:
        """Stationary mass in the outermost ring of cells."""
        return self._ring(0)

    def _ring(self, k: int) -> float:
        m = self.mass.reshape(self.grid.n)
        inner = m[k:m.shape[0] - k, k:m.shape[1] - k]
        return float(inner[0, :].sum() + inner[-1, :].sum() + inner[1:-1, 0].sum() + inner[1:-1, -1].sum())

    def tail_mass(self) -> float:
        """The mass the reflecting box cuts off, extrapolated geometrically from its two outer rings.

        With ``q`` = (outer ring) / (next ring), a tail decaying at least geometrically holds
        ``outer q / (1 - q)`` beyond the box; ``inf`` when the rings do not decay.
        """
        r0, r1 = self._ring(0), self._ring(1)
        if r0 == 0.0:
            return 0.0
        if r1 <= r0:
            return math.inf
        q = r0 / r1
        return r0 * q / (1.0 - q)

    def with_tail(self) -> "StationaryGrid2D":
        """The same law with the cut-off tail put back on the outer ring (a model of truncation)."""
        tail = self.tail_mass()
        r0 = self._ring(0)
        if r0 == 0.0 or not math.isfinite(tail):
            return self
        ring = np.zeros(self.grid.n, dtype=bool)
        ring[0, :] = ring[-1, :] = ring[:, 0] = ring[:, -1] = True
        mass = self.mass.copy()
        mass[ring.ravel()] *= 1.0 + tail / r0
        return StationaryGrid2D(self.grid, mass / mass.sum(), self.edges)

    def edge_flows(self) -> np.ndarray:
        """Net probability per unit time along each edge (source -> target)."""
        e = self.edges
        return e.rate_st * self.mass[e.s] - e.rate_ts * self.mass[e.t]

    def current_functional(self, field: Callable) -> float:
        """``int J . G dx``: sum over edges of net flow times ``Delta_e . G(midpoint_e)``."""
        g = np.asarray(field(self.edges.midpoint), dtype=float)
        return float(np.dot(self.edge_flows(), np.einsum("ei,ei->e", self.edges.delta, g)))

    def current_field(self) -> np.ndarray:
        """Current vector per cell, ``(2, n_x, n_y)``: each edge's ``l J_k u_k`` shared by its cells."""
        hx, hy = self.grid.h
        flow = self.edge_flows()[:, None] * self.edges.delta / (hx * hy)  # J_k u_k l per edge
        J = np.zeros((self.mass.size, 2))
        np.add.at(J, self.edges.s, 0.5 * flow)
        np.add.at(J, self.edges.t, 0.5 * flow)
        return J.T.reshape(2, *self.grid.n)


def fokker_planck_2d(grid: Grid2D, drift: Callable, diffusion: Callable,
                     support: Callable | None = None) -> StationaryGrid2D:
    """Stationary law of ``dp/dt = -div(b p - (1/2) div(D p))`` on ``grid`` (reflecting box).

    ``drift(points)`` returns ``(N, 2)``, ``diffusion(points)`` ``(N, 2, 2)``. ``support``
    (optional) marks the cells in play, ``support(points) -> bool``: for a process that never
    leaves a region (e.g. where its noise vanishes on the rim and the drift points inward), the
    region's boundary reflects and the cells outside carry no mass.
    """
    N = grid.n[0] * grid.n[1]
    active = np.ones(N, dtype=bool) if support is None else np.asarray(support(grid.points), dtype=bool)
    if not active.any():
        raise ValueError("support marks no cell of the grid")
    e = _edges(grid, drift, diffusion, active)
    # Number the active cells in order: neighbours stay within n_y + 1 of each other.
    number = np.cumsum(active) - 1
    bw = grid.n[1] + 1
    s = np.concatenate([number[e.s], number[e.t]])
    t = np.concatenate([number[e.t], number[e.s]])
    rate = np.concatenate([e.rate_st, e.rate_ts])
    keep = rate > 0
    mass = np.zeros(N)
    mass[active] = gth_banded(s[keep], t[keep], rate[keep], int(active.sum()), bw)
    return StationaryGrid2D(grid, mass, e)
