"""The sqrt(N)-block argument for SGD -> gradient flow, as quantities one can measure.

The decks split N = t/eta SGD steps into sqrt(N) blocks of sqrt(N) steps. Within the first
block, exactly, ``Phi_sqrtN - Phi_0 = -eta sqrt(N) gbar`` where ``gbar`` is the block's
average of the sampled gradients. Expanding ``g(Phi_k)`` about ``Phi_0`` along the block
(``Phi_k - Phi_0 ~ -eta k g``) and adding the sampling noise:

    E gbar = g(Phi_0) (1 - (1/2) g'(Phi_0) eta sqrt(N)) + O(eta^2 N),
    Var gbar = Sigma(Phi_0) / sqrt(N) + O(eta),

so with ``N = t / eta`` the block's time ``eta sqrt(N) = sqrt(t eta) -> 0``, the ratio
``R = (Phi_sqrtN - Phi_0) / (-eta sqrt(N) g(Phi_0)) = gbar / g(Phi_0)`` tends to 1 like
``sqrt(eta)``, and the block average stops being stochastic: ``sd gbar ~ sqrt(Sigma)
(eta / t)^(1/4)``, an exponent 1/4 in eta.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .ladder import LadderExperiment, LadderObservable, mean_stat, sd_stat
from .sgd_flow import TrainingSet

__all__ = ["BLOCK_QUANTITIES", "block_quantity_parameters", "block_table", "block_witness"]

BLOCK_QUANTITIES = {
    "ratio_limit": (r"\lim (\Phi_{\sqrt N} - \Phi_0) / (-\eta\sqrt N g)", "limit of the first block's displacement over -eta sqrt(N) g"),
    "ratio_slope": (r"\kappa", "(E R - 1) / (eta sqrt N) as eta -> 0"),
    "c_sd": (r"c", "exponent: sd of the block-average gradient ~ eta^c"),
    "sd_coef": (r"s", "lim sd(block-average gradient) / eta^(1/4)"),
}


def block_quantity_parameters() -> tuple:
    from ..tables import declare

    return tuple(declare(k, *v) for k, v in BLOCK_QUANTITIES.items())


def block_table(data: TrainingSet, phi0: float, t: float):
    """The derived table at ``Phi_0 = phi0`` (module docstring), and the derivation steps."""
    from ..model import Step
    from ..tables import table

    x = data.state
    g, sig = data.mean_gradient, data.noise_variance
    g0 = g.subs(x, sp.Rational(str(phi0)))
    g1 = sp.diff(g, x).subs(x, sp.Rational(str(phi0)))
    s0 = sig.subs(x, sp.Rational(str(phi0)))
    if g0 == 0 or s0 == 0:
        raise ValueError(f"g({phi0}) = {g0}, Sigma({phi0}) = {s0}: the ratio needs g != 0, the spread Sigma > 0")
    eta, N, k, tt = sp.symbols("eta N k t", positive=True)
    block_time = sp.limit(eta * sp.sqrt(tt / eta), eta, 0)
    drift = sp.summation(k, (k, 0, sp.sqrt(N) - 1))  # sum of k over the block
    steps = (
        Step("With N = t/eta the block's time eta sqrt(N) = sqrt(t eta); its limit as eta -> 0",
             sp.Eq(sp.Symbol(r"\lim \eta\sqrt{N}"), block_time)),
        Step("Exactly: Phi_sqrtN - Phi_0 = -eta sqrt(N) gbar, gbar the block's mean sampled gradient"),
        Step("Along the block Phi_k - Phi_0 ~ -eta k g, so sum_k g(Phi_k) ~ sqrt(N) g - eta g' g sum_k k, "
             "with sum_{k < sqrt N} k", sp.Eq(sp.Symbol("sum k"), sp.expand(drift))),
        Step("Hence E R = 1 - (1/2) g'(Phi_0) eta sqrt(N) + O(eta); slope kappa = -g'(Phi_0)/2",
             sp.Eq(sp.Symbol(r"\kappa"), -g1 / 2)),
        Step("Var gbar = Sigma(Phi_0) / sqrt(N) = Sigma(Phi_0) (eta/t)^(1/2): sd ~ eta^(1/4), coefficient",
             sp.Eq(sp.Symbol("s"), sp.sqrt(s0) / sp.Rational(str(t)) ** sp.Rational(1, 4))),
    )
    if block_time != 0:
        raise ArithmeticError(f"eta sqrt(t/eta) -> {block_time}, not 0")
    result = table(ratio_limit=1, ratio_slope=-g1 / 2, c_sd=sp.Rational(1, 4),
                   sd_coef=sp.sqrt(s0) / sp.Rational(str(t)) ** sp.Rational(1, 4))
    return result, steps


def block_witness(data: TrainingSet, phi0: float, t: float, squares: tuple[int, ...], budgets: dict):
    """Monte Carlo on the ladder ``eta = t / N`` (``N`` perfect squares): the first block only."""
    g0 = float(data.mean_gradient.subs(data.state, phi0))
    for n in squares:
        if math.isqrt(n) ** 2 != n:
            raise ValueError(f"N={n} is not a perfect square; the argument needs sqrt(N) blocks")

    def simulate(eta, paths, seed):
        n = int(round(t / eta))
        block = math.isqrt(n)
        end = data.simulate(np.full(block, eta), phi0, paths, seed)
        return (end - phi0) / (-eta * block)  # the block-average sampled gradient

    observables = (
        LadderObservable("ratio_limit", "R = (Phi_sqrtN - Phi_0) / (-eta sqrt(N) g)", "limit",
                         mean_stat(transform=lambda m, h: m / g0), limit_power=0.5),
        LadderObservable("ratio_slope", "(E R - 1) / (eta sqrt N)", "limit",
                         mean_stat(transform=lambda m, h: (m / g0 - 1) / math.sqrt(t * h)), limit_power=0.5),
        LadderObservable("c_sd", "sd of the block-average gradient", "exponent", sd_stat(),
                         correction_power=0.5),
        LadderObservable("sd_coef", "sd of the block-average gradient / eta^(1/4)", "limit",
                         sd_stat(per=lambda h: h**0.25), limit_power=0.5),
    )
    setup = {"process": f"the first sqrt(N) steps of SGD on {data.label}", "Phi_0": phi0, "t": t,
             "N": list(squares), "g(Phi_0)": g0}
    return LadderExperiment(f"Monte Carlo: first block of SGD on {data.label}", "eta",
                            tuple(t / n for n in squares), simulate, observables, budgets, setup,
                            steps_per_replicate=lambda eta: math.isqrt(int(round(t / eta))))
