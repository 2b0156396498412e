"""003, "A Reparameterization" (with "Momentum"): v_t = N eta mu_t for the running average mu_t of g_hat.

The deck's momentum ("Momentum"): v_t = (1 - 1/N) v_{t-1} + eta g_hat_t, Phi_{t+1} = Phi_t - v_t.
The reparameterization: v_t = (1 - 1/N) v_{t-1} + (1/N)(N eta g_hat_t) = N eta mu_t for
mu_t = (1 - 1/N) mu_{t-1} + (1/N) g_hat_t, hence Phi_{t+1} = Phi_t - N eta mu_t.

Derivation: the difference D_t = v_t - N eta mu_t obeys D_t = (1 - 1/N) D_{t-1} (the g_hat
terms cancel), so D_t = (1 - 1/N)^t D_0 (rsolve): the identity holds at every t for any
sequence g_hat (including gradients that depend on Phi) exactly when v_0 = N eta mu_0, e.g.
both 0, which the slide leaves implicit (the running averages of the deck start at 0).
Substituting into Phi_{t+1} = Phi_t - v_t gives the second line.

Simulation: the velocity recurrence runs on many random gradient sequences (drifting,
heavy tailed); its weights, mean and variance are those of N eta times the running average,
and v_t - N eta mu_t, computed on the same draws, vanishes to rounding. Mutants: eta mu_t
(the factor N forgotten) and (N - 1) eta mu_t.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK, N_PARAM, budgets, drifting, heavy_tailed
from derivations.experiments.running_averages import (Filter, FilterSpec, Mean, MeanSquareDifference,
                                                      Variance, Weight, filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.recurrences import (LinearRecurrence, N, ema, momentum_velocity, t,
                                     unrolled_weight, weight_values)
from derivations.symbols import ETA, eta, real

QUOTE = (r"&= N\eta \mu_t \text{ for } \mu_t = \left(1 - \frac{1}{N}\right) \mu_{t-1} + "
         r"\frac{1}{N} \hat{g}_t")
V = sp.Function("v")
MU_T = sp.Symbol("mu_t")
SIZE, RATE = 10, 0.1
AT = (5, 50)


@lru_cache(maxsize=1)
def derive() -> Derivation:
    vel, avg = momentum_velocity(N, eta), ema(N)
    v_prev, m_prev, g_t = sp.symbols("v_prev mu_prev g_t")
    D = sp.Function("D")
    step_difference = sp.simplify(vel.step(v_prev, g_t) - N * eta * avg.step(m_prev, g_t)
                                  - (1 - 1 / N) * (v_prev - N * eta * m_prev))
    solution = sp.rsolve(D(t) - (1 - 1 / N) * D(t - 1), D(t), {D(0): 0})
    ok = step_difference == 0 and solution == 0
    steps = (Step("One step of v_t - N eta mu_t, minus (1 - 1/N)(v_{t-1} - N eta mu_{t-1}): the g_hat terms cancel",
                  step_difference),
             Step("So D_t = v_t - N eta mu_t obeys D_t = (1 - 1/N) D_{t-1}; with v_0 = mu_0 = 0 (rsolve)",
                  sp.Eq(D(t), solution)),
             Step("Weights of v_t on g_hat_s (unrolled)", unrolled_weight(momentum_velocity(N, eta))),
             Step("= N eta x the weights of mu_t", N * eta * unrolled_weight(ema(N))),
             Step("Phi_{t+1} = Phi_t - v_t = Phi_t - N eta mu_t", sp.Eq(V(t), N * eta * MU_T)))
    return Derivation(N * eta * MU_T, steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "recurrence for the difference, rsolve",
        "v_t = N eta mu_t for every t and every gradient sequence, given v_0 = N eta mu_0 (both 0)"))


def _factor(h):
    return float((sp.sympify(h) / MU_T).subs({N: SIZE, eta: RATE}))


def _mu_weights(at):
    return weight_values(unrolled_weight(ema()), {N: SIZE}, at)


def _spec(inputs, label):
    path = inputs.mean_path(max(AT))
    filters = (Filter("velocity v", momentum_velocity(N, eta), {N: SIZE, eta: RATE}),
               Filter("N eta mu", LinearRecurrence("N eta mu", ema().alpha, ema().beta, N * eta), {N: SIZE, eta: RATE}))
    obs = []
    for k in AT:
        obs.append(MeanSquareDifference(name=f"E (v_{k} - N eta mu_{k})^2 / sigma^2", filt="velocity v", other="N eta mu",
                                        time=k, unit=inputs.sd**2, rounding=1e-12,
                                        predict=lambda h, k=k: (_factor(h) - SIZE * RATE) ** 2 / (SIZE * RATE) ** 2
                                        * _msd_scale(k, path, inputs.sd)))
        obs.append(Mean(name=f"E v_{k}", filt="velocity v", time=k,
                        predict=lambda h, k=k: _factor(h) * float(_mu_weights(k) @ path[:k])))
    k = max(AT)
    obs += [Weight(name=f"weight of g_hat_{k - 5} in v_{k}", filt="velocity v", time=k, source=k - 5,
                   predict=lambda h: _factor(h) * float(_mu_weights(k)[k - 6])),
            Variance(name=f"Var v_{k} / sigma^2", filt="velocity v", time=k, unit=inputs.sd**2,
                     predict=lambda h: _factor(h) ** 2 * float(_mu_weights(k) @ _mu_weights(k)))]
    return FilterSpec(label=label, inputs=inputs, filters=filters, observables=tuple(obs), steps=max(AT),
                      budgets=budgets(20_000),
                      note="'N eta mu' is the slide's mu_t times N eta, computed from the same draws")


def _msd_scale(k, path, sd):
    """E (N eta mu_k)^2 / sigma^2: what (c - N eta)^2 / (N eta)^2 multiplies."""
    w = _mu_weights(k) * SIZE * RATE
    return float(w @ w) + (float(w @ path[:k]) / sd) ** 2


CLAIM = Claim(
    id="003-momentum-reparameterization",
    title="Momentum's velocity is N eta times the 1/N running average of the gradients",
    source=Source(DECK, "A Reparameterization"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(V(t), N * eta * MU_T), latex_names=None,
                        parse_note="a line of an aligned chain (&=) with a \\text{ for } clause"),
    setting=(N_PARAM, ETA, real(MU_T, r"\mu_t", "running average of the gradients at step t")),
    assumptions=(r"v_t = (1 - 1/N) v_{t-1} + \eta \hat{g}_t, \Phi_{t+1} = \Phi_t - v_t (the 'Momentum' slide)",
                 r"v_0 = N\eta\mu_0 (both 0; the slide leaves the start implicit)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("drifting Gaussian gradients", derive,
             filter_witnesses(_spec(drifting(0.1, 1.0), "g_hat mean 0.1 t, Gaussian sd 1, N = 10, eta = 0.1"))),
        Case("heavy-tailed gradients", derive,
             filter_witnesses(_spec(heavy_tailed(1.0, 1.0), "g_hat mean 1, Student t(5) sd 1, N = 10, eta = 0.1"))),
    ),
    mutants=(Mutant("eta mu_t (factor N forgotten)", lambda d: d / N),
             Mutant("(N - 1) eta mu_t", lambda d: d * (N - 1) / N)),
    expected=Verdict.HOLDS,
    notes=("The identity is pathwise: it holds for any gradient sequence, so it carries over to "
           "gradients that depend on Phi (the optimiser). It needs v_0 = N eta mu_0; otherwise the "
           "two differ by (1 - 1/N)^t (v_0 - N eta mu_0)."),
)
