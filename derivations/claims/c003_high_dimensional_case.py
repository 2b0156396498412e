"""003, "The High Dimensional Case": treat each parameter independently with the 1-D analysis.

"We now propose treating each dimension Phi[i] of a high dimensional parameter vector Phi
independently using the one dimensional analysis." The 1-D analysis rests on the
smoothness bound along one coordinate, ``loss'' <= L``; applied per coordinate with
``L[i] >= d^2 loss / d Phi[i]^2`` and summed, it claims
``loss(Phi - eta o g_hat) <= loss(Phi) - sum_i (L[i]/2) eta*[i]^2 g_hat[i]^2``.

Derivation: the exact change on a quadratic is ``-g.Delta + (1/2) Delta^T H Delta``; the
summed 1-D bounds use ``(1/2) sum_i L[i] Delta[i]^2``. They bound the truth for every step
iff ``H <= diag(L)`` (positive semidefinite difference): true for a separable loss (diagonal
H), false as soon as coordinates are coupled, where the curvature along a direction can
reach the largest eigenvalue of H, up to ``d max L[i]``. Counterexample (sympy, exact bounds):
``H = (1-rho) I + rho 1 1^T`` with ``rho = 0.9``, ``d = 8``, ``L[i] = H[i,i] = 1``, ``Phi - Phi* = 1``
and bounded (two-point) noise: on every batch where each coordinate's +- event holds, the
step ``eta*[i] g_hat[i]`` *raises* the loss while the guarantee promises a decrease.

So the per-parameter treatment holds when the Hessian is diagonal (or dominated by
``diag(L)``), and can fail completely otherwise. Compared quantity: ``P(summed guarantee |
every coordinate's +- event, eta*[i] > 0)``; the slide's proposal implies 1.
"""

import sympy as sp

from derivations.experiments.coordinatewise import CoordinatewiseGuarantee, QuadraticProblem
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Statement,
                               Step, Verdict)
from numerics.batch_noise import GAUSSIAN, TWO_POINT, TWO_POINT_VALUES

from ._deck003 import complement, one_sided_2sigma, source

QUOTE = (r"We now propose treating each dimension  $\Phi[i]$  of a high dimensional parameter vector  "
         r"$\Phi$  independently using the one dimensional analysis.")
D, RHO, SIGMA, BATCH = 8, 0.9, 1.0, 16


def derive_separable() -> Derivation:
    d = sp.Symbol("d", positive=True, integer=True)
    Li, Di, hi = sp.symbols("L_i Delta_i h_i", positive=True)
    return Derivation(sp.Integer(1), (
        Step("Diagonal H: the loss is a sum of 1-D losses, each with curvature h_i <= L_i, so the exact "
             "change is a sum of 1-D changes, each bounded by its 1-D guarantee", sp.Le(hi * Di**2 / 2, Li * Di**2 / 2)),
        Step("Summing the valid 1-D guarantees (each holds on its +- event with eta*[i] > 0, "
             "003-appendix-inserted-guarantee): P(sum holds | all events) =", sp.Integer(1)),
    ), Comparison(Equivalence.PROVED, "separable loss: sum of valid 1-D guarantees",
                  "H <= diag(L) makes the summed per-coordinate bound valid"))


def derive_coupled() -> Derivation:
    u = sp.Symbol("u", positive=True)
    rho = sp.nsimplify(RHO)
    g = (1 - rho) + rho * D  # gradient component at Phi - Phi* = 1: (H 1)_i
    # A batch of two-point draws has biased sd sqrt(f (1 - f)) (hi - lo) <= (hi - lo)/2, f the
    # fraction of high values; (hi, lo) = (3, -1/3) gives 5/3.
    hi, lo = (sp.nsimplify(v) for v in TWO_POINT_VALUES)
    s_max = (hi - lo) / 2
    a = g - 4 * SIGMA * s_max / sp.sqrt(BATCH)  # on the event: g - 4 sigma_hat/sqrt(B) <= u_i <= g
    b = g
    # excess = -g.u + (1/2) u^T H u + (1/2)|u|^2 (L_i = 1, Delta = u): the guarantee fails iff > 0
    lower = sp.Rational(1, 2) * (2 - rho) * D * a**2 + sp.Rational(1, 2) * rho * D**2 * a**2 - D * g * b
    if not lower > 0:
        raise AssertionError(f"the bound does not prove failure: {lower}")
    steps = (
        Step("H = (1 - rho) I + rho 1 1^T, rho = 9/10, d = 8, L_i = H_ii = 1, Phi - Phi* = 1: g_i =", g),
        Step("Delta_i = eta*[i] g_hat[i] = u_i = g_hat_i - 2 sigma_hat_i/sqrt(B); on the event "
             "g_i - 4 sigma_hat_i/sqrt(B) <= u_i <= g_i, with sigma_hat_i <= (5/3) sigma for the two-point law", sp.Interval(a, b)),
        Step("The guarantee fails iff -g.u + (1/2) u^T H u + (1/2)|u|^2 > 0; with |u|^2 >= d a^2, (sum u)^2 >= "
             "d^2 a^2 and g.u <= d g b this is at least", lower),
        Step("positive on every such batch: P(summed guarantee | events) =", sp.Integer(0)),
    )
    return Derivation(sp.Integer(0), steps, Comparison(
        Equivalence.REFUTED, "exact lower bound on the excess over the event",
        f"the coupled step raises the loss by at least {float(lower):.1f} beyond the promised decrease",
        {"H": "0.1 I + 0.9 * ones(8, 8)", "L_i": "1 = H_ii", "Phi - Phi*": "ones(8)",
         "largest eigenvalue of H": str(1 - rho + rho * D), "excess lower bound": str(lower)}))


def _problem(coupled: bool, kind: int) -> QuadraticProblem:
    if coupled:
        H = tuple(tuple((1 - RHO) * (i == j) + RHO for j in range(D)) for i in range(D))
        return QuadraticProblem(f"coupled H = 0.1 I + 0.9 * ones, d = {D}, B = {BATCH}", H, (1.0,) * D,
                                SIGMA, BATCH, kind)
    H = tuple(tuple(float(1 + i) if i == j else 0.0 for j in range(D)) for i in range(D))
    return QuadraticProblem(f"separable H = diag(1..{D}), d = {D}, B = {BATCH}", H,
                            tuple(1.5 / (1 + i) for i in range(D)), SIGMA, BATCH, kind)


CLAIM = Claim(
    id="003-high-dimensional-case",
    title="Each parameter treated independently with the 1-D guarantee",
    source=source("The High Dimensional Case"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("P_holds"), 1), result=sp.Integer(1),
                        latex_names=None,
                        parse_note="prose; compared as the probability that the summed per-coordinate "
                                   "guarantee holds on every coordinate's +- event (the proposal implies 1)"),
    setting=(),
    assumptions=("L[i] bounds the second derivative along coordinate i",
                 "each coordinate's +- event holds and eta*(B)[i] > 0"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("separable loss (diagonal Hessian)", derive_separable,
                (CoordinatewiseGuarantee(_problem(False, GAUSSIAN)),), assumptions=("H diagonal",)),
           Case("coupled coordinates (H = 0.1 I + 0.9 * ones, d = 8)", derive_coupled,
                (CoordinatewiseGuarantee(_problem(True, TWO_POINT)),), assumptions=("H not diagonal",))),
    mutants=(one_sided_2sigma(), complement()),
    expected=Verdict.CONDITIONAL,
    notes=("Per-coordinate guarantees add up only when H <= diag(L[i]) (e.g. a separable loss). With "
           "coupled coordinates the curvature along the step can be up to d times the per-coordinate "
           "one; on the example the per-coordinate rates raise the loss on every batch. A valid d-dim "
           "version needs L[i] from a diagonal bound on H (e.g. row sums |H_ij|), not H_ii."),
)
