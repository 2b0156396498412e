"""003, "Bias Correction of Running Averages": with weight 1/t the running average is exactly the
average of x_1, ..., x_t.

Derivation: the recurrence mu_hat_t = (1 - 1/t) mu_hat_{t-1} + (1/t) x_t from mu_hat_0 = 0
unrolls to weights (1/s) prod_{j=s+1}^t (1 - 1/j) = 1/t (a telescoping product, sympy), and
the form is proved by induction for symbolic t and s; equivalently t mu_hat_t =
(t - 1) mu_hat_{t-1} + x_t telescopes to sum_s x_s.

Simulation: on many random sequences (drifting Gaussian, heavy-tailed) the recurrence is run
beside an independent sample mean (a running sum divided by t); their mean square difference
is pure float64 rounding, and the weight of x_1, the mean and the variance of mu_hat_t are
those of the sample mean.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import (DECK, S_PARAM, T_PARAM, budgets, drifting,
                                                       heavy_tailed)
from derivations.experiments.running_averages import (Filter, FilterSpec, Mean, MeanSquareDifference,
                                                      Variance, Weight, filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.recurrences import (LinearRecurrence, cumulative_mean, induction, linear_form_weight,
                                     s, t, unrolled_weight, weight_values, x)

QUOTE = (r"The following running average maintains the invariant that  $\hat{\mu}_t$  is exactly "
         r"the average of  $x_1, \dots, x_t$ .")
MU_HAT = sp.Function("muhat")
STATED = sp.Sum(x(s), (s, 1, t)) / t
SAMPLE_SUM = LinearRecurrence("running sum / t", sp.Integer(1), sp.Integer(1), 1 / t)
AT = (5, 50)
SD = 1.0


@lru_cache(maxsize=1)
def derive() -> Derivation:
    rec = cumulative_mean()
    w = unrolled_weight(rec)
    proof = induction(rec, w)
    stated_w = linear_form_weight(STATED)
    same = sp.simplify(w - stated_w) == 0
    steps = (Step("Unrolled weight of x_s: (1/s) prod_{j=s+1}^t (1 - 1/j)", w), *proof.steps,
             Step("Hence", sp.Eq(MU_HAT(t), sp.Sum(w * x(s), (s, 1, t)))),
             Step("The slide's invariant, weights", stated_w))
    if not proof.proved:
        raise ArithmeticError(f"the unrolled weights failed their induction: {proof.failure}")
    cmp = (Comparison(Equivalence.PROVED, "induction on t (symbolic t, s)",
                      "every x_s has weight 1/t: mu_hat_t is the average of x_1..x_t")
           if same else Comparison(Equivalence.REFUTED, "induction", f"weights {w} vs {stated_w}"))
    return Derivation(sp.Sum(w * x(s), (s, 1, t)), steps, cmp)


def _w(h, at):
    return weight_values(linear_form_weight(h), {}, at)


def _spec(inputs, label):
    path = inputs.mean_path(max(AT))
    obs = []
    for k in AT:
        obs.append(MeanSquareDifference(
            name=f"E (mu_hat_{k} - sample mean_{k})^2 / sigma^2", filt="1/t recurrence", other="sample mean",
            time=k, unit=inputs.sd**2, rounding=1e-12,
            predict=lambda h, k=k: float(((_w(h, k) - 1 / k) ** 2).sum()
                                         + (((_w(h, k) - 1 / k) @ path[:k]) / inputs.sd) ** 2)))
    k = max(AT)
    obs += [Weight(name=f"t x weight of x_1 in mu_hat_{k}", filt="1/t recurrence", time=k, source=1,
                   unit=1.0 / k, predict=lambda h: float(_w(h, k)[0]) * k),
            Mean(name=f"E mu_hat_{k}", filt="1/t recurrence", time=k,
                 predict=lambda h: float(_w(h, k) @ path[:k])),
            Variance(name=f"t Var mu_hat_{k} / sigma^2", filt="1/t recurrence", time=k,
                     unit=inputs.sd**2 / k, predict=lambda h: float((_w(h, k) ** 2).sum()) * k)]
    return FilterSpec(label=label, inputs=inputs,
                      filters=(Filter("1/t recurrence", cumulative_mean()), Filter("sample mean", SAMPLE_SUM)),
                      observables=tuple(obs), steps=max(AT), budgets=budgets(20_000),
                      note="the sample mean is a running sum divided by t: no 1/t weights")


def _mutant(name, weight):
    return Mutant(name, lambda d, w=weight: sp.Sum(w * x(s), (s, 1, t)))


CLAIM = Claim(
    id="003-cumulative-mean-exact",
    title="With weight 1/t the running average is exactly the mean of x_1..x_t",
    source=Source(DECK, "Bias Correction of Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(MU_HAT(t), STATED), latex_names=None,
                        parse_note="prose: the invariant is encoded as mu_hat_t = (1/t) sum_{s<=t} x_s"),
    setting=(T_PARAM, S_PARAM),
    assumptions=(r"\hat{\mu}_0 = 0, \hat{\mu}_t = (1 - 1/t)\hat{\mu}_{t-1} + (1/t) x_t",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("Gaussian values, drifting mean", derive,
             filter_witnesses(_spec(drifting(0.1, SD), "mean 0.1 t, Gaussian sd 1"))),
        Case("heavy-tailed values", derive,
             filter_witnesses(_spec(heavy_tailed(1.0, SD), "constant mean 1, Student t(5) sd 1"))),
    ),
    mutants=(_mutant("mean of x_2..x_t", sp.Piecewise((1 / (t - 1), s > 1), (0, True))),
             _mutant("mu_hat_0 = 0 counted as a value: weights 1/(t+1)", 1 / (t + 1))),
    expected=Verdict.HOLDS,
)
