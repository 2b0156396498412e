"""003, "Adam (simplified)": Adam with the 1/min(t, N) averages in place of Kingma-Ba's bias correction.

The slide's update, Phi_{t+1}[i] = Phi_t - eta mu_t[i] / (sqrt(s_t[i]) + eps), writes Phi_t
without its [i]: with a vector Phi the right side would subtract a number from the whole
vector. The only well-typed reading, per coordinate, is checked (the reconstruction says so).

What the slide presents is an algorithm; what can be checked is that it is Adam, simplified:

- its first step is Adam's: min(1, N) = 1 gives mu_1 = g_hat_1 and s_1 = g_hat_1^2, so the step
  is eta g_hat_1 / (|g_hat_1| + eps) ~ eta sign(g_hat_1), as Kingma-Ba's m_hat_1 = g_hat_1,
  v_hat_1 = g_hat_1^2 give; without any correction it would be eta sqrt(N_s)/N_g sign(g_hat_1);
- both moment estimates are unbiased from the first step (weights summing to 1, as in
  003-min-schedule): E mu_t = E g_hat, E s_t = E g_hat^2 at every t;
- eps sits outside the square root, as in Kingma-Ba (the RMSProp slide has sqrt(s + eps));
- from t = N on both averages are the 1/N recurrences, so the two algorithms' moment
  estimates differ only by a transient (1 - 1/N)^{t-N} (measured in 003-adam-bias-correction).

Simulation: gradients g + sigma e at a fixed parameter (the bias-correction regime), N_g = 5,
N_s = 100; the first step's mean sign-weighted size E[step_1]/eta = erf(g/(sigma sqrt 2)), its
pathwise difference from Kingma-Ba's first step (zero), and the unbiasedness of mu_t and s_t.
"""

from functools import lru_cache
from math import erf, sqrt

import sympy as sp

from derivations.experiments.averages_settings import DECK, budgets
from derivations.experiments.running_averages import (AdamStep, Filter, FilterSpec, InputModel, Mean,
                                                      filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Confidence, Derivation, Equivalence, Mutant,
                               Reconstruction, Relation, Source, Statement, Step, Verdict)
from derivations.recurrences import N, kingma_ba, min_schedule, min_schedule_weight, t
from derivations.symbols import positive
from numerics.running_average import BATCH_MEAN_SQUARED

QUOTE = r"\Phi_{t+1}[i] = \Phi_t - \frac{\eta}{\sqrt{s_t[i]} + \epsilon} \mu_t[i]"
LATEX = r"\Phi_{t+1}[i] = \Phi_t[i] - \frac{\eta}{\sqrt{s_t[i]} + \epsilon} \mu_t[i]"
Ng, Ns = sp.symbols("N_g N_s", positive=True)
SIZES = {Ng: 5, Ns: 100}
G_VALUE, SD, EPS = 0.5, 1.0, 1e-8
MU_TIMES, S_TIMES = (2, 5), (2, 50, 100)
q_g, q_s = 1 - 1 / Ng, 1 - 1 / Ns


@lru_cache(maxsize=1)
def derive() -> Derivation:
    g1, eps, eta = sp.symbols("g_1 epsilon eta", real=True)
    rho = sp.Min(1, N)  # min(t, N) at t = 1 for N >= 1
    mu1 = sp.simplify(((1 - 1 / rho) * 0 + g1 / rho).subs(N, 5))
    s1 = sp.simplify(((1 - 1 / rho) * 0 + g1**2 / rho).subs(N, 100))
    step = eta * mu1 / (sp.sqrt(s1) + eps)
    kb_m, kb_v = kingma_ba(1 - 1 / Ng), kingma_ba(1 - 1 / Ns)
    kb_step = eta * (kb_m.scale * kb_m.beta).subs(t, 1) * g1 / (sp.sqrt((kb_v.scale * kb_v.beta).subs(t, 1) * g1**2) + eps)
    same_first = sp.simplify(step - kb_step) == 0
    w = min_schedule_weight()
    steps = (Step("t = 1: min(1, N) = 1, so mu_1 and s_1 are", sp.Tuple(mu1, s1)),
             Step("the simplified Adam's first step", step),
             Step("Kingma-Ba's first step (m_hat_1 = g_1, v_hat_1 = g_1^2)", sp.simplify(kb_step)),
             Step("for g_1 > 0 and eps -> 0 (eta sign(g_1) in general)", sp.limit(step.subs(g1, sp.Symbol("a", positive=True)), eps, 0)),
             Step("min(t, N) weights (003-min-schedule); they sum to 1 at every t", w),
             Step("without correction the first step would be eta (g_1/N_g) / (|g_1|/sqrt(N_s) + eps) "
                  "-> eta sqrt(N_s)/N_g sign(g_1)"))
    result = sp.Tuple(sp.Integer(1), sp.Integer(1), sp.Integer(1))
    return Derivation(result, steps, Comparison(
        Equivalence.PROVED if same_first else Equivalence.REFUTED, "first step and weights (sympy)",
        "per coordinate, the first step equals Kingma-Ba's (eta sign(g_1) as eps -> 0) and mu_t, s_t are "
        "unbiased at every t: Adam with the min(t, N) bias correction"))


def _value(h, index, at=1):
    if not isinstance(h, sp.Tuple):
        return None  # the statement is the algorithm itself
    return float(sp.sympify(h[index]).subs(SIZES).subs(t, at))


def _spec():
    inputs = InputModel(f"gradients {G_VALUE} + {SD} e, e ~ N(0, 1)", sp.Float(G_VALUE), SD)
    filters = (Filter("mu", min_schedule(), {N: SIZES[Ng]}),
               Filter("s", min_schedule(), {N: SIZES[Ns]}, channel=BATCH_MEAN_SQUARED),
               Filter("m_hat", kingma_ba(1 - 1 / N), {N: SIZES[Ng]}),
               Filter("v_hat", kingma_ba(1 - 1 / N), {N: SIZES[Ns]}, channel=BATCH_MEAN_SQUARED))
    sign_mean = erf(G_VALUE / (SD * sqrt(2)))
    second = G_VALUE**2 + SD**2
    obs = [AdamStep(name="E step_1 / eta (sign-weighted first step)", filt="mu", other="s", time=1, eps=EPS,
                    signed=True, predict=lambda h: None if _value(h, 0) is None else _value(h, 0) * sign_mean),
           AdamStep(name="E (step_1 - Kingma-Ba step_1)^2 / eta^2", filt="mu", other="s", time=1, eps=EPS,
                    versus=("m_hat", "v_hat"), rounding=1e-12,
                    predict=lambda h: None if _value(h, 0) is None else (_value(h, 0) - 1) ** 2)]
    obs += [Mean(name=f"E mu_{k} / g", filt="mu", time=k, unit=G_VALUE, predict=lambda h, k=k: _value(h, 1, k))
            for k in MU_TIMES]
    obs += [Mean(name=f"E s_{k} / (g^2 + sigma^2)", filt="s", time=k, unit=second,
                 predict=lambda h, k=k: _value(h, 2, k)) for k in S_TIMES]
    return FilterSpec(label=f"gradients {G_VALUE} + {SD} e, N_g = {SIZES[Ng]}, N_s = {SIZES[Ns]}",
                      inputs=inputs, filters=filters, observables=tuple(obs), steps=max(S_TIMES),
                      budgets=budgets(20_000))


CLAIM = Claim(
    id="003-adam-simplified",
    title="The simplified Adam takes Adam's first step and has unbiased moments from t = 1 (per coordinate)",
    source=Source(DECK, "Adam (simplified)"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.true,
        reconstruction=Reconstruction(
            note=("The slide writes Phi_t without [i]; read per coordinate, Phi_t[i] (the only well-typed "
                  "reading: otherwise a number is subtracted from the whole vector Phi_t), as on the "
                  "RMSProp slide."),
            confidence=Confidence.HIGH),
        latex_names=None,
        parse_note="indexed symbols (s_t[i]) that sympy's LaTeX parser does not read; an algorithm, "
                   "checked through its first step and the bias of its averages"),
    setting=(positive(Ng, "N_g", "first-moment length", (1.0, 1000.0)),
             positive(Ns, "N_s", "second-moment length", (1.0, 10000.0))),
    assumptions=(r"\mu_0 = s_0 = 0, weights 1/\min(t, N_g) and 1/\min(t, N_s) (the slide's averages)",
                 "Adam as in Kingma & Ba (2015), Algorithm 1, with beta = 1 - 1/N",
                 "gradients at a fixed parameter (the regime bias correction is about)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("N_g = 5, N_s = 100", derive, filter_witnesses(_spec())),),
    mutants=(Mutant("no bias correction", lambda d: sp.Tuple(sp.sqrt(Ns) / Ng, 1 - q_g**t, 1 - q_s**t)),
             Mutant("second moment uncorrected", lambda d: sp.Tuple(sp.sqrt(Ns), d[1], 1 - q_s**t))),
    expected=Verdict.HOLDS,
    notes=("Phi_t should read Phi_t[i] (typographical). The simplified Adam differs from Kingma-Ba's "
           "only in the weights of its first ~3N values (see 003-adam-bias-correction for the measured "
           "variance and lag differences)."),
)
