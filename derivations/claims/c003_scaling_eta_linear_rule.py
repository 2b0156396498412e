"""003, "Scaling eta" (second slide): eta_2 = 2 eta_1, and in general eta_B = B eta_1.

"Two updates with B = 1 at learning rate eta_1 is the same as one update at B = 2 and
learning rate 2 eta_1", hence ``eta_B = B eta_1``.

Derivation: ``B`` batch-1 steps give ``Phi_B = Phi_0 - eta_1 sum_j F(Phi_j, x_j)``, which
equals ``Phi_0 - eta_1 sum_j F(Phi_0, x_j) + O(eta_1^2) = Phi_0 - B eta_1 g_hat_B + O(eta_1^2)``
(the previous slide's step, repeated): one batch-B step at rate ``B eta_1`` matches the mean
displacement to first order. The spread matches too: ``B`` steps add variance
``B eta_1^2 sigma^2`` and one batch-B step ``eta_B^2 sigma^2 / B``; equal iff ``eta_B = B eta_1``
(sympy solves both). So the rule holds as a small-eta statement. Its error is second order:
on a quadratic of curvature h the displacement ratio is ``(1 - (1 - eta_1 h)^B)/(B eta_1 h) =
1 - (B-1) eta_1 h / 2 + ...``, e.g. 0.83 at ``B eta_1 h = 1/2`` with B = 4.

The simulation compares B = 4 batch-1 steps with one batch-4 step (same examples,
Student-t noise, quadratic loss) on a ladder of eta_1 and extrapolates the displacement and
spread ratios to eta_1 -> 0; at two finite rates it measures the ratios against their exact
values (the rule's error as a function of eta).
"""

import sympy as sp

from derivations.experiments.step_scaling import ScalingRatios, StepPair
from derivations.model import Claim, Derivation, Mutant, Relation, Statement, Step, Verdict, single_case
from derivations.symbols import Phi, positive
from numerics.batch_noise import STUDENT_T

from ._deck003 import source

QUOTE = r"\eta_2 = 2\eta_1, \quad \eta_B = B\eta_1"
eta1 = sp.Symbol("eta_1", positive=True)
etaB = sp.Symbol("eta_B", positive=True)
Bs = sp.Symbol("B", positive=True)
sig = sp.Symbol("sigma", positive=True)
ETA1 = positive(eta1, r"\eta_1", "learning rate at batch size 1", (1e-3, 1.0))
BATCH = positive(Bs, "B", "batch size", (1.0, 1000.0))
BATCH_N, CURV = 4, 1.0


def derive() -> Derivation:
    F = sp.Function("F", real=True)
    xs = sp.symbols("x1:4", real=True)
    phi = Phi
    for x in xs:  # three batch-1 steps, to show the pattern
        phi = phi - eta1 * F(phi, x)
    series = sp.series(phi, eta1, 0, 2).removeO().doit()
    first = Phi - eta1 * sum(F(Phi, x) for x in xs)
    if sp.simplify(series - first) != 0:
        raise AssertionError(f"unexpected first-order term {series}")
    var_eq = sp.Eq(etaB**2 * sig**2 / Bs, Bs * eta1**2 * sig**2)
    sol = sp.solve(var_eq, etaB)
    if sol != [Bs * eta1]:
        raise AssertionError(f"unexpected solution {sol}")
    h = sp.Symbol("h", positive=True)
    ratio = (1 - (1 - eta1 * h) ** BATCH_N) / (BATCH_N * eta1 * h)
    steps = (Step("Three batch-1 steps, to first order in eta_1 (sympy series)", sp.Eq(sp.Symbol("Phi_3"), series)),
             Step("= Phi_0 - 3 eta_1 g_hat_3: one batch-3 step at 3 eta_1; in general B eta_1", sp.true),
             Step("Spread: B steps add B eta_1^2 sigma^2, one batch-B step eta_B^2 sigma^2/B; equal iff", var_eq),
             Step("whose positive solution is", sp.Eq(etaB, sol[0])),
             Step("Second order (quadratic, curvature h, B = 4): displacement ratio", sp.series(ratio, eta1, 0, 3)))
    return Derivation(Bs * eta1, steps)


PAIR = StepPair("B = 4 batch-1 steps vs one batch-4 step, quadratic loss Phi^2/2 at Phi = 1, Student-t noise",
                CURV * Phi, Phi, 1.0, 1.0, STUDENT_T, b=1, n=BATCH_N, k=float(BATCH_N))


def exact_ratios(eta: float) -> tuple[float, float]:
    c = 1 - eta * CURV
    r1 = (1 - c**BATCH_N) / (BATCH_N * eta * CURV)
    r2 = BATCH_N * sum(c ** (2 * i) for i in range(BATCH_N)) / BATCH_N**2
    return r1, r2


CLAIM = Claim(
    id="003-scaling-eta-linear-rule",
    title="eta_B = B eta_1: B batch-1 steps ~ one batch-B step at B times the rate",
    source=source(r"Scaling $\eta$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(etaB, Bs * eta1), latex_names=None,
                        parse_note="two equations separated by \\quad; the general one, eta_B = B eta_1, "
                                   "is compared"),
    setting=(ETA1, BATCH),
    assumptions=("eta_1 small (a first-order statement: the previous slide's '~')",),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [ScalingRatios(
        PAIR, (0.01, 0.02, 0.03), multiple=lambda h: float(sp.sympify(h).subs({eta1: 1, Bs: BATCH_N})),
        exact=exact_ratios, finite=(0.05, 0.125))]),
    mutants=(Mutant("square-root scaling eta_B = sqrt(B) eta_1", lambda d: sp.sqrt(Bs) * eta1),
             Mutant("no scaling eta_B = eta_1", lambda d: eta1)),
    expected=Verdict.HOLDS,
    notes=("Holds to first order in eta_1, for both the mean displacement and the spread (a "
           "square-root rule would match neither). Its relative error is about (B-1) eta_1 h/2: "
           "0.17 at B eta_1 h = 1/2 (the rate 1/(2L) the deck uses for eta*) with B = 4."),
)
