"""003, "Running Averages": the closed form of the running average has the wrong sign in its exponent.

The slide: for mu_hat_0 = 0 the update mu_hat_t = (1 - 1/N) mu_hat_{t-1} + (1/N) x_t gives
mu_hat_t = (1/N) sum_{1<=s<=t} (1 - 1/N)^{-(t-s)} x_s.

Derivation. Unrolling a_t = alpha a_{t-1} + beta x_t from a_0 = 0 puts weight
beta prod_{j=s+1}^t alpha = (1/N)(1 - 1/N)^{t-s} on x_s (sympy Product); the form is then
proved by induction for symbolic t, s and N. The slide's weights fail the induction step
(carrying a weight one step multiplies it by 1 - 1/N, the slide's divides by it); the
first counterexample is t = 2: with N = 2 the recurrence gives x_1/4 + x_2/2, the slide's
form x_1 + x_2/2. Older values get *less* weight, not more.

Simulation. The recurrence runs on many random sequences; the weight of x_s in mu_hat_t
is measured as Cov(mu_hat_t, x_s) / Var(x_s), and the mean for a constant or drifting
input as E mu_hat_t.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import (DECK, N_PARAM, S_PARAM, T_PARAM, budgets,
                                                       constant, drifting)
from derivations.experiments.running_averages import (Filter, FilterSpec, Mean, Weight,
                                                      filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Plot,
                               Relation, Source, Statement, Step, Verdict)
from derivations.recurrences import (N, ema, first_failure, induction, linear_form_weight, s, t,
                                     weight_values, x)

QUOTE = (r"\hat{\mu}_t = \frac{1}{N} \sum_{1 \leq s \leq t} \left(1 - \frac{1}{N}\right)^{-(t-s)} x_s")
CORRECTION = (r"\hat{\mu}_t = \frac{1}{N} \sum_{1 \leq s \leq t} \left(1 - \frac{1}{N}\right)^{t-s} x_s")
MU_HAT = sp.Function("muhat")
j = sp.Symbol("j", integer=True, positive=True)

STATED = sp.Sum((1 - 1 / N) ** (-(t - s)) * x(s), (s, 1, t)) / N

SIZE, AT = 10, 20  # N = 10, weights read at t = 2N
SOURCES = (20, 15, 10, 1)


@lru_cache(maxsize=1)
def derive() -> Derivation:
    rec = ema()
    unrolled = sp.simplify(rec.beta.subs(t, s) * sp.Product(rec.alpha.subs(t, j), (j, s + 1, t)).doit())
    proof = induction(rec, unrolled)
    if not proof.proved:
        raise ArithmeticError(f"the unrolled form failed its own induction: {proof.failure}")
    derived = sp.Sum(unrolled * x(s), (s, 1, t))
    stated_proof = induction(rec, linear_form_weight(STATED))
    fail = first_failure(rec, linear_form_weight(STATED), {N: 2})
    steps = [Step("Unrolled weight of x_s: beta prod_{j=s+1}^t alpha(j)", unrolled),
             *proof.steps,
             Step("Hence (induction on t, symbolic N, t, s)", sp.Eq(MU_HAT(t), derived)),
             Step("The slide's weights in the same induction: " + stated_proof.failure)]
    if fail is None or stated_proof.proved:
        comparison = Comparison(Equivalence.PROVED, "induction", "the slide's form passes the induction")
    else:
        k, iterated, claimed = fail
        steps.append(Step(f"First counterexample, N = 2, t = {k}: the recurrence gives", iterated))
        steps.append(Step("while the slide's form gives", claimed))
        comparison = Comparison(
            Equivalence.REFUTED, "induction on t (symbolic N, t, s) and the first counterexample",
            f"the slide's weights fail the induction step ({stated_proof.failure}); the recurrence "
            "multiplies a carried weight by (1 - 1/N), so the exponent is t - s, not -(t - s)",
            {"N": "2", "t": str(k), "recurrence": str(iterated), "slide": str(claimed)})
    return Derivation(derived, tuple(steps),
                      comparison, correction_latex=CORRECTION)


def _weight(h, at, source):
    return float(linear_form_weight(h).subs({N: SIZE, t: at, s: source})) * SIZE


def _mean(h, inputs, at):
    w = weight_values(linear_form_weight(h), {N: SIZE}, at)
    return float(w @ inputs.mean_path(at))


def _spec(inputs, label):
    filt = Filter("running average", ema(), {N: SIZE})
    obs = [Weight(name=f"N x weight of x_{k} in mu_hat_{AT}", filt="running average", time=AT,
                  source=k, unit=1.0 / SIZE, predict=lambda h, k=k: _weight(h, AT, k)) for k in SOURCES]
    obs.append(Mean(name=f"E mu_hat_{AT}", filt="running average", time=AT,
                    predict=lambda h: _mean(h, inputs, AT)))
    return FilterSpec(label=label, inputs=inputs, filters=(filt,), observables=tuple(obs), steps=AT,
                      budgets=budgets(20_000), plot=_plot)


def _plot(hypotheses):
    ages = list(range(0, AT))
    series = {}
    for label, h in hypotheses.items():
        series[label] = [_weight(h, AT, AT - a) for a in ages]
    return Plot("series", f"N x weight of x_(t-n) in mu_hat_t, t = {AT}, N = {SIZE}",
                {"x": ages, "series": series, "xlabel": "age n = t - s", "ylabel": "N w"})


def _mutant(name, weight):
    return Mutant(name, lambda d, w=weight: sp.Sum(w * x(s), (s, 1, t)))


CLAIM = Claim(
    id="003-ema-closed-form",
    title="Closed form of the running average: weights (1 - 1/N)^{t-s} / N, not (1 - 1/N)^{-(t-s)} / N",
    source=Source(DECK, "Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(MU_HAT(t), STATED),
                        latex_names=None,
                        parse_note=r"a sum with a condition subscript (\sum_{1 \leq s \leq t}) and an "
                                   "indexed sequence x_s, which sympy's LaTeX parser does not read"),
    setting=(N_PARAM, T_PARAM, S_PARAM),
    assumptions=(r"\hat{\mu}_0 = 0, \hat{\mu}_t = (1 - 1/N)\hat{\mu}_{t-1} + (1/N) x_t (the slide's update)",
                 "N > 1"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("Gaussian values, constant mean", derive,
             filter_witnesses(_spec(constant(1.0, 0.5), "constant mean 1, Gaussian sd 0.5, N = 10"))),
        Case("Gaussian values, drifting mean", derive,
             filter_witnesses(_spec(drifting(0.1, 0.5), "mean 0.1 t, Gaussian sd 0.5, N = 10"))),
    ),
    mutants=(_mutant("weights (1-1/N)^(t-s) without 1/N", (1 - 1 / N) ** (t - s)),
             _mutant("weights (1-1/N)^(t-s+1)/N", (1 - 1 / N) ** (t - s + 1) / N)),
    expected=Verdict.ERRATUM,
    notes=("The recurrence multiplies every carried weight by 1 - 1/N < 1, so a value s steps old "
           "has weight (1/N)(1 - 1/N)^{t-s}: the exponent's sign is flipped on the slide (the "
           "slide's weights grow without bound with age)."),
)
