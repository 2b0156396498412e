"""From sympy to the piecewise kernels, and hypotheses (densities with integrals) to numbers.

:func:`piecewise_data` turns a polynomial or a ``sympy.Piecewise`` of polynomials with
conditions ``x < b_0``, ``x < b_1``, ..., ``True`` into a
:class:`numerics.piecewise.Piecewise1D`: the landscape is written once in sympy and reaches
the kernels as data. :class:`DensityGrid` evaluates hypotheses such as
``exp(-(2/eta) Integral(G/V, W)) / V`` on a fine grid: function symbols are made concrete,
every ``Integral`` over the state is computed by cumulative quadrature (sympy is never
asked to integrate a piecewise rational function), and the density is normalised there.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import sympy as sp

from numerics.piecewise import Piecewise1D

from .codegen import polynomial_coefficients

__all__ = ["piecewise_data", "substitute_functions", "DensityGrid", "DensityNotAvailable"]


class DensityNotAvailable(ValueError):
    """A hypothesis is not a finite, normalisable density on the experiment's domain."""


def piecewise_data(expr: sp.Basic, x: sp.Symbol, name: str = "expression") -> Piecewise1D:
    """A polynomial, or a Piecewise of polynomials split at ``x < b`` conditions, as data."""
    e = sp.sympify(expr)
    if not isinstance(e, sp.Piecewise):
        return Piecewise1D(polynomial_coefficients(e, x, name)[None, :])
    pieces, breaks = [], []
    for k, (piece, cond) in enumerate(e.args):
        last = k == len(e.args) - 1
        if last:
            if cond is not sp.true:
                raise ValueError(f"{name}: the last piece's condition must be True, got {cond}")
        else:
            if not (isinstance(cond, sp.StrictLessThan) and cond.lhs == x and cond.rhs.is_number):
                raise ValueError(f"{name}: piece conditions must read {x} < number in increasing "
                                 f"order, got {cond}")
            breaks.append(float(cond.rhs))
        pieces.append(polynomial_coefficients(piece, x, f"{name}, piece {k}"))
    width = max(len(c) for c in pieces)
    coeffs = np.zeros((len(pieces), width))
    for k, c in enumerate(pieces):
        coeffs[k, :len(c)] = c
    return Piecewise1D(coeffs, breaks)


def substitute_functions(expr: sp.Basic, functions: Mapping, values: Mapping = ()) -> sp.Basic:
    """Replace function symbols by Lambdas and symbols by values, *without* ``doit``:
    integrals stay unevaluated for :class:`DensityGrid` to compute numerically."""
    e = sp.sympify(expr)
    for f, lam in dict(functions).items():
        e = e.replace(f, lam)
    return e.xreplace({k: sp.sympify(v) for k, v in dict(values).items()})


class DensityGrid:
    """Normalised densities of hypotheses on ``n`` points of ``[lo, hi]``.

    ``periodic``: the domain is a circle and no tail check is made; otherwise a density
    must have fallen below ``tail`` times its maximum at both ends (1e-8: the mass beyond is
    then ~1e-8 of the total for tails that fall off within a unit, far below any standard
    error the budgets reach).
    """

    def __init__(self, x: sp.Symbol, lo: float, hi: float, n: int = 40001,
                 periodic: bool = False, tail: float = 1e-8):
        self.x, self.lo, self.hi = x, float(lo), float(hi)
        self.grid = np.linspace(self.lo, self.hi, n)
        self.periodic, self.tail = periodic, tail

    def _cumulative(self, integrand: sp.Expr, var: sp.Symbol) -> np.ndarray:
        f = sp.lambdify(var, integrand, modules="numpy")
        with np.errstate(all="ignore"):
            y = np.broadcast_to(np.asarray(f(self.grid), dtype=float), self.grid.shape)
        if not np.all(np.isfinite(y)):
            raise DensityNotAvailable(f"integrand {integrand} is not finite on [{self.lo}, {self.hi}]")
        return np.concatenate([[0.0], np.cumsum((y[1:] + y[:-1]) / 2 * np.diff(self.grid))])

    def log_density(self, expr: sp.Basic) -> np.ndarray:
        """``log expr`` on the grid, up to an additive constant."""
        e = sp.expand_log(sp.log(expr), force=True)
        dummies, arrays = [], []
        for integral in sorted(e.atoms(sp.Integral), key=sp.default_sort_key):
            (var, *limits), = integral.limits
            cum = self._cumulative(integral.function, var)
            if limits:  # definite: Integral(f(u), (u, a, x))
                a, b = limits
                if b != self.x:
                    raise DensityNotAvailable(f"integral {integral} must run up to {self.x}")
                cum = cum - np.interp(float(a), self.grid, cum)
            elif var != self.x:
                raise DensityNotAvailable(f"indefinite integral {integral} must be over {self.x}")
            d = sp.Dummy("I")
            dummies.append(d)
            arrays.append(cum)
            e = e.xreplace({integral: d})
        extra = e.free_symbols - {self.x, *dummies}
        if extra:
            raise DensityNotAvailable(f"{expr} still depends on {sorted(map(str, extra))}")
        f = sp.lambdify([self.x, *dummies], e, modules="numpy")
        with np.errstate(all="ignore"):
            out = np.broadcast_to(np.asarray(f(self.grid, *arrays), dtype=complex), self.grid.shape)
        if np.any(np.abs(out.imag) > 1e-9) or not np.all(np.isfinite(out.real)):
            raise DensityNotAvailable(f"{expr} is not a finite positive function on "
                                      f"[{self.lo}, {self.hi}]")
        return out.real.copy()

    def density(self, expr: sp.Basic) -> np.ndarray:
        lp = self.log_density(expr)
        w = np.exp(lp - lp.max())
        if not self.periodic and max(w[0], w[-1]) > self.tail:
            raise DensityNotAvailable(
                f"{expr} has not decayed at the ends of [{self.lo}, {self.hi}] (relative "
                f"{max(w[0], w[-1]):.2g}): not normalisable there")
        mass = np.trapezoid(w, self.grid) if hasattr(np, "trapezoid") else np.trapz(w, self.grid)
        return w / mass

    def cumulative(self, density: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2 * np.diff(self.grid))])

    def interval_masses(self, density: np.ndarray, intervals) -> np.ndarray:
        cum = self.cumulative(density)
        return np.array([np.interp(b, self.grid, cum) - np.interp(a, self.grid, cum)
                         for a, b in intervals])

    def at(self, density: np.ndarray, points) -> np.ndarray:
        return np.interp(np.asarray(points, dtype=float), self.grid, density)
