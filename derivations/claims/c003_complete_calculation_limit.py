"""003, "A Complete Calculation of eta (in One Dimension)": "as t -> oo ... sigma~^t -> sigma > 0, eta^t -> 0".

"As t -> oo we expect g~^t -> 0 and sigma~^t -> sigma > 0 which implies eta^t -> 0."

Derivation: near a minimum the batch gradients have mean ``g -> 0`` and variance ``sigma^2/B``
(``sigma`` the per-example sd, the limit of the slides' ``sigma_hat``); the running averages
of batch means give ``g~ -> 0`` and ``sigma~^2 = s~ - g~^2 -> sigma^2/B``: ``sigma~ -> sigma/sqrt(B)``,
which is ``sigma`` only for ``B = 1``. The implication survives (``sigma/sqrt(B) > 0``, so
``eta^t = g~^2/(32 sigma~^2 L) -> 0``). Compared quantity: the limit of ``sigma~``.

The simulation measures the limit of sigma~ with the parameter held fixed (the averages' own
target; exact, see 003-complete-calculation-bstar) for B = 1 and B = 4, and plots runs of the
algorithm: as stated at B = 1 (eta^t falls roughly like 1/t) and corrected at B = 4 (the
slide's own B = 4 runs break down: 003-complete-algorithm-update).
"""

import sympy as sp

from derivations.experiments.adaptive import FrozenEstimators
from derivations.model import Case, Claim, Comparison, Derivation, Equivalence, Relation, Statement, Step, Verdict
from derivations.mutants import scaled
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import ALGORITHM_SETTING, B, algorithm_values, g, one_d_setup, sigma, source

QUOTE = (r"As  $t \rightarrow \infty$  we expect  $\tilde{g}^t \rightarrow 0$  and  $\tilde{\sigma}^t \rightarrow "
         r"\sigma > 0$  which implies  $\eta^t \rightarrow 0$ .")


def derive(batch: int) -> Derivation:
    limit = sp.sqrt(sigma**2 / B).subs(B, batch)
    steps = (Step("Batch gradients near the minimum: mean g -> 0, variance sigma^2/B; running averages give "
                  "g~ -> 0 and sigma~^2 -> sigma^2/B, so sigma~ ->", limit),
             Step("eta^t = g~^2/(32 sigma~^2 L) -> 0 / (32 sigma^2 L / B) = 0: the implication holds", sp.Integer(0)))
    if batch == 1:
        return Derivation(limit, steps, Comparison(Equivalence.PROVED, "limits of the running averages",
                                                   "for B = 1, sigma~ -> sigma"))
    return Derivation(limit, steps, Comparison(
        Equivalence.REFUTED, "limits of the running averages", f"sigma~ -> sigma/sqrt({batch}), not sigma",
        {"B": str(batch), "sigma": "1", "limit of sigma~": str(limit.subs(sigma, 1))}),
        correction_latex=r"\tilde{\sigma}^t \rightarrow \sigma/\sqrt{B} > 0")


def _experiment(batch: int, kind: int, trajectories) -> FrozenEstimators:
    st = one_d_setup(f"slide's averages, B = {batch}, fixed time constant B/B*", batch, kind)
    return FrozenEstimators(st, (("sigma~", "primary", None), ("g~", "derived", g)), algorithm_values(batch),
                            trajectory=trajectories)


RUN_B1 = one_d_setup("as stated, B = 1, Phi_0 - Phi* = 1 (g = sigma)", 1, GAUSSIAN, offset=1.0, fixed_weight=False)
RUN_B4 = one_d_setup("B = 4, Phi_0 - Phi* = 1", 4, TWO_POINT, offset=1.0, fixed_weight=False).corrected(
    "corrected (B*(t) x B, weight <= 1/2), B = 4, Phi_0 - Phi* = 1")

CLAIM = Claim(
    id="003-complete-calculation-limit",
    title="As t -> oo: g~ -> 0, sigma~ -> sigma > 0, hence eta^t -> 0",
    source=source(r"A Complete Calculation of $\eta$ (in One Dimension)"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("sigma_tilde_limit"), sigma),
                        latex_names=None,
                        parse_note="prose with inline limits; compared as the limit of sigma~ (the "
                                   "implication eta^t -> 0 is checked in the derivation)"),
    setting=ALGORITHM_SETTING,
    assumptions=("the run converges (g -> 0)",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("B = 1", lambda: derive(1), (_experiment(1, GAUSSIAN, (RUN_B1,)),), assumptions=("batch size 1",)),
           Case("B = 4", lambda: derive(4), (_experiment(4, TWO_POINT, (RUN_B4,)),), assumptions=("batch size 4",))),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.CONDITIONAL,
    notes=("sigma~ tends to sigma/sqrt(B), the sd of a batch mean; the conclusion eta^t -> 0 holds either "
           "way (in runs that converge: as stated for B = 1; for B > 1 only with the corrected averages)."),
)
