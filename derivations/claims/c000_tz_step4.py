"""000, "Proof Step 4 (TZ)": (1/4) lim_{eta->0} E E_i ||g_i + H_i DeltaPhi||^2 = (1/4) E_i ||g_i||^2.

The slide (OCR) differentiates Step 3's L(eta) = L(Phi*) + (eta/4) E E_i ||g_i + H_i
DeltaPhi||^2 at eta = 0 and takes the limit inside: the slope is (1/4) lim E E_i ||g_i + H_i
DeltaPhi||^2 = (1/4) E_i ||g_i||^2. Derivation: E E_i ||g_i + H_i DeltaPhi||^2 = E_i ||g_i||^2
+ 2 E_i[g_i^T H_i] E[DeltaPhi] + tr(E_i[H_i^2] S); with E_i H_i positive definite both
E[DeltaPhi] and S = E[DeltaPhi DeltaPhi^T] vanish as eta -> 0, which is what the limit
needs (and d/deta [eta f(eta)] at 0 = f(0) needs f continuous at 0, which this gives).
Simulation: (1/4) E E_i ||g_i + H_i DeltaPhi||^2 on a ladder of eta, extrapolated to 0.
"""

import sympy as sp

from derivations.experiments.finite_sum_sgd import (FiniteSumBudget, LadderSpec, Statistic,
                                                    ladder_witnesses)
from derivations.experiments.training_sets import nonquadratic_2d, quadratic_2d
from derivations.model import (Case, Claim, Confidence, Derivation, Reading, Reconstruction,
                               Relation, Source, Statement, Step, Verdict)
from derivations.mutants import scaled
from derivations.symbols import real
from derivations.tz import G2, G2_PARAMETER

QUOTE = "— lim Eagp~p. E; H(gi—kH,,;ACI))HQ\n4 n—0 '\n\n1 9\n7 B Il"
LATEX = (r"\frac{1}{4}\lim_{\eta\to 0} E_{\Delta\Phi\sim p_\eta} E_i\|g_i + H_i\Delta\Phi\|^2 = "
         r"\frac{1}{4} E_i \|g_i\|^2")

LIMIT = sp.Symbol("M_0", real=True)
BUDGETS = {"quick": FiniteSumBudget(64, 60), "full": FiniteSumBudget(256, 400)}


def derive_for(problem):
    def derive() -> Derivation:
        m = sp.Matrix(sp.symbols("m_1 m_2", real=True))
        S = sp.Matrix(2, 2, lambda a, b: sp.Symbol(f"s_{min(a, b) + 1}{max(a, b) + 1}", real=True))
        expectation = sp.expand(sum(
            (gi.T * gi)[0] + 2 * (gi.T * Hi * m)[0] + (Hi * Hi * S).trace()
            for gi, Hi in zip(problem.g, problem.H)) / problem.n)
        limit = expectation.subs({**{v: 0 for v in m}, **{v: 0 for v in S}})
        result = sp.nsimplify(limit / 4)
        if sp.simplify(limit - problem.G2) != 0:
            raise ArithmeticError(f"limit {limit} differs from E_i||g_i||^2 = {problem.G2}")
        return Derivation(G2 / 4, (
            Step(r"E E_i\|g_i + H_i\Delta\Phi\|^2 in terms of m = E\Delta\Phi and S = E\Delta\Phi"
                 r"\Delta\Phi^T, for this training set", expectation),
            Step(r"E_i H_i positive definite: m, S \to 0 as \eta \to 0 (S = O(\eta), m = O(\eta)); "
                 r"the limit is E_i\|g_i\|^2 =", limit),
            Step(r"one quarter of it, (1/4) E_i\|g_i\|^2 with E_i\|g_i\|^2 =", result),
        ))
    return derive


def _spec(label, problem, etas):
    return LadderSpec(label, problem, Statistic("(1/4) E E_i ||g_i + H_i DeltaPhi||^2",
                                                problem.model_gradient_norm / 4),
                      etas, {G2: float(problem.G2)}, BUDGETS, limit=True)


CASES = (
    Case("quadratic training set", derive_for(quadratic_2d()), ladder_witnesses(_spec(
        "SGD, B = 1, four quadratic examples", quadratic_2d(), (0.025, 0.05, 0.1)))),
    Case("non-quadratic training set", derive_for(nonquadratic_2d()), ladder_witnesses(_spec(
        "SGD, B = 1, four examples with cubic and quartic terms", nonquadratic_2d(),
        (0.025, 0.05, 0.075, 0.1)))),
)

CLAIM = Claim(
    id="000-tz-step4",
    title="Step 4: (1/4) lim E E_i ||g_i + H_i DeltaPhi||^2 = (1/4) E_i ||g_i||^2",
    source=Source("000_9b52c8c934a61faf.txt", "Proof Step 4 (TZ)", line=152),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(LIMIT, G2 / 4),
        reconstruction=Reconstruction(
            note=("OCR: '— lim Eagp~p. E; H(gi—kH,,;ACI))HQ' over '4 n—0' with a '1' above is "
                  "(1/4) lim_{eta->0} E_{DeltaPhi~p_eta} E_i ||g_i + H_i DeltaPhi||^2; the last "
                  "line '1 9 / 7 B Il' is (1/4) E_i ||g_i||^2 (the fraction 1/4 read as '1 9' "
                  "over '7'). The reading without the factor 1/4 is checked too."),
            confidence=Confidence.MEDIUM,
            alternatives=(Reading("no factor 1/4", r"\frac14\lim E E_i\|g_i + H_i\Delta\Phi\|^2 = "
                                  r"E_i\|g_i\|^2", G2, "the last line without its fraction"),)),
        latex_names=None, parse_note="a limit of expectations; encoded by its value"),
    setting=(G2_PARAMETER, real(LIMIT, "M_0", "(1/4) lim E E_i ||g_i + H_i DeltaPhi||^2")),
    assumptions=("Step 3's L(eta) = L(Phi*) + (eta/4) E E_i||g_i + H_i DeltaPhi||^2",
                 "E_i H_i positive definite (Step 1): the stationary law concentrates at Phi*"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=CASES,
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
    notes=("The limit needs E[DeltaPhi] -> 0 and E[DeltaPhi DeltaPhi^T] -> 0, i.e. the stationary "
           "law concentrating at Phi*, which a positive definite E_i H_i gives."),
    tags=("tz",),
)
