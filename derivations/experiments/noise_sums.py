"""The gradient-noise sums of the SGD SDE: N SGD steps over Delta t = N eta, measured.

The decks' "SGD SDE" argument: over N steps, with the gradient's law constant over the
interval, ``Phi_{i+N} - Phi_i = -eta N g - eta sum_j (ghat_j - g)``; with ``Delta t = N eta``
the drift is ``-g Delta t`` and the noise sum, approximately Gaussian for large N, has
variance ``eta^2 N Sigma = eta Sigma Delta t``: the noise term ``sqrt(eta) eps sqrt(Delta t)``,
``eps ~ N(0, Sigma)``.

The witness is SGD on a training set whose per-example gradients are constants
``c_i`` (losses ``c_i Phi``): the gradient's law is then exactly the same at every ``Phi``,
which is the slides' condition ("N small enough that Phi_{i+N} ~ Phi_i", "the mean
gradient approximately constant over the interval"). On a ladder of ``eta`` at fixed
``Delta t`` it measures the drift and the variance against the formula (exact at every
rung), the exponent of the spread in ``eta`` (1/2), and the Gaussian limit: the
increment's excess kurtosis is exactly ``kappa_c / N = kappa_c eta / Delta t`` (cumulants
of independent sums add), linear in ``eta``, so its extrapolation to 0 carries no curvature.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .ladder import LadderExperiment, LadderObservable, kurt_stat, mean_stat, sd_stat, var_stat
from .sgd_flow import TrainingSet

__all__ = ["CONSTANT_GRADIENTS", "NOISE_QUANTITIES", "noise_quantity_parameters", "noise_sum_witness",
           "gradient_law"]

#: Eight examples with constant gradients c_i (losses c_i Phi): seven at 0.2 and one at 3, so
#: one example's gradient is far from Gaussian (excess kurtosis 3.14, skewness 2.27) and the
#: Gaussian limit of the sums is visible on the ladder.
CONSTANT_GRADIENTS = tuple(sp.Rational(v) for v in "0.2 0.2 0.2 0.2 0.2 0.2 0.2 3".split())

NOISE_QUANTITIES = {
    "drift_ratio": (r"E\Delta\Phi / (-g\Delta t)", "mean increment over the formula's -g Delta t"),
    "var_ratio": (r"\mathrm{Var}\,\Delta\Phi / (\eta\Sigma\Delta t)", "variance of the increment over eta Sigma Delta t"),
    "b_eta": ("b", "exponent of the increment's spread in eta at fixed Delta t"),
    "kurt_limit": (r"\kappa", "excess kurtosis of the increment as eta -> 0"),
    "inc_var_limit": (r"\lim_{\eta\to 0}\mathrm{Var}\,\Delta\Phi", "variance of the increment as eta -> 0"),
}


def noise_quantity_parameters(keys=tuple(NOISE_QUANTITIES)) -> tuple:
    from ..tables import declare

    return tuple(declare(k, *NOISE_QUANTITIES[k]) for k in keys)


def gradient_law(values=CONSTANT_GRADIENTS) -> dict[str, sp.Rational]:
    """Mean ``g``, variance ``Sigma`` and excess kurtosis ``kappa`` of the per-example gradients."""
    n = len(values)
    g = sum(values) / n
    sig = sum((c - g) ** 2 for c in values) / n
    m4 = sum((c - g) ** 4 for c in values) / n
    return {"g": g, "Sigma": sig, "kappa": m4 / sig**2 - 3}


def noise_sum_witness(dt: float, steps: tuple[int, ...], budgets: dict, keys=tuple(NOISE_QUANTITIES),
                      values=CONSTANT_GRADIENTS, phi0: float = 0.0) -> LadderExperiment:
    """SGD on the constant-gradient training set, increments over ``Delta t = N eta``."""
    from ..symbols import Phi

    data = TrainingSet("constant per-example gradients c_i (losses c_i Phi)",
                       tuple(c * Phi for c in values), Phi)
    law = {k: float(v) for k, v in gradient_law(values).items()}

    def simulate(eta, paths, seed):
        n = int(round(dt / eta))
        return data.simulate(np.full(n, eta), phi0, paths, seed) - phi0

    stats = {
        "drift_ratio": LadderObservable("drift_ratio", "mean increment / (-g Delta t)", "pooled",
                                        mean_stat(transform=lambda m, h: m / (-law["g"] * dt))),
        "var_ratio": LadderObservable("var_ratio", "Var increment / (eta Sigma Delta t)", "pooled",
                                      var_stat(per=lambda h: h * law["Sigma"] * dt)),
        "b_eta": LadderObservable("b_eta", "sd of the increment", "exponent", sd_stat(), correction=0.0,
                                  correction_note="exact: Var = eta Sigma Delta t at every eta"),
        "kurt_limit": LadderObservable("kurt_limit", "excess kurtosis of the increment", "limit", kurt_stat(),
                                       curvature=0.0,
                                       correction_note="exact: kappa_c eta / Delta t is linear in eta"),
        "inc_var_limit": LadderObservable("inc_var_limit", "Var of the increment", "limit", var_stat(),
                                          curvature=0.0,
                                          correction_note="exact: eta Sigma Delta t is linear in eta"),
    }
    setup = {"process": f"SGD on {data.label}", "c_i": [str(c) for c in values],
             "g": law["g"], "Sigma": law["Sigma"], "kappa_c": law["kappa"], "Delta t": dt,
             "N": list(steps)}
    return LadderExperiment(f"Monte Carlo: N = Delta t / eta SGD steps, constant-gradient examples", "eta",
                            tuple(dt / n for n in steps), simulate, tuple(stats[k] for k in keys),
                            budgets, setup, steps_per_replicate=lambda eta: int(round(dt / eta)))
