"""003, "A Digression on Bias Correction of Running Averages": E mu_hat_1 = mu / N.

The slide runs mu_hat_t = (1 - 1/N) mu_hat_{t-1} + (1/N) x_t from mu_hat_0 = 0 and states
that for mu = E x the first average is biased toward zero: E mu_hat_1 = mu / N. The
derivation applies the recurrence once and takes the expectation (linearity). The
simulation runs the recurrence on many sequences, Gaussian and heavy tailed, and measures
N E mu_hat_1 / mu.
"""

import sympy as sp

from derivations.experiments.averages_settings import (DECK, MU_PARAM, N_PARAM, budgets, constant,
                                                       heavy_tailed)
from derivations.experiments.running_averages import Filter, FilterSpec, Mean, filter_witnesses
from derivations.model import Case, Claim, Derivation, Relation, Source, Statement, Step, Verdict
from derivations.mutants import scaled
from derivations.recurrences import N, ema, mu

M = sp.Symbol("M")  # stands for E mu_hat_1 in the parser guard (single letters only)
QUOTE = r"E \hat{\mu}_1 = \mu/N"

#: N = 10: the mutant mu / (N - 1) sits 11 % away, resolvable with ~40 000 sequences.
SIZE = 10


def derive() -> Derivation:
    rec = ema()
    first = rec.step(sp.Integer(0), mu, 1)  # E mu_hat_1 = alpha E mu_hat_0 + beta E x_1
    return Derivation(sp.simplify(first), (
        Step("The recurrence at t = 1 with mu_hat_0 = 0", sp.Eq(sp.Symbol(r"\hat{\mu}_1"), rec.step(0, sp.Symbol("x_1"), 1))),
        Step("Expectation (linear), E x_1 = mu", sp.Eq(M, first)),
    ))


def _predict(h):
    return float(sp.sympify(h).subs({mu: 1, N: SIZE})) * SIZE


def _spec(inputs, label):
    ema_ = Filter("running average", ema(), {N: SIZE})
    return FilterSpec(
        label=label, inputs=inputs, filters=(ema_,), steps=1, budgets=budgets(40_000),
        observables=(Mean(name="N E mu_hat_1 / mu", predict=_predict, filt="running average",
                          time=1, unit=1.0 / SIZE),))


CLAIM = Claim(
    id="003-bias-first-step",
    title="The running average from mu_hat_0 = 0 starts biased: E mu_hat_1 = mu / N",
    source=Source(DECK, "A Digression on Bias Correction of Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(M, mu / N),
                        latex_names={r"E \hat{\mu}_1": "M"}),
    setting=(N_PARAM, MU_PARAM),
    assumptions=(r"\hat{\mu}_0 = 0, \hat{\mu}_t = (1 - 1/N)\hat{\mu}_{t-1} + (1/N) x_t",
                 r"\mu = E x_1 (the slide's \mu \doteq E x)"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=(
        Case("Gaussian values", derive,
             filter_witnesses(_spec(constant(1.0, 0.2), "Gaussian values, mean 1, sd 0.2, N = 10"))),
        Case("heavy-tailed values", derive,
             filter_witnesses(_spec(heavy_tailed(1.0, 0.2), "Student t(5) values, mean 1, sd 0.2, N = 10"))),
    ),
    mutants=(scaled(N, "mu (no bias)"), scaled(N / (N - 1), "mu/(N-1)")),
    expected=Verdict.HOLDS,
)
