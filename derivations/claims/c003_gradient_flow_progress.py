"""003, "Gradient Flow Guarantees Progress": d loss/dt = grad . dPhi/dt = -|grad loss|^2 <= 0.

The slide's chain: ``dl/dt = (grad l) . dPhi/dt = -(grad l).(grad l) = -|grad l|^2 <= 0``.
The second equality substitutes ``dPhi/dt = -grad l``; the previous slide defines gradient
flow as ``dPhi/dt = -eta g`` (``g = grad l``). Derivation (chain rule): with that flow,
``dl/dt = -eta |grad l|^2``; the slide's ``-|grad l|^2`` is right for ``eta = 1`` (or with time
measured in units of eta, t' = eta t). The conclusion ``<= 0`` holds either way.

Compared quantity: the coefficient ``c`` in ``dl/dt = -c |grad l|^2`` (the slide: 1). The
simulation takes one batch update of size ``eta/N`` (the previous slide's way of running the
flow) on the double well from ``Phi = 0.5`` and extrapolates ``N (E l(Phi_1) - l(Phi_0)) /
(-l'(Phi_0)^2)`` to ``N -> oo``, for ``eta = 1/2`` and ``eta = 1``.
"""

import sympy as sp

from derivations.experiments.flow import LossRate
from derivations.model import Case, Claim, Comparison, Derivation, Equivalence, Relation, Statement, Step, Verdict
from derivations.mutants import scaled
from derivations.symbols import Phi

from ._deck003 import source

QUOTE = r"\begin{aligned}\frac{d\ell}{dt} &= (\nabla_{\Phi} \ell(\Phi)) \cdot \frac{d\Phi}{dt} \\ &= -(\nabla_{\Phi} \ell(\Phi)) \cdot (\nabla_{\Phi} \ell(\Phi)) \\ &= -\|\nabla_{\Phi} \ell(\Phi)\|^2 \\ &\leq 0\end{aligned}"
LOSS = (Phi**2 - 1) ** 2 / 4
t = sp.Symbol("t", positive=True)


def derive(eta_value) -> Derivation:
    eta = sp.nsimplify(eta_value)
    phi = sp.Function("Phi")(t)
    ell = sp.Function("ell")
    flow = sp.Eq(phi.diff(t), -eta * sp.Subs(ell(sp.Symbol("u")).diff(sp.Symbol("u")), sp.Symbol("u"), phi))
    rate = sp.diff(ell(phi), t).subs(phi.diff(t), flow.rhs).doit()
    coeff = sp.simplify(rate / (-sp.Subs(ell(sp.Symbol("u")).diff(sp.Symbol("u")), sp.Symbol("u"), phi) ** 2))
    if sp.simplify(coeff - eta) != 0:
        raise AssertionError(f"chain rule gave {coeff}, expected {eta}")
    steps = (Step("The previous slide's flow", flow),
             Step("Chain rule: dl/dt = l'(Phi) dPhi/dt =", rate),
             Step("so dl/dt = -c |grad l|^2 with c =", coeff),
             Step("and dl/dt <= 0 for any eta > 0", sp.true))
    if eta == 1:
        return Derivation(sp.Integer(1), steps, Comparison(Equivalence.PROVED, "chain rule",
                                                           "with eta = 1 the flow is dPhi/dt = -grad l"))
    return Derivation(eta, steps, Comparison(Equivalence.REFUTED, "chain rule",
                                             f"with dPhi/dt = -eta g (eta = {eta}) the rate is -eta |grad l|^2",
                                             {"eta": str(eta), "dl/dt": f"-{eta} |grad l|^2"}),
                      correction_latex=r"\frac{d\ell}{dt} = -\eta\|\nabla_{\Phi}\ell(\Phi)\|^2 \leq 0")


def _experiment(eta_value):
    return LossRate(LOSS, Phi, 0.5, eta_value, 1.0, 4, (20, 40, 80))


CLAIM = Claim(
    id="003-gradient-flow-progress",
    title="Gradient flow: dl/dt = -|grad l|^2 <= 0",
    source=source("Gradient Flow Guarantees Progress"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("c"), 1), result=sp.Integer(1),
                        latex_names=None,
                        parse_note="an aligned chain with \\nabla and \\|.\\|; compared as the coefficient c in "
                                   "dl/dt = -c |grad l|^2"),
    setting=(),
    assumptions=("the flow of the previous slide, dPhi/dt = -eta g",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("eta = 1/2 (dPhi/dt = -eta g as defined)", lambda: derive(0.5), (_experiment(0.5),),
                assumptions=("eta != 1",)),
           Case("eta = 1 (dPhi/dt = -grad l)", lambda: derive(1), (_experiment(1.0),), assumptions=("eta = 1",))),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.CONDITIONAL,
    notes=("With the previous slide's flow dPhi/dt = -eta g the rate is -eta |grad l|^2: the slide drops eta "
           "(right for eta = 1, or with time measured as eta t). The sign, and so 'progress', holds for any eta > 0."),
)
