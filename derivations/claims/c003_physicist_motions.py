"""003, "Physicist's Proof of the Convergence Theorem": since sum eta_t = oo, arbitrarily large motions remain possible.

The slide: "But since sum_t eta_t = oo, no matter how small the learning rate gets, we
still can make arbitrarily large motions in parameter space." Encoded: started any distance
from the optimum, SGD covers all of it in the limit, F = 1 - lim E[DeltaPhi_t] / DeltaPhi_0
= 1. Derivation (quadratic examples with a common curvature h, E_i g_i = 0): the mean obeys
m_t = DeltaPhi_0 prod_(s <= t)(1 - eta_s h) exactly, and log prod <= -h sum eta_s = -oo, so
F = 1 whenever sum eta_t = oo; if sum eta_t < oo the product stays positive and the motion
is bounded (for eta_t = c/t^2, prod (1 - c/t^2) = sin(pi sqrt c) / (pi sqrt c)).
Simulation: SGD from DeltaPhi_0 = 10 on two examples, the fraction covered after T steps,
with the exact finite product bounding the distance to the limit. The slide's first line,
"Since lim_{t -> 0} eta_t = 0", is a typo for t -> oo (the theorem's own condition); it is
not simulated (see notes).
"""

import sympy as sp

from derivations.experiments.schedules import STEP, MonteCarloMotion, MotionSpec, Schedule
from derivations.experiments.training_sets import pm_one_quadratic_1d
from derivations.model import Case, Claim, Derivation, Relation, Source, Statement, Step, Verdict
from derivations.mutants import scaled
from derivations.symbols import real

#: The sentence opens "But since $\sum_t \eta_t = \infty$ ,"; the quote is its claim, in prose.
QUOTE = ("no matter how small the learning rate gets, we still can make arbitrarily large motions "
         "in parameter space.")
FRACTION = sp.Symbol("F", real=True)
DELTA0 = 10.0
T = 2048
CHAINS = {"quick": 256, "full": 2048}

SCHEDULES = {
    "c/t": Schedule("eta_t = 0.9 / t", sp.Rational(9, 10) / STEP),
    "c/log(t)": Schedule("eta_t = 2 / log(t + 7)", 2 / sp.log(STEP + 7)),
    "c/t^2": Schedule("eta_t = 0.2 / t^2", sp.Rational(1, 5) / STEP**2),
}


def _derive_divergent(key):
    def derive() -> Derivation:
        props = SCHEDULES[key].properties()
        return Derivation(sp.Integer(1), (
            Step(r"E[\Delta\Phi_t] = \Delta\Phi_0 \prod_{s \le t}(1 - \eta_s h) (E_i g_i = 0, common h = 1)",
                 sp.Product(1 - SCHEDULES[key].expr, (STEP, 1, sp.Symbol("T")))),
            Step(r"log \prod \le -h \sum_s \eta_s, and \sum_s \eta_s =", props["sum eta_t"]),
            Step("so the product tends to 0 and the fraction covered is", sp.Integer(1)),
        ))
    return derive


def derive_convergent() -> Derivation:
    s = SCHEDULES["c/t^2"]
    a = sp.sqrt(sp.Rational(1, 5))
    product = sp.simplify(sp.gammasimp(1 / (sp.gamma(1 - a) * sp.gamma(1 + a))))
    fraction = sp.simplify(1 - product)
    return Derivation(fraction, (
        Step(r"\sum_t \eta_t =", s.properties()["sum eta_t"]),
        Step(r"\prod_t (1 - 0.2/t^2) = 1/(\Gamma(1 - a)\Gamma(1 + a)), a^2 = 0.2 (Wendel's limit of the "
             r"finite Gamma ratios), by the reflection formula", product),
        Step("fraction of the initial distance ever covered", fraction),
    ))


def _case(key, derive, assumptions, in_scope=True):
    s = SCHEDULES[key]
    spec = MotionSpec(f"SGD on (Phi -+ 1)^2/2 from Phi* + {DELTA0:g}, {s.label}", pm_one_quadratic_1d(),
                      s, DELTA0, T, {}, CHAINS)
    return Case(key, derive, (MonteCarloMotion(spec, name=f"Monte Carlo: {spec.label}"),),
                assumptions=assumptions, in_scope=in_scope)


CLAIM = Claim(
    id="003-physicist-motions",
    title="With sum eta_t = oo SGD can still move arbitrarily far",
    source=Source("003_874bf7fcc03d5f2a.txt", "Physicist's Proof of the Convergence Theorem", line=69),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(FRACTION, 1), latex_names=None,
        parse_note="prose; encoded as the fraction of any initial distance covered in the limit"),
    setting=(real(FRACTION, "F", "fraction of the initial distance to Phi* covered as t -> oo"),),
    assumptions=("SGD with one example per step; eta_t > 0, eta_t -> 0",
                 "test set (Phi - 1)^2/2, (Phi + 1)^2/2, started 10 from the optimum"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=(
        _case("c/t", _derive_divergent("c/t"), ("sum eta_t = oo",)),
        _case("c/log(t)", _derive_divergent("c/log(t)"), ("sum eta_t = oo",)),
        _case("c/t^2", derive_convergent, ("sum eta_t < oo: outside the premise",), in_scope=False),
    ),
    mutants=(scaled(sp.Rational(1, 2)), scaled(sp.Rational(3, 4))),
    expected=Verdict.HOLDS,
    notes=("Holds: sum eta_t = oo is what lets the iterates reach the optimum from any distance; "
           "with sum eta_t < oo (out of scope) they stop after covering a fixed fraction "
           "(29.8% for 0.2/t^2). The proof's first line, 'Since lim_{t -> 0} eta_t = 0', is a "
           "typo for t -> oo (the theorem's condition; as written, eta_t = c/t gives "
           "lim_{t->0+} = oo); it is recorded, not simulated: a limit of a deterministic "
           "sequence has nothing random to sample."),
    tags=("convergence",),
)
