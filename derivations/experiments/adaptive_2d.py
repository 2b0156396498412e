"""The Langevin-adaptive update Phi <- Phi - eta Sigma(Phi)^{-1} g_hat in two dimensions.

A general symmetric positive definite gradient-noise covariance is written through the
Cholesky factor of its inverse, ``Sigma^{-1} = A A^T`` with ``A = [[a11, 0], [a21, a22]]``
(``a11, a22 > 0``): every SPD matrix has exactly one such factor, so derivations in the
symbols ``a11, a21, a22`` are fully general. The gradient noise ``g_hat - g = A^{-T} xi``
(``xi ~ N(0, I)``) has covariance ``Sigma``, and the adaptive step is

    Phi' = Phi - eta A A^T grad L - eta A xi                      (Sigma constant),
    Phi' = Phi - eta A A^T grad L / s - eta A xi / sqrt(s)        (Sigma(Phi) = s(Phi) Sigma),

the second with a state-dependent noise level ``s(Phi) > 0`` that grows away from the
minimum, as the gradient noise of linear regression does (``s`` a polynomial, so that the
kernels take it as data through their rational "modulation"; the steps stay bounded, so the
explicit chain is stable everywhere). The simulations use the tilted quadratic ``L = lambda Phi^T H Phi
/ 2`` with the correlated ``SIGMA_CORR`` (not commuting with ``H``), and ``lambda = 2 eta``
so that the stated law ``exp(-2 L / eta) = exp(-Phi^T H Phi / 2 / (1/4))`` keeps one shape
along a ladder; the drift moves ``eta lambda`` per step, which is the ladder's variable.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..symbols import eta, positive, real, x, y
from ..model import Parameter
from .stationary_1d import MonteCarloBudget
from .settings_nd import (BUDGETS_LINEAR, H_TILTED, L2, SIGMA_CORR, XI2,
                          function2)

__all__ = ["a11", "a21", "a22", "lam", "h_step", "k", "A_SYM", "SIGMA_INV", "PARAMETERS",
           "K_PARAMETER", "ADAPTIVE_UPDATE", "MODULATED_UPDATE", "A_VALUES", "tilted_loss",
           "K_PROFILE", "adaptive_linear_spec", "adaptive_modulated_spec", "gibbs_statistics",
           "CURRENTS"]

a11 = sp.Symbol("a_11", positive=True)
a22 = sp.Symbol("a_22", positive=True)
a21 = sp.Symbol("a_21", real=True)
lam = sp.Symbol("lambda", positive=True)
h_step = sp.Symbol("h", positive=True)  # eta * lambda: the drift's step, the ladder variable
#: The noise level: Sigma(Phi) = k(Phi) Sigma.
k = sp.Function("k", positive=True)

A_SYM = sp.Matrix([[a11, 0], [a21, a22]])
SIGMA_INV = A_SYM * A_SYM.T
PHI = sp.Matrix([x, y])
GRAD_L = sp.Matrix([sp.diff(L2(x, y), x), sp.diff(L2(x, y), y)])

PARAMETERS: tuple[Parameter, ...] = (
    positive(a11, "a_{11}", "Cholesky factor of Sigma^{-1}", (0.5, 2.0)),
    real(a21, "a_{21}", "Cholesky factor of Sigma^{-1}", (-1.0, 1.0)),
    positive(a22, "a_{22}", "Cholesky factor of Sigma^{-1}", (0.5, 2.0)),
)
K_PARAMETER = function2(k, "k", "state-dependent noise level, Sigma(Phi) = k(Phi) Sigma",
                        positive_values=True)

ADAPTIVE_UPDATE = -eta * SIGMA_INV * GRAD_L - eta * A_SYM * sp.Matrix(XI2)
MODULATED_UPDATE = (-eta * SIGMA_INV * GRAD_L / k(x, y)
                    - eta * A_SYM * sp.Matrix(XI2) / sp.sqrt(k(x, y)))

_A0 = SIGMA_CORR.inv().cholesky(hermitian=False)
#: Numbers for a11, a21, a22: the Cholesky factor of SIGMA_CORR^{-1}.
A_VALUES = {a11: float(_A0[0, 0]), a21: float(_A0[1, 0]), a22: float(_A0[1, 1])}
#: k(Phi) = (1 + |Phi|^2 / 2)^2: the noise's variance grows away from the minimum.
K_PROFILE = sp.Lambda((sp.Symbol("u"), sp.Symbol("v")),
                      (1 + (sp.Symbol("u") ** 2 + sp.Symbol("v") ** 2) / 2) ** 2)


def tilted_loss() -> sp.Lambda:
    """``L2(u, v) = lambda [u, v] H [u, v]^T / 2`` with the tilted Hessian."""
    u, v = sp.symbols("u v", real=True)
    q = sp.Matrix([u, v])
    return sp.Lambda((u, v), lam * (q.T * H_TILTED * q)[0] / 2)


def gibbs_statistics():
    """Configurational temperatures of ``Phi^T H Phi / 2`` (lambda = 1 units) and the circulation.

    In units of ``L0 = Phi^T H Phi / 2``: the stated law exp(-2 L / eta) = exp(-L0 / (eta / (2
    lambda))) has temperature 1/4 when lambda = 2 eta. The circulation of the stationary current
    (0 under detailed balance) is measured beside them.
    """
    from .stationary_nd import CIRCULATION, configurational_temperatures

    obs, stats = configurational_temperatures((PHI.T * H_TILTED * PHI)[0] / 2, (x, y), pooled=True)
    return obs, stats + (CIRCULATION[1],)


#: The rotation field G = (-y, x): its current functional is the circulation.
CURRENTS = {"circulation": (-y, x)}


#: The fitted-curvature ladder pays ~5 se of bias twice: more chains than the other ladders.
BUDGETS_MODULATED = {"quick": MonteCarloBudget(800, 4), "full": MonteCarloBudget(8000, 16)}


def _rung(e: float) -> dict:
    return {eta: e, lam: 2 * e, h_step: 2 * e * e, **A_VALUES}


@lru_cache(maxsize=None)
def adaptive_linear_spec():
    """Constant correlated Sigma, tilted quadratic: a linear chain (exact bias removal)."""
    from .stationary_nd import StationarySpecND

    obs, stats = gibbs_statistics()
    return StationarySpecND(
        label="adaptive SGD, constant correlated Sigma, tilted quadratic (eta = 0.1, lambda = 0.2)",
        update=ADAPTIVE_UPDATE, state=(x, y), draws=XI2, step_time=eta * lam,
        functions={L2: tilted_loss()}, rungs=(_rung(0.1),), observables=obs, statistics=stats,
        currents=CURRENTS,
        budgets=BUDGETS_LINEAR, bias="exact-linear", domain=((-4.5, 4.5), (-4.5, 4.5)), grid_cells=64)


@lru_cache(maxsize=None)
def adaptive_modulated_spec():
    """Sigma(Phi) = k(Phi) SIGMA_CORR: a nonlinear chain on a ladder of eta (lambda = 2 eta)."""
    from .stationary_nd import StationarySpecND

    obs, stats = gibbs_statistics()
    return StationarySpecND(
        label="adaptive SGD, Sigma(Phi) = (1 + |Phi|^2/2)^2 Sigma, tilted quadratic",
        update=MODULATED_UPDATE, state=(x, y), draws=XI2, step_time=eta * lam,
        functions={L2: tilted_loss(), k: K_PROFILE},
        modulation=(K_PROFILE(x, y), -1, -sp.Rational(1, 2)),
        rungs=tuple(_rung(e) for e in (0.07, 0.1, 0.1225)), ladder=h_step, currents=CURRENTS,
        observables=obs, statistics=stats, budgets=BUDGETS_MODULATED, bias="ladder",
        relaxation_time=4.0,
        relaxation_note=("the drift -Sigma^{-1} grad L / k relaxes at rate >= 1.29 / k, with 1.29 the "
                         "smallest eigenvalue of Sigma^{-1} H and k <= 4 where 95 % of the law lies "
                         "(|Phi| < 1.4): 4 time units is a conservative relaxation time"),
        domain=((-4.5, 4.5), (-4.5, 4.5)), grid_cells=64)

