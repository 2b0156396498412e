"""003, "Bias Correction of Running Averages": the 1/min(N, t) schedule "avoids the initial bias
toward zero while still tracking a moving average".

Derivation. For t <= N the schedule is the 1/t average (weights 1/t, proved by induction);
from t = N on it is the 1/N running average started from the mean of x_1..x_N, with weights
(1 - 1/N)^{t-N}/N on s <= N and (1 - 1/N)^{t-s}/N on s > N (induction for t >= N). The
weights sum to 1 at every t (geometric sum), so E mu_hat_t = mu for a constant mean: no
initial bias. Behind a linear drift the lag is (t - 1)/2 up to t = N and then obeys
L_t = (1 - 1/N)(L_{t-1} + 1), L_N = (N - 1)/2 (rsolve): L_t = (N - 1) - ((N - 1)/2)(1 - 1/N)^{t-N},
bounded by N - 1: it tracks.

Simulation: many sequences; E mu_hat_t / mu for a constant mean at t = 1, N/2, N, 2N and the
lag behind a drift at t = 2N and 10N. The mutants are the two failures the slide contrasts:
the uncorrected 1/N average (biased early) and the 1/t average (does not track).
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import (DECK, N_PARAM, T_PARAM, budgets, constant,
                                                       drifting, heavy_tailed)
from derivations.experiments.running_averages import (Filter, FilterSpec, InputModel, Lag, Mean,
                                                      filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.recurrences import (LinearRecurrence, N, cumulative_mean, ema, induction,
                                     min_schedule, min_schedule_weight, numeric, s, t, unrolled_weight,
                                     weight_moments)

QUOTE = (r"The following avoids the initial bias toward zero while still tracking a moving average.")
GAIN_LAG = sp.Function("gain_lag")
SIZE = 20
GAIN_TIMES = (1, SIZE // 2, SIZE, 2 * SIZE)
LAG_TIMES = (2 * SIZE, 10 * SIZE)
q = 1 - 1 / N


@lru_cache(maxsize=1)
def derive() -> Derivation:
    early = induction(cumulative_mean(), unrolled_weight(cumulative_mean()))
    late_w = sp.Piecewise(*min_schedule_weight().args[1:])  # the t > N branches
    # For t >= N the schedule is the 1/N average; induct from the base t = N (all weights 1/N).
    later = induction(LinearRecurrence("1/N from t = N", ema().alpha, ema().beta), q ** (t - s) / N)
    u, Q = sp.Symbol("u", integer=True, nonnegative=True), sp.Symbol("q", positive=True)
    # Total weight for t >= N: N * q^(t-N)/N + sum_{u=0}^{t-N-1} q^u / N.
    tail = sp.summation(Q**u, (u, 0, t - N - 1))
    tail = tail.args[-1][0] if isinstance(tail, sp.Piecewise) else tail
    gain_late = sp.simplify((q ** (t - N) + tail.subs(Q, q) / N))
    L = sp.Function("L")
    lag_late = sp.rsolve(L(u) - q * (L(u - 1) + 1), L(u), {L(0): (N - 1) / 2}).subs(u, t - N)
    lag_early = weight_moments(sp.Integer(1) / t).lag
    lag = sp.Piecewise((lag_early, t <= N), (sp.simplify(lag_late), True))
    # t -> oo: (1 - 1/N)^(t - N) -> 0 for N > 1 (powsimp first so the power is one atom).
    lag_late = sp.powsimp(sp.expand(lag_late), force=True)
    limit = sp.simplify(lag_late.replace(lambda e: e.is_Pow and e.base == q, lambda e: 0))
    steps = (Step("t <= N: the 1/t average; weights (induction)", unrolled_weight(cumulative_mean())),
             *early.steps[-3:],
             Step("t >= N: the 1/N average from the mean of x_1..x_N; weights", late_w),
             *later.steps[-2:],
             Step("Total weight for t >= N: q^(t-N) + sum_{u<t-N} q^u / N, q = 1 - 1/N", gain_late),
             Step("Lag behind a linear drift, L_t = q (L_{t-1} + 1) from L_N = (N-1)/2 (rsolve)",
                  sp.Eq(sp.Symbol("L_t"), lag)),
             Step("lag as t -> oo", limit))
    ok = early.proved and later.proved and gain_late == 1 and limit.is_finite
    result = sp.Tuple(sp.Integer(1), lag)
    return Derivation(result, steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "induction in two phases, geometric sum, rsolve",
        "E mu_hat_t = mu at every t (no initial bias) and the lag stays below N - 1 (it tracks)"
        if ok else f"gain {gain_late}, lag limit {limit}"))


def _gain(h, k):
    h = sp.sympify(h)
    g = h[0] if isinstance(h, sp.Tuple) else h
    return float(numeric(g, t, N)(k, SIZE))


def _lag(h, k):
    if not isinstance(h, sp.Tuple):
        return None  # the statement says "tracks", not how far behind
    return float(numeric(h[1], t, N)(k, SIZE))


def _filters():
    return (Filter("1/min(N,t) average", min_schedule(), {N: SIZE}),)


def _gain_spec(inputs, label):
    obs = tuple(Mean(name=f"E mu_hat_{k} / mu (t = {k / SIZE:g} N)", filt="1/min(N,t) average", time=k,
                     predict=lambda h, k=k: _gain(h, k)) for k in GAIN_TIMES)
    return FilterSpec(label=label, inputs=inputs, filters=_filters(), observables=obs,
                      steps=max(GAIN_TIMES), budgets=budgets(20_000))


def _lag_spec(inputs, label):
    obs = tuple(Lag(name=f"lag of mu_hat_{k} (t = {k // SIZE} N), steps", filt="1/min(N,t) average",
                    time=k, predict=lambda h, k=k: _lag(h, k)) for k in LAG_TIMES)
    return FilterSpec(label=label, inputs=inputs, filters=_filters(), observables=obs,
                      steps=max(LAG_TIMES), budgets=budgets(10_000))


@lru_cache(maxsize=1)
def _uncorrected():
    mom = weight_moments(unrolled_weight(ema()))
    return sp.Tuple(mom.gain, t * (1 - mom.gain) + mom.age)


CLAIM = Claim(
    id="003-min-schedule",
    title="The 1/min(N, t) average is unbiased from the first step and still tracks (lag <= N - 1)",
    source=Source(DECK, "Bias Correction of Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("E_mu_hat_t/mu"), 1),
                        latex_names=None,
                        parse_note="prose; encoded as E mu_hat_t = mu for every t (no bias) with a "
                                   "bounded lag behind a moving mean (tracking)"),
    setting=(N_PARAM, T_PARAM),
    assumptions=(r"\hat{\mu}_0 = 0, \hat{\mu}_t = (1 - 1/\min(N,t))\hat{\mu}_{t-1} + (1/\min(N,t)) x_t",
                 "bias: for a constant mean mu; tracking: behind a linear drift"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("Gaussian values", derive, (
            *filter_witnesses(_gain_spec(constant(1.0, 0.5), f"constant mean 1, Gaussian sd 0.5, N = {SIZE}")),
            *filter_witnesses(_lag_spec(drifting(0.1, 1.0), f"mean 0.1 t, Gaussian sd 1, N = {SIZE}")))),
        Case("heavy-tailed values", derive, (
            *filter_witnesses(_gain_spec(heavy_tailed(1.0, 0.5), f"constant mean 1, Student t(5) sd 0.5, N = {SIZE}")),
            *filter_witnesses(_lag_spec(InputModel("mean 0.1 t, Student t(5) sd 1", 0.1 * t, 1.0, law="student-t"),
                                        f"mean 0.1 t, Student t(5) sd 1, N = {SIZE}")))),
    ),
    mutants=(Mutant("uncorrected 1/N average", lambda d: _uncorrected()),
             Mutant("1/t average (no tracking)", lambda d: sp.Tuple(sp.Integer(1), (t - 1) / 2))),
    expected=Verdict.HOLDS,
)
