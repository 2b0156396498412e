"""001, "The SGD SDE, A Counter Example": "This is not Gibbs."

The proposition is about the law the slide has just derived for a separable loss with
constant diagonal noise. The derivation solves the zero-current Fokker-Planck equation of
SGD in that setting (general L, symbolic sigma_x, sigma_y) and applies the Gibbs test: the
minor d_x ln p d_y L - d_y ln p d_x L = 2 L'(x) L'(y) (1/(eta sigma_y^2) - 1/(eta sigma_x^2))
vanishes only when sigma_x = sigma_y. The slide's two symbols sigma_x, sigma_y (and the
words "counter example") mean sigma_x != sigma_y, which the simulations use.

The numeric test of "not Gibbs" does not need a temperature: every Gibbs law exp(-L/T)
has equal configurational temperatures T_x = E[(d_x L)^2]/E[d_xx L] = T_y for any T and
any L, so T_x/T_y = 1 is what *all* Gibbs laws predict; the Gibbs mutants must be rejected.
"""

import sympy as sp

from derivations.experiments.settings_nd import (SGD_DIAGONAL_UPDATE, SIGMA_X, SIGMA_Y, XI2, Y,
                                                 separable_quadratic_spec)
from derivations.experiments.stationary_nd import stationary_nd_witnesses
from derivations.fokker_planck_nd import sde_coefficients, zero_current_density
from derivations.gibbs import NOT_GIBBS, gibbs_report
from derivations.model import (Claim, Derivation, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.mutants_nd import fixed, substituted
from derivations.symbols import ETA, LOSS, NORMALISER, X, L, Z, eta, sigma_x, sigma_y, x, y

QUOTE = "This is not Gibbs."


def derive() -> Derivation:
    b, D = sde_coefficients(SGD_DIAGONAL_UPDATE, XI2, eta)
    density, _, _, steps = zero_current_density(b, D, (x, y), Z)
    comparison, gsteps = gibbs_report(density, L(x) + L(y), (x, y), claims_gibbs=False)
    return Derivation(density, (
        Step("SGD with diagonal constant noise: drift and diffusion per unit time",
             sp.Tuple(b, D)), *steps, *gsteps), comparison=comparison)


def _gibbs(T) -> sp.Expr:
    return sp.exp(-(L(x) + L(y)) / T) / Z


CLAIM = Claim(
    id="001-counterexample-not-gibbs",
    title="The counterexample's law is not Gibbs (two temperatures)",
    source=Source("001_f7b24b47ec34203a.txt", "The SGD SDE, A Counter Example"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=NOT_GIBBS, result=sp.true,
                        latex_names=None,
                        parse_note="a proposition in words; encoded as the Gibbs test's outcome"),
    setting=(X, Y, ETA, SIGMA_X, SIGMA_Y, NORMALISER, LOSS),
    assumptions=(r"\mathcal{L}(x, y) = \mathcal{L}(x) + \mathcal{L}(y)",
                 r"\sigma(\Phi) = diag(\sigma_x, \sigma_y) constant, \sigma_x \ne \sigma_y",
                 r"Gibbs means exp(-\mathcal{L}/T)/Z with one constant T"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=single_case(derive, stationary_nd_witnesses(separable_quadratic_spec())),
    mutants=(fixed("Gibbs at eta sigma_x^2/2", _gibbs(eta * sigma_x**2 / 2)),
             fixed("Gibbs at eta sigma_y^2/2", _gibbs(eta * sigma_y**2 / 2)),
             fixed("Gibbs at eta (sigma_x^2 + sigma_y^2)/4", _gibbs(eta * (sigma_x**2 + sigma_y**2) / 4)),
             substituted("temperatures swapped", {sigma_x: sigma_y, sigma_y: sigma_x})),
    expected=Verdict.HOLDS,
    notes=("True whenever sigma_x != sigma_y (the slide's setting); for sigma_x = sigma_y the same "
           "law is Gibbs. The law has zero probability current (detailed balance holds) and is "
           "still not Gibbs: zero current and Gibbs are different properties."),
)
