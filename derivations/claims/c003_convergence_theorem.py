"""003, "The Classical Convergence Theorem": eta_t > 0, eta_t -> 0, sum eta_t = oo => the training loss converges.

The slide cites Bertsekas and Tsitsiklis, "Neuro-Dynamic Programming", Prop. 3.5, whose
conclusion holds with probability 1 and whose step sizes also satisfy sum eta_t^2 < oo;
the slide drops that condition. The statement is read in the cited sense: almost surely
L(Phi_t) -> L(Phi*) (the parenthesis: Phi converges to a local optimum). Encoded by a
consequence with a number: a.s. convergence implies that the probability of an excursion
L(Phi_t) - L(Phi*) >= 1/8 somewhere in the window (T, 2T] tends to 0 as T -> oo.

Derivation (on L_i = (Phi -+ 1)^2 / 2, SGD one example per step): the noise part of
Phi_t is a weighted sum of independent +-1 terms. For eta_t = c/t and c/sqrt(t), Hoeffding
and a union over the window give a bound that is summable over dyadic windows, so the
excursions stop (Borel-Cantelli): limit 0. For eta_t = c/log t (c = 2) a run of r equal
examples reaches Phi >= 1/2 from anywhere; r grows only like ln 4 ln T / c, so runs occur
in every window with probability -> 1 (exponent 1 - ln 4 ln 2 / c > 0), and by the second
Borel-Cantelli lemma excursions recur forever: limit 1, no almost-sure convergence, although
E[L(Phi_t)] - L(Phi*) ~ eta_t / 4 -> 0 (convergence in mean and in probability hold).
Simulation: the excursion frequency in (T, 2T] over independent chains, with rigorous
bounds on its distance to the limit; and the mean excess at 2T against the exact moment
recursion. Outside the slide's conditions, eta_t = c/t^2 (sum eta_t < oo) started far away
freezes: the loss converges, but not to L(Phi*).
"""

import math

import sympy as sp

from derivations.experiments.schedules import (STEP, ExcursionSpec, MonteCarloExcursion,
                                               Schedule)
from derivations.experiments.training_sets import pm_one_quadratic_1d
from derivations.model import (Case, Claim, Derivation, Mutant, Relation, Source, Statement, Step,
                               Verdict)
from derivations.symbols import real

#: The slide's conditions, verbatim; its conclusion follows in prose ("we have that the
#: training loss of Phi converges (in practice Phi converges to a local optimum of training
#: loss)"), which the encoding carries.
QUOTE = (r"\eta_t > 0 \quad \text{and} \quad \lim_{t \rightarrow \infty} \eta_t = 0 \quad "
         r"\text{and} \quad \sum_t \eta_t = \infty,")
CORRECTION = (r"\eta_t > 0,\ \lim_{t\to\infty}\eta_t = 0,\ \sum_t \eta_t = \infty,\ "
              r"\sum_t \eta_t^2 < \infty \ \Rightarrow\ \mathcal{L}(\Phi_t) \text{ converges almost "
              r"surely; without } \sum_t\eta_t^2 < \infty \text{ only in mean and in probability}")

P_EXC = sp.Symbol("P_exc", real=True)
LEVEL = 0.125
T = 2048
CHAINS = {"quick": 256, "full": 2048}

SCHEDULES = {
    "c/t": Schedule("eta_t = 0.75 / t", sp.Rational(3, 4) / STEP),
    "c/sqrt(t)": Schedule("eta_t = 0.5 / sqrt(t)", sp.Rational(1, 2) / sp.sqrt(STEP)),
    "c/log(t)": Schedule("eta_t = 2 / log(t + 7)", 2 / sp.log(STEP + 7)),
    "c/t^2": Schedule("eta_t = 0.2 / t^2", sp.Rational(1, 5) / STEP**2),
}


def _property_steps(schedule: Schedule) -> tuple[Step, ...]:
    props = schedule.properties()
    return (Step(f"Schedule {schedule.label}: lim eta_t, sum eta_t, sum eta_t^2, lim eta_t log t",
                 sp.Tuple(*props.values())),)


def _derive_hoeffding(key):
    def derive() -> Derivation:
        s = SCHEDULES[key]
        return Derivation(sp.Integer(0), _property_steps(s) + (
            Step(r"\Phi_t = m_t + \sum_s w_{s,t} a_s with independent a_s = \pm 1 and "
                 r"\sum_s w_{s,t}^2 = v_t = Var \Phi_t = O(\eta_t); Hoeffding: P(|\Phi_t| \ge 1/2) \le "
                 r"2 exp(-(1/2 - |m_t|)^2 / (2 v_t)), and eta_t log t -> 0 makes the union over "
                 r"(T, 2T] summable over dyadic T: by Borel-Cantelli only finitely many "
                 r"excursions. Limit of the excursion probability:", sp.Integer(0)),))
    return derive


def derive_log() -> Derivation:
    s = SCHEDULES["c/log(t)"]
    c = sp.Integer(2)
    exponent = sp.simplify(1 - sp.log(4) * sp.log(2) / c)
    return Derivation(sp.Integer(1), correction_latex=CORRECTION, steps=_property_steps(s) + (
        Step(r"A run of r draws of the same example from any \Phi \in [-1, 1]: 1 - |\Phi| \le "
             r"2 (1 - \eta)^r, so r \ge ln 4 / (-ln(1 - \eta_{2T})) ~ ln 4 ln T / c reaches |\Phi| \ge 1/2",
             sp.Symbol("r") >= sp.log(4) / -sp.log(1 - SCHEDULES["c/log(t)"].expr.subs(STEP, 2 * sp.Symbol("T")))),
        Step(r"Expected number of such runs in disjoint blocks of (T, 2T]: ~ T^{1 - ln 4 ln 2 / c} / r, "
             r"exponent", exponent),
        Step(r"The exponent is positive (c = 2 > ln 4 ln 2 = 0.961): runs occur in every window with "
             r"probability -> 1, and in infinitely many windows a.s. (second Borel-Cantelli lemma, "
             r"windows independent). Limit of the excursion probability:", sp.Integer(1)),
        Step(r"Yet E[L(\Phi_t)] - L(\Phi^*) = v_t / 2 ~ \eta_t / 4 -> 0: convergence in mean and in "
             r"probability hold; almost-sure convergence does not",
             sp.limit(s.expr / 4, STEP, sp.oo)),
    ))


def derive_frozen() -> Derivation:
    s = SCHEDULES["c/t^2"]
    a = sp.sqrt(sp.Rational(1, 5))
    gamma_form = 1 / (sp.gamma(1 - a) * sp.gamma(1 + a))
    product = sp.simplify(sp.gammasimp(gamma_form))
    noise = sp.summation(s.expr, (STEP, 1, sp.oo))
    floor = sp.simplify(2 * product - noise)
    if not floor > sp.Rational(1, 2):
        raise ArithmeticError(f"2 prod(1 - eta_t) - sum eta_t = {floor} must exceed 1/2")
    return Derivation(sp.Integer(1), _property_steps(s) + (
        Step(r"E\Phi_\infty = \Phi_0 \prod_t (1 - 0.2/t^2) = \Phi_0 / (\Gamma(1-a)\Gamma(1+a)), a^2 = 0.2 "
             r"(Wendel's limit for the finite Gamma ratios), by the reflection formula", product),
        Step(r"The noise part is at most \sum_t \eta_t =", noise),
        Step(r"From \Phi_0 = 2: |\Phi_t| \ge", floor),
        Step(r"> 1/2 for all t: L(\Phi_t) - L(\Phi^*) \ge 1/8 forever, the loss converges to a random "
             r"value above L(\Phi^*). Limit of the excursion probability:", sp.Integer(1)),
    ))


def _case(key, derive, delta0, assumptions, in_scope=True):
    s = SCHEDULES[key]
    spec = ExcursionSpec(f"SGD on (Phi -+ 1)^2/2, {s.label}, from Phi* + {delta0:g}",
                         pm_one_quadratic_1d(), s, delta0, T, LEVEL, {}, CHAINS)
    return Case(key, derive, (MonteCarloExcursion(spec, name=f"Monte Carlo: {spec.label}"),),
                assumptions=assumptions, in_scope=in_scope)


def _shift(sign):
    return Mutant(f"excursion probability {'+' if sign > 0 else '-'} 1/2",
                  lambda d, s=sign: d + s * sp.Rational(1, 2))


CASES = (
    _case("c/t", _derive_hoeffding("c/t"), 0.0,
          ("sum eta_t^2 < oo (the cited proposition's extra condition)",)),
    _case("c/sqrt(t)", _derive_hoeffding("c/sqrt(t)"), 0.0,
          ("sum eta_t^2 = oo but eta_t log t -> 0",)),
    _case("c/log(t)", derive_log, 0.0, ("sum eta_t^2 = oo and eta_t log t -> 2 (not 0)",)),
    _case("c/t^2", derive_frozen, 2.0, ("sum eta_t < oo: outside the slide's conditions",),
          in_scope=False),
)

CLAIM = Claim(
    id="003-convergence-theorem",
    title="eta_t -> 0 and sum eta_t = oo make the training loss converge (almost surely)",
    source=Source("003_874bf7fcc03d5f2a.txt", "The Classical Convergence Theorem", line=52),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(P_EXC, 0),
        latex_names=None,
        parse_note="prose with conditions; encoded by the limit of the excursion probability that "
                   "almost-sure convergence to L(Phi*) forces to 0"),
    setting=(real(P_EXC, r"P_{exc}", "lim_T P(max over (T, 2T] of L - L(Phi*) >= 1/8)", (0, 1)),),
    assumptions=("SGD Phi <- Phi - eta_t grad loss(Phi, x_t, y_t), one example drawn uniformly "
                 "per step (the slide's update is read as SGD; its typo is 003-convergence-update)",
                 "convergence read as in the cited Prop. 3.5: with probability 1",
                 "test loss: two examples (Phi - 1)^2/2 and (Phi + 1)^2/2, smooth and non-negative"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=CASES,
    mutants=(_shift(1), _shift(-1)),
    expected=Verdict.CONDITIONAL,
    notes=("The slide's conditions do not give almost-sure convergence: the cited Prop. 3.5 also "
           "requires sum eta_t^2 < oo, and eta_t = 2/log t (which meets the slide's conditions) "
           "keeps producing excursions forever. What does hold under the slide's conditions on "
           "this loss is convergence in mean (hence in probability): E[L(Phi_t)] - L(Phi*) "
           "follows the exact moment recursion (second measurement) and tends to 0 like "
           "eta_t/4. sum eta_t^2 < oo is sufficient, not necessary: eta_t = 0.5/sqrt(t) also "
           "converges almost surely here (bounded noise, eta_t log t -> 0)."),
    tags=("convergence",),
)
