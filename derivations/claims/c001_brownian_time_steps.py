"""001, "Brownian Motion": with steps sigma eps sqrt(Delta t), z(t + n Delta t) = z(t) + sigma eps sqrt(n Delta t).

The slide fixes a time step Delta t, walks z(t + Delta t) = z(t) + sigma eps sqrt(Delta t)
and states the n-step law z(t + n Delta t) = z(t) + sigma eps sqrt(n Delta t), eps ~ N(0, I).
Equality in law again, now with the consequence that matters for the continuum: the law
over a span n Delta t depends on the span only, however finely it is cut, and the
increment after t is independent of z(t). The simulation cuts the span 1 (after a first
span 0.5 that plays z(t)) into n = 1/Delta t steps on a ladder of Delta t and measures the
variance per unit time, the exponent of the spread in Delta t at fixed span (0: the span
alone matters; the mutant sigma eps n sqrt(Delta t) gives -1/2), the Gaussian shape, and
the correlation with the first span.
"""

import sympy as sp

from derivations.experiments.ladder import (LadderExperiment, LadderObservable, corr_stat, kurt_stat,
                                            sd_stat, var_stat)
from derivations.experiments.walks import walk_increments
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import DT, SIGMA, dt, sigma
from derivations.tables import declare, entry_replaced, entry_scaled, table

QUOTE = r"z(t + n\Delta t) = z(t) + \sigma\epsilon\sqrt{n\Delta t}, \quad \epsilon \sim \mathcal{N}(0, I)"
SIG, T0, SPAN = 0.7, 0.5, 1.0
RUNGS = (0.1, 0.05, 0.025, 0.0125, 0.00625)
BUDGETS = {"quick": 16384, "full": 262144}


def derive() -> Derivation:
    s = sp.Symbol("s", real=True)
    n = sp.Symbol("n", positive=True, integer=True)
    step_cf = sp.exp(-(sigma * sp.sqrt(dt)) ** 2 * s**2 / 2)
    sum_cf = sp.powsimp(step_cf**n, force=True)
    stated_cf = sp.exp(-(sigma * sp.sqrt(n * dt)) ** 2 * s**2 / 2)
    same = sp.simplify(sum_cf - stated_cf) == 0
    steps = (
        Step("One step sigma eps sqrt(Delta t): characteristic function", sp.Eq(sp.Symbol(r"\varphi_1(s)"), step_cf)),
        Step("n independent steps from t (independent of z(t), which depends on earlier steps only)",
             sp.Eq(sp.Symbol(r"\varphi_n(s)"), sum_cf)),
        Step("Characteristic function of sigma eps sqrt(n Delta t)", sp.Eq(sp.Symbol(r"\varphi(s)"), stated_cf)),
        Step("Equal: the increment over a span n Delta t is N(0, sigma^2 n Delta t), whatever Delta t; "
             "at a fixed span its spread does not depend on Delta t (exponent 0)"),
    )
    return Derivation(table(var_ratio=1, b_dt=0, kurt=0, corr=0), steps, Comparison(
        Equivalence.PROVED if same else Equivalence.REFUTED, "characteristic functions (sympy)",
        "equal in law"))


def _simulate(h, walks, seed):
    first, n = int(round(T0 / h)), int(round(SPAN / h))
    return walk_increments(SIG * h**0.5, [first, first + n], seed, walks)


OBSERVABLES = (
    LadderObservable("var_ratio", "Var(z(t + n dt) - z(t)) / (sigma^2 n dt)", "pooled",
                     var_stat(1, per=lambda h: SIG**2 * SPAN)),
    LadderObservable("b_dt", "sd(z(t + n dt) - z(t)) at span n dt = 1", "exponent", sd_stat(1),
                     correction=0.0, correction_note="exact: the variance is sigma^2 n dt at every dt"),
    LadderObservable("kurt", "excess kurtosis of the increment", "pooled", kurt_stat(1)),
    LadderObservable("corr", "correlation of z(t) - z(0) with the increment", "pooled", corr_stat(0, 1)),
)

CLAIM = Claim(
    id="001-brownian-time-steps",
    title="Steps sigma eps sqrt(dt): z(t + n dt) = z(t) + sigma eps sqrt(n dt) in law",
    source=Source("001_f7b24b47ec34203a.txt", "Brownian Motion"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(var_ratio=1, b_dt=0, kurt=0, corr=0),
        latex_names=None,
        parse_note="an equality in law; encoded as the increment's variance sigma^2 n dt, its "
                   "independence of dt at a fixed span, Gaussian shape, independence of z(t)"),
    setting=(SIGMA, DT, declare("var_ratio", r"\mathrm{Var}/(\sigma^2 n\Delta t)", "variance per unit time over sigma^2"),
             declare("b_dt", "b", "spread at fixed span ~ dt^b"), declare("kurt", r"\kappa", "excess kurtosis"),
             declare("corr", r"\rho", "correlation of the increment with z(t) - z(0)")),
    assumptions=(r"z(t + \Delta t) = z(t) + \sigma\epsilon\sqrt{\Delta t}, \epsilon \sim N(0, I) i.i.d.",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (LadderExperiment(
        "Monte Carlo: Gaussian walk with steps sigma eps sqrt(dt)", "Delta t", RUNGS, _simulate,
        OBSERVABLES, BUDGETS, {"sigma": SIG, "t": T0, "span n dt": SPAN},
        steps_per_replicate=lambda h: int(round((T0 + SPAN) / h))),)),
    mutants=(entry_replaced("b_dt", -sp.Rational(1, 2), "sigma eps n sqrt(dt): spread ~ dt^(-1/2) at fixed span"),
             entry_scaled("var_ratio", 2, "variance 2 sigma^2 n dt")),
    expected=Verdict.HOLDS,
)
