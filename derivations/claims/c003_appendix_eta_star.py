"""003, "Appendix: Optimizing B and eta": the first-order condition and eta*(B).

The slide minimises the guarantee's right-hand side
``R(eta) = -eta g_hat (g_hat - 2 sigma_hat/sqrt(B)) + (1/2) L eta^2 g_hat^2`` over eta:

    g_hat (g_hat - 2 sigma_hat/sqrt(B)) = L eta g_hat^2,
    eta*(B) = (1/L) (1 - 2 sigma_hat / (g_hat sqrt(B))).

Derivation (sympy): ``dR/deta = 0`` gives the slide's condition and formula, and
``d^2R/deta^2 = L g_hat^2 > 0`` makes it the unconstrained minimum. But the bound was derived
for ``eta >= 0`` (line 3 multiplies an inequality by eta: for eta < 0 it reverses) and holds
on the +- event only for ``g_hat > 0`` (003-progress-guarantee). Hence three cases:

- ``g_hat > 2 sigma_hat/sqrt(B)``: the formula is positive and is the optimum: holds;
- ``0 < g_hat < 2 sigma_hat/sqrt(B)`` (``B < 4 sigma_hat^2/g_hat^2``): the formula is negative,
  outside the bound's domain; on ``eta >= 0`` R increases, so the optimum is ``eta = 0``;
- ``g_hat < 0``: the formula exceeds ``1/L``; the valid (``|g_hat|``) bound's optimum is
  ``(1/L)(1 - 2 sigma_hat/(|g_hat| sqrt(B)))``.

Witnesses: the valid bound minimised numerically over ``eta >= 0`` at points of each case
(deterministic), and simulated batches measuring how often the slide's bound holds at
``eta = eta*(B)`` on the +- event (Monte Carlo).
"""

import sympy as sp

from derivations.batch_theory import (BATCH_SETTING, ETA_STAR_B, LINE2_RHS, LINE3_ABS_RHS, LINE3_RHS,
                                      LOWER_LIMIT, PM_EVENT, B, Lsm, eta, g, ghat, sigmahat)
from derivations.experiments.batch_events import BatchFrequencies, Frequency
from derivations.experiments.optimum import Axis, NumericalOptimum, points
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation,
                               Statement, Step, Verdict)
from derivations.mutants import replaced
from derivations.symbols import real
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import quadratic_setting, source

QUOTE = r"\eta^*(B) = \frac{1}{L} \left( 1 - \frac{2\hat{\sigma}}{\hat{g}\sqrt{B}} \right)"
#: (the slide's preceding first-order condition is reproduced, and checked, in the derivation)
eta_star = sp.Symbol("E", real=True)
ETA_STAR = real(eta_star, r"\eta^*(B)", "the learning rate that optimises the guarantee at batch size B")
C = 2 * sigmahat / sp.sqrt(B)
VALID_CORRECT = (1 - 2 * sigmahat / (sp.Abs(ghat) * sp.sqrt(B))) / Lsm
CORRECTION = (r"\eta^*(B) = \frac{1}{L}\max\left(0,\ 1 - \frac{2\hat{\sigma}}{|\hat{g}|\sqrt{B}}\right)")

CASES = {
    "a": ("g_hat > 2 sigma_hat/sqrt(B)", (("g_hat = 1, sigma_hat = 1, B = 16, L = 1", (1, 1, 16, 1)),
                                          ("g_hat = 2, sigma_hat = 1, B = 9, L = 0.5", (2, 1, 9, 0.5)),
                                          ("g_hat = 0.8, sigma_hat = 0.5, B = 25, L = 2", (0.8, 0.5, 25, 2)))),
    "b": ("0 < g_hat < 2 sigma_hat/sqrt(B)", (("g_hat = 0.3, sigma_hat = 1, B = 16, L = 1", (0.3, 1, 16, 1)),
                                              ("g_hat = 0.5, sigma_hat = 1, B = 4, L = 2", (0.5, 1, 4, 2)))),
    "c": ("g_hat < 0", (("g_hat = -1, sigma_hat = 1, B = 16, L = 1", (-1, 1, 16, 1)),
                        ("g_hat = -2, sigma_hat = 1, B = 9, L = 0.5", (-2, 1, 9, 0.5)))),
}


def _first_order():
    R = LINE3_RHS
    foc = sp.Eq(sp.expand(-sp.diff(R, eta) + Lsm * eta * ghat**2), Lsm * eta * ghat**2)
    sol = sp.solve(sp.diff(R, eta), eta)
    if len(sol) != 1 or sp.simplify(sol[0] - ETA_STAR_B) != 0:
        raise AssertionError(f"unexpected stationary point {sol}")
    return [Step("Objective: line 3 less loss(beta)", R),
            Step("dR/deta = 0 is the slide's condition g_hat(g_hat - 2 sigma_hat/sqrt B) = L eta g_hat^2",
                 sp.Eq(sp.factor(-sp.diff(R, eta) + Lsm * eta * ghat**2), Lsm * eta * ghat**2)),
            Step("Its solution", sp.Eq(eta_star, sp.simplify(sol[0]))),
            Step("d^2R/deta^2 (> 0: a minimum of the bound, i.e. the largest guaranteed decrease)",
                 sp.diff(R, eta, 2))]


def derive(case: str) -> Derivation:
    steps = _first_order()
    if case == "a":
        steps.append(Step("For g_hat > 2 sigma_hat/sqrt(B) it is positive, inside the bound's domain eta >= 0",
                          sp.true))
        return Derivation(ETA_STAR_B, tuple(steps), Comparison(
            Equivalence.PROVED, "first- and second-order conditions (sympy)",
            "the stationary point is the slide's formula, positive in this case"))
    if case == "b":
        at0 = sp.factor(sp.diff(LINE3_RHS, eta).subs(eta, 0))
        steps += [Step("The bound holds for eta >= 0 only; dR/deta at eta = 0 is", at0),
                  Step("positive when 0 < g_hat < 2 sigma_hat/sqrt(B): R increases on eta >= 0; optimum",
                       sp.Integer(0))]
        pt = {ghat: sp.Rational(3, 10), sigmahat: 1, B: 16, Lsm: 1}
        return Derivation(sp.Integer(0), tuple(steps), Comparison(
            Equivalence.REFUTED, "constrained optimum (eta >= 0)",
            f"the formula gives eta*(B) = {ETA_STAR_B.subs(pt)} < 0, outside the bound's domain",
            {"g_hat": "0.3", "sigma_hat": "1", "B": "16", "L": "1",
             "eta*(B) (slide)": str(ETA_STAR_B.subs(pt)), "optimum over eta >= 0": "0"}),
            correction_latex=CORRECTION)
    steps += [Step("For g_hat < 0 the bound holds on the +- event only with |g_hat| (003-progress-"
                   "guarantee); its stationary point", sp.simplify(VALID_CORRECT))]
    pt = {ghat: -1, sigmahat: 1, B: 16, Lsm: 1}
    return Derivation(VALID_CORRECT, tuple(steps), Comparison(
        Equivalence.REFUTED, "optimum of the valid (|g_hat|) bound",
        "the slide's formula exceeds 1/L for g_hat < 0",
        {"g_hat": "-1", "sigma_hat": "1", "B": "16", "L": "1",
         "eta*(B) (slide)": str(ETA_STAR_B.subs(pt)), "optimum of the valid bound": str(VALID_CORRECT.subs(pt))}),
        correction_latex=CORRECTION)


def _deterministic(case: str) -> NumericalOptimum:
    pts = points([(lab, dict(zip((ghat, sigmahat, B, Lsm), map(sp.nsimplify, v)))) for lab, v in CASES[case][1]])
    return NumericalOptimum(LINE3_ABS_RHS, (Axis(eta, 0.0, 4.0),), pts, eta,
                            "argmin over eta >= 0 of the valid bound",
                            name="valid bound minimised numerically")


def _monte_carlo(case: str) -> BatchFrequencies:
    a = {"a": 1.5, "b": 0.25, "c": -1.5}[case]
    given = {"a": sp.And(PM_EVENT, LOWER_LIMIT > 0),
             "b": sp.And(PM_EVENT, ghat > 0, LOWER_LIMIT < 0),
             "c": sp.And(PM_EVENT, ghat < 0)}[case]
    exact = (LOWER_LIMIT - g <= 0) if case == "a" else (LOWER_LIMIT - g >= 0)
    holds = (LINE2_RHS <= LINE3_RHS).subs(eta, ETA_STAR_B)
    freqs = []
    for kind in (GAUSSIAN, TWO_POINT):
        st = quadratic_setting(f"g = {a:g} sigma", a=a, batch=16, kind=kind, L=1.0)
        freqs.append(Frequency(f"P(the slide's bound holds at eta = eta*(B) | +- event, {CASES[case][0]}), "
                               f"{st.label}", st, holds, given, exact))
    return BatchFrequencies(tuple(freqs), name="Monte Carlo batches: the bound at eta*(B)")


CLAIM = Claim(
    id="003-appendix-eta-star",
    title="eta*(B) = (1/L)(1 - 2 sigma_hat/(g_hat sqrt B)) optimises the progress guarantee",
    source=source(r"Appendix: Optimizing $B$ and $\eta$"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(eta_star, ETA_STAR_B),
        latex_names={r"\eta^*(B)": "E", r"\hat{\sigma}": "S", r"\hat{g}": "G"}),
    setting=BATCH_SETTING + (ETA_STAR,),
    assumptions=("eta ranges over eta >= 0 (where the guarantee was derived)",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=tuple(Case(CASES[k][0], (lambda k=k: derive(k)), (_monte_carlo(k), _deterministic(k)),
                     assumptions=(CASES[k][0],)) for k in "abc"),
    mutants=(replaced("factor 2 lost: (1/L)(1 - sigma_hat/(g_hat sqrt B))",
                      (1 - sigmahat / (ghat * sp.sqrt(B))) / Lsm),
             replaced("1/(2L) in place of 1/L", ETA_STAR_B / 2)),
    expected=Verdict.CONDITIONAL,
    notes=("The calculus is right (first- and second-order conditions), and the formula is the "
           "optimal learning rate when g_hat > 2 sigma_hat/sqrt(B). For B < 4 sigma_hat^2/g_hat^2 it is "
           "negative (an uphill step; the optimum over eta >= 0 is 0) and for g_hat < 0 it inherits the "
           "sign error of the guarantee (a step larger than 1/L). Correction: "
           "eta*(B) = (1/L) max(0, 1 - 2 sigma_hat/(|g_hat| sqrt B))."),
)
