"""000, "A 2-D Langevin Stationary Distribution": "This is not a Gibbs distribution! It has two different temperature parameters!"

The same proposition as 001's counterexample, in deck 000's words. The derivation solves the
zero-current Fokker-Planck law of SGD with independent coordinates (general L, symbolic
sigma_x, sigma_y) and applies the Gibbs test; the law has the two temperatures
eta sigma_x^2 / 2 and eta sigma_y^2 / 2 (alpha eta sigma^2 with alpha = 1/2) and is Gibbs
only if sigma_x = sigma_y. The simulations measure the configurational temperatures, whose
ratio is 1 for every Gibbs law.
"""

import sympy as sp

from derivations.experiments.settings_nd import (SGD_DIAGONAL_UPDATE, SIGMA_X, SIGMA_Y, XI2, Y,
                                                 separable_quadratic_spec)
from derivations.experiments.stationary_nd import stationary_nd_witnesses
from derivations.fokker_planck_nd import sde_coefficients, zero_current_density
from derivations.gibbs import NOT_GIBBS, gibbs_report
from derivations.model import (Claim, Confidence, Derivation, Reconstruction, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.mutants_nd import fixed
from derivations.symbols import ETA, LOSS, NORMALISER, X, L, Z, eta, sigma_x, sigma_y, x, y

QUOTE = "This is not a Gibbs distribution!\nIt has two different temperature parameters!"


def derive() -> Derivation:
    b, D = sde_coefficients(SGD_DIAGONAL_UPDATE, XI2, eta)
    density, _, _, steps = zero_current_density(b, D, (x, y), Z)
    comparison, gsteps = gibbs_report(density, L(x) + L(y), (x, y), claims_gibbs=False)
    return Derivation(density, (Step("SGD with independent coordinates", sp.Tuple(b, D)),
                                *steps, *gsteps), comparison=comparison)


def _gibbs(T) -> sp.Expr:
    return sp.exp(-(L(x) + L(y)) / T) / Z


CLAIM = Claim(
    id="000-langevin-2d-not-gibbs",
    title="Two temperatures: the independent-coordinates law is not Gibbs",
    source=Source("000_9b52c8c934a61faf.txt", "A 2-D Langevin Stationary Distribution"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=NOT_GIBBS, result=sp.true,
        reconstruction=Reconstruction(note="Clean words in the OCR; a proposition.",
                                      confidence=Confidence.HIGH),
        latex_names=None, parse_note="a proposition in words"),
    setting=(X, Y, ETA, SIGMA_X, SIGMA_Y, NORMALISER, LOSS),
    assumptions=(r"\mathcal{L}(x, y) = \mathcal{L}(x) + \mathcal{L}(y)",
                 r"independent gradient noise, \sigma_x \ne \sigma_y, constant"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=single_case(derive, stationary_nd_witnesses(separable_quadratic_spec())),
    mutants=(fixed("Gibbs at eta sigma_x^2/2", _gibbs(eta * sigma_x**2 / 2)),
             fixed("Gibbs at eta sigma_y^2/2", _gibbs(eta * sigma_y**2 / 2)),
             fixed("Gibbs at eta (sigma_x^2 + sigma_y^2)/4", _gibbs(eta * (sigma_x**2 + sigma_y**2) / 4))),
    expected=Verdict.HOLDS,
    notes="True for sigma_x != sigma_y, which 'two different temperature parameters' presupposes.",
)
