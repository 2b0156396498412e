"""003, "Gradient Flow Guarantees Progress": l converges, Phi need not.

"If l(Phi) >= 0 then l(Phi) must converge to a limiting value. This does not imply that Phi
converges."

Derivation: along the flow ``dl/dt <= 0`` (003-gradient-flow-progress), so ``l(Phi(t))`` is
non-increasing and bounded below by 0: it converges (monotone convergence). Counterexample
for ``Phi``: ``l = exp(-Phi) >= 0``, flow ``dPhi/dt = eta exp(-Phi)`` solved by sympy:
``Phi(t) = log(exp(Phi_0) + eta t) -> oo`` while ``l -> 0``. Both statements hold.

Compared quantity: the growth of Phi per unit of ``log t`` between two late times on that
counterexample (the exact flow gives ``log((e^{Phi_0} + eta t2)/(e^{Phi_0} + eta t1)) /
log(t2/t1)``, close to 1; "Phi converges" would give 0). The simulation runs the flow by
small batch updates (step 0.5, gradient noise sd 0.001: the flow is the
small-noise limit; with sd 0.2 the accumulated noise, sd ~ 6 by t = 2000, swamps the log t drift) and also measures the loss at the end.
"""

import math

import sympy as sp

from derivations.experiments.flow import DivergentFlow
from derivations.model import Claim, Comparison, Derivation, Equivalence, Relation, Statement, Step, Verdict, single_case
from derivations.mutants import replaced
from derivations.symbols import positive

from ._deck003 import source

QUOTE = (r"If  $\ell(\Phi) \geq 0$  then  $\ell(\Phi)$  must converge to a limiting value." "\n\n"
         r"This does not imply that  $\Phi$  converges.")
PHI0, ETA, T1, T2 = 0.0, 1.0, 200.0, 2000.0
t = sp.Symbol("t", positive=True)


def growth(phi_of_t) -> float:
    return float((phi_of_t.subs(t, T2) - phi_of_t.subs(t, T1)) / sp.log(sp.Float(T2 / T1)))


def derive() -> Derivation:
    phi = sp.Function("Phi")
    p0, eta = sp.nsimplify(PHI0), sp.nsimplify(ETA)
    sol = sp.dsolve(sp.Eq(phi(t).diff(t), eta * sp.exp(-phi(t))), phi(t), ics={phi(0): p0})
    expr = sol.rhs
    if sp.simplify(expr - sp.log(sp.exp(p0) + eta * t)) != 0:
        raise AssertionError(f"unexpected solution {expr}")
    result = sp.Float(growth(expr), 15)
    return Derivation(result, (
        Step("l non-increasing (dl/dt = -eta |grad l|^2 <= 0) and bounded below by 0: l converges", sp.true),
        Step("Counterexample l = exp(-Phi) >= 0: the flow dPhi/dt = eta exp(-Phi) solves to", sp.Eq(phi(t), expr)),
        Step("Phi -> oo (no limit), l = 1/(e^{Phi_0} + eta t) -> 0", sp.limit(expr, t, sp.oo)),
        Step(f"growth of Phi per unit log t between t = {T1:g} and {T2:g}", result)),
        Comparison(Equivalence.PROVED, "monotone convergence; explicit counterexample (sympy dsolve)",
                   "l converges; Phi = log(e^{Phi_0} + eta t) diverges although l -> 0"))


growth_flow = sp.Symbol("growth_flow", positive=True)
GROWTH_FLOW = positive(growth_flow, r"\Delta\Phi/\Delta\log t", "growth of the flow's Phi per unit log t "
                       "(the counterexample's exact flow)", (0.5, 2.0))
EXACT_GROWTH = growth(sp.log(sp.exp(sp.nsimplify(PHI0)) + sp.nsimplify(ETA) * t))
EXPERIMENT = DivergentFlow(PHI0, 0.5, T1, T2, 0.001,
                           predict_growth=lambda h: float(sp.sympify(h).subs(growth_flow, EXACT_GROWTH)),
                           loss_at_t2=1 / (math.exp(PHI0) + ETA * T2))

CLAIM = Claim(
    id="003-gradient-flow-convergence",
    title="l >= 0 makes l(Phi(t)) converge; Phi need not converge",
    source=source("Gradient Flow Guarantees Progress"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("growth"), growth_flow),
                        result=growth_flow, latex_names=None,
                        parse_note="two propositions in prose; compared through the counterexample's growth of "
                                   "Phi per unit log t (the derived value; the statement asserts that some flow "
                                   "with l >= 0 does not converge)"),
    setting=(GROWTH_FLOW,),
    assumptions=("l bounded below by 0", "the flow exists for all t"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, [EXPERIMENT]),
    mutants=(replaced("Phi converges (no growth)", 0), replaced("Phi grows like 2 log t", 2)),
    expected=Verdict.HOLDS,
    notes="Both remarks hold: l converges by monotonicity; l = exp(-Phi) gives Phi = log(e^{Phi_0} + eta t) -> oo.",
)
