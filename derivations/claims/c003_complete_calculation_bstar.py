"""003, "A Complete Calculation of eta (in One Dimension)" (first slide): sigma~ and B*(t).

    g~^{t+1} = (1 - B/B*(t)) g~^t + (B/B*(t)) g^^{t+1},  s~ likewise with (g^^{t+1})^2,
    sigma~^t = sqrt(s~^t - (g~^t)^2),
    B*(t) = K (t <= K),  16 (sigma~^t)^2 / ((g~^t)^2 + eps) otherwise.

``B*(t)`` is meant to estimate ``B* = 16 sigma_hat^2 / g_hat^2`` of "Optimizing B and eta",
where ``sigma_hat`` is the sd of *per-example* gradients (and the previous slide asks for
``sigma_hat_B*``). Derivation: the averages run over batch gradients ``g^`` (batch means), with
mean ``g`` and variance ``sigma^2/B``; so ``g~ -> g``, ``s~ -> g^2 + sigma^2/B`` and
``sigma~^2 -> sigma^2/B``, the variance of a batch *mean*. Hence
``B*(t) -> 16 sigma^2 / (B (g^2 + eps)) = B*/B``: right for ``B = 1``, ``B`` times too small
otherwise. The weight ``B/B*(t)`` is then ``B^2/B*`` instead of ``B/B*`` (a window ``B`` times
shorter than intended), and it exceeds 1, breaking the averages, as soon as ``B*(t) < B``
(003-complete-algorithm-averages). Correction: ``B*(t) = 16 B (sigma~^t)^2/((g~^t)^2 + eps)``.

The simulation holds the parameter fixed and runs the averages with the slide's time
constant (weight ``B/B*``) over independent chains; the limits are exact (the weight the zero
start still carries is divided out), so the plug-in value of the slide's B*(t) is compared
with ``B*`` (what it should estimate) and ``B*/B`` (what it does).
"""

import sympy as sp

from derivations.experiments.adaptive import FrozenEstimators
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Statement, Step,
                               Verdict)
from derivations.mutants import scaled
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import ALGORITHM_SETTING, B, algorithm_values, epsilon, g, one_d_setup, sigma, source

QUOTE = r"B^*(t) = \begin{cases} K & \text{for } t \leq K \\ 16(\tilde{\sigma}^t)^2 / ((\tilde{g}^t)^2 + \epsilon) & \text{otherwise} \end{cases}"
TARGET = 16 * sigma**2 / (g**2 + epsilon)  # B* (per-example sd), what B*(t) should estimate
CORRECTION = r"B^*(t) = 16B(\tilde{\sigma}^t)^2 / ((\tilde{g}^t)^2 + \epsilon)\quad (t > K)"


def derive(batch: int) -> Derivation:
    m1, m2 = g, g**2 + sigma**2 / B
    sig2 = sp.simplify(m2 - m1**2)
    limit = sp.simplify(16 * sig2 / (m1**2 + epsilon)).subs(B, batch)
    steps = (Step("A batch gradient is the mean of B per-example gradients: E g^ = g, E g^^2 =", m2),
             Step("Running averages of g^ and g^^2 tend to those moments; sigma~^2 -> (the variance of a batch mean)", sig2),
             Step(f"so B*(t) -> 16 sigma~^2/(g~^2 + eps) at B = {batch}:", limit),
             Step("while B* (per-example sd, as 'Optimizing B and eta' defines it) is", TARGET))
    if batch == 1:
        return Derivation(limit, steps, Comparison(Equivalence.PROVED, "limits of the running averages",
                                                   "for B = 1 a batch mean is one example: sigma~ estimates sigma"))
    return Derivation(limit, steps, Comparison(
        Equivalence.REFUTED, "limits of the running averages",
        f"B*(t) estimates B*/B (B = {batch}): sigma~^2 is the variance of a batch mean, sigma^2/B",
        {"B": str(batch), "sigma": "1", "g": "1/4", "B*": "256", "limit of B*(t)": str(256 // batch)}),
        correction_latex=CORRECTION)


def _experiment(batch: int, kind: int) -> FrozenEstimators:
    st = one_d_setup(f"slide's averages, B = {batch}, fixed time constant B/B*", batch, kind)
    m1, m2 = g, g**2 + sigma**2 / B
    obs = (("B*(t)", "primary", None), ("g~", "derived", m1), ("s~", "derived", m2),
           ("sigma~^2", "derived", m2 - m1**2))
    extra = ((st.corrected(f"corrected B*(t) = 16 B sigma~^2/(g~^2 + eps), B = {batch}"), "B*(t)", TARGET),) \
        if batch > 1 else ()
    return FrozenEstimators(st, obs, algorithm_values(batch), extra)


CLAIM = Claim(
    id="003-complete-calculation-bstar",
    title="B*(t) = 16 sigma~^2/(g~^2 + eps) as the running estimate of B* (1-D)",
    source=source(r"A Complete Calculation of $\eta$ (in One Dimension)"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("Bstar_t_limit"), TARGET),
                        result=TARGET, latex_names=None,
                        parse_note="a definition with \\begin{cases}; compared as the value B*(t) settles at "
                                   "(what it estimates), which the slides intend to be B* = 16 sigma^2/(g^2 + eps)"),
    setting=ALGORITHM_SETTING,
    assumptions=("the parameter does not move (the estimators' own target)",
                 "sigma: sd of per-example gradients; g^: mean of B of them"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("B = 1", lambda: derive(1), (_experiment(1, GAUSSIAN),), assumptions=("batch size 1",)),
           Case("B = 4", lambda: derive(4), (_experiment(4, TWO_POINT),), assumptions=("batch size B > 1",))),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.CONDITIONAL,
    notes=("sigma~ is the sd of batch means (sigma/sqrt B), not of per-example gradients, so B*(t) "
           "estimates B*/B: right only for B = 1. Corrected: B*(t) = 16 B sigma~^2/(g~^2 + eps), whose "
           "limit is measured to be B*."),
)
