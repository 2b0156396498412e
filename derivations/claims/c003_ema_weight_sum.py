"""003, "Running Averages": sum_{n>=0} (1 - 1/N)^{-n} = N diverges; the weights' sum is sum (1 - 1/N)^n = N.

The slide backs its closed form with "where we have sum_{n>=0} (1 - 1/N)^{-n} = N", i.e.
the weights (1/N)(1 - 1/N)^{-n} sum to 1. For N > 1 the ratio of consecutive terms is
N/(N - 1) > 1 and the terms tend to infinity: the series diverges (N = 2: partial sums
2^{M+1} - 1). The running average's weights are (1/N)(1 - 1/N)^n (see
003-ema-closed-form), whose series sum_{n>=0} (1 - 1/N)^n = N does hold (ratio 1 - 1/N < 1).

Derivation: with N = 1 + M (M > 0), the ratio test on both series (sympy), the limit of
the slide's terms, and the geometric sum of the right one. Simulation: N times the total
weight the running average puts on its last t values is the series' partial sum to
n = t - 1; for a constant input mu it is N E mu_hat_t / mu, measured on many sequences at
t = N/2, N, 3N, 10N; each hypothesis predicts its own partial sums.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK, N_PARAM, budgets, constant
from derivations.experiments.running_averages import Filter, FilterSpec, Mean, filter_witnesses
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Plot,
                               Relation, Source, Statement, Step, Verdict)
from derivations.recurrences import N, ema, n, numeric, s, t, weight_moments

QUOTE = r"\sum_{n \geq 0} \left(1 - \frac{1}{N}\right)^{-n} = N"
CORRECTION = r"\sum_{n \geq 0} \left(1 - \frac{1}{N}\right)^{n} = N"
STATED = sp.Eq(sp.Sum((1 - 1 / N) ** (-n), (n, 0, sp.oo)), N, evaluate=False)
M = sp.Symbol("M", positive=True)

SIZE = 10
TIMES = (5, 10, 30, 100)


def _ratio(term):
    return sp.simplify(sp.powsimp(term.subs(n, n + 1) / term, force=True))


@lru_cache(maxsize=1)
def derive() -> Derivation:
    slide_term = STATED.lhs.function.subs(N, 1 + M)
    ratio = _ratio(slide_term)
    grows = sp.simplify(ratio - 1)
    limit = sp.limit(slide_term, n, sp.oo)
    rec = ema()
    weight = (rec.beta * rec.alpha ** n).subs(t, 1)  # weight of a value n steps old
    right_term = sp.simplify(weight * N)
    # Sum the geometric series in q = 1 - 1/N (0 < q < 1 for N > 1), then put N back.
    q = sp.Symbol("q", positive=True)
    in_q = sp.powsimp(right_term.subs(N, 1 / (1 - q)), force=True)
    series = sp.summation(in_q, (n, 0, sp.oo))
    if isinstance(series, sp.Piecewise):  # the branch |q| < 1, which 0 < q < 1 satisfies
        series = next(e for e, cond in series.args if cond.subs(q, sp.Rational(1, 2)) is sp.true)
    right_sum = sp.simplify(series.subs(q, 1 - 1 / N))
    gain = weight_moments((1 - 1 / N) ** (t - s) / N).gain
    derived = sp.Eq(sp.Sum(right_term, (n, 0, sp.oo)), right_sum, evaluate=False)
    steps = (
        Step("Write N = 1 + M, M > 0. Ratio of consecutive terms of the slide's series", ratio),
        Step("ratio - 1 (positive: the terms grow)", grows),
        Step("Limit of the slide's terms as n -> oo (the series diverges)", limit),
        Step("The running average weights a value n steps old by (1/N)(1 - 1/N)^n; N times it", right_term),
        Step("Total weight of the last t values, sum_{s<=t} w(t, s) (-> 1 as t -> oo)", gain),
        Step("Geometric series of the right terms (ratio 1 - 1/N < 1)", derived),
    )
    if grows.is_positive and limit is sp.oo:
        comparison = Comparison(
            Equivalence.REFUTED, "ratio test and limit of the terms (N = 1 + M, M > 0)",
            f"the terms (1 - 1/N)^(-n) grow by the factor N/(N-1) > 1 and tend to {limit}: the series "
            "diverges for every N > 1; the weights' series is sum (1 - 1/N)^n = N",
            {"N": "2", "partial sum to n = m": "2^(m+1) - 1", "m = 10": "2047"})
    else:
        comparison = Comparison(Equivalence.UNDECIDED, "ratio test", f"ratio - 1 = {grows}")
    return Derivation(derived, steps, comparison, correction_latex=CORRECTION)


def _partial_sum(h, upto):
    """N x (total weight of the last ``upto`` values) under hypothesis ``h``: its partial sum."""
    term = sp.sympify(h).lhs.function
    f = numeric(term.subs(N, SIZE), n)
    return float(sum(f(k) for k in range(upto)))


def _spec():
    filt = Filter("running average", ema(), {N: SIZE})
    obs = tuple(Mean(name=f"N E mu_hat_{k} / mu (partial sum to n = {k - 1})", filt="running average",
                     time=k, unit=1.0 / SIZE, predict=lambda h, k=k: _partial_sum(h, k)) for k in TIMES)
    return FilterSpec(label="constant mean 1, Gaussian sd 0.5, N = 10", inputs=constant(1.0, 0.5),
                      filters=(filt,), observables=obs, steps=max(TIMES), budgets=budgets(20_000),
                      plot=_plot)


def _plot(hypotheses):
    ts = list(range(1, 3 * SIZE + 1))
    return Plot("series", f"partial sums of each hypothesis's series, N = {SIZE}",
                {"x": ts, "series": {label: [_partial_sum(h, k) for k in ts] for label, h in hypotheses.items()},
                 "xlabel": "t (terms n = 0..t-1)", "ylabel": "partial sum"})


def _mutant(name, term, value):
    return Mutant(name, lambda d: sp.Eq(sp.Sum(term, (n, 0, sp.oo)), value, evaluate=False))


CLAIM = Claim(
    id="003-ema-weight-sum",
    title="The running average's weight series: sum (1 - 1/N)^{-n} diverges; sum (1 - 1/N)^n = N",
    source=Source(DECK, "Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=STATED, result=STATED, latex_names=None,
                        parse_note=r"a sum with a condition subscript (\sum_{n \geq 0}) to infinity, "
                                   "which sympy's LaTeX parser does not read"),
    setting=(N_PARAM,),
    assumptions=("N > 1 (a running average over more than one value)",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("as stated", derive, filter_witnesses(_spec())),),
    mutants=(_mutant("sum from n = 1: (1-1/N)^(n+1) = N - 1", (1 - 1 / N) ** (n + 1), N - 1),
             _mutant("squared weights (1-1/N)^(2n) = N^2/(2N-1)", (1 - 1 / N) ** (2 * n), N**2 / (2 * N - 1))),
    expected=Verdict.ERRATUM,
    notes=("The same sign slip as in the slide's closed form (003-ema-closed-form): with exponent "
           "+n the series is geometric with ratio 1 - 1/N and sums to N, so the weights sum to 1."),
)
