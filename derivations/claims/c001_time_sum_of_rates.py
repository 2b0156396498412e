"""001, "Time as the Sum of the Learning Rates": an SGD step with rate eta_t advances the flow's time by eta_t.

The slide writes dPhi = -g(Phi) dt (gradient flow), Phi_{t+Delta t} ~ Phi_t - g Delta t and
Phi_{t+eta} ~ Phi_t - eta_t ghat (SGD), "We will show that as eta_t -> 0 we have that SGD
converges to Gradient Flow": the time SGD has travelled after K steps is the sum of its
learning rates. (The subscript t + eta beside the rate eta_t is loose notation for
t + eta_t; it changes nothing here.)

The test needs a schedule whose rates are not all equal, or "time = steps x rate" could
not be told apart from "time = sum of rates": eta_k = 2 eps for the first K/2 steps and
eps/2 for the rest, K = 0.8/eps, so sum eta_k = 1 on every rung of the ladder eps -> 0.
The derivation (least squares: the mean is exact) gives E Phi_K -> Phi(sum eta_k), the
flow at time sum eta_k, since sum eta_k^2 -> 0. The simulation measures the flow time
SGD's mean has reached (inverting the flow) divided by sum eta_k; the mutants are the
clocks "K x final rate" (0.4), "K x eps" (0.8) and "K x first rate" (1.6).
"""

import numpy as np
import sympy as sp

from derivations.experiments.ladder import LadderExperiment, LadderObservable, mean_stat, var_stat
from derivations.experiments.sgd_flow import LEAST_SQUARES
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import ETA, PHI, eta
from derivations.tables import declare, entry_replaced, table

QUOTE = r"\Phi_{t+\eta} \approx \Phi_t - \eta_t \hat{g} \quad \text{SGD}"

DATA = LEAST_SQUARES
PHI0 = 2.5
EPS = (0.04, 0.02, 0.01, 0.005, 0.0025)
BUDGETS = {"quick": 20000, "full": 200000}
#: The schedule's shape: rate 2 eps, then eps / 2, half the steps each; K eps = 0.8.
FIRST, SECOND, STEPS_TIMES_EPS = 2.0, 0.5, 0.8


def schedule(eps: float) -> np.ndarray:
    k = int(round(STEPS_TIMES_EPS / eps))
    if k % 2:
        raise ValueError(f"eps={eps!r} gives K={k} steps; the schedule needs K even")
    return np.concatenate([np.full(k // 2, FIRST * eps), np.full(k // 2, SECOND * eps)])


_a = float(sp.diff(DATA.mean_gradient, DATA.state))
_star = float(sp.solve(DATA.mean_gradient, DATA.state)[0])


def flow_time(m: float) -> float:
    """The time at which the flow from PHI0 reaches ``m`` (least squares: exponential decay)."""
    return -np.log((m - _star) / (PHI0 - _star)) / _a


def derive() -> Derivation:
    a, k = sp.symbols("a k", positive=True)
    etak = sp.Function("eta")(k)
    log_factor = sp.series(sp.log(1 - eta * a), eta, 0, 3).removeO()
    eps = sp.Symbol("epsilon", positive=True)
    K = sp.Rational(str(STEPS_TIMES_EPS)) / eps
    first, second = sp.Rational(str(FIRST)), sp.Rational(str(SECOND))
    total = sp.simplify(K / 2 * first * eps + K / 2 * second * eps)
    sum_sq = sp.simplify(K / 2 * (first * eps) ** 2 + K / 2 * (second * eps) ** 2)
    steps = (
        Step("Least squares: ghat_i = X_i Phi - Y_i, so E Phi_{k+1} - Phi* = (1 - eta_k a)(E Phi_k - Phi*) "
             "exactly (a = E X, Phi* the minimiser) and E Phi_K - Phi* = prod_k (1 - eta_k a)(Phi_0 - Phi*)"),
        Step("log(1 - eta a) to second order", sp.Eq(sp.Symbol("log(1 - eta a)"), log_factor)),
        Step("Summed over the steps: log prod = -a sum eta_k - (a^2/2) sum eta_k^2 + ...",
             sp.Eq(sp.Symbol("log prod"), -a * sp.Sum(etak, (k, 0, sp.Symbol("K") - 1))
                   - a**2 / 2 * sp.Sum(etak**2, (k, 0, sp.Symbol("K") - 1)))),
        Step("Schedule 2 eps then eps/2 over K = 0.8/eps steps: sum eta_k", sp.Eq(sp.Symbol("sum eta_k"), total)),
        Step("and sum eta_k^2, which vanishes as eps -> 0", sp.Eq(sp.Symbol("sum eta_k^2"), sum_sq)),
        Step("Hence E Phi_K -> Phi* + exp(-a sum eta_k)(Phi_0 - Phi*) = Phi(sum eta_k): the flow at "
             "time sum eta_k (and Var Phi_K = O(max eta_k) -> 0). Flow time reached / sum eta_k -> 1"),
    )
    if total != 1 or sp.limit(sum_sq, eps, 0) != 0:
        raise ArithmeticError(f"schedule sums {total}, {sum_sq} are not 1 and O(eps)")
    return Derivation(table(time_ratio=1, var_limit=0), steps, Comparison(
        Equivalence.PROVED, "exact mean recursion with a schedule; series of log(1 - eta a)",
        "time = sum of the learning rates: each step advances the flow by eta_k"))


def _simulate(eps: float, n: int, seed: int) -> np.ndarray:
    return DATA.simulate(schedule(eps), PHI0, n, seed)


OBSERVABLES = (
    LadderObservable("time_ratio", "flow time of E Phi_K / sum eta_k", "limit",
                     mean_stat(transform=lambda m, h: flow_time(m) / float(np.sum(schedule(h))))),
    LadderObservable("var_limit", "Var Phi_K", "limit", var_stat()),
)

CLAIM = Claim(
    id="001-time-sum-of-rates",
    title="SGD's time is the sum of its learning rates: with a varying schedule it tracks Phi(sum eta_k)",
    source=Source("001_f7b24b47ec34203a.txt", "Time as the Sum of the Learning Rates"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(time_ratio=1),
        latex_names=None,
        parse_note="an update written with a time index; encoded as its consequence: after K "
                   "steps SGD sits at the flow's time sum eta_k (flow time reached / sum eta_k = 1)"),
    setting=(PHI, ETA, declare("time_ratio", r"\tau / \sum_k \eta_k", "flow time reached per unit sum of rates"),
             declare("var_limit", r"\lim \mathrm{Var}\,\Phi_K", "limit of SGD's variance")),
    assumptions=(r"\Phi_{k+1} = \Phi_k - \eta_k \hat g_k with one training example per step",
                 "schedule eta_k = 2 eps (first half), eps/2 (second half), K = 0.8/eps, eps -> 0"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (LadderExperiment(
        f"Monte Carlo: SGD with a step-decay schedule on {DATA.label}", "eps", EPS, _simulate,
        OBSERVABLES, BUDGETS, {"process": f"SGD on {DATA.label}", "Phi_init": PHI0,
                               "schedule": "2 eps for K/2 steps, then eps/2 for K/2 steps; K = 0.8/eps"},
        steps_per_replicate=lambda e: int(round(STEPS_TIMES_EPS / e))),)),
    mutants=(entry_replaced("time_ratio", sp.Rational(2, 5), "time = K x final rate (0.4)"),
             entry_replaced("time_ratio", sp.Rational(4, 5), "time = K x eps (0.8)"),
             entry_replaced("time_ratio", sp.Rational(8, 5), "time = K x first rate (1.6)")),
    expected=Verdict.HOLDS,
    notes="Deck 002's and deck 000's 'sum of the learning rates as time' sentences make the same claim.",
)
