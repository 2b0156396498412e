"""A positivity-preserving finite-volume solver for 1-D Fokker-Planck equations, any convention.

The equation is ``dp/dt = -dJ/dx`` with drift ``m(x)``, diffusion ``D(x) = v(x) / 2``
(``v``: variance per unit time) and one of three fluxes that differ only in where the
diffusion sits relative to the derivative:

    ito            J = m p - d(D p)/dx                     (a chain whose noise is set where a step starts)
    stratonovich   J = m p - sqrt(D) d(sqrt(D) p)/dx       (noise set at the step's midpoint)
    fickian        J = m p - D dp/dx                       (Fick's law; "isothermal")

Writing ``q = D^alpha p`` with ``alpha = 1, 1/2, 0`` the three are one flux,
``J = D^(1 - alpha) [ (m / D) q - dq/dx ]``, discretised on cell faces by the
Scharfetter-Gummel formula

    J_f = D_f^(1 - alpha) / h * [ B(-z) q_i - B(z) q_{i+1} ],   z = m_f h / D_f,   B(z) = z / (e^z - 1),

which is exact when ``m / D`` is constant across the face (D. L. Scharfetter, H. K. Gummel,
IEEE Trans. Electron Devices 16 (1969) 64), reduces to upwinding where ``D = 0`` and to
central differences where ``m = 0``. Every off-diagonal rate is >= 0 and columns sum to zero:
the generator ``Q`` is a Markov generator, ``I - dt Q`` an M-matrix, so implicit Euler
``(I - dt Q) p_{n+1} = p_n`` keeps densities positive and mass exact for any ``dt``
(no CFL condition: the instability the explicit expanded form suffers cannot occur). A
zero-flux (stationary) solution satisfies ``q_{i+1} / q_i = exp(z)`` exactly, i.e. the
scheme's stationary law is ``D^-alpha exp(int m / D)`` sampled at the cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from .grid_1d import Grid1D

__all__ = ["CONVENTIONS", "BOUNDARIES", "fv_generator", "fv_stationary", "Evolution1D",
           "evolve_implicit_euler", "evolve_transfer", "grid_moments"]

CONVENTIONS = {"ito": 1.0, "stratonovich": 0.5, "fickian": 0.0}
BOUNDARIES = ("reflecting", "periodic")


def _sg_rates(m: np.ndarray, D: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """``h^2``-scaled SG weights ``(D B(-z), D B(z))`` at faces; the limit ``D -> 0`` is upwind."""
    m = np.asarray(m, dtype=float)
    D = np.asarray(D, dtype=float)
    fwd = np.empty_like(m)
    bwd = np.empty_like(m)
    zero = D <= 0
    # D -> 0: D B(-z) -> max(m h, 0), D B(z) -> max(-m h, 0).
    fwd[zero] = np.maximum(m[zero] * h, 0.0)
    bwd[zero] = np.maximum(-m[zero] * h, 0.0)
    nz = ~zero
    z = m[nz] * h / D[nz]
    small = np.abs(z) < 1e-8
    safe = np.where(small, 1.0, z)
    with np.errstate(over="ignore"):  # expm1 -> inf gives B -> 0, the right limit
        bz = np.where(small, 1.0 - z / 2.0, safe / np.expm1(safe))
        bmz = np.where(small, 1.0 + z / 2.0, -safe / np.expm1(-safe))
    fwd[nz] = D[nz] * bmz
    bwd[nz] = D[nz] * bz
    return fwd, bwd


def fv_generator(grid: Grid1D, drift, diffusion_variance, convention: str = "ito",
                 boundary: str = "reflecting") -> np.ndarray:
    """Generator ``Q`` (``dp/dt = Q p`` on cell averages) for drift ``m`` and variance rate ``v``.

    ``drift`` and ``diffusion_variance`` are vectorised callables of positions; ``v >= 0``
    (``D = v / 2``). ``boundary="reflecting"`` closes both ends (no flux), ``"periodic"``
    joins the last cell to the first through a face at ``grid.hi``.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention={convention!r} must be one of {sorted(CONVENTIONS)}")
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary={boundary!r} must be one of {BOUNDARIES}")
    alpha = CONVENTIONS[convention]
    h, n = grid.h, grid.n
    x = grid.centres
    D_cell = np.asarray(diffusion_variance(x), dtype=float) / 2.0
    faces = grid.lo + np.arange(1, n + (boundary == "periodic")) * h
    m_f = np.asarray(drift(faces), dtype=float)
    D_f = np.asarray(diffusion_variance(faces), dtype=float) / 2.0
    for name, arr in (("diffusion at the cells", D_cell), ("diffusion at the faces", D_f)):
        if np.any(~np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError(f"{name} must be finite and >= 0 on the grid")
    if not np.all(np.isfinite(m_f)):
        raise ValueError("drift must be finite on the grid")
    left_cell = np.arange(faces.size)
    right_cell = (left_cell + 1) % n
    fwd, bwd = _sg_rates(m_f, D_f, h)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Where D_f = 0 the upwind limit already carries the whole rate (scale 1).
        scale_l = np.where(D_f > 0, (D_cell[left_cell] / np.where(D_f > 0, D_f, 1.0)) ** alpha, 1.0)
        scale_r = np.where(D_f > 0, (D_cell[right_cell] / np.where(D_f > 0, D_f, 1.0)) ** alpha, 1.0)
    right = fwd * scale_l / h**2  # rate left_cell -> right_cell
    left = bwd * scale_r / h**2  # rate right_cell -> left_cell
    Q = np.zeros((n, n))
    np.add.at(Q, (right_cell, left_cell), right)
    np.add.at(Q, (left_cell, left_cell), -right)
    np.add.at(Q, (left_cell, right_cell), left)
    np.add.at(Q, (right_cell, right_cell), -left)
    return Q


def fv_stationary(grid: Grid1D, Q: np.ndarray) -> np.ndarray:
    """The density ``p`` with ``Q p = 0``, ``sum(p) h = 1`` (one row swapped for the normalisation)."""
    A = Q.copy()
    A[-1, :] = grid.h
    rhs = np.zeros(grid.n)
    rhs[-1] = 1.0
    p = np.linalg.solve(A, rhs)
    if np.any(p < -1e-12 * np.abs(p).max()):
        raise ArithmeticError("stationary vector has negative entries: the generator is not a "
                              "Markov generator (check the diffusion)")
    return np.maximum(p, 0.0)


@dataclass(frozen=True)
class Evolution1D:
    """Densities (``sum * h = 1``) at the recorded times; ``times`` in the generator's units."""

    grid: Grid1D
    times: np.ndarray
    densities: np.ndarray  # (len(times), n)


@nb.njit(cache=True)
def _thomas_steps(sub, diag, sup, p, n_steps, record, out):
    """Solve ``(tridiagonal) p_{k+1} = p_k`` ``n_steps`` times, storing recorded steps.

    The matrix is an M-matrix with column sums 1 (``I - dt Q``), diagonally dominant by
    columns: Gaussian elimination without pivoting (Thomas) is stable for it.
    """
    n = p.shape[0]
    c = np.empty(n)
    inv = np.empty(n)
    # Forward elimination coefficients depend on the matrix only: compute them once.
    inv[0] = 1.0 / diag[0]
    c[0] = sup[0] * inv[0]
    for i in range(1, n):
        denom = diag[i] - sub[i - 1] * c[i - 1]
        inv[i] = 1.0 / denom
        c[i] = sup[i] * inv[i] if i < n - 1 else 0.0
    r = 0
    while r < record.shape[0] and record[r] == 0:
        out[r, :] = p
        r += 1
    d = np.empty(n)
    for k in range(1, n_steps + 1):
        d[0] = p[0] * inv[0]
        for i in range(1, n):
            d[i] = (p[i] - sub[i - 1] * d[i - 1]) * inv[i]
        for i in range(n - 2, -1, -1):
            d[i] -= c[i] * d[i + 1]
        for i in range(n):
            p[i] = d[i] if d[i] > 0.0 else 0.0  # rounding only: the exact solve is >= 0
        while r < record.shape[0] and record[r] == k:
            out[r, :] = p
            r += 1


def evolve_implicit_euler(grid: Grid1D, Q: np.ndarray, p0: np.ndarray, dt: float, record) -> Evolution1D:
    """Implicit Euler ``(I - dt Q) p_{k+1} = p_k`` from the density ``p0``; ``record`` lists
    step numbers (sorted, >= 0) at which to keep the density. ``Q`` must be tridiagonal
    (reflecting boundaries); first order in ``dt``, so callers halve ``dt`` to bound the error.
    """
    if not (math.isfinite(dt) and dt > 0):
        raise ValueError(f"dt={dt!r} must be finite and > 0")
    n = grid.n
    if Q.shape != (n, n) or np.any(np.triu(Q, 2)) or np.any(np.tril(Q, -2)):
        raise ValueError("Q must be an (n, n) tridiagonal generator (reflecting boundaries)")
    p = np.ascontiguousarray(np.asarray(p0, dtype=float).copy())
    if p.shape != (n,) or np.any(p < 0) or not np.isfinite(p).all():
        raise ValueError("p0 must be a non-negative finite density on the grid's cells")
    rec = np.ascontiguousarray(np.asarray(record, dtype=np.int64).reshape(-1))
    if rec.size == 0 or rec[0] < 0 or np.any(np.diff(rec) < 0):
        raise ValueError(f"record={record!r} must be a non-empty sorted sequence of steps >= 0")
    A = np.eye(n) - dt * Q
    sub, diag, sup = np.diag(A, -1).copy(), np.diag(A).copy(), np.diag(A, 1).copy()
    out = np.empty((rec.size, n))
    _thomas_steps(sub, diag, sup, p, int(rec[-1]), rec, out)
    return Evolution1D(grid, rec * dt, out)


def evolve_transfer(grid: Grid1D, P: np.ndarray, p0: np.ndarray, record) -> Evolution1D:
    """The chain's own evolution ``mass_{k+1} = P mass_k`` (``P`` column-stochastic, from
    :func:`numerics.grid_1d.transfer_operator`), densities at the recorded steps."""
    rec = np.asarray(record, dtype=np.int64).reshape(-1)
    if rec.size == 0 or rec[0] < 0 or np.any(np.diff(rec) < 0):
        raise ValueError(f"record={record!r} must be a non-empty sorted sequence of steps >= 0")
    mass = np.asarray(p0, dtype=float) * grid.h
    out = np.empty((rec.size, grid.n))
    k = 0
    for r, step in enumerate(rec):
        while k < step:
            mass = P @ mass
            k += 1
        out[r] = mass / grid.h
    return Evolution1D(grid, rec.astype(float), out)


def grid_moments(grid: Grid1D, density: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of a cell-average density (midpoint rule plus the
    within-cell variance ``h^2 / 12``, exact for a density constant on each cell)."""
    w = np.asarray(density, dtype=float) * grid.h
    mass = w.sum()
    mean = float(w @ grid.centres / mass)
    var = float(w @ (grid.centres - mean) ** 2 / mass) + grid.h**2 / 12.0
    return mean, math.sqrt(var)
