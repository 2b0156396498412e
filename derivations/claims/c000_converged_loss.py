"""000, "Converged Loss as a Function of 7" (eta): L(0) = lim L(eta) = L(Phi*), and L(eta) has a Taylor expansion.

The slide (OCR): "For each value of eta we converge at a loss L(eta). L(0) = lim_{eta->0}
L(eta) = L(Phi*), Phi* a local optimum. Can we do a Taylor expansion of L(eta)?
L(eta) = L(Phi*) + (dL/deta) eta + ...". Two checkable parts: the limit is the optimum's
loss, and the expansion starts with a linear term (L(eta) - L(Phi*) is of order eta, not
eta^(1/2) or eta^2). Encoded as the pair (lim_{eta->0} L(eta) - L(Phi*), order p of
L(eta) - L(Phi*) ~ eta^p) = (0, 1).

Derivation: the stationary second moment is S = eta S_1 + O(eta^2) with S_1 > 0 solving
Hbar S_1 + S_1 Hbar = E_i g_i g_i^T (E_i H_i positive definite), so L(eta) - L(Phi*) =
(1/2) tr(Hbar S) + O(eta^(3/2)) = eta tr(C)/4 + ...: limit 0, order 1. Simulation: the
excess loss on a ladder of eta, extrapolated to 0; and its exponent from doubling pairs.
"""

import sympy as sp

from derivations.experiments.exponents import ExponentSpec, exponent_witnesses
from derivations.experiments.finite_sum_sgd import (FiniteSumBudget, LadderSpec, Statistic,
                                                    ladder_witnesses)
from derivations.experiments.training_sets import nonquadratic_2d, quadratic_2d
from derivations.model import (Case, Claim, Confidence, Derivation, Mutant, Reconstruction,
                               Relation, Source, Statement, Step, Verdict)
from derivations.symbols import positive, real
from derivations.tz import leading_order

QUOTE = ("L(0) = Jn, L(n)\n\n= L(P*) &* alocal optimum\n\nCan we do a Taylor expansion of £(n)?"
         "\n\ndL\n\nL(n) = L(D7) + | .\n=\n\nn+...")
LATEX = (r"\mathcal{L}(0) = \lim_{\eta\to 0}\mathcal{L}(\eta) = \mathcal{L}(\Phi^*),\ \Phi^* \text{ a "
         r"local optimum};\quad \mathcal{L}(\eta) = \mathcal{L}(\Phi^*) + \left.\frac{d\mathcal{L}}"
         r"{d\eta}\right|_{0}\eta + \dots")

LIMIT, ORDER = sp.symbols("ell_0 p", real=True)
BUDGETS = {"quick": FiniteSumBudget(64, 60), "full": FiniteSumBudget(256, 400)}
EXPONENT_BUDGETS = {"quick": FiniteSumBudget(128, 100), "full": FiniteSumBudget(512, 600)}


def derive_for(problem):
    def derive() -> Derivation:
        slope, steps = leading_order(1)
        value = slope.subs(slope.free_symbols.pop(), problem.G2) if slope.free_symbols else slope
        if not value > 0:
            raise ArithmeticError(f"slope {value} must be > 0 for an order-1 expansion")
        return Derivation(sp.Tuple(0, 1), steps + (
            Step(f"This training set: the slope is", value),
            Step(r"So \mathcal{L}(\eta) - \mathcal{L}(\Phi^*) = (slope) \eta + O(\eta^{3/2}) with slope > 0: "
                 r"limit 0, order 1", sp.Tuple(0, 1)),
        ))
    return derive


def _order(factor, label):
    return Mutant(label, lambda d, f=factor: sp.Tuple(d[0], d[1] * f))


def _witnesses(label, problem, etas, eta0):
    return (*ladder_witnesses(LadderSpec(
        label, problem, Statistic("L(eta) - L(Phi*)", problem.excess_loss), etas, {}, BUDGETS,
        limit=True, component=0)),
        *exponent_witnesses(ExponentSpec(label, problem, problem.excess_loss, "L - L(Phi*)", eta0,
                                         {}, EXPONENT_BUDGETS, component=1)))


CASES = (
    Case("quadratic training set", derive_for(quadratic_2d()), _witnesses(
        "SGD, B = 1, four quadratic examples", quadratic_2d(), (0.025, 0.05, 0.1), 0.025)),
    Case("non-quadratic training set", derive_for(nonquadratic_2d()), _witnesses(
        "SGD, B = 1, four examples with cubic and quartic terms", nonquadratic_2d(),
        (0.025, 0.05, 0.075, 0.1), 0.025)),
)

CLAIM = Claim(
    id="000-converged-loss",
    title="L(eta) -> L(Phi*) as eta -> 0, with a first-order Taylor term",
    source=Source("000_9b52c8c934a61faf.txt", "Converged Loss as a Function of 7", line=78),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(sp.Tuple(LIMIT, ORDER), sp.Tuple(0, 1)),
        reconstruction=Reconstruction(
            note=("OCR: 'L(0) = Jn, L(n) = L(P*) &* alocal optimum' is L(0) = lim_{eta->0} L(eta) = "
                  "L(Phi*), Phi* a local optimum ('7' and 'n' are eta throughout this deck); "
                  "'L(n) = L(D7) + | . dL = n+...' is L(eta) = L(Phi*) + (dL/deta)|_0 eta + .... The "
                  "slide asks whether the expansion exists and writes it: encoded as (limit of "
                  "L(eta) - L(Phi*), order of its leading term) = (0, 1)."),
            confidence=Confidence.HIGH),
        latex_names=None, parse_note="a limit and an expansion, encoded as (limit, order)"),
    setting=(real(LIMIT, r"\ell_0", "lim_{eta->0} L(eta) - L(Phi*)"),
             positive(ORDER, "p", "order of the leading term of L(eta) - L(Phi*) in eta", (0.1, 4.0))),
    assumptions=("SGD with one example per step; L(eta) the mean training loss under its "
                 "stationary law near Phi*",
                 "Phi* a local optimum with E_i H_i positive definite (Step 1)"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=CASES,
    mutants=(_order(sp.Rational(1, 2), "order 1/2 (excess ~ the spread ||DeltaPhi||)"),
             _order(2, "order 2 (no linear term)")),
    expected=Verdict.HOLDS,
    notes=("At a degenerate minimum the limit and the order still come out as (0, 1) for a "
           "quartic well (E[L] = T/4 with T ~ eta), only the slope changes (000-tz-theorem)."),
    tags=("tz",),
)
