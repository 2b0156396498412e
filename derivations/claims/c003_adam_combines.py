"""003, "Adam — Adaptive Momentum": Adam combines momentum and RMSProp (and bias-corrects both).

Kingma and Ba (ICLR 2015, Algorithm 1): m_t = beta_1 m_{t-1} + (1 - beta_1) g_t,
v_t = beta_2 v_{t-1} + (1 - beta_2) g_t^2, m_hat = m_t/(1 - beta_1^t), v_hat = v_t/(1 - beta_2^t),
theta_t = theta_{t-1} - alpha m_hat / (sqrt(v_hat) + eps).

Derivation: with N_mu = 1/(1 - beta_1) the m-recurrence is, term by term, the deck's
reparameterized momentum average mu_t = (1 - 1/N_mu) mu_{t-1} + (1/N_mu) g_hat_t ("A
Reparameterization"), and with N_s = 1/(1 - beta_2) the v-recurrence is RMSProp's
s_t = (1 - 1/N_s) s_{t-1} + (1/N_s) g_hat_t^2; the step is momentum's Phi - eta' mu_t with
RMSProp's per-coordinate scaling 1/(sqrt(s_t) + eps), plus the bias correction the slide
mentions. Simulation: Kingma-Ba's recurrences, written with beta_1 = 0.9 and beta_2 = 0.999
(their defaults), run on many gradient sequences; their means and variances are those of
the deck's averages with N_mu = 10 and N_s = 1000.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK, budgets
from derivations.experiments.running_averages import (Filter, FilterSpec, InputModel, Mean, Variance,
                                                      filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.recurrences import N, LinearRecurrence, ema, unrolled_weight, weight_values
from derivations.symbols import positive
from numerics.running_average import BATCH_MEAN_SQUARED

QUOTE = "Adam combines momentum and RMSProp."
b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
BETAS = {b1: 0.9, b2: 0.999}
G_VALUE, SD = 0.5, 1.0
M_TIMES, V_TIMES = (2, 5, 20), (100, 1000)


@lru_cache(maxsize=1)
def derive() -> Derivation:
    Nmu, Ns = 1 / (1 - b1), 1 / (1 - b2)
    prev, g = sp.symbols("prev g_t")
    kb_m = b1 * prev + (1 - b1) * g
    kb_v = b2 * prev + (1 - b2) * g**2
    deck_mu = ema(N).step(prev, g).subs(N, Nmu)
    deck_s = ema(N).step(prev, g**2).subs(N, Ns)
    same_m, same_v = sp.simplify(kb_m - deck_mu) == 0, sp.simplify(kb_v - deck_s) == 0
    steps = (Step("Kingma-Ba first moment step", kb_m),
             Step("the deck's mu_t step with N_mu = 1/(1 - beta_1)", sp.simplify(deck_mu)),
             Step("Kingma-Ba second moment step", kb_v),
             Step("RMSProp's s_t step with N_s = 1/(1 - beta_2)", sp.simplify(deck_s)),
             Step("Kingma-Ba's step alpha m_hat/(sqrt(v_hat) + eps): momentum in the mu form (eta' = alpha) "
                  "scaled per coordinate as in RMSProp, with m, v bias corrected by 1/(1 - beta^t)"))
    ok = same_m and same_v
    return Derivation(sp.Tuple(Nmu, Ns), steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "the recurrences term by term",
        "m_t is momentum's mu_t (N_mu = 1/(1 - beta_1)) and v_t is RMSProp's s_t (N_s = 1/(1 - beta_2))"
        if ok else "the recurrences differ"))


def _weights(size, at):
    return weight_values(unrolled_weight(ema()), {N: size}, at)


def _predict(h, index, at, kind, inputs):
    if not isinstance(h, sp.Tuple):
        return None  # the statement names no lengths
    size = float(h[index].subs(BETAS))
    w = _weights(size, at)
    path = inputs.mean_path(at)
    if kind == "mean":
        return float(w @ path) if index == 0 else float(w @ (path**2 + inputs.sd**2))
    return float(w @ w) * inputs.sd**2


def _specs():
    inputs = InputModel(f"gradients {G_VALUE} + {SD} e, e ~ N(0, 1)", sp.Float(G_VALUE), SD)
    m = Filter("Kingma-Ba m", LinearRecurrence("m", b1, 1 - b1), BETAS)
    v = Filter("Kingma-Ba v", LinearRecurrence("v", b2, 1 - b2), BETAS, channel=BATCH_MEAN_SQUARED)
    m_obs = tuple(Mean(name=f"E m_{k}", filt="Kingma-Ba m", time=k,
                       predict=lambda h, k=k: _predict(h, 0, k, "mean", inputs)) for k in M_TIMES)
    m_obs += (Variance(name=f"Var m_{M_TIMES[-1]}", filt="Kingma-Ba m", time=M_TIMES[-1],
                       predict=lambda h: _predict(h, 0, M_TIMES[-1], "var", inputs)),)
    v_obs = tuple(Mean(name=f"E v_{k}", filt="Kingma-Ba v", time=k,
                       predict=lambda h, k=k: _predict(h, 1, k, "mean", inputs)) for k in V_TIMES)
    return (FilterSpec(label="Kingma-Ba m, beta_1 = 0.9", inputs=inputs, filters=(m,), observables=m_obs,
                       steps=max(M_TIMES), budgets=budgets(40_000)),
            FilterSpec(label="Kingma-Ba v, beta_2 = 0.999", inputs=inputs, filters=(v,), observables=v_obs,
                       steps=max(V_TIMES), budgets=budgets(4_000)))


CLAIM = Claim(
    id="003-adam-combines",
    title="Adam's m_t and v_t are momentum's mu_t (N_mu = 1/(1-beta_1)) and RMSProp's s_t (N_s = 1/(1-beta_2))",
    source=Source(DECK, "Adam — Adaptive Momentum"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.true, latex_names=None,
                        parse_note="prose: a proposition, checked through the lengths N that make the "
                                   "recurrences coincide"),
    setting=(positive(b1, r"\beta_1", "Adam's first-moment decay", (0.5, 0.999)),
             positive(b2, r"\beta_2", "Adam's second-moment decay", (0.9, 0.9999))),
    assumptions=("Adam as in Kingma & Ba (2015), Algorithm 1",
                 "momentum in the deck's mu form ('A Reparameterization'), RMSProp as on its slide"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("Kingma-Ba defaults beta_1 = 0.9, beta_2 = 0.999", derive,
                tuple(w for spec in _specs() for w in filter_witnesses(spec))),),
    mutants=(Mutant("N = beta/(1 - beta) (the mean age)", lambda d: sp.Tuple(d[0] - 1, d[1] - 1)),
             Mutant("N = 2/(1 - beta) (window equivalent)", lambda d: sp.Tuple(2 * d[0], 2 * d[1]))),
    expected=Verdict.HOLDS,
)
