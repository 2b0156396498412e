"""003, "A Complete Algorithm" (first slide): the per-parameter running averages and sigma~[i].

    g~^{t+1}[i] = (1 - B/B*(t)[i]) g~^t[i] + (B/B*(t)[i]) g^^{t+1}[i],  s~ likewise,
    sigma~^t[i] = sqrt(s~^t[i] - g~^t[i]^2),
    B*(t)[i] = K (t <= K),  lam_B sigma~^t[i]^2 / (g~^t[i]^2 + eps) otherwise.

``sigma~[i]`` is a square root: the slide takes ``s~ - g~^2 >= 0`` for granted. Derivation:
``v = s~ - g~^2`` obeys ``v' = (1 - w) v + w (1 - w)(g^ - g~)^2`` with ``w = B/B*(t)``: it stays
positive while ``w <= 1`` and turns negative at the first step with ``w > 1``, i.e. when
``B*(t) < B``, which the formula produces whenever a coordinate's gradient is strong against
its batch noise (``g~^2/sigma~^2 > lam_B/B``). With two parameters, one weak (g = sigma/4) and
one strong (g = 8 sigma), B = 8, ``lam_B = 16 B``, bounded noise, exact bounds show
``B/B*(K+1) > 1`` on every run, so ``sigma~`` is undefined at ``t = K + 2`` on every run.
Correction: cap the weight, ``w = min(B/B*(t), 1/2)`` (then ``v' >= v/2 > 0``).

Compared quantity: ``P(sigma~^t[i] is defined for all t <= T)``, which the slide takes to be 1.
The simulation runs the averages with the parameters held fixed (the estimators alone),
as stated and corrected. (With the slides' own weights even the weak regime fails on a
fraction of runs: see the record of 003-complete-calculation-bstar.)
"""

import sympy as sp

from derivations.experiments.adaptive import RunOutcome
from derivations.model import Claim, Comparison, Derivation, Equivalence, Relation, Statement, Verdict, single_case
from derivations.mutants import replaced

from ._deck003 import one_sided_2sigma, source, strong_signal_failure_steps, two_parameter_setup

QUOTE = r"\begin{aligned}\tilde{g}^{t+1}[i] &= \left(1 - \frac{B}{B^*(t)[i]}\right) \tilde{g}^t[i] + \frac{B}{B^*(t)[i]} \hat{g}^{t+1}[i] \\ \tilde{s}^{t+1}[i] &= \left(1 - \frac{B}{B^*(t)[i]}\right) \tilde{s}^t[i] + \frac{B}{B^*(t)[i]} \hat{g}^{t+1}[i]^2 \\ \tilde{\sigma}^t[i] &= \sqrt{\tilde{s}^t[i] - \tilde{g}^t[i]^2} \\ B^*(t)[i] &= \begin{cases} K & \text{for } t \leq K \\ \lambda_B \tilde{\sigma}^t[i]^2 / (\tilde{g}^t[i]^2 + \epsilon) & \text{otherwise} \end{cases}\end{aligned}"
CORRECTION = (r"\tilde{g}^{t+1}[i] = (1 - w_t[i])\,\tilde{g}^t[i] + w_t[i]\,\hat{g}^{t+1}[i],\quad "
              r"w_t[i] = \min\left(\frac{B}{B^*(t)[i]}, \frac{1}{2}\right)\ (\text{and likewise } \tilde{s})")


def derive() -> Derivation:
    steps = strong_signal_failure_steps()
    return Derivation(sp.Integer(0), steps, Comparison(
        Equivalence.REFUTED, "exact bounds on the warm-up averages",
        "the weight B/B*(K+1) exceeds 1 on every run, and s~ - g~^2 turns negative",
        {"B": "8", "lam_B": "128", "K": "50", "g (strong parameter)": "8 sigma", "noise": "two-point, bounded",
         "B/B*(K+1) >=": f"{float(steps[4].expr):.3f}"}), correction_latex=CORRECTION)


SETUP = two_parameter_setup("as stated: parameters g = (sigma/4, 8 sigma), B = 8, lam_B = 16 B")
CLAIM = Claim(
    id="003-complete-algorithm-averages",
    title="sigma~^t[i] = sqrt(s~^t[i] - g~^t[i]^2) stays defined (per-parameter averages)",
    source=source("A Complete Algorithm"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("P_defined"), 1), result=sp.Integer(1),
                        latex_names=None,
                        parse_note="an aligned block of definitions; compared as the probability that sigma~[i] "
                                   "is defined (s~ >= g~^2) at every step, which the square root takes to be 1"),
    setting=(),
    assumptions=("the weight B/B*(t)[i] as written (no cap)",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, [RunOutcome(SETUP, SETUP.corrected("corrected: weight <= 1/2 (and eta capped)", scale_bstar=False),
                                          freeze=True, name="Monte Carlo: the averages alone (parameters fixed)")],
                      name="a strong-gradient parameter (B/B*(t) > 1)"),
    mutants=(one_sided_2sigma(), replaced("defined on half the runs", sp.Rational(1, 2))),
    expected=Verdict.ERRATUM,
    notes=("Whenever B*(t)[i] < B the weight exceeds 1 and s~ - g~^2 turns negative at the next step: "
           "sigma~[i] is undefined and every later quantity is NaN. It happens for any parameter whose "
           "gradient is strong against its batch noise, and (with the 1-D slide's lam_B = 16) on a "
           "fraction of runs even in the weak regime. Capping the weight at 1/2 keeps s~ - g~^2 > 0."),
)
