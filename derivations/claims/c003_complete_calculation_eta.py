"""003, "A Complete Calculation of eta (in One Dimension)" (second slide): eta^t.

    eta^t = 0 (t <= K),  (g~^t)^2 / (32 (sigma~^t)^2 L) otherwise.

It is meant to compute ``eta_B = B g_hat^2 / (32 sigma_hat^2 L)`` ("Optimizing B and eta")
from the running averages. Derivation: the averages run over batch means, so ``g~ -> g`` and
``sigma~^2 -> sigma^2/B`` (003-complete-calculation-bstar); hence
``eta^t -> g^2 / (32 (sigma^2/B) L) = B g^2 / (32 sigma^2 L) = eta_B`` for every B: the missing
factor B of the formula is supplied by ``sigma~^2`` being a batch-mean variance. (The two
slides are consistent with each other only for B = 1: this formula is right *because*
sigma~ is not the per-example sd that B*(t) needs.)

The simulation holds the parameter fixed, runs the averages with the slide's time constant
and compares the plug-in value of eta^t with eta_B, for B = 1 and B = 4.
"""

import sympy as sp

from derivations.experiments.adaptive import FrozenEstimators
from derivations.model import Case, Claim, Comparison, Derivation, Equivalence, Relation, Statement, Step, Verdict
from derivations.mutants import scaled
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import ALGORITHM_SETTING, B, Lsm, algorithm_values, g, one_d_setup, sigma, source

QUOTE = (r"\eta^t = \begin{cases} 0 & \text{for } t \leq K \\ \frac{(\tilde{g}^t)^2}{32(\tilde{\sigma}^t)^2 L} "
         r"& \text{otherwise} \end{cases}")
ETA_B = B * g**2 / (32 * sigma**2 * Lsm)


def derive(batch: int) -> Derivation:
    limit = sp.simplify(g**2 / (32 * (sigma**2 / B) * Lsm))
    if sp.simplify(limit - ETA_B) != 0:
        raise AssertionError("limit differs from eta_B")
    return Derivation(ETA_B.subs(B, batch), (
        Step("g~ -> g and sigma~^2 -> sigma^2/B (running averages of batch means)", sp.Tuple(g, sigma**2 / B)),
        Step("so eta^t -> g^2/(32 sigma~^2 L) =", limit),
        Step("which is eta_B = B g^2/(32 sigma^2 L) of 'Optimizing B and eta'", ETA_B)),
        Comparison(Equivalence.PROVED, "limits of the running averages",
                   "the batch-mean variance sigma~^2 = sigma^2/B supplies the factor B"))


def _experiment(batch: int, kind: int) -> FrozenEstimators:
    st = one_d_setup(f"slide's averages, B = {batch}, fixed time constant B/B*", batch, kind)
    return FrozenEstimators(st, (("eta^t", "primary", None), ("sigma~^2", "derived", sigma**2 / B)),
                            {**algorithm_values(batch)})


CLAIM = Claim(
    id="003-complete-calculation-eta",
    title="eta^t = g~^2/(32 sigma~^2 L) computes eta_B = B g^2/(32 sigma^2 L)",
    source=source(r"A Complete Calculation of $\eta$ (in One Dimension)"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("eta_t_limit"), ETA_B), result=ETA_B,
                        latex_names=None,
                        parse_note="a definition with \\begin{cases}; compared as the value eta^t settles at, "
                                   "which the slides intend to be eta_B"),
    setting=ALGORITHM_SETTING,
    assumptions=("the parameter does not move (the estimator's own target)",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("B = 1", lambda: derive(1), (_experiment(1, GAUSSIAN),), assumptions=("batch size 1",)),
           Case("B = 4", lambda: derive(4), (_experiment(4, TWO_POINT),), assumptions=("batch size 4",))),
    mutants=(scaled(sp.Rational(1, 4), "x 1/4 (eta_1 = g^2/(32 sigma^2 L) at B = 4)"), scaled(2)),
    expected=Verdict.HOLDS,
    notes=("Right for every B, because sigma~^2 estimates the variance of a batch mean, sigma^2/B; the "
           "same fact makes B*(t) on the previous slide B times too small for B > 1. The per-step eta^t "
           "fluctuates around the target (window of B* examples: g~ has relative sd ~ 1/sqrt(32)); "
           "quantiles are in the record."),
)
