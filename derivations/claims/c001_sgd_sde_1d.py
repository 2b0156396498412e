"""001, "The SGD SDE in One Dimension": constant gradient noise gives a Gibbs law at temperature eta sigma^2 / 2.

The slide: "In one dimension, if the gradient noise sigma(Phi) is constant, then the SGD
SDE has the same form as Langevin dynamics and we get p(x) = (1/Z) exp(-2 L(x) / (eta
sigma^2))". The derivation starts from the SGD update itself, x' = x - eta (L'(x) + sigma
xi), takes its per-step mean and variance, and solves the zero-flux Fokker-Planck
equation. The simulations run that update on a ladder of eta at fixed eta sigma^2.
"""

import sympy as sp

from derivations.experiments.settings import sgd_stationary_witnesses
from derivations.fokker_planck import XI, zero_flux_density_1d
from derivations.model import (Claim, Derivation, Relation, Source, Statement, Verdict,
                               single_case)
from derivations.mutants import temperature_scaled
from derivations.symbols import ETA, LOSS, NORMALISER, SIGMA, X, L, Z, eta, sigma, x

p = sp.Function("p")

QUOTE = r"p(x) = \frac{1}{Z} \exp\left(\frac{-2\mathcal{L}(x)}{\eta\sigma^2}\right)"

#: One SGD step with additive Gaussian gradient noise of constant standard deviation sigma.
SGD_UPDATE = -eta * (sp.diff(L(x), x) + sigma * XI)


def derive() -> Derivation:
    density, steps = zero_flux_density_1d(SGD_UPDATE, x, Z, step_name="SGD step")
    return Derivation(density, steps)


CLAIM = Claim(
    id="001-sgd-sde-1d",
    title="SGD in one dimension with constant gradient noise: Gibbs at temperature eta sigma^2/2",
    source=Source("001_f7b24b47ec34203a.txt", "The SGD SDE in One Dimension"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(p(x), sp.exp(-2 * L(x) / (eta * sigma**2)) / Z),
        latex_names={r"\mathcal{L}": "L"}),
    setting=(X, ETA, SIGMA, NORMALISER, LOSS),
    assumptions=("one parameter x",
                 r"gradient noise of constant standard deviation \sigma (the slide's condition)",
                 r"SGD step x' = x - \eta \hat g with \hat g = \mathcal{L}'(x) + \sigma\xi, \xi \sim N(0,1)"),
    relation=Relation.DENSITY,
    variables=(x,),
    cases=single_case(derive, sgd_stationary_witnesses(SGD_UPDATE, x, eta, sigma, L)),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
)
