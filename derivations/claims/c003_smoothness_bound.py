"""003, "The Second Derivative of loss(beta)": the smoothness bound and its batch-step form.

With ``loss''(beta) <= L`` (the slide's assumption, read as holding everywhere):

    loss(beta - Delta) <= loss(beta) - g Delta + (1/2) L Delta^2,
    loss(beta - eta g_hat) <= loss(beta) - g (eta g_hat) + (1/2) L (eta g_hat)^2.

Derivation: Taylor's theorem with integral remainder along the segment,
``phi(u) = loss(beta - u Delta)``: ``phi(1) = phi(0) + phi'(0) + int_0^1 (1-u) phi''(u) du``
with ``phi'' = Delta^2 loss''(beta - u Delta) <= L Delta^2``, so the remainder is at most
``L Delta^2 / 2``; the second line is the first at ``Delta = eta g_hat`` (any real number:
the bound is sure, not probabilistic). It is sharp: a quadratic of curvature L attains it.

The bound needs ``loss'' <= L`` on the whole segment from ``beta`` to ``beta - Delta``. The
out-of-scope case shows what fails when L only bounds the curvature at ``beta``: for
``loss = beta^4 / 4`` at ``beta = 1`` with ``L = loss''(1) = 3`` the bound holds iff
``0 <= Delta <= 4``.

The compared quantity is the probability that the bound holds for a batch step; the
simulation evaluates both sides on simulated batches (Gaussian, Student-t, two-point noise).
"""

import random

import sympy as sp

from derivations.batch_theory import BATCH_SETTING, Lsm, eta, g, ghat
from derivations.experiments.batch_events import (BatchFrequencies, BatchSetting, Frequency, beta,
                                                  ell, log_cosh, quadratic_loss)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation,
                               Statement, Step, Verdict)
from numerics.batch_noise import GAUSSIAN, NOISE_NAMES, STUDENT_T, TWO_POINT

from ._deck003 import complement, source, two_sided_2sigma

QUOTE = (r"\text{loss}(\beta - \Delta\beta) \leq \text{loss}(\beta) - g\Delta\beta + "
         r"\frac{1}{2}L\Delta\beta^2$$" "\n\n"
         r"$$\text{loss}(\beta - \eta\hat{g}) \leq \text{loss}(\beta) - g(\eta\hat{g}) + "
         r"\frac{1}{2}L(\eta\hat{g})^2")
Delta = sp.Symbol("Delta", real=True)
u = sp.Symbol("u", nonnegative=True)
#: Double rounding: both sides are O(10) numbers, so 1e-12 is ~1e4 ulps; the bound is an
#: equality on a quadratic, where the computed sides may differ by a few ulps either way.
ROUNDING = sp.Rational(1, 10**12)


def bound(step):
    return ell(beta - step) <= ell(beta) - g * step + Lsm * step**2 / 2


def bound_in_floats(step):
    return ell(beta - step) <= ell(beta) - g * step + Lsm * step**2 / 2 + ROUNDING


def derive_global() -> Derivation:
    phi = ell(beta - u * Delta)
    d2 = sp.diff(phi, u, 2)
    remainder = sp.Integral((1 - u) * d2, (u, 0, 1))
    # Taylor's identity phi(1) = phi(0) + phi'(0) + int (1-u) phi'' du, checked exactly on
    # two random quintics (an identity in the function: any counterexample would show here).
    rng = random.Random(3)
    for _ in range(2):
        coeffs = [sp.Rational(rng.randint(-30, 30), 7) for _ in range(6)]
        f = sp.Lambda(sp.Symbol("w"), sum(c * sp.Symbol("w") ** k for k, c in enumerate(coeffs)))
        lhs = f(beta - Delta)
        rhs = (f(beta) + sp.diff(f(beta - u * Delta), u).subs(u, 0)
               + sp.integrate((1 - u) * sp.diff(f(beta - u * Delta), u, 2), (u, 0, 1)))
        if sp.expand(lhs - rhs) != 0:
            raise AssertionError("Taylor's identity failed on a polynomial")
    sharp = quadratic_loss(1)
    gap = sp.simplify(sharp(beta - Delta) - (sharp(beta) - sp.diff(sharp(beta), beta) * Delta
                                             + Delta**2 / 2))
    steps = (
        Step("phi(u) = loss(beta - u Delta); phi'' =", sp.Eq(sp.Symbol("phi''"), d2)),
        Step("Taylor with integral remainder (checked exactly on random quintics): "
             "loss(beta - Delta) - loss(beta) + g Delta =", remainder),
        Step("(1 - u) >= 0 and loss'' <= L on the segment give remainder <= L Delta^2 int_0^1 (1-u) du =",
             Lsm * Delta**2 / 2),
        Step("Delta = eta g_hat is one real number: the second line is the first, surely", sp.true),
        Step("Sharp: on loss = L beta^2/2 (here L = 1) the gap is", gap),
    )
    return Derivation(sp.Integer(1), steps, Comparison(
        Equivalence.PROVED, "Taylor's theorem with integral remainder",
        "holds for every Delta when loss'' <= L on the segment [beta - Delta, beta]"))


QUARTIC = sp.Lambda(sp.Symbol("w"), sp.Symbol("w") ** 4 / 4)
LOCAL = {"beta": 1, "L": 3, "eta": 1, "sigma": 2, "B": 4}  # L = loss''(1): only local


def _local_event():
    b0 = LOCAL["beta"]
    gap = sp.factor(sp.expand(QUARTIC(b0 - Delta) - (QUARTIC(b0) - b0**3 * Delta + LOCAL["L"] * Delta**2 / 2)))
    region = sp.solve_univariate_inequality(gap <= 0, Delta, relational=False)
    if region != sp.Interval(0, 4 * b0):
        raise AssertionError(f"unexpected region {region}")
    return gap, region


def derive_local() -> Derivation:
    gap, region = _local_event()
    event = sp.And(eta * ghat >= region.start, eta * ghat <= region.end)
    st = _local_setting(GAUSSIAN)
    from derivations.batch_theory import event_probability
    p = event_probability(event.subs(st.constants()), a=st.a, batch=st.batch, kind=st.kind, sigma=st.sigma)
    steps = (Step("loss = beta^4/4 at beta = 1, L = loss''(1) = 3: loss(1 - Delta) - RHS =", gap),
             Step("so the bound holds iff Delta is in", region),
             Step("with Delta = eta g_hat, g_hat ~ N(1, sigma^2/B) (eta = 1, sigma = 2, B = 4): P =",
                  sp.Float(p, 15)))
    return Derivation(sp.Float(p, 15), steps, Comparison(
        Equivalence.REFUTED, "region derived symbolically", f"the bound fails outside 0 <= Delta <= 4",
        {"beta": "1", "Delta": "-1/2", "L": "3 (= loss''(beta) only)",
         "loss(beta - Delta)": str(QUARTIC(sp.Rational(3, 2))),
         "bound": str(QUARTIC(1) + sp.Rational(1, 2) + 3 * sp.Rational(1, 8))}))


def _local_setting(kind):
    return BatchSetting(f"beta^4/4 at beta = 1 with L = loss''(1) = 3, {NOISE_NAMES[kind]} noise, B = 4",
                        QUARTIC, 1.0, LOCAL["sigma"], LOCAL["B"], kind, {eta: 1.0, Lsm: 3.0})


def _global_experiment():
    settings = [
        BatchSetting(f"log cosh at beta = 0.2 (loss'' = 0.96 near L = 1), {NOISE_NAMES[GAUSSIAN]} noise, B = 4",
                     log_cosh(), 0.2, 1.0, 4, GAUSSIAN, {eta: 1.0, Lsm: 1.0}),
        BatchSetting(f"log cosh at beta = 1.5, {NOISE_NAMES[STUDENT_T]} noise, B = 4",
                     log_cosh(), 1.5, 2.0, 4, STUDENT_T, {eta: 1.0, Lsm: 1.0}),
        BatchSetting(f"quadratic beta^2/2 at beta = 0.5 (the bound is an equality), "
                     f"{NOISE_NAMES[TWO_POINT]} noise, B = 4",
                     quadratic_loss(1), 0.5, 1.0, 4, TWO_POINT, {eta: 1.0, Lsm: 1.0}),
    ]
    return BatchFrequencies(tuple(
        Frequency(f"P(bound holds for Delta = eta g_hat), {st.label}", st, bound_in_floats(eta * ghat),
                  primary=True) for st in settings), name="Monte Carlo batch steps")


def _local_experiment():
    gap, region = _local_event()
    st = _local_setting(GAUSSIAN)
    return BatchFrequencies((Frequency(
        f"P(bound holds for Delta = eta g_hat), {st.label}", st, bound_in_floats(eta * ghat),
        exact=sp.And(eta * ghat >= region.start, eta * ghat <= region.end), primary=True),),
        name="Monte Carlo batch steps (L bounds loss'' only at beta)")


CLAIM = Claim(
    id="003-smoothness-bound",
    title="loss(beta - Delta) <= loss(beta) - g Delta + L Delta^2 / 2 when loss'' <= L",
    source=source(r"The Second Derivative of $\text{loss}(\beta)$"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.And(bound(Delta), bound(eta * ghat)),
        result=sp.Integer(1),
        latex_names=None,
        parse_note="two inequalities between \\text{loss} applications; compared as the probability "
                   "that the bound holds for a batch step (a sure inequality: 1)"),
    setting=BATCH_SETTING,
    assumptions=("d^2 loss / d beta^2 <= L (the slide's assumption), read as holding everywhere",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("loss'' <= L everywhere", derive_global, (_global_experiment(),),
             assumptions=("loss'' <= L on the whole segment",)),
        Case("loss'' <= L only at beta", derive_local, (_local_experiment(),),
             assumptions=("L bounds the curvature at the current point only",), in_scope=False),
    ),
    mutants=(two_sided_2sigma(), complement()),
    expected=Verdict.HOLDS,
    notes=("Holds as stated, with the assumption read globally (Taylor with integral remainder); "
           "sharp on a quadratic of curvature L. The out-of-scope case shows the bound failing when L "
           "bounds the curvature only at beta."),
)
