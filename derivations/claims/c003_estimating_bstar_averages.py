"""003, "Estimating g_hat_B* and sigma_hat_B*": running averages with a time constant of B* examples.

"We can estimate g_hat_B* and sigma_hat_B* using a running average with a time constant
corresponding to B*." With batches of B examples that is a weight B/B* per batch.

Derivation: at a fixed parameter a batch gradient has mean ``g`` and variance ``sigma^2/B``;
running averages of ``g^`` and ``g^^2`` tend to ``g`` and ``g^2 + sigma^2/B``. So
``g~ -> g`` (estimating ``g_hat_B*``, whose mean is ``g``) and the per-example variance that
``sigma_hat_B*^2`` estimates is recovered as ``B (s~ - g~^2) -> sigma^2``: the statement holds,
*provided* the batch-mean variance is scaled by B. The deck's next slides take
``sigma~ = sqrt(s~ - g~^2)`` without that factor (003-complete-calculation-bstar): the mutant
"no factor B" below is what they compute.

Compared quantity: the limit of the running estimate of ``sigma_hat_B*^2``; claimed (and
derived) ``sigma^2``. The simulation holds the parameter fixed and runs the averages with the
weight B/B* (exact limits; heavy-tailed and skewed noise).
"""

import sympy as sp

from derivations.experiments.adaptive import FrozenEstimators
from derivations.model import Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation, Statement, Step, Verdict
from derivations.mutants import scaled
from numerics.batch_noise import STUDENT_T, TWO_POINT

from ._deck003 import ALGORITHM_SETTING, B, algorithm_values, g, one_d_setup, sigma, source

QUOTE = (r"We can estimate  $\hat{g}_{B^*}$  and  $\hat{\sigma}_{B^*}$  using a running average with a time "
         r"constant corresponding to  $B^*$ .")


def derive() -> Derivation:
    m1, m2 = g, g**2 + sigma**2 / B
    limit = sp.simplify(B * (m2 - m1**2))
    return Derivation(limit, (
        Step("Batch gradients at a fixed parameter: E g^ = g, E g^^2 =", m2),
        Step("running averages (weight B/B*) tend to these moments: g~ -> g, the mean of g_hat_B*", g),
        Step("and B (s~ - g~^2) -> (the per-example variance, which sigma_hat_B*^2 estimates)", limit)),
        Comparison(Equivalence.PROVED, "limits of the running averages",
                   "running averages recover g and sigma^2, the latter from the batch-mean variance times B"))


def _experiment(batch: int, kind: int) -> FrozenEstimators:
    st = one_d_setup(f"running averages, B = {batch}, time constant B* examples (weight B/B*)", batch, kind)
    return FrozenEstimators(st, (("B sigma~^2", "primary", None), ("g~", "derived", g)), algorithm_values(batch))


def _case(batch: int, kind: int, label: str) -> Case:
    return Case(label, derive, (_experiment(batch, kind),), assumptions=(label,))


CLAIM = Claim(
    id="003-estimating-bstar-averages",
    title="Running averages with a time constant of B* estimate g_hat_B* and sigma_hat_B*",
    source=source(r"Estimating $\hat{g}_{B^*}$ and $\hat{\sigma}_{B^*}$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("sigma_hat_Bstar_sq_limit"), sigma**2),
                        latex_names=None,
                        parse_note="prose; compared as the limit of the running estimate of sigma_hat_B*^2 "
                                   "(the per-example variance sigma^2)"),
    setting=ALGORITHM_SETTING,
    assumptions=("the parameter does not move", "the running average of g^^2 is corrected by g~^2 and scaled by B"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(_case(4, STUDENT_T, "B = 4, Student-t noise"), _case(8, TWO_POINT, "B = 8, two-point noise")),
    mutants=(Mutant("no factor B: s~ - g~^2 -> sigma^2/B (the next slides' sigma~^2)", lambda d: sigma**2 / B),
             scaled(2)),
    expected=Verdict.HOLDS,
    notes=("True with the right average: g~ estimates the mean g of g_hat_B*, and B (s~ - g~^2) the "
           "per-example variance. The next slides omit the factor B (see 003-complete-calculation-bstar)."),
)
