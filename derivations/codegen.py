"""From sympy to the kernels: one source of truth for every loss, drift and noise.

A process is written once as a sympy update ``Delta(x, xi)``; the derivation takes its
moments, and the simulation receives it as polynomial coefficient arrays through
:func:`update_polynomials`. Hypotheses (densities) reach mpmath through :func:`mp_callable`.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import sympy as sp

__all__ = ["concrete", "polynomial_coefficients", "update_polynomials", "mp_callable",
           "np_callable"]


def concrete(expr: sp.Basic, values: Mapping = (), functions: Mapping = ()) -> sp.Basic:
    """``expr`` with function symbols replaced (by Lambdas) and symbols given values."""
    e = sp.sympify(expr)
    for f, lam in dict(functions).items():
        e = e.replace(f, lam)
    e = e.doit()
    return e.subs(dict(values))


def polynomial_coefficients(expr: sp.Basic, x: sp.Symbol, name: str = "expression") -> np.ndarray:
    """Coefficients of a polynomial in ``x`` with numeric coefficients, lowest degree first."""
    e = sp.expand(expr)
    extra = e.free_symbols - {x}
    if extra:
        raise ValueError(f"{name} = {e} still depends on {sorted(map(str, extra))}: "
                         "give every parameter a value before simulating")
    try:
        poly = sp.Poly(e, x)
    except sp.PolynomialError as exc:
        raise ValueError(f"{name} = {e} is not a polynomial in {x}; the 1-D kernels take "
                         "polynomial drifts and noise profiles") from exc
    coeffs = [float(c) for c in reversed(poly.all_coeffs())]
    return np.array(coeffs, dtype=np.float64)


def update_polynomials(update: sp.Basic, x: sp.Symbol, xi: sp.Symbol) -> tuple[np.ndarray, np.ndarray]:
    """Split ``x' = x + Delta`` into ``x' = x - F(x) + S(x) xi`` and return ``(F, S)``.

    ``Delta`` must be linear in ``xi`` (additive Gaussian noise, possibly state-dependent).
    """
    e = sp.expand(update)
    if sp.degree(e, xi) > 1:
        raise ValueError(f"update {e} is not linear in {xi}; the kernel draws one Gaussian per step")
    drift = -e.subs(xi, 0)
    noise = sp.diff(e, xi)
    return (polynomial_coefficients(drift, x, "drift"),
            polynomial_coefficients(noise, x, "noise amplitude"))


def mp_callable(expr: sp.Basic, x: sp.Symbol):
    """A one-argument mpmath function of ``expr`` (which must depend on ``x`` only)."""
    extra = expr.free_symbols - {x}
    if extra:
        raise ValueError(f"{expr} still depends on {sorted(map(str, extra))}")
    return sp.lambdify(x, expr, modules="mpmath")


def np_callable(expr: sp.Basic, x: sp.Symbol):
    """A vectorised numpy function of ``expr`` in ``x`` (constants broadcast)."""
    extra = expr.free_symbols - {x}
    if extra:
        raise ValueError(f"{expr} still depends on {sorted(map(str, extra))}")
    f = sp.lambdify(x, expr, modules="numpy")
    return lambda arr: np.broadcast_to(np.asarray(f(arr), dtype=float), np.shape(arr)).copy()
