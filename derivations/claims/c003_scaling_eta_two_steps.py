"""003, "Scaling eta" (first slide): two batch-1 updates approximate one update on both examples.

    Phi_{t+2} = Phi_{t+1} - eta_1 grad loss(Phi_{t+1}, x_{t+1})
              ~ Phi_{t+1} - eta_1 grad loss(Phi_t, x_{t+1})
              = Phi_t - eta_1 (grad loss(Phi_t, x_t) + grad loss(Phi_t, x_{t+1}))

Derivation: with ``F(Phi, x)`` the per-example gradient, the error of the approximation is
``-eta_1 [F(Phi_t - eta_1 F(Phi_t, x_t), x_{t+1}) - F(Phi_t, x_{t+1})]``; its Taylor series in
``eta_1`` (sympy) starts at ``eta_1^2 d_Phi F(Phi_t, x_{t+1}) F(Phi_t, x_t)``: the "~" is a
first-order approximation, exact up to ``O(eta_1^2)`` (the "gradient drift" the deck names).
The compared quantity is the order ``p`` of the error, ``O(eta_1^p)``: 2.

The simulation runs both updates on the same examples for the loss ``Phi^2/2 + Phi^4/4``
(a varying curvature) with per-example noise, on a geometric ladder of ``eta_1``; it measures
the order of the RMS error and the leading coefficient ``E[error]/eta_1^2 -> (1 + 3 Phi^2) g``.
"""

import sympy as sp

from derivations.experiments.step_scaling import ErrorOrder, StepPair
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Statement, Step,
                               Verdict, single_case)
from derivations.mutants import replaced
from derivations.symbols import PHI, Phi, positive
from numerics.batch_noise import TWO_POINT

from ._deck003 import source

QUOTE = (r"\approx \Phi_{t+1} - \eta_1 \nabla_{\Phi} \text{loss}(\Phi_t, x_{t+1}, y_{t+1})$$" "\n\n"
         r"$$= \Phi_t - \eta_1 ((\nabla_{\Phi} \text{loss}(\Phi_t, x_t, y_t)) + "
         r"(\nabla_{\Phi} \text{loss}(\Phi_t, x_{t+1}, y_{t+1})))")
eta1 = sp.Symbol("eta_1", positive=True)
x1, x2 = sp.symbols("x_t x_t1", real=True)
F = sp.Function("F", real=True)  # per-example gradient F(Phi, x)
order = sp.Symbol("p", positive=True)
ORDER = positive(order, "p", "order of the approximation's error, O(eta_1^p)", (0.5, 4.0))
ETA1 = positive(eta1, r"\eta_1", "learning rate at batch size 1", (1e-3, 1.0))

MEAN_GRADIENT = Phi + Phi**3  # loss Phi^2/2 + Phi^4/4: curvature 1 + 3 Phi^2
X0 = 1.0


def derive() -> Derivation:
    phi1 = Phi - eta1 * F(Phi, x1)
    exact = phi1 - eta1 * F(phi1, x2)
    approx = Phi - eta1 * (F(Phi, x1) + F(Phi, x2))
    error = exact - approx
    series = sp.series(error, eta1, 0, 3).removeO().doit()
    lead = sp.simplify(series.coeff(eta1, 2))
    if sp.simplify(series.coeff(eta1, 0)) != 0 or sp.simplify(series.coeff(eta1, 1)) != 0 or lead == 0:
        raise AssertionError(f"unexpected series {series}")
    coeff = sp.diff(MEAN_GRADIENT, Phi) * MEAN_GRADIENT
    steps = (Step("Two batch-1 updates", sp.Eq(sp.Symbol("Phi_t2"), exact)),
             Step("The slide's approximation", sp.Eq(sp.Symbol("Phi_t2_approx"), approx)),
             Step("Error, Taylor series in eta_1 (orders 0 and 1 vanish)", sp.Eq(sp.Symbol("error"), series)),
             Step("Leading coefficient (eta_1^2): d_Phi F(Phi_t, x_{t+1}) F(Phi_t, x_t)", lead),
             Step("For loss Phi^2/2 + Phi^4/4 with additive per-example noise, E[error]/eta_1^2 -> "
                  "(1 + 3 Phi^2)(Phi + Phi^3); at Phi = 1:", coeff.subs(Phi, 1)))
    return Derivation(sp.Integer(2), steps, Comparison(
        Equivalence.PROVED, "Taylor series in eta_1 (sympy)",
        "the approximation is first order: its error is O(eta_1^2), with a nonzero eta_1^2 term"))


PAIR = StepPair("loss Phi^2/2 + Phi^4/4 at Phi = 1, two-point skewed noise (sigma = 1)", MEAN_GRADIENT, Phi,
                X0, 1.0, TWO_POINT, b=1, n=2, k=2.0)

CLAIM = Claim(
    id="003-scaling-eta-two-steps",
    title="Two batch-1 updates ~ one update with both gradients at Phi_t (first order)",
    source=source(r"Scaling $\eta$"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(sp.Symbol("Phi_t2"), Phi - eta1 * (F(Phi, x1) + F(Phi, x2))),
        result=sp.Integer(2), latex_names=None,
        parse_note="an approximation (\\approx) between update rules with \\nabla and \\text{loss}; "
                   "compared as the order p of its error O(eta_1^p), which a first-order '~' makes 2"),
    setting=(PHI, ETA1, ORDER),
    assumptions=("the per-example loss is twice differentiable in Phi",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, [ErrorOrder(PAIR, (0.0025, 0.005, 0.01, 0.02),
                                          leading=float((sp.diff(MEAN_GRADIENT, Phi) * MEAN_GRADIENT).subs(Phi, X0)))]),
    mutants=(replaced("error O(eta_1) (zeroth order)", 1), replaced("error O(eta_1^3)", 3)),
    expected=Verdict.HOLDS,
    notes=("A first-order approximation: the neglected gradient drift contributes "
           "eta_1^2 loss''(Phi_t) grad loss(Phi_t, x_t), relative size ~ eta_1 loss'' of the step."),
)
