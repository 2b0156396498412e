"""Shared 2-D settings: parameters, test losses, noise matrices, budgets, ladders.

The 2-D claims reuse a few settings so that their numbers can be compared:

- ``double_well`` ``(u^2 - 1)^2 / 4`` (as in the 1-D claims) for non-quadratic losses;
- a quadratic loss ``x^T H x / 2`` with ``H = H_TILTED`` whose eigenvectors are not the
  axes, and a correlated noise covariance ``SIGMA_CORR`` that does not commute with it
  (``H Sigma != Sigma H``): the setting where detailed balance fails for plain SGD;
- ladders of learning rates at fixed temperature ``eta sigma^2 / 2``.
"""

from __future__ import annotations

import math
import random

import sympy as sp

from ..model import Parameter

from ..symbols import positive, real, sigma_x, sigma_y, y
from .stationary_1d import MonteCarloBudget

__all__ = ["Y", "SIGMA_X", "SIGMA_Y", "double_well", "H_TILTED", "SIGMA_CORR", "LADDER",
           "BUDGETS_LADDER", "BUDGETS_LINEAR", "fixed_temperature_ladder", "loss_2d",
           "symmetric_matrix", "S11", "S12", "S22", "SIGMA_ENTRIES", "LOSS2", "L2", "function2",
           "XI2", "SGD_DIAGONAL_UPDATE", "separable_double_well_spec", "separable_quadratic_spec",
           "quadratic_1d"]

_u = sp.Symbol("u", real=True)

Y = real(y, "y", "the second parameter")
SIGMA_X = positive(sigma_x, r"\sigma_x", "standard deviation of the gradient noise along x", (0.1, 10.0))
SIGMA_Y = positive(sigma_y, r"\sigma_y", "standard deviation of the gradient noise along y", (0.1, 10.0))

def function2(fn: sp.FunctionClass, latex: str, meaning: str, degree: int = 3,
              positive_values: bool = False) -> Parameter:
    """A function symbol of two variables; random instances are polynomials of ``degree``.

    ``positive_values``: instances are ``1 + (polynomial)^2`` (for factors that must be > 0).
    """

    def sample(rng: random.Random) -> sp.Lambda:
        a, b = sp.Dummy("a"), sp.Dummy("b")
        poly = sum(sp.Rational(rng.randint(-30, 30), 10) * a**i * b**j
                   for i in range(degree + 1) for j in range(degree + 1 - i))
        poly += sp.Rational(rng.randint(1, 30), 10) * (a**2 + b**2)  # a confining part
        return sp.Lambda((a, b), 1 + poly**2 if positive_values else poly)

    return Parameter(fn, latex, meaning, f"smooth functions R^2 -> R (random degree-{degree} "
                     "polynomials at random points)", sample)


#: A loss of two variables, for claims about a general L(x, y).
L2 = sp.Function("L2", real=True)
LOSS2 = function2(L2, r"\mathcal{L}", "the loss of two parameters, a smooth function")

#: Entries of a symmetric positive definite noise covariance, fully symbolic.
S11 = sp.Symbol("Sigma_11", positive=True)
S22 = sp.Symbol("Sigma_22", positive=True)
S12 = sp.Symbol("Sigma_12", real=True)
SIGMA_ENTRIES = (positive(S11, r"\Sigma_{11}", "noise covariance entry", (0.5, 2.0)),
                 real(S12, r"\Sigma_{12}", "noise covariance entry", (-0.4, 0.4)),
                 positive(S22, r"\Sigma_{22}", "noise covariance entry", (0.5, 2.0)))


def symmetric_matrix() -> sp.Matrix:
    """``Sigma = [[S11, S12], [S12, S22]]`` (positive definite on the sampled ranges)."""
    return sp.Matrix([[S11, S12], [S12, S22]])


def double_well() -> sp.Lambda:
    return sp.Lambda(_u, (_u**2 - 1) ** 2 / 4)


def loss_2d(expr_of_xy, x, y_) -> sp.Lambda:
    """A concrete ``L2(x, y)`` as a two-argument Lambda."""
    a, b = sp.symbols("a b", real=True)
    return sp.Lambda((a, b), sp.sympify(expr_of_xy).subs({x: a, y_: b}, simultaneous=True))


#: A Hessian with eigenvectors off the axes (eigenvalues 1.5 +- 0.5 sqrt(2)... both > 0).
H_TILTED = sp.Matrix([[sp.Rational(3, 2), sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
#: A correlated noise covariance (correlation 0.6 / sqrt(0.5) = 0.85) not commuting with H_TILTED.
SIGMA_CORR = sp.Matrix([[1, sp.Rational(3, 5)], [sp.Rational(3, 5), sp.Rational(1, 2)]])

#: Learning rates of the 2-D ladders (three rungs, as in the 1-D claims).
LADDER = (0.01, 0.02, 0.03)

BUDGETS_LADDER = {"quick": MonteCarloBudget(600, 4), "full": MonteCarloBudget(8000, 16)}
#: Linear chains need no ladder (their bias is removed exactly), so fewer steps suffice.
BUDGETS_LINEAR = {"quick": MonteCarloBudget(2000, 24), "full": MonteCarloBudget(16000, 64)}


def fixed_temperature_ladder(step, noise_products: dict, steps=LADDER) -> tuple[dict, ...]:
    """Rungs ``{step: h, s: sqrt(c_s / h)}``: each ``h s^2 = c_s`` stays fixed as ``h -> 0``."""
    return tuple({step: h, **{s: math.sqrt(c / h) for s, c in noise_products.items()}} for h in steps)


# --- SGD with diagonal constant noise on a separable loss (the counterexample's setting) --------
from functools import lru_cache  # noqa: E402

from ..fokker_planck_nd import noise_symbols  # noqa: E402
from ..symbols import L, eta, x  # noqa: E402

#: The normal draws of the 2-D experiments.
XI2 = noise_symbols(2)

#: Phi' = Phi - eta (grad L + diag(sigma_x, sigma_y) xi) with L(x, y) = L(x) + L(y).
SGD_DIAGONAL_UPDATE = sp.Matrix([-eta * (sp.diff(L(x), x) + sigma_x * XI2[0]),
                                 -eta * (sp.diff(L(y), y) + sigma_y * XI2[1])])


def quadratic_1d() -> sp.Lambda:
    return sp.Lambda(_u, _u**2 / 2)


@lru_cache(maxsize=None)
def separable_double_well_spec():
    """SGD on L(x) + L(y), L the double well, temperatures 1/2 and 1/4, a ladder in eta.

    Shared by the claims about this setting, so that its grids and transfer operators are
    computed once per run.
    """
    from .stationary_nd import StationarySpecND, configurational_temperatures

    obs, stats = configurational_temperatures(double_well()(x) + double_well()(y), (x, y))
    return StationarySpecND(
        label="SGD, separable double well, diagonal noise (T_x = 1/2, T_y = 1/4)",
        update=SGD_DIAGONAL_UPDATE, state=(x, y), draws=XI2, step_time=eta,
        functions={L: double_well()},
        rungs=fixed_temperature_ladder(eta, {sigma_x: 1.0, sigma_y: 0.5}), ladder=eta,
        observables=obs, statistics=stats, budgets=BUDGETS_LADDER, bias="separable",
        domain=((-3.0, 3.0), (-3.0, 3.0)), start=((-1.5, 1.5), (-1.5, 1.5)))


@lru_cache(maxsize=None)
def separable_quadratic_spec():
    """SGD on x^2/2 + y^2/2 at eta = 0.05 with temperatures 1/2 and 1/4 (a linear chain)."""
    from .stationary_nd import StationarySpecND, configurational_temperatures

    obs, stats = configurational_temperatures(quadratic_1d()(x) + quadratic_1d()(y), (x, y))
    h = 0.05
    return StationarySpecND(
        label="SGD, separable quadratic, diagonal noise (T_x = 1/2, T_y = 1/4, eta = 0.05)",
        update=SGD_DIAGONAL_UPDATE, state=(x, y), draws=XI2, step_time=eta,
        functions={L: quadratic_1d()},
        rungs=({eta: h, sigma_x: math.sqrt(1.0 / h), sigma_y: math.sqrt(0.5 / h)},),
        observables=obs, statistics=stats, budgets=BUDGETS_LINEAR, bias="exact-linear",
        domain=((-4.0, 4.0), (-3.0, 3.0)), start=((-1.0, 1.0), (-1.0, 1.0)))
