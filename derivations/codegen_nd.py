"""From sympy to the n-D kernels: vector updates and polynomial observables as packed data.

The n-D analogue of :mod:`derivations.codegen`: a process written once as a sympy vector
update ``Delta(x, xi)`` (linear in the normal draws ``xi``) becomes the drift ``F`` and the
noise matrix ``S`` of ``x' = x - F(x) + S(x) xi`` as :class:`numerics.polynd.PolySystem`
data, which one compiled kernel evaluates; observables and current fields likewise.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import sympy as sp

from numerics.polynd import PolySystem

__all__ = ["poly_system", "update_systems", "np_callable_2d", "concrete_matrix"]


def poly_system(exprs: Sequence[sp.Expr], xs: Sequence[sp.Symbol], name: str = "expression") -> PolySystem:
    """Each expression (polynomial in ``xs`` with numeric coefficients) as one component."""
    comps = []
    for k, e in enumerate(exprs):
        e = sp.expand(sp.sympify(e))
        extra = e.free_symbols - set(xs)
        if extra:
            raise ValueError(f"{name}[{k}] = {e} still depends on {sorted(map(str, extra))}: "
                             "give every parameter a value before simulating")
        if e == 0:
            comps.append({})
            continue
        try:
            poly = sp.Poly(e, *xs)
        except sp.PolynomialError as exc:
            raise ValueError(f"{name}[{k}] = {e} is not a polynomial in {xs}; the n-D kernels take "
                             "polynomial drifts, noise matrices and observables") from exc
        comps.append({mono: float(c) for mono, c in poly.terms()})
    return PolySystem.from_components(comps, len(xs))


def update_systems(update: sp.Matrix, xs: Sequence[sp.Symbol], xis: Sequence[sp.Symbol],
                   modulation: tuple[sp.Expr, float, float] | None = None):
    """Split ``x' = x + Delta`` into ``x' = x - F(x) + S(x) xi``: ``(F, S)`` as PolySystems.

    With ``modulation = (q, a, b)`` the update is ``x' = x - q^a F + q^b S xi`` with ``F`` and
    ``S`` polynomial (a rational preconditioner); ``F`` and ``S`` are returned, ``q`` is the
    caller's. Raises if what remains after removing ``q^a`` (``q^b``) is not a polynomial.
    """
    update = sp.Matrix(update)
    if any(sp.degree(sp.expand(e), x) > 1 for e in update for x in xis):
        raise ValueError(f"update {list(update)} is not linear in {xis}; the kernel draws "
                         "Gaussian noise additively")
    F = -update.subs({x: 0 for x in xis})
    S = update.jacobian(sp.Matrix(xis))
    if modulation is not None:
        q, a, b = modulation
        F = F.applyfunc(lambda e: sp.cancel(sp.powsimp(e * q ** (-sp.nsimplify(a)), force=True)))
        S = S.applyfunc(lambda e: sp.cancel(sp.powsimp(e * q ** (-sp.nsimplify(b)), force=True)))
    return (poly_system([sp.expand(e) for e in F], xs, "drift"),
            poly_system([sp.expand(S[i, j]) for i in range(S.rows) for j in range(S.cols)], xs, "noise"))


def concrete_matrix(M: sp.Matrix, values, functions=()) -> sp.Matrix:
    from .codegen import concrete

    return sp.Matrix(M).applyfunc(lambda e: concrete(e, values, functions))


def np_callable_2d(expr: sp.Expr, x: sp.Symbol, y: sp.Symbol):
    """A vectorised numpy function ``f(X, Y)`` of ``expr`` (constants broadcast)."""
    extra = expr.free_symbols - {x, y}
    if extra:
        raise ValueError(f"{expr} still depends on {sorted(map(str, extra))}")
    f = sp.lambdify((x, y), expr, modules="numpy")
    return lambda X, Y: np.broadcast_to(np.asarray(f(X, Y), dtype=float), np.shape(X))
