"""001, "Brownian Motion": "In this limit we can sample directly from z(t) using z(t + Delta t) = z(t) + sigma eps sqrt(Delta t)".

After the walk with time step Delta t the slide takes Delta t -> 0 and reuses the
one-step formula for the limit process. Read as a claim about the limit: its increment
over any step Delta t (now a sampling interval, not a small simulation step) is exactly
N(0, sigma^2 Delta t), independent of the past, so a path can be sampled at any spacing
without simulating the fine steps. The derivation: the increment over a span u of the
walk with step delta is N(0, sigma^2 u) for every delta (characteristic functions), hence
in the limit; successive increments use disjoint steps, hence are independent.

The simulation takes the limit the slide takes: a ladder of simulation steps delta -> 0,
and measures two successive increments over the sampling interval u = 0.25: variance per
unit time, excess kurtosis, correlation, each extrapolated to delta = 0. Out of scope,
the same with steps +-sigma sqrt(delta) (Rademacher, not the slide's Gaussian eps): the
limit is the same (Donsker), approached with excess kurtosis -2 delta / u.
"""

import sympy as sp

from derivations.experiments.ladder import (LadderExperiment, LadderObservable, corr_stat, kurt_stat,
                                            var_stat)
from derivations.experiments.walks import walk_increments
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict)
from derivations.symbols import DT, SIGMA, dt, sigma
from derivations.tables import declare, entry_replaced, entry_scaled, table
from numerics.paths_1d import StepLaw

QUOTE = (r"We now take the limit of this numerical simulation as  $\Delta t \rightarrow 0$ . In this "
         r"limit we can sample directly from  $z(t)$  using $$z(t + \Delta t) = z(t) + "
         r"\sigma\epsilon\sqrt{\Delta t} \quad \epsilon \sim \mathcal{N}(0, I)$$")
SIG, U = 0.7, 0.25
RUNGS = (0.05, 0.025, 0.0125, 0.00625, 0.003125)
BUDGETS = {"quick": 16384, "full": 262144}


def _derive(law_name: str, excess: sp.Expr):
    def derive() -> Derivation:
        s, delta, u = sp.symbols("s delta u", positive=True)
        m = u / delta
        log_cf = sp.series(sp.log(sp.exp(-sigma**2 * delta * s**2 / 2) * (1 + excess * (sigma**2 * delta) ** 2 * s**4 / 24)),
                           delta, 0, 2).removeO()
        limit_cf = sp.limit(sp.expand(m * log_cf), delta, 0)
        ok = sp.simplify(limit_cf + sigma**2 * u * s**2 / 2) == 0
        steps = (
            Step(f"One simulation step of {law_name}: log characteristic function to the order "
                 "that matters (second and fourth cumulants)", sp.Eq(sp.Symbol(r"\log\varphi_\delta(s)"), log_cf)),
            Step("u/delta independent steps over the sampling interval u; the limit delta -> 0",
                 sp.Eq(sp.Symbol(r"\log\varphi_u(s)"), limit_cf)),
            Step("That is N(0, sigma^2 u): the limit process's increment over any interval is "
                 "sigma eps sqrt(u), independent of the past (disjoint steps); excess kurtosis "
                 f"{excess} delta/u -> 0"),
        )
        return Derivation(table(var_ratio=1, kurt_limit=0, corr_limit=0), steps, Comparison(
            Equivalence.PROVED if ok else Equivalence.REFUTED, "limit of characteristic functions (sympy)",
            "the limit's increments are N(0, sigma^2 u) and independent"))
    return derive


#: Why the extrapolations need no curvature term: the variance is sigma^2 u and the
#: correlation 0 at every delta, the excess kurtosis is (step's) * delta / u, linear.
EXACT = "exact: constant or linear in delta (cumulants of independent steps add)"


def _experiment(law: StepLaw, label: str):
    def simulate(h, walks, seed):
        n = int(round(U / h))
        return walk_increments(SIG * h**0.5, [n, 2 * n], seed, walks, law=law)

    observables = (
        LadderObservable("var_ratio", "Var(increment over u) / (sigma^2 u)", "limit",
                         var_stat(1, per=lambda h: SIG**2 * U), curvature=0.0, correction_note=EXACT),
        LadderObservable("kurt_limit", "excess kurtosis of the increment", "limit", kurt_stat(1),
                         curvature=0.0, correction_note=EXACT),
        LadderObservable("corr_limit", "correlation of successive increments", "limit", corr_stat(0, 1),
                         curvature=0.0, correction_note=EXACT),
    )
    return LadderExperiment(f"Monte Carlo: {label} walk sampled every u = {U}", "delta", RUNGS, simulate,
                            observables, BUDGETS, {"sigma": SIG, "u": U, "steps": label},
                            steps_per_replicate=lambda h: 2 * int(round(U / h)))


CLAIM = Claim(
    id="001-brownian-direct-sampling",
    title="In the limit dt -> 0, Brownian motion is sampled exactly at any interval by z(t+dt) = z(t) + sigma eps sqrt(dt)",
    source=Source("001_f7b24b47ec34203a.txt", "Brownian Motion"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(var_ratio=1, kurt_limit=0, corr_limit=0),
        latex_names=None,
        parse_note="prose about a limit; encoded as the limit process's increment over an interval "
                   "being N(0, sigma^2 dt) and independent of the past"),
    setting=(SIGMA, DT, declare("var_ratio", r"\mathrm{Var}/(\sigma^2 u)", "variance per unit time over sigma^2"),
             declare("kurt_limit", r"\kappa", "excess kurtosis in the limit"),
             declare("corr_limit", r"\rho", "correlation of successive increments in the limit")),
    assumptions=("the limit of the walk with step sigma eps sqrt(delta) as delta -> 0",
                 f"sampling interval u = {U} (not small)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("Gaussian steps (the slide's eps)", _derive("sigma eps sqrt(delta)", sp.Integer(0)),
                (_experiment(StepLaw.NORMAL, "Gaussian"),)),
           Case("Rademacher steps +-sigma sqrt(delta)", _derive("+-sigma sqrt(delta)", sp.Integer(-2)),
                (_experiment(StepLaw.RADEMACHER, "Rademacher"),),
                assumptions=("steps +-sigma sqrt(delta), not Gaussian",), in_scope=False)),
    mutants=(entry_replaced("var_ratio", sp.Rational(str(U)), "sigma eps dt (variance sigma^2 dt^2)"),
             entry_scaled("var_ratio", 2, "variance 2 sigma^2 dt")),
    expected=Verdict.HOLDS,
)
