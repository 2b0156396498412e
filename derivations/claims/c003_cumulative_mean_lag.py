"""003, "Bias Correction of Running Averages": the 1/t average "fails to track a moving average for t >> N".

Read as: when the mean of the values moves, the cumulative mean falls behind without bound,
while an average over the last N values stays a bounded number of steps behind. For a
mean drifting linearly, m_s = m_0 + r s, the cumulative mean has weights 1/t, so it trails
the current mean by the weights' mean age, (t - 1)/2 steps: its lag per N grows without
bound as t/N -> oo (sympy limit). The window of N trails by (N - 1)/2 and the 1/N running
average by N - 1 at every t >> N.

Simulation: many drifting sequences; the lag (m_t - E mu_hat_t)/r of the 1/t average at
t = N, 5N, 20N, against its derived value and against the bounded lags of a tracking
average (the mutants).
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK, N_PARAM, T_PARAM, budgets, drifting
from derivations.experiments.running_averages import Filter, FilterSpec, Lag, filter_witnesses
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Plot,
                               Relation, Source, Statement, Step, Verdict)
from derivations.recurrences import N, cumulative_mean, numeric, t, unrolled_weight, weight_moments

QUOTE = r"But this fails to track a moving average for  $t \gg N$ ."
LAG = sp.Function("lag")
SIZE = 20
TIMES = (SIZE, 5 * SIZE, 20 * SIZE)
SLOPE, SD = 0.1, 1.0


@lru_cache(maxsize=1)
def derive() -> Derivation:
    w = unrolled_weight(cumulative_mean())
    lag = weight_moments(w).lag  # gain 1: lag = mean age of the weights
    per_n = sp.limit(lag / N, t, sp.oo)
    steps = (Step("Weights of the 1/t average", w),
             Step("Lag behind m_s = m_0 + r s: sum_s w (t - s) / sum_s w", sp.Eq(LAG(t), lag)),
             Step("lag / N as t -> oo", per_n),
             Step("For comparison: the N-window trails by (N - 1)/2, the 1/N average by N - 1 (t >> N)"))
    ok = per_n is sp.oo
    return Derivation(lag, steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "sympy limit",
        "the lag (t - 1)/2 grows without bound relative to N: the average does not track a moving mean"
        if ok else f"lag/N tends to {per_n}"))


def _predict(h, k):
    """The lag a hypothesis predicts at t = k, or None (the statement's oo predicts no value)."""
    h = sp.sympify(h)
    if h.free_symbols - {t, N} or h.has(sp.oo, -sp.oo, sp.zoo):
        return None
    return float(numeric(h, t, N)(k, SIZE))


def _spec():
    inputs = drifting(SLOPE, SD)
    obs = tuple(Lag(name=f"lag of mu_hat_{k} (t = {k // SIZE} N) behind the drift, steps",
                    filt="1/t average", time=k, predict=lambda h, k=k: _predict(h, k)) for k in TIMES)
    return FilterSpec(label=f"mean {SLOPE} t, Gaussian sd {SD}, N = {SIZE}", inputs=inputs,
                      filters=(Filter("1/t average", cumulative_mean()),), observables=obs,
                      steps=max(TIMES), budgets=budgets(10_000), plot=_plot)


def _plot(hypotheses):
    ts = list(range(1, max(TIMES) + 1, 5))
    return Plot("series", f"lag behind a linear drift against t/N, N = {SIZE}",
                {"x": [k / SIZE for k in ts],
                 "series": {label: [_predict(h, k) for k in ts] for label, h in hypotheses.items()
                            if _predict(h, 1) is not None},
                 "xlabel": "t / N", "ylabel": "lag (steps)"})


CLAIM = Claim(
    id="003-cumulative-mean-lag",
    title="The 1/t average does not track a moving mean: its lag (t - 1)/2 grows without bound",
    source=Source(DECK, "Bias Correction of Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE,
                        encoding=sp.Eq(sp.Limit(LAG(t) / N, t, sp.oo), sp.oo), result=sp.oo,
                        latex_names=None,
                        parse_note="prose; encoded as lim_{t -> oo} lag(t)/N = oo for a linearly drifting mean"),
    setting=(N_PARAM, T_PARAM),
    assumptions=("a moving mean: E x_s = m_0 + r s (linear drift)",
                 "tracking = trailing the current mean by a bounded number of steps"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("linear drift", derive, filter_witnesses(_spec())),),
    mutants=(Mutant("tracks like the N-window: lag (N-1)/2", lambda d: (N - 1) / 2),
             Mutant("tracks like the 1/N average: lag N-1", lambda d: N - 1)),
    expected=Verdict.HOLDS,
    notes="The statement makes no numeric prediction; the simulation checks the derived lag and "
          "rejects the bounded lags of tracking averages.",
)
