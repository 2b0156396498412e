"""001, "Diffusion Models: Brownian Motion": n steps z(n+1) = z(n) + sigma eps give z(n) = z(0) + sigma eps sqrt(n).

The slide: z(n+1) = z(n) + sigma eps with eps ~ N(0, I), "We can sample from z(n) using
z(n) = z(0) + sigma eps sqrt(n)". An equality in law: the sum of n independent
N(0, sigma^2 I) steps is N(0, n sigma^2 I). The derivation multiplies characteristic
functions (coordinates are independent, so one coordinate suffices). The simulation runs
the walk to n = 1, 4, ..., 256 and measures the variance per step, the Gaussian shape
(excess kurtosis) and the growth exponent of the spread in n; the mutants are a spread
growing like n (sigma eps n) or n^(1/4), and a variance off by 2.
"""

import sympy as sp

from derivations.experiments.ladder import (LadderExperiment, LadderObservable, kurt_stat, sd_stat,
                                            var_stat)
from derivations.experiments.walks import walk_increments
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import SIGMA, sigma
from derivations.tables import declare, entry_scaled, table


QUOTE = r"z(n) = z(0) + \sigma\epsilon\sqrt{n}, \quad \epsilon \sim \mathcal{N}(0, I)"
SIG, Z0 = 0.7, 0.3
RUNGS = (1, 4, 16, 64, 256)
BUDGETS = {"quick": 16384, "full": 262144}


def derive() -> Derivation:
    s = sp.Symbol("s", real=True)
    n = sp.Symbol("n", positive=True, integer=True)
    step_cf = sp.exp(-sigma**2 * s**2 / 2)  # E exp(i s sigma eps), eps ~ N(0, 1)
    sum_cf = sp.powsimp(step_cf**n, force=True)  # independent steps: characteristic functions multiply
    stated_cf = sp.exp(-(sigma * sp.sqrt(n)) ** 2 * s**2 / 2)  # of sigma eps sqrt(n)
    same = sp.simplify(sum_cf - stated_cf) == 0
    steps = (
        Step("Characteristic function of one step sigma eps (one coordinate; eps ~ N(0, I) has "
             "independent coordinates)", sp.Eq(sp.Symbol(r"\varphi_1(s)"), step_cf)),
        Step("n independent steps: the characteristic functions multiply", sp.Eq(sp.Symbol(r"\varphi_n(s)"), sum_cf)),
        Step("Characteristic function of sigma eps sqrt(n)", sp.Eq(sp.Symbol(r"\varphi(s)"), stated_cf)),
        Step("Equal: z(n) - z(0) ~ N(0, n sigma^2 I); variance n sigma^2 exactly, Gaussian, spread ~ n^(1/2)"),
    )
    return Derivation(table(var_ratio=1, b_n=sp.Rational(1, 2), kurt=0), steps, Comparison(
        Equivalence.PROVED if same else Equivalence.REFUTED, "characteristic functions (sympy)",
        "equal in law (not path by path: one eps per n, not the walk's own steps)"))


def _simulate(n, walks, seed):
    return walk_increments(SIG, [int(n)], seed, walks, start=Z0)


OBSERVABLES = (
    LadderObservable("var_ratio", "Var(z(n) - z(0)) / (sigma^2 n)", "pooled",
                     var_stat(per=lambda h: SIG**2 * h)),
    LadderObservable("b_n", "sd(z(n) - z(0))", "exponent", sd_stat(),
                     correction=0.0, correction_note="exact: Var = n sigma^2 at every n, no next order"),
    LadderObservable("kurt", "excess kurtosis of z(n) - z(0)", "pooled", kurt_stat()),
)

CLAIM = Claim(
    id="001-brownian-n-steps",
    title="n Gaussian steps: z(n) = z(0) + sigma eps sqrt(n) in law",
    source=Source("001_f7b24b47ec34203a.txt", "Diffusion Models: Brownian Motion"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(var_ratio=1, b_n=sp.Rational(1, 2), kurt=0),
        latex_names=None,
        parse_note="an equality in law with a side condition on eps; encoded as the law's "
                   "variance n sigma^2, spread exponent 1/2 in n and Gaussian shape"),
    setting=(SIGMA, declare("var_ratio", r"\mathrm{Var}/(n\sigma^2)", "variance per step over sigma^2"),
             declare("b_n", r"b", "spread ~ n^b"), declare("kurt", r"\kappa", "excess kurtosis")),
    assumptions=(r"z(n+1) = z(n) + \sigma\epsilon, \epsilon \sim N(0, I) i.i.d.",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (LadderExperiment(
        "Monte Carlo: Gaussian random walk", "n", RUNGS, _simulate, OBSERVABLES, BUDGETS,
        {"process": "z(k+1) = z(k) + sigma eps", "sigma": SIG, "z(0)": Z0},
        steps_per_replicate=lambda n: int(n)),)),
    mutants=(entry_scaled("b_n", 2, "spread ~ n (sigma eps n)"),
             entry_scaled("b_n", sp.Rational(1, 2), "spread ~ n^(1/4)"),
             entry_scaled("var_ratio", 2, "variance 2 n sigma^2")),
    expected=Verdict.HOLDS,
)
