"""Piecewise polynomials as data: a coefficient matrix and the breakpoints between pieces.

A function ``f`` with pieces ``f_0`` on ``(-inf, b_0)``, ``f_1`` on ``[b_0, b_1)``, ...,
``f_k`` on ``[b_{k-1}, inf)`` is the pair ``(C, b)``: row ``j`` of ``C`` holds ``f_j``'s
coefficients in the *global* variable, lowest degree first (rows padded with zeros to a
common length), ``b`` the ``k`` sorted breakpoints. A plain polynomial is one row and no
breakpoint. Like :mod:`numerics.poly`, one compiled kernel serves every such function, so
a landscape built of pieces (two basins of different widths, a flat top between them)
costs no compilation.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .poly import horner

__all__ = ["Piecewise1D", "piecewise_eval", "piecewise_numpy", "as_piecewise"]


class Piecewise1D:
    """A validated ``(coefficients, breaks)`` pair; callable on numpy arrays (reference path)."""

    __slots__ = ("coefficients", "breaks")

    def __init__(self, coefficients, breaks=()):
        c = np.atleast_2d(np.ascontiguousarray(np.asarray(coefficients, dtype=np.float64)))
        b = np.ascontiguousarray(np.asarray(breaks, dtype=np.float64).reshape(-1))
        if c.ndim != 2 or c.shape[1] == 0:
            raise ValueError(f"coefficients={coefficients!r} must be a (pieces, degree + 1) array")
        if c.shape[0] != b.size + 1:
            raise ValueError(f"{c.shape[0]} pieces need {c.shape[0] - 1} breaks, got breaks={breaks!r}")
        if not (np.all(np.isfinite(c)) and np.all(np.isfinite(b))):
            raise ValueError("coefficients and breaks must be finite")
        if np.any(np.diff(b) <= 0):
            raise ValueError(f"breaks={breaks!r} must be strictly increasing")
        self.coefficients = c
        self.breaks = b

    def __call__(self, x):
        return piecewise_numpy(self.coefficients, self.breaks, x)

    def __repr__(self) -> str:
        return f"Piecewise1D({self.coefficients.tolist()!r}, {self.breaks.tolist()!r})"


def as_piecewise(f, name: str) -> Piecewise1D:
    """A :class:`Piecewise1D`, or a plain coefficient sequence promoted to one piece."""
    if isinstance(f, Piecewise1D):
        return f
    try:
        return Piecewise1D(np.atleast_2d(np.asarray(f, dtype=np.float64)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}={f!r} must be a Piecewise1D or a coefficient sequence") from exc


@nb.njit(inline="always", cache=True)
def piecewise_eval(c, b, x):
    """``f(x)`` for the piecewise polynomial ``(c, b)``: the piece is the number of breaks <= x."""
    j = 0
    while j < b.shape[0] and x >= b[j]:
        j += 1
    return horner(c[j], x)


def piecewise_numpy(c: np.ndarray, b: np.ndarray, x) -> np.ndarray:
    """The same evaluation, vectorised (each piece by Horner's rule in the same order)."""
    x = np.asarray(x, dtype=float)
    piece = np.searchsorted(b, x, side="right")
    out = np.empty_like(x)
    for j in range(c.shape[0]):
        mask = piece == j
        acc = np.full(int(mask.sum()), c[j, -1])
        xs = x[mask]
        for k in range(c.shape[1] - 2, -1, -1):
            acc = acc * xs + c[j, k]
        out[mask] = acc
    return out
