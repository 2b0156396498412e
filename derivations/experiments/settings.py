"""Standard test problems shared by claims: losses and temperature-preserving ladders.

The double well ``L(x) = (x^2 - 1)^2 / 4`` is the non-quadratic loss of the benchmark
workload (issue 3): two minima at +-1, a barrier of height 1/4 at 0. At temperature
``T = 1/4`` its stationary law is far from Gaussian (mass on both wells and across the
barrier) while relaxation stays fast (about 5.3 time units, from the spectral gap).
"""

from __future__ import annotations

import math

import sympy as sp

__all__ = ["double_well", "quadratic", "fixed_temperature_rungs", "sgd_stationary_witnesses",
           "TEMPERATURE", "ETA_LADDER"]

_u = sp.Symbol("u", real=True)

#: Temperature of the stationary-law experiments, ``T = eta sigma^2 / 2`` for SGD.
TEMPERATURE = 0.25
#: Learning rates of the ladder: small enough that the O(eta) bias is ~1 %, three rungs.
ETA_LADDER = (0.01, 0.02, 0.03)


def double_well() -> sp.Lambda:
    return sp.Lambda(_u, (_u**2 - 1) ** 2 / 4)


def quadratic(curvature: float = 1.0) -> sp.Lambda:
    return sp.Lambda(_u, sp.nsimplify(curvature) * _u**2 / 2)


def fixed_temperature_rungs(step: sp.Symbol, noise: sp.Symbol, noise_variance_times_step: float,
                            steps=ETA_LADDER) -> tuple[dict, ...]:
    """Rungs ``{step: h, noise: sqrt(c / h)}``: ``h * noise^2 = c`` stays fixed as ``h -> 0``.

    For SGD ``x' = x - eta (L' + sigma xi)`` the continuous-time limit is the SDE with
    diffusion ``eta sigma^2``; holding ``eta sigma^2`` fixed while ``eta -> 0`` approaches that
    SDE at fixed temperature, which is the limit the slides' stationary laws describe.
    """
    return tuple({step: h, noise: math.sqrt(noise_variance_times_step / h)} for h in steps)


def sgd_stationary_witnesses(update: sp.Expr, state: sp.Symbol, step: sp.Symbol, noise: sp.Symbol,
                             loss_symbol: sp.FunctionClass) -> tuple:
    """Monte Carlo and transfer-operator witnesses of SGD's stationary law on both test losses.

    ``update`` is the SGD step in sympy (``-eta (L'(x) + sigma xi)`` or the slide's own form);
    the ladder keeps ``eta sigma^2 = 2 T`` fixed.
    """
    from .stationary_1d import MonteCarloBudget, StationarySpec1D, stationary_witnesses

    budgets = {"quick": MonteCarloBudget(2000, 8), "full": MonteCarloBudget(20000, 16)}
    out = []
    for label, loss in (("SGD on the double well (x^2-1)^2/4", double_well()),
                        ("SGD on the quadratic x^2/2", quadratic())):
        out += stationary_witnesses(StationarySpec1D(
            label=label, update=update, state=state, functions={loss_symbol: loss},
            rungs=fixed_temperature_rungs(step, noise, 2 * TEMPERATURE), ladder=step,
            observables=(state**2, state**4), budgets=budgets))
    return tuple(out)
