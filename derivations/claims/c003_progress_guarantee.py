"""003, "A Progress Guarantee": the step from the second to the third line of the chain.

The slide replaces ``g = g_hat - (g_hat - g)`` by the worst case of the "+-" interval of
"Calculating B* and eta*" (``g = g_hat +- 2 sigma_hat / sqrt(B)``):

    -eta (g_hat - (g_hat - g)) g_hat  <=  -eta (g_hat - 2 sigma_hat / sqrt(B)) g_hat.

Derivation: the difference of the right-hand sides is ``eta g_hat (g_hat - g - 2
sigma_hat/sqrt(B))``, so (eta > 0) the line holds iff ``g_hat (g_hat - g - 2 sigma_hat /
sqrt(B)) <= 0``. For ``g_hat > 0`` that is ``g_hat - g <= 2 sigma_hat/sqrt(B)``: one side of
the +- event, so the line holds whenever the interval covers ``g`` (and also below it).
For ``g_hat < 0`` it is ``g_hat - g >= 2 sigma_hat/sqrt(B)``: the complement of that side,
so on the +- event the line fails (except on its boundary): the slide's bound needs
``|g_hat|`` in place of ``g_hat`` in the factor ``(g_hat - 2 sigma_hat/sqrt(B))``.

The compared quantity is ``P(line 3 holds | +- event, sign of g_hat)``: the slide claims 1.
The simulation evaluates the slide's two sides on simulated batches (Gaussian and
two-point skewed noise, B = 16); it also measures how often the line holds without
conditioning (the probability the guarantee actually carries) and, for ``g_hat < 0``, that
the ``|g_hat|`` form holds on the event.
"""

import sympy as sp

from derivations.batch_theory import (BATCH_SETTING, LINE2_RHS, LINE3_RHS, PM_EVENT, B, eta, g,
                                      ghat, sigmahat)
from derivations.experiments.batch_events import BatchFrequencies, Frequency
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation,
                               Statement, Step, Verdict)
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import complement, one_sided_2sigma, quadratic_setting, source

QUOTE = r"\begin{aligned}\text{loss}(\beta - \eta \hat{g}) &\leq \text{loss}(\beta) - g(\eta \hat{g}) + \frac{1}{2}L(\eta \hat{g})^2 \\ &= \text{loss}(\beta) - \eta(\hat{g} - (\hat{g} - g))\hat{g} + \frac{1}{2}L\eta^2\hat{g}^2 \\ &\leq \text{loss}(\beta) - \eta \left( \hat{g} - \frac{2\hat{\sigma}}{\sqrt{B}} \right) \hat{g} + \frac{1}{2}L\eta^2\hat{g}^2\end{aligned}"
loss_beta = sp.Symbol("loss_beta", real=True)

#: The |g_hat| form that holds on the +- event for either sign.
LINE3_ABS = -eta * (sp.Abs(ghat) - 2 * sigmahat / sp.sqrt(B)) * sp.Abs(ghat) + sp.Symbol("L", positive=True) * eta**2 * ghat**2 / 2
CORRECTION = (r"\text{loss}(\beta - \eta\hat{g}) \leq \text{loss}(\beta) - \eta\left(|\hat{g}| - "
              r"\frac{2\hat{\sigma}}{\sqrt{B}}\right)|\hat{g}| + \frac{1}{2}L\eta^2\hat{g}^2")
BATCH, A = 16, 6 / 4  # |g| sqrt(B) / sigma = 6: the sign of g_hat is that of g


def _condition_steps():
    diff = sp.factor(sp.expand(LINE2_RHS - LINE3_RHS))
    return diff, [
        Step("Line 2 minus line 3 (loss(beta) cancels)", sp.Eq(sp.Symbol("Delta"), diff)),
        Step("With eta > 0, line 3 holds iff", sp.Le(sp.factor(diff / eta), 0)),
    ]


def _derive(sign: int) -> Derivation:
    diff, steps = _condition_steps()
    gh = sp.Symbol("G", positive=True) if sign > 0 else sp.Symbol("G", negative=True)
    reduced = sp.simplify(diff.subs(ghat, gh) / (eta * gh)).subs(gh, ghat)  # divide by eta g_hat
    if sp.simplify(reduced - (ghat - g - 2 * sigmahat / sp.sqrt(B))) != 0:
        raise AssertionError(f"unexpected reduced condition {reduced}")
    side = PM_EVENT.args[0] if (PM_EVENT.args[0].lhs - PM_EVENT.args[0].rhs - reduced).expand() == 0 \
        else PM_EVENT.args[1]
    if sign > 0:
        condition = reduced <= 0
        steps.append(Step("g_hat > 0: dividing by eta g_hat > 0, line 3 holds iff", condition))
        steps.append(Step("which is exactly one side of the +- event g = g_hat +- 2 sigma_hat/sqrt(B); "
                          "on the event it always holds, so P(line 3 | event) =", sp.Integer(1)))
        if sp.simplify((side.lhs - side.rhs) - reduced) != 0:
            raise AssertionError("the condition is not a side of the +- event")
        cmp = Comparison(Equivalence.PROVED, "condition derived symbolically",
                         "for g_hat > 0 the line is the event's upper side g_hat - g <= 2 sigma_hat/sqrt(B)")
        return Derivation(sp.Integer(1), tuple(steps), cmp)
    condition = reduced >= 0
    steps.append(Step("g_hat < 0: dividing by eta g_hat < 0 reverses it; line 3 holds iff", condition))
    steps.append(Step("the complement of the event's side g_hat - g <= 2 sigma_hat/sqrt(B) (but for "
                      "its boundary), so P(line 3 | event) =", sp.Integer(0)))
    point = {eta: 1, g: -1, ghat: -1, sigmahat: 1, B: 4, sp.Symbol("L", positive=True): 1}
    l2, l3 = LINE2_RHS.subs(point), LINE3_RHS.subs(point)
    cmp = Comparison(Equivalence.REFUTED, "condition derived symbolically; counterexample",
                     f"at g = g_hat = -1 (the event holds: the batch gradient is exact), line 2 - "
                     f"loss = {l2} > line 3 - loss = {l3}",
                     {"g": "-1", "g_hat": "-1", "sigma_hat": "1", "B": "4", "eta": "1", "L": "1",
                      "line 2 - loss(beta)": str(l2), "line 3 - loss(beta)": str(l3)})
    return Derivation(sp.Integer(0), tuple(steps), cmp, correction_latex=CORRECTION)


def _experiment(sign: int) -> BatchFrequencies:
    positive = sign > 0
    side = ghat > 0 if positive else ghat < 0
    word = "g_hat > 0" if positive else "g_hat < 0"
    holds_exact = (ghat - g <= 2 * sigmahat / sp.sqrt(B)) if positive else (ghat - g >= 2 * sigmahat / sp.sqrt(B))
    line = LINE2_RHS <= LINE3_RHS
    freqs = []
    for kind in (GAUSSIAN, TWO_POINT):
        st = quadratic_setting(f"g = {sign * A:g} sigma", a=sign * A, batch=BATCH, kind=kind, eta=0.5, L=1.0)
        freqs.append(Frequency(f"P(line 3 | +- event, {word}), {st.label}", st, line,
                               sp.And(PM_EVENT, side), holds_exact, primary=True))
        freqs.append(Frequency(f"P(line 3 | {word}) (no conditioning on the event), {st.label}", st, line,
                               side, holds_exact))
        if not positive:
            freqs.append(Frequency(f"P(|g_hat| form | +- event, {word}), {st.label}", st,
                                   LINE2_RHS <= LINE3_ABS, sp.And(PM_EVENT, side),
                                   g - ghat <= 2 * sigmahat / sp.sqrt(B)))
    return BatchFrequencies(tuple(freqs), name=f"Monte Carlo batches ({word})")


CLAIM = Claim(
    id="003-progress-guarantee",
    title="Progress guarantee, line 3: replacing g by g_hat - 2 sigma_hat/sqrt(B)",
    source=source("A Progress Guarantee"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Le(loss_beta + LINE2_RHS, loss_beta + LINE3_RHS),
        result=sp.Integer(1),
        latex_names=None,
        parse_note="an aligned chain (&=, &\\leq) with \\text{loss}; compared as the probability "
                   "that the inequality holds on the +- event, which the slide takes to be 1"),
    setting=BATCH_SETTING,
    assumptions=("eta > 0, L > 0", "g = g_hat +- 2 sigma_hat / sqrt(B) (the previous slide's interval)",
                 "sigma_hat: the batch's biased sd of per-example gradients"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("g_hat > 0", lambda: _derive(+1), (_experiment(+1),),
             assumptions=("the batch gradient is positive",)),
        Case("g_hat < 0", lambda: _derive(-1), (_experiment(-1),),
             assumptions=("the batch gradient is negative",)),
    ),
    mutants=(one_sided_2sigma(), complement("1 - derived (the sign of g_hat ignored)")),
    expected=Verdict.CONDITIONAL,
    notes=("The inequality holds on the +- event iff g_hat > 0; for g_hat < 0 it fails on the whole "
           "event. Unconditionally it holds with probability P(sqrt(B)(g_hat - g)/sigma_hat <= 2) "
           "for g_hat > 0 (0.964 at B = 16, Gaussian; -> Phi(2) = 0.977 as B grows: one side of the "
           "two-sided 95.4 % interval) and about 0.03 for g_hat < 0. With |g_hat| in the factor "
           "(the correction) it holds on the event for both signs."),
)
