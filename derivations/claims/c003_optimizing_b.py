"""003, "Optimizing B": maximising eta*(B)^2 / B gives B* = 16 sigma_hat^2/g_hat^2 and eta* = 1/(2L).

    eta*(B)^2 / B = (1/L^2) (1/sqrt(B) - 2 sigma_hat/(g_hat B))^2
    0 = -(1/2) B^(-3/2) + (2 sigma_hat/g_hat) B^(-2)
    B* = 16 sigma_hat^2 / g_hat^2,   eta*(B*) = eta* = 1/(2L)

Derivation (sympy), with ``c = 2 sigma_hat/g_hat``: the first line is an identity; the
derivative of ``(B^(-1/2) - c B^(-1))^2`` vanishes at ``B = c^2`` (where ``eta*(B) = 0``, a
minimum) and where the slide's second line holds, ``B = 4 c^2 = 16 sigma_hat^2/g_hat^2``; the
second derivative there is negative, and ``eta*(B*) = 1/(2L)``. Two conditions the slide leaves
implicit: (i) the maximisation is over ``B >= c^2`` (``eta*(B) >= 0``; for smaller B the squared
negative rate grows without bound as ``B -> 0``, which the guarantee does not support), and
there ``B*`` is the global maximum; (ii) for ``g_hat < 0`` the slide's stationarity equation
has no positive root, but the valid (``|g_hat|``) guarantee gives the same ``B*`` (it depends
on ``g_hat^2``). So the formulas hold for either sign.

Witnesses: the per-example guarantee maximised numerically over B (deterministic), and
simulated batches of size ``B*`` stepping with ``eta*(B*)`` from the batch: the inserted
guarantee then holds on the +- event (Monte Carlo).
"""

import sympy as sp

from derivations.batch_theory import (BATCH_SETTING, ETA_STAR_B, LOWER_LIMIT, PM_EVENT, B, Lsm, g, ghat,
                                      sigmahat)
from derivations.experiments.batch_events import BatchFrequencies, Frequency, beta, ell
from derivations.experiments.optimum import Axis, NumericalOptimum, points
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Statement,
                               Step, Verdict)
from derivations.mutants import replaced
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import quadratic_setting, source

QUOTE = (r"\frac{\eta^*(B)^2}{B} = \frac{1}{L^2} \left( \frac{1}{\sqrt{B}} - \frac{2\hat{\sigma}}{\hat{g}B} "
         r"\right)^2$$" "\n\n" r"$$0 = -\frac{1}{2}B^{-\frac{3}{2}} + \frac{2\hat{\sigma}}{\hat{g}}B^{-2}$$" "\n\n"
         r"$$B^* = \frac{16\hat{\sigma}^2}{\hat{g}^2}$$" "\n\n" r"$$\eta^*(B^*) = \eta^* = \frac{1}{2L}")
B_STAR = 16 * sigmahat**2 / ghat**2
bstar = sp.Symbol("B_star", positive=True)
VALID_RATE = sp.Max(0, (1 - 2 * sigmahat / (sp.Abs(ghat) * sp.sqrt(B))) / Lsm)
ROUNDING = sp.Rational(1, 10**12)


def derive(sign: int) -> Derivation:
    gh = sp.Symbol("G", positive=True) if sign > 0 else sp.Symbol("G", negative=True)
    rate = ETA_STAR_B.subs(ghat, gh)
    f = rate**2 / B
    slide_line = (1 / sp.sqrt(B) - 2 * sigmahat / (gh * B)) ** 2 / Lsm**2
    if sp.simplify(f - slide_line) != 0:
        raise AssertionError("first line is not an identity")
    slide_eq = -sp.Rational(1, 2) * B ** sp.Rational(-3, 2) + 2 * sigmahat / gh * B**-2
    roots = sp.solve(slide_eq, B)
    steps = [Step("eta*(B)^2/B equals the slide's first line (identity)", sp.Eq(sp.Symbol("f"), slide_line))]
    if sign > 0:
        crit = sp.solve(sp.diff(f, B), B)
        if sorted(crit, key=sp.default_sort_key) != sorted([4 * sigmahat**2 / gh**2, 16 * sigmahat**2 / gh**2],
                                                          key=sp.default_sort_key):
            raise AssertionError(f"unexpected critical points {crit}")
        second = sp.simplify(sp.diff(f, B, 2).subs(B, 16 * sigmahat**2 / gh**2))
        at = sp.simplify(rate.subs(B, 16 * sigmahat**2 / gh**2))
        steps += [Step("Critical points of f (the first is where eta*(B) = 0: a minimum)", sp.FiniteSet(*crit)),
                  Step("The slide's equation 0 = -B^(-3/2)/2 + (2 sigma_hat/g_hat) B^(-2) has the root", sp.FiniteSet(*roots)),
                  Step("f'' at B* (negative: a maximum; on B >= 4 sigma_hat^2/g_hat^2 it is the global one)", second),
                  Step("eta*(B*)", at)]
        if not (second.is_negative and sp.simplify(at - 1 / (2 * Lsm)) == 0):
            raise AssertionError("second-order condition or eta*(B*) failed")
        return Derivation(B_STAR, tuple(steps), Comparison(
            Equivalence.PROVED, "first- and second-order conditions (sympy)",
            "B* = 16 sigma_hat^2/g_hat^2 maximises eta*(B)^2/B on B >= 4 sigma_hat^2/g_hat^2, eta*(B*) = 1/(2L)"))
    valid = (1 - 2 * sigmahat / (-gh * sp.sqrt(B))) / Lsm  # |g_hat| = -g_hat
    crit = sp.solve(sp.diff(valid**2 / B, B), B)
    steps += [Step("For g_hat < 0 the slide's equation has no positive root", sp.FiniteSet(*roots)),
              Step("With the valid rate (1/L)(1 - 2 sigma_hat/(|g_hat| sqrt B)) the critical points are",
                   sp.FiniteSet(*crit)),
              Step("the larger is B* = 16 sigma_hat^2/g_hat^2 again, with rate 1/(2L)",
                   sp.simplify(valid.subs(B, 16 * sigmahat**2 / gh**2)))]
    if roots or 16 * sigmahat**2 / gh**2 not in crit:
        raise AssertionError(f"unexpected roots {roots} / {crit}")
    return Derivation(B_STAR, tuple(steps), Comparison(
        Equivalence.PROVED, "optimum of the valid (|g_hat|) guarantee (sympy)",
        "the formula holds for g_hat < 0 too (it depends on g_hat^2), though the slide's own "
        "stationarity equation has no root there"))


def _deterministic(sign: int) -> NumericalOptimum:
    vals = [(1.0, 1.0, 1.0), (2.0, 3.0, 0.5), (0.5, 0.25, 2.0)]
    pts = points([(f"g_hat = {sign * a:g}, sigma_hat = {s_:g}, L = {l_:g}",
                   {ghat: sp.nsimplify(sign * a), sigmahat: sp.nsimplify(s_), Lsm: sp.nsimplify(l_)})
                  for a, s_, l_ in vals])
    return NumericalOptimum(-VALID_RATE**2 / B, (Axis(B, 1e-2, 1e6, log=True),), pts, B,
                            "argmax over B of the guaranteed decrease per example, (L/2) eta*(B)^2 g_hat^2 / B",
                            name="per-example guarantee maximised numerically")


def _monte_carlo(sign: int) -> BatchFrequencies:
    a, batch = sign * 0.5, 64  # B* = 16 sigma^2/g^2 = 64 at the population values
    freqs = []
    for kind in (GAUSSIAN, TWO_POINT):
        st = quadratic_setting(f"g = {a:g} sigma (B* = 64)", a=a, batch=batch, kind=kind, L=1.0)
        rate = VALID_RATE
        holds = ell(beta - rate * ghat) <= ell(beta) - Lsm / 2 * rate**2 * ghat**2 + ROUNDING
        given = sp.And(PM_EVENT, LOWER_LIMIT > 0) if sign > 0 else sp.And(PM_EVENT, ghat < 0)
        exact = (LOWER_LIMIT - g <= 0) if sign > 0 else (g - ghat <= 2 * sigmahat / sp.sqrt(B))
        freqs.append(Frequency(f"P(guarantee at B = B*, eta = eta*(B*) from the batch | +- event), {st.label}",
                               st, holds, given, exact))
    return BatchFrequencies(tuple(freqs), name="Monte Carlo batches at B = B*")


CLAIM = Claim(
    id="003-optimizing-b",
    title="B* = 16 sigma_hat^2/g_hat^2 maximises eta*(B)^2/B, and eta*(B*) = 1/(2L)",
    source=source(r"Optimizing $B$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(bstar, B_STAR), latex_names=None,
                        parse_note="a chain of four displayed equations; B* = 16 sigma_hat^2/g_hat^2 is compared "
                                   "(eta*(B*) = 1/(2L) is checked in the derivation)"),
    setting=BATCH_SETTING,
    assumptions=("progress per sample: maximise eta*(B)^2 / B", "eta*(B) >= 0 (where the guarantee holds)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("g_hat > 0", lambda: derive(+1), (_monte_carlo(+1), _deterministic(+1)), assumptions=("g_hat > 0",)),
           Case("g_hat < 0 (with the valid |g_hat| guarantee)", lambda: derive(-1),
                (_monte_carlo(-1), _deterministic(-1)), assumptions=("g_hat < 0",))),
    mutants=(replaced("B* = 4 sigma_hat^2/g_hat^2 (where eta*(B) = 0)", 4 * sigmahat**2 / ghat**2),
             replaced("B* = 64 sigma_hat^2/g_hat^2", 64 * sigmahat**2 / ghat**2)),
    expected=Verdict.HOLDS,
    notes=("The calculus is right, with two implicit conditions: the maximisation is over B >= "
           "4 sigma_hat^2/g_hat^2 (eta*(B) >= 0; below it eta*(B)^2/B grows without bound as B -> 0), and "
           "for g_hat < 0 the slide's equation has no root, though the valid |g_hat| guarantee gives the "
           "same B* and eta* = 1/(2L)."),
)
