"""The n-dimensional Fokker-Planck equation from an update's per-step moments, symbolically.

For an update ``x' = x + Delta(x, xi)`` with ``xi ~ N(0, I_m)`` and a time ``tau`` per step
(``tau = eta`` for SGD, whose clock is ``t = sum of learning rates``; ``tau = Delta t`` for an
Euler step), the Kramers-Moyal expansion to second order gives, per unit time,

    dp/dt = -div J,   J_i = b_i p - (1/2) sum_j d_j (D_ij p),
    b = E[Delta | x] / tau,   D = Cov[Delta | x] / tau,

the Ito current (H. Risken, *The Fokker-Planck Equation*, 2nd ed., Springer 1989,
sec. 4.2 and 6.1; C. Gardiner, *Stochastic Methods*, 4th ed., sec. 5.3.6 on zero current
"potential conditions"). Three questions are kept apart here:

- *stationarity*: ``div J = 0`` (:func:`stationarity_residual`);
- *zero current* (detailed balance): ``J = 0``, i.e. ``grad ln p = F`` with
  ``F = D^{-1} (2 b - div D)``; a solution exists iff ``F`` is curl-free
  (:func:`potential_force`, :func:`zero_current_density`);
- *Gibbs*: ``p`` is a function of the loss alone (every 2x2 minor of
  ``[grad p, grad L]`` vanishes, :func:`gibbs_minors`), and specifically
  ``p = exp(-L / T) / Z`` with a constant ``T`` (:func:`gibbs_temperature`).

Nothing here looks at a slide's answer.
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from .model import Step

__all__ = ["noise_symbols", "step_moments", "sde_coefficients", "current", "divergence",
           "stationarity_residual", "potential_force", "curl_2x2", "zero_current_density",
           "gibbs_minors", "gibbs_temperature", "lyapunov_symbolic", "matrix_divergence"]


def noise_symbols(m: int, name: str = "xi") -> tuple[sp.Symbol, ...]:
    """``m`` independent standard normal draws of one step."""
    return tuple(sp.Symbol(f"{name}_{k + 1}", real=True) for k in range(m))


def step_moments(update: sp.Matrix, xis: Sequence[sp.Symbol],
                 simplify: bool = True) -> tuple[sp.Matrix, sp.Matrix]:
    """Mean and covariance per step of an update linear in the normal draws ``xis``.

    ``simplify=False`` only expands (enough, and much faster, for numeric coefficients).
    """
    update = sp.Matrix(update)
    zero = {x: 0 for x in xis}
    for e in update:
        if any(sp.degree(sp.expand(e), x) > 1 for x in xis):
            raise ValueError(f"update component {e} is not linear in the draws {xis}")
    mean = update.subs(zero)
    S = update.jacobian(sp.Matrix(xis))
    tidy = sp.simplify if simplify else sp.expand
    return mean.applyfunc(tidy), (S * S.T).applyfunc(tidy)


def sde_coefficients(update: sp.Matrix, xis: Sequence[sp.Symbol], tau: sp.Expr, simplify: bool = True):
    """Drift ``b`` and diffusion ``D`` per unit time of the update, ``tau`` per step."""
    mean, cov = step_moments(update, xis, simplify)
    tidy = sp.simplify if simplify else sp.expand
    return (mean / tau).applyfunc(tidy), (cov / tau).applyfunc(tidy)


def matrix_divergence(D: sp.Matrix, xs: Sequence[sp.Symbol]) -> sp.Matrix:
    """``(div D)_i = sum_j d D_ij / d x_j``."""
    n = len(xs)
    return sp.Matrix([sum(sp.diff(D[i, j], xs[j]) for j in range(n)) for i in range(n)])


def current(b: sp.Matrix, D: sp.Matrix, p: sp.Expr, xs: Sequence[sp.Symbol]) -> sp.Matrix:
    """Ito probability current ``J_i = b_i p - (1/2) sum_j d_j (D_ij p)``."""
    n = len(xs)
    return sp.Matrix([b[i] * p - sum(sp.diff(D[i, j] * p, xs[j]) for j in range(n)) / 2
                      for i in range(n)])


def divergence(J: sp.Matrix, xs: Sequence[sp.Symbol]) -> sp.Expr:
    return sum(sp.diff(J[i], xs[i]) for i in range(len(xs)))


def stationarity_residual(b, D, p, xs) -> sp.Expr:
    """``div J`` for the density ``p``, divided by ``p`` and simplified (0 iff stationary)."""
    return sp.simplify(divergence(current(b, D, p, xs), xs) / p)


def potential_force(b: sp.Matrix, D: sp.Matrix, xs) -> sp.Matrix:
    """``F = D^{-1} (2 b - div D)``: zero current means ``grad ln p = F``."""
    return sp.simplify(D.inv() * (2 * b - matrix_divergence(D, xs)))


def curl_2x2(F: sp.Matrix, xs) -> list[sp.Expr]:
    """``d_i F_j - d_j F_i`` for every pair ``i < j`` (all 0 iff a potential exists locally)."""
    n = len(xs)
    return [sp.simplify(sp.diff(F[j], xs[i]) - sp.diff(F[i], xs[j]))
            for i in range(n) for j in range(i + 1, n)]


def _potential(F: sp.Matrix, xs) -> sp.Expr:
    """``phi`` with ``grad phi = F`` (F curl-free), integrating one variable at a time."""
    phi = sp.integrate(F[0], xs[0])
    for i in range(1, len(xs)):
        rest = sp.simplify(F[i] - sp.diff(phi, xs[i]))
        if any(sp.simplify(sp.diff(rest, xs[k])) != 0 for k in range(i)):
            raise ArithmeticError(f"force {list(F)} is not a gradient (remainder {rest})")
        phi += sp.integrate(rest, xs[i])
    return sp.simplify(phi)


def zero_current_density(b: sp.Matrix, D: sp.Matrix, xs, normaliser: sp.Symbol):
    """The zero-current density ``exp(phi) / Z`` with ``grad phi = F``, or ``None``.

    Returns ``(density or None, F, curls, steps)``. When every curl vanishes the density is
    built and checked by substitution (its current must vanish identically).
    """
    F = potential_force(b, D, xs)
    curls = curl_2x2(F, xs)
    steps = [Step("Zero current J = 0 means grad ln p = F with F = D^{-1}(2b - div D)", sp.Eq(
        sp.Symbol("F"), F))]
    steps.append(Step("Curl of F (a zero-current law exists iff every component is 0)",
                      sp.Matrix(curls)))
    if any(c != 0 for c in curls):
        return None, F, curls, tuple(steps)
    phi = _potential(F, xs)
    density = sp.powsimp(sp.exp(phi) / normaliser, combine="exp")
    J = current(b, D, density, xs)
    if any(sp.simplify(c / density) != 0 for c in J):
        raise ArithmeticError(f"zero-current density {density} leaves a current {list(J)}")
    steps.append(Step("Integrate F; substituting back gives J = 0 exactly",
                      sp.Eq(sp.Function("p")(*xs), density)))
    return density, F, curls, tuple(steps)


def gibbs_minors(p: sp.Expr, L: sp.Expr, xs) -> list[sp.Expr]:
    """``d_i p d_j L - d_j p d_i L`` for ``i < j``: all 0 iff ``p`` is (locally) a function of ``L``."""
    n = len(xs)
    lp = sp.expand_log(sp.log(p), force=True)
    return [sp.simplify(sp.diff(lp, xs[i]) * sp.diff(L, xs[j]) - sp.diff(lp, xs[j]) * sp.diff(L, xs[i]))
            for i in range(n) for j in range(i + 1, n)]


def gibbs_temperature(p: sp.Expr, L: sp.Expr, xs) -> sp.Expr | None:
    """``T`` with ``grad ln p = -grad L / T`` and ``T`` free of ``xs``, else ``None``."""
    lp = sp.expand_log(sp.log(p), force=True)
    ratios = []
    for x in xs:
        dl = sp.diff(L, x)
        if sp.simplify(dl) == 0:
            continue
        ratios.append(sp.simplify(-dl / sp.diff(lp, x)))
    if not ratios:
        return None
    T = ratios[0]
    if any(sp.simplify(sp.diff(T, x)) != 0 for x in xs):
        return None
    if any(sp.simplify(r - T) != 0 for r in ratios[1:]):
        return None
    return T


def lyapunov_symbolic(A: sp.Matrix, C: sp.Matrix) -> sp.Matrix:
    """Symmetric ``S`` with ``A S + S A^T = C``, by solving the linear system symbolically."""
    n = A.shape[0]
    entries = {}
    for i in range(n):
        for j in range(i, n):
            entries[(i, j)] = sp.Symbol(f"s_{i}{j}")
    S = sp.Matrix(n, n, lambda i, j: entries[(min(i, j), max(i, j))])
    eqs = A * S + S * A.T - C
    unknowns = list(entries.values())
    sol = sp.solve([eqs[i, j] for i in range(n) for j in range(i, n)], unknowns, dict=True)
    if len(sol) != 1:
        raise ArithmeticError(f"Lyapunov equation has {len(sol)} solutions")
    return sp.simplify(S.subs(sol[0]))
