"""003, "Deriving Learning Rates": eta_B = (B / B*) eta* from the linear scaling rule.

    eta_B = B eta_1,  eta* = B* eta_1,  eta_1 = eta* / B*,  eta_B = (B / B*) eta*

Derivation: eliminate ``eta_1`` from the rule at ``B`` and at ``B*`` (sympy ``solve``):
``eta_B = (B/B*) eta*``. The algebra is exact; what it inherits is the rule's first-order
nature: ``B*/B`` steps of batch ``B`` at ``eta_B`` match one step of batch ``B*`` at ``eta*`` in
mean displacement and spread as the rates go to 0, with an ``O(eta)`` error at finite rates.
At ``eta* = 1/(2L)`` (the rate the deck derives) the ``B*/B = 4`` small steps on a quadratic of
curvature ``L`` move the parameter 0.83 times as far as the one large step, with 0.70 times
its variance.

The simulation runs ``B*/B = 4`` batch-4 steps at ``eta_B`` against one batch-16 step at
``eta*`` on the same examples (two-point skewed noise, quadratic loss), extrapolates the
displacement and spread ratios to ``eta* -> 0``, and measures them at ``eta* = 1/(2L)``.
"""

import sympy as sp

from derivations.experiments.step_scaling import ScalingRatios, StepPair
from derivations.model import Claim, Derivation, Mutant, Relation, Statement, Step, Verdict, single_case
from derivations.symbols import Phi, positive
from numerics.batch_noise import TWO_POINT

from ._deck003 import source

QUOTE = (r"\eta_B = B \eta_1$$" "\n\n" r"$$\eta^* = B^* \eta_1$$" "\n\n" r"$$\eta_1 = \frac{\eta^*}{B^*}$$" "\n\n"
         r"$$\eta_B = \frac{B}{B^*} \eta^*")
eta1, etaB, etas = sp.symbols("eta_1 eta_B eta_star", positive=True)
Bs, Bst = sp.symbols("B B_star", positive=True)
SETTING = (positive(Bs, "B", "batch size", (1.0, 100.0)),
           positive(Bst, "B^*", "optimal batch size", (10.0, 1000.0)),
           positive(etas, r"\eta^*", "learning rate at B*", (1e-3, 1.0)))
B_SMALL, B_STAR, L = 4, 16, 1.0


def derive() -> Derivation:
    rule_b, rule_star = sp.Eq(etaB, Bs * eta1), sp.Eq(etas, Bst * eta1)
    e1 = sp.solve(rule_star, eta1)[0]
    result = sp.solve(rule_b.subs(eta1, e1), etaB)[0]
    return Derivation(result, (Step("The linear rule at B and at B*", sp.And(rule_b, rule_star)),
                               Step("Solve the second for eta_1", sp.Eq(eta1, e1)),
                               Step("Substitute in the first", sp.Eq(etaB, result)),
                               Step("The rule itself is first order in the rate (003-scaling-eta-linear-rule): "
                                    "so is this transfer from B* to B", sp.true)))


N = B_STAR // B_SMALL
PAIR = StepPair(f"{N} batch-{B_SMALL} steps at eta_B vs one batch-{B_STAR} step at eta*, quadratic loss "
                "Phi^2/2 at Phi = 1, two-point skewed noise", L * Phi, Phi, 1.0, 1.0, TWO_POINT,
                b=B_SMALL, n=N, k=float(N))


def exact_ratios(eta_small: float) -> tuple[float, float]:
    c = 1 - eta_small * L
    return (1 - c**N) / (N * eta_small * L), N * sum(c ** (2 * i) for i in range(N)) / N**2


def _multiple(h) -> float:
    """eta* / eta_B under hypothesis h: the number of small steps that matches the big one."""
    return 1.0 / float(sp.sympify(h).subs({etas: 1, Bs: B_SMALL, Bst: B_STAR}))


CLAIM = Claim(
    id="003-deriving-learning-rates",
    title="eta_B = (B/B*) eta*, from eta_B = B eta_1 at B and at B*",
    source=source("Deriving Learning Rates"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(etaB, Bs / Bst * etas), latex_names=None,
                        parse_note="four displayed equations; the last, eta_B = (B/B*) eta*, is compared"),
    setting=SETTING,
    assumptions=("the linear scaling rule eta_B = B eta_1 (first order in the rate)",),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [ScalingRatios(PAIR, (0.005, 0.01, 0.015), multiple=_multiple,
                                             exact=exact_ratios, finite=(1 / (2 * L) / N,))]),
    mutants=(Mutant("square-root transfer sqrt(B/B*) eta*", lambda d: sp.sqrt(Bs / Bst) * etas),
             Mutant("(B/B*)^2 eta*", lambda d: (Bs / Bst) ** 2 * etas)),
    expected=Verdict.HOLDS,
    notes=("Exact algebra on top of a first-order rule. At the deck's eta* = 1/(2L), B*/B = 4 small "
           "steps at eta_B move 0.83 times as far as the single B* step (variance 0.70 times): the "
           "transfer is accurate only while eta* L is small."),
)
