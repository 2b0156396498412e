"""Systems of multivariate polynomials as data, evaluated inside kernels.

A vector (or matrix) of polynomials in ``n`` variables is stored as one packed table:

- ``exponents[t, j]``: the power of variable ``j`` in term ``t`` (int64, ``(T, n)``);
- ``coefficients[t]``: the coefficient of term ``t`` (float64, ``(T,)``);
- ``offsets[k]:offsets[k + 1]``: the terms of output component ``k`` (int64, ``(K + 1,)``).

So ``P_k(x) = sum_{t in component k} c_t prod_j x_j^{e_tj}``. A loss gradient, a drift
``eta D grad L``, a noise matrix ``eta D C(x)`` (row-major, ``n * m`` components) written
once in sympy reach every kernel this way (the n-D analogue of :mod:`numerics.poly`), so
a new claim costs no compilation.

Evaluation order (shared by the kernel and the numpy reference, so that both agree to
the last bit): powers ``x_j^k`` by repeated multiplication, then each term
``c_t * x_0^{e_t0} * x_1^{e_t1} * ...`` left to right (a zero power multiplies by nothing),
then the terms of a component summed in table order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numba as nb
import numpy as np

__all__ = ["PolySystem", "fill_powers", "eval_system", "eval_system_numpy", "LANES",
           "fill_powers_lanes", "eval_lanes"]


@dataclass(frozen=True)
class PolySystem:
    """``K`` polynomials in ``n_vars`` variables, packed (see the module docstring)."""

    exponents: np.ndarray
    coefficients: np.ndarray
    offsets: np.ndarray
    n_vars: int

    def __post_init__(self):
        e, c, o = self.exponents, self.coefficients, self.offsets
        if not (isinstance(self.n_vars, (int, np.integer)) and self.n_vars >= 1):
            raise ValueError(f"n_vars={self.n_vars!r} must be an integer >= 1")
        if e.dtype != np.int64 or e.ndim != 2 or e.shape[1] != self.n_vars:
            raise ValueError(f"exponents must be an int64 array of shape (terms, {self.n_vars}); "
                             f"got {e.dtype} {e.shape}")
        if np.any(e < 0):
            raise ValueError("exponents must be >= 0")
        if c.dtype != np.float64 or c.shape != (e.shape[0],) or not np.all(np.isfinite(c)):
            raise ValueError(f"coefficients must be {e.shape[0]} finite float64 values")
        if o.dtype != np.int64 or o.ndim != 1 or o.size < 1 or o[0] != 0 or o[-1] != e.shape[0] \
                or np.any(np.diff(o) < 0):
            raise ValueError(f"offsets={o!r} must rise from 0 to the number of terms {e.shape[0]}")

    @classmethod
    def from_components(cls, components: Sequence[Mapping[tuple, float]], n_vars: int) -> "PolySystem":
        """Build from one ``{exponent tuple: coefficient}`` mapping per output component.

        Zero coefficients are dropped; an empty component is the zero polynomial.
        """
        exps, coefs, offsets = [], [], [0]
        for k, comp in enumerate(components):
            for mono, c in sorted(comp.items()):
                if len(mono) != n_vars:
                    raise ValueError(f"component {k}: monomial {mono!r} must have {n_vars} exponents")
                if float(c) != 0.0:
                    exps.append(tuple(int(v) for v in mono))
                    coefs.append(float(c))
            offsets.append(len(coefs))
        return cls(np.array(exps, dtype=np.int64).reshape(len(exps), n_vars),
                   np.array(coefs, dtype=np.float64), np.array(offsets, dtype=np.int64), int(n_vars))

    @classmethod
    def constant(cls, values: Sequence[float], n_vars: int) -> "PolySystem":
        """Constant components (e.g. a constant noise matrix, row-major)."""
        return cls.from_components([{(0,) * n_vars: float(v)} for v in values], n_vars)

    @property
    def n_outputs(self) -> int:
        return int(self.offsets.size - 1)

    @property
    def max_degree(self) -> int:
        """The largest single-variable power (what the power table must hold)."""
        return int(self.exponents.max()) if self.exponents.size else 0

    def component_variables(self, k: int) -> set[int]:
        """Indices of the variables component ``k`` depends on."""
        rows = self.exponents[self.offsets[k]:self.offsets[k + 1]]
        return {int(j) for j in np.flatnonzero(np.any(rows > 0, axis=0))}

    def is_constant(self) -> bool:
        return not np.any(self.exponents > 0)

    def is_affine(self) -> bool:
        return bool(np.all(self.exponents.sum(axis=1) <= 1)) if self.exponents.size else True

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate at points ``x`` of shape ``(..., n_vars)``; returns ``(..., K)``."""
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1, self.n_vars)
        out = eval_system_numpy(self, flat)
        return out.reshape(*x.shape[:-1], self.n_outputs)


@nb.njit(inline="always", cache=True)
def fill_powers(x, powers):
    """``powers[j, k] = x[j]**k`` by repeated multiplication, ``k <= powers.shape[1] - 1``."""
    for j in range(powers.shape[0]):
        powers[j, 0] = 1.0
        for k in range(1, powers.shape[1]):
            powers[j, k] = powers[j, k - 1] * x[j]


@nb.njit(inline="always", cache=True)
def eval_system(exps, coefs, offsets, powers, out):
    """``out[k] = P_k(x)`` from a filled power table (see :func:`fill_powers`)."""
    n = exps.shape[1]
    for k in range(offsets.shape[0] - 1):
        acc = 0.0
        for t in range(offsets[k], offsets[k + 1]):
            term = coefs[t]
            for j in range(n):
                e = exps[t, j]
                if e > 0:
                    term = term * powers[j, e]
            acc += term
        out[k] = acc


#: Lanes: points evaluated side by side, for kernels that advance several chains in lockstep
#: (numerics.chains_nd): independent work side by side hides latency and lets the compiler
#: vectorise. Each lane gets exactly the scalar functions' arithmetic, in the same order.
#: A multiple of 8 (eval_lanes keeps eight lanes in registers) that divides chains_nd.BLOCK;
#: 8 measured fastest there (16: ~3 % slower, 32: ~35 % slower, 2-D double well).
LANES = 8


@nb.njit(inline="always", cache=True)
def fill_powers_lanes(x, powers):
    """``powers[j, k, l] = x[j, l]**k`` by repeated multiplication (as :func:`fill_powers`)."""
    for j in range(powers.shape[0]):
        for l in range(LANES):
            powers[j, 0, l] = 1.0
        for k in range(1, powers.shape[1]):
            for l in range(LANES):
                powers[j, k, l] = powers[j, k - 1, l] * x[j, l]


@nb.njit(inline="always", cache=True)
def eval_lanes(exps, coefs, offsets, powers, term, out):
    """``out[k, l] = P_k(x_l)`` in :func:`eval_system`'s order, for every lane at once (the
    lanes in registers, eight at a time: LANES is a multiple of 8)."""
    n = exps.shape[1]
    for k in range(offsets.shape[0] - 1):
        for l0 in range(0, LANES, 8):
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
            for t in range(offsets[k], offsets[k + 1]):
                c = coefs[t]
                t0 = t1 = t2 = t3 = t4 = t5 = t6 = t7 = c
                for j in range(n):
                    e = exps[t, j]
                    if e > 0:
                        p = powers[j, e]
                        t0 = t0 * p[l0]
                        t1 = t1 * p[l0 + 1]
                        t2 = t2 * p[l0 + 2]
                        t3 = t3 * p[l0 + 3]
                        t4 = t4 * p[l0 + 4]
                        t5 = t5 * p[l0 + 5]
                        t6 = t6 * p[l0 + 6]
                        t7 = t7 * p[l0 + 7]
                a0 += t0
                a1 += t1
                a2 += t2
                a3 += t3
                a4 += t4
                a5 += t5
                a6 += t6
                a7 += t7
            o = out[k]
            o[l0] = a0
            o[l0 + 1] = a1
            o[l0 + 2] = a2
            o[l0 + 3] = a3
            o[l0 + 4] = a4
            o[l0 + 5] = a5
            o[l0 + 6] = a6
            o[l0 + 7] = a7


def eval_system_numpy(system: PolySystem, x: np.ndarray) -> np.ndarray:
    """Reference evaluation at points ``x`` ``(N, n)``, in the kernel's order: ``(N, K)``."""
    x = np.asarray(x, dtype=np.float64)
    N = x.shape[0]
    deg = system.max_degree
    powers = np.ones((N, system.n_vars, deg + 1))
    for k in range(1, deg + 1):
        powers[:, :, k] = powers[:, :, k - 1] * x
    out = np.zeros((N, system.n_outputs))
    for k in range(system.n_outputs):
        acc = np.zeros(N)
        for t in range(system.offsets[k], system.offsets[k + 1]):
            term = np.full(N, system.coefficients[t])
            for j in range(system.n_vars):
                e = system.exponents[t, j]
                if e > 0:
                    term = term * powers[:, j, e]
            acc = acc + term
        out[:, k] = acc
    return out
