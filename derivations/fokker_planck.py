"""Stationary laws from first principles: per-step moments, zero flux, solution.

For a one-dimensional update ``x' = x + Delta(x, xi)`` with ``xi ~ N(0, 1)``, the
Kramers-Moyal expansion to second order gives the Fokker-Planck equation (per step)

    dp/dn = -d/dx [ m p - (1/2) d(v p)/dx ],   m = E[Delta | x],  v = Var[Delta | x],

where the bracket is the probability flux ``J`` (H. Risken, *The Fokker-Planck Equation*,
2nd ed., Springer 1989, sections 4.2-4.3). A stationary law with no net current solves
``J = 0``, a first-order linear ODE that ``sympy.dsolve`` integrates. This is the Ito
reading, the one a discrete chain follows: the noise amplitude is evaluated where the
step starts. Nothing here looks at a slide's answer.
"""

from __future__ import annotations

import sympy as sp

from .model import Step

__all__ = ["XI", "gaussian_moments", "zero_flux_density_1d", "flux_1d"]

#: The standard normal draw of one step.
XI = sp.Symbol("xi", real=True)


def _normal_moment(k: int) -> sp.Integer:
    """``E[xi^k]`` for ``xi ~ N(0, 1)``: 0 for odd ``k``, ``(k - 1)!!`` for even ``k``."""
    return sp.Integer(0) if k % 2 else sp.factorial2(k - 1)


def gaussian_moments(update: sp.Expr, xi: sp.Symbol = XI) -> tuple[sp.Expr, sp.Expr]:
    """Mean and variance of ``update`` over ``xi ~ N(0, 1)`` (``update`` polynomial in ``xi``)."""
    poly = sp.Poly(sp.expand(update), xi)
    mean = sum(c * _normal_moment(k) for (k,), c in poly.terms())
    second = sp.Poly(sp.expand(update**2), xi)
    raw2 = sum(c * _normal_moment(k) for (k,), c in second.terms())
    return sp.simplify(mean), sp.simplify(raw2 - mean**2)


def flux_1d(m: sp.Expr, v: sp.Expr, p: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Probability flux ``J = m p - (1/2) d(v p)/dx`` (Ito)."""
    return m * p - sp.diff(v * p, x) / 2


def zero_flux_density_1d(update: sp.Expr, x: sp.Symbol, normaliser: sp.Symbol,
                         xi: sp.Symbol = XI, step_name: str = "step") -> tuple[sp.Expr, tuple[Step, ...]]:
    """The density with zero flux for the chain ``x' = x + update(x, xi)``.

    Returns ``(density, steps)``; the density is written ``(1/normaliser) * f(x)`` and
    is checked to satisfy ``J = 0`` by substitution before it is returned.
    """
    m, v = gaussian_moments(update, xi)
    p = sp.Function("p")
    J = flux_1d(m, v, p(x), x)
    ode = sp.Eq(J, 0)
    # J = 0 is first-order linear in p: naming the method spares dsolve trying every other
    # (10x faster); .doit() evaluates what the integrating factor leaves as integrals.
    raw = sp.dsolve(ode, p(x), hint="1st_linear")
    if isinstance(raw, list):
        raise ValueError(f"zero-flux ODE has several solutions {raw}; cannot pick one")
    solution = sp.Eq(raw.lhs, sp.simplify(sp.powsimp(
        sp.expand_log(sp.expand(raw.rhs.doit()), force=True), combine="exp")))
    constants = sorted(solution.rhs.free_symbols - (m.free_symbols | v.free_symbols | {x}), key=str)
    density = solution.rhs.subs({c: 1 for c in constants}) / normaliser
    density = sp.powsimp(sp.simplify(density), combine="exp")
    residual = sp.simplify(flux_1d(m, v, density, x))
    if residual != 0:
        raise ArithmeticError(f"derived density does not satisfy J = 0: residual {residual}")
    steps = (
        Step(f"One {step_name}: x' = x + Delta with", sp.Eq(sp.Symbol(r"\Delta"), update)),
        Step(f"Mean of Delta per {step_name} (xi ~ N(0,1))", sp.Eq(sp.Symbol("m"), m)),
        Step(f"Variance of Delta per {step_name}", sp.Eq(sp.Symbol("v"), v)),
        Step("Probability flux (Kramers-Moyal to second order, Ito)", sp.Eq(sp.Symbol("J"), J)),
        Step("Stationary with no net current: J = 0, a first-order linear ODE (dsolve)", solution),
        Step("Fix the constant as 1/Z; substituting back gives J = 0 exactly",
             sp.Eq(p(x), density)),
    )
    return density, steps
