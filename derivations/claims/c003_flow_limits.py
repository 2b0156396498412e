"""003, "Gradient Flow and Langevin Dynamics": N t updates of size eta/N converge to the flow.

"Gradient flow is defined by dPhi/dt = -eta g. Given Phi(0) we can calculate Phi(t) by
taking the limit as N -> oo of N t discrete-time total updates Phi <- Phi - (eta/N) g. The
limit N -> oo of N t batch updates Phi <- Phi - (eta/N) g_hat also gives Phi(t)."

Derivation: the total updates are Euler's method for ``dPhi/dt = -eta g`` with step ``1/N``;
for a gradient that is Lipschitz on the region visited, the global error is ``O(1/N)``. The
batch updates add ``-(eta/N) (g_hat - g)``: zero-mean increments of variance
``(eta/N)^2 sigma^2/B``, ``N t`` of them, so the mean path is the Euler path up to ``O(1/N)``
(for non-quadratic losses, through the curvature) and the spread is ``O(1/sqrt(N))``:
``N Var -> V(t)`` with ``V' = -2 eta L''(Phi) V + eta^2 sigma^2/B`` along the flow. Both limits
are ``Phi(t)``, in mean square. (Quadratic ``Phi^2/2``: ``Phi(t) = Phi_0 e^{-eta t}``,
``V(t) = eta sigma^2 (1 - e^{-2 eta t})/(2B)``.)

Witnesses on a ladder N = 8, 16, 32: batch updates (Monte Carlo: mean -> Phi(t) at rate 1/N,
``N Var -> V(t)``) and total updates (deterministic Euler), on a quadratic and on the double
well ``(Phi^2 - 1)^2/4``. Compared quantity: the limit of the end point, ``Phi(t)``.
"""

import math
from functools import lru_cache

import sympy as sp

from derivations.experiments.flow import EulerLimit, FlowLimit, FlowSpec
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation, Statement,
                               Step, Verdict)
from derivations.symbols import PHI, Phi, real

from ._deck003 import source

QUOTE = (r"Given  $\Phi(0)$  we can calculate  $\Phi(t)$  by taking the limit as  $N \rightarrow \infty$  of  $Nt$  "
         r"discrete-time total updates  $\Phi \leftarrow \Phi - \frac{\eta}{N} g$ ." "\n\n"
         r"The limit  $N \rightarrow \infty$  of  $Nt$  **batch updates**  $\Phi \leftarrow \Phi - \frac{\eta}{N} "
         r"\hat{g}$  also gives  $\Phi(t)$ .")
phi_flow = sp.Symbol("Phi_t", real=True)
PHI_FLOW = real(phi_flow, r"\Phi(t)", "the gradient flow's value at time t (dPhi/dt = -eta g)")
PHI0, ETA, T, SIGMA, BATCH = 0.5, 1.0, 1.0, 1.0, 4
LOSSES = {"quadratic": Phi**2 / 2, "double well": (Phi**2 - 1) ** 2 / 4}


@lru_cache(maxsize=None)
def flow_solution(name: str):
    """Phi(t) and V(t) = lim N Var, by classical Runge-Kutta (4th order, 4000 steps: error ~1e-14)."""
    loss = LOSSES[name]
    d1 = sp.lambdify(Phi, sp.diff(loss, Phi), "math")
    d2 = sp.lambdify(Phi, sp.diff(loss, Phi, 2), "math")

    def f(y):
        return (-ETA * d1(y[0]), -2 * ETA * d2(y[0]) * y[1] + ETA**2 * SIGMA**2 / BATCH)

    y, n = (PHI0, 0.0), 4000
    h = T / n
    for _ in range(n):
        k1 = f(y)
        k2 = f((y[0] + h / 2 * k1[0], y[1] + h / 2 * k1[1]))
        k3 = f((y[0] + h / 2 * k2[0], y[1] + h / 2 * k2[1]))
        k4 = f((y[0] + h * k3[0], y[1] + h * k3[1]))
        y = (y[0] + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
             y[1] + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]))
    return y


def derive(name: str) -> Derivation:
    loss = LOSSES[name]
    phi_t, v_t = flow_solution(name)
    steps = [Step("Total updates: Euler's method for dPhi/dt = -eta L'(Phi), step 1/N, N t steps; global error O(1/N)",
                  sp.Eq(sp.Derivative(sp.Function("Phi")(sp.Symbol("t")), sp.Symbol("t")), -ETA * sp.diff(loss, Phi))),
             Step("Batch updates: the same plus N t zero-mean increments of variance (eta/N)^2 sigma^2/B: mean "
                  "within O(1/N) of Euler, N Var -> V(t), V' = -2 eta L'' V + eta^2 sigma^2/B", sp.Float(v_t, 12)),
             Step(f"Phi(t) at Phi_0 = {PHI0}, eta = {ETA}, t = {T} (Runge-Kutta, 4000 steps)", sp.Float(phi_t, 15))]
    if name == "quadratic":
        closed = PHI0 * math.exp(-ETA * T)
        v_closed = ETA * SIGMA**2 * (1 - math.exp(-2 * ETA * T)) / (2 * BATCH)
        if abs(closed - phi_t) > 1e-11 or abs(v_closed - v_t) > 1e-11:
            raise AssertionError("ODE solver disagrees with the closed form")
        steps.append(Step("closed form Phi_0 e^{-eta t}; V(t) = eta sigma^2 (1 - e^{-2 eta t})/(2B)",
                          sp.Float(closed, 15)))
    return Derivation(sp.Float(phi_t, 15), tuple(steps), Comparison(
        Equivalence.PROVED, "Euler's convergence theorem; mean-square convergence of the batch updates",
        "both limits are the flow's Phi(t)"))


def _predict(name: str):
    phi_t = flow_solution(name)[0]
    return lambda h: float(sp.sympify(h).subs(phi_flow, phi_t))


def _experiments(name: str):
    spec = FlowSpec(f"{name} {sp.sstr(LOSSES[name])}, Phi_0 = {PHI0}, eta = {ETA}, t = {T}, sigma = {SIGMA}, "
                    f"B = {BATCH}", LOSSES[name], Phi, PHI0, ETA, T, SIGMA, BATCH, (8, 16, 32))
    return (FlowLimit(spec, flow_solution(name)[1], _predict(name)), EulerLimit(spec, _predict(name)))


CLAIM = Claim(
    id="003-flow-limits",
    title="N t total (or batch) updates of size eta/N converge to the gradient flow Phi(t)",
    source=source("Gradient Flow and Langevin Dynamics"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("lim_N_Phi_N"), phi_flow),
                        latex_names=None,
                        parse_note="prose with inline updates; compared as the limit of the end point, which "
                                   "the slide says is the flow's Phi(t)"),
    setting=(PHI, PHI_FLOW),
    assumptions=("the loss's gradient is Lipschitz on the region visited", "batch gradients have finite variance"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=tuple(Case(f"{name} loss", (lambda n=name: derive(n)), _experiments(name), assumptions=(f"{name} loss",))
                for name in LOSSES),
    mutants=(Mutant("displacement doubled (time 2 eta t, to first order)", lambda d: PHI0 + 2 * (d - PHI0)),
             Mutant("displacement halved", lambda d: PHI0 + (d - PHI0) / 2)),
    expected=Verdict.HOLDS,
    notes=("Both limits hold: total updates converge at rate 1/N (Euler), batch updates in mean square with "
           "mean error O(1/N) and spread O(1/sqrt N) (measured: N Var tends to the derived V(t))."),
)
