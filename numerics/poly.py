"""Polynomials as coefficient arrays, evaluated by Horner's rule inside kernels.

A loss, drift or noise profile written once in sympy reaches the kernels as the array
``c`` of its coefficients, lowest degree first: ``p(x) = c[0] + c[1] x + ... + c[d] x^d``.
One compiled kernel then serves every polynomial, so a new claim costs no compilation.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["horner", "horner_numpy", "as_coefficients"]


@nb.njit(inline="always", cache=True)
def horner(c, x):
    """``sum_k c[k] x^k`` by Horner's rule (``c`` lowest degree first)."""
    acc = c[c.shape[0] - 1]
    for k in range(c.shape[0] - 2, -1, -1):
        acc = acc * x + c[k]
    return acc


def horner_numpy(c: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The same evaluation order as :func:`horner`, vectorised over ``x`` (reference)."""
    acc = np.full_like(np.asarray(x, dtype=float), c[-1])
    for k in range(len(c) - 2, -1, -1):
        acc = acc * x + c[k]
    return acc


def as_coefficients(c, name: str) -> np.ndarray:
    """Validate a coefficient sequence: non-empty, finite, float64, lowest degree first."""
    arr = np.ascontiguousarray(np.asarray(c, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name}={c!r} must be a non-empty 1-D sequence of coefficients")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}={c!r} must have finite coefficients")
    return arr
