"""003, "A Digression on Bias Correction of Running Averages": for t << N, E mu_hat_t ~ (t/N) mu.

Derivation. The expectation obeys E_t = (1 - 1/N) E_{t-1} + mu/N with E_0 = 0; sympy's rsolve
gives E mu_hat_t = (1 - (1 - 1/N)^t) mu exactly. Against it the slide's (t/N) mu has the
relative error e(t, N) = (t/N) / (1 - (1 - 1/N)^t) - 1 >= 0, which is 0 at t = 1 and, by
(1 - 1/N)^t <= 1 - t/N + t(t-1)/(2N^2), at most (t - 1)/(2N - t + 1): below 5.3 % for every
t <= N/10 (any N), below 10 % for t <= (2N + 11)/11 and below 1 % for t <= (2N + 101)/101.
At t = N it is 1/(1 - (1 - 1/N)^N) - 1, between 1/3 and 1/(e - 1) = 0.58: the
approximation needs t << N, as the slide says.

Simulation: the recurrence on many sequences at N = 100, E mu_hat_t / ((t/N) mu) measured at
t = 1, 2, 5, 10 (in scope, read with a 10 % tolerance) and at t = N (outside the slide's
condition, to show why it matters).
"""

import math
from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import (DECK, MU_PARAM, N_PARAM, T_PARAM, budgets,
                                                       constant)
from derivations.experiments.running_averages import Filter, FilterSpec, Mean, filter_witnesses
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Plot,
                               Relation, Source, Statement, Step, Verdict)
from derivations.recurrences import N, ema, mu, numeric, t

QUOTE = r"E \hat{\mu}_t \approx (t/N)\mu"
M = sp.Symbol("M")  # E mu_hat_t
TOL = 0.10
SIZE = 100
EARLY = (1, 2, 5, 10)


@lru_cache(maxsize=1)
def _exact():
    E = sp.Function("E")
    rec = ema()
    sol = sp.rsolve(E(t) - rec.step(E(t - 1), mu), E(t), {E(0): 0})
    return sp.simplify(sol), rec


def _error():
    exact, _ = _exact()
    return (t / N) * mu / exact - 1


def _threshold(tol: float, size: int) -> int:
    """Largest t with error <= tol at N = size (the error increases with t)."""
    f = numeric(_error().subs({N: size, mu: 1}), t)
    k = 1
    while f(k + 1) <= tol:
        k += 1
    return k


def _steps(exact, rec):
    bound = (t - 1) / (2 * N - t + 1)
    return (
        Step("Expectation of the recurrence (E x_t = mu, E mu_hat_0 = 0)",
             sp.Eq(sp.Symbol("E_t"), rec.step(sp.Symbol("E_{t-1}"), mu))),
        Step("rsolve", sp.Eq(M, exact)),
        Step("Relative error of (t/N) mu", sp.simplify(_error())),
        Step("Upper bound from (1 - 1/N)^t <= 1 - t/N + t(t-1)/(2N^2)", bound),
        Step("The bound at t = N/10 (below 1/19 for every N)", sp.simplify(bound.subs(t, N / 10))),
        Step(f"At N = {SIZE}: largest t within 10 % / 1 %",
             sp.Tuple(_threshold(0.10, SIZE), _threshold(0.01, SIZE))),
    )


@lru_cache(maxsize=1)
def derive_early() -> Derivation:
    exact, rec = _exact()
    worst = max(float(_error().subs({N: SIZE, t: k, mu: 1})) for k in EARLY)
    cmp = Comparison(
        Equivalence.PROVED, "rsolve and a Bernoulli-type bound, symbolic in N",
        f"relative error <= (t-1)/(2N-t+1) <= 1/19 for t <= N/10; here at most {worst:.3%} "
        f"(t <= {max(EARLY)}, N = {SIZE}); within 10 % up to t = {_threshold(0.10, SIZE)} and within "
        f"1 % up to t = {_threshold(0.01, SIZE)} at N = {SIZE}")
    return Derivation(exact, _steps(exact, rec), cmp)


@lru_cache(maxsize=1)
def derive_late() -> Derivation:
    exact, rec = _exact()
    err = float(_error().subs({N: SIZE, t: SIZE, mu: 1}))
    cmp = Comparison(
        Equivalence.REFUTED, "rsolve",
        f"at t = N the relative error is 1/(1 - (1 - 1/N)^N) - 1 = {err:.3f} at N = {SIZE}, between "
        f"1/3 (N = 2) and 1/(e - 1) = {1 / (math.e - 1):.3f} (N -> oo)")
    return Derivation(exact, _steps(exact, rec), cmp)


def _predict(h, k):
    return float(sp.sympify(h).subs({mu: 1, N: SIZE, t: k})) * SIZE / k


def _spec(times, label):
    obs = tuple(Mean(name=f"E mu_hat_{k} / ((t/N) mu) at t = {k}", filt="running average", time=k,
                     unit=k / SIZE, predict=lambda h, k=k: _predict(h, k), stated_tolerance=TOL)
                for k in times)
    return FilterSpec(label=label, inputs=constant(1.0, 0.5), filters=(Filter("running average", ema(), {N: SIZE}),),
                      observables=obs, steps=max(times), budgets=budgets(40_000),
                      plot=_plot if max(times) < SIZE else None)


def _plot(hypotheses):
    err = numeric(_error().subs({N: SIZE, mu: 1}), t)
    ts = list(range(1, SIZE + 1))
    return Plot("series", f"relative error of (t/N) mu against E mu_hat_t, N = {SIZE}",
                {"x": [k / SIZE for k in ts],
                 "series": {"(t/N) mu / E mu_hat_t - 1": [float(err(k)) for k in ts],
                            "bound (t-1)/(2N-t+1)": [(k - 1) / (2 * SIZE - k + 1) for k in ts],
                            "10 %": [TOL] * len(ts), "1 %": [0.01] * len(ts)},
                 "xlabel": "t / N", "ylabel": "relative error"})


CLAIM = Claim(
    id="003-bias-early-linear",
    title="Early on the running average grows linearly: E mu_hat_t ~ (t/N) mu for t << N",
    source=Source(DECK, "A Digression on Bias Correction of Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(M, t * mu / N), latex_names=None,
                        parse_note="sympy's LaTeX parser reads \\approx as a function name"),
    setting=(N_PARAM, T_PARAM, MU_PARAM),
    assumptions=(r"\hat{\mu}_0 = 0, \hat{\mu}_t = (1 - 1/N)\hat{\mu}_{t-1} + (1/N) x_t, E x_t = \mu",
                 "t << N (the slide's condition), read as t <= N/10; '≈' read as within 10 %"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("t << N (t <= N/10)", derive_early,
             filter_witnesses(_spec(EARLY, f"constant mean 1, Gaussian sd 0.5, N = {SIZE}, t = 1..10")),
             ("t <= N/10",)),
        Case("t = N (outside the slide's condition)", derive_late,
             filter_witnesses(_spec((SIZE,), f"constant mean 1, Gaussian sd 0.5, N = {SIZE}, t = N")),
             ("t = N",), in_scope=False),
    ),
    mutants=(Mutant("no bias: E mu_hat_t = mu", lambda d: mu),
             Mutant("one step late: (1 - (1-1/N)^(t+1)) mu", lambda d: d.subs(t, t + 1))),
    expected=Verdict.HOLDS,
    notes=("Exact: E mu_hat_t = (1 - (1 - 1/N)^t) mu. The slide's linear form is its first-order "
           "expansion; relative error 0 at t = 1, about (t - 1)/(2N) for small t."),
)
