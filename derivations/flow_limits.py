"""Derivations for "SGD with N = t/eta steps converges to gradient flow", from the update alone.

Two routes, both starting from SGD's update ``Phi_{k+1} = Phi_k - eta ghat_i(Phi_k)`` with
``i`` uniform over the training set, never from the slide's conclusion:

- gradients linear in ``Phi`` (least squares, ``ghat_i = X_i Phi - Y_i``): the mean obeys
  ``m_{k+1} = (1 - eta a) m_k + eta c`` exactly (``a = E X``, ``c = E Y``); its closed form
  is checked against the recursion, its limit with ``N = t/eta`` taken by sympy, and compared
  with the flow solved by ``dsolve``; the series in ``eta`` gives the bias coefficient;
- any polynomial gradients: the one-step moments ``E[dPhi] = -eta g``, ``Var[dPhi] = eta^2
  Sigma`` are computed from the examples, and their leading-order consequences over
  ``N = t / eta`` steps (``E Phi_N = Phi(t) + eta C(t)``, ``Var Phi_N = eta V(t)``; see
  :mod:`derivations.experiments.sgd_flow`) give the limits and the rates.
"""

from __future__ import annotations

import sympy as sp

from .experiments.sgd_flow import TrainingSet
from .model import Comparison, Derivation, Equivalence, Step
from .symbols import eta
from .tables import table

__all__ = ["derive_flow_limit", "one_step_moments"]

N = sp.Symbol("N", positive=True, integer=True)
t_ = sp.Symbol("t", positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)


def one_step_moments(data: TrainingSet) -> tuple[sp.Expr, sp.Expr]:
    """``(E[dPhi | Phi], Var[dPhi | Phi])`` of one SGD step, averaged over the examples."""
    steps = [-eta * gi for gi in data.gradients]
    n = len(steps)
    mean = sp.expand(sum(steps) / n)
    var = sp.expand(sum((s - mean) ** 2 for s in steps) / n)
    return mean, var


def _linear_route(data: TrainingSet, phi0: float, t: float) -> tuple[list[Step], float]:
    """Exact mean of SGD for linear gradients; returns the steps and the bias coefficient."""
    a_, c_, p0 = sp.symbols("a c Phi_0", positive=True)
    mean_N = c_ / a_ + (1 - eta * a_) ** N * (p0 - c_ / a_)
    recursion_ok = sp.simplify(mean_N.subs(N, N + 1) - ((1 - eta * a_) * mean_N + eta * c_)) == 0
    if not (recursion_ok and sp.simplify(mean_N.subs(N, 0) - p0) == 0):
        raise ArithmeticError("closed form of the mean does not satisfy its recursion")
    limit = sp.limit(mean_N.subs(N, t_ / eta), eta, 0)
    P = sp.Function("Phi")
    flow = sp.dsolve(sp.Eq(P(t_).diff(t_), -(a_ * P(t_) - c_)), P(t_), ics={P(0): p0}).rhs
    gap = sp.simplify(limit - flow)
    series = sp.series(mean_N.subs(N, t_ / eta) - flow, eta, 0, 2).removeO()
    coef = sp.simplify(series.coeff(eta, 1))
    if gap != 0 or sp.simplify(series.coeff(eta, 0)) != 0:
        raise ArithmeticError(f"the exact mean's limit {limit} is not the flow {flow}")
    g = data.mean_gradient
    values = {a_: sp.diff(g, data.state), c_: -g.subs(data.state, 0),
              p0: sp.Rational(str(phi0)), t_: sp.Rational(str(t))}
    steps = [
        Step("Linear per-example gradients ghat_i = X_i Phi - Y_i; a = E X, c = E Y; the mean "
             "m_N = E Phi_N obeys m_{N+1} = (1 - eta a) m_N + eta c, solved by",
             sp.Eq(sp.Symbol("m_N"), mean_N)),
        Step("Gradient flow dPhi/dt = -(a Phi - c), solved by dsolve", sp.Eq(P(t_), flow)),
        Step("With N = t/eta, the limit eta -> 0 of m_N (sympy limit) minus the flow",
             sp.Eq(sp.Symbol("gap"), gap)),
        Step("Series in eta: m_N - Phi(t) = eta C(t) + O(eta^2) with", sp.Eq(sp.Symbol("C(t)"), coef)),
        Step("For this training set (a, c, Phi_0, t) that is", sp.Eq(sp.Symbol("C(t)"), coef.subs(values).evalf(12))),
    ]
    return steps, float(coef.subs(values))


def derive_flow_limit(data: TrainingSet, phi0: float, t: float) -> Derivation:
    """The derived table: limits 0, exponents 1 and 1/2, coefficients C(t), V(t)."""
    x = data.state
    mean, var = one_step_moments(data)
    lo = data.leading_order(phi0, t)
    steps = [
        Step("Mean gradient over the training set", sp.Eq(sp.Symbol("g"), data.mean_gradient)),
        Step("Per-example gradient variance", sp.Eq(sp.Symbol(r"\Sigma"), data.noise_variance)),
        Step("One SGD step: mean of dPhi over the examples", sp.Eq(sp.Symbol("E[dPhi]"), mean)),
        Step("One SGD step: variance of dPhi (eta^2 Sigma)", sp.Eq(sp.Symbol("Var[dPhi]"), var)),
        Step("Over N = t/eta steps the means add N eta g = t g (Euler's scheme for the flow, local "
             "error O(eta^2), global O(eta)) and the variances add N eta^2 Sigma = eta t Sigma: "
             "E Phi_N = Phi(t) + eta C(t) + O(eta^2), Var Phi_N = eta V(t) + O(eta^2) with "
             "V' = -2 g' V + Sigma, C' = -g' C - g' g / 2 - g'' V / 2, V(0) = C(0) = 0"),
        Step("Integrated (RK4) for this training set: Phi(t)", sp.Float(lo["flow"], 12)),
        Step("V(t)", sp.Float(lo["V"], 12)),
        Step("C(t)", sp.Float(lo["C"], 12)),
    ]
    if sp.simplify(mean + eta * data.mean_gradient) != 0 or sp.simplify(var - eta**2 * data.noise_variance) != 0:
        raise ArithmeticError("one-step moments disagree with eta g and eta^2 Sigma")
    if data.is_linear:
        linear, c_exact = _linear_route(data, phi0, t)
        steps += linear
        if abs(c_exact - lo["C"]) > 1e-9 * max(1.0, abs(c_exact)):
            raise ArithmeticError(f"C(t) from the exact series {c_exact} differs from the ODE {lo['C']}")
    if abs(lo["C"]) < 1e-6 or lo["V"] < 1e-9:
        raise ValueError(f"C(t)={lo['C']:.3g}, V(t)={lo['V']:.3g}: the leading orders vanish here, "
                         "so the rates are higher; choose another start or horizon")
    steps.append(Step("Hence E Phi_N -> Phi(t) and Var Phi_N -> 0 (convergence in mean square): the "
                      "bias falls like eta^1 and the spread like eta^(1/2)"))
    result = table(gap_limit=0, var_limit=0, a_bias=1, b_spread=sp.Rational(1, 2),
                   bias_coef=sp.Float(lo["C"], 15), var_coef=sp.Float(lo["V"], 15))
    how = ("exact mean recursion, sympy limit and series" if data.is_linear
           else "expansion of the one-step moments in eta (linear-noise / ODE method)")
    return Derivation(result, tuple(steps), Comparison(
        Equivalence.PROVED, how,
        f"lim E Phi_N - Phi(t) = 0 and lim Var Phi_N = 0 on {data.label} (x = {x})"))
